"""Table tests for the XmR engine: every rule and edge case in /work/shared/SPC.md.

Expected limits are worked out here from the numbers (mean, moving ranges), never by
calling the code under test. Labels are written one short code per point:
  .  Common Cause        A  Above UCL           B  Below LCL
  I  7 Point Trend (Increasing)                 D  7 Point Trend (Decreasing)
  2A 2 in 3 Above CL     2B 2 in 3 Below CL     SA 7 Points Above CL   SB 7 Points Below CL
"""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest

from goldthread.analysis.spc import xmr

CODES = {
    ".": "Common Cause",
    "A": "Above UCL",
    "B": "Below LCL",
    "I": "7 Point Trend (Increasing)",
    "D": "7 Point Trend (Decreasing)",
    "2A": "2 in 3 Above CL",
    "2B": "2 in 3 Below CL",
    "SA": "7 Points Above CL",
    "SB": "7 Points Below CL",
}

# A 12-point baseline for fix_after=12: mean 10, every moving range 2, so
# upl = 10 + 2.66*2 = 15.32, lpl = 4.68, near lines 10 +/- 2*(2.66/3)*2 = 13.547 / 6.453.
# It alternates sides of the mean and ends below it, so it never fires a rule itself.
BASE = [11, 9] * 6
QUIET = ". " * 12
UPL = 10 + 2.66 * 2
NEAR_UPL = 10 + 2 * (2.66 / 3) * 2
LPL = 10 - 2.66 * 2


def labels(codes: str) -> list[str]:
    return [CODES[c] for c in codes.split()]


