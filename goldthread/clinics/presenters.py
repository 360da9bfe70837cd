"""What the clinic pages show: lists, the clinic's own page, exit criteria and "Your clinic
actions". Templates only fill components from these."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import QuerySet

from goldthread.analysis.periods import PeriodError, parse_period
from goldthread.audit.services import events_for
from goldthread.clinics import access, criteria
from goldthread.clinics.models import (
    FINISHED_ACTIONS,
    Action,
    Clinic,
    ClinicState,
    PanelMember,
)
from goldthread.clinics.plans import next_update_due, updates_due
from goldthread.indicators.models import Indicator, Judgement

# The clinic page lists its latest audit events for officers; the full log is in /audit/.
HISTORY_ROWS = 30

STATE_TAGS = {
    ClinicState.REQUESTED: "govuk-tag--yellow",
    ClinicState.SCHEDULED: "govuk-tag--blue",
    ClinicState.HELD: "govuk-tag--purple",
    ClinicState.CLOSED: "govuk-tag--green",
    ClinicState.WITHDRAWN: "govuk-tag--grey",
}


def state_tag(clinic: Clinic) -> dict:
    return {"text": clinic.get_state_display(), "classes": STATE_TAGS.get(clinic.state, "")}


@dataclass
class ActionRow:
    action: Action
    indicator_codes: str
    is_overdue: bool


@dataclass
class ExitAssessment:
    checks: list[criteria.Check]
    notes: str

    @property
    def met(self) -> bool:
        return criteria.all_met(self.checks)


@dataclass
class ClinicPage:
    clinic: Clinic
    indicators: list[Indicator]
    panel: list[PanelMember]
    actions: list[ActionRow]
    updates: list
    due: list[date]
    next_due: date | None
    exit: ExitAssessment
    escalations: list = field(default_factory=list)
    can: dict[str, bool] = field(default_factory=dict)
    events: list = field(default_factory=list)
    scrutiny: list = field(default_factory=list)
    can_record_scrutiny: bool = False


def _periods_since(indicator: Indicator, held_on: date) -> list[criteria.Point]:
    """Stored judgements of periods that end after the clinic, oldest first."""
    points = []
    rows = Judgement.objects.filter(indicator=indicator).order_by("period_start")
    for period_key, rag, direction in rows.values_list("period", "rag", "direction_previous"):
        try:
            period = parse_period(period_key)
        except PeriodError:
            continue
        if period.end > held_on:
            points.append(criteria.Point(period.label, rag, direction))
    return points


def exit_assessment(clinic: Clinic, indicators: list[Indicator]) -> ExitAssessment:
    """The clinic's exit criteria, each met or not, from stored judgements and the plan."""
    checks = []
    held_on = clinic.held_on or date.max
    for indicator in indicators:
        points = _periods_since(indicator, held_on) if clinic.held_on else []
        name = f"Consistent improvement: {indicator.code} {indicator.name}"
        checks.append(criteria.improvement_check(name, points, clinic.exit_improving_periods))
    if clinic.exit_actions_delivered:
        statuses = list(clinic.actions.values_list("status", flat=True))
        checks.append(criteria.actions_check(statuses, FINISHED_ACTIONS))
    return ExitAssessment(checks=checks, notes=clinic.exit_notes)


def _action_rows(clinic: Clinic, today: date) -> list[ActionRow]:
    actions = clinic.actions.select_related("owner").prefetch_related("indicators")
    return [
        ActionRow(
            action=action,
            indicator_codes=", ".join(i.code for i in action.indicators.all()),
            is_overdue=not action.is_finished and action.due_on < today,
        )
        for action in actions
    ]


def _permissions(user, clinic: Clinic) -> dict[str, bool]:
    return {
        "organise": access.can_organise(user, clinic),
        "schedule": access.can_schedule(user, clinic),
        "minute": access.can_minute(user, clinic),
        "plan": access.can_manage_plan(user, clinic),
        "update": access.can_write_update(user, clinic),
        "decide": access.can_decide(user, clinic),
        "withdraw": access.can_withdraw(user, clinic),
        "publish": access.can_publish(user, clinic),
    }


def _escalations(clinic: Clinic) -> list:
    from goldthread.interventions.models import Escalation

    if "clinic" not in {f.name for f in Escalation._meta.get_fields()}:
        return []
    return list(Escalation.objects.filter(clinic=clinic).select_related("to_forum"))


