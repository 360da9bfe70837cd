"""What the interventions pages show, worked out here so templates only fill components."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone

from goldthread.analysis.periods import PeriodError, parse_period
from goldthread.indicators import access as indicator_access
from goldthread.indicators.models import Indicator
from goldthread.interventions import access, services
from goldthread.interventions.defaults import ensure_default_rules
from goldthread.interventions.models import (
    AlertState,
    Decision,
    Escalation,
    KnownRisk,
    Recommendation,
    TriggerKind,
    TriggerRule,
)
from goldthread.structure.services import council

STATE_TAGS = {
    AlertState.PENDING: "govuk-tag--yellow",
    AlertState.FIRING: "govuk-tag--red",
    AlertState.RESOLVED: "govuk-tag--green",
}
DECISION_TAGS = {
    Decision.AWAITING: "govuk-tag--blue",
    Decision.ACCEPTED: "govuk-tag--green",
    Decision.DISMISSED: "govuk-tag--grey",
}
THRESHOLD_MEANING = {
    TriggerKind.RECOGNITION: "How far better than the target counts as particularly good, as a "
    "percentage of the target (improving special cause variation on target also counts).",
}
REVIEW_WINDOW_DAYS = 30


def period_words(key: str) -> str:
    try:
        return parse_period(key).label
    except PeriodError:
        return key


# --- recommendations -----------------------------------------------------------------------


@dataclass
class Dismissal:
    reason: str
    by: str
    on: object
    since: str


@dataclass
class RecommendationLine:
    rec: Recommendation
    url: str
    indicator_url: str
    since: str
    state_label: str
    state_class: str
    decision_label: str
    decision_class: str
    evidence: list[str]
    dismissals: list[Dismissal] = field(default_factory=list)
    opened: list[tuple[str, str]] = field(default_factory=list)


def recommendation_line(rec: Recommendation, *, with_history: bool = True) -> RecommendationLine:
    return RecommendationLine(
        rec=rec,
        url=rec.get_absolute_url(),
        indicator_url=reverse("indicators:detail", args=[rec.indicator.code]),
        since=period_words(rec.since_period),
        state_label=rec.get_state_display(),
        state_class=STATE_TAGS.get(rec.state, ""),
        decision_label=rec.get_decision_display(),
        decision_class=DECISION_TAGS.get(rec.decision, ""),
        evidence=[str(e) for e in rec.evidence or []],
        dismissals=_dismissals(rec) if with_history else [],
        opened=_opened(rec) if with_history else [],
    )


def _dismissals(rec: Recommendation) -> list[Dismissal]:
    return [
        Dismissal(
            d.decision_reason,
            str(d.decided_by or "someone"),
            d.decided_at,
            period_words(d.since_period),
        )
        for d in services.earlier_dismissals(rec)
    ]


def _opened(rec: Recommendation) -> list[tuple[str, str]]:
    """The clinics and plans opened from this recommendation, as (text, link)."""
    found: list[tuple[str, str]] = []
    for name in ("clinics", "improvement_plans"):
        related = getattr(rec, name, None)
        if related is not None:
            found.extend((str(item), item.get_absolute_url()) for item in related.all())
    return found


@dataclass
class Queue:
    awaiting: list[RecommendationLine]
    pending: list[RecommendationLine]
    decided: list[RecommendationLine]
    filters: list[dict]
    chosen: TriggerRule | None


def _queue_filters(chosen: TriggerRule | None) -> list[dict]:
    """One link per rule with the number awaiting a decision, for triage by kind."""
    counts: dict[int, int] = {}
    for rule_id in services.queue().values_list("rule_id", flat=True):
        counts[rule_id] = counts.get(rule_id, 0) + 1
    base = reverse("interventions:queue")
    links = [{"text": "All", "href": base, "count": sum(counts.values()), "current": not chosen}]
    for rule in TriggerRule.objects.all():
        links.append(
            {
                "text": rule.name,
                "href": f"{base}?rule={rule.code}",
                "count": counts.get(rule.pk, 0),
                "current": chosen is not None and chosen.pk == rule.pk,
            }
        )
    return links


def build_queue(rule_code: str = "") -> Queue:
    chosen = TriggerRule.objects.filter(code=rule_code).first() if rule_code else None
    recent = timezone.now() - timedelta(days=90)
    open_recs = Recommendation.objects.select_related("indicator", "rule")
    awaiting = services.queue()
    if chosen is not None:
        awaiting, open_recs = awaiting.filter(rule=chosen), open_recs.filter(rule=chosen)
    return Queue(
        awaiting=[recommendation_line(r) for r in awaiting],
        pending=[
            recommendation_line(r, with_history=False)
            for r in open_recs.filter(state=AlertState.PENDING).order_by("rule__order")
        ],
        decided=[
            recommendation_line(r, with_history=False)
            for r in open_recs.filter(decided_at__gte=recent).order_by("-decided_at")[:50]
        ],
        filters=_queue_filters(chosen),
        chosen=chosen,
    )


# --- trigger rules -------------------------------------------------------------------------


@dataclass
class RuleLine:
    rule: TriggerRule
    url: str
    fires: str
    clears: str
    threshold: str
    firing: int


def _count_words(count: int, unit: str) -> str:
    noun = "quarter" if unit == "quarter" else "period"
    return f"{count} {noun}{'' if count == 1 else 's'}"


def rule_line(rule: TriggerRule, firing: int = 0) -> RuleLine:
    return RuleLine(
        rule=rule,
        url=reverse("interventions:rule", args=[rule.code]),
        fires=f"After it has held for {_count_words(rule.for_periods, rule.period_unit)}",
        clears=f"After {_count_words(rule.recovery_periods, rule.period_unit)} without holding",
        threshold=threshold_words(rule),
        firing=firing,
    )


def threshold_words(rule: TriggerRule) -> str:
    if rule.kind not in THRESHOLD_MEANING:
        return "Not used by this rule"
    return f"{rule.threshold:g}%" if rule.threshold is not None else "Not set"


def uses_threshold(rule: TriggerRule) -> bool:
    return rule.kind in THRESHOLD_MEANING


def rule_lines() -> list[RuleLine]:
    ensure_default_rules(TriggerRule)
    firing = Recommendation.objects.filter(state=AlertState.FIRING)
    counts: dict[int, int] = {}
    for rule_id in firing.values_list("rule_id", flat=True):
        counts[rule_id] = counts.get(rule_id, 0) + 1
    return [rule_line(r, counts.get(r.pk, 0)) for r in TriggerRule.objects.all()]


# --- escalations and the indicator section -------------------------------------------------


@dataclass
class EscalationLine:
    escalation: Escalation
    url: str
    route: str
    clinic: tuple[str, str] | None


def escalation_line(e: Escalation) -> EscalationLine:
    route = f"{e.from_forum.name} to {e.to_forum.name}" if e.from_forum else e.to_forum.name
    clinic = (str(e.clinic), e.clinic.get_absolute_url()) if e.clinic_id else None
    return EscalationLine(e, reverse("interventions:escalation", args=[e.pk]), route, clinic)


@dataclass
class IndicatorSection:
    indicator: Indicator
    recommendations: list[RecommendationLine]
    known_risks: list[KnownRisk]
    escalations: list[EscalationLine]
    clinics: list[tuple[str, str, str]]
    plans: list[tuple[str, str, str]]
    show_known_risks: bool
    can_record_risk: bool
    can_escalate: bool
    # Links to start a plan or ask for a clinic about this indicator; empty when the reader
    # may not (each app's access decision) or, for a plan, when one is already under way.
    start_plan_url: str = ""
    request_clinic_url: str = ""

    @property
    def is_empty(self) -> bool:
        shown = (self.recommendations, self.known_risks, self.escalations, self.clinics)
        return not any(shown) and not self.plans


def indicator_section(indicator: Indicator, user) -> IndicatorSection | None:
    """The "Interventions" section of an indicator page, or None for the public."""
    if not user.is_authenticated:
        return None
    recs = access.recommendations_for(user).filter(indicator=indicator)
    recs = recs.exclude(state=AlertState.RESOLVED) | recs.filter(decision=Decision.ACCEPTED)
    escalations = access.escalations_for(user).filter(indicator=indicator)
    sees_risks = access.can_see_known_risks(user)
    return IndicatorSection(
        indicator=indicator,
        recommendations=[recommendation_line(r, with_history=False) for r in recs[:20]],
        known_risks=list(services.current_known_risks(indicator)) if sees_risks else [],
        escalations=[escalation_line(e) for e in escalations.select_related("clinic")],
        clinics=_clinics_for(user, indicator),
        plans=_plans_for(user, indicator),
        show_known_risks=sees_risks,
        can_record_risk=access.can_record_known_risk(user, indicator),
        can_escalate=access.can_escalate(user, indicator),
        start_plan_url=_start_plan_url(user, indicator),
        request_clinic_url=_request_clinic_url(user, indicator),
    )


def _about(url_name: str, indicator: Indicator) -> str:
    return f"{reverse(url_name)}?{urlencode({'indicator': indicator.code})}"


def _start_plan_url(user, indicator: Indicator) -> str:
    try:
        from goldthread.improvement.access import can_start_plan
        from goldthread.improvement.services import latest_judgement, live_plan
    except ImportError:
        return ""
    if not can_start_plan(user, indicator) or live_plan(indicator) is not None:
        return ""
    # With no approved figure there is nothing to plan against; the form would refuse it.
    return _about("improvement:start", indicator) if latest_judgement(indicator) else ""


def _request_clinic_url(user, indicator: Indicator) -> str:
    try:
        from goldthread.clinics.access import can_request_any
    except ImportError:
        return ""
    return _about("clinics:request", indicator) if can_request_any(user) else ""


def _clinics_for(user, indicator: Indicator | None = None) -> list[tuple[str, str, str]]:
    """Open clinics this person may see, as (title, link, state); empty if clinics are absent."""
    try:
        from goldthread.clinics.access import clinics_for
        from goldthread.clinics.models import OPEN_STATES
    except ImportError:
        return []
    chosen = clinics_for(user).filter(state__in=OPEN_STATES)
    if indicator is not None:
        chosen = chosen.filter(indicators=indicator)
    return [(str(c), c.get_absolute_url(), c.get_state_display()) for c in chosen[:50]]


def _plans_for(user, indicator: Indicator | None = None) -> list[tuple[str, str, str]]:
    """Live improvement plans this person may see, as (title, link, status)."""
    try:
        from goldthread.improvement.access import plans_for
        from goldthread.improvement.models import LIVE_STATUSES
    except ImportError:
        return []
    chosen = plans_for(user).filter(status__in=LIVE_STATUSES).select_related("indicator")
    if indicator is not None:
        chosen = chosen.filter(indicator=indicator)
    return [(str(p), p.get_absolute_url(), p.get_status_display()) for p in chosen[:50]]


def _scrutiny_due(user) -> list[tuple[str, str, object]]:
    """Scrutiny recommendations whose six-month review falls due within a month."""
    try:
        from goldthread.improvement.access import recommendations_for
    except ImportError:
        return []
    soon = timezone.localdate() + timedelta(days=REVIEW_WINDOW_DAYS)
    due = recommendations_for(user).filter(
        review_due__isnull=False, review_due__lte=soon, reviewed_on__isnull=True
    )
    return [(str(r), r.get_absolute_url(), r.review_due) for r in due.order_by("review_due")[:50]]


# --- the hub -------------------------------------------------------------------------------


@dataclass
class Hub:
    show_queue: bool
    awaiting: int
    pending: int
    clinics: list[tuple[str, str, str]]
    plans: list[tuple[str, str, str]]
    scrutiny_due: list[tuple[str, str, object]]
    escalations_awaiting: list[EscalationLine]
    show_rules: bool
    performing_well: list[tuple[str, str, str]]


def build_hub(user) -> Hub:
    show_queue = access.can_see_queue(user)
    open_recs = Recommendation.objects.filter(decision=Decision.AWAITING)
    undecided = access.escalations_for(user).filter(decision="").select_related("clinic")
    return Hub(
        show_queue=show_queue,
        awaiting=open_recs.filter(state=AlertState.FIRING).count() if show_queue else 0,
        pending=open_recs.filter(state=AlertState.PENDING).count() if show_queue else 0,
        clinics=_clinics_for(user),
        plans=_plans_for(user),
        scrutiny_due=_scrutiny_due(user),
        escalations_awaiting=[escalation_line(e) for e in undecided[:50]],
        show_rules=access.can_see_rules(user),
        performing_well=_performing_well(user),
    )


def _performing_well(user) -> list[tuple[str, str, str]]:
    """Indicators the recognition rule fires for, for exception reports (seed 004 §5.3)."""
    firing = Recommendation.objects.filter(
        rule__kind=TriggerKind.RECOGNITION,
        state=AlertState.FIRING,
        indicator__in=indicator_access.indicators_for(user),
    ).select_related("indicator")
    return [
        (f"{r.indicator.code} {r.indicator.name}",
         reverse("indicators:detail", args=[r.indicator.code]),
         period_words(r.since_period))
        for r in firing.order_by("indicator__code")[:50]
    ]  # fmt: skip


def ladder_rungs():
    found = council()
    return list(services.ladder(found)) if found is not None else []
