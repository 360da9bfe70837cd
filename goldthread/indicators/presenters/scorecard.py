"""The Council Scorecard: the latest stored judgement of each scorecard indicator, by priority.

It reads stored judgements in a fixed number of queries however many indicators there are
(a test holds it to that), and never recomputes a judgement.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Prefetch, Q, QuerySet

from goldthread.indicators import access
from goldthread.indicators.models import APPROVED_STATES, Indicator, Value, ValueState
from goldthread.indicators.presenters.lists import (
    IndicatorLine,
    JudgementPoint,
    judgement_series,
    line_for,
)
from goldthread.structure.models import Priority

EXCERPT_WORDS = 30


@dataclass(frozen=True)
class ScorecardFilters:
    directorate: str = ""
    committee: str = ""
    status: str = ""


@dataclass
class ScorecardGroup:
    heading: str
    outcome: str
    sort_key: tuple = ()
    rows: list[IndicatorLine] = field(default_factory=list)


@dataclass
class Scorecard:
    groups: list[ScorecardGroup]
    counts: dict[str, int]
    total: int


def scorecard_indicators(user, filters: ScorecardFilters) -> QuerySet[Indicator]:
    chosen = access.indicators_for(user).filter(on_scorecard=True)
    if filters.directorate:
        chosen = chosen.filter(service__directorate__code=filters.directorate)
    if filters.committee:
        chosen = chosen.filter(pk__in=_committee_indicator_ids(filters.committee))
    priorities = Priority.objects.select_related("outcome").order_by("outcome__order", "order")
    return chosen.select_related("service__directorate").prefetch_related(
        Prefetch("priorities", queryset=priorities)
    )


def _committee_indicator_ids(code: str) -> QuerySet:
    in_scope = Q(committees__code=code) | Q(priorities__committees__code=code)
    return Indicator.objects.filter(in_scope).values("pk")


def _commentaries(user, latest: dict[int, JudgementPoint]) -> dict[int, str]:
    if not latest:
        return {}
    states = APPROVED_STATES if user.is_authenticated else (ValueState.PUBLISHED,)
    earliest = min(j.period_start for j in latest.values())
    rows = Value.objects.filter(
        indicator_id__in=list(latest),
        area__isnull=True,
        state__in=states,
        period_start__gte=earliest,
    ).values_list("indicator_id", "period", "commentary")
    return {ind: text for ind, period, text in rows if text and latest[ind].period == period}


def excerpt(text: str, words: int = EXCERPT_WORDS) -> str:
    parts = text.split()
    return text if len(parts) <= words else " ".join(parts[:words]) + "…"


def _group_for(indicator: Indicator) -> ScorecardGroup:
    priorities = list(indicator.priorities.all())
    if not priorities:
        return ScorecardGroup("Other measures", "", (1, 0, 0))
    first = priorities[0]
    return ScorecardGroup(first.name, first.outcome.name, (0, first.outcome.order, first.order))


def build_scorecard(user, filters: ScorecardFilters) -> Scorecard:
    indicators = list(scorecard_indicators(user, filters))
    series = judgement_series(user, [i.pk for i in indicators])
    latest = {ind: js[-1] for ind, js in series.items() if js}
    commentaries = _commentaries(user, latest)
    groups: dict[str, ScorecardGroup] = {}
    counts: dict[str, int] = defaultdict(int)
    for indicator in indicators:
        row = line_for(indicator, series.get(indicator.pk, []), with_sparkline=True)
        row.commentary = excerpt(commentaries.get(indicator.pk, ""))
        counts[row.rag] += 1
        if filters.status and row.rag != filters.status:
            continue
        group = _group_for(indicator)
        groups.setdefault(group.heading, group).rows.append(row)
    ordered = sorted(groups.values(), key=lambda g: g.sort_key)
    return Scorecard(ordered, dict(counts), len(indicators))
