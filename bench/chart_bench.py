"""Benchmark chart rendering: SPC charts of 60 points and sparklines of 13 points.

The goal (from the issue) is under 1 ms per chart, so that a page can draw a chart for every
indicator it lists. The SPC results are calculated beforehand (``xmr_batch``); only the
drawing is timed. Run from the project root:

    .venv/bin/python bench/chart_bench.py
"""

from __future__ import annotations

import argparse
import sys
import timeit
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # works without `pip install -e .`

from goldthread.analysis.spc import xmr_batch
from goldthread.charts.spc import spc_chart
from goldthread.charts.svg import sparkline

GOAL_US = 1000.0
MONTHS = ("Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec", "Jan", "Feb", "Mar")


def make_series(count: int, length: int, seed: int = 2026) -> list[list[float | None]]:
    """Noisy monthly-looking measures; a third have a step change, 1% are missing."""
    rng = np.random.default_rng(seed)
    data = rng.normal(100, 10, size=(count, length)).round(1)
    data[rng.random(count) < 0.33, length // 2 :] += 25
    data[rng.random((count, length)) < 0.01] = np.nan
    return [[None if np.isnan(v) else float(v) for v in row] for row in data]


def time_each(name: str, render, items: list, repeat: int) -> float:
    """Best of ``repeat`` runs over every item; prints and returns microseconds per chart."""

    def run() -> None:
        for item in items:
            render(item)

    best = min(timeit.repeat(run, number=1, repeat=repeat))
    per_chart = best / len(items) * 1e6
    verdict = "ok" if per_chart < GOAL_US else "OVER GOAL"
    print(
        f"{name}: {per_chart:8.1f} µs per chart (best of {repeat}, {len(items)} charts) {verdict}"
    )
    return per_chart


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--charts", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    spc_series = make_series(args.charts, 60)
    results = xmr_batch(
        spc_series, target=110.0, rebase_at=[[30] if i % 4 == 0 else [] for i in range(args.charts)]
    )
    labels = [f"{m} {y}" for y in range(2021, 2026) for m in MONTHS]

    def render_spc(result) -> None:
        spc_chart(
            labels,
            result,
            title="Invoices paid within 30 days",
            description="SPC chart of 60 monthly values.",
            value_format=lambda v: f"{v:g}%",
        )

    spark_series = [row[:13] for row in make_series(args.charts, 13, seed=7)]
    spark_targets = [100.0] * 13

    def render_spark(values) -> None:
        sparkline(values, spark_targets, title="Invoices paid within 30 days")

    spc_us = time_each("SPC chart, 60 points  ", render_spc, results, args.repeat)
    spark_us = time_each("sparkline, 13 points  ", render_spark, spark_series, args.repeat)
    return 0 if max(spc_us, spark_us) < GOAL_US else 1


if __name__ == "__main__":
    raise SystemExit(main())
