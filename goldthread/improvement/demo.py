"""A believable improvement plan and scrutiny recommendations on the demo council.

The plan is written for an indicator that really is off target in the demo data (the worst
first, preferring the Audit and Performance Committee's scope), by its data owner, through the
same services people use, so its history and audit trail read as they would in life.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import Q

from goldthread.accounts.models import Role, User
from goldthread.committees.models import Committee, CommitteeKind
from goldthread.improvement import scrutiny, services
from goldthread.improvement.models import (
    Addressee,
    CommentSource,
    Duration,
    FactorKind,
    ImprovementPlan,
    Resourcing,
    SolutionState,
    SourceKind,
)
from goldthread.indicators.models import Indicator, Judgement, Rag


def _off_target() -> Indicator | None:
    """The red indicator with the most recent figure (in the Audit and Performance
    Committee's scope when there is a choice), with a data owner to write the plan."""
    audit = Committee.objects.filter(kind=CommitteeKind.AUDIT_PERFORMANCE).first()
    scoped = set(audit.scope_indicators.values_list("pk", flat=True)) if audit else set()
    best: tuple | None = None
    for indicator in Indicator.objects.filter(is_context=False, data_owner__isnull=False):
        latest = Judgement.objects.filter(indicator=indicator).order_by("-period_start").first()
        if latest is None or latest.rag != Rag.RED:
            continue
        rank = (latest.period_start, indicator.pk in scoped, indicator.code)
        if best is None or rank > best[0]:
            best = (rank, indicator)
    return best[1] if best else None


@transaction.atomic
def load_demo() -> None:
    officer = User.objects.filter(role=Role.PERFORMANCE_OFFICER).order_by("username").first()
    if officer is None or ImprovementPlan.objects.exists():
        return
    plan = _from_queue(officer)
    if plan is None and (indicator := _off_target()) is not None:
        plan = services.start_plan(indicator, by=indicator.data_owner)
    if plan is None:
        return
    _write_plan(plan, officer)
    _refer(plan, officer)
    _recommendations(plan.indicator, officer)


def _from_queue(officer: User) -> ImprovementPlan | None:
    """Accept the queue's newest improvement plan recommendation, as the performance team
    would, so the demo plan shows the whole route from trigger to plan."""
    try:
        from goldthread.interventions import services as queue
        from goldthread.interventions.models import AlertState, Decision, Recommendation
    except ImportError:
        return None
    found = Recommendation.objects.filter(
        rule__kind="improvement_plan",
        state=AlertState.FIRING,
        decision=Decision.AWAITING,
        indicator__data_owner__isnull=False,
        indicator__is_context=False,
    ).order_by("-since_period_start", "indicator__code")
    recommendation = found.first()
    if recommendation is None:
        return None
    note = "A plan rather than a clinic: the service understands the causes."
    return queue.accept(recommendation, by=officer, opens=queue.Opens.PLAN, note=note)


def _write_plan(plan: ImprovementPlan, officer: User) -> None:
    owner = plan.indicator.data_owner or officer
    staffing = services.add_factor(
        plan,
        services.FactorInput(
            FactorKind.INTERNAL,
            Duration.LONG_TERM,
            "Two posts in the team have been vacant since the spring and cannot be filled at the "
            "advertised grade.",
        ),
        by=owner,
    )
    demand = services.add_factor(
        plan,
        services.FactorInput(
            FactorKind.EXTERNAL,
            Duration.TEMPORARY,
            "Demand rose sharply over the winter, well above the seasonal pattern of earlier "
            "years.",
        ),
        by=owner,
    )
    base = datetime.date.today()
    for text, when, factors, resourcing in (
        (
            "Re-grade the vacant posts and recruit through the council's graduate scheme.",
            base + datetime.timedelta(days=120),
            {staffing.pk},
            Resourcing.EXTRA_FUNDING,
        ),
        (
            "Agree temporary cover with a neighbouring council for the peak months.",
            base + datetime.timedelta(days=45),
            {demand.pk, staffing.pk},
            Resourcing.WITHIN_SERVICE,
        ),
    ):
        lag = "About three months after the posts are filled" if len(factors) == 1 else ""
        services.add_solution(
            plan,
            services.SolutionInput(
                description=text,
                target_date=when,
                resourcing=resourcing,
                factor_ids=frozenset(factors),
                expected_lag=lag,
            ),
            by=owner,
        )
    services.validate(plan, by=officer)
    _comment(plan, officer)
    _progress(plan, owner)


def _progress(plan: ImprovementPlan, owner: User) -> None:
    """The first two updates after the plan was raised, each with its stored score."""
    cover = services.current_solutions(plan).filter(expected_lag="").first()
    for number, period in enumerate(services.progress_due(plan, datetime.date.today())[:2]):
        if number == 1 and cover is not None:
            services.set_solution_state(cover, SolutionState.IN_PLACE, on=period.start, by=owner)
        services.add_progress(
            plan,
            period=period.key,
            comment=(
                "Recruitment to the re-graded posts has started; cover is being arranged."
                if number == 0
                else "Temporary cover is in place. Performance has not turned yet, as expected."
            ),
            entry_date=period.end + datetime.timedelta(days=14),
            final=False,
            by=owner,
        )


def _comment(plan: ImprovementPlan, officer: User) -> None:
    audit = Committee.objects.filter(kind=CommitteeKind.AUDIT_PERFORMANCE).first()
    meeting = audit.meetings.order_by("date").first() if audit else None
    data = services.CommentInput(
        source=CommentSource.MEMBERS if meeting else CommentSource.CMT,
        made_by="Chair of the committee" if meeting else "Chief Executive",
        comment="The committee supports both solutions and asks for the re-grading to be "
        "costed before the next budget round.",
        meeting_date=meeting.date if meeting else datetime.date.today(),
        meeting=meeting,
        officer_meeting="" if meeting else "Corporate Management Team",
        minute="7" if meeting else "",
    )
    services.add_management_comment(plan, data, by=officer)


def _refer(plan: ImprovementPlan, officer: User) -> None:
    audit = Committee.objects.filter(kind=CommitteeKind.AUDIT_PERFORMANCE).first()
    policies = Committee.objects.filter(kind=CommitteeKind.POLICY).order_by("name")
    indicator = plan.indicator
    # The policy committee whose scope covers the indicator, as the seed's referral would go.
    covering = policies.filter(
        Q(scope_indicators=indicator) | Q(scope_priorities__in=indicator.priorities.all())
    ).first()
    policy = covering or policies.last()
    if audit is None or policy is None:
        return
    meeting = audit.meetings.order_by("date").first()
    services.refer(
        plan,
        services.ReferralInput(
            referred_by_committee=audit,
            to_committee=policy,
            referred_on=meeting.date if meeting else datetime.date.today(),
            reason="The committee doubts the target can be met with the service's current "
            "resources and asks the policy committee to consider it.",
            referred_at_meeting=meeting,
            referred_minute="8",
        ),
        by=officer,
    )


def _recommendations(indicator: Indicator, officer: User) -> None:
    scrutiny_committee = Committee.objects.filter(kind=CommitteeKind.SCRUTINY).first()
    if scrutiny_committee is None:
        return
    made_on = datetime.date.today() - datetime.timedelta(days=240)
    found = scrutiny.record_recommendation(
        scrutiny.RecommendationInput(
            committee=scrutiny_committee,
            source_kind=SourceKind.SPOTLIGHT,
            review_title=f"Spotlight review: {indicator.name}",
            text="Publish a recovery timetable and report progress to each meeting of the "
            "committee until performance is back on target.",
            addressed_to=Addressee.CABINET,
            addressee="Cabinet member for the portfolio",
            made_on=made_on,
            indicator=indicator,
            is_published=True,
        ),
        by=officer,
    )
    scrutiny.record_response(
        found,
        scrutiny.ResponseInput(
            "Accepted. The timetable will be published with the next performance report.",
            "accepted",
            made_on + datetime.timedelta(days=20),
        ),
        by=officer,
    )
    scrutiny.add_action(
        found,
        description="Publish the recovery timetable on the council's website",
        owner="Head of service",
        due_on=made_on + datetime.timedelta(days=60),
        by=officer,
    )
