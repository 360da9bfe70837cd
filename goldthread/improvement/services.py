"""Writing, validating, tracking, referring and completing Performance Improvement Plans.

Every step runs in one transaction, records an audit event and leaves the plan's history in
django-simple-history; saves move the data generation through the model signals, so cached
pages are never stale. A step that cannot be taken raises ImprovementError with a message that
says why in plain English; nothing is partly written.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils import timezone

from goldthread.analysis.periods import Frequency, Period, parse_period
from goldthread.audit.services import record
from goldthread.committees.models import Committee, CommitteeKind, Meeting
from goldthread.core.formatting import format_value
from goldthread.improvement import checks
from goldthread.improvement.models import (
    CommentSource,
    Decision,
    Factor,
    ImprovementPlan,
    ManagementComment,
    PlanStatus,
    ProgressEntry,
    Referral,
    Solution,
    SolutionState,
)
from goldthread.indicators.models import APPROVED_STATES, Indicator, Judgement, TargetVersion
from goldthread.indicators.services.targets import TargetChange, current_target, set_target


class ImprovementError(Exception):
    """A step that cannot be taken now; the message says why."""

    def __init__(self, *problems: str) -> None:
        super().__init__("; ".join(problems))
        self.problems = list(problems)


# Starting a plan --------------------------------------------------------------------------


def latest_judgement(indicator: Indicator) -> Judgement | None:
    return indicator.judgements.select_related("target_version").order_by("-period_start").first()


def live_plan(indicator: Indicator) -> ImprovementPlan | None:
    return (
        indicator.improvement_plans.filter(status__in=[PlanStatus.DRAFT, PlanStatus.OPEN])
        .order_by("-created_at")
        .first()
    )


def target_rationale(indicator: Indicator, version: TargetVersion | None) -> str:
    """Seed 003 asks for the rationale behind the original target, as the target may be
    unrealistic; the target version already says how it was set and why."""
    if version is None or not version.has_target:
        return "There is no target for this year."
    target = format_value(version.annual_target, indicator.unit, indicator.decimals)
    parts = [f"The {version.year_label} target is {target} (version {version.version})."]
    if version.basis:
        parts.append(f"How it was set: {version.basis}")
    parts.append(f"Why: {version.reason}")
    if version.is_illustrative:
        parts.append("This target is illustrative: the data has no target of its own.")
    return " ".join(parts)


@transaction.atomic
def start_plan(indicator: Indicator, *, by, recommendation=None, author=None) -> ImprovementPlan:
    """A new plan, raised at the indicator's latest judged period, with section 1's comments
    started from the target's rationale. The author is `by` unless someone else is named."""
    if indicator.is_context:
        raise ImprovementError("A context indicator has no target, so it cannot have a plan")
    existing = live_plan(indicator)
    if existing is not None:
        raise ImprovementError(
            f"{indicator.code} already has an improvement plan in progress (plan {existing.pk})"
        )
    judgement = latest_judgement(indicator)
    if judgement is None:
        raise ImprovementError(
            f"{indicator.code} has no approved figures yet, so there is nothing to plan against"
        )
    plan = ImprovementPlan.objects.create(
        indicator=indicator,
        recommendation=recommendation,
        raised_period=judgement.period,
        author=author or by,
        comments=target_rationale(indicator, judgement.target_version),
    )
    record(by, "plan_started", plan, f"Improvement plan started for {indicator.code}")
    return plan


def open_plan_from_recommendation(recommendation, *, by) -> ImprovementPlan:
    """The plan a recommendation's acceptance opens (H5's queue calls this).

    The indicator's data owner is the author (seed 003: the service explains its own
    performance); the officer accepting opens it. When the indicator already has a live plan,
    that plan is returned (and linked to the recommendation if it had none), so accepting
    twice never makes a second plan.
    """
    with transaction.atomic():
        indicator = recommendation.indicator
        existing = live_plan(indicator)
        if existing is None:
            plan = start_plan(
                indicator, by=by, recommendation=recommendation, author=indicator.data_owner
            )
            _note_evidence(plan, recommendation)
            return plan
        if existing.recommendation_id is None:
            existing.recommendation = recommendation
            existing.save(update_fields=["recommendation"])
            record(by, "plan_linked", existing, f"Linked to recommendation {recommendation.pk}")
        return existing


def _note_evidence(plan: ImprovementPlan, recommendation) -> None:
    evidence = [str(line) for line in (recommendation.evidence or [])]
    if evidence:
        plan.comments = (
            plan.comments + "\n\nWhy the plan was recommended: " + " ".join(evidence)
        ).strip()
        plan.save(update_fields=["comments"])


