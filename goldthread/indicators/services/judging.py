"""Compute and store judgements for many indicators in a handful of queries.

Published judgements are never rewritten by a recomputation: only `republish` changes one, and
it records who did it and why. Judgements are made from approved and published figures only.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
from django.db import connection, transaction
from django.utils import timezone
from simple_history.utils import bulk_update_with_history

from goldthread.analysis.council import CouncilColumns, IndicatorInput, judge_columns
from goldthread.analysis.judge import IndicatorSpec, TargetSpec
from goldthread.analysis.periods import Frequency, parse_period
from goldthread.analysis.status import DIRECTION_ORDER, RAG_ORDER, Polarity, ToleranceKind
from goldthread.audit.services import record
from goldthread.core.freshness import data_changed
from goldthread.indicators.models import (
    APPROVED_STATES,
    Indicator,
    Judgement,
    TargetVersion,
    Value,
)
from goldthread.indicators.services import judgement_store
from goldthread.indicators.services.rules import as_analysis_rules, current_rules
from goldthread.indicators.signals import judgements_published

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


def _fetch(queryset) -> list[tuple]:
    """A values_list query's rows through a plain cursor (no per-row iterator work)."""
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _scoped(queryset, indicator_ids: list[int] | None):
    # order_by(): the models' default ordering joins Indicator to sort by code, which costs a
    # sort of every row and, on a freshly loaded PostgreSQL table, a very slow plan.
    queryset = queryset.order_by()
    return queryset if indicator_ids is None else queryset.filter(indicator_id__in=indicator_ids)


_TARGET_COLUMNS = ["id", "indicator_id", "year", "annual_target", "tolerance", "tolerance_kind"]
_TARGET_COLUMNS += ["band_lower", "band_upper", "profile"]


def _current_targets(indicator_ids: list[int] | None) -> dict[tuple[int, int], tuple]:
    """(indicator id, year) -> (version id, TargetSpec) of the newest version with a target."""
    rows = _scoped(TargetVersion.objects.all(), indicator_ids).order_by("version")
    latest = {(row[1], row[2]): row for row in rows.values_list(*_TARGET_COLUMNS)}
    return {key: (row[0], _spec_of(row)) for key, row in latest.items() if _has_target(row)}


def _has_target(row: tuple) -> bool:
    return row[3] is not None or (row[6] is not None and row[7] is not None)


def _spec_of(row: tuple) -> TargetSpec:
    _id, _indicator, _year, annual, tolerance, kind, lower, upper, profile = row
    return TargetSpec(
        annual_target=annual,
        tolerance=tolerance,
        tolerance_kind=ToleranceKind(kind),
        band_lower=lower,
        band_upper=upper,
        profile=profile or {},
    )


def _approved_rows(indicator_ids: Iterable[int] | None) -> list[tuple[int, str, float | None]]:
    """(indicator id, period, value) of every approved council-wide figure (None: all)."""
    values = Value.objects.filter(area__isnull=True, state__in=APPROVED_STATES)
    ids = None if indicator_ids is None else list(indicator_ids)
    return _fetch(_scoped(values, ids).values_list("indicator_id", "period", "value"))


def approved_series(indicator_ids: Iterable[int]) -> dict[int, dict[str, float | None]]:
    return _series(_approved_rows(indicator_ids))


def _series(rows: list[tuple[int, str, float | None]]) -> dict[int, dict[str, float | None]]:
    series: dict[int, dict[str, float | None]] = defaultdict(dict)
    for indicator_id, period, value in rows:
        series[indicator_id][period] = value
    return series


def _inputs(
    indicators: list[Indicator],
    series: dict[int, dict[str, float | None]],
    targets: dict[tuple[int, int], tuple],
    keys: dict[int, set[str]],
) -> list[IndicatorInput]:
    per_indicator: dict[int, dict[int, TargetSpec | None]] = defaultdict(dict)
    for (indicator_id, year), (_version_id, spec) in targets.items():
        per_indicator[indicator_id][year] = spec
    return [
        IndicatorInput(
            ident=indicator.pk,
            frequency=Frequency(indicator.frequency),
            spec=indicator_spec(indicator),
            series=series.get(indicator.pk, {}),
            targets=per_indicator.get(indicator.pk, {}),
            unit=indicator.unit,
            judge=keys.get(indicator.pk, set()),
        )
        for indicator in indicators
    ]


def _judged(
    indicators: list[Indicator],
    keys: dict[int, set[str]],
    approved: list[tuple[int, str, float | None]] | None = None,
    ids: list[int] | None = None,
) -> tuple[list[int], list[str], list[list]]:
    """Indicator ids, period keys and the stored columns (in _FIELDS order) of judgements.

    `ids` None means these indicators are the whole council (no id list in the queries).
    """
    if ids is None and approved is None:
        ids = [indicator.pk for indicator in indicators]
    rule_set = current_rules()
    targets = _current_targets(ids)
    series = _series(approved if approved is not None else _approved_rows(ids))
    inputs = _inputs(indicators, series, targets, keys)
    c = judge_columns(inputs, as_analysis_rules(rule_set))
    idents = _idents(inputs)[c.owner].tolist() if len(c) else []
    pairs = zip(idents, c.year.tolist(), strict=True)
    versions = [targets.get(pair, _NO_VERSION)[0] for pair in pairs]
    return idents, c.period, _stored_columns(c, versions, rule_set.pk)


