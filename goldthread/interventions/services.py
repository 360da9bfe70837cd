"""Deciding recommendations, recording known risks, keeping the ladder and escalating.

Every change is made in one transaction, keeps its history and writes an audit event.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.db.models import Max, QuerySet
from django.utils import timezone

from goldthread.audit.services import record
from goldthread.indicators.models import Indicator
from goldthread.interventions.evaluation import evaluate_triggers
from goldthread.interventions.models import (
    AlertState,
    Decision,
    Escalation,
    Forum,
    KnownRisk,
    Recommendation,
    RiskSource,
    TriggerKind,
    TriggerRule,
)
from goldthread.structure.models import Council


class InterventionError(Exception):
    """A change the rules of the framework do not allow; the message says why, for people."""


# --- what accepting opens ------------------------------------------------------------------


class Opens:
    """What accepting a recommendation opens, as the choices the queue offers."""

    MANAGERIAL = "clinic:managerial"
    AD_HOC = "clinic:ad_hoc_challenge"
    PLANNED = "clinic:planned_challenge"
    SPOTLIGHT = "clinic:spotlight_review"
    PLAN = "plan"
    NOTHING = "nothing"

    CHOICES = [
        (MANAGERIAL, "A managerial performance clinic"),
        (AD_HOC, "An ad hoc challenge event (member-led clinic)"),
        (PLANNED, "A planned challenge event (scrutiny)"),
        (SPOTLIGHT, "A spotlight review (scrutiny)"),
        (PLAN, "A Performance Improvement Plan"),
        (NOTHING, "Nothing new: note it (for example, to recognise it in the exception report)"),
    ]


DEFAULT_OPENS = {
    TriggerKind.MANAGERIAL_CLINIC: Opens.MANAGERIAL,
    TriggerKind.AD_HOC_CHALLENGE: Opens.AD_HOC,
    TriggerKind.PLANNED_CHALLENGE: Opens.PLANNED,
    TriggerKind.IMPROVEMENT_PLAN: Opens.PLAN,
    TriggerKind.RECOGNITION: Opens.NOTHING,
}


def default_opens(rule: TriggerRule) -> str:
    return DEFAULT_OPENS.get(rule.kind, Opens.NOTHING)


# --- the queue -----------------------------------------------------------------------------


def queue() -> QuerySet[Recommendation]:
    """Firing recommendations awaiting a decision, oldest episode first."""
    return (
        Recommendation.objects.filter(state=AlertState.FIRING, decision=Decision.AWAITING)
        .select_related("indicator", "rule")
        .order_by("rule__order", "since_period_start", "indicator__code")
    )


def earlier_dismissals(rec: Recommendation) -> QuerySet[Recommendation]:
    """Earlier episodes of the same rule for the same indicator that someone dismissed."""
    return (
        Recommendation.objects.filter(
            indicator=rec.indicator, rule=rec.rule, decision=Decision.DISMISSED
        )
        .exclude(pk=rec.pk)
        .select_related("decided_by")
        .order_by("-decided_at")
    )


def _check_undecided(rec: Recommendation) -> None:
    if rec.decision != Decision.AWAITING:
        raise InterventionError(
            f"This recommendation was already {rec.get_decision_display().lower()}."
        )
    if rec.state == AlertState.RESOLVED:
        raise InterventionError("The rule no longer holds for this indicator: nothing to decide.")


def _open(rec: Recommendation, opens: str, by):
    try:
        if opens.startswith("clinic:"):
            from goldthread.clinics.services import ClinicError, open_clinic_from_recommendation

            try:
                return open_clinic_from_recommendation(rec, by=by, kind=opens.split(":", 1)[1])
            except ClinicError as error:
                raise InterventionError(str(error)) from error
        if opens == Opens.PLAN:
            from goldthread.improvement.services import (
                ImprovementError,
                open_plan_from_recommendation,
            )

            try:
                return open_plan_from_recommendation(rec, by=by)
            except ImprovementError as error:
                raise InterventionError(str(error)) from error
    except ImportError as error:
        raise InterventionError("That kind of intervention cannot be opened yet.") from error
    return None


@transaction.atomic
def accept(rec: Recommendation, *, by, opens: str, note: str = ""):
    """Accept a recommendation and open what it calls for; returns what was opened (or None)."""
    rec = (
        Recommendation.objects.select_for_update()
        .select_related("indicator", "rule")
        .get(pk=rec.pk)
    )
    _check_undecided(rec)
    if opens not in dict(Opens.CHOICES):
        raise InterventionError("Choose what accepting the recommendation opens.")
    opened = _open(rec, opens, by)
    rec.decision, rec.decided_by, rec.decided_at = Decision.ACCEPTED, by, timezone.now()
    rec.decision_reason = note.strip()
    rec._change_reason = f"Accepted: {dict(Opens.CHOICES)[opens]}"
    rec.save()
    record(
        by,
        "recommendation_accepted",
        rec.indicator,
        f"{rec.rule.name} accepted for {rec.indicator.code}: {dict(Opens.CHOICES)[opens].lower()}",
        reason=note.strip(),
        recommendation=rec.pk,
        opened=opened.get_absolute_url() if opened is not None else None,
    )
    return opened


@transaction.atomic
def dismiss(rec: Recommendation, *, by, reason: str) -> Recommendation:
    """Dismiss with a reason: it is kept and shown the next time the rule fires."""
    if not reason.strip():
        raise InterventionError("Give the reason for dismissing the recommendation.")
    rec = (
        Recommendation.objects.select_for_update()
        .select_related("indicator", "rule")
        .get(pk=rec.pk)
    )
    _check_undecided(rec)
    rec.decision, rec.decided_by, rec.decided_at = Decision.DISMISSED, by, timezone.now()
    rec.decision_reason = reason.strip()
    rec._change_reason = "Dismissed"
    rec.save()
    record(
        by,
        "recommendation_dismissed",
        rec.indicator,
        f"{rec.rule.name} dismissed for {rec.indicator.code}",
        reason=reason.strip(),
        recommendation=rec.pk,
    )
    return rec


# --- trigger rules -------------------------------------------------------------------------


@dataclass(frozen=True)
class RuleChange:
    threshold: float | None
    for_periods: int
    recovery_periods: int
    period_unit: str
    is_active: bool
    reason: str


@transaction.atomic
def change_rule(rule: TriggerRule, change: RuleChange, *, by) -> TriggerRule:
    """Change a rule's numbers, then re-evaluate so the queue reflects the new rule at once."""
    before = {name: getattr(rule, name) for name in _RULE_FIELDS}
    after = {name: getattr(change, name) for name in _RULE_FIELDS}
    if before == after:
        raise InterventionError("Nothing has changed: change a number or switch the rule.")
    for name, value in after.items():
        setattr(rule, name, value)
    rule.updated_by, rule._change_reason = by, change.reason
    rule.save()
    record(by, "trigger_rule_changed", rule, f"Trigger rule {rule.name} changed",
           reason=change.reason, before=before, after=after)  # fmt: skip
    evaluate_triggers()
    return rule


