import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from goldthread.analysis.status import (
    DEFAULT_RULES,
    DIRECTION_ORDER,
    RAG_ORDER,
    Direction,
    JudgementRules,
    Polarity,
    Rag,
    ToleranceKind,
    direction,
    direction_batch,
    direction_codes,
    rag,
    rag_batch,
    rag_codes,
    round_half_up,
)

HIGHER, LOWER, BAND, NONE = Polarity.HIGHER, Polarity.LOWER, Polarity.BAND, Polarity.NONE
GREEN, AMBER, RED = Rag.GREEN, Rag.AMBER, Rag.RED
ABSOLUTE, PERCENT = ToleranceKind.ABSOLUTE, ToleranceKind.PERCENT
NAN = math.nan

# --- RAG: higher and lower is better ------------------------------------------------------

# Target 80 with the default 5% tolerance: amber from 76 (higher) or up to 84 (lower).
EDGE_CASES = [
    pytest.param(HIGHER, 90, GREEN, id="higher-above-target"),
    pytest.param(HIGHER, 80, GREEN, id="higher-exactly-on-target"),
    pytest.param(HIGHER, 79.99, AMBER, id="higher-just-below-target"),
    pytest.param(HIGHER, 76, AMBER, id="higher-exactly-on-amber-edge"),
    pytest.param(HIGHER, 75.99, RED, id="higher-just-beyond-amber-edge"),
    pytest.param(HIGHER, -5, RED, id="higher-far-below"),
    pytest.param(LOWER, 70, GREEN, id="lower-below-target"),
    pytest.param(LOWER, 80, GREEN, id="lower-exactly-on-target"),
    pytest.param(LOWER, 80.01, AMBER, id="lower-just-above-target"),
    pytest.param(LOWER, 84, AMBER, id="lower-exactly-on-amber-edge"),
    pytest.param(LOWER, 84.01, RED, id="lower-just-beyond-amber-edge"),
]


@pytest.mark.parametrize(("polarity", "value", "expected"), EDGE_CASES)
def test_it_judges_each_band_edge_against_a_target_of_80(polarity, value, expected):
    assert rag(value, 80, polarity=polarity) is expected


def test_a_value_exactly_on_target_is_green_for_higher_is_better():
    assert rag(50, 50, polarity=HIGHER) is GREEN


def test_a_value_exactly_on_target_is_green_for_lower_is_better():
    assert rag(50, 50, polarity=LOWER) is GREEN


@pytest.mark.parametrize(
    ("polarity", "value", "tolerance", "kind", "expected"),
    [
        pytest.param(HIGHER, 78, 2, ABSOLUTE, AMBER, id="absolute-on-edge"),
        pytest.param(HIGHER, 77.9, 2, ABSOLUTE, RED, id="absolute-beyond-edge"),
        pytest.param(HIGHER, 72, 10, PERCENT, AMBER, id="percent-on-edge"),
        pytest.param(HIGHER, 71.9, 10, PERCENT, RED, id="percent-beyond-edge"),
        pytest.param(LOWER, 82, 2, ABSOLUTE, AMBER, id="lower-absolute-on-edge"),
        pytest.param(LOWER, 88, 10, PERCENT, AMBER, id="lower-percent-on-edge"),
        pytest.param(HIGHER, 79.99, 0, ABSOLUTE, RED, id="zero-tolerance-no-amber"),
        pytest.param(HIGHER, 80, 0, ABSOLUTE, GREEN, id="zero-tolerance-on-target"),
        pytest.param(LOWER, 80.01, 0, PERCENT, RED, id="zero-percent-no-amber"),
        pytest.param(HIGHER, 76, None, None, AMBER, id="default-5-percent"),
        pytest.param(HIGHER, 78, 2, None, RED, id="tolerance-without-kind-uses-default-kind"),
    ],
)
def test_it_applies_the_tolerance_given(polarity, value, tolerance, kind, expected):
    result = rag(value, 80, polarity=polarity, tolerance=tolerance, tolerance_kind=kind)
    assert result is expected


