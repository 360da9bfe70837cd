"""The interventions app's rows of the permission matrix (see core/tests/test_permission_matrix).

Records named in the URLs get fixed numbers in `arrange`, so the addresses are the same on
SQLite and PostgreSQL (whose sequences do not roll back between tests).
"""

from __future__ import annotations

from goldthread.indicators.models import Indicator
from goldthread.interventions.models import (
    AlertState,
    Escalation,
    Forum,
    KnownRisk,
    Recommendation,
    TriggerRule,
)
from goldthread.interventions.services import DEFAULT_LADDER
from goldthread.structure.models import Council

# fmt: off
ROWS = {
    #  url                                                 public alice bob charlie dana ed  fay
    # Everyone signed in has the hub; what it lists depends on who they are.
    "/interventions/":                                     (302, 200, 200, 200, 200, 200, 200),
    # The queue and its decisions are the performance officer's.
    "/interventions/queue/":                               (302, 200, 403, 403, 403, 403, 403),
    # ENV1 is Bob's, in Charlie's directorate: they may read its recommendations.
    "/interventions/recommendations/9101/":                (302, 200, 200, 200, 404, 404, 404),
    "/interventions/recommendations/9101/accept/":         (302, 200, 403, 403, 404, 404, 404),
    "/interventions/recommendations/9101/dismiss/":        (302, 200, 403, 403, 404, 404, 404),
    # HSG1 has no owner and another directorate: only the performance officer.
    "/interventions/recommendations/9103/":                (302, 200, 404, 404, 404, 404, 404),
    "/interventions/recommendations/999999/":              (302, 404, 404, 404, 404, 404, 404),
    # Trigger rules: read by the performance team and system administrators, changed by the former.
    "/interventions/trigger-rules/":                       (302, 200, 403, 403, 403, 403, 200),
    "/interventions/trigger-rules/managerial-clinic/":     (302, 200, 403, 403, 403, 403, 403),
    "/interventions/trigger-rules/no-such-rule/":          (302, 404, 403, 403, 403, 403, 404),
    # Known risks: the indicator's owner or a performance officer records them.
    "/interventions/indicators/ENV1/known-risks/new/":     (302, 200, 200, 403, 403, 403, 403),
    "/interventions/indicators/CMP1/known-risks/new/":     (302, 200, 200, 403, 403, 404, 403),
    "/interventions/indicators/INT1/known-risks/new/":     (302, 200, 403, 403, 404, 404, 403),
    "/interventions/indicators/CTX1/known-risks/new/":     (302, 403, 403, 403, 403, 404, 403),
    "/interventions/known-risks/9201/withdraw/":           (302, 200, 200, 403, 404, 404, 403),
    # The ladder: read by everyone signed in, changed by the performance officer.
    "/interventions/ladder/":                              (302, 200, 200, 200, 200, 200, 200),
    "/interventions/ladder/new/":                          (302, 200, 403, 403, 403, 403, 403),
    "/interventions/ladder/9301/":                         (302, 200, 403, 403, 403, 403, 403),
    "/interventions/ladder/9301/move/":                    (302, 405, 405, 405, 405, 405, 405),
    "/interventions/ladder/9301/retire/":                  (302, 200, 403, 403, 403, 403, 403),
    "/interventions/ladder/999999/":                       (302, 404, 403, 403, 403, 403, 403),
    # Escalating: the performance officer, or the director of the indicator's directorate.
    "/interventions/indicators/ENV1/escalate/":            (302, 200, 403, 200, 403, 403, 403),
    "/interventions/indicators/HSG1/escalate/":            (302, 200, 403, 403, 403, 404, 403),
    # Escalations are read by whoever may see the indicator; decisions recorded by the officer.
    "/interventions/escalations/9401/":                    (302, 200, 200, 200, 200, 200, 200),
    "/interventions/escalations/9402/":                    (302, 200, 200, 200, 200, 404, 200),
    "/interventions/escalations/9401/decision/":           (302, 200, 403, 403, 403, 403, 403),
    "/interventions/escalations/9402/decision/":           (302, 200, 403, 403, 403, 404, 403),
}
# fmt: on


def _recommendation(pk: int, indicator: Indicator, rule_code: str) -> None:
    Recommendation.objects.create(
        pk=pk,
        indicator=indicator,
        rule=TriggerRule.objects.get(code=rule_code),
        state=AlertState.FIRING,
        since_period="2025-06",
        since_period_start="2025-06-01",
        firing_period="2025-06",
        last_period="2025-06",
        evidence=["2025-06: off target."],
    )


def arrange(world) -> None:
    _recommendation(9101, world.recycling, "recognition")
    _recommendation(9103, world.rent, "recognition")
    KnownRisk.objects.create(
        pk=9201,
        indicator=world.recycling,
        description="The recycling depot closes for a refit",
        expected_effect="About 4 points lower for three months",
        expected_by="2026-01-31",
        recorded_by=world.bob,
    )
    council = Council.objects.get()
    forums = [
        Forum.objects.create(
            pk=9300 + n,
            council=council,
            name=name,
            position=n,
            composition=who,
            responsibilities=duties,
        )
        for n, (name, who, duties) in enumerate(DEFAULT_LADDER, start=1)
    ]
    for pk, indicator in ((9401, world.recycling), (9402, world.complaints)):
        Escalation.objects.create(
            pk=pk,
            indicator=indicator,
            from_forum=forums[0],
            to_forum=forums[1],
            reason="No improvement after the action plan",
            escalated_by=world.alice,
        )
