"""Import figures from a CSV or Excel file: check every row, then store all of them or none.

The `import-values` command and the upload pages both call `import_values`, so they follow
the same rules. The file is read once, as a stream:

1. The rules come from the database: each indicator's frequency, unit, decimals, whether it
   is a rate and its first period; the area codes; today.
2. Rows stream through `read_rows` and `validate`. Problems are counted; clean rows go into a
   temporary staging table (COPY on PostgreSQL, executemany on SQLite) until the first error,
   after which rows are only checked, so every problem in the file is still reported.
3. Any error: the transaction is rolled back and nothing is written.
4. Otherwise the staging table is compared with the stored figures in a few set-based
   statements: added, changed or unchanged. A changed figure that is approved or published is
   an error for its row (a correction needs a reason, given on the indicator's page), so again
   nothing is written.
5. New and changed figures are written with one statement each, each with a history row
   (simple-history's table, "+" or "~", the actor and "Imported from FILE"); revisions go up,
   the data generation moves and one audit event "imported" records the file and its counts.

Decisions:
- The file is read once, not checked and then read again: staging rows in a temporary table
  writes nothing anyone else can see, and halves the reading and checking, which is most of
  the time (see docs/performance.md, "Importing figures").
- Only performance officers import. Figures are stored as "submitted", so they still go
  through approval, unless `approve=True` (the command's --approve): then they are "approved"
  and the indicators they belong to are re-judged.
- A figure is unchanged when its value, numerator, denominator and commentary are the same;
  its state is left alone. Importing the same file again writes nothing at all: no figures, no
  history, no audit event (the audit log records changes, and nothing changed).
- A row with only a numerator and denominator gets its value worked out: times 100 for a
  percentage, otherwise the plain ratio.
- Submitted, draft and returned figures are replaced by the file's figure; the action and its
  due date stay as they were.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime

from django.db import connection, transaction
from django.db.models import Min
from django.utils import timezone

from goldthread.analysis.periods import Frequency, parse_period, period_containing
from goldthread.audit.services import record
from goldthread.core.freshness import data_changed
from goldthread.imports import CleanRow, Context, IndicatorRule, Problem
from goldthread.imports.problems import DEFAULT_MAX_PROBLEMS
from goldthread.imports.profiles import Reader, file_reader
from goldthread.imports.validate import DEFAULT_MAX_ROWS
from goldthread.indicators import access
from goldthread.indicators.models import Indicator, Value, ValueState
from goldthread.indicators.services.judging import rejudge
from goldthread.structure.models import Area, Council

FORMATS = ("csv", "xlsx")
PROGRESS_EVERY = 10_000
DIFF_LINES = 200
_BATCH = 5_000
_STAGING = "gt_import_staging"
_VALUE = Value._meta.db_table
_HISTORY = Value.history.model._meta.db_table
_LOCKED = (ValueState.APPROVED, ValueState.PUBLISHED)

Progress = Callable[[int], None]


class ImportNotAllowed(Exception):
    """This person may not import figures."""


@dataclass(frozen=True)
class DiffLine:
    """One figure the import adds or changes, for the preview."""

    row: int
    indicator_code: str
    period: str
    area_code: str | None
    stored: float | None  # None when the figure is new (or stored blank)
    new: float | None
    is_new: bool
    commentary_changed: bool

    @property
    def period_label(self) -> str:
        return parse_period(self.period).label


@dataclass
class ImportOutcome:
    file_name: str
    dry_run: bool
    approve: bool
    rows: int = 0  # figures in the file that passed every check
    added: int = 0
    changed: int = 0
    unchanged: int = 0
    rejected: int = 0  # rows with at least one error
    error_count: int = 0
    warning_count: int = 0
    problems: list[Problem] = field(default_factory=list)
    diff: list[DiffLine] = field(default_factory=list)
    written: bool = False

    @property
    def ok(self) -> bool:
        return self.error_count == 0

    @property
    def problems_not_shown(self) -> int:
        return self.error_count + self.warning_count - len(self.problems)

    @property
    def summary(self) -> str:
        return (
            f"{self.added:,} added, {self.changed:,} changed, {self.unchanged:,} unchanged, "
            f"{self.rejected:,} rejected"
        )

    def add_problem(self, problem: Problem) -> None:
        if problem.is_error:
            self.error_count += 1
        else:
            self.warning_count += 1
        if len(self.problems) < DEFAULT_MAX_PROBLEMS:
            self.problems.append(problem)


def may_import(user) -> bool:
    """Importing is checking and storing figures in bulk: the performance team's job."""
    return access.can_approve(user)


