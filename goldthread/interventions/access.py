"""Who may see and do what with trigger rules, recommendations, known risks and the ladder.

This module is the one permission decision for the interventions app: every view asks it.

- Trigger rules: the performance team reads and changes them (they are the council's
  framework); a system administrator may read them.
- Recommendations are internal triage: the queue and decisions (accept or dismiss) are the
  performance officer's; the indicator's data owner, accountable officer and director may read
  those about their indicators. Members and the public never see the queue: "clinics should not
  be the default response", so a recommendation is not yet a public matter.
- Known events and risks: recorded and withdrawn by the indicator's data owner or accountable
  officer, or by a performance officer; read by officers who may see the indicator.
- The escalation ladder (forums): read by everyone signed in, changed by a performance officer.
- Escalations: recorded by a performance officer or the indicator's director; the next forum's
  decision is recorded by a performance officer (who supports every forum); read by officers,
  cabinet members, and committee members whose scope covers the indicator.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet
from django.http import Http404

from goldthread.accounts.models import OFFICER_ROLES, Role, User
from goldthread.indicators import access as indicator_access
from goldthread.indicators.models import Indicator
from goldthread.interventions.models import Escalation, KnownRisk, Recommendation

AnyUser = User | AnonymousUser


def _role(user: AnyUser) -> str | None:
    return getattr(user, "role", None) if user.is_authenticated else None


def is_performance_officer(user: AnyUser) -> bool:
    return _role(user) == Role.PERFORMANCE_OFFICER


# --- the hub -------------------------------------------------------------------------------


def can_see_hub(user: AnyUser) -> bool:
    return user.is_authenticated


# --- trigger rules -------------------------------------------------------------------------


def can_see_rules(user: AnyUser) -> bool:
    return _role(user) in (Role.PERFORMANCE_OFFICER, Role.SYSTEM_ADMINISTRATOR)


def can_change_rules(user: AnyUser) -> bool:
    return is_performance_officer(user)


# --- recommendations -----------------------------------------------------------------------


def can_see_queue(user: AnyUser) -> bool:
    return is_performance_officer(user)


def _accountable_q(user: AnyUser) -> Q:
    return (
        Q(indicator__data_owner=user)
        | Q(indicator__accountable_officer=user)
        | Q(indicator__service__directorate__director=user)
    )


def recommendations_for(user: AnyUser) -> QuerySet[Recommendation]:
    base = Recommendation.objects.select_related("indicator", "rule", "decided_by")
    role = _role(user)
    if role == Role.PERFORMANCE_OFFICER:
        return base
    if role in (Role.DATA_OWNER, Role.DIRECTOR):
        return base.filter(_accountable_q(user))
    return base.none()


def get_recommendation_for_user(user: AnyUser, pk: int) -> Recommendation:
    found = recommendations_for(user).filter(pk=pk).first()
    if found is None:
        raise Http404("No recommendation with that number")
    return found


def can_decide(user: AnyUser, recommendation: Recommendation) -> bool:
    return is_performance_officer(user) and recommendation.state != "resolved"


# --- known events and risks ----------------------------------------------------------------


def can_see_known_risks(user: AnyUser) -> bool:
    return _role(user) in OFFICER_ROLES


def can_record_known_risk(user: AnyUser, indicator: Indicator) -> bool:
    if indicator.is_context:
        return False
    if is_performance_officer(user):
        return True
    owners = (indicator.data_owner_id, indicator.accountable_officer_id)
    return user.is_authenticated and user.pk in owners


def get_known_risk_for_user(user: AnyUser, pk: int) -> KnownRisk:
    risk = (
        KnownRisk.objects.select_related("indicator")
        .filter(pk=pk, indicator__in=indicator_access.indicators_for(user))
        .first()
    )
    if risk is None or not can_see_known_risks(user):
        raise Http404("No known risk with that number")
    return risk


# --- the ladder and escalations ------------------------------------------------------------


def can_see_ladder(user: AnyUser) -> bool:
    return user.is_authenticated


def can_change_ladder(user: AnyUser) -> bool:
    return is_performance_officer(user)


def can_escalate(user: AnyUser, indicator: Indicator) -> bool:
    if is_performance_officer(user):
        return True
    if _role(user) != Role.DIRECTOR or indicator.service is None:
        return False
    return indicator.service.directorate.director_id == user.pk


def can_record_escalation_decision(user: AnyUser, escalation: Escalation) -> bool:
    return is_performance_officer(user)


def can_see_escalations(user: AnyUser, indicator: Indicator) -> bool:
    """Escalations go to members' forums, so members who may see the indicator see them."""
    return user.is_authenticated


def escalations_for(user: AnyUser) -> QuerySet[Escalation]:
    if not user.is_authenticated:
        return Escalation.objects.none()
    visible = indicator_access.indicators_for(user)
    return Escalation.objects.filter(indicator__in=visible).select_related(
        "indicator", "from_forum", "to_forum", "escalated_by", "decision_recorded_by"
    )


def get_escalation_for_user(user: AnyUser, pk: int) -> Escalation:
    found = escalations_for(user).filter(pk=pk).first()
    if found is None:
        raise Http404("No escalation with that number")
    return found
