"""Compute and store judgements for many indicators in a handful of queries.

Published judgements are never rewritten by a recomputation: only `republish` changes one, and
it records who did it and why. Judgements are made from approved and published figures only.
Re-judging writes only the judgements and SPC segments that changed (ADR 10).
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from django.db import connection, transaction
from django.utils import timezone
from simple_history.utils import bulk_update_with_history

from goldthread.analysis.council import CouncilColumns, IndicatorInput, judge_columns
from goldthread.analysis.judge import IndicatorSpec, TargetSpec
from goldthread.analysis.periods import Frequency, Period, parse_period
from goldthread.analysis.status import (
    DIRECTION_ORDER,
    RAG_ORDER,
    JudgementRules,
    Polarity,
    ToleranceKind,
)
from goldthread.audit.services import record
from goldthread.core.freshness import data_changed
from goldthread.indicators.models import (
    APPROVED_STATES,
    Indicator,
    Judgement,
    RuleSet,
    SpcSegment,
    TargetVersion,
    Value,
)
from goldthread.indicators.services import judgement_store
from goldthread.indicators.services.judgement_store import Coded
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
    "digest",
    "computed_at",
    "is_published",
    "publish_reason",
]
_CHANGED_ROW_COLUMNS = [*_FIELDS, "digest", "computed_at"]
_SEGMENT_COLUMNS = ["indicator_id", "number", "first_period", "last_period", "points"]
_SEGMENT_COLUMNS += ["mean", "mean_moving_range", "lpl", "upl"]


@dataclass
class RejudgeSummary:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    kept_published: int = 0

    def __add__(self, other: RejudgeSummary) -> RejudgeSummary:
        return RejudgeSummary(
            self.created + other.created,
            self.updated + other.updated,
            self.unchanged + other.unchanged,
            self.kept_published + other.kept_published,
        )


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
    latest = {(row[1], row[2]): row for row in _fetch(rows.values_list(*_TARGET_COLUMNS))}
    return {key: (row[0], _spec_of(*row[3:])) for key, row in latest.items() if _has_target(row)}


def _has_target(row: tuple) -> bool:
    return row[3] is not None or (row[6] is not None and row[7] is not None)


@lru_cache(maxsize=4096)
def _spec_of(annual, tolerance, kind, lower, upper, profile) -> TargetSpec:
    """Most indicators share a handful of target settings, so each is made once (a council
    has tens of thousands of target versions). A raw cursor gives the profile as JSON text."""
    if isinstance(profile, str):
        profile = json.loads(profile)
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


@dataclass
class _Computed:
    """Freshly computed judgements as stored columns (in _FIELDS order), and SPC segments."""

    idents: np.ndarray  # indicator id per row
    periods: list[str]
    codes: np.ndarray  # (indicator id, period) as one integer per row: see _codes
    columns: list[np.ndarray | Coded]
    segments: list[tuple]  # in _SEGMENT_COLUMNS order

    def values(self, i: int) -> tuple:
        """Row i's stored values, as the database driver takes them."""
        return self.rows(np.array([i]))[0]

    def rows(self, chosen: np.ndarray) -> list[tuple]:
        """The stored values of these rows, as the database driver takes them."""
        return list(zip(*(_python_list(column[chosen]) for column in self.columns), strict=True))


def _python_list(column: np.ndarray) -> list:
    return _floats(column) if column.dtype.kind == "f" else column.tolist()


@dataclass
class _Prepared:
    """Everything judging reads from the database, read before anything is written."""

    inputs: list[IndicatorInput]
    targets: dict[tuple[int, int], tuple]
    rule_set: RuleSet
    rules: JudgementRules


def _prepare(
    indicators: list[Indicator],
    keys: dict[int, set[str]],
    approved: list[tuple[int, str, float | None]] | None = None,
    ids: list[int] | None = None,
) -> _Prepared:
    """`ids` None means these indicators are the whole council (no id list in the queries)."""
    if ids is None and approved is None:
        ids = [indicator.pk for indicator in indicators]
    rule_set = current_rules()
    targets = _current_targets(ids)
    series = _series(approved if approved is not None else _approved_rows(ids))
    inputs = _inputs(indicators, series, targets, keys)
    return _Prepared(inputs, targets, rule_set, as_analysis_rules(rule_set))


def _judged(
    indicators: list[Indicator],
    keys: dict[int, set[str]],
    approved: list[tuple[int, str, float | None]] | None = None,
    ids: list[int] | None = None,
) -> _Computed:
    """The stored columns of these indicators' judgements, and their SPC segments."""
    prepared = _prepare(indicators, keys, approved, ids)
    return _compute(prepared, prepared.inputs)