# --- What the database says ---------------------------------------------------------------


@dataclass(frozen=True)
class _Lookup:
    context: Context
    indicator_ids: dict[str, int]
    area_ids: dict[str, int]
    percent: frozenset[str]


def build_context(today: date | None = None, max_rows: int = DEFAULT_MAX_ROWS) -> _Lookup:
    indicators = list(
        Indicator.objects.filter(retired_at__isnull=True).only(
            "id", "code", "frequency", "is_rate", "unit", "decimals"
        )
    )
    firsts = dict(
        Value.objects.values_list("indicator_id").annotate(first=Min("period_start")).order_by()
    )
    rules = {}
    for indicator in indicators:
        first = firsts.get(indicator.pk)
        rules[indicator.code] = IndicatorRule(
            indicator.frequency,
            indicator.is_rate,
            indicator.unit,
            period_containing(first, Frequency(indicator.frequency)).key if first else None,
            indicator.decimals,
        )
    areas = dict(Area.objects.values_list("code", "id"))
    context = Context(rules, set(areas), today or timezone.localdate(), max_rows=max_rows)
    return _Lookup(
        context,
        {indicator.code: indicator.pk for indicator in indicators},
        areas,
        frozenset(i.code for i in indicators if i.unit == "percent"),
    )


# --- The import ----------------------------------------------------------------------------


def import_values(
    source,
    *,
    fmt: str,
    actor,
    dry_run: bool,
    file_name: str,
    approve: bool = False,
    progress: Progress | None = None,
    max_rows: int = DEFAULT_MAX_ROWS,
    today: date | None = None,
    reader: Reader | None = None,
) -> ImportOutcome:
    """Check the whole file; unless it is a dry run and only if nothing is wrong, store it."""
    if not may_import(actor):
        raise ImportNotAllowed("Only performance officers can import figures.")
    if fmt not in FORMATS:
        raise ValueError(f"fmt must be one of {FORMATS}, not {fmt!r}")
    outcome = ImportOutcome(file_name=file_name, dry_run=dry_run, approve=approve)
    lookup = build_context(today, max_rows)
    # A mapping profile's reader for another publisher's layout; else Goldthread's own.
    items = (reader or file_reader(fmt))(source, lookup.context)
    if progress is not None:
        items = _counted(items, progress)
    with transaction.atomic():
        stage = _Staging(lookup)
        stage.load(items, outcome)
        if outcome.ok:
            _compare(stage, outcome)
        if outcome.ok and not dry_run and (outcome.added or outcome.changed):
            _write(stage, outcome, actor)
            outcome.written = True
        stage.drop()
        if not outcome.written:
            transaction.set_rollback(True)
    outcome.problems.sort(key=lambda p: p.row)
    return outcome


def _counted(items: Iterator, progress: Progress) -> Iterator:
    """Report the rows read so far every PROGRESS_EVERY rows, and once at the end."""
    row, next_report = 0, PROGRESS_EVERY
    for item in items:
        row = item.row
        if row > next_report:
            progress(row - 1)
            next_report += PROGRESS_EVERY
        yield item
    progress(max(row - 1, 0))