_RULE_FIELDS = ("threshold", "for_periods", "recovery_periods", "period_unit", "is_active")


# --- known events and risks ----------------------------------------------------------------


@dataclass(frozen=True)
class RiskEntry:
    description: str
    expected_effect: str
    expected_by: date
    forecast_to_miss: bool = True
    source: str = RiskSource.OWNER
    risk_reference: str = ""


@transaction.atomic
def record_known_risk(indicator: Indicator, entry: RiskEntry, *, by) -> KnownRisk:
    risk = KnownRisk.objects.create(indicator=indicator, recorded_by=by, **entry.__dict__)
    record(
        by,
        "known_risk_recorded",
        indicator,
        f"Known event or risk recorded for {indicator.code}: {entry.description[:120]}",
        known_risk=risk.pk,
        forecast_to_miss=entry.forecast_to_miss,
    )
    evaluate_triggers([indicator.pk])
    return risk


@transaction.atomic
def withdraw_known_risk(risk: KnownRisk, *, by, reason: str) -> KnownRisk:
    if not reason.strip():
        raise InterventionError("Give the reason for withdrawing the known risk.")
    if risk.withdrawn_at is not None:
        raise InterventionError("This known risk was already withdrawn.")
    risk.withdrawn_at, risk.withdrawn_by = timezone.now(), by
    risk.withdrawn_reason, risk._change_reason = reason.strip(), reason.strip()
    risk.save()
    record(
        by,
        "known_risk_withdrawn",
        risk.indicator,
        f"Known event or risk withdrawn for {risk.indicator.code}: {risk.description[:120]}",
        reason=reason.strip(),
        known_risk=risk.pk,
    )
    evaluate_triggers([risk.indicator_id])
    return risk