# Sections 1 to 4 --------------------------------------------------------------------------


def _check_live(plan: ImprovementPlan) -> None:
    if not plan.is_live:
        raise ImprovementError(f"The plan is {plan.get_status_display().lower()}: it is closed")


@transaction.atomic
def update_comments(plan: ImprovementPlan, comments: str, *, by) -> None:
    _check_live(plan)
    plan.comments = comments
    plan.save(update_fields=["comments"])
    record(by, "plan_comments_changed", plan, "Section 1 comments changed")


@transaction.atomic
def update_turn_the_curve(plan: ImprovementPlan, *, story: str, partners: str, works: str, by):
    _check_live(plan)
    plan.baseline_story, plan.partners, plan.what_works = story, partners, works
    plan.save(update_fields=["baseline_story", "partners", "what_works"])
    record(by, "plan_curve_changed", plan, "Turn the curve: story, partners and what works")


@dataclass(frozen=True)
class FactorInput:
    kind: str
    duration: str
    description: str


@transaction.atomic
def add_factor(plan: ImprovementPlan, data: FactorInput, *, by) -> Factor:
    _check_live(plan)
    factor = Factor.objects.create(plan=plan, **data.__dict__)
    record(by, "plan_factor_added", plan, f"Added {factor.label}", factor=factor.pk)
    _recheck(plan, by)
    return factor


@transaction.atomic
def change_factor(factor: Factor, data: FactorInput, *, by) -> None:
    _check_live(factor.plan)
    for name, value in data.__dict__.items():
        setattr(factor, name, value)
    factor.save()
    record(by, "plan_factor_changed", factor.plan, f"Changed {factor.label}", factor=factor.pk)


@transaction.atomic
def withdraw_factor(factor: Factor, reason: str, *, by) -> list[str]:
    _check_live(factor.plan)
    factor.withdrawn_at, factor.withdrawn_reason = timezone.now(), reason
    factor.save(update_fields=["withdrawn_at", "withdrawn_reason"])
    label = factor.label
    record(by, "plan_factor_withdrawn", factor.plan, f"Withdrew {label}", reason=reason)
    return _recheck(factor.plan, by)


@dataclass(frozen=True)
class SolutionInput:
    description: str
    target_date: date
    resourcing: str
    factor_ids: frozenset[int]
    resourcing_notes: str = ""
    expected_lag: str = ""
    is_alternative: bool = False
    strengths: str = ""
    weaknesses: str = ""


def _factors(plan: ImprovementPlan, ids: Iterable[int]) -> list[Factor]:
    found = list(current_factors(plan).filter(pk__in=list(ids)))
    if len(found) != len(set(ids)):
        raise ImprovementError("Choose factors from this plan only")
    return found


@transaction.atomic
def add_solution(plan: ImprovementPlan, data: SolutionInput, *, by) -> Solution:
    _check_live(plan)
    fields = {k: v for k, v in data.__dict__.items() if k != "factor_ids"}
    solution = Solution.objects.create(plan=plan, **fields)
    solution.factors.set(_factors(plan, data.factor_ids))
    record(by, "plan_solution_added", plan, f"Added solution {solution.pk}", solution=solution.pk)
    _recheck(plan, by)
    return solution


@transaction.atomic
def change_solution(solution: Solution, data: SolutionInput, *, by) -> list[str]:
    plan = solution.plan
    _check_live(plan)
    for name, value in data.__dict__.items():
        if name != "factor_ids":
            setattr(solution, name, value)
    solution.save()
    solution.factors.set(_factors(plan, data.factor_ids))
    record(by, "plan_solution_changed", plan, f"Changed solution {solution.pk}")
    return _recheck(plan, by)


@transaction.atomic
def set_solution_state(solution: Solution, state: str, *, on: date | None, by) -> None:
    _check_live(solution.plan)
    if state == SolutionState.IN_PLACE and on is None:
        raise ImprovementError("Enter the date the solution was in place")
    solution.state = state
    solution.in_place_on = on if state == SolutionState.IN_PLACE else None
    solution.save(update_fields=["state", "in_place_on"])
    label = SolutionState(state).label.lower()
    record(by, "plan_solution_state", solution.plan, f"Solution {solution.pk}: {label}")