def _compute(prepared: _Prepared, inputs: list[IndicatorInput]) -> _Computed:
    """Judge some of the prepared indicators (no database queries)."""
    c = judge_columns(inputs, prepared.rules)
    idents = _idents(inputs)
    row_idents = idents[c.owner] if len(c) else np.array([], dtype=np.int64)
    pairs = zip(row_idents.tolist(), c.year.tolist(), strict=True)
    targets = prepared.targets
    versions = np.array([targets.get(pair, _NO_VERSION)[0] for pair in pairs], dtype=object)
    return _Computed(
        idents=row_idents,
        periods=c.period,
        codes=_codes(row_idents, c.ordinal),
        columns=_stored_columns(c, versions, prepared.rule_set.pk),
        segments=_segment_rows(inputs, idents, c),
    )


def _idents(inputs: list[IndicatorInput]) -> np.ndarray:
    return np.array([item.ident for item in inputs], dtype=np.int64)


def _codes(idents: np.ndarray, ordinals: np.ndarray) -> np.ndarray:
    # An indicator has one frequency, so its period ordinals are unique; they are small
    # positive numbers (months since year 0 are about 24,300).
    return (idents.astype(np.int64) << 24) | ordinals.astype(np.int64)


_NO_VERSION = (None, None)
_RAG_VALUES = np.array([str(r) for r in RAG_ORDER], dtype=object)
_DIRECTION_VALUES = np.array([str(d) for d in DIRECTION_ORDER], dtype=object)


def _floats(array: np.ndarray) -> list:
    """Python floats, None for NaN: what the database driver stores as NULL."""
    out = array.astype(object)
    out[np.isnan(array)] = None
    return out.tolist()


def _stored_columns(c: CouncilColumns, versions: np.ndarray, rules_id: int) -> list:
    """The judgements' stored values, one array per column in _FIELDS order: floats with NaN
    for none, objects (str, int or None) otherwise."""
    n = len(c)
    latest = np.zeros(n, dtype=bool)
    latest[list(c.latest)] = True
    # The series' icons describe it as it is now: only the latest judgement carries them.
    icon = np.where(latest, c.variation_icon, "")
    assurance = np.where(latest & (c.assurance != None), c.assurance, "")  # noqa: E711
    return [
        c.value,
        c.target,
        c.band_lower,
        c.band_upper,
        Coded(c.rag, _RAG_VALUES),
        c.previous_value,
        c.last_year_value,
        c.year_end_value,
        Coded(c.direction_previous, _DIRECTION_VALUES),
        Coded(c.direction_last_year, _DIRECTION_VALUES),
        Coded(c.direction_year_end, _DIRECTION_VALUES),
        # Columns of few distinct values are coded once here, for the digests and for COPY.
        Coded.of(versions),
        Coded(np.zeros(n, dtype=np.int64), np.array([rules_id], dtype=object)),
        Coded.of(c.spc_label),
        Coded.of(c.spc_point_type),
        Coded.of(icon.astype(object)),
        Coded.of(assurance.astype(object)),
        *_latest_columns(c),
    ]


def _latest_columns(c: CouncilColumns) -> list[np.ndarray | Coded]:
    """Forecast and explanation columns: empty except on each indicator's latest row."""
    n = len(c)
    numbers = [np.full(n, np.nan) for _ in range(4)]
    texts: list[list[str]] = [[""] * len(c.latest) for _ in range(4)]
    rows = np.fromiter(c.latest, dtype=np.int64, count=len(c.latest))
    for k, latest in enumerate(c.latest.values()):
        f = latest.forecast
        if f is not None:
            for m, x in enumerate((f.value, f.low, f.high, f.probability_of_meeting_target)):
                numbers[m][rows[k]] = np.nan if x is None else x
            texts[0][k] = f.method
            texts[1][k] = f.fallback_reason or f.method_text
        texts[2][k] = str(latest.forecast_rag) if latest.forecast_rag else ""
        texts[3][k] = latest.explanation
    return [*numbers, *(_latest_only(n, rows, column) for column in texts)]


def _latest_only(n: int, rows: np.ndarray, values: list[str]) -> Coded:
    """A text column that is "" but on the latest rows (each its own code: few repeat)."""
    names = np.empty(len(values) + 1, dtype=object)
    names[0], names[1:] = "", values
    codes = np.zeros(n, dtype=np.int64)
    codes[rows] = np.arange(1, len(values) + 1)
    return Coded(codes, names)


