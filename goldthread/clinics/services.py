"""Requesting, organising, holding and closing performance clinics.

Each step checks the clinic's state and the seeds' rules (an independent chair for ad hoc
challenges, formal minutes for member-led clinics, recommendations when referring to cabinet),
writes everything in one transaction and records an audit event. Field history comes from
django-simple-history; every save moves the page-cache generation through its signal.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from goldthread.accounts.models import MEMBER_ROLES, OFFICER_ROLES, Role, User
from goldthread.analysis.periods import PeriodError, parse_period
from goldthread.audit.services import record
from goldthread.clinics import criteria
from goldthread.clinics.access import can_request
from goldthread.clinics.models import (
    SCRUTINY_LED,
    AgendaItem,
    Clinic,
    ClinicKind,
    ClinicOutcome,
    ClinicState,
    Decision,
    PanelMember,
    PanelRole,
    UpdateFrequency,
)
from goldthread.committees.models import Committee, CommitteeKind
from goldthread.indicators.access import indicators_for
from goldthread.indicators.models import Indicator

# Seed 004 §6.5 and §6.4: the questions the panel asks the accountable person.
AGENDA_QUESTIONS = (
    "Have targets been met?",
    "If not, why have they not been achieved?",
    "What can be done to turn this work around?",
    "Is the performance problem caused by a lack of capability, capacity or resources?",
    "Is there an opportunity to prioritise or shift resources?",
    "What actions are proposed to address the areas for improvement?",
)


class ClinicError(Exception):
    """A step that cannot be taken; the message says why in plain English."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


# Requesting --------------------------------------------------------------------------------


@dataclass(frozen=True)
class ClinicRequest:
    kind: str
    title: str
    reason: str
    indicators: Sequence[Indicator]
    requested_from: object | None = None  # interventions.Forum
    committee: Committee | None = None
    recommendation: object | None = None  # interventions.Recommendation


def _next_reference() -> str:
    numbers = [
        int(ref[3:])
        for ref in Clinic.objects.filter(reference__startswith="PC-").values_list(
            "reference", flat=True
        )
        if ref[3:].isdigit()
    ]
    return f"PC-{max(numbers, default=0) + 1:04d}"


def _check_request(request: ClinicRequest, by: User) -> None:
    if request.kind not in ClinicKind.values:
        raise ClinicError("Choose the kind of clinic", "kind")
    label = ClinicKind(request.kind).label.lower()
    if not can_request(by, request.kind):
        raise ClinicError(f"You cannot request a {label}", "kind")
    if not request.indicators:
        raise ClinicError("Choose at least one indicator the clinic is about", "indicators")
    visible = set(indicators_for(by).values_list("pk", flat=True))
    if any(indicator.pk not in visible for indicator in request.indicators):
        raise ClinicError("Choose indicators from the list", "indicators")
    _check_forum(request)
    if request.kind in (ClinicKind.PLANNED_CHALLENGE, ClinicKind.SPOTLIGHT_REVIEW):
        committee = request.committee
        if committee is None or committee.kind != CommitteeKind.SCRUTINY:
            raise ClinicError(
                "Choose the scrutiny committee whose work programme this is in", "committee"
            )


def _check_forum(request: ClinicRequest) -> None:
    forum = request.requested_from
    if forum is None:
        return
    rungs = type(forum).objects.filter(council_id=forum.council_id, is_active=True).count()
    if request.kind not in criteria.kinds_requestable_from(forum.position, rungs):
        kind = ClinicKind(request.kind).label.lower()
        raise ClinicError(f"{forum.name} cannot ask for a {kind}", "requested_from")


@transaction.atomic
def request_clinic(request: ClinicRequest, *, by: User) -> Clinic:
    """Open a clinic as requested, with the seed's agenda and the panel it needs proposed."""
    _check_request(request, by)
    clinic = _create(request, by)
    clinic.indicators.set(request.indicators)
    AgendaItem.objects.bulk_create(
        AgendaItem(clinic=clinic, order=n, question=q) for n, q in enumerate(AGENDA_QUESTIONS, 1)
    )
    _propose_panel(clinic, request.indicators, by)
    record(
        by,
        "clinic_requested",
        clinic,
        f"{clinic.get_kind_display()} requested: {clinic.title}",
        reason=clinic.reason,
        indicators=[i.code for i in request.indicators],
    )
    return clinic