@transaction.atomic
def withdraw_solution(solution: Solution, reason: str, *, by) -> list[str]:
    _check_live(solution.plan)
    solution.withdrawn_at, solution.withdrawn_reason = timezone.now(), reason
    solution.save(update_fields=["withdrawn_at", "withdrawn_reason"])
    text = f"Withdrew solution {solution.pk}"
    record(by, "plan_solution_withdrawn", solution.plan, text, reason=reason)
    return _recheck(solution.plan, by)


def current_factors(plan: ImprovementPlan):
    return plan.factors.filter(withdrawn_at__isnull=True)


def current_solutions(plan: ImprovementPlan):
    return plan.solutions.filter(withdrawn_at__isnull=True).prefetch_related("factors")


def coverage_problems(plan: ImprovementPlan) -> list[str]:
    factors = [checks.FactorRef(f.pk, f.description) for f in current_factors(plan)]
    solutions = [
        checks.SolutionRef(s.pk, s.description, frozenset(f.pk for f in s.factors.all()))
        for s in current_solutions(plan)
        if s.state != SolutionState.NOT_CHOSEN
    ]
    return checks.coverage_problems(factors, solutions)


def _recheck(plan: ImprovementPlan, by) -> list[str]:
    """A validated plan changed so that it no longer hangs together goes back to being written."""
    problems = coverage_problems(plan)
    if problems and plan.status == PlanStatus.OPEN:
        plan.status, plan.validated_at, plan.validated_by = PlanStatus.DRAFT, None, None
        plan.save(update_fields=["status", "validated_at", "validated_by"])
        record(by, "plan_unvalidated", plan, "Needs validating again", reason="; ".join(problems))
    return problems


@transaction.atomic
def validate(plan: ImprovementPlan, *, by) -> None:
    if plan.status != PlanStatus.DRAFT:
        raise ImprovementError("Only a plan being written can be validated")
    problems = coverage_problems(plan)
    if problems:
        raise ImprovementError(*problems)
    plan.status, plan.validated_at, plan.validated_by = PlanStatus.OPEN, timezone.now(), by
    plan.save(update_fields=["status", "validated_at", "validated_by"])
    record(
        by,
        "plan_validated",
        plan,
        "Validated: every factor has a solution and each solution a factor",
    )


# Section 5 --------------------------------------------------------------------------------


@dataclass(frozen=True)
class CommentInput:
    source: str
    made_by: str
    comment: str
    meeting_date: date
    meeting: Meeting | None = None
    officer_meeting: str = ""
    minute: str = ""


@transaction.atomic
def add_management_comment(plan: ImprovementPlan, data: CommentInput, *, by) -> ManagementComment:
    _check_live(plan)
    if data.meeting is None and not data.officer_meeting.strip():
        raise ImprovementError("Say which meeting the comment was made at")
    if data.meeting is not None and data.meeting.date != data.meeting_date:
        raise ImprovementError("The date must be the date of the meeting chosen")
    comment = ManagementComment.objects.create(plan=plan, recorded_by=by, **data.__dict__)
    source = CommentSource(data.source).label
    record(by, "plan_comment_added", plan, f"{source} comment at {comment.meeting_name}")
    return comment


# Section 6 --------------------------------------------------------------------------------


def stored_score(indicator: Indicator, period: str) -> tuple[float | None, str]:
    """The approved figure for the period and its state, or nothing if it is not approved yet."""
    figure = indicator.values.filter(
        period=period, area__isnull=True, state__in=APPROVED_STATES
    ).first()
    return (figure.value, figure.state) if figure else (None, "")


def progress_due(plan: ImprovementPlan, today: date) -> list[Period]:
    """Periods since the plan was raised that have ended with no progress entry."""
    if not plan.is_live:
        return []
    raised = parse_period(plan.raised_period)
    latest = _last_ended(raised.frequency, today)
    recorded = [parse_period(p) for p in plan.progress_entries.values_list("period", flat=True)]
    return checks.due_periods(raised, latest, recorded)


def _last_ended(frequency: Frequency, today: date) -> Period:
    from goldthread.analysis.periods import period_containing

    return period_containing(today, frequency).previous()


def unfinished_solutions(plan: ImprovementPlan) -> list[str]:
    return [s.description for s in current_solutions(plan) if s.state == SolutionState.PROPOSED]