def _idents(inputs: list[IndicatorInput]) -> np.ndarray:
    return np.array([item.ident for item in inputs], dtype=object)


_NO_VERSION = (None, None)
_RAG_VALUES = np.array([str(r) for r in RAG_ORDER], dtype=object)
_DIRECTION_VALUES = np.array([str(d) for d in DIRECTION_ORDER], dtype=object)


def _floats(array: np.ndarray) -> list:
    """Python floats, None for NaN: what the database driver stores as NULL."""
    out = array.astype(object)
    out[np.isnan(array)] = None
    return out.tolist()


def _stored_columns(c: CouncilColumns, versions: list, rules_id: int) -> list[list]:
    """The judgements' stored values, one list per column in _FIELDS order."""
    n = len(c)
    latest = _latest_columns(c)
    return [
        _floats(c.value),
        _floats(c.target),
        _floats(c.band_lower),
        _floats(c.band_upper),
        _RAG_VALUES[c.rag].tolist(),
        _floats(c.previous_value),
        _floats(c.last_year_value),
        _floats(c.year_end_value),
        _DIRECTION_VALUES[c.direction_previous].tolist(),
        _DIRECTION_VALUES[c.direction_last_year].tolist(),
        _DIRECTION_VALUES[c.direction_year_end].tolist(),
        versions,
        [rules_id] * n,
        c.spc_label.tolist(),
        c.spc_point_type.tolist(),
        _floats(c.spc_mean),
        _floats(c.spc_lpl),
        _floats(c.spc_upl),
        c.variation_icon.tolist(),
        [a or "" for a in c.assurance.tolist()],
        *latest,
    ]


def _latest_columns(c: CouncilColumns) -> list[list]:
    """Forecast and explanation columns: empty except on each indicator's latest row."""
    n = len(c)
    out = [[None] * n for _ in range(4)] + [[""] * n for _ in range(4)]
    for i, latest in c.latest.items():
        f = latest.forecast
        if f is not None:
            out[0][i], out[1][i], out[2][i] = f.value, f.low, f.high
            out[3][i], out[4][i] = f.probability_of_meeting_target, f.method
            out[5][i] = f.fallback_reason or f.method_text
        out[6][i] = str(latest.forecast_rag) if latest.forecast_rag else ""
        out[7][i] = latest.explanation
    return out


def _judge(indicators: list[Indicator], keys: dict[int, set[str]]) -> list[tuple[int, str, tuple]]:
    """(indicator id, period key, stored values) for each judgement of these indicators."""
    idents, periods, columns = _judged(indicators, keys)
    return list(zip(idents, periods, zip(*columns, strict=True), strict=True))


def _existing(ids: list[int] | None) -> dict[tuple[int, str], tuple]:
    rows = _scoped(Judgement.objects.all(), ids)
    found = _fetch(rows.values_list("id", "indicator_id", "period", "is_published", *_FIELDS))
    return {(row[1], row[2]): row for row in found}


def _existing_keys(ids: list[int] | None) -> list[tuple[int, str]]:
    return _fetch(_scoped(Judgement.objects.all(), ids).values_list("indicator_id", "period"))


@transaction.atomic
def rejudge(indicators: Iterable[Indicator] | None = None) -> RejudgeSummary:
    """Recompute the judgements of these indicators (all when None) and store the changes.

    Published judgements are never changed here. Rows are written in bulk without a history
    row each (see judgement_store); the audit log records that a re-judgement happened.
    """
    chosen = list(indicators) if indicators is not None else list(Indicator.objects.all())
    ids = [indicator.pk for indicator in chosen] if indicators is not None else None
    approved = _approved_rows(ids)
    keys: dict[int, set[str]] = defaultdict(set)
    for indicator_id, period in _existing_keys(ids):
        keys[indicator_id].add(period)
    for indicator_id, period, _value in approved:
        keys[indicator_id].add(period)
    idents, periods, columns = _judged(chosen, keys, approved, ids)
    starts = {key: parse_period(key).start for key in set(periods)}
    rows = list(zip(idents, periods, map(starts.__getitem__, periods), *columns, strict=True))
    now = timezone.now()
    if judgement_store.merges_in_database():
        created, updated, kept = judgement_store.merge(_FIELDS, rows, now)
        summary = RejudgeSummary(created, updated, len(rows) - created - updated - kept, kept)
    else:
        summary = _merge_in_python(ids, rows, now)
    if summary.created or summary.updated:
        data_changed()
    return summary


def _merge_in_python(ids: list[int] | None, rows: list[tuple], now) -> RejudgeSummary:
    """Compare with the stored rows here, then insert the new and update the changed ones."""
    existing = _existing(ids)
    summary, to_create, to_update = RejudgeSummary(), [], []
    for row in rows:
        found = existing.get((row[0], row[1]))
        if found is None:
            to_create.append((*row, now, False, ""))
        elif found[3]:
            summary.kept_published += 1
        elif found[4:] != row[3:]:
            to_update.append((found[0], *row[3:], now))
        else:
            summary.unchanged += 1
    judgement_store.insert(_NEW_ROW_COLUMNS, to_create)
    judgement_store.update([*_FIELDS, "computed_at"], to_update)
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
            changed,
            Judgement,
            ["is_published", "published_at", "published_by", "publish_reason"],
            default_user=actor if getattr(actor, "is_authenticated", False) else None,
            default_change_reason=reason or None,
        )
        data_changed()
        judgements_published.send(sender=Judgement, judgements=changed, actor=actor)
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
