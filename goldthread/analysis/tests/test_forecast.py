import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from goldthread.analysis.forecast import forecast_batch, forecast_year_end

NAN = math.nan
# A seasonal quarterly count: the second half of each year is twice the first.
SEASONAL = [[10, 10, 20, 20], [20, 20, 40, 40], [15, 15, 30, 30]]


def quarterly(history, elapsed, **kwargs):
    kwargs.setdefault("accumulation", "in_period")
    return forecast_year_end(history, periods_per_year=4, periods_elapsed=elapsed, **kwargs)


def test_it_blends_the_usual_share_of_the_year_with_last_years_rest_of_the_year():
    f = quarterly([*SEASONAL, [30, 30, NAN, NAN]], 2)
    # Pattern: 60 so far is a third of the year, every year, so 180. Last year's rest of the
    # year: 60 + 60 = 120. In the two earlier years that can be checked, the pattern was exact
    # and last year's figures were out by 40 and 20, so the pattern gets 5/6 of the weight
    # (inverse squared error, with one pretend year in which both did equally well).
    assert f.value == pytest.approx(180 * 5 / 6 + 120 / 6)
    assert f.method == "seasonal_blend"
    assert f.method_text == "Based on the pattern of the last three years"
    assert f.n_years_used == 3
    assert f.fallback_reason is None


def test_it_gives_a_range_that_reaches_both_blended_forecasts():
    f = quarterly([*SEASONAL, [30, 30, NAN, NAN]], 2)
    assert f.low <= 120.0 and f.high >= 180.0


def test_it_uses_the_mean_for_in_period_rates():
    history = [[50, 60, 70, 80], [40, 50, 60, 70], [45, NAN, NAN, NAN]]
    f = quarterly(history, 1, aggregate="mean")
    # Year means were 1.3 x and 1.375 x the first quarter: geometric mean of the ratios. Last
    # year's rest of the year moves a quarter as far as the first quarter did (65 - 5 / 4).
    pattern, last_year = 45 * math.sqrt(1.3 * 1.375), 55 + (45 - 40) / 4
    assert min(pattern, last_year) < f.value < max(pattern, last_year)


def test_it_treats_ytd_totals_as_a_ratio_of_year_end_to_the_same_point():
    history = [[10, 30, 60, 100], [20, 60, 120, 200], [15, 45, NAN, NAN]]
    f = quarterly(history, 2, accumulation="ytd")
    # Pattern 45 x 200 / 60 = 150 (exact in the year that can be checked, weight 3/4);
    # last year's change from June to March: 45 + 140 = 185 (out by 70 in that year).
    assert f.value == pytest.approx(0.75 * 150 + 0.25 * 185)


def test_it_carries_the_usual_seasonal_change_onto_a_snapshot():
    history = [[100, 110, 120, 130], [200, 220, 240, 260], [150, 165, NAN, NAN]]
    f = quarterly(history, 2, accumulation="snapshot")
    # Pattern 165 x 130 / 110 = 195; last year's change 165 + 40 = 205; weight 3/4 on the pattern.
    assert f.value == pytest.approx(0.75 * 195 + 0.25 * 205)


def test_it_uses_differences_when_values_are_not_all_positive():
    history = [[0, -1, -2, -3], [1, 0, -1, -2], [5, 4, NAN, NAN]]
    f = quarterly(history, 2, accumulation="rolling12")
    assert f.method == "seasonal_blend"
    assert f.value == pytest.approx(2.0)  # 4 - 2, the same change in both years
    assert f.low < 2.0 < f.high


def test_it_widens_the_range_when_there_are_few_years():
    rng = np.random.default_rng(1)
    years = 100 * np.exp(rng.normal(0, 0.1, size=(9, 4)))
    current = [[years[-1, 0], NAN, NAN, NAN]]
    few = quarterly(np.vstack([years[-3:-1], current]), 1, max_years=2)
    many = quarterly(np.vstack([years[:-1], current]), 1, max_years=8)
    assert few.n_years_used == 2
    assert many.n_years_used == 8
    width = lambda f: math.log(f.high / f.low)  # noqa: E731
    assert width(few) > width(many)


def test_it_says_when_only_one_earlier_year_is_used():
    f = quarterly([[10, 10, 20, 20], [12, 14, NAN, NAN]], 2)
    # Nothing shows which did better, so an even split: 26 x 3 = 78 and 26 + 40 = 66.
    assert f.value == pytest.approx((78 + 66) / 2)
    assert f.method_text == "Based on the pattern of last year only"
    assert f.fallback_reason == "Only one earlier year is complete, so the pattern is less certain."
    assert f.low < f.value < f.high


