"""Data-quality checks: each fires when it should and stays quiet otherwise."""

import pytest

from goldthread.analysis.periods import parse_period
from goldthread.analysis.quality import (
    check_target,
    check_value,
    comparable_history,
    missing_periods,
)

STEADY = [50.0, 51.0, 49.0, 50.5, 49.5, 50.0, 51.0, 50.0]


def codes(issues) -> list[str]:
    return [issue.code for issue in issues]


@pytest.mark.parametrize(
    ("value", "history", "unit", "expected"),
    [
        pytest.param(50.2, STEADY, "percent", [], id="a usual figure is quiet"),
        # A flat history has no spread to judge a jump by: only the unit check speaks.
        pytest.param(101.0, [99.0] * 8, "percent", ["over_100"], id="over 100 percent"),
        pytest.param(100.0, [99.5, 100.0] * 4, "percent", [], id="exactly 100 percent is fine"),
        pytest.param(
            0.51,
            STEADY,
            "percent",
            ["looks_like_proportion", "implausible_jump"],
            id="a proportion where percentages are usual",
        ),
        pytest.param(-1.0, [], "days", ["negative"], id="negative days"),
        pytest.param(
            0.0,
            [3.0, 4.0, 5.0, 4.0, 3.0, 4.0],
            "number",
            ["unexpected_zero", "implausible_jump"],
            id="zero where never zero",
        ),
        pytest.param(0.0, [0.0, 1.0, 0.0, 2.0, 1.0, 0.0], "number", [], id="zero where usual"),
        pytest.param(80.0, STEADY, "percent", ["implausible_jump"], id="a jump"),
        pytest.param(80.0, STEADY[:5], "percent", [], id="too little history to judge a jump"),
        pytest.param(50.0, [None, 50.0, None], "percent", [], id="missing history is ignored"),
    ],
)
def test_each_figure_check_fires_exactly_when_it_should(value, history, unit, expected):
    assert codes(check_value(value, history, unit=unit)) == expected


def test_negative_days_are_an_error_and_the_rest_warnings():
    assert [i.severity for i in check_value(-1.0, [], unit="days")] == ["error"]
    assert {i.severity for i in check_value(101.0, [99.0] * 8, unit="percent")} == {"warning"}


def test_a_jump_message_gives_the_usual_range_in_the_indicators_format():
    [issue] = check_value(80.0, STEADY, unit="percent", fmt=lambda v: f"{v:.1f}%")
    assert "80.0% is well outside the usual range" in issue.message


@pytest.mark.parametrize(
    ("target", "history", "expected"),
    [
        pytest.param(52.0, STEADY, [], id="a target in line with history"),
        pytest.param(0.0, STEADY, ["zero_target"], id="a zero target"),
        pytest.param(5200.0, STEADY, ["target_out_of_line"], id="a target in the wrong unit"),
        pytest.param(0.52, STEADY, ["target_out_of_line"], id="a proportion as a target"),
        pytest.param(5200.0, STEADY[:3], [], id="too little history to judge"),
    ],
)
def test_target_checks(target, history, expected):
    assert codes(check_target(target, history)) == expected


def test_it_finds_the_periods_with_no_figure_between_the_first_and_latest():
    gaps = missing_periods(["2025-04", "2025-07", "2025-05"])
    assert gaps == [parse_period("2025-06")]
    assert missing_periods(["2025/26"]) == []
    assert missing_periods(["2021/22", "2023/24"]) == [parse_period("2022/23")]


@pytest.mark.parametrize(
    ("target", "history", "unit", "expected"),
    [
        pytest.param(101.0, STEADY, "percent", ["over_100", "target_out_of_line"], id="over 100%"),
        pytest.param(100.0, [99.0] * 8, "percent", [], id="exactly 100% is possible"),
        pytest.param(-5.0, [], "number", ["negative_target"], id="a negative count"),
        pytest.param(-5.0, [], "currency", [], id="money can be negative (a saving)"),
        pytest.param(0.0, [], "number", ["zero_target"], id="zero with no history to go on"),
        pytest.param(
            0.0, [0.0, 2.0, 1.0, 0.0, 3.0, 1.0], "number", [], id="zero where zero occurs"
        ),
        pytest.param(55.0, STEADY, "percent", [], id="a stretching target near the history"),
        pytest.param(100.0, [100.0] * 8, "percent", [], id="a flat history, the same target"),
        pytest.param(96.0, [100.0] * 8, "percent", [], id="a flat history, a little lower"),
    ],
)
def test_target_checks_by_unit(target, history, unit, expected):
    assert codes(check_target(target, history, unit=unit)) == expected


def test_target_range_problems_are_errors_that_name_the_field():
    [issue] = check_target(120.0, [], unit="percent", label="The annual target")
    assert issue.severity == "error"
    assert issue.message.startswith("The annual target must be 100% or less")


def test_an_out_of_line_target_gives_the_range_it_is_compared_with():
    [issue] = check_target(5200.0, STEADY, unit="number", fmt=lambda v: f"{v:g}")
    assert issue.severity == "warning"
    assert "5200 is far from every figure so far (49 to 51, recently around 50)" in issue.message


def _months(values, start="2023-04"):
    first = parse_period(start)
    return [(first.shift(n), value) for n, value in enumerate(values)]


def test_an_annual_target_for_monthly_counts_is_compared_with_whole_years():
    series = _months([10.0] * 24 + [10.0] * 5)  # two whole years and five months
    assert comparable_history(series, accumulation="in_period", aggregation="sum") == [120, 120]


def test_a_year_to_date_target_is_compared_with_each_year_end():
    series = _months([n * 10.0 for n in range(1, 13)] * 2)
    assert comparable_history(series, accumulation="ytd", aggregation="last") == [120, 120]


def test_an_averaged_or_annual_indicator_is_compared_with_its_own_figures():
    series = _months([50.0, 51.0, 49.0])
    assert comparable_history(series, accumulation="in_period", aggregation="average") == [
        50.0,
        51.0,
        49.0,
    ]
    years = [(parse_period("2023/24"), 30.0), (parse_period("2024/25"), 25.0)]
    assert comparable_history(years, accumulation="in_period", aggregation="sum") == [30.0, 25.0]