@transaction.atomic
def add_progress(
    plan: ImprovementPlan, *, period: str, comment: str, entry_date: date, final: bool, by
) -> ProgressEntry:
    _check_live(plan)
    if plan.status != PlanStatus.OPEN:
        raise ImprovementError("Validate the plan before tracking its progress")
    if parse_period(period).frequency != plan.indicator.frequency:
        raise ImprovementError(f"Choose a {plan.indicator.frequency} period")
    if final and (problems := checks.completion_problems(unfinished_solutions(plan))):
        raise ImprovementError(*problems)
    score, state = stored_score(plan.indicator, period)
    entry = ProgressEntry.objects.create(
        plan=plan,
        period=period,
        entry_date=entry_date,
        comment=comment,
        score=score,
        score_state=state,
        is_final=final,
        recorded_by=by,
    )
    record(by, "plan_progress", plan, f"Progress for {parse_period(period).label}")
    if final:
        _close(plan, PlanStatus.COMPLETE, comment, by)
    return entry


def _close(plan: ImprovementPlan, status: str, reason: str, by) -> None:
    plan.status, plan.closed_at, plan.closed_by, plan.closed_reason = (
        status,
        timezone.now(),
        by,
        reason,
    )
    plan.save(update_fields=["status", "closed_at", "closed_by", "closed_reason"])
    record(by, f"plan_{status}", plan, f"Plan {PlanStatus(status).label.lower()}", reason=reason)


@transaction.atomic
def withdraw_plan(plan: ImprovementPlan, reason: str, *, by) -> None:
    _check_live(plan)
    _close(plan, PlanStatus.WITHDRAWN, reason, by)


# Referral to a policy committee (seed 003, 6.5 and 6.6) -----------------------------------


@dataclass(frozen=True)
class ReferralInput:
    referred_by_committee: Committee
    to_committee: Committee
    referred_on: date
    reason: str
    referred_at_meeting: Meeting | None = None
    referred_minute: str = ""


@transaction.atomic
def refer(plan: ImprovementPlan, data: ReferralInput, *, by) -> Referral:
    if plan.status != PlanStatus.OPEN:
        raise ImprovementError("Only a validated plan in progress can be referred")
    if data.referred_by_committee.kind != CommitteeKind.AUDIT_PERFORMANCE:
        raise ImprovementError("Referrals come from the Audit and Performance Committee")
    if data.to_committee.kind != CommitteeKind.POLICY:
        raise ImprovementError("Refer the plan to a policy committee")
    if plan.referrals.filter(decision="").exists():
        raise ImprovementError("The plan is already waiting for a policy committee's decision")
    referral = Referral.objects.create(plan=plan, recorded_by=by, **data.__dict__)
    text = f"Referred by {data.referred_by_committee} to {data.to_committee}"
    record(by, "plan_referred", plan, text, reason=data.reason)
    return referral


@dataclass(frozen=True)
class DecisionInput:
    decision: str
    decided_on: date
    notes: str
    minute: str = ""
    meeting: Meeting | None = None
    target_year: int | None = None
    new_target: float | None = None
    band_lower: float | None = None
    band_upper: float | None = None


@transaction.atomic
def record_decision(referral: Referral, data: DecisionInput, *, by) -> Referral:
    if referral.is_decided:
        raise ImprovementError("The committee's decision on this referral is already recorded")
    if data.decided_on < referral.referred_on:
        raise ImprovementError("The decision cannot be before the referral")
    referral.decision, referral.decided_on = data.decision, data.decided_on
    referral.decided_at_meeting, referral.decision_minute = data.meeting, data.minute
    referral.decision_notes, referral.decision_recorded_by = data.notes, by
    if data.decision == Decision.AMEND_TARGET:
        referral.new_target_version = _amend_target(referral, data, by)
    referral.save()
    label = Decision(data.decision).label
    record(by, "plan_referral_decided", referral.plan, f"{referral.to_committee}: {label}")
    return referral


def _amend_target(referral: Referral, data: DecisionInput, by) -> TargetVersion:
    """A new target version citing the committee and minute. Published periods keep the
    version they were judged with; every period judged from now on uses the new one."""
    indicator = referral.plan.indicator
    if not data.minute.strip():
        raise ImprovementError("Enter the minute number that amends the target")
    year = data.target_year or parse_period(referral.plan.raised_period).year
    old = current_target(indicator, year)
    citation = f"{referral.to_committee}, {data.decided_on:%-d %B %Y}, minute {data.minute.strip()}"
    change = TargetChange(
        year=year,
        annual_target=data.new_target,
        tolerance=old.tolerance if old else None,
        tolerance_kind=old.tolerance_kind if old else "percent",
        band_lower=data.band_lower,
        band_upper=data.band_upper,
        basis=f"Amended by {citation}",
        reason=(
            f"{citation}: amended on referral of improvement plan {referral.plan.pk} "
            f"from {referral.referred_by_committee}. {data.notes}"
        ).strip(),
    )
    return set_target(indicator, change, actor=by)
