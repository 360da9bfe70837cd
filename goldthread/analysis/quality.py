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
- a target of 0, or a target far out of line with the history (warning).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from goldthread.analysis.periods import Period, parse_period
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


def check_target(target: float, history: Sequence[float | None], *, fmt=str) -> list[QualityIssue]:
    """Issues with a proposed target, given the indicator's figures so far."""
    issues = []
    known = _known(history)
    if target == 0:
        issues.append(
            QualityIssue(
                "zero_target", "warning", "The target is 0. Check this is meant, not a blank."
            )
        )
    if len(known) >= MIN_HISTORY and target != 0:
        median = float(np.median(known[-12:]))
        spread = max(float(np.max(known) - np.min(known)), abs(median) * 0.1, 1e-9)
        if abs(target - median) > 3 * spread:
            issues.append(
                QualityIssue(
                    "target_out_of_line",
                    "warning",
                    f"The target {fmt(target)} is far from every figure so far "
                    f"(around {fmt(median)}). Check the unit and the number.",
                )
            )
    return issues


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
