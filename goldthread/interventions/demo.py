"""Demo interventions on the loaded demo council: the ladder, a known risk, a dismissal and
two escalations, so every interventions page has something believable on it.

Runs after the demo's figures are judged and published (which evaluated the trigger rules).
"""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Q
from django.utils import timezone

from goldthread.accounts.models import Role, User
from goldthread.indicators.models import Indicator, Judgement
from goldthread.interventions import services
from goldthread.interventions.evaluation import evaluate_triggers
from goldthread.interventions.models import AlertState, Decision, Recommendation
from goldthread.structure.models import Council

DISMISSAL = (
    "The cause is understood: the figure fell while a new case management system went live. "
    "Service improvement work is under way with the supplier, so no clinic or plan is needed yet."
)


def load_demo() -> None:
    council = Council.objects.order_by("pk").first()
    officer = User.objects.filter(role=Role.PERFORMANCE_OFFICER).order_by("username").first()
    if council is None or officer is None:
        return
    evaluate_triggers()
    rungs = list(services.ladder(council))
    _known_risk()
    _dismiss_one(officer)
    _escalate_one(officer, rungs)


def _latest_green_with_owner() -> Indicator | None:
    green = Judgement.objects.filter(
        is_published=True, rag="green", indicator__data_owner__isnull=False
    )
    for indicator in Indicator.objects.filter(
        pk__in=green.values("indicator"), is_context=False
    ).exclude(frequency="annual"):
        latest = indicator.judgements.filter(is_published=True).order_by("-period_start").first()
        if latest is not None and latest.rag == "green":
            return indicator
    return None


def _known_risk() -> None:
    indicator = _latest_green_with_owner()
    if indicator is None:
        return
    entry = services.RiskEntry(
        description="The contract with the main delivery partner ends in March and the "
        "replacement will not be in place until summer.",
        expected_effect="Performance is expected to fall below target for at least a quarter.",
        expected_by=timezone.localdate() + timedelta(days=120),
    )
    services.record_known_risk(indicator, entry, by=indicator.data_owner)


def _firing(rule_code: str):
    return Recommendation.objects.filter(
        rule__code=rule_code, state=AlertState.FIRING, decision=Decision.AWAITING
    ).order_by("indicator__code")


def _dismiss_one(officer: User) -> None:
    rec = _firing("improvement-plan").filter(Q(indicator__frequency="quarterly")).last()
    if rec is not None:
        services.dismiss(rec, by=officer, reason=DISMISSAL)


def _escalate_one(officer: User, rungs) -> None:
    rec = _firing("planned-challenge").first()
    if rec is None or len(rungs) < 4:
        return
    first = services.escalate(
        rec.indicator,
        services.EscalationEntry(
            to_forum=rungs[1],
            from_forum=rungs[0],
            recommendation=rec,
            reason="Off target for two quarters with no sign of improvement; the service's own "
            "recovery actions have not turned performance round.",
        ),
        by=officer,
    )
    services.record_escalation_decision(
        first,
        services.EscalationDecision(
            decision="The Board asked the service director and cabinet member to agree an "
            "action plan and report back in three months.",
            decision_date=timezone.localdate() - timedelta(days=14),
            decision_reference="Performance Board, minute 7",
        ),
        by=officer,
    )
    services.escalate(
        rec.indicator,
        services.EscalationEntry(
            to_forum=rungs[2],
            from_forum=rungs[1],
            recommendation=rec,
            reason="As the Board decided: the service director and cabinet member are to agree "
            "an action plan and report back.",
        ),
        by=officer,
    )