@pytest.mark.parametrize(
    ("polarity", "value", "expected"),
    [
        pytest.param(HIGHER, -10, GREEN, id="higher-on-negative-target"),
        pytest.param(HIGHER, -10.5, AMBER, id="higher-on-amber-edge-uses-size-of-target"),
        pytest.param(HIGHER, -10.51, RED, id="higher-beyond-negative-edge"),
        pytest.param(LOWER, -10, GREEN, id="lower-on-negative-target"),
        pytest.param(LOWER, -9.5, AMBER, id="lower-on-amber-edge"),
        pytest.param(LOWER, -9.49, RED, id="lower-beyond-negative-edge"),
    ],
)
def test_a_percentage_tolerance_on_a_negative_target_is_a_share_of_its_size(
    polarity, value, expected
):
    assert rag(value, -10, polarity=polarity) is expected


@pytest.mark.parametrize(
    ("polarity", "value", "tolerance", "kind", "expected"),
    [
        pytest.param(HIGHER, 0, 5, PERCENT, GREEN, id="on-zero-target"),
        pytest.param(HIGHER, -0.001, 5, PERCENT, RED, id="percent-of-zero-is-no-amber"),
        pytest.param(LOWER, 0.001, 50, PERCENT, RED, id="lower-percent-of-zero-is-no-amber"),
        pytest.param(HIGHER, -0.5, 1, ABSOLUTE, AMBER, id="absolute-tolerance-still-works"),
    ],
)
def test_a_zero_target_has_no_amber_with_a_percentage_tolerance(
    polarity, value, tolerance, kind, expected
):
    assert rag(value, 0, polarity=polarity, tolerance=tolerance, tolerance_kind=kind) is expected


# --- RAG: nearest a band -----------------------------------------------------------------

# Band 10 to 20 with 10% tolerance: amber down to 9 (10% of 10) and up to 22 (10% of 20).
BAND_CASES = [
    pytest.param(15, GREEN, id="inside"),
    pytest.param(10, GREEN, id="on-low-edge"),
    pytest.param(20, GREEN, id="on-high-edge"),
    pytest.param(9.99, AMBER, id="just-below"),
    pytest.param(9, AMBER, id="on-low-amber-edge"),
    pytest.param(8.99, RED, id="beyond-low-amber-edge"),
    pytest.param(20.01, AMBER, id="just-above"),
    pytest.param(22, AMBER, id="on-high-amber-edge-uses-the-high-end"),
    pytest.param(22.01, RED, id="beyond-high-amber-edge"),
]


@pytest.mark.parametrize(("value", "expected"), BAND_CASES)
def test_it_judges_a_band_indicator_by_the_end_it_fell_beyond(value, expected):
    assert rag(value, None, polarity=BAND, band=(10, 20), tolerance=10) is expected


@pytest.mark.parametrize(
    ("value", "target", "band", "expected"),
    [
        pytest.param(50, 50, None, GREEN, id="single-target-is-a-one-point-band"),
        pytest.param(52.5, 50, None, AMBER, id="single-target-amber-above"),
        pytest.param(47.5, 50, None, AMBER, id="single-target-amber-below"),
        pytest.param(47.4, 50, None, RED, id="single-target-red"),
        pytest.param(50, None, None, Rag.NO_TARGET, id="no-band-and-no-target"),
        pytest.param(50, None, (40, None), Rag.NO_TARGET, id="half-a-band-is-no-band"),
        pytest.param(50, 10, (40, 60), GREEN, id="band-wins-over-target"),
    ],
)
def test_a_band_indicator_needs_a_band_or_a_target(value, target, band, expected):
    assert rag(value, target, polarity=BAND, band=band) is expected


def test_it_refuses_a_band_that_runs_backwards():
    with pytest.raises(ValueError, match="low to high"):
        rag(1, None, polarity=BAND, band=(20, 10))