# (description, values, options, expected labels)
LABEL_CASES = [
    ("a point above the upper limit is astronomical", [*BASE, 16], {}, QUIET + "A"),
    ("a point below the lower limit is astronomical", [*BASE, 4], {}, QUIET + "B"),
    ("a point exactly on the upper limit is not outside it", [*BASE, UPL], {}, QUIET + "."),
    ("a point exactly on the lower limit is not outside it", [*BASE, LPL], {}, QUIET + "."),
    (
        "points exactly on a limit count as close for 2 in 3",
        [*BASE, 12, UPL, UPL],
        {},
        QUIET + ". 2A 2A",
    ),
    (
        "points exactly on the 2 sigma line are not close",
        BASE + [12] + [NEAR_UPL] * 2,
        {},
        QUIET + ". . .",
    ),
    (
        "two of three points beyond the 2 sigma line fire 2 in 3",
        [*BASE, 12, 14, 14],
        {},
        QUIET + ". 2A 2A",
    ),
    ("2 in 3 below the mean", [*BASE, 6, 6], {}, QUIET + "2B 2B"),
    (
        "only the close points of a 2 in 3 window are flagged",
        [*BASE, 14, 12, 14],
        {},
        QUIET + "2A . 2A",
    ),
    (
        "a point on the other side of the mean kills the 2 in 3 window",
        [*BASE, 14, 9, 14],
        {},
        QUIET + ". . .",
    ),
    ("a point on the mean kills the 2 in 3 window", [*BASE, 14, 10, 14], {}, QUIET + ". . ."),
    ("a missing value kills the 2 in 3 window", [*BASE, 14, None, 14], {}, QUIET + ". . ."),
    (
        "an astronomical point does not count towards 2 in 3",
        [*BASE, 12, 14, 16],
        {},
        QUIET + ". . A",
    ),
    ("7 points above the mean are a shift", BASE + [12] * 7, {}, QUIET + "SA " * 7),
    ("7 points below the mean are a shift", [9, 11] * 6 + [8] * 7, {}, QUIET + "SB " * 7),
    ("6 points above the mean are not a shift", BASE + [12] * 6, {}, QUIET + ". " * 6),
    ("a point on the mean breaks a shift", BASE + [12] * 3 + [10] + [12] * 3, {}, QUIET + ". " * 7),
    ("a missing value breaks a shift", BASE + [12] * 3 + [None] + [12] * 4, {}, QUIET + ". " * 8),
    ("7 rising points are a trend", [*BASE, 9.5, 10, 10.5, 11, 11.5, 12], {}, ". " * 11 + "I " * 7),
    (
        "a repeated value breaks a trend",
        [*BASE, 9.5, 10, 10, 10.5, 11, 11.5, 12],
        {},
        QUIET + ". " * 7,
    ),
    (
        "a missing value breaks a trend",
        [*BASE, 9.5, 10, None, 10.5, 11, 11.5, 12],
        {},
        QUIET + ". " * 7,
    ),
    (
        "the peak shared by an up and a down trend is labelled decreasing",
        [*BASE, 9.5, 10, 10.5, 11, 11.5, 12, 11.5, 11, 10.5, 10, 9.5, 9],
        {},
        ". " * 11 + "I " * 6 + "D " * 7,
    ),
    (
        "a point joining two trends takes the direction of the step to its right, as PTD does",
        [0, 20] * 6 + [21, 22, 23, 24, 25, 26, 25, 26, 27, 28, 29, 30, 31],
        {},
        ". " * 10 + "I " * 7 + "D " + "I " * 7,
    ),
    (
        "an astronomical point outranks a trend",
        [*BASE, 9.5, 10, 10.5, 11, 11.5, 16],
        {},
        ". " * 11 + "I " * 6 + "A",
    ),
    (
        "a trend outranks 2 in 3 and a shift",
        [*BASE, 11, 12, 13, 14, 14.5, 15],
        {},
        ". " * 11 + "I " * 7,
    ),
    ("2 in 3 outranks a shift", BASE + [12] * 5 + [14, 14], {}, QUIET + "SA " * 5 + "2A 2A"),
    ("a series of 1 point has no special cause", [5], {}, "."),
    ("a series of 2 points has no special cause", [1, 3], {}, ". ."),
    ("6 rising points are not a trend", [1, 2, 3, 4, 5, 6], {}, ". " * 6),
    # mean 4, moving range 1: limits 1.34 and 6.66, so both ends are astronomical.
    (
        "7 rising points are a trend with astronomical ends",
        [1, 2, 3, 4, 5, 6, 7],
        {},
        "B I I I I I A",
    ),
    (
        "rebasing stops a trend crossing into the new segment",
        [1, 2, 3, 4, 5, 6, 7],
        {"rebase_at": [4]},
        ". " * 7,
    ),
    ("missing values keep their row and break runs", [None, 1, 2, 3, None], {}, ". " * 5),
    (
        "fixed limits apply to every later point in each segment",
        [11, 9] * 6 + [16] + [21, 19] * 6 + [14],
        {"fix_after": 12, "rebase_at": [13]},
        QUIET + "A " + QUIET + "B",
    ),
    (
        "without fixing, the same point is inside its own limits",
        [11, 9] * 6 + [16],
        {"fix_after": None},
        QUIET + ".",
    ),
    ("a flat series has no special cause", [5] * 14, {}, ". " * 14),
    (
        "any change after a flat fixed baseline is astronomical",
        [5] * 12 + [6],
        {"fix_after": 12},
        ". " * 12 + "A",
    ),
    # Variants
    (
        "MDC Excel 2 in 3 counts a point beyond the upper limit",
        [*BASE, 12, 14, 16],
        {"mdc_excel_2in3": True},
        QUIET + ". 2A A",
    ),
    (
        "MDC Excel 2 in 3 still needs all three points on one side",
        [*BASE, 14, 9, 16],
        {"mdc_excel_2in3": True},
        QUIET + ". . A",
    ),
    (
        "MDC Excel 2 in 3 flags only points beyond the 2 sigma line",
        [*BASE, 14, 12, 16],
        {"mdc_excel_2in3": True},
        QUIET + "2A . A",
    ),
    (
        "a 6 point shift option fires on 6 points",
        BASE + [12] * 6,
        {"shift_length": 6},
        QUIET + "SA " * 6,
    ),
    (
        "a 6 point trend option fires on 6 points",
        [*BASE, 9.5, 10, 10.5, 11, 11.5],
        {"trend_length": 6},
        ". " * 11 + "I " * 6,
    ),
    (
        "skipping ties lets a shift run over a point on the mean",
        BASE + [12] * 3 + [10] + [12] * 4,
        {"skip_ties": True},
        QUIET + "SA SA SA . SA SA SA SA",
    ),
    (
        "skipping ties still lets a missing value break a shift",
        BASE + [12] * 3 + [None] + [12] * 4,
        {"skip_ties": True},
        QUIET + ". " * 8,
    ),
    (
        "skipping ties lets a trend run over a repeated value",
        [*BASE, 9.5, 10, 10, 10.5, 11, 11.5, 12],
        {"skip_ties": True},
        ". " * 11 + "I " * 8,
    ),
    (
        "skipping ties does not count a repeated value",
        [*BASE, 9.5, 10, 10, 10.5, 11, 11.5],
        {"skip_ties": True},
        QUIET + ". " * 6,
    ),
]