def current_known_risks(indicator: Indicator) -> QuerySet[KnownRisk]:
    return indicator.known_risks.filter(withdrawn_at__isnull=True).select_related("recorded_by")


# --- the escalation ladder -----------------------------------------------------------------


DEFAULT_LADDER = [
    (
        "Performance & Intelligence Group",
        "Performance, risk and information officers.",
        "Collates performance data and information from departments, partners and thematic "
        "partnerships. Analyses it and draws conclusions; produces performance and intelligence "
        "reports; focuses on underperforming areas and advises how performance may be improved; "
        "reviews performance and improvement to learn for the future.",
    ),
    (
        "Performance Board",
        "The strategic leadership team, supported and informed by the Performance & "
        "Intelligence Group.",
        "Meets monthly on performance and risk. Reviews strategic and operational performance; "
        "holds lead officers to account for their areas and senior officers for embedding a "
        "performance management culture; reviews action plans and suggested improvement "
        "methods; reviews resource allocations and suggests reallocations; escalates "
        "underperforming areas to Overview & Scrutiny.",
    ),
    (
        "Cabinet Member and Service Director",
        "The appropriate cabinet member and service director, supported by the Performance & "
        "Intelligence Group.",
        "The service director is accountable to the Performance Board. Jointly responsible for "
        "setting accurate strategic and operational priorities and for achieving them; where "
        "there is underperformance, for developing the action plan and improvement methods; for "
        "corporate, strategic and operational risks; and for data quality and a performance "
        "culture.",
    ),
    (
        "Cabinet Member for Performance & Governance",
        "The Cabinet Member for Performance & Governance, supported by the Performance & "
        "Intelligence Group.",
        "Recommends improvement in underperforming areas or areas of concern; reviews how "
        "robust and effective action plans and improvement actions are; escalates to Overview & "
        "Scrutiny; shares local, regional and national best practice; has overall "
        "responsibility for strategic, corporate and operational risks.",
    ),
    (
        "Overview & Scrutiny",
        "Overview & Scrutiny committee members, supported by the Performance & Intelligence Group.",
        "Considers escalated outcomes and service areas, possibly for its annual work "
        "programme; uses its powers to question partners under the duty to co-operate; "
        "develops policy and makes recommendations for service improvement.",
    ),
]


def ladder(council: Council) -> QuerySet[Forum]:
    """The council's active forums, bottom rung first, with the defaults if it has none yet."""
    if not council.forums.exists():
        _add_default_ladder(council)
    return council.forums.filter(is_active=True).order_by("position", "name")


def _add_default_ladder(council: Council) -> None:
    with transaction.atomic():
        for position, (name, composition, duties) in enumerate(DEFAULT_LADDER, start=1):
            Forum.objects.create(
                council=council,
                name=name,
                position=position,
                composition=composition,
                responsibilities=duties,
            )
        record(None, "ladder_created", council, "The default escalation ladder was set up")


@dataclass(frozen=True)
class ForumEntry:
    name: str
    composition: str
    responsibilities: str


@transaction.atomic
def add_forum(council: Council, entry: ForumEntry, *, by) -> Forum:
    top = council.forums.filter(is_active=True).aggregate(top=Max("position"))["top"] or 0
    forum = Forum.objects.create(council=council, position=top + 1, updated_by=by, **entry.__dict__)
    record(by, "forum_added", forum, f"{forum.name} added to the escalation ladder")
    return forum