def _create(request: ClinicRequest, by: User) -> Clinic:
    # Two requests at once may pick the same number: the unique reference refuses the second,
    # which tries the next one.
    for _attempt in range(5):
        try:
            with transaction.atomic():
                return Clinic.objects.create(
                    reference=_next_reference(),
                    kind=request.kind,
                    title=request.title.strip(),
                    reason=request.reason.strip(),
                    requested_by=by,
                    requested_from=request.requested_from,
                    committee=request.committee,
                    recommendation=request.recommendation,
                    facilitator=by if by.role == Role.PERFORMANCE_OFFICER else None,
                )
        except IntegrityError:
            continue
    raise ClinicError("The clinic could not be numbered. Try again.")


def _propose_panel(clinic: Clinic, indicators: Iterable[Indicator], by: User) -> None:
    """Seed 004 §6.3: the relevant director and each indicator's accountable service manager;
    the performance officer who facilitates; for scrutiny, the committee's chair."""
    wanted: list[tuple[User, str]] = []
    for indicator in indicators:
        service = indicator.service
        director = service.directorate.director if service else None
        if director:
            wanted.append((director, PanelRole.DIRECTOR))
        # The service manager who reports the figures presents them; the accountable
        # officer attends when that is someone else (often the director, already listed).
        for manager in (indicator.data_owner, indicator.accountable_officer):
            if manager:
                wanted.append((manager, PanelRole.SERVICE_MANAGER))
    if clinic.facilitator:
        wanted.append((clinic.facilitator, PanelRole.FACILITATOR))
    if clinic.committee:
        for membership in clinic.committee.memberships.filter(is_chair=True):
            wanted.append((membership.user, PanelRole.COMMITTEE_CHAIR))
    seen: set[int] = set()
    for user, role in wanted:
        if user.pk not in seen:
            seen.add(user.pk)
            PanelMember.objects.create(clinic=clinic, user=user, role=role)


def open_clinic_from_recommendation(recommendation, *, by: User, kind: str) -> Clinic:
    """A clinic pre-filled from a trigger recommendation (the interventions queue calls this)."""
    indicator = recommendation.indicator
    evidence = " ".join(str(line) for line in recommendation.evidence or [])
    reason = f"{recommendation.rule.name} since {period_label(recommendation.since_period)}."
    request = ClinicRequest(
        kind=kind,
        title=f"{indicator.name} ({indicator.code})",
        reason=f"{reason} {evidence}".strip(),
        indicators=[indicator],
        recommendation=recommendation,
        committee=scrutiny_committee_for(indicator) if kind in SCRUTINY_LED else None,
    )
    return request_clinic(request, by=by)


def scrutiny_committee_for(indicator: Indicator) -> Committee | None:
    """The scrutiny committee whose scope covers the indicator, for a planned challenge."""
    scrutiny = Committee.objects.filter(kind=CommitteeKind.SCRUTINY).order_by("name")
    covering = scrutiny.filter(
        Q(scope_indicators=indicator) | Q(scope_priorities__in=indicator.priorities.all())
    ).first()
    return covering or scrutiny.first()


def period_label(key: str) -> str:
    """A stored period key in words ("2025-06" is "June 2025"); an unknown key as it is."""
    try:
        return parse_period(key).label
    except PeriodError:
        return key


# Organising --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Schedule:
    when: datetime
    location: str
    chair: User
    facilitator: User | None = None


def check_chair(clinic: Clinic, chair: User) -> None:
    """Seed 000: managerial clinics are officers'; an ad hoc challenge has an independent
    chair (a cabinet or peer member who does not hold the portfolio); scrutiny chairs its own."""
    if clinic.kind == ClinicKind.MANAGERIAL:
        if chair.role not in OFFICER_ROLES:
            raise ClinicError("A managerial clinic is chaired by an officer", "chair")
        return
    if chair.role not in MEMBER_ROLES:
        raise ClinicError("A member-led clinic is chaired by a councillor", "chair")
    if clinic.kind == ClinicKind.AD_HOC_CHALLENGE and _holds_portfolio(clinic, chair):
        raise ClinicError(
            f"{chair} holds the portfolio for an indicator in this clinic. Choose an "
            "independent chair",
            "chair",
        )


