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

from goldthread.analysis.council import FullJudgement, IndicatorInput, judge_council
from goldthread.analysis.judge import IndicatorSpec, TargetSpec
from goldthread.analysis.periods import Frequency, parse_period
from goldthread.analysis.status import Polarity, ToleranceKind
from goldthread.audit.services import record
from goldthread.core.freshness import data_changed
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
    "spc_label",
    "spc_point_type",
    "spc_mean",
    "spc_lpl",
    "spc_upl",
    "variation_icon",
    "assurance",
    "forecast_value",
    "forecast_low",
    "forecast_high",
    "forecast_probability",
    "forecast_method",
    "forecast_method_text",
    "forecast_rag",
    "explanation",
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


def _approved_rows(indicator_ids: Iterable[int]) -> list[tuple[int, str, float | None]]:
    return list(
        Value.objects.filter(
            indicator_id__in=list(indicator_ids), area__isnull=True, state__in=APPROVED_STATES
        ).values_list("indicator_id", "period", "value")
    )


def approved_series(indicator_ids: Iterable[int]) -> dict[int, dict[str, float | None]]:
    series: dict[int, dict[str, float | None]] = defaultdict(dict)
    for indicator_id, period, value in _approved_rows(indicator_ids):
        series[indicator_id][period] = value
    return series


def _spc_fields(j: FullJudgement) -> dict:
    spc = j.spc
    return {
        "spc_label": spc.label if spc else "",
        "spc_point_type": spc.point_type if spc else "",
        "spc_mean": spc.mean if spc else None,
        "spc_lpl": spc.lpl if spc else None,
        "spc_upl": spc.upl if spc else None,
        "variation_icon": spc.variation_icon if spc else "",
        "assurance": (spc.assurance or "") if spc else "",
    }


def _forecast_fields(j: FullJudgement) -> dict:
    f = j.forecast
    return {
        "forecast_value": f.value if f else None,
        "forecast_low": f.low if f else None,
        "forecast_high": f.high if f else None,
        "forecast_probability": f.probability_of_meeting_target if f else None,
        "forecast_method": f.method if f else "",
        "forecast_method_text": (f.fallback_reason or f.method_text) if f else "",
        "forecast_rag": str(j.forecast_rag) if j.forecast_rag else "",
    }


def _fields_from(j: FullJudgement, version: TargetVersion | None, rule_set: RuleSet) -> dict:
    band = j.band or (None, None)
    return {
        "value": j.value,
        "target": j.target,
        "band_lower": band[0],
        "band_upper": band[1],
        "rag": str(j.rag),
        "previous_value": j.previous_value,
        "last_year_value": j.last_year_value,
        "year_end_value": j.year_end_value,
        "direction_previous": str(j.direction_previous),
        "direction_last_year": str(j.direction_last_year),
        "direction_year_end": str(j.direction_year_end),
        "target_version": version if version is not None and version.has_target else None,
        "rules": rule_set,
        **_spc_fields(j),
        **_forecast_fields(j),
        "explanation": j.explanation,
    }


def _inputs(
    indicators: list[Indicator],
    series: dict[int, dict[str, float | None]],
    versions: dict[tuple[int, int], TargetVersion],
    keys: dict[int, set[str]],
) -> list[IndicatorInput]:
    targets: dict[int, dict[int, TargetSpec | None]] = defaultdict(dict)
    for (indicator_id, year), version in versions.items():
        targets[indicator_id][year] = target_spec(version)
    return [
        IndicatorInput(
            ident=indicator.pk,
            frequency=Frequency(indicator.frequency),
            spec=indicator_spec(indicator),
            series=series.get(indicator.pk, {}),
            targets=targets.get(indicator.pk, {}),
            unit=indicator.unit,
            judge=keys.get(indicator.pk, set()),
        )
        for indicator in indicators
    ]


def _differs(judgement: Judgement, fields: dict) -> bool:
    for name, wanted in fields.items():
        current = getattr(judgement, f"{name}_id" if name in ("target_version", "rules") else name)
        wanted_cmp = wanted.pk if hasattr(wanted, "pk") else wanted
        if current != wanted_cmp:
            return True
    return False


def _judge(indicators: list[Indicator], keys: dict[int, set[str]]) -> list[tuple[dict, str, int]]:
    """(fields, period key, indicator id) for each judgement of these indicators."""
    ids = [indicator.pk for indicator in indicators]
    rule_set = current_rules()
    versions = current_target_versions(ids)
    inputs = _inputs(indicators, approved_series(ids), versions, keys)
    results = judge_council(inputs, as_analysis_rules(rule_set))
    return [
        (
            _fields_from(j, versions.get((j.ident, parse_period(j.period).year)), rule_set),
            j.period,
            j.ident,
        )
        for j in results
    ]


@transaction.atomic
def rejudge(indicators: Iterable[Indicator] | None = None) -> RejudgeSummary:
    """Recompute the judgements of these indicators (all when None) and store the changes."""
    chosen = list(indicators) if indicators is not None else list(Indicator.objects.all())
    ids = [indicator.pk for indicator in chosen]
    existing = {
        (j.indicator_id, j.period): j for j in Judgement.objects.filter(indicator_id__in=ids)
    }
    keys: dict[int, set[str]] = defaultdict(set)
    for indicator_id, period in existing:
        keys[indicator_id].add(period)
    for indicator_id, period, _value in _approved_rows(ids):
        keys[indicator_id].add(period)
    summary, to_create, to_update = RejudgeSummary(), [], []
    for fields, key, indicator_id in _judge(chosen, keys):
        judgement = existing.get((indicator_id, key))
        if judgement is None:
            start = parse_period(key).start
            to_create.append(
                Judgement(indicator_id=indicator_id, period=key, period_start=start, **fields)
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
    if to_create or to_update:
        data_changed()
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
            changed,
            Judgement,
            ["is_published", "published_at", "published_by", "publish_reason"],
            default_user=actor if getattr(actor, "is_authenticated", False) else None,
            default_change_reason=reason or None,
        )
        data_changed()
    return len(changed)


@transaction.atomic
def republish(indicator: Indicator, period_key: str, *, actor, reason: str) -> Judgement:
    """Recompute one published judgement with today's targets and rules, saying why."""
    if not reason.strip():
        raise ValueError("Give a reason for re-publishing this judgement.")
    judgement = Judgement.objects.select_for_update().get(indicator=indicator, period=period_key)
    before = {"rag": judgement.rag, "target": judgement.target, "rules": judgement.rules.version}
    fields = next(f for f, key, _ in _judge([indicator], {indicator.pk: {period_key}}))
    for name, wanted in fields.items():
        setattr(judgement, name, wanted)
    judgement.published_at, judgement.published_by = timezone.now(), actor
    judgement.publish_reason = reason
    judgement._change_reason = reason
    judgement.save()
    after = {"rag": judgement.rag, "target": judgement.target, "rules": judgement.rules.version}
    record(
        actor,
        "judgement_republished",
        indicator,
        f"Judgement for {parse_period(period_key).label} re-published",
        reason=reason,
        period=period_key,
        before=before,
        after=after,
    )
    return judgement