# --- RAG: no judgement -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "target", "polarity", "is_context", "expected"),
    [
        pytest.param(5, 10, HIGHER, True, Rag.CONTEXT, id="context-indicator"),
        pytest.param(None, None, HIGHER, True, Rag.CONTEXT, id="context-even-without-data"),
        pytest.param(5, 10, NONE, False, Rag.CONTEXT, id="polarity-none"),
        pytest.param(None, 10, HIGHER, False, Rag.NO_DATA, id="missing-value"),
        pytest.param(NAN, 10, LOWER, False, Rag.NO_DATA, id="nan-value"),
        pytest.param(math.inf, 10, LOWER, False, Rag.NO_DATA, id="infinite-value"),
        pytest.param(None, None, HIGHER, False, Rag.NO_DATA, id="no-data-before-no-target"),
        pytest.param(5, None, HIGHER, False, Rag.NO_TARGET, id="missing-target"),
        pytest.param(5, NAN, LOWER, False, Rag.NO_TARGET, id="nan-target"),
    ],
)
def test_it_says_why_there_is_no_rag(value, target, polarity, is_context, expected):
    assert rag(value, target, polarity=polarity, is_context=is_context) is expected


# --- RAG: rounding -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "target", "decimals", "expected"),
    [
        pytest.param(79.96, 80, 1, GREEN, id="rounds-up-onto-target"),
        pytest.param(79.94, 80, 1, RED, id="rounds-down-off-target"),
        pytest.param(79.95, 80, 1, GREEN, id="half-rounds-away-from-zero"),
        pytest.param(79.5, 80, 0, GREEN, id="half-to-whole-number"),
        pytest.param(2.675, 2.68, 2, GREEN, id="decimal-half-not-binary-noise"),
        pytest.param(80, 80.04, 1, GREEN, id="target-is-rounded-too"),
        pytest.param(79.96, 80, None, RED, id="no-rounding-without-decimals"),
    ],
)
def test_it_rounds_to_the_decimals_people_see_before_judging(value, target, decimals, expected):
    assert rag(value, target, polarity=HIGHER, tolerance=0, decimals=decimals) is expected


def test_floating_point_noise_does_not_make_a_value_miss_its_target():
    assert rag(0.1 + 0.2, 0.3, polarity=LOWER, tolerance=0) is GREEN
    assert rag(0.27, 0.3, polarity=HIGHER, tolerance=10) is AMBER


@pytest.mark.parametrize(
    ("x", "decimals", "expected"),
    [
        pytest.param(2.5, 0, 3.0, id="half-up"),
        pytest.param(-2.5, 0, -3.0, id="negative-half-away-from-zero"),
        pytest.param(3.5, 0, 4.0, id="not-bankers-rounding"),
        pytest.param(2.675, 2, 2.68, id="binary-noise-cleaned"),
        pytest.param(1.005, 2, 1.01, id="another-binary-half"),
        pytest.param(-0.4, 0, 0.0, id="no-negative-zero"),
        pytest.param(1234.5678, 1, 1234.6, id="larger-number"),
    ],
)
def test_it_rounds_half_away_from_zero(x, decimals, expected):
    result = round_half_up(x, decimals)
    assert result == expected
    assert math.copysign(1, result) == math.copysign(1, expected)


def test_it_refuses_a_negative_tolerance_and_bad_decimals():
    with pytest.raises(ValueError, match="tolerance"):
        rag(1, 2, polarity=HIGHER, tolerance=-1)
    with pytest.raises(ValueError, match="decimals"):
        rag(1, 2, polarity=HIGHER, decimals=-1)


def test_a_council_can_change_the_default_tolerance():
    strict = JudgementRules(default_tolerance=1, default_tolerance_kind=ABSOLUTE)
    assert rag(79, 80, polarity=HIGHER, rules=strict) is AMBER
    assert rag(78.9, 80, polarity=HIGHER, rules=strict) is RED


