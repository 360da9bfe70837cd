"""Who may see and do what with indicators, values and judgements.

This module is the one permission decision for the indicators app: every view asks it, and the
rules predicates in rules.py are built from the same functions so the two can never disagree.

- Performance officers and system administrators see every indicator and every figure.
- Directors and data owners (officers) see every indicator; they see figures that are not yet
  approved only for their own directorate or their own indicators.
- Cabinet members see every public indicator; committee members see only their committees'
  scope (indicators named in it, or linked to a priority in it). Members see approved figures.
- The public sees public indicators and published figures only.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet
from django.http import Http404

from goldthread.accounts.models import OFFICER_ROLES, Role, User
from goldthread.indicators.models import (
    APPROVED_STATES,
    Indicator,
    Judgement,
    Value,
    ValueState,
)

AnyUser = User | AnonymousUser

_SEES_ALL = {Role.PERFORMANCE_OFFICER, Role.SYSTEM_ADMINISTRATOR}


def _role(user: AnyUser) -> str | None:
    return getattr(user, "role", None) if user.is_authenticated else None


def committee_scope_q(user: AnyUser) -> Q:
    committees = user.committee_memberships.values("committee")
    return Q(committees__in=committees) | Q(priorities__committees__in=committees)


def indicators_for(user: AnyUser) -> QuerySet[Indicator]:
    """The indicators this person may see at all."""
    live = Indicator.objects.filter(retired_at__isnull=True)
    role = _role(user)
    if role is None:
        return live.filter(is_public=True)
    if role == Role.COMMITTEE_MEMBER:
        ids = live.filter(committee_scope_q(user)).values("pk")
        return live.filter(pk__in=ids)
    if role == Role.CABINET_MEMBER:
        return live.filter(is_public=True)
    return live


def scope_key(user: AnyUser) -> str:
    """Names the set of indicators and figures this person sees: equal keys, equal pages.

    Cached pages are shared between people with the same key, so it must change whenever
    indicators_for, judgements_q or the approved/published split would differ.
    """
    role = _role(user)
    if role is None:
        return "public"
    if role == Role.COMMITTEE_MEMBER:
        return f"committee-member-{user.pk}"
    if role == Role.CABINET_MEMBER:
        return "cabinet"
    return "officers"


def get_indicator_for_user(user: AnyUser, code: str) -> Indicator:
    """The indicator with this code if this person may see it; 404 otherwise (no hint it exists)."""
    indicator = (
        indicators_for(user)
        .select_related("service__directorate", "data_owner", "accountable_officer", "lead_member")
        .filter(code=code)
        .first()
    )
    if indicator is None:
        raise Http404("No indicator with that code")
    return indicator


def sees_unapproved(user: AnyUser, indicator: Indicator) -> bool:
    role = _role(user)
    if role in _SEES_ALL:
        return True
    if role not in OFFICER_ROLES:
        return False
    if indicator.data_owner_id == user.pk:
        return True
    if role == Role.DIRECTOR and indicator.service is not None:
        return indicator.service.directorate.director_id == user.pk
    return False


def visible_value_states(user: AnyUser, indicator: Indicator) -> tuple[str, ...]:
    if sees_unapproved(user, indicator):
        return tuple(ValueState.values)
    if _role(user) is None:
        return (ValueState.PUBLISHED,)
    return tuple(APPROVED_STATES)


def values_for(user: AnyUser, indicator: Indicator) -> QuerySet[Value]:
    states = visible_value_states(user, indicator)
    return indicator.values.filter(state__in=states, area__isnull=True).order_by("period_start")


def judgements_q(user: AnyUser) -> Q:
    """Judgements are made only from approved figures; the public sees published ones."""
    return Q() if user.is_authenticated else Q(is_published=True)


def judgements_for(user: AnyUser) -> QuerySet[Judgement]:
    return Judgement.objects.filter(judgements_q(user), indicator__in=indicators_for(user))


def can_set_targets(user: AnyUser) -> bool:
    return _role(user) == Role.PERFORMANCE_OFFICER


def can_change_rules(user: AnyUser) -> bool:
    return _role(user) == Role.PERFORMANCE_OFFICER


def can_republish(user: AnyUser) -> bool:
    return _role(user) == Role.PERFORMANCE_OFFICER


def can_approve(user: AnyUser) -> bool:
    """Checking, approving, returning and publishing figures is the performance team's job."""
    return _role(user) == Role.PERFORMANCE_OFFICER


def can_enter_values(user: AnyUser, indicator: Indicator) -> bool:
    role = _role(user)
    if role == Role.PERFORMANCE_OFFICER:
        return True
    return role is not None and indicator.data_owner_id == user.pk
