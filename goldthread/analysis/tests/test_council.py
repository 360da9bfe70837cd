"""judge_council must agree with the single-period judge and with xmr, and say what it did."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from goldthread.analysis.council import IndicatorInput, judge_columns, judge_council
from goldthread.analysis.judge import IndicatorSpec, TargetSpec, judge_period
from goldthread.analysis.periods import Frequency, Period, parse_period
from goldthread.analysis.spc import xmr
from goldthread.analysis.status import DIRECTION_ORDER, RAG_ORDER, JudgementRules, Polarity, Rag

RULES = JudgementRules()
START = Period(Frequency.MONTHLY, 2023, 1)


def monthly(values: list[float | None], polarity=Polarity.HIGHER, target=50.0, **spec):
    series = {START.shift(i).key: v for i, v in enumerate(values) if v is not None}
    targets = {year: TargetSpec(annual_target=target, tolerance=5.0) for year in (2023, 2024)}
    return IndicatorInput(
        ident=1,
        frequency=Frequency.MONTHLY,
        spec=IndicatorSpec(
            polarity=polarity, accumulation="in_period", aggregation="average", decimals=1, **spec
        ),
        series=series,
        targets=targets,
        unit="percent",
    )


values_strategy = st.lists(
    st.one_of(st.none(), st.integers(40, 60).map(float)), min_size=1, max_size=24
)


@settings(max_examples=60, deadline=None)
@given(values=values_strategy, polarity=st.sampled_from(list(Polarity)))
def test_it_agrees_with_judging_one_period_at_a_time(values, polarity):
    item = monthly(values, polarity=polarity)
    for result in judge_council([item], RULES):
        period = parse_period(result.period)
        single = judge_period(item.series, period, item.spec, item.targets[period.year], RULES)
        assert (result.rag, result.target, result.direction_previous) == (
            single.rag,
            single.target,
            single.direction_previous,
        )
        assert result.direction_last_year == single.direction_last_year
        assert result.direction_year_end == single.direction_year_end


def _nan_is_none(x: float) -> float | None:
    return None if math.isnan(x) else x


@settings(max_examples=40, deadline=None)
@given(
    many=st.lists(
        st.tuples(values_strategy, st.sampled_from(list(Polarity)), st.integers(-3, 30)),
        min_size=1,
        max_size=4,
    )
)
def test_the_column_path_agrees_with_judging_one_period_at_a_time(many):
    """judge_columns (the storage path) for several indicators at once, with periods to judge
    that have no figure, row by row against judge_period."""
    inputs = []
    for n, (values, polarity, extra) in enumerate(many):
        item = monthly(values, polarity=polarity)
        judge = {*item.series, START.shift(extra).key}
        inputs.append(IndicatorInput(**{**vars(item), "ident": n, "judge": judge}))
    columns = judge_columns(inputs, RULES)
    assert len(columns) == sum(len(item.judge) for item in inputs)
    for i, key in enumerate(columns.period):
        item = inputs[int(columns.owner[i])]
        period = parse_period(key)
        single = judge_period(item.series, period, item.spec, item.targets.get(period.year), RULES)
        assert RAG_ORDER[columns.rag[i]] == single.rag
        assert _nan_is_none(columns.target[i]) == single.target
        assert _nan_is_none(columns.value[i]) == single.value
        assert DIRECTION_ORDER[columns.direction_previous[i]] == single.direction_previous
        assert DIRECTION_ORDER[columns.direction_last_year[i]] == single.direction_last_year
        assert DIRECTION_ORDER[columns.direction_year_end[i]] == single.direction_year_end


def test_each_point_carries_the_label_xmr_gives_it_with_gaps_kept_in_place():
    values = [50, 51, None, 49, 50, 52, 53, 54, 55, 56, 57, 58, 80]
    item = monthly(values)
    spc = xmr(values, improvement="increase", target=50.0)
    by_period = {r.period: r for r in judge_council([item], RULES)}
    for i, value in enumerate(values):
        if value is None:
            continue
        assert by_period[START.shift(i).key].spc.label == spc.label[i]
    assert by_period[START.shift(12).key].spc.label == "Above UCL"


def test_only_the_latest_period_gets_a_forecast_and_an_explanation():
    results = judge_council([monthly([48, 49, 47, 46, 45])], RULES)
    assert [r.forecast is not None for r in results] == [False] * 4 + [True]
    assert [bool(r.explanation) for r in results] == [False] * 4 + [True]
    assert results[-1].explanation.startswith("Below target")


def test_a_context_indicator_is_context_with_no_forecast_status():
    item = monthly([100, 110, 120], polarity=Polarity.NONE, is_context=True)
    results = judge_council([item], RULES)
    assert {r.rag for r in results} == {Rag.CONTEXT}
    assert results[-1].forecast_rag in (None, Rag.CONTEXT)


def test_an_indicator_with_no_figures_gives_no_judgements():
    assert judge_council([monthly([None, None])], RULES) == []


def test_a_forecast_to_miss_a_higher_is_better_target_is_red_or_amber():
    item = monthly([30.0] * 6, target=50.0)
    latest = judge_council([item], RULES)[-1]
    assert latest.forecast is not None and math.isclose(latest.forecast.value, 30.0)
    assert latest.forecast_rag == Rag.RED


@pytest.mark.parametrize("periods", [1, 2, 13])
def test_it_judges_every_figure_it_is_given(periods):
    results = judge_council([monthly([50.0] * periods)], RULES)
    assert [r.period for r in results] == [START.shift(i).key for i in range(periods)]


@settings(max_examples=40, deadline=None)
@given(values=values_strategy, polarity=st.sampled_from(list(Polarity)))
def test_each_indicators_spc_segment_is_the_one_xmr_gives(values, polarity):
    item = monthly(values, polarity=polarity)
    segments = judge_columns([item], RULES).segments
    present = [i for i, v in enumerate(values) if v is not None]
    if len(present) < 2 or present[-1] - present[0] < 1:
        assert len(segments) == 0
        return
    span = values[present[0] : present[-1] + 1]
    improvement = {"higher": "increase", "lower": "decrease"}.get(str(polarity), "neutral")
    target = 50.0 if improvement != "neutral" else None
    expected = xmr(span, improvement=improvement, target=target)
    assert len(segments) == 1
    assert (segments.first[0], segments.last[0]) == (
        START.shift(present[0]).ordinal,
        START.shift(present[-1]).ordinal,
    )
    for name in ("mean", "lpl", "upl"):
        got, want = getattr(segments, name)[0], getattr(expected, name)[0]
        assert (math.isnan(got) and math.isnan(want)) or got == want


@pytest.mark.parametrize(
    ("level", "tolerance", "expected"),
    [(49.0, 5.0, Rag.AMBER), (49.0, 1.0, Rag.RED), (50.0, 1.0, Rag.GREEN)],
)
def test_the_forecast_status_uses_the_councils_rules(level, tolerance, expected):
    item = monthly([level] * 6, target=50.0)
    rules = JudgementRules(default_tolerance=tolerance)
    targets = {y: TargetSpec(annual_target=50.0) for y in (2023, 2024)}  # rules' tolerance
    item = IndicatorInput(**{**vars(item), "targets": targets})

    latest = judge_council([item], rules)[-1]

    assert latest.forecast_rag == expected