@pytest.mark.parametrize(
    ("rag_value", "label"),
    [
        pytest.param(GREEN, "On target", id="green"),
        pytest.param(AMBER, "Near target", id="amber"),
        pytest.param(RED, "Off target", id="red"),
        pytest.param(Rag.NO_DATA, "No data", id="no-data"),
        pytest.param(Rag.NO_TARGET, "No target", id="no-target"),
        pytest.param(Rag.CONTEXT, "Context only", id="context"),
    ],
)
def test_every_status_has_a_plain_english_label(rag_value, label):
    assert rag_value.label == label
    assert RAG_ORDER[rag_value.code] is rag_value


# --- Judgement rules ---------------------------------------------------------------------


def test_judgement_rules_survive_a_round_trip_through_a_dict():
    rules = JudgementRules(2.5, ABSOLUTE, 0.1)
    assert rules.to_dict() == {
        "default_tolerance": 2.5,
        "default_tolerance_kind": "absolute",
        "direction_threshold": 0.1,
    }
    assert JudgementRules.from_dict(rules.to_dict()) == rules


@pytest.mark.parametrize(
    "data",
    [
        pytest.param({"default_tolerance": -1}, id="negative-tolerance"),
        pytest.param({"direction_threshold": NAN}, id="nan-threshold"),
        pytest.param({"default_tolerance_kind": "fraction"}, id="unknown-kind"),
        pytest.param({"tolerance": 5}, id="unknown-setting"),
    ],
)
def test_it_refuses_judgement_rules_that_make_no_sense(data):
    with pytest.raises(ValueError):
        JudgementRules.from_dict(data)


# --- Direction of travel -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("polarity", "current", "previous", "expected"),
    [
        pytest.param(HIGHER, 11, 10, Direction.IMPROVING, id="higher-up"),
        pytest.param(HIGHER, 9, 10, Direction.WORSENING, id="higher-down"),
        pytest.param(HIGHER, 10, 10, Direction.NO_CHANGE, id="higher-level"),
        pytest.param(LOWER, 9, 10, Direction.IMPROVING, id="lower-down"),
        pytest.param(LOWER, 11, 10, Direction.WORSENING, id="lower-up"),
        pytest.param(NONE, 11, 10, Direction.INCREASED, id="none-up"),
        pytest.param(NONE, 9, 10, Direction.DECREASED, id="none-down"),
        pytest.param(NONE, 10, 10, Direction.NO_CHANGE, id="none-level"),
        pytest.param(HIGHER, None, 10, Direction.NOT_COMPARABLE, id="no-current"),
        pytest.param(LOWER, 10, NAN, Direction.NOT_COMPARABLE, id="nan-previous"),
        pytest.param(HIGHER, -1, -2, Direction.IMPROVING, id="negative-values"),
        pytest.param(HIGHER, 0.1 + 0.2, 0.3, Direction.NO_CHANGE, id="noise-is-no-change"),
    ],
)
def test_it_judges_direction_of_travel_by_polarity(polarity, current, previous, expected):
    assert direction(current, previous, polarity=polarity) is expected


@pytest.mark.parametrize(
    ("current", "previous", "band", "expected"),
    [
        pytest.param(9, 8, (10, 20), Direction.IMPROVING, id="closer-from-below"),
        pytest.param(21, 25, (10, 20), Direction.IMPROVING, id="closer-from-above"),
        pytest.param(25, 21, (10, 20), Direction.WORSENING, id="further-above"),
        pytest.param(15, 25, (10, 20), Direction.IMPROVING, id="into-the-band"),
        pytest.param(25, 15, (10, 20), Direction.WORSENING, id="out-of-the-band"),
        pytest.param(18, 12, (10, 20), Direction.NO_CHANGE, id="moving-inside-the-band"),
        pytest.param(10, 20, (10, 20), Direction.NO_CHANGE, id="edge-to-edge"),
        pytest.param(8, 22, (10, 20), Direction.NO_CHANGE, id="same-distance-either-side"),
        pytest.param(7, 22, (10, 20), Direction.WORSENING, id="further-on-the-other-side"),
        pytest.param(12, 10, None, Direction.INCREASED, id="no-band-says-only-which-way"),
    ],
)
def test_a_band_indicator_improves_by_moving_closer_to_its_band(current, previous, band, expected):
    assert direction(current, previous, polarity=BAND, band=band) is expected


