"""The golden thread: outcomes → priorities → objectives → indicators, as one browsable tree."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Prefetch

from goldthread.indicators import access
from goldthread.indicators.presenters.lists import IndicatorLine, indicator_lines
from goldthread.structure.models import Objective, Outcome, Priority


@dataclass
class ObjectiveNode:
    objective: Objective
    lines: list[IndicatorLine]


@dataclass
class PriorityNode:
    priority: Priority
    lines: list[IndicatorLine]
    objectives: list[ObjectiveNode] = field(default_factory=list)


@dataclass
class OutcomeNode:
    outcome: Outcome
    lines: list[IndicatorLine]
    priorities: list[PriorityNode] = field(default_factory=list)
    baskets: list = field(default_factory=list)


def _links(visible_ids: set[int], related) -> list[int]:
    return [i.pk for i in related.all() if i.pk in visible_ids]


def build_golden_thread(user) -> list[OutcomeNode]:
    visible = access.indicators_for(user)
    lines = {line.indicator.pk: line for line in indicator_lines(user, visible)}
    ids = set(lines)
    outcomes = Outcome.objects.prefetch_related(
        "indicators",
        "baskets__indicators",
        Prefetch("priorities", queryset=Priority.objects.order_by("order", "code")),
        "priorities__indicators",
        "priorities__lead_member",
        Prefetch("priorities__objectives", queryset=Objective.objects.select_related("service")),
        "priorities__objectives__indicators",
    )

    def pick(related) -> list[IndicatorLine]:
        return [lines[pk] for pk in _links(ids, related)]

    tree = []
    for outcome in outcomes:
        node = OutcomeNode(outcome, pick(outcome.indicators), baskets=list(outcome.baskets.all()))
        for priority in outcome.priorities.all():
            p_node = PriorityNode(priority, pick(priority.indicators))
            p_node.objectives = [
                ObjectiveNode(o, pick(o.indicators)) for o in priority.objectives.all()
            ]
            node.priorities.append(p_node)
        tree.append(node)
    return tree