def test_it_falls_back_to_the_run_rate_without_earlier_years():
    f = quarterly([[10, 14, NAN, NAN]], 2)
    assert f.value == pytest.approx(48.0)
    assert f.method == "run_rate"
    assert f.fallback_reason == "There are no earlier years to learn the seasonal pattern from."
    assert f.low < 48 < f.high


def test_it_carries_a_snapshot_forward_without_earlier_years():
    f = quarterly([[5, 7, 6, NAN]], 3, accumulation="snapshot")
    assert (f.value, f.method) == (6.0, "carry_forward")
    assert f.method_text == "The latest value carried forward to the year end"


def test_it_carries_a_running_rate_forward():
    f = quarterly([[50, 52, NAN, NAN]], 2, accumulation="ytd", aggregate="mean")
    assert (f.value, f.method) == (52.0, "carry_forward")


def test_it_explains_why_incomplete_earlier_years_are_not_used():
    f = quarterly([[10, NAN, 20, 20], [12, 14, NAN, NAN]], 2)
    assert f.method == "run_rate"
    assert f.fallback_reason.startswith("No earlier year has the values needed")


def test_it_gives_no_range_when_one_value_cannot_show_the_noise():
    f = quarterly([[12, NAN, NAN, NAN]], 1)
    assert f.value == 48.0
    assert (f.low, f.high) == (None, None)


def test_it_learns_from_the_same_quarters_when_this_year_has_a_gap():
    history = [[10, 20, 30, 40], [20, 40, 60, 80], [15, NAN, 45, NAN]]
    f = quarterly(history, 3)
    # Quarters 1 and 3 only: pattern 60 x 100 / 40 = 150, last year's rest 60 + 120 = 180.
    assert f.value == pytest.approx(0.75 * 150 + 0.25 * 180)


def test_it_returns_the_outturn_when_the_year_is_complete():
    f = quarterly([[1, 2, 3, 4]], 4, target=10, polarity="higher")
    assert (f.value, f.low, f.high, f.method) == (10.0, 10.0, 10.0, "actual")
    assert f.probability_of_meeting_target == 1.0


def test_it_gives_no_forecast_before_the_first_value():
    f = quarterly([[1, 2, 3, 4], [NAN] * 4], 0, target=10)
    assert f.value is None
    assert f.method == "none"
    assert f.probability_of_meeting_target is None


def test_it_ignores_future_cells_of_the_current_year():
    a = quarterly([*SEASONAL, [30, 30, NAN, NAN]], 2)
    b = quarterly([*SEASONAL, [30, 30, 999, 999]], 2)
    assert a == b


def test_it_uses_only_the_latest_years():
    old = [[1, 1, 100, 100]]
    f = quarterly([*old, *SEASONAL, [30, 30, NAN, NAN]], 2, max_years=3)
    assert f == quarterly([*SEASONAL, [30, 30, NAN, NAN]], 2)


NOISY = [[10, 12, 20, 22], [20, 18, 40, 45], [15, 16, 28, 30], [30, 30, NAN, NAN]]


@pytest.mark.parametrize(
    ("polarity", "target", "band", "expected"),
    [
        ("higher", 50, None, 1.0),
        ("higher", 600, None, 0.0),
        ("lower", 50, None, 0.0),
        ("lower", 600, None, 1.0),
        ("band", None, (50, 600), 1.0),
        ("band", None, (500, 600), 0.0),
        ("none", 100, None, None),
        ("higher", None, None, None),
    ],
)
def test_it_gives_a_polarity_aware_chance_of_meeting_the_target(polarity, target, band, expected):
    f = quarterly(NOISY, 2, target=target, polarity=polarity, band=band)
    if expected is None:
        assert f.probability_of_meeting_target is None
    else:
        assert f.probability_of_meeting_target == pytest.approx(expected, abs=0.01)


def test_it_gives_an_even_chance_when_the_target_is_the_forecast():
    f = quarterly(NOISY, 2)
    higher = quarterly(NOISY, 2, target=f.value, polarity="higher")
    lower = quarterly(NOISY, 2, target=f.value, polarity="lower")
    assert higher.probability_of_meeting_target == pytest.approx(0.5)
    assert lower.probability_of_meeting_target == pytest.approx(0.5)


def test_it_gives_ten_percent_chance_at_each_end_of_the_range():
    f = quarterly(NOISY, 2)
    at_high = quarterly(NOISY, 2, target=f.high, polarity="higher")
    in_range = quarterly(NOISY, 2, band=(f.low, f.high), polarity="band")
    assert at_high.probability_of_meeting_target == pytest.approx(0.1)
    assert in_range.probability_of_meeting_target == pytest.approx(0.8)