@pytest.mark.parametrize(
    ("current", "previous", "threshold", "decimals", "expected"),
    [
        pytest.param(10.5, 10, 0.5, None, Direction.NO_CHANGE, id="change-equal-to-threshold"),
        pytest.param(10.51, 10, 0.5, None, Direction.IMPROVING, id="change-above-threshold"),
        pytest.param(10.04, 10, 0, 1, Direction.NO_CHANGE, id="rounded-away"),
        pytest.param(10.05, 10, 0, 1, Direction.IMPROVING, id="rounded-up-to-a-change"),
        pytest.param(0.3, 0.2, 0.1, None, Direction.NO_CHANGE, id="threshold-despite-noise"),
    ],
)
def test_a_change_within_the_direction_threshold_is_no_change(
    current, previous, threshold, decimals, expected
):
    rules = JudgementRules(direction_threshold=threshold)
    result = direction(current, previous, polarity=HIGHER, decimals=decimals, rules=rules)
    assert result is expected


@pytest.mark.parametrize(
    ("member", "label", "arrow"),
    [
        pytest.param(Direction.IMPROVING, "Improving", "up", id="improving"),
        pytest.param(Direction.WORSENING, "Getting worse", "down", id="worsening"),
        pytest.param(Direction.NO_CHANGE, "No change", "level", id="no-change"),
        pytest.param(Direction.NOT_COMPARABLE, "Not comparable", "none", id="not-comparable"),
        pytest.param(Direction.INCREASED, "Increased", "up", id="increased"),
        pytest.param(Direction.DECREASED, "Decreased", "down", id="decreased"),
    ],
)
def test_every_direction_has_a_label_and_an_arrow_word(member, label, arrow):
    assert (member.label, member.arrow) == (label, arrow)
    assert DIRECTION_ORDER[member.code] is member


# --- Arrays agree with single values ------------------------------------------------------


def test_it_judges_a_whole_array_at_once():
    result = rag_batch(
        [90, 76, 75.9, NAN, 15, 5],
        [80, 80, 80, 80, NAN, 10],
        polarities=["higher", "higher", "higher", "lower", "band", "none"],
        bands_low=[NAN, NAN, NAN, NAN, 10, NAN],
        bands_high=[NAN, NAN, NAN, NAN, 20, NAN],
    )
    assert list(result) == [GREEN, AMBER, RED, Rag.NO_DATA, GREEN, Rag.CONTEXT]


def test_it_broadcasts_single_settings_across_an_array():
    codes = rag_codes(
        [80, 79, 70], 80, polarities="higher", tolerances=2, tolerance_kinds="absolute"
    )
    assert [RAG_ORDER[c] for c in codes] == [GREEN, AMBER, RED]


def test_it_judges_a_whole_array_of_directions_at_once():
    result = direction_batch(
        [11, 11, 11, NAN], [10, 10, 10, 10], polarities=["higher", "lower", "none", "band"]
    )
    assert list(result) == [
        Direction.IMPROVING,
        Direction.WORSENING,
        Direction.INCREASED,
        Direction.NOT_COMPARABLE,
    ]


def test_it_refuses_unknown_polarities_and_backwards_bands_in_arrays():
    with pytest.raises(ValueError, match="Unknown polarity"):
        rag_codes([1], [1], polarities=["upwards"])
    with pytest.raises(ValueError, match="low to high"):
        rag_codes([1], [1], polarities=["band"], bands_low=[5], bands_high=[1])


# Numbers on a half-unit grid, so exact ties and exact amber edges come up often.
grid = st.integers(-40, 40).map(lambda n: n / 2)
wild = st.floats(-1e6, 1e6, allow_nan=False)
number = st.one_of(grid, grid, wild, st.just(NAN), st.none())