@pytest.mark.parametrize(
    ("values", "options", "expected"),
    [case[1:] for case in LABEL_CASES],
    ids=[case[0] for case in LABEL_CASES],
)
def test_it_labels_points(values: list, options: dict, expected: str) -> None:
    if len(values) > 12 and values[:12] == BASE:
        options = {"fix_after": 12, **options}  # limits from BASE unless a case says otherwise
    result = xmr(values, **options)
    assert list(result.label) == labels(expected)
    assert list(result.special_cause) == [code != "." for code in expected.split()]


def hand_limits(values: list[float], screen: bool = True) -> tuple[float, float]:
    present = [v for v in values if v is not None]
    mean = sum(present) / len(present)
    pairs = itertools.pairwise(values)
    ranges = [abs(b - a) for a, b in pairs if a is not None and b is not None]
    amr = sum(ranges) / len(ranges)
    if screen:
        kept = [r for r in ranges if r < 3.267 * amr]
        amr = sum(kept) / len(kept)
    return mean, amr


# Moving ranges: ten of 1, then 10, then 40. First pass: amr = 60/12 = 5, so only 40 is
# screened (>= 16.335) and amr = 20/11. Iterating would also drop 10 and give amr = 1.
SCREENING = [0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 10, 50]


@pytest.mark.parametrize(
    ("values", "options", "mean", "amr"),
    [
        ([3, 7, 4, 8, 5, 20, 6], {}, 53 / 7, 43 / 6),
        (SCREENING, {}, 5, 20 / 11),
        (SCREENING, {"screen_outliers": False}, 5, 60 / 12),
        ([None, 1, 2, 3], {}, 2, 1),
        ([1, 2, None, 4, 8], {}, 15 / 4, 2.5),
        ([1, 3], {}, 2, 2),
    ],
    ids=[
        "limits come from the mean and mean moving range",
        "outlier screening is one pass only",
        "screening can be turned off",
        "a missing value at the start is ignored",
        "a missing value drops the two moving ranges touching it",
        "a series of 2 points has limits",
    ],
)
def test_it_calculates_limits_by_hand(values: list, options: dict, mean: float, amr: float) -> None:
    result = xmr(values, **options)
    assert hand_limits(values, options.get("screen_outliers", True)) == pytest.approx((mean, amr))
    n = len(values)
    assert result.mean == pytest.approx([mean] * n, rel=1e-12)
    assert result.upl == pytest.approx([mean + 2.66 * amr] * n, rel=1e-12)
    assert result.lpl == pytest.approx([mean - 2.66 * amr] * n, rel=1e-12)
    assert result.near_upl == pytest.approx([mean + 2 * 2.66 / 3 * amr] * n, rel=1e-12)
    assert result.near_lpl == pytest.approx([mean - 2 * 2.66 / 3 * amr] * n, rel=1e-12)


