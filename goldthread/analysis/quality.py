"""Data-quality checks on a figure or a target, against the indicator's own history.

Each check returns issues in plain English, each a warning (look again before submitting) or
an error (cannot be accepted). They run on entry and on import, and their results are stored
as a figure's data-quality flag. Pure Python and numpy: no Django.

Checks:
- a percentage over 100 (warning) or below 0 (warning: some percentages are changes);
- a percentage that looks like a proportion (0.51 where the history is around 51): wrong unit;
- a negative number of days (error);
- zero where the history has never been zero (warning);
- an implausible jump: outside the usual range of the history's SPC process limits, or more
  than 5 robust standard deviations (median absolute deviation) from the recent median;
- missing periods between the first and the latest figure;
- targets: a percentage over 100 or a negative count (errors); 0 where the figure has never
  been 0, or far outside the history it is comparable with (warnings).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from goldthread.analysis.periods import Frequency, Period, parse_period
from goldthread.analysis.spc import xmr

MIN_HISTORY = 6  # fewer figures than this say too little about what is usual
ROBUST_Z = 5.0
MAD_TO_SIGMA = 1.4826  # makes the median absolute deviation comparable to a standard deviation


@dataclass(frozen=True)
class QualityIssue:
    code: str
    severity: str  # "warning" or "error"
    message: str


def _known(history: Sequence[float | None]) -> np.ndarray:
    values = np.array([v for v in history if v is not None and math.isfinite(v)], dtype=float)
    return values


def check_value(
    value: float, history: Sequence[float | None], *, unit: str, fmt=str
) -> list[QualityIssue]:
    """Issues with a new figure, given the indicator's earlier figures (oldest first)."""
    known = _known(history)
    issues = _unit_issues(value, known, unit, fmt)
    if value == 0 and len(known) >= MIN_HISTORY and not np.any(known == 0):
        issues.append(
            QualityIssue(
                "unexpected_zero",
                "warning",
                "This figure is 0, which it has never been before. Check it is "
                "not a missing figure.",
            )
        )
    issues.extend(_jump_issues(value, known, fmt))
    return issues


def _unit_issues(value: float, known: np.ndarray, unit: str, fmt) -> list[QualityIssue]:
    issues = []
    if unit == "percent" and value > 100:
        issues.append(
            QualityIssue(
                "over_100",
                "warning",
                f"{fmt(value)} is more than 100%. Check the figure and the unit.",
            )
        )
    if unit == "percent" and 0 < value <= 1 and len(known) and np.median(known) > 5:
        issues.append(
            QualityIssue(
                "looks_like_proportion",
                "warning",
                f"{value} looks like a proportion. Earlier figures are "
                f"percentages: write {value * 100:g} for {value * 100:g}%.",
            )
        )
    if unit == "days" and value < 0:
        issues.append(QualityIssue("negative", "error", "A number of days cannot be negative."))
    return issues


def _jump_issues(value: float, known: np.ndarray, fmt) -> list[QualityIssue]:
    if len(known) < MIN_HISTORY:
        return []
    result = xmr(list(known[-24:]))
    low, high = float(result.lpl[-1]), float(result.upl[-1])
    outside_limits = math.isfinite(low) and high > low and not low <= value <= high
    recent = known[-12:]
    median = float(np.median(recent))
    mad = float(np.median(np.abs(recent - median))) * MAD_TO_SIGMA
    far = mad > 0 and abs(value - median) / mad > ROBUST_Z
    if not (outside_limits or far):
        return []
    usual = f"{fmt(low)} to {fmt(high)}" if outside_limits else f"around {fmt(median)}"
    return [
        QualityIssue(
            "implausible_jump",
            "warning",
            f"{fmt(value)} is well outside the usual range ({usual}). Check it is "
            "right, and say why in the commentary if it is.",
        )
    ]