def test_it_forecasts_a_batch_with_different_targets():
    out = forecast_batch(
        [np.array(NOISY), np.array(NOISY)],
        targets=[100, 400],
        accumulation="in_period",
        periods_per_year=4,
        periods_elapsed=2,
    )
    assert [f.probability_of_meeting_target > 0.5 for f in out] == [True, False]


@pytest.mark.parametrize(
    "kwargs",
    [
        {"accumulation": "weekly"},
        {"aggregate": "median"},
        {"periods_elapsed": 5},
        {"polarity": "band"},
        {"polarity": "up"},
    ],
)
def test_it_rejects_bad_arguments(kwargs):
    args = {"accumulation": "in_period", "periods_elapsed": 2} | kwargs
    with pytest.raises(ValueError):
        forecast_year_end(NOISY, periods_per_year=4, **args)


def test_it_rejects_a_history_with_the_wrong_number_of_periods():
    with pytest.raises(ValueError):
        forecast_year_end([[1, 2, 3]], accumulation="ytd", periods_per_year=4, periods_elapsed=1)


values = st.floats(min_value=0.5, max_value=1000, allow_nan=False)


@settings(max_examples=200, deadline=None)
@given(
    grid=st.lists(st.lists(values, min_size=4, max_size=4), min_size=1, max_size=6),
    elapsed=st.integers(1, 3),
    accumulation=st.sampled_from(["ytd", "in_period", "snapshot", "rolling12"]),
    aggregate=st.sampled_from(["sum", "mean"]),
    target=values,
)
def test_it_always_brackets_the_forecast_and_gives_a_chance_between_0_and_1(
    grid, elapsed, accumulation, aggregate, target
):
    f = quarterly(grid, elapsed, accumulation=accumulation, aggregate=aggregate, target=target)
    assert f.value is not None and math.isfinite(f.value)
    if f.low is not None:
        assert f.low <= f.value * (1 + 1e-9) and f.value <= f.high * (1 + 1e-9)
    assert 0.0 <= f.probability_of_meeting_target <= 1.0


def test_it_keeps_the_usual_pattern_after_one_odd_earlier_year():
    lockdown = [1, 1, 40, 40]  # a spring with almost nothing done
    f = quarterly([*SEASONAL, lockdown, [30, 30, NAN, NAN]], 2)
    # The median share is still a third (180); last year's odd rest of the year (60 + 80 = 140)
    # pulls it down a little, and the range says how unsure that makes it.
    assert 140 < f.value < 180
    assert f.low < 140 and f.high > 180


def test_it_never_gives_a_range_narrower_than_this_years_noise():
    quiet = quarterly([*SEASONAL, [30, 30, NAN, NAN]], 2)
    noisy = quarterly([*SEASONAL, [20, 40, NAN, NAN]], 2)
    assert noisy.value == pytest.approx(quiet.value)
    assert noisy.high / noisy.value > quiet.high / quiet.value


def test_it_leans_on_last_years_figures_when_they_forecast_earlier_years_better():
    # The second half is always 100 while the first half wanders, so the share of the year done
    # by September misleads and last year's second half was exactly right in every year checked.
    history = [[10, 10, 50, 50], [30, 30, 50, 50], [20, 20, 50, 50], [25, 25, NAN, NAN]]
    f = quarterly(history, 2)
    pattern, last_year = 50 * 3.5, 50 + 100  # median share: 40 of 140
    # Weight on the pattern 1/6: only the pretend even year gives it any (1 / (2 x 2 + 2)).
    assert f.value == pytest.approx(pattern / 6 + last_year * 5 / 6)


@pytest.mark.parametrize(
    ("history", "elapsed", "expected"),
    [
        ([[10, 10, 20, 20], [12, 14, NAN, NAN]], 2, "Based on the pattern of last year only"),
        ([*SEASONAL, [30, 30, NAN, NAN]], 2, "Based on the pattern of the last three years"),
    ],
)
def test_it_names_how_many_earlier_years_it_learned_from(history, elapsed, expected):
    assert quarterly(history, elapsed).method_text == expected


def test_it_learns_its_weights_only_from_years_before_the_one_forecast():
    base = [*SEASONAL, [30, 30, NAN, NAN]]
    changed_future = [*SEASONAL, [30, 30, 1000, 1]]
    assert quarterly(base, 2) == quarterly(changed_future, 2)
