"""Backtest the year-end forecast on real council series against two simple baselines.

Run from the project root:

    .venv/bin/python bench/forecast_backtest.py            # all years
    .venv/bin/python bench/forecast_backtest.py --skip 2020-21,2020/21

For every council, series and complete financial year whose previous year is also complete,
the year-end outturn is forecast after months 3, 6 and 9 (quarters 1, 2 and 3), using only
what was known then (rolling origin: the later periods of the year are blanked before the
forecast sees them, and any weight the forecast learns comes from earlier years only), and
compared with:

- "same as last year": last year's outturn;
- "seasonal naive": this year so far plus last year's remaining periods (in-period series), or
  this year's latest value plus last year's change from that point to March (levels).

Reads only ``bench/data/`` (copies with attribution in ``bench/data/ATTRIBUTION.md``).
"""

from __future__ import annotations

import argparse
import csv
import math
import sys
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from goldthread.analysis.forecast import forecast_year_end, outturn

DATA = Path(__file__).resolve().parent / "data"


@dataclass(frozen=True)
class Series:
    name: str
    file: str
    code: str | None  # filter on the ``code`` column (LGBF file only)
    accumulation: str
    aggregate: str
    periods_per_year: int


SERIES = [
    Series("ECON12a claimant count 16-64 (snapshot)", "lgbf_monthly_quarterly.csv", "ECON12a",
           "snapshot", "sum", 12),
    Series("ECON12a claimant count 16-64 (monthly mean)", "lgbf_monthly_quarterly.csv",
           "ECON12a", "in_period", "mean", 12),
    Series("ECON12b claimant count 16-24 (snapshot)", "lgbf_monthly_quarterly.csv", "ECON12b",
           "snapshot", "sum", 12),
    Series("ECON05 business start-ups (sum)", "lgbf_monthly_quarterly.csv", "ECON05",
           "in_period", "sum", 12),
    Series("SW08 delayed discharge bed days (sum)", "lgbf_monthly_quarterly.csv", "SW08",
           "in_period", "sum", 12),
    Series("CORP09 crisis grants in 1 day % (mean)", "lgbf_monthly_quarterly.csv", "CORP09",
           "in_period", "mean", 4),
    Series("CORP10 care grants in 15 days % (mean)", "lgbf_monthly_quarterly.csv", "CORP10",
           "in_period", "mean", 4),
    Series("Trafford group claimant count (snapshot)", "trafford_claimant_count.csv", None,
           "snapshot", "sum", 12),
    Series("Trafford group major planning in time % (mean)", "trafford_planning_major.csv",
           None, "in_period", "mean", 4),
]  # fmt: skip

METHODS = ("forecast", "same_as_last_year", "seasonal_naive")
ROWS_PASSED = 6  # goldthread.analysis.council passes this year and five earlier years


def load(series: Series) -> dict[str, tuple[list[str], np.ndarray]]:
    """Area -> (financial years, grid of years x periods) with NaN for missing."""
    cells: dict[str, dict[str, dict[int, float]]] = defaultdict(lambda: defaultdict(dict))
    with open(DATA / series.file, encoding="utf-8") as f:
        for row in csv.DictReader(f):
            if series.code and row["code"] != series.code:
                continue
            area = row.get("council") or row["area_name"]
            value = float(row["value"]) if row["value"] else math.nan
            cells[area][row["financial_year"]][int(row["period"])] = value
    return {area: _grid(years, series.periods_per_year) for area, years in cells.items()}


def _grid(years: dict[str, dict[int, float]], ppy: int) -> tuple[list[str], np.ndarray]:
    labels = sorted(years)
    grid = np.full((len(labels), ppy), math.nan)
    for i, label in enumerate(labels):
        for period, value in years[label].items():
            grid[i, period - 1] = value
    return labels, grid


def seasonal_naive(current: np.ndarray, last: np.ndarray, k: int, s: Series) -> float:
    if s.accumulation == "in_period":
        return outturn(np.concatenate([current[:k], last[k:]]), "in_period", s.aggregate)
    return float(current[k - 1] + last[-1] - last[k - 1])


@dataclass
class Case:
    actual: float
    predictions: dict[str, float]
    low: float | None
    high: float | None
    method: str


def cases(series: Series, skip: set[str]) -> dict[int, list[Case]]:
    ppy = series.periods_per_year
    checkpoints = (3, 6, 9) if ppy == 12 else (1, 2, 3)
    found: dict[int, list[Case]] = defaultdict(list)
    for labels, grid in load(series).values():
        for t in range(1, len(labels)):
            complete = np.isfinite(grid[t]).all() and np.isfinite(grid[t - 1]).all()
            if not complete or labels[t] in skip:
                continue
            actual = outturn(grid[t], series.accumulation, series.aggregate)
            for k in checkpoints:
                found[k].append(_case(series, grid[: t + 1], k, actual))
    return found