def test_a_series_of_1_point_has_missing_limits_and_a_warning() -> None:
    result = xmr([5])
    assert result.mean.tolist() == [5]
    assert math.isnan(result.upl[0]) and math.isnan(result.lpl[0])
    assert result.warnings == (
        "Only 1 point: limits from fewer than 13 points may not be reliable",
    )


def test_an_empty_series_gives_an_empty_common_cause_chart() -> None:
    result = xmr([])
    assert len(result.label) == 0 and result.segments == ()
    assert result.variation_icon == "common_cause" and result.assurance is None


def test_a_flat_series_has_limits_on_the_mean_and_says_so() -> None:
    result = xmr([5] * 14, target=6)
    assert result.upl.tolist() == [5] * 14 and result.lpl.tolist() == [5] * 14
    assert result.near_upl.tolist() == [5] * 14
    assert result.warnings == (
        "No variation: every value is the same, so the limits are drawn on the mean",
    )
    assert result.assurance == "consistent_fail"


def test_a_flat_series_without_screening_gives_the_same_limits() -> None:
    assert xmr([5] * 14, screen_outliers=False).upl.tolist() == [5] * 14


def test_rebasing_gives_each_segment_its_own_limits() -> None:
    result = xmr([9, 11] * 3 + [19, 21] * 3, rebase_at=[0, 6, 99, -1])
    assert result.segments == (0, 6)
    assert result.mean.tolist() == [10] * 6 + [20] * 6
    assert result.upl == pytest.approx([10 + 2.66 * 2] * 6 + [20 + 2.66 * 2] * 6)
    assert result.warnings == (
        "Only 6 points in the section starting at point 1: "
        "limits from fewer than 13 points may not be reliable",
        "Only 6 points in the section starting at point 7: "
        "limits from fewer than 13 points may not be reliable",
    )


def test_fix_after_12_uses_the_first_12_rows_of_each_segment() -> None:
    values = [11, 9] * 6 + [30, 40] + [21, 19] * 6 + [0]
    result = xmr(values, fix_after=12, rebase_at=[14])
    assert result.mean.tolist() == [10] * 14 + [20] * 13
    assert result.upl == pytest.approx([UPL] * 14 + [20 + 2.66 * 2] * 13)


@pytest.mark.parametrize(
    "fix_after", [11, 0, -12, 12.0, "12", True], ids=lambda v: f"fix_after={v!r}"
)
def test_it_rejects_fix_after_below_12_or_not_whole(fix_after: object) -> None:
    with pytest.raises(ValueError, match="fix_after must be None or a whole number of at least 12"):
        xmr([1, 2, 3], fix_after=fix_after)


def test_it_rejects_an_unknown_option_by_name() -> None:
    with pytest.raises(TypeError, match="'shift_lenght'"):
        xmr([1, 2, 3], shift_lenght=6)


@pytest.mark.parametrize(
    "options",
    [{"shift_length": 8}, {"trend_length": 5}, {"skip_ties": 1}, {"improvement": "up"}],
    ids=["shift of 8", "trend of 5", "skip_ties not a bool", "unknown direction"],
)
def test_it_rejects_bad_option_values(options: dict) -> None:
    with pytest.raises(ValueError):
        xmr([1, 2, 3], **options)


