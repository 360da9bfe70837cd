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
from simple_history.utils import bulk_update_with_history

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
from goldthread.indicators.services import judgement_store
from goldthread.indicators.services.rules import as_analysis_rules, current_rules

# Stored columns of a judgement that re-judging works out, in the order rows are built.
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
    "target_version_id",
    "rules_id",
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
_NEW_ROW_COLUMNS = [
    "indicator_id",
    "period",
    "period_start",
    *_FIELDS,
    "computed_at",
    "is_published",
    "publish_reason",
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


def _row(j: FullJudgement, version: TargetVersion | None, rule_set: RuleSet) -> tuple:
    """The judgement's stored values, in _FIELDS order."""
    band = j.band or (None, None)
    spc, f = j.spc, j.forecast
    return (
        j.value,
        j.target,
        band[0],
        band[1],
        str(j.rag),
        j.previous_value,
        j.last_year_value,
        j.year_end_value,
        str(j.direction_previous),
        str(j.direction_last_year),
        str(j.direction_year_end),
        version.pk if version is not None and version.has_target else None,
        rule_set.pk,
        spc.label if spc else "",
        spc.point_type if spc else "",
        spc.mean if spc else None,
        spc.lpl if spc else None,
        spc.upl if spc else None,
        spc.variation_icon if spc else "",
        (spc.assurance or "") if spc else "",
        f.value if f else None,
        f.low if f else None,
        f.high if f else None,
        f.probability_of_meeting_target if f else None,
        f.method if f else "",
        (f.fallback_reason or f.method_text) if f else "",
        str(j.forecast_rag) if j.forecast_rag else "",
        j.explanation,
    )


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


def _judge(indicators: list[Indicator], keys: dict[int, set[str]]) -> list[tuple[int, str, tuple]]:
    """(indicator id, period key, stored values) for each judgement of these indicators."""
    ids = [indicator.pk for indicator in indicators]
    rule_set = current_rules()
    versions = current_target_versions(ids)
    inputs = _inputs(indicators, approved_series(ids), versions, keys)
    years = {}
    results = []
    for j in judge_council(inputs, as_analysis_rules(rule_set)):
        year = years.get(j.period)
        if year is None:
            year = years[j.period] = parse_period(j.period).year
        results.append((j.ident, j.period, _row(j, versions.get((j.ident, year)), rule_set)))
    return results


def _existing(ids: list[int] | None) -> dict[tuple[int, str], tuple]:
    rows = (
        Judgement.objects.all() if ids is None else Judgement.objects.filter(indicator_id__in=ids)
    )
    found = rows.values_list("id", "indicator_id", "period", "is_published", *_FIELDS)
    return {(row[1], row[2]): row for row in found}


@transaction.atomic
def rejudge(indicators: Iterable[Indicator] | None = None) -> RejudgeSummary:
    """Recompute the judgements of these indicators (all when None) and store the changes.

    Published judgements are never changed here. Rows are written in bulk without a history
    row each (see judgement_store); the audit log records that a re-judgement happened.
    """
    chosen = list(indicators) if indicators is not None else list(Indicator.objects.all())
    ids = [indicator.pk for indicator in chosen]
    existing = _existing(ids if indicators is not None else None)
    keys: dict[int, set[str]] = defaultdict(set)
    for indicator_id, period in existing:
        keys[indicator_id].add(period)
    for indicator_id, period, _value in _approved_rows(ids):
        keys[indicator_id].add(period)
    now, starts = timezone.now(), {}
    summary, to_create, to_update = RejudgeSummary(), [], []
    for indicator_id, key, values in _judge(chosen, keys):
        found = existing.get((indicator_id, key))
        if found is None:
            start = starts.get(key) or starts.setdefault(key, parse_period(key).start)
            to_create.append((indicator_id, key, start, *values, now, False, ""))
        elif found[3]:
            summary.kept_published += 1
        elif found[4:] != values:
            to_update.append((found[0], *values, now))
        else:
            summary.unchanged += 1
    judgement_store.insert(_NEW_ROW_COLUMNS, to_create)
    judgement_store.update([*_FIELDS, "computed_at"], to_update)
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
    _ident, _key, values = _judge([indicator], {indicator.pk: {period_key}})[0]
    for name, wanted in zip(_FIELDS, values, strict=True):
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
