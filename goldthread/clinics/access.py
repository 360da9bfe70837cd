"""Who may see, request, organise, minute and decide performance clinics.

The one permission decision for the clinics app: every view asks it.

- Managerial clinics are internal (seed 000 §7.1: "managed entirely by the service and P&Q"):
  officers see them; members only if they sit on the panel.
- Member-led clinics (ad hoc challenge, planned challenge, spotlight review): officers and
  cabinet members see them all; a committee member sees those of their committees or about
  indicators in their committees' scope, and any they sit on.
- The public (and anyone else) sees only published outcomes of planned challenge events and
  spotlight reviews (seed 000 §7.3: "should be published").
- Requesting: managerial clinics come from the service, its directorate or the performance
  team; ad hoc challenges from directors (SLT), cabinet members, scrutiny members or the
  performance team for them; planned challenges and spotlight reviews from scrutiny members,
  or the performance team as scrutiny support.
- The performance team organises every clinic and manages its plan (seed 000 §7.1); the chair
  may also minute, decide and record the outcome; action owners and the indicators' data
  owners write progress updates.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet
from django.http import Http404

from goldthread.accounts.models import OFFICER_ROLES, Role, User
from goldthread.clinics.models import (
    MEMBER_LED,
    SCRUTINY_LED,
    Clinic,
    ClinicKind,
    ClinicState,
)
from goldthread.committees.models import CommitteeKind
from goldthread.indicators.access import committee_scope_q
from goldthread.indicators.models import Indicator

AnyUser = User | AnonymousUser

REQUESTERS = {
    ClinicKind.MANAGERIAL: {Role.PERFORMANCE_OFFICER, Role.DIRECTOR, Role.DATA_OWNER},
    ClinicKind.AD_HOC_CHALLENGE: {
        Role.PERFORMANCE_OFFICER,
        Role.DIRECTOR,
        Role.CABINET_MEMBER,
        Role.COMMITTEE_MEMBER,
    },
    ClinicKind.PLANNED_CHALLENGE: {Role.PERFORMANCE_OFFICER, Role.COMMITTEE_MEMBER},
    ClinicKind.SPOTLIGHT_REVIEW: {Role.PERFORMANCE_OFFICER, Role.COMMITTEE_MEMBER},
}


def _role(user: AnyUser) -> str | None:
    return getattr(user, "role", None) if user.is_authenticated else None


def published_q() -> Q:
    return Q(is_published=True, kind__in=SCRUTINY_LED)


def clinics_for(user: AnyUser) -> QuerySet[Clinic]:
    """The clinics this person may open at all (internal pages)."""
    role = _role(user)
    everything = Clinic.objects.all()
    if role is None:
        return everything.none()
    if role in OFFICER_ROLES:
        return everything
    on_panel = Q(panel__user=user, panel__removed_at__isnull=True) | Q(chair=user)
    if role == Role.CABINET_MEMBER:
        visible = Q(kind__in=MEMBER_LED) | on_panel | published_q()
    else:
        committees = user.committee_memberships.values("committee")
        in_scope = Indicator.objects.filter(committee_scope_q(user)).values("pk")
        member_led = Q(kind__in=MEMBER_LED) & (
            Q(committee__in=committees) | Q(indicators__in=in_scope)
        )
        visible = member_led | on_panel | published_q()
    ids = everything.filter(visible).values("pk")
    return everything.filter(pk__in=ids)


def published_clinics() -> QuerySet[Clinic]:
    return Clinic.objects.filter(published_q())


def get_clinic_for_user(user: AnyUser, reference: str) -> Clinic:
    """The clinic with this reference if this person may see it; 404 otherwise."""
    clinic = (
        clinics_for(user)
        .select_related("chair", "facilitator", "requested_by", "committee", "requested_from")
        .filter(reference=reference)
        .first()
    )
    if clinic is None:
        raise Http404("No clinic with that reference")
    return clinic


def get_published_clinic(reference: str) -> Clinic:
    clinic = published_clinics().select_related("committee").filter(reference=reference).first()
    if clinic is None:
        raise Http404("No published challenge event with that reference")
    return clinic


def kinds_for(user: AnyUser) -> list[ClinicKind]:
    """The kinds of clinic this person may ask for."""
    role = _role(user)
    return [kind for kind in ClinicKind if role in REQUESTERS[kind]]


def can_request(user: AnyUser, kind: str) -> bool:
    return _role(user) in REQUESTERS.get(kind, set())


def can_request_any(user: AnyUser) -> bool:
    return bool(kinds_for(user))


def sits_on_scrutiny(user: AnyUser) -> bool:
    if _role(user) != Role.COMMITTEE_MEMBER:
        return False
    return user.committee_memberships.filter(committee__kind=CommitteeKind.SCRUTINY).exists()


def _is_performance_officer(user: AnyUser) -> bool:
    return _role(user) == Role.PERFORMANCE_OFFICER


def _chairs(user: AnyUser, clinic: Clinic) -> bool:
    return user.is_authenticated and clinic.chair_id == user.pk


def can_organise(user: AnyUser, clinic: Clinic) -> bool:
    """Scheduling, the panel and the exit criteria: the performance team, while it is open."""
    return clinic.is_open and _is_performance_officer(user)


def can_schedule(user: AnyUser, clinic: Clinic) -> bool:
    """Setting the date and chair: the performance team, until the clinic has been held."""
    waiting = clinic.state in (ClinicState.REQUESTED, ClinicState.SCHEDULED)
    return waiting and _is_performance_officer(user)


def can_minute(user: AnyUser, clinic: Clinic) -> bool:
    """Minutes and decisions: the performance team or the chair, once it is scheduled."""
    if clinic.state not in (ClinicState.SCHEDULED, ClinicState.HELD):
        return False
    return _is_performance_officer(user) or _chairs(user, clinic)


def can_manage_plan(user: AnyUser, clinic: Clinic) -> bool:
    """Adding and changing actions: the performance team or the chair, until it closes."""
    if clinic.state not in (ClinicState.SCHEDULED, ClinicState.HELD):
        return False
    return _is_performance_officer(user) or _chairs(user, clinic)


def can_write_update(user: AnyUser, clinic: Clinic) -> bool:
    """Progress updates: action owners, the indicators' data owners and the performance team."""
    if clinic.state != ClinicState.HELD or not user.is_authenticated:
        return False
    if _is_performance_officer(user):
        return True
    if clinic.actions.filter(owner=user).exists():
        return True
    return clinic.indicators.filter(data_owner=user).exists()


def can_decide(user: AnyUser, clinic: Clinic) -> bool:
    """Recording the outcome (satisfied, escalated, referred, recognised)."""
    return clinic.state == ClinicState.HELD and (
        _is_performance_officer(user) or _chairs(user, clinic)
    )


def can_withdraw(user: AnyUser, clinic: Clinic) -> bool:
    return clinic.state in (ClinicState.REQUESTED, ClinicState.SCHEDULED) and (
        _is_performance_officer(user) or clinic.requested_by_id == getattr(user, "pk", None)
    )


def can_publish(user: AnyUser, clinic: Clinic) -> bool:
    """Only the outcomes of scrutiny's planned challenges and spotlight reviews are published."""
    return (
        _is_performance_officer(user)
        and clinic.is_scrutiny_led
        and clinic.state == ClinicState.CLOSED
        and not clinic.is_published
    )


def can_see_my_actions(user: AnyUser) -> bool:
    return user.is_authenticated