def _segment_rows(inputs: list[IndicatorInput], idents: np.ndarray, c: CouncilColumns) -> list:
    s = c.segments
    frequency = [inputs[n].frequency for n in s.owner.tolist()]
    return list(
        zip(
            idents[s.owner].tolist() if len(s) else [],
            s.number.tolist(),
            [_key_of(f, o) for f, o in zip(frequency, s.first.tolist(), strict=True)],
            [_key_of(f, o) for f, o in zip(frequency, s.last.tolist(), strict=True)],
            (s.last - s.first + 1).tolist(),
            _floats(s.mean),
            _floats(s.mean_moving_range),
            _floats(s.lpl),
            _floats(s.upl),
            strict=True,
        )
    )


@lru_cache(maxsize=65536)
def _key_of(frequency: Frequency, ordinal: int) -> str:
    return Period.from_ordinal(frequency, ordinal).key


@lru_cache(maxsize=65536)
def _ordinal(key: str) -> int:
    return parse_period(key).ordinal


@lru_cache(maxsize=65536)
def _start(key: str):
    return parse_period(key).start


def _judge(indicators: list[Indicator], keys: dict[int, set[str]]) -> list[tuple[int, str, tuple]]:
    """(indicator id, period key, stored values) for each judgement of these indicators."""
    computed = _judged(indicators, keys)
    return [
        (ident, period, computed.values(i))
        for i, (ident, period) in enumerate(
            zip(computed.idents.tolist(), computed.periods, strict=True)
        )
    ]


def _stored(ids: list[int] | None) -> list[tuple]:
    """(id, indicator id, period, is_published, digest) of these indicators' judgements."""
    rows = _scoped(Judgement.objects.all(), ids)
    return _fetch(rows.values_list("id", "indicator_id", "period", "is_published", "digest"))


def _with_codes(stored: list[tuple]) -> judgement_store.Stored:
    if not stored:
        return judgement_store.Stored.of([], [], [], [])
    ids, idents, periods, published, digests = zip(*stored, strict=True)
    ordinals = np.fromiter(map(_ordinal, periods), dtype=np.int64, count=len(periods))
    codes = _codes(np.array(idents, dtype=np.int64), ordinals)
    return judgement_store.Stored.of(ids, codes, published, digests)


# A whole re-judgement judges this many indicators at a time, so that on PostgreSQL the
# database stores one part's new judgements while Python judges the next (on two CPUs the
# time approaches the larger of the two, not their sum). Judging in parts of 250 costs the
# same CPU as judging 2,000 at once. The first part is small, so that the database starts
# storing early: until then it waits.
_PART = 250
_FIRST_PART = 25


@transaction.atomic
def rejudge(indicators: Iterable[Indicator] | None = None) -> RejudgeSummary:
    """Recompute the judgements of these indicators (all when None) and store the changes.

    Published judgements are never changed here. Only new and changed rows are written, in
    bulk and without a history row each (see judgement_store); SPC segments likewise.
    """
    judgement_store.lock()
    chosen = list(indicators) if indicators is not None else list(Indicator.objects.all())
    ids = [indicator.pk for indicator in chosen] if indicators is not None else None
    approved, stored = _approved_rows(ids), _stored(ids)
    keys: dict[int, set[str]] = defaultdict(set)
    for _pk, indicator_id, period, _published, _digest in stored:
        keys[indicator_id].add(period)
    for indicator_id, period, _value in approved:
        keys[indicator_id].add(period)
    prepared = _prepare(chosen, keys, approved, ids)
    now = timezone.now()
    summary, segments = _judge_and_store(prepared, _with_codes(stored), now)
    segments_changed = _store_segments(segments, ids, now)
    if summary.created or summary.updated or segments_changed:
        data_changed()
    return summary


def _judge_and_store(
    prepared: _Prepared, stored: judgement_store.Stored, now
) -> tuple[RejudgeSummary, list[tuple]]:
    """Judge the prepared indicators part by part, writing each part's new judgements while
    the next is judged; changed ones are written at the end. Returns the SPC segments."""
    parts = _parts(prepared.inputs)
    stored_parts = stored.parts([_idents(part) for part in parts])
    # Every new row refers to one of the judged indicators, and to no publisher.
    references = {"indicator_id": _idents(prepared.inputs).tolist(), "published_by_id": ()}
    summary, segments = RejudgeSummary(), []
    table, new_columns = judgement_store.TABLE, _NEW_ROW_COLUMNS
    with judgement_store.Writer(table, new_columns, _CHANGED_ROW_COLUMNS, references) as writer:
        for part, stored_part in zip(parts, stored_parts, strict=True):
            computed = _compute(prepared, part)
            summary = summary + _store_judgements(writer, computed, stored_part, now)
            segments += computed.segments
    return summary, segments