class _Staging:
    """The clean rows of one file in a temporary table, compared with the stored figures."""

    def __init__(self, lookup: _Lookup) -> None:
        self.lookup = lookup
        self.postgres = connection.vendor == "postgresql"
        self.cursor = connection.cursor()
        self.cursor.execute(f"DROP TABLE IF EXISTS {_STAGING}")
        real = "double precision"
        self.cursor.execute(
            f"CREATE TEMPORARY TABLE {_STAGING} (row_number integer, indicator_id integer, "
            f"period varchar(16), period_start date, area_id integer, value {real}, "
            f"numerator {real}, denominator {real}, commentary text, value_id integer, "
            f"kind varchar(10), stored_value {real}, stored_numerator {real}, "
            f"stored_denominator {real}, stored_commentary text, stored_state varchar(16))"
            + (" ON COMMIT DROP" if self.postgres else "")
        )

    def load(self, items: Iterator, outcome: ImportOutcome) -> None:
        rows = self._rows(items, outcome)
        if self.postgres:
            columns = "row_number, indicator_id, period, period_start, area_id, value, "
            columns += "numerator, denominator, commentary"
            with self.cursor.cursor.copy(f"COPY {_STAGING} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            sql = f"INSERT INTO {_STAGING} VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL, NULL, "
            sql += "NULL, NULL, NULL, NULL)"
            batch: list[tuple] = []
            for row in rows:
                batch.append((*row[:3], row[3].isoformat(), *row[4:]))
                if len(batch) >= _BATCH:
                    self.cursor.cursor.executemany(sql, batch)
                    batch.clear()
            self.cursor.cursor.executemany(sql, batch)
        if self.postgres and outcome.ok:
            self.cursor.execute(f"ANALYZE {_STAGING}")
        elif outcome.ok:
            self.cursor.execute(f"CREATE INDEX {_STAGING}_key ON {_STAGING} (indicator_id, period)")

    def _rows(self, items: Iterator, outcome: ImportOutcome) -> Iterator[tuple]:
        """Staging tuples for the clean rows, until the first error; count everything."""
        indicator_ids, area_ids = self.lookup.indicator_ids, self.lookup.area_ids
        percent = self.lookup.percent
        last_rejected = 0
        for item in items:
            if type(item) is not CleanRow:
                outcome.add_problem(item)
                if item.is_error and item.row != last_rejected:
                    outcome.rejected += 1
                    last_rejected = item.row
                continue
            outcome.rows += 1
            if outcome.error_count:
                continue
            value = item.value
            if value is None and item.numerator is not None:
                value = item.numerator / item.denominator
                if item.indicator_code in percent:
                    value *= 100
            yield (
                item.row,
                indicator_ids[item.indicator_code],
                item.period,
                item.period_start,
                area_ids[item.area_code] if item.area_code else None,
                value,
                item.numerator,
                item.denominator,
                item.commentary,
            )

    def execute(self, sql: str, params: tuple = ()) -> list[tuple]:
        self.cursor.execute(sql, params)
        return self.cursor.fetchall() if self.cursor.description else []

    def differs(self, a: str, b: str) -> str:
        return f"{a} IS DISTINCT FROM {b}" if self.postgres else f"NOT ({a} IS {b})"

    def match(self, only_added: bool = False) -> None:
        """Fill in the stored figure (if any) for every staged row."""
        stored = (
            "value_id = v.id"
            if only_added
            else "value_id = v.id, stored_value = v.value, stored_numerator = v.numerator, "
            "stored_denominator = v.denominator, stored_commentary = v.commentary, "
            "stored_state = v.state"
        )
        where = "s.kind = 'added' AND " if only_added else ""
        for area in ("s.area_id IS NULL AND v.area_id IS NULL", "v.area_id = s.area_id"):
            self.cursor.execute(
                f"UPDATE {_STAGING} AS s SET {stored} FROM {_VALUE} AS v WHERE {where}"
                f"v.indicator_id = s.indicator_id AND v.period = s.period AND {area}"
            )

    def drop(self) -> None:
        self.cursor.execute(f"DROP TABLE IF EXISTS {_STAGING}")
        self.cursor.close()


def _compare(stage: _Staging, outcome: ImportOutcome) -> None:
    stage.match()
    changed = " OR ".join(
        stage.differs(name, f"stored_{name}")
        for name in ("value", "numerator", "denominator", "commentary")
    )
    stage.execute(
        f"UPDATE {_STAGING} SET kind = CASE WHEN value_id IS NULL THEN 'added' "
        f"WHEN {changed} THEN 'changed' ELSE 'unchanged' END"
    )
    counts = dict(stage.execute(f"SELECT kind, COUNT(*) FROM {_STAGING} GROUP BY kind"))
    outcome.added = counts.get("added", 0)
    outcome.changed = counts.get("changed", 0)
    outcome.unchanged = counts.get("unchanged", 0)
    _refuse_locked(stage, outcome)
    if outcome.ok:
        outcome.diff = _diff(stage)


def _refuse_locked(stage: _Staging, outcome: ImportOutcome) -> None:
    """An approved or published figure changes only on its page, with a reason."""
    codes = {pk: code for code, pk in stage.lookup.indicator_ids.items()}
    locked = stage.execute(
        f"SELECT row_number, indicator_id, period, stored_state FROM {_STAGING} "
        "WHERE kind = 'changed' AND stored_state IN (%s, %s) ORDER BY row_number",
        _LOCKED,
    )
    for row, indicator_id, period, state in locked:
        outcome.rejected += 1
        outcome.add_problem(
            Problem(
                row,
                None,
                f"The figure for {codes[indicator_id]}, {parse_period(period).label}, is "
                f"{state}, so a file cannot change it. A correction needs a reason: make it on "
                "the indicator's page.",
            )
        )


def _diff(stage: _Staging) -> list[DiffLine]:
    codes = {pk: code for code, pk in stage.lookup.indicator_ids.items()}
    areas = {pk: code for code, pk in stage.lookup.area_ids.items()}
    lines = stage.execute(
        f"SELECT row_number, indicator_id, period, area_id, stored_value, value, kind, "
        f"{stage.differs('commentary', 'stored_commentary')} FROM {_STAGING} "
        f"WHERE kind IN ('added', 'changed') ORDER BY row_number LIMIT {DIFF_LINES}"
    )
    return [
        DiffLine(
            row,
            codes[indicator_id],
            period,
            areas.get(area_id),
            stored,
            new,
            kind == "added",
            bool(commentary_changed) and kind == "changed",
        )
        for row, indicator_id, period, area_id, stored, new, kind, commentary_changed in lines
    ]


# --- Writing -------------------------------------------------------------------------------


# Filled from the file; every other column of a new figure gets its field's default.
_FROM_FILE = (
    "indicator_id",
    "period",
    "period_start",
    "area_id",
    "value",
    "numerator",
    "denominator",
    "commentary",
)


def _new_figure_columns(fixed: dict[str, object]) -> tuple[list[str], list[str], list[object]]:
    """Columns, SELECT expressions and parameters to insert staged rows as new figures."""
    columns, selected, params = [], [], []
    for model_field in Value._meta.concrete_fields:
        if model_field.primary_key:
            continue
        columns.append(model_field.column)
        if model_field.column in _FROM_FILE:
            selected.append(model_field.column)
            continue
        if model_field.column in fixed:
            value = fixed[model_field.column]
        else:
            value = model_field.get_db_prep_save(model_field.get_default(), connection)
        selected.append("%s")
        params.append(value)
    return columns, selected, params


def _write(stage: _Staging, outcome: ImportOutcome, actor) -> None:
    state = ValueState.APPROVED if outcome.approve else ValueState.SUBMITTED
    now = timezone.now()
    stamp = connection.ops.adapt_datetimefield_value(now)
    fixed = {"state": state, "revision": 1, "updated_by_id": actor.pk, "updated_at": stamp}
    columns, selected, params = _new_figure_columns(fixed)
    stage.execute(
        f"INSERT INTO {_VALUE} ({', '.join(columns)}) SELECT {', '.join(selected)} "
        f"FROM {_STAGING} WHERE kind = 'added'",
        tuple(params),
    )
    stage.match(only_added=True)
    stage.execute(
        f"UPDATE {_VALUE} AS v SET value = s.value, numerator = s.numerator, "
        "denominator = s.denominator, commentary = s.commentary, state = %s, "
        "revision = revision + 1, updated_by_id = %s, updated_at = %s "
        f"FROM {_STAGING} AS s WHERE s.kind = 'changed' AND v.id = s.value_id",
        (state, actor.pk, stamp),
    )
    _write_history(stage, outcome, actor, stamp)
    data_changed()
    record(
        actor,
        "imported",
        _audit_subject(actor),
        f"Figures imported from {outcome.file_name}: {outcome.added:,} added, "
        f"{outcome.changed:,} changed, {outcome.unchanged:,} unchanged"
        + (", approved" if outcome.approve else ", submitted for approval"),
        file_name=outcome.file_name,
        rows=outcome.rows,
        added=outcome.added,
        changed=outcome.changed,
        unchanged=outcome.unchanged,
        approved=outcome.approve,
    )
    if outcome.approve:
        ids = [pk for (pk,) in _touched(stage)]
        rejudge(Indicator.objects.filter(pk__in=ids))


def _touched(stage: _Staging) -> list[tuple]:
    return stage.execute(
        f"SELECT DISTINCT indicator_id FROM {_STAGING} WHERE kind IN ('added', 'changed')"
    )


def _write_history(stage: _Staging, outcome: ImportOutcome, actor, stamp: datetime) -> None:
    figure_columns = {f.column for f in Value._meta.concrete_fields}
    columns = [
        f.column for f in Value.history.model._meta.concrete_fields if f.column in figure_columns
    ]
    selected = ", ".join(f"v.{name}" for name in columns)
    columns = ", ".join(columns)
    reason = f"Imported from {outcome.file_name}"[:100]
    stage.execute(
        f"INSERT INTO {_HISTORY} ({columns}, history_date, history_change_reason, "
        f"history_type, history_user_id) SELECT {selected}, %s, %s, "
        "CASE s.kind WHEN 'added' THEN '+' ELSE '~' END, %s "
        f"FROM {_STAGING} AS s JOIN {_VALUE} AS v ON v.id = s.value_id "
        "WHERE s.kind IN ('added', 'changed')",
        (stamp, reason, actor.pk),
    )


def _audit_subject(actor):
    """The council the figures belong to; the importer when no council is set up yet."""
    return Council.objects.first() or actor