# Units whose figures cannot be below 0: a negative target in them is a mistake, not a choice.
NEVER_NEGATIVE = frozenset({"percent", "number", "days", "rate", "ratio"})


def check_target(
    target: float,
    history: Sequence[float | None],
    *,
    unit: str = "number",
    label: str = "The target",
    fmt=str,
) -> list[QualityIssue]:
    """Issues with a proposed target, given the indicator's comparable figures so far.

    Errors: a percentage over 100, or below 0 where figures cannot be negative. Warnings (the
    person confirms to go on): a target of 0 where the figure has never been 0, and a target
    far outside the history (outside its whole range and more than ROBUST_Z robust standard
    deviations from the recent median). `label` names the field in every message.
    """
    known = _known(history)
    issues = _target_range_errors(target, unit, label, fmt)
    if target == 0 and not np.any(known == 0):
        never = " the figure has never been 0" if len(known) else " this is not a blank"
        issues.append(
            QualityIssue(
                "zero_target",
                "warning",
                f"{label} is 0. Check this is meant:{never}.",
            )
        )
    out_of_line = _target_out_of_line(target, known, label, fmt)
    return issues + ([out_of_line] if out_of_line else [])


def _target_range_errors(target: float, unit: str, label: str, fmt) -> list[QualityIssue]:
    if unit == "percent" and target > 100:
        message = f"{label} must be 100% or less: {fmt(target)} is not a possible percentage."
        return [QualityIssue("over_100", "error", message)]
    if unit in NEVER_NEGATIVE and target < 0:
        message = f"{label} cannot be negative: this indicator's figures are never below 0."
        return [QualityIssue("negative_target", "error", message)]
    return []


def _target_out_of_line(target: float, known: np.ndarray, label: str, fmt) -> QualityIssue | None:
    if len(known) < MIN_HISTORY or target == 0:
        return None
    low, high = float(np.min(known)), float(np.max(known))
    if low <= target <= high:
        return None
    recent = known[-12:]
    median = float(np.median(recent))
    # A floor on the spread: a flat history would otherwise make any change look extreme.
    mad = float(np.median(np.abs(recent - median))) * MAD_TO_SIGMA
    sigma = max(mad, abs(median) * 0.02, 1e-9)
    if abs(target - median) / sigma <= ROBUST_Z:
        return None
    return QualityIssue(
        "target_out_of_line",
        "warning",
        f"{label} of {fmt(target)} is far from every figure so far ({fmt(low)} to "
        f"{fmt(high)}, recently around {fmt(median)}). Check the unit and the number.",
    )


def comparable_history(
    series: Sequence[tuple[Period, float | None]], *, accumulation: str, aggregation: str
) -> list[float | None]:
    """The figures an annual target should be compared with, oldest first.

    A year-to-date indicator's target is its year-end figure; an in-period indicator that adds
    its periods up is compared with whole years' totals; anything else (averages, snapshots,
    rolling years, annual figures) with the figures themselves.
    """
    if not series or series[0][0].frequency is Frequency.ANNUAL:
        return [value for _period, value in series]
    per_year = series[0][0].frequency.periods_per_year
    if accumulation == "ytd":
        return [value for period, value in series if period.number == per_year]
    if aggregation != "sum":
        return [value for _period, value in series]
    years: dict[int, list[float]] = {}
    for period, value in series:
        if value is not None:
            years.setdefault(period.year, []).append(value)
    return [sum(values) for _year, values in sorted(years.items()) if len(values) == per_year]


def missing_periods(keys: Sequence[str]) -> list[Period]:
    """Periods with no figure between the first and the latest one given."""
    periods = sorted({parse_period(key) for key in keys})
    if len(periods) < 2:
        return []
    present = {p.ordinal for p in periods}
    first, last = periods[0], periods[-1]
    return [
        first.shift(n)
        for n in range(last.ordinal - first.ordinal + 1)
        if first.ordinal + n not in present
    ]