def _holds_portfolio(clinic: Clinic, user: User) -> bool:
    indicators = clinic.indicators.all()
    return (
        indicators.filter(lead_member=user).exists()
        or indicators.filter(priorities__lead_member=user).exists()
    )


@transaction.atomic
def schedule(clinic: Clinic, plan: Schedule, *, by: User) -> None:
    if not clinic.is_open or clinic.state == ClinicState.HELD:
        raise ClinicError("This clinic has already been held")
    check_chair(clinic, plan.chair)
    if plan.facilitator and plan.facilitator.role != Role.PERFORMANCE_OFFICER:
        raise ClinicError("The facilitator must be a performance officer", "facilitator")
    clinic.scheduled_for, clinic.location = plan.when, plan.location.strip()
    clinic.chair = plan.chair
    clinic.facilitator = plan.facilitator or clinic.facilitator
    clinic.state = ClinicState.SCHEDULED
    clinic._change_reason = "Scheduled"
    clinic.save()
    record(
        by,
        "clinic_scheduled",
        clinic,
        f"Clinic set for {timezone.localtime(plan.when):%-d %B %Y %H:%M}, chaired by {plan.chair}",
    )


@transaction.atomic
def add_panel_member(
    clinic: Clinic, *, by: User, role: str, user: User | None = None, name: str = ""
) -> PanelMember:
    if user is None and not name.strip():
        raise ClinicError("Choose a person or enter the guest's name", "user")
    if role not in PanelRole.values:
        raise ClinicError("Choose their role on the panel", "role")
    if user and clinic.panel.filter(user=user, removed_at__isnull=True).exists():
        raise ClinicError(f"{user} is already on the panel", "user")
    if role == PanelRole.SCRUTINY_MEMBER and (user is None or user.role != Role.COMMITTEE_MEMBER):
        raise ClinicError("Invite a scrutiny member who has a login", "user")
    member = PanelMember.objects.create(clinic=clinic, user=user, name=name.strip(), role=role)
    record(by, "clinic_panel_added", clinic, f"{member} added to the panel")
    return member


@transaction.atomic
def remove_panel_member(member: PanelMember, *, by: User, reason: str) -> None:
    if not reason.strip():
        raise ClinicError("Enter why they are leaving the panel", "reason")
    member.removed_at, member.removed_reason = timezone.now(), reason.strip()
    member._change_reason = reason.strip()
    member.save()
    record(by, "clinic_panel_removed", member.clinic, f"{member} left the panel", reason=reason)


@dataclass(frozen=True)
class ExitCriteria:
    improving_periods: int
    actions_delivered: bool
    notes: str
    update_frequency: str


@transaction.atomic
def set_exit_criteria(clinic: Clinic, chosen: ExitCriteria, *, by: User) -> None:
    if not 0 <= chosen.improving_periods <= 24:
        raise ClinicError("Enter a number of periods from 0 to 24", "improving_periods")
    if chosen.update_frequency not in UpdateFrequency.values:
        raise ClinicError("Choose how often updates are due", "update_frequency")
    clinic.exit_improving_periods = chosen.improving_periods
    clinic.exit_actions_delivered = chosen.actions_delivered
    clinic.exit_notes = chosen.notes.strip()
    clinic.update_frequency = chosen.update_frequency
    clinic._change_reason = "Exit criteria set"
    clinic.save()
    record(by, "clinic_exit_criteria", clinic, "Exit criteria and update frequency set")


@transaction.atomic
def withdraw(clinic: Clinic, *, by: User, reason: str) -> None:
    if not reason.strip():
        raise ClinicError("Enter why the clinic is no longer needed", "reason")
    if clinic.state not in (ClinicState.REQUESTED, ClinicState.SCHEDULED):
        raise ClinicError("Only a clinic that has not been held can be withdrawn")
    clinic.state, clinic.withdrawn_reason = ClinicState.WITHDRAWN, reason.strip()
    clinic._change_reason = reason.strip()
    clinic.save()
    record(by, "clinic_withdrawn", clinic, "Clinic withdrawn", reason=reason)


# Holding the clinic ------------------------------------------------------------------------


