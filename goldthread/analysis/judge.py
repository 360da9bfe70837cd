"""One judgement: RAG against the profiled target and direction of travel, from plain facts.

The Django side loads an indicator's approved figures and its current target version, turns
them into the small value objects below and stores what `judge_period` returns. Nothing here
touches the database, so the same facts always give the same judgement.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field

from goldthread.analysis.periods import Period
from goldthread.analysis.status import (
    Direction,
    JudgementRules,
    Polarity,
    Rag,
    ToleranceKind,
    direction,
    rag,
)
from goldthread.analysis.targets import period_target


@dataclass(frozen=True)
class IndicatorSpec:
    polarity: Polarity
    accumulation: str
    aggregation: str
    decimals: int | None = None
    is_context: bool = False


@dataclass(frozen=True)
class TargetSpec:
    annual_target: float | None
    tolerance: float | None = None
    tolerance_kind: ToleranceKind = ToleranceKind.PERCENT
    band_lower: float | None = None
    band_upper: float | None = None
    profile: Mapping[str, float] = field(default_factory=dict)

    @property
    def band(self) -> tuple[float, float] | None:
        if self.band_lower is None or self.band_upper is None:
            return None
        return (self.band_lower, self.band_upper)


@dataclass(frozen=True)
class PeriodJudgement:
    value: float | None
    target: float | None
    band: tuple[float, float] | None
    rag: Rag
    previous_value: float | None
    last_year_value: float | None
    year_end_value: float | None
    direction_previous: Direction
    direction_last_year: Direction
    direction_year_end: Direction


def _clean(value: float | None) -> float | None:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return float(value)


def _target_for(period: Period, spec: IndicatorSpec, target: TargetSpec | None) -> float | None:
    if target is None:
        return None
    return period_target(
        target.annual_target,
        period,
        profile=target.profile,
        accumulation=spec.accumulation,
        aggregation=spec.aggregation,
    )


def judge_period(
    series: Mapping[str, float | None],
    period: Period,
    spec: IndicatorSpec,
    target: TargetSpec | None,
    rules: JudgementRules,
) -> PeriodJudgement:
    """Judge `period` given every known figure of the indicator, keyed by period key."""
    value = _clean(series.get(period.key))
    comparisons = {
        "previous": _clean(series.get(period.previous().key)),
        "last_year": _clean(series.get(period.same_period_last_year().key)),
        "year_end": _clean(series.get(period.last_year_end().key)),
    }
    band = target.band if target is not None else None
    goal = _target_for(period, spec, target)

    def travel(other: float | None) -> Direction:
        return direction(
            value, other, polarity=spec.polarity, band=band, decimals=spec.decimals, rules=rules
        )

    return PeriodJudgement(
        value=value,
        target=goal,
        band=band,
        rag=rag(
            value,
            goal,
            polarity=spec.polarity,
            tolerance=target.tolerance if target else None,
            tolerance_kind=target.tolerance_kind if target else ToleranceKind.PERCENT,
            band=band,
            decimals=spec.decimals,
            is_context=spec.is_context,
            rules=rules,
        ),
        previous_value=comparisons["previous"],
        last_year_value=comparisons["last_year"],
        year_end_value=comparisons["year_end"],
        direction_previous=travel(comparisons["previous"]),
        direction_last_year=travel(comparisons["last_year"]),
        direction_year_end=travel(comparisons["year_end"]),
    )