def _scrutiny(user, clinic: Clinic) -> dict:
    """Recommendations recorded from this clinic in the improvement app (seed 000 §7.3:
    "recommendations emerging from this process will be considered by Cabinet")."""
    try:
        from goldthread.improvement import access as improvement_access
    except ImportError:
        return {}
    found = improvement_access.recommendations_for(user).filter(source_clinic=clinic)
    may_record = clinic.is_member_led and clinic.held_on is not None
    return {
        "scrutiny": list(found.order_by("pk")),
        "can_record_scrutiny": may_record and improvement_access.can_record_recommendations(user),
    }


def clinic_page(user, clinic: Clinic, today: date) -> ClinicPage:
    indicators = list(clinic.indicators.select_related("service", "data_owner"))
    return ClinicPage(
        clinic=clinic,
        indicators=indicators,
        panel=list(clinic.panel.filter(removed_at__isnull=True).select_related("user")),
        actions=_action_rows(clinic, today),
        updates=list(clinic.updates.select_related("written_by").prefetch_related("lines__action")),
        due=updates_due(clinic, today),
        next_due=next_update_due(clinic, today),
        exit=exit_assessment(clinic, indicators),
        escalations=_escalations(clinic),
        can=_permissions(user, clinic),
        events=list(events_for(clinic)[:HISTORY_ROWS]) if user.is_officer else [],
        **_scrutiny(user, clinic),
    )


# Lists -------------------------------------------------------------------------------------


@dataclass
class ClinicLine:
    clinic: Clinic
    indicator_codes: str
    when: str


def clinic_lines(clinics: QuerySet[Clinic]) -> list[ClinicLine]:
    rows = clinics.prefetch_related("indicators").select_related("chair")
    return [
        ClinicLine(
            clinic=clinic,
            indicator_codes=", ".join(i.code for i in clinic.indicators.all()),
            when=_when(clinic),
        )
        for clinic in rows
    ]


def _when(clinic: Clinic) -> str:
    from goldthread.jinja2env import govuk_date

    if clinic.held_on:
        return f"Held {govuk_date(clinic.held_on)}"
    if clinic.scheduled_for:
        return f"Set for {govuk_date(clinic.scheduled_for)}"
    return "Not yet set"


def filtered_clinics(user, *, state: str = "", kind: str = "") -> QuerySet[Clinic]:
    clinics = access.clinics_for(user)
    if state == "open":
        clinics = clinics.filter(state__in=(ClinicState.REQUESTED, ClinicState.SCHEDULED))
    elif state in ClinicState.values:
        clinics = clinics.filter(state=state)
    if kind:
        clinics = clinics.filter(kind=kind)
    return clinics.order_by("-requested_at", "-pk")


# Your clinic actions -----------------------------------------------------------------------


@dataclass
class UpdateOwed:
    clinic: Clinic
    due_on: date
    is_overdue: bool


@dataclass
class MyClinicWork:
    actions: list[ActionRow]
    updates: list[UpdateOwed]


def my_clinic_work(user, today: date) -> MyClinicWork:
    """Open actions this person owns, and updates they are asked to write, soonest first."""
    open_actions = (
        Action.objects.filter(owner=user, clinic__state=ClinicState.HELD)
        .exclude(status__in=FINISHED_ACTIONS)
        .select_related("clinic")
        .prefetch_related("indicators")
        .order_by("due_on", "clinic__reference", "number")
    )
    rows = [
        ActionRow(a, ", ".join(i.code for i in a.indicators.all()), a.due_on < today)
        for a in open_actions
    ]
    owed = []
    for clinic in Clinic.objects.filter(state=ClinicState.HELD).order_by("reference"):
        if not access.can_write_update(user, clinic) or _is_team_only(user, clinic):
            continue
        due = next_update_due(clinic, today)
        if due is not None:
            owed.append(UpdateOwed(clinic, due, due <= today))
    owed.sort(key=lambda line: line.due_on)
    return MyClinicWork(actions=rows, updates=owed)


def _is_team_only(user, clinic: Clinic) -> bool:
    """Performance officers may write any update, but are asked only for their own clinics'."""
    from goldthread.accounts.models import Role

    if user.role != Role.PERFORMANCE_OFFICER:
        return False
    owns = clinic.actions.filter(owner=user).exists() or clinic.facilitator_id == user.pk
    return not owns