def _case(series: Series, history: np.ndarray, k: int, actual: float) -> Case:
    # Rolling origin: the forecast sees the earlier years and this year's first k periods only,
    # as many rows as the council judgement passes (six), and the rest of this year is blanked.
    seen = history[-ROWS_PASSED:].copy()
    seen[-1, k:] = math.nan
    kwargs = {
        "accumulation": series.accumulation,
        "aggregate": series.aggregate,
        "periods_per_year": series.periods_per_year,
        "periods_elapsed": k,
    }
    f = forecast_year_end(seen, **kwargs)
    # Guard against leaks: the real rest of the year must make no difference.
    if f != forecast_year_end(history[-ROWS_PASSED:], **kwargs):
        raise AssertionError(f"{series.name}: the forecast read beyond period {k}")
    last = history[-2]
    predictions = {
        "forecast": f.value,
        "same_as_last_year": outturn(last, series.accumulation, series.aggregate),
        "seasonal_naive": seasonal_naive(history[-1], last, k, series),
    }
    return Case(actual, predictions, f.low, f.high, f.method)


def summarise(found: list[Case]) -> dict[str, float]:
    actual = np.array([c.actual for c in found])
    out: dict[str, float] = {"n": len(found)}
    for m in METHODS:
        error = np.abs(np.array([c.predictions[m] for c in found]) - actual)
        out[f"mae_{m}"] = float(error.mean())
        nonzero = actual != 0
        out[f"mape_{m}"] = float(np.mean(error[nonzero] / np.abs(actual[nonzero])) * 100)
    ranged = [c for c in found if c.low is not None]
    inside = [c.low <= c.actual <= c.high for c in ranged]
    out["coverage"] = float(np.mean(inside) * 100) if ranged else math.nan
    out["seasonal_share"] = float(np.mean([c.method.startswith("seasonal") for c in found]) * 100)
    return out


def _percent(x: float) -> str:
    return "no range" if math.isnan(x) else f"{x:.0f}%"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skip", default="", help="financial years to leave out, comma-separated")
    skip = {s for s in parser.parse_args().skip.split(",") if s}
    print(
        "| series | at | n | MAPE forecast | MAPE same as last year | MAPE seasonal naive "
        "| MAE forecast / best baseline | 80% range covered | seasonal method used |"
    )
    print("|---|---|--:|--:|--:|--:|--:|--:|--:|")
    pooled: dict[int, list[Case]] = defaultdict(list)
    ratios: dict[int, list[dict[str, float]]] = defaultdict(list)
    for series in SERIES:
        for k, found in sorted(cases(series, skip).items()):
            r = summarise(found)
            checkpoint = k if series.periods_per_year == 4 else k // 3
            pooled[checkpoint] += found
            ratios[checkpoint].append(r)
            best = min(r["mae_same_as_last_year"], r["mae_seasonal_naive"])
            at = f"month {k}" if series.periods_per_year == 12 else f"Q{k}"
            print(
                f"| {series.name} | {at} | {r['n']} | {r['mape_forecast']:.1f}% "
                f"| {r['mape_same_as_last_year']:.1f}% | {r['mape_seasonal_naive']:.1f}% "
                f"| {r['mae_forecast'] / best:.2f} | {_percent(r['coverage'])} "
                f"| {r['seasonal_share']:.0f}% |"
            )
    _print_pooled(pooled, ratios)


def _print_pooled(pooled: dict, ratios: dict) -> None:
    """Every case of every series together, per checkpoint: the MAPE of all cases, and the
    geometric mean over series of the forecast's MAE against each baseline's (scale-free,
    so a series of large counts does not outweigh one of percentages)."""
    print("\nAll series together, per checkpoint (month 3 = Q1, month 6 = Q2, month 9 = Q3):\n")
    print(
        "| at | cases | MAPE forecast | MAPE same as last year | MAPE seasonal naive "
        "| MAE ratio to same as last year (geometric mean) | MAE ratio to seasonal naive |"
    )
    print("|---|--:|--:|--:|--:|--:|--:|")
    for checkpoint in sorted(pooled):
        r = summarise(pooled[checkpoint])
        per_series = ratios[checkpoint]
        to_last = [x["mae_forecast"] / x["mae_same_as_last_year"] for x in per_series]
        to_naive = [x["mae_forecast"] / x["mae_seasonal_naive"] for x in per_series]
        print(
            f"| month {checkpoint * 3} | {r['n']} | {r['mape_forecast']:.1f}% "
            f"| {r['mape_same_as_last_year']:.1f}% | {r['mape_seasonal_naive']:.1f}% "
            f"| {_geometric_mean(to_last):.2f} | {_geometric_mean(to_naive):.2f} |"
        )


def _geometric_mean(values: list[float]) -> float:
    return float(np.exp(np.mean(np.log(values))))


if __name__ == "__main__":
    main()