@st.composite
def rag_rows(draw):
    low, high = sorted([draw(grid), draw(grid)])
    if draw(st.booleans()):
        low, high = NAN, NAN
    return {
        "value": draw(number),
        "target": draw(number),
        "polarity": draw(st.sampled_from(list(Polarity))),
        "tolerance": draw(st.one_of(st.none(), st.sampled_from([0, 0.5, 1, 2.5, 5, 10, 50]))),
        "kind": draw(st.sampled_from([None, "absolute", "percent"])),
        "band": (low, high),
        "decimals": draw(st.sampled_from([None, 0, 1, 2])),
        "is_context": draw(st.booleans()),
    }


RULES = st.builds(
    JudgementRules,
    st.sampled_from([0, 1, 5]),
    st.sampled_from(list(ToleranceKind)),
    st.sampled_from([0, 0.5, 1]),
)


def _nan(x):
    return NAN if x is None else x


@given(st.lists(rag_rows(), min_size=1, max_size=30), RULES)
def test_rag_for_an_array_matches_rag_for_each_value(rows, rules):
    codes = rag_codes(
        [_nan(r["value"]) for r in rows],
        [_nan(r["target"]) for r in rows],
        polarities=[r["polarity"] for r in rows],
        tolerances=[_nan(r["tolerance"]) for r in rows],
        tolerance_kinds=[r["kind"] for r in rows],
        bands_low=[r["band"][0] for r in rows],
        bands_high=[r["band"][1] for r in rows],
        decimals=[_nan(r["decimals"]) for r in rows],
        is_context=[r["is_context"] for r in rows],
        rules=rules,
    )
    assert [RAG_ORDER[c] for c in codes] == _rag_singles(rows, rules)


def _rag_singles(rows, rules):
    return [
        rag(
            r["value"],
            r["target"],
            polarity=r["polarity"],
            tolerance=r["tolerance"],
            tolerance_kind=r["kind"],
            band=r["band"],
            decimals=r["decimals"],
            is_context=r["is_context"],
            rules=rules,
        )
        for r in rows
    ]


@st.composite
def direction_rows(draw):
    low, high = sorted([draw(grid), draw(grid)])
    if draw(st.booleans()):
        low, high = NAN, NAN
    return {
        "current": draw(number),
        "previous": draw(number),
        "polarity": draw(st.sampled_from(list(Polarity))),
        "band": (low, high),
        "decimals": draw(st.sampled_from([None, 0, 1, 2])),
    }


@given(st.lists(direction_rows(), min_size=1, max_size=30), RULES)
def test_direction_for_an_array_matches_direction_for_each_value(rows, rules):
    codes = direction_codes(
        [_nan(r["current"]) for r in rows],
        [_nan(r["previous"]) for r in rows],
        polarities=[r["polarity"] for r in rows],
        bands_low=[r["band"][0] for r in rows],
        bands_high=[r["band"][1] for r in rows],
        decimals=[_nan(r["decimals"]) for r in rows],
        rules=rules,
    )
    singles = [
        direction(
            r["current"],
            r["previous"],
            polarity=r["polarity"],
            band=r["band"],
            decimals=r["decimals"],
            rules=rules,
        )
        for r in rows
    ]
    assert [DIRECTION_ORDER[c] for c in codes] == singles


@pytest.mark.parametrize(("polarity", "value", "expected"), EDGE_CASES)
def test_the_array_path_agrees_on_every_band_edge(polarity, value, expected):
    assert rag_batch(np.array([value]), np.array([80.0]), polarities=[polarity])[0] is expected


def _rag_arrays(rows, polarities, kinds, rules):
    return rag_codes(
        np.array([_nan(r["value"]) for r in rows], dtype=float),
        np.array([_nan(r["target"]) for r in rows], dtype=float),
        polarities=polarities,
        tolerances=np.array([_nan(r["tolerance"]) for r in rows], dtype=float),
        tolerance_kinds=kinds,
        bands_low=np.array([r["band"][0] for r in rows], dtype=float),
        bands_high=np.array([r["band"][1] for r in rows], dtype=float),
        decimals=np.array([_nan(r["decimals"]) for r in rows], dtype=float),
        is_context=np.array([r["is_context"] for r in rows], dtype=bool),
        rules=rules,
    )


