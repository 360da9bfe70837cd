"""Believable clinics on the demo council, made through the same services people use.

- A managerial clinic opened by accepting a managerial-clinic recommendation: held seven weeks
  ago with minutes, decisions and a two-action recovery plan; one monthly update written and
  the next one due.
- A planned challenge event from scrutiny's work programme, held, referred to cabinet with
  recommendations and published, so the public pages have an outcome to show.
- An ad hoc challenge event asked for by a cabinet member, set for next month with an
  independent chair.

Runs after the interventions demo (which evaluated the trigger rules).
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.utils import timezone

from goldthread.accounts.models import Role, User
from goldthread.clinics import plans, services
from goldthread.clinics.models import ActionStatus, Clinic, ClinicKind, ClinicOutcome
from goldthread.committees.models import Committee, CommitteeKind
from goldthread.indicators.models import Indicator, Judgement, Rag
from goldthread.interventions.models import AlertState, Decision, Recommendation

ANSWERS = (
    "No. The latest figure is below target and the forecast says the year-end target will be "
    "missed.",
    "Two vacancies in the team since the spring and a backlog built up over the summer.",
    "Clear the backlog with overtime, fill the vacancies and review the process with the team.",
    "Capacity: the team has been two posts short for five months.",
    "Yes: a post can be moved from a team that is on target for the rest of the year.",
    "A recovery plan of two actions, reported to the panel every month.",
)


def load_demo() -> None:
    officer = _first(Role.PERFORMANCE_OFFICER)
    if officer is None:
        return
    _managerial(officer)
    _planned_challenge(officer)
    _ad_hoc_challenge()


def _first(role: str) -> User | None:
    return User.objects.filter(role=role, is_active=True).order_by("username").first()


def _at(day, hour: int = 10):
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


def _managerial_recommendation() -> Recommendation | None:
    return (
        Recommendation.objects.filter(
            rule__code="managerial-clinic",
            state=AlertState.FIRING,
            decision=Decision.AWAITING,
            indicator__data_owner__isnull=False,
            indicator__service__isnull=False,
        )
        .select_related("indicator")
        .order_by("indicator__code")
        .first()
    )


def _open_managerial(officer: User) -> Clinic | None:
    recommendation = _managerial_recommendation()
    if recommendation is None:
        return None
    from goldthread.interventions.services import accept

    return accept(recommendation, by=officer, opens="clinic:managerial")


def _managerial(officer: User) -> None:
    clinic = _open_managerial(officer)
    if clinic is None:
        return
    indicator = clinic.indicators.get()
    director = indicator.service.directorate.director or _first(Role.DIRECTOR)
    held_on = timezone.localdate() - timedelta(days=50)
    services.schedule(
        clinic, services.Schedule(_at(held_on), "Old Viewforth, room 2", director), by=officer
    )
    _minutes(clinic, held_on, officer)
    owner = indicator.data_owner
    for description, days, factors in (
        ("Clear the backlog with paid overtime", 30, "Backlog built up over the summer"),
        ("Fill the two vacant posts", 90, "Two vacancies since the spring"),
    ):
        plans.add_action(
            clinic,
            plans.ActionChange(description, owner, held_on + timedelta(days), [indicator], factors),
            by=officer,
        )
    first = clinic.actions.get(number=1)
    plans.write_update(
        clinic,
        by=owner,
        due_on=plans.updates_due(clinic, timezone.localdate())[0],
        summary="The backlog has halved. Interviews for both posts are booked.",
        lines=[plans.ActionLine(first, ActionStatus.IN_PROGRESS, "Halfway there")],
    )


def _minutes(clinic: Clinic, held_on, by: User, text: str = "") -> None:
    agenda = list(clinic.agenda.all())
    services.record_minutes(
        clinic,
        services.Minutes(
            held_on=held_on,
            text=text
            or "The service manager presented the latest figures and the reasons for them.\n\n"
            "The panel agreed a recovery plan and asked for monthly updates.",
            attended={member.pk: True for member in clinic.panel.all()},
            answers={item.pk: answer for item, answer in zip(agenda, ANSWERS, strict=False)},
            decisions=["Agree the recovery plan", "Monthly updates to the panel until satisfied"],
        ),
        by=by,
    )


def _red_in(committee: Committee) -> Indicator | None:
    scoped = Indicator.objects.filter(
        is_context=False, is_public=True, priorities__in=committee.scope_priorities.all()
    ).distinct()
    for indicator in scoped.order_by("code"):
        latest = Judgement.objects.filter(indicator=indicator, is_published=True).last()
        if latest is not None and latest.rag == Rag.RED and not indicator.clinics.exists():
            return indicator
    return None


def _planned_challenge(officer: User) -> None:
    committee = Committee.objects.filter(kind=CommitteeKind.SCRUTINY).order_by("code").first()
    chair = committee.memberships.filter(is_chair=True).first() if committee else None
    indicator = _red_in(committee) if committee else None
    if chair is None or indicator is None:
        return
    request = services.ClinicRequest(
        kind=ClinicKind.PLANNED_CHALLENGE,
        title=f"{indicator.name}: a long-standing concern",
        reason="Red for two quarters with no sign of improvement; in the committee's work "
        "programme for this year.",
        indicators=[indicator],
        committee=committee,
    )
    clinic = services.request_clinic(request, by=chair.user)
    held_on = timezone.localdate() - timedelta(days=120)
    services.schedule(
        clinic, services.Schedule(_at(held_on, 14), "Council chamber", chair.user), by=officer
    )
    _minutes(
        clinic,
        held_on,
        officer,
        "The lead officer's report showed the work under way. Members questioned the "
        "resources given to it and the barriers set by current policy.",
    )
    _scrutiny_actions(clinic, indicator, officer, held_on)
    services.record_outcome(
        clinic,
        services.OutcomeChoice(
            ClinicOutcome.REFERRED_TO_CABINET,
            "The committee found that the service is doing what it can within current policy, "
            "and that the barriers to improvement are at a policy level.",
            cabinet_recommendations="Review the policy that limits the service's options.\n\n"
            "Consider one-off funding to clear the backlog.",
        ),
        by=officer,
    )
    services.publish(clinic, by=officer)


def _scrutiny_actions(clinic: Clinic, indicator: Indicator, officer: User, held_on) -> None:
    owner = indicator.accountable_officer or indicator.data_owner or officer
    for description, days in (
        ("Report to cabinet the options for changing the policy, with their costs", 60),
        ("Report progress to the committee in six months", 180),
    ):
        change = plans.ActionChange(description, owner, held_on + timedelta(days), [indicator])
        plans.add_action(clinic, change, by=officer)


def _ad_hoc_challenge() -> None:
    cabinet = list(User.objects.filter(role=Role.CABINET_MEMBER).order_by("username"))
    indicator = (
        Indicator.objects.filter(
            is_context=False, is_public=True, priorities__lead_member__isnull=False
        )
        .exclude(clinics__isnull=False)
        .order_by("code")
        .first()
    )
    if len(cabinet) < 2 or indicator is None:
        return
    holder = indicator.priorities.filter(lead_member__isnull=False).first().lead_member
    chair = next((member for member in cabinet if member != holder), None)
    asker = holder if holder in cabinet else cabinet[0]
    request = services.ClinicRequest(
        kind=ClinicKind.AD_HOC_CHALLENGE,
        title=f"{indicator.name}: member challenge",
        reason="A managerial clinic's action plan has not improved performance on a corporate "
        "priority.",
        indicators=[indicator],
    )
    clinic = services.request_clinic(request, by=asker)
    when = _at(timezone.localdate() + timedelta(days=21), 14)
    officer = _first(Role.PERFORMANCE_OFFICER)
    services.schedule(clinic, services.Schedule(when, "Council chamber", chair), by=officer)