# (description, values, improvement, point types for the tail, icon)
TYPE_CASES = [
    (
        "high is good when improvement is increase",
        [*BASE, 16],
        "increase",
        ["special_cause_improvement"],
        "improvement_high",
    ),
    (
        "low is a concern when improvement is increase",
        [*BASE, 4],
        "increase",
        ["special_cause_concern"],
        "concern_low",
    ),
    (
        "high is a concern when improvement is decrease",
        [*BASE, 16],
        "decrease",
        ["special_cause_concern"],
        "concern_high",
    ),
    (
        "low is good when improvement is decrease",
        [*BASE, 4],
        "decrease",
        ["special_cause_improvement"],
        "improvement_low",
    ),
    (
        "neutral high points are purple",
        [*BASE, 16],
        "neutral",
        ["special_cause_neutral_high"],
        "neutral_high",
    ),
    (
        "neutral low points are purple",
        [*BASE, 4],
        "neutral",
        ["special_cause_neutral_low"],
        "neutral_low",
    ),
    (
        "the icon is common cause when the latest point is",
        [*BASE, 16, 10],
        "increase",
        ["special_cause_improvement", "common_cause"],
        "common_cause",
    ),
    (
        "the icon is common cause when the latest value is missing",
        [*BASE, 16, None],
        "increase",
        ["special_cause_improvement", "common_cause"],
        "common_cause",
    ),
    # The down-trend after the peak sits above the mean but is coloured as falling.
    (
        "a trend's colour follows its direction, not its side of the mean",
        [*BASE, 9.5, 10, 10.5, 11, 11.5, 12, 11.5, 11, 10.5, 10, 9.5, 9],
        "increase",
        ["special_cause_improvement"] * 5 + ["special_cause_concern"] * 7,
        "concern_low",
    ),
]


@pytest.mark.parametrize(
    ("values", "improvement", "tail", "icon"),
    [case[1:] for case in TYPE_CASES],
    ids=[case[0] for case in TYPE_CASES],
)
def test_it_colours_points_and_picks_the_icon(
    values: list, improvement: str, tail: list[str], icon: str
) -> None:
    result = xmr(values, improvement=improvement, fix_after=12)
    assert list(result.point_type[-len(tail) :]) == tail
    assert result.variation_icon == icon


def test_the_variation_text_explains_the_icon() -> None:
    result = xmr([*BASE, 4], fix_after=12)
    assert result.variation_text == (
        "Special cause variation of concern: the latest point is unusually low"
    )


# Against BASE with fix_after=12: lpl = 4.68, upl = 15.32.
ASSURANCE_CASES = [
    (
        "a target above the upper limit is a consistent fail when higher is better",
        16,
        "increase",
        "consistent_fail",
    ),
    (
        "a target above the upper limit is a consistent pass when lower is better",
        16,
        "decrease",
        "consistent_pass",
    ),
    (
        "a target below the lower limit is a consistent pass when higher is better",
        4,
        "increase",
        "consistent_pass",
    ),
    (
        "a target below the lower limit is a consistent fail when lower is better",
        4,
        "decrease",
        "consistent_fail",
    ),
    ("a target between the limits is hit and miss", 10, "increase", "inconsistent"),
    ("a target exactly on the upper limit is hit and miss", UPL, "increase", "inconsistent"),
    ("a target exactly on the lower limit is hit and miss", LPL, "decrease", "inconsistent"),
    ("there is no assurance without a target", None, "increase", None),
    ("there is no assurance for a neutral measure", 16, "neutral", None),
]


@pytest.mark.parametrize(
    ("target", "improvement", "expected"),
    [case[1:] for case in ASSURANCE_CASES],
    ids=[case[0] for case in ASSURANCE_CASES],
)
def test_it_gives_assurance_against_the_latest_limits(
    target: float | None, improvement: str, expected: str | None
) -> None:
    result = xmr([*BASE, 10], improvement=improvement, target=target, fix_after=12)
    assert result.assurance == expected
    assert (result.assurance_text is None) == (expected is None)


def test_assurance_uses_the_last_segment() -> None:
    result = xmr(BASE + [21, 19] * 6, target=14, rebase_at=[12])
    assert result.assurance == "consistent_pass"  # 14 < lpl 14.68 of the second segment


def test_results_record_the_options_used() -> None:
    result = xmr([1, 2, 3], skip_ties=True, target=2)
    assert result.options["skip_ties"] is True and result.options["target"] == 2
    assert result.options["shift_length"] == 7 and result.options["screen_outliers"] is True
    assert "points on the mean and repeated values are skipped" in result.method_text


def test_missing_values_keep_their_row_and_get_the_segment_limits() -> None:
    result = xmr([1, None, 3, None])
    assert len(result.label) == 4
    assert np.isnan(result.values[1]) and result.mean[1] == 2
