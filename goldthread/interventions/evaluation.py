"""Evaluate the trigger rules against published judgements and keep recommendations in step.

Loads the facts in a handful of queries (published judgements, known risks, corporate
priorities, clinic history), asks `analysis.triggers` for the state of every rule for every
indicator, and reconciles the result with the stored recommendations: a rule that starts to
hold makes a new recommendation, one that keeps holding continues it, one that has recovered
clears it. Only published judgements count, so a draft figure never raises a recommendation.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import FieldError
from django.db import transaction
from django.utils import timezone

from goldthread.analysis import triggers
from goldthread.analysis.periods import Frequency, parse_period
from goldthread.audit.services import record
from goldthread.core.formatting import format_value
from goldthread.indicators.models import Indicator, Judgement
from goldthread.interventions.defaults import ensure_default_rules
from goldthread.interventions.models import (
    AlertState,
    KnownRisk,
    PeriodUnit,
    Recommendation,
    TriggerRule,
)

log = logging.getLogger(__name__)

_JUDGEMENT_FIELDS = (
    "indicator_id",
    "period",
    "rag",
    "value",
    "target",
    "forecast_rag",
    "spc_point_type",
    "spc_label",
)


@dataclass
class EvaluationReport:
    new: list[Recommendation] = field(default_factory=list)
    continuing: list[Recommendation] = field(default_factory=list)
    cleared: list[Recommendation] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.new or self.cleared)


def analysis_rule(rule: TriggerRule) -> triggers.Rule:
    return triggers.Rule(
        code=rule.code,
        kind=triggers.Kind(rule.kind),
        for_periods=rule.for_periods,
        recovery_periods=rule.recovery_periods,
        in_quarters=rule.period_unit == PeriodUnit.QUARTER,
        threshold=rule.threshold,
    )


@transaction.atomic
def evaluate_triggers(indicator_ids: Iterable[int] | None = None) -> EvaluationReport:
    """Evaluate every active rule for these indicators (all live ones if None)."""
    indicators = _indicators(indicator_ids)
    ensure_default_rules(TriggerRule)
    rules = list(TriggerRule.objects.filter(is_active=True))
    facts = load_facts(indicators)
    outcomes = triggers.evaluate(facts, [analysis_rule(r) for r in rules])
    return _reconcile(indicators, rules, outcomes)


def _indicators(indicator_ids: Iterable[int] | None) -> list[Indicator]:
    chosen = Indicator.objects.filter(retired_at__isnull=True, is_context=False)
    if indicator_ids is not None:
        chosen = chosen.filter(pk__in=list(indicator_ids))
    return list(chosen.order_by("code"))


# --- facts ---------------------------------------------------------------------------------


def load_facts(indicators: list[Indicator]) -> list[triggers.IndicatorFacts]:
    ids = [i.pk for i in indicators]
    rows = _published_rows(ids)
    risks = _risks_by_indicator(ids)
    priority_ids = _corporate_priority_ids(ids)
    plans, member_clinics = _clinic_history(ids)
    return [
        triggers.IndicatorFacts(
            key=str(i.pk),
            frequency=Frequency(i.frequency),
            polarity=i.polarity,
            corporate_priority=i.pk in priority_ids,
            periods=_periods(i, rows.get(i.pk, []), risks.get(i.pk, [])),
            managerial_plans_agreed=tuple(plans.get(i.pk, ())),
            member_clinics_held=tuple(member_clinics.get(i.pk, ())),
        )
        for i in indicators
    ]


def _published_rows(ids: list[int]) -> dict[int, list[tuple]]:
    found: dict[int, list[tuple]] = defaultdict(list)
    published = Judgement.objects.filter(indicator_id__in=ids, is_published=True)
    for row in published.order_by("indicator_id", "period_start").values_list(*_JUDGEMENT_FIELDS):
        found[row[0]].append(row)
    return found


def _periods(indicator: Indicator, rows: list[tuple], risks: list[KnownRisk]):
    out = []
    for index, (_id, period, rag, value, target, forecast_rag, point, label) in enumerate(rows):
        following = rows[index + 1][1] if index + 1 < len(rows) else None
        out.append(
            triggers.PeriodFacts(
                period=period,
                rag=rag,
                value=value,
                target=target,
                forecast_rag=forecast_rag or "",
                spc_point_type=point or "",
                spc_label=label or "",
                known_risks=_risks_for(period, following, risks),
                value_text=format_value(value, indicator.unit, indicator.decimals, missing=""),
                target_text=format_value(target, indicator.unit, indicator.decimals, missing=""),
            )
        )
    return tuple(out)


def _risks_for(period: str, following: str | None, risks: list[KnownRisk]) -> tuple[str, ...]:
    """Risks known when this period was the latest: recorded before the next one ended.

    The latest period counts every risk not withdrawn, so a risk recorded today bears on the
    figure in front of people now; an earlier period counts only what was known in its time.
    """
    ends = parse_period(period).end
    until = parse_period(following).end if following else None
    return tuple(
        _risk_text(risk)
        for risk in risks
        if (until is None or timezone.localdate(risk.recorded_at) <= until)
        and (risk.withdrawn_at is None if until is None else _not_withdrawn_by(risk, ends))
    )


def _not_withdrawn_by(risk: KnownRisk, ends: date) -> bool:
    return risk.withdrawn_at is None or timezone.localdate(risk.withdrawn_at) > ends


def _risk_text(risk: KnownRisk) -> str:
    when = f"{risk.expected_by:%d %B %Y}"
    return f"{risk.description} (expected effect: {risk.expected_effect}; by {when})."


def _risks_by_indicator(ids: list[int]) -> dict[int, list[KnownRisk]]:
    found: dict[int, list[KnownRisk]] = defaultdict(list)
    chosen = KnownRisk.objects.filter(indicator_id__in=ids, forecast_to_miss=True)
    for risk in chosen.order_by("recorded_at"):
        found[risk.indicator_id].append(risk)
    return found


def _corporate_priority_ids(ids: list[int]) -> set[int]:
    """Indicators on the golden thread under a corporate priority, directly or by objective."""
    through = Indicator.objects.filter(pk__in=ids)
    direct = through.filter(priorities__isnull=False).values_list("pk", flat=True)
    by_objective = through.filter(objectives__isnull=False).values_list("pk", flat=True)
    return set(direct) | set(by_objective)


def _clinic_history(ids: list[int]) -> tuple[dict[int, list[date]], dict[int, list[date]]]:
    """When managerial clinics agreed action plans and member-led clinics were held.

    A held clinic agreed its action plan at the clinic. Read defensively: the clinics app is
    built alongside this one, and a trigger must never stop a publication.
    """
    plans: dict[int, list[date]] = defaultdict(list)
    member: dict[int, list[date]] = defaultdict(list)
    try:
        from goldthread.clinics.models import Clinic, ClinicKind, ClinicState

        held = (
            Clinic.objects.filter(indicators__in=ids, held_on__isnull=False)
            .exclude(state=ClinicState.WITHDRAWN)
            .values_list("indicators", "kind", "held_on")
        )
        for indicator_id, kind, held_on in held:
            if kind == ClinicKind.MANAGERIAL:
                plans[indicator_id].append(held_on)
            elif kind == ClinicKind.AD_HOC_CHALLENGE:
                member[indicator_id].append(held_on)
    except (ImportError, AttributeError, FieldError):
        # Raised before any query runs, so the publication's transaction is unharmed.
        log.exception("Could not read clinic history for the trigger rules")
    return plans, member


# --- reconciling with stored recommendations -----------------------------------------------


def _reconcile(indicators, rules, outcomes) -> EvaluationReport:
    by_id = {str(i.pk): i for i in indicators}
    by_code = {r.code: r for r in rules}
    open_now = {
        (rec.indicator_id, rec.rule_id): rec
        for rec in Recommendation.objects.filter(
            indicator__in=indicators, state__in=(AlertState.PENDING, AlertState.FIRING)
        ).select_related("indicator", "rule")
    }
    report = EvaluationReport()
    for outcome in outcomes:
        indicator, rule = by_id[outcome.indicator], by_code[outcome.rule]
        stored = open_now.pop((indicator.pk, rule.pk), None)
        _apply(outcome, indicator, rule, stored, report)
    # Open recommendations of rules switched off since: nothing holds them open any more.
    for stored in open_now.values():
        _clear(stored, stored.last_period, report, "The rule has been switched off.")
    return report


def _apply(outcome, indicator, rule, stored, report: EvaluationReport) -> None:
    if stored is not None and (not outcome.is_open or stored.since_period != outcome.since_period):
        _clear(stored, outcome.resolved_period or outcome.last_period, report)
        stored = None
    if not outcome.is_open:
        return
    if stored is None:
        report.new.append(_create(outcome, indicator, rule))
    else:
        report.continuing.append(_continue(stored, outcome))


def _create(outcome: triggers.Outcome, indicator: Indicator, rule: TriggerRule) -> Recommendation:
    rec = Recommendation.objects.create(
        indicator=indicator,
        rule=rule,
        state=outcome.state.value,
        since_period=outcome.since_period,
        since_period_start=parse_period(outcome.since_period).start,
        firing_period=outcome.firing_period,
        last_period=outcome.last_period,
        evidence=list(outcome.evidence),
    )
    record(
        None,
        "recommendation_raised",
        indicator,
        f"{rule.name} {rec.get_state_display().lower()} for {indicator.code} "
        f"since {outcome.since_period}",
        recommendation=rec.pk,
        rule=rule.code,
        evidence=list(outcome.evidence),
    )
    return rec


def _continue(stored: Recommendation, outcome: triggers.Outcome) -> Recommendation:
    wanted = {
        "state": outcome.state.value,
        "firing_period": outcome.firing_period,
        "last_period": outcome.last_period,
        "evidence": list(outcome.evidence),
    }
    changed = [name for name, value in wanted.items() if getattr(stored, name) != value]
    if changed:
        firing_now = stored.state == AlertState.PENDING and outcome.state == triggers.State.FIRING
        for name in changed:
            setattr(stored, name, wanted[name])
        stored.save()
        if firing_now:
            _note_firing(stored)
    return stored


def _note_firing(rec: Recommendation) -> None:
    record(
        None,
        "recommendation_firing",
        rec.indicator,
        f"{rec.rule.name} now firing for {rec.indicator.code} (since {rec.since_period})",
        recommendation=rec.pk,
        rule=rec.rule.code,
    )


def _clear(stored: Recommendation, period: str, report: EvaluationReport, why: str = "") -> None:
    stored.state = AlertState.RESOLVED
    stored.resolved_period = period
    stored._change_reason = why or f"Recovered by {period}"
    stored.save()
    record(
        None,
        "recommendation_cleared",
        stored.indicator,
        f"{stored.rule.name} cleared for {stored.indicator.code} in {period}",
        reason=why,
        recommendation=stored.pk,
        rule=stored.rule.code,
    )
    report.cleared.append(stored)
