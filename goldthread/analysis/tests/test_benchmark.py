import math

import pytest

from goldthread.analysis.benchmark import benchmark_position

GROUP = [10.0, 20.0, 30.0, 40.0, 50.0, 60.0, 70.0, 80.0]


@pytest.mark.parametrize(
    ("value", "polarity", "band", "rank", "quartile"),
    [
        (80.0, "higher", None, 1, 1),
        (10.0, "higher", None, 8, 4),
        (30.0, "higher", None, 6, 3),
        (10.0, "lower", None, 1, 1),
        (80.0, "lower", None, 8, 4),
        (30.0, "lower", None, 3, 2),
        (40.0, "band", (35.0, 45.0), 1, 1),
        (10.0, "band", (35.0, 45.0), 6, 3),  # ties with 70 (both 25 away)
        (80.0, "band", (35.0, 45.0), 8, 4),
        (50.0, "band", (35.0, 45.0), 2, 1),
    ],
)
def test_it_ranks_each_polarity(value, polarity, band, rank, quartile):
    pos = benchmark_position(value, GROUP, polarity=polarity, band=band)
    assert (pos.rank, pos.out_of, pos.quartile) == (rank, 8, quartile)


def test_it_ranks_lowest_first_when_lower_is_better():
    pos = benchmark_position(1.0, [3.0, 2.0, 1.0, 4.0, 5.0], polarity="lower")
    assert pos.rank == 1
    assert pos.band_text == "In the best quarter of 5 comparators."


def test_it_gives_tied_values_the_same_rank():
    group = [5.0, 7.0, 7.0, 9.0, 1.0]
    ranks = [benchmark_position(v, group, polarity="higher").rank for v in group]
    assert ranks == [4, 2, 2, 1, 5]


def test_it_treats_float_noise_as_a_tie():
    pos = benchmark_position(0.1 + 0.2, [0.3, 0.1 + 0.2, 0.5, 0.6, 0.7], polarity="lower")
    assert pos.rank == 1


def test_it_measures_distance_in_unscaled_mads():
    pos = benchmark_position(80.0, GROUP, polarity="higher")
    assert pos.median == 45.0
    assert pos.mad == 20.0  # |x - 45| = 35,25,15,5,5,15,25,35 -> median 20
    assert pos.distance_in_mads == pytest.approx(35.0 / 20.0)


def test_it_signs_distance_so_positive_is_better_when_lower_is_better():
    pos = benchmark_position(10.0, GROUP, polarity="lower")
    assert pos.distance_in_mads == pytest.approx(35.0 / 20.0)
    worse = benchmark_position(80.0, GROUP, polarity="lower")
    assert worse.distance_in_mads == pytest.approx(-35.0 / 20.0)


def test_it_measures_band_distance_as_nearer_the_band_than_the_median():
    pos = benchmark_position(40.0, GROUP, polarity="band", band=(38.0, 42.0))
    # median 45 is 3 outside the band, 40 is inside: 3 / 20 better.
    assert pos.distance_in_mads == pytest.approx(3.0 / 20.0)


def test_it_does_not_call_anything_best_for_context_indicators():
    pos = benchmark_position(70.0, GROUP, polarity="none")
    assert pos.rank is None
    assert pos.quartile is None
    assert pos.band_text == "Higher than the middle value of 8 comparators."
    assert pos.distance_in_mads == pytest.approx(25.0 / 20.0)


def test_it_says_when_a_context_value_is_the_middle_value():
    pos = benchmark_position(3.0, [1.0, 3.0, 5.0, 2.0, 4.0], polarity="none")
    assert pos.band_text == "The same as the middle value of 5 comparators."


def test_it_drops_missing_comparators_and_says_how_many():
    group = [1.0, None, 3.0, math.nan, 5.0, 6.0, 7.0]
    pos = benchmark_position(7.0, group, polarity="higher")
    assert pos.out_of == 5
    assert pos.rank == 1
    assert "Two comparator values were missing and left out." in pos.warnings


def test_it_says_one_missing_value_in_the_singular():
    pos = benchmark_position(7.0, [None, 1.0, 2.0, 3.0, 4.0, 7.0], polarity="higher")
    assert "One comparator value was missing and left out." in pos.warnings


def test_it_cannot_place_a_council_with_no_value():
    pos = benchmark_position(None, GROUP, polarity="higher")
    assert (pos.rank, pos.quartile, pos.distance_in_mads) == (None, None, None)
    assert pos.median == 45.0
    assert any("no value for this council" in w for w in pos.warnings)
    assert pos.band_text.startswith("No value for this council")


@pytest.mark.parametrize(
    ("group", "value", "text", "rank"),
    [
        ([4.0], 4.0, "1st best of one council.", 1),
        ([4.0, 2.0], 2.0, "2nd best of two councils.", 2),
        ([4.0, 2.0, 3.0], 3.0, "2nd best of three councils.", 2),
    ],
)
def test_it_gives_no_quartile_for_groups_of_one_to_three(group, value, text, rank):
    pos = benchmark_position(value, group, polarity="higher")
    assert pos.quartile is None
    assert pos.rank == rank
    assert pos.band_text == text
    assert any("fewer than 5" in w for w in pos.warnings)


def test_it_warns_about_a_group_smaller_than_the_minimum():
    pos = benchmark_position(4.0, [1.0, 2.0, 3.0, 4.0], polarity="higher", min_group=5)
    assert pos.quartile == 1
    assert any("Only four councils in the group" in w for w in pos.warnings)


def test_it_gives_no_distance_when_all_values_are_equal():
    pos = benchmark_position(5.0, [5.0] * 6, polarity="higher")
    assert pos.rank == 1
    assert pos.quartile == 1
    assert pos.mad == 0.0
    assert pos.distance_in_mads is None
    assert any("median absolute deviations" in w for w in pos.warnings)


def test_it_adds_the_council_when_the_list_excludes_it():
    pos = benchmark_position(100.0, GROUP, polarity="higher", include_self=False)
    assert pos.out_of == 9
    assert pos.rank == 1
    assert pos.median == 45.0  # the others only


def test_it_warns_when_the_list_should_include_the_council_but_does_not():
    pos = benchmark_position(100.0, GROUP, polarity="higher")
    assert any("not in the comparator list" in w for w in pos.warnings)


def test_it_says_so_when_there_are_no_comparators():
    pos = benchmark_position(1.0, [], polarity="higher", include_self=False)
    assert pos.out_of == 1
    pos = benchmark_position(None, [None], polarity="higher")
    assert pos.out_of == 0
    assert pos.band_text == "No comparator data."
    assert pos.median is None


@pytest.mark.parametrize("polarity", ["up", "band"])
def test_it_rejects_bad_polarity_arguments(polarity):
    with pytest.raises(ValueError):
        benchmark_position(1.0, GROUP, polarity=polarity)


def test_it_puts_ties_in_the_same_quartile():
    group = [1.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0, 9.0]
    quartiles = {benchmark_position(2.0, group, polarity="lower").quartile}
    assert quartiles == {1}