def _parts(inputs: list[IndicatorInput]) -> list[list[IndicatorInput]]:
    first = min(_FIRST_PART, _PART)
    rest = range(first, len(inputs), _PART)
    return [inputs[:first], *(inputs[i : i + _PART] for i in rest)] if inputs else []


def _store_judgements(
    writer: judgement_store.Writer, computed: _Computed, stored: judgement_store.Stored, now
) -> RejudgeSummary:
    digest = judgement_store.digests(computed.columns)
    plan = judgement_store.plan(computed.codes, digest, stored)
    changed = [
        (pk, *values, code, now)
        for pk, values, code in zip(
            plan.changed_ids.tolist(),
            computed.rows(plan.changed),
            digest[plan.changed].tolist(),
            strict=True,
        )
    ]
    writer.add(_new_rows(computed, plan.new, digest, now), changed)
    return RejudgeSummary(len(plan.new), len(changed), plan.unchanged, plan.kept_published)


def _new_rows(computed: _Computed, chosen: np.ndarray, digest: np.ndarray, now):
    """These computed rows as new judgements, column by column (_NEW_ROW_COLUMNS)."""
    periods = Coded.of([computed.periods[i] for i in chosen.tolist()])
    starts = Coded(periods.codes, np.array([_start(p) for p in periods.names], dtype=object))
    return judgement_store.Columns(
        [
            computed.idents[chosen],
            periods,
            starts,
            *(
                column.subset(chosen) if isinstance(column, Coded) else column[chosen]
                for column in computed.columns
            ),
            digest[chosen],
            now,
            False,
            "",
        ],
        len(chosen),
    )


def _store_segments(rows: list[tuple], ids: list[int] | None, now) -> bool:
    """Insert new SPC segments, update changed ones, and remove those that no longer exist
    (an indicator back to fewer than two figures). They are derived data, never published."""
    stored = _scoped(SpcSegment.objects.all(), ids).values_list("id", *_SEGMENT_COLUMNS)
    by_key = {(row[1], row[2]): row for row in _fetch(stored)}
    new, changed = [], []
    for row in rows:
        found = by_key.pop((row[0], row[1]), None)
        if found is None:
            new.append((*row, now))
        elif found[1:] != row:
            changed.append((found[0], *row, now))
    columns = [*_SEGMENT_COLUMNS, "computed_at"]
    judgement_store.write(
        judgement_store.Rows(SpcSegment._meta.db_table, columns, new, columns, changed)
    )
    if by_key:
        SpcSegment.objects.filter(pk__in=[row[0] for row in by_key.values()]).delete()
    return bool(new or changed or by_key)


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
        _give_latest_facts(changed)
        bulk_update_with_history(
            changed,
            Judgement,
            ["is_published", "published_at", "published_by", "publish_reason", *_LATEST_FIELDS],
            default_user=actor if getattr(actor, "is_authenticated", False) else None,
            default_change_reason=reason or None,
        )
        data_changed()
        judgements_published.send(sender=Judgement, judgements=changed, actor=actor)
    return len(changed)


# What only an indicator's latest judgement carries (ADR 6 and 10).
_LATEST_FIELDS = [name for name in _FIELDS if name.startswith("forecast_")]
_LATEST_FIELDS += ["variation_icon", "assurance", "explanation", "digest"]


def _give_latest_facts(judgements: list[Judgement]) -> None:
    """The newest judgement published for each indicator is the one the public will read as
    its latest. If a later month was approved first, it has no forecast, icons or explanation
    (only the latest judgement carries them), so give it those as they stood for its period."""
    newest: dict[int, Judgement] = {}
    for judgement in judgements:
        found = newest.get(judgement.indicator_id)
        if found is None or judgement.period_start > found.period_start:
            newest[judgement.indicator_id] = judgement
    for judgement in newest.values():
        if judgement.explanation:
            continue
        values = _as_latest(judgement.indicator, judgement.period)
        for name, value in zip(_FIELDS, values, strict=True):
            if name in _LATEST_FIELDS:
                setattr(judgement, name, value)
        judgement.digest = None  # these fields no longer match what re-judging wrote


def _as_latest(indicator: Indicator, period_key: str) -> tuple:
    """The stored values of this judgement as if its period were the indicator's latest."""
    until = _ordinal(period_key)
    approved = [row for row in _approved_rows([indicator.pk]) if _ordinal(row[1]) <= until]
    computed = _judged([indicator], {indicator.pk: {period_key}}, approved, [indicator.pk])
    return computed.values(0)


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
    # A re-published judgement is a publication too: trigger rules see the new facts now,
    # not at the next publication or `evaluate-triggers`.
    judgements_published.send(sender=Judgement, judgements=[judgement], actor=actor)
    return judgement