@dataclass(frozen=True)
class Minutes:
    held_on: date
    text: str
    attended: dict[int, bool]  # panel member id -> attended
    answers: dict[int, str]  # agenda item id -> answer
    decisions: Sequence[str] = ()


@transaction.atomic
def record_minutes(clinic: Clinic, minutes: Minutes, *, by: User) -> None:
    """The clinic was held: minutes, attendance, answers to the agenda and decisions."""
    if clinic.state not in (ClinicState.SCHEDULED, ClinicState.HELD):
        raise ClinicError("Schedule the clinic before recording its minutes")
    if minutes.held_on > timezone.localdate():
        raise ClinicError("The date the clinic was held must be today or in the past", "held_on")
    if clinic.is_member_led and not minutes.text.strip():
        raise ClinicError("A member-led clinic needs formal minutes", "minutes")
    for member in clinic.panel.filter(pk__in=minutes.attended):
        member.attended = minutes.attended[member.pk]
        member.save()
    for item in clinic.agenda.filter(pk__in=minutes.answers):
        item.answer = minutes.answers[item.pk].strip()
        item.save()
    _add_decisions(clinic, minutes.decisions, by)
    first_time = clinic.state != ClinicState.HELD
    clinic.held_on, clinic.minutes = minutes.held_on, minutes.text.strip()
    clinic.minutes_by, clinic.minutes_at = by, timezone.now()
    clinic.state = ClinicState.HELD
    clinic._change_reason = "Minutes recorded" if first_time else "Minutes corrected"
    clinic.save()
    verb = "clinic_held" if first_time else "clinic_minutes_changed"
    record(by, verb, clinic, f"Minutes recorded for the clinic held on {minutes.held_on:%-d %B %Y}")


def lock(clinic: Clinic) -> None:
    """Hold the clinic's row to the end of the transaction, so two people adding decisions or
    actions at once get consecutive numbers rather than a clash."""
    list(Clinic.objects.select_for_update().filter(pk=clinic.pk).values_list("pk", flat=True))


def _add_decisions(clinic: Clinic, texts: Iterable[str], by: User) -> None:
    lock(clinic)
    number = clinic.decisions.count()
    for text in (t.strip() for t in texts):
        if text:
            number += 1
            Decision.objects.create(clinic=clinic, number=number, text=text, recorded_by=by)


# Closing -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class OutcomeChoice:
    outcome: str
    summary: str
    cabinet_recommendations: str = ""
    escalate_to: object | None = None  # interventions.Forum
    criteria_met: bool = True


@transaction.atomic
def record_outcome(clinic: Clinic, choice: OutcomeChoice, *, by: User) -> None:
    """Close the clinic: the panel is satisfied, it is escalated, referred to cabinet with
    recommendations, or good performance is recognised."""
    if clinic.state != ClinicState.HELD:
        raise ClinicError("An outcome is recorded once the clinic has been held")
    _check_outcome(clinic, choice)
    clinic.outcome, clinic.outcome_summary = choice.outcome, choice.summary.strip()
    clinic.cabinet_recommendations = choice.cabinet_recommendations.strip()
    clinic.outcome_by, clinic.outcome_at = by, timezone.now()
    clinic.state = ClinicState.CLOSED
    clinic._change_reason = ClinicOutcome(choice.outcome).label
    clinic.save()
    if choice.outcome == ClinicOutcome.ESCALATED:
        escalate(clinic, choice.escalate_to, by=by, reason=choice.summary)
    if choice.outcome == ClinicOutcome.REFERRED_TO_CABINET and clinic.is_member_led:
        recommend_to_cabinet(clinic, by=by)
    record(
        by,
        "clinic_closed",
        clinic,
        f"Clinic closed: {ClinicOutcome(choice.outcome).label}",
        reason=choice.summary,
    )