@transaction.atomic
def change_forum(forum: Forum, entry: ForumEntry, *, by) -> Forum:
    for name, value in entry.__dict__.items():
        setattr(forum, name, value)
    forum.updated_by = by
    forum.save()
    record(by, "forum_changed", forum, f"{forum.name} changed")
    return forum


@transaction.atomic
def move_forum(forum: Forum, *, higher: bool, by) -> None:
    """Swap a forum with its neighbour one rung higher (nearer scrutiny) or lower."""
    rungs = list(ladder(forum.council))
    index = next(i for i, f in enumerate(rungs) if f.pk == forum.pk)
    other = index + 1 if higher else index - 1
    if not 0 <= other < len(rungs):
        raise InterventionError("That forum is already at the end of the ladder.")
    rungs[index], rungs[other] = rungs[other], rungs[index]
    _renumber(rungs, by)
    where = "up" if higher else "down"
    record(by, "forum_moved", forum, f"{forum.name} moved {where} the ladder")


def _renumber(rungs: list[Forum], by) -> None:
    for position, rung in enumerate(rungs, start=1):
        if rung.position != position:
            rung.position, rung.updated_by = position, by
            rung.save()


@transaction.atomic
def retire_forum(forum: Forum, *, by, reason: str) -> None:
    """Take a forum off the ladder; it stays on record for the escalations that named it."""
    if not reason.strip():
        raise InterventionError("Give the reason for taking the forum off the ladder.")
    forum.is_active, forum.updated_by, forum._change_reason = False, by, reason.strip()
    forum.save()
    _renumber(list(ladder(forum.council)), by)
    record(by, "forum_retired", forum, f"{forum.name} taken off the ladder", reason=reason.strip())


def next_forum(forum: Forum | None, council: Council) -> Forum | None:
    rungs = list(ladder(council))
    if forum is None:
        return rungs[0] if rungs else None
    above = [f for f in rungs if f.position > forum.position]
    return above[0] if above else None


# --- escalations ---------------------------------------------------------------------------


@dataclass(frozen=True)
class EscalationEntry:
    to_forum: Forum
    reason: str
    from_forum: Forum | None = None
    clinic: object | None = None
    recommendation: Recommendation | None = None


@transaction.atomic
def escalate(indicator: Indicator, entry: EscalationEntry, *, by) -> Escalation:
    if not entry.reason.strip():
        raise InterventionError("Give the reason for escalating.")
    if entry.from_forum is not None and entry.from_forum.pk == entry.to_forum.pk:
        raise InterventionError("Escalate to a different forum from the one escalating.")
    escalation = Escalation.objects.create(
        indicator=indicator,
        to_forum=entry.to_forum,
        from_forum=entry.from_forum,
        clinic=entry.clinic,
        recommendation=entry.recommendation,
        reason=entry.reason.strip(),
        escalated_by=by,
    )
    record(
        by,
        "escalated",
        indicator,
        f"{indicator.code} escalated to {entry.to_forum.name}",
        reason=entry.reason.strip(),
        escalation=escalation.pk,
        clinic=getattr(entry.clinic, "reference", None),
    )
    return escalation


@dataclass(frozen=True)
class EscalationDecision:
    decision: str
    decision_date: date
    decision_reference: str = ""


@transaction.atomic
def record_escalation_decision(
    escalation: Escalation, entry: EscalationDecision, *, by
) -> Escalation:
    if not entry.decision.strip():
        raise InterventionError("Say what the forum decided.")
    if entry.decision_date > timezone.localdate():
        raise InterventionError("The date of the decision cannot be in the future.")
    escalation.decision = entry.decision.strip()
    escalation.decision_date = entry.decision_date
    escalation.decision_reference = entry.decision_reference.strip()
    escalation.decision_recorded_by = by
    escalation._change_reason = "Decision recorded"
    escalation.save()
    record(
        by,
        "escalation_decided",
        escalation.indicator,
        f"{escalation.to_forum.name} decided on {escalation.indicator.code}",
        reason=entry.decision.strip(),
        escalation=escalation.pk,
    )
    return escalation
