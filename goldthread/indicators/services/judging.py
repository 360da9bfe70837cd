"""Compute and store judgements for many indicators in a handful of queries.

Published judgements are never rewritten by a recomputation: only `republish` changes one, and
it records who did it and why. Judgements are made from approved and published figures only.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from goldthread.analysis.judge import IndicatorSpec, PeriodJudgement, TargetSpec, judge_period
from goldthread.analysis.periods import Period, parse_period
from goldthread.analysis.status import JudgementRules, Polarity, ToleranceKind
from goldthread.audit.services import record
from goldthread.indicators.models import (
    APPROVED_STATES,
    Indicator,
    Judgement,
    RuleSet,
    TargetVersion,
    Value,
)
from goldthread.indicators.services.rules import as_analysis_rules, current_rules

_FIELDS = [
    "value",
    "target",
    "band_lower",
    "band_upper",
    "rag",
    "previous_value",
    "last_year_value",
    "year_end_value",
    "direction_previous",
    "direction_last_year",
    "direction_year_end",
    "target_version",
    "rules",
]


@dataclass
class RejudgeSummary:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    kept_published: int = 0


def indicator_spec(indicator: Indicator) -> IndicatorSpec:
    return IndicatorSpec(
        polarity=Polarity(indicator.polarity),
        accumulation=indicator.accumulation,
        aggregation=indicator.aggregation,
        decimals=indicator.decimals,
        is_context=indicator.is_context,
    )


def target_spec(version: TargetVersion | None) -> TargetSpec | None:
    if version is None or not version.has_target:
        return None
    return TargetSpec(
        annual_target=version.annual_target,
        tolerance=version.tolerance,
        tolerance_kind=ToleranceKind(version.tolerance_kind),
        band_lower=version.band_lower,
        band_upper=version.band_upper,
        profile=version.profile or {},
    )


def current_target_versions(indicator_ids: Iterable[int]) -> dict[tuple[int, int], TargetVersion]:
    """The newest target version per indicator and financial year, in one query."""
    latest: dict[tuple[int, int], TargetVersion] = {}
    rows = TargetVersion.objects.filter(indicator_id__in=list(indicator_ids)).order_by("version")
    for version in rows:
        latest[(version.indicator_id, version.year)] = version
    return latest


def approved_series(indicator_ids: Iterable[int]) -> dict[int, dict[str, float | None]]:
    series: dict[int, dict[str, float | None]] = defaultdict(dict)
    rows = Value.objects.filter(
        indicator_id__in=list(indicator_ids), area__isnull=True, state__in=APPROVED_STATES
    ).values_list("indicator_id", "period", "value")
    for indicator_id, period, value in rows:
        series[indicator_id][period] = value
    return series


def _fields_from(result: PeriodJudgement, version: TargetVersion | None, rule_set: RuleSet) -> dict:
    band = result.band or (None, None)
    return {
        "value": result.value,
        "target": result.target,
        "band_lower": band[0],
        "band_upper": band[1],
        "rag": str(result.rag),
        "previous_value": result.previous_value,
        "last_year_value": result.last_year_value,
        "year_end_value": result.year_end_value,
        "direction_previous": str(result.direction_previous),
        "direction_last_year": str(result.direction_last_year),
        "direction_year_end": str(result.direction_year_end),
        "target_version": version if version is not None and version.has_target else None,
        "rules": rule_set,
    }


def _judge_one(
    indicator: Indicator,
    period: Period,
    series: dict[str, float | None],
    versions: dict[tuple[int, int], TargetVersion],
    rule_set: RuleSet,
    rules: JudgementRules,
) -> dict:
    version = versions.get((indicator.pk, period.year))
    result = judge_period(series, period, indicator_spec(indicator), target_spec(version), rules)
    return _fields_from(result, version, rule_set)


def _differs(judgement: Judgement, fields: dict) -> bool:
    for name, wanted in fields.items():
        current = getattr(judgement, f"{name}_id" if name in ("target_version", "rules") else name)
        wanted_cmp = wanted.pk if hasattr(wanted, "pk") else wanted
        if current != wanted_cmp:
            return True
    return False


@transaction.atomic
def rejudge(indicators: Iterable[Indicator] | None = None) -> RejudgeSummary:
    """Recompute the judgements of these indicators (all when None) and store the changes."""
    chosen = list(indicators) if indicators is not None else list(Indicator.objects.all())
    ids = [indicator.pk for indicator in chosen]
    rule_set = current_rules()
    rules = as_analysis_rules(rule_set)
    versions = current_target_versions(ids)
    all_series = approved_series(ids)
    existing = {
        (j.indicator_id, j.period): j for j in Judgement.objects.filter(indicator_id__in=ids)
    }
    summary, to_create, to_update = RejudgeSummary(), [], []
    for indicator in chosen:
        series = all_series.get(indicator.pk, {})
        keys = set(series) | {key for (ind, key) in existing if ind == indicator.pk}
        for key in keys:
            period = parse_period(key)
            fields = _judge_one(indicator, period, series, versions, rule_set, rules)
            judgement = existing.get((indicator.pk, key))
            if judgement is None:
                to_create.append(
                    Judgement(indicator=indicator, period=key, period_start=period.start, **fields)
                )
            elif judgement.is_published:
                summary.kept_published += 1
            elif _differs(judgement, fields):
                for name, wanted in fields.items():
                    setattr(judgement, name, wanted)
                to_update.append(judgement)
            else:
                summary.unchanged += 1
    if to_create:
        bulk_create_with_history(to_create, Judgement, batch_size=1000)
    if to_update:
        bulk_update_with_history(to_update, Judgement, [*_FIELDS, "computed_at"], batch_size=1000)
    summary.created, summary.updated = len(to_create), len(to_update)
    return summary


@transaction.atomic
def publish(judgements: Iterable[Judgement], *, actor, reason: str = "") -> int:
    """Mark judgements as published: from now on only `republish` may change them."""
    now, changed = timezone.now(), []
    for judgement in judgements:
        if judgement.is_published:
            continue
        judgement.is_published, judgement.published_at = True, now
        judgement.published_by = actor if getattr(actor, "is_authenticated", False) else None
        judgement.publish_reason = reason
        changed.append(judgement)
    if changed:
        bulk_update_with_history(
            changed, Judgement, ["is_published", "published_at", "published_by", "publish_reason"]
        )
    return len(changed)


@transaction.atomic
def republish(indicator: Indicator, period_key: str, *, actor, reason: str) -> Judgement:
    """Recompute one published judgement with today's targets and rules, saying why."""
    if not reason.strip():
        raise ValueError("Give a reason for re-publishing this judgement.")
    judgement = Judgement.objects.select_for_update().get(indicator=indicator, period=period_key)
    before = {"rag": judgement.rag, "target": judgement.target, "rules": judgement.rules.version}
    period = parse_period(period_key)
    rule_set = current_rules()
    fields = _judge_one(
        indicator,
        period,
        approved_series([indicator.pk]).get(indicator.pk, {}),
        current_target_versions([indicator.pk]),
        rule_set,
        as_analysis_rules(rule_set),
    )
    for name, wanted in fields.items():
        setattr(judgement, name, wanted)
    judgement.published_at, judgement.published_by = timezone.now(), actor
    judgement.publish_reason = reason
    judgement._change_reason = reason
    judgement.save()
    after = {"rag": judgement.rag, "target": judgement.target, "rules": rule_set.version}
    record(
        actor,
        "judgement_republished",
        indicator,
        f"Judgement for {period.label} re-published",
        reason=reason,
        period=period_key,
        before=before,
        after=after,
    )
    return judgement