def _check_outcome(clinic: Clinic, choice: OutcomeChoice) -> None:
    if choice.outcome not in ClinicOutcome.values:
        raise ClinicError("Choose the outcome", "outcome")
    if not choice.summary.strip():
        raise ClinicError("Enter the panel's reasons", "summary")
    # The panel decides; when the exit criteria are not met, its reasons must say why it is
    # satisfied anyway, and they are kept with the outcome.
    unexplained = len(choice.summary.split()) < 5
    if choice.outcome == ClinicOutcome.SATISFIED and not choice.criteria_met and unexplained:
        raise ClinicError(
            "The exit criteria are not met: explain why the panel is satisfied anyway", "summary"
        )
    referred = choice.outcome == ClinicOutcome.REFERRED_TO_CABINET
    if referred and not choice.cabinet_recommendations.strip():
        raise ClinicError("Enter the recommendations to cabinet", "cabinet_recommendations")
    if choice.outcome == ClinicOutcome.ESCALATED and choice.escalate_to is None:
        raise ClinicError("Choose the forum it is escalated to", "escalate_to")


# A member-led clinic's kind is the kind of scrutiny work its recommendations came from.
_SOURCE_KINDS = {
    ClinicKind.AD_HOC_CHALLENGE: "ad_hoc_challenge",
    ClinicKind.PLANNED_CHALLENGE: "planned_challenge",
    ClinicKind.SPOTLIGHT_REVIEW: "spotlight",
}


def split_recommendations(text: str) -> list[str]:
    """One recommendation per paragraph, as the outcome form asks."""
    return [part.strip() for part in re.split(r"\n\s*\n", text) if part.strip()]


def recommend_to_cabinet(clinic: Clinic, *, by: User) -> list:
    """Record each recommendation to cabinet as a scrutiny recommendation (improvement app),
    so each gets its response, actions and six-month review. Runs inside record_outcome's
    transaction: a refusal here leaves the clinic held."""
    from goldthread.improvement.scrutiny import RecommendationInput, record_recommendation

    indicators = list(clinic.indicators.all())
    committee = clinic.committee or (scrutiny_committee_for(indicators[0]) if indicators else None)
    if committee is None:
        raise ClinicError(
            "There is no scrutiny committee to follow up the recommendations to cabinet: "
            "ask the system administrator to add one",
            "cabinet_recommendations",
        )
    made_on = timezone.localdate()
    return [
        record_recommendation(
            RecommendationInput(
                committee=committee,
                source_kind=_SOURCE_KINDS[ClinicKind(clinic.kind)],
                review_title=f"{clinic.reference}: {clinic.title}",
                text=text,
                addressed_to="cabinet",
                addressee="Cabinet",
                made_on=made_on,
                indicator=indicators[0] if len(indicators) == 1 else None,
                source_clinic=clinic,
            ),
            by=by,
        )
        for text in split_recommendations(clinic.cabinet_recommendations)
    ]


def escalate(clinic: Clinic, forum, *, by: User, reason: str) -> list:
    """Take each of the clinic's indicators up the ladder, naming the clinic (the
    interventions app keeps escalations and what the next forum decides)."""
    from goldthread.interventions.services import EscalationEntry, InterventionError
    from goldthread.interventions.services import escalate as escalate_indicator

    made = []
    for indicator in clinic.indicators.all():
        recommendation = clinic.recommendation
        if recommendation is not None and recommendation.indicator_id != indicator.pk:
            recommendation = None
        entry = EscalationEntry(
            to_forum=forum,
            reason=f"{clinic.reference}: {reason.strip()}",
            from_forum=clinic.requested_from,
            clinic=clinic,
            recommendation=recommendation,
        )
        try:
            made.append(escalate_indicator(indicator, entry, by=by))
        except InterventionError as error:
            raise ClinicError(str(error), "escalate_to") from error
    return made


@transaction.atomic
def publish(clinic: Clinic, *, by: User) -> None:
    """Publish a planned challenge's or spotlight review's outcome (seed 000 §7.3)."""
    if not clinic.is_scrutiny_led:
        raise ClinicError("Only planned challenge events and spotlight reviews are published")
    if clinic.state != ClinicState.CLOSED:
        raise ClinicError("Record the outcome before publishing it")
    clinic.is_published, clinic.published_at, clinic.published_by = True, timezone.now(), by
    clinic._change_reason = "Outcome published"
    clinic.save()
    record(by, "clinic_published", clinic, "Outcome published")
    # The recommendations to cabinet are part of the published outcome (seed 000 §7.3).
    from goldthread.improvement.scrutiny import set_published

    for recommendation in clinic.scrutiny_recommendations.filter(is_published=False):
        set_published(recommendation, True, by=by)