@given(st.lists(rag_rows(), min_size=1, max_size=30), st.sampled_from(list(Polarity)), RULES)
def test_rag_for_an_array_is_the_same_however_the_choices_are_written(rows, polarity, rules):
    rows = [{**r, "polarity": polarity} for r in rows]
    kinds = [r["kind"] for r in rows]
    singles = _rag_singles(rows, rules)
    spellings = [
        (str(polarity), np.array([k or "" for k in kinds])),
        (polarity, np.array(kinds, dtype=object)),
        (np.array([str(polarity)] * len(rows)), np.array([k or "" for k in kinds], dtype="S")),
        (np.array([polarity] * len(rows), dtype=object), kinds),
    ]
    for polarities, tolerance_kinds in spellings:
        codes = _rag_arrays(rows, polarities, tolerance_kinds, rules)
        assert [RAG_ORDER[c] for c in codes] == singles


@given(st.lists(direction_rows(), min_size=1, max_size=30), st.sampled_from(list(Polarity)), RULES)
def test_direction_for_an_array_is_the_same_with_one_polarity_for_every_row(rows, polarity, rules):
    arrays = {
        "bands_low": np.array([r["band"][0] for r in rows], dtype=float),
        "bands_high": np.array([r["band"][1] for r in rows], dtype=float),
        "decimals": np.array([_nan(r["decimals"]) for r in rows], dtype=float),
        "rules": rules,
    }
    current = np.array([_nan(r["current"]) for r in rows], dtype=float)
    previous = np.array([_nan(r["previous"]) for r in rows], dtype=float)
    one = direction_codes(current, previous, polarities=str(polarity), **arrays)
    column = direction_codes(current, previous, polarities=[polarity] * len(rows), **arrays)
    singles = [
        direction(
            r["current"],
            r["previous"],
            polarity=polarity,
            band=r["band"],
            decimals=r["decimals"],
            rules=rules,
        )
        for r in rows
    ]
    assert [DIRECTION_ORDER[c] for c in one] == [DIRECTION_ORDER[c] for c in column] == singles


def test_it_names_unknown_polarities_and_tolerance_kinds_in_arrays():
    with pytest.raises(ValueError, match="Unknown polarity: sideways, upwards"):
        rag_codes([1, 2, 3], [1, 1, 1], polarities=["upwards", "higher", "sideways"])
    with pytest.raises(ValueError, match="Unknown polarity: upwards"):
        direction_codes([1], [2], polarities="upwards")
    with pytest.raises(ValueError, match="Unknown polarity: None"):
        rag_codes([1], [1], polarities=[None])
    with pytest.raises(ValueError, match="Unknown tolerancekind: points"):
        rag_codes(
            [1, 2],
            [1, 1],
            polarities="higher",
            tolerances=[1, 1],
            tolerance_kinds=["percent", "points"],
        )


def test_a_blank_tolerance_kind_in_an_array_means_the_councils_default_kind():
    # Target 80, tolerance 5: 75.5 is amber as 5 points (down to 75), red as 5% (down to 76).
    def judged(rules, kind):
        codes = rag_codes(
            [75.5], [80.0], polarities="higher", tolerances=[5], tolerance_kinds=kind, rules=rules
        )
        return RAG_ORDER[codes[0]]

    points = JudgementRules(default_tolerance_kind=ABSOLUTE)
    for blank in ("", None, [""], [None]):
        assert judged(points, blank) is AMBER
        assert judged(DEFAULT_RULES, blank) is RED
    assert judged(points, [PERCENT]) is RED
    assert judged(DEFAULT_RULES, ["absolute"]) is AMBER
