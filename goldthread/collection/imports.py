"""Import figures from a CSV or Excel file: check every row, then store all of them or none.

The `import-values` command and the upload pages both call `import_values`, so they follow
the same rules. The file is read once, as a stream:

1. The rules come from the database: each indicator's frequency, unit, decimals, whether it
   is a rate and its first period; the area codes; today.
2. Rows stream through `read_rows` and `validate`. Problems are counted; clean rows go into a
   temporary staging table (COPY on PostgreSQL, executemany on SQLite) until the first error,
   after which rows are only checked, so every problem in the file is still reported.
3. Any error: the transaction is rolled back and nothing is written.
4. Otherwise one statement compares the staging table with the stored figures
   (`import_staging`): added, changed or unchanged. A changed figure that is approved or
   published is an error for its row (a correction needs a reason, given on the indicator's
   page), so again nothing is written.
5. New and changed figures are written with their history rows in one statement
   (`import_writing`: simple-history's table, "+" or "~", the actor and "Imported from
   FILE"); revisions go up, the data generation moves and one audit event "imported" records
   the file and its counts. Speed, and how foreign keys are checked: ADR 13.

Decisions:
- The file is read once, not checked and then read again: staging rows in a temporary table
  writes nothing anyone else can see, and halves the reading and checking, which is most of
  the time (see docs/performance.md, "Importing figures").
- Performance officers import any indicator's figures; a data owner imports only their own,
  through `owner_import.import_own_figures` (ADR 18). Figures are stored as "submitted", so
  they still go through approval, unless a performance officer passes `approve=True` (the
  command's --approve): then they are "approved" and their indicators are re-judged.
- Steps 2 to 5 overlap: the file is read, checked and encoded a batch ahead in a thread while
  the previous batch is staged and, when its rows are for periods after anything stored for
  their indicators, written; the rest are compared and written at the end (ADR 13).
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
from contextlib import closing
from dataclasses import dataclass, field
from datetime import date
from functools import partial

from django.db import transaction
from django.db.models import Max, Min
from django.utils import timezone

from goldthread.analysis.periods import Frequency, parse_period, period_containing
from goldthread.audit.services import record
from goldthread.collection.import_scope import OwnerScope
from goldthread.collection.import_staging import CopyData, Staging, encoded
from goldthread.collection.import_writing import Writer
from goldthread.collection.windows import closed_problems, held_to_window
from goldthread.core.freshness import data_changed
from goldthread.core.read_ahead import read_ahead
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
# Rows read ahead and written at a time: small enough that two batches in memory stay well
# under the import's memory limit, large enough that each statement's fixed cost is small.
BATCH_ROWS = 25_000
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

    def add_unlisted_errors(self, count: int) -> None:
        """Errors past the listing limit: counted, as `add_problem` would, but not kept."""
        self.error_count += count

    def add_problem(self, problem: Problem) -> None:
        if problem.is_error:
            self.error_count += 1
        else:
            self.warning_count += 1
        if len(self.problems) < DEFAULT_MAX_PROBLEMS:
            self.problems.append(problem)


def may_import(user) -> bool:
    """Importing every indicator's figures is the performance team's job; a data owner imports
    only their own, through `owner_import`, which passes their scope (ADR 18)."""
    return access.can_approve(user)


# --- What the database says ---------------------------------------------------------------


@dataclass(frozen=True)
class _Lookup:
    context: Context
    indicator_ids: dict[str, int]
    area_ids: dict[str, int]
    percent: frozenset[str]
    latest: dict[int, date]  # indicator id -> the start of its latest stored period


def build_context(today: date | None = None, max_rows: int = DEFAULT_MAX_ROWS) -> _Lookup:
    indicators = list(
        Indicator.objects.filter(retired_at__isnull=True).only(
            "id", "code", "frequency", "is_rate", "unit", "decimals"
        )
    )
    stored = Value.objects.values_list("indicator_id").order_by()
    spans = {
        pk: (first, last)
        for pk, first, last in stored.annotate(Min("period_start"), Max("period_start"))
    }
    rules = {}
    for indicator in indicators:
        first = spans.get(indicator.pk, (None, None))[0]
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
        {pk: last for pk, (_first, last) in spans.items()},
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
    scope: OwnerScope | None = None,
) -> ImportOutcome:
    """Check the whole file; unless it is a dry run and only if nothing is wrong, store it.

    With a data owner's `scope` (`owner_import`, ADR 18) the actor need not be a performance
    officer: rows for indicators outside the scope are errors, and nothing is approved."""
    if scope is None and not may_import(actor):
        raise ImportNotAllowed("Only performance officers can import figures.")
    if scope is not None:
        if approve:
            raise ImportNotAllowed("A data owner's figures are submitted, never approved.")
        reader = scope.reader(reader or file_reader(fmt))
    if fmt not in FORMATS:
        raise ValueError(f"fmt must be one of {FORMATS}, not {fmt!r}")
    outcome = ImportOutcome(file_name=file_name, dry_run=dry_run, approve=approve)
    lookup = build_context(today, max_rows)
    # A mapping profile's reader for another publisher's layout; else Goldthread's own.
    items = (reader or file_reader(fmt))(source, lookup.context)
    if progress is not None:
        items = _counted(items, progress)
    with transaction.atomic():
        # On an exception the rollback takes the temporary tables away with everything else;
        # dropping them in a `finally` would hide the exception behind "transaction aborted".
        stage = Staging()
        writer = None if dry_run else _writer(stage, outcome, actor)
        # The file is read and checked in a thread, a batch ahead, while each batch is
        # compared and (until a row has an error) written here: ADR 13.
        prepare = _split_and_encode if stage.postgres else _split
        staged = _staged_rows(items, lookup, outcome)
        batches = read_ahead(staged, BATCH_ROWS, partial(prepare, latest=lookup.latest))
        with closing(batches):  # a database error here stops the reading thread at once
            for new, others in batches:
                if stage.add_batch(new, others) and writer and outcome.ok:
                    writer.write_batch()
        if outcome.ok:
            stage.finish()
            _compare(stage, lookup, outcome)
        if outcome.ok:  # the collection window binds files as it binds the entry page
            _refuse_closed(stage, outcome, actor, lookup.context.today)
        if outcome.ok and writer and (outcome.added or outcome.changed):
            writer.write_batch()  # the rest, compared with the stored figures in `finish`
            _written(stage, outcome, actor)
            outcome.written = True
        stage.close()
        if not outcome.written:  # a dry run, nothing new, or a row or the file refused
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


def _staged_rows(items: Iterator, lookup: _Lookup, outcome: ImportOutcome) -> Iterator[tuple]:
    """Staging tuples for the clean rows, until the first error; count everything."""
    indicator_ids, area_ids, percent = lookup.indicator_ids, lookup.area_ids, lookup.percent
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
        row, code, period, start, area, value, numerator, denominator, commentary = item
        if value is None and numerator is not None:
            value = numerator / denominator
            if code in percent:
                value *= 100
        yield (
            row,
            indicator_ids[code],
            period,
            start,
            area_ids[area] if area else None,
            value,
            numerator,
            denominator,
            commentary,
        )


def _split(batch: list[tuple], latest: dict[int, date]) -> tuple[list[tuple], list[tuple]]:
    """The staging rows for periods later than any stored figure of their indicator (no
    stored figure can have their key), and the others."""
    new, others = [], []
    for row in batch:
        last = latest.get(row[1])
        (new if last is None or row[3] > last else others).append(row)
    return new, others


def _split_and_encode(batch: list[tuple], latest: dict[int, date]) -> tuple[CopyData, CopyData]:
    new, others = _split(batch, latest)
    return encoded(new), encoded(others)


def _compare(stage: Staging, lookup: _Lookup, outcome: ImportOutcome) -> None:
    counts = stage.counts()
    outcome.added = counts.get("added", 0)
    outcome.changed = counts.get("changed", 0)
    outcome.unchanged = counts.get("unchanged", 0)
    _refuse_locked(stage, lookup, outcome)
    if outcome.ok:
        outcome.diff = _diff(stage, lookup)


def _refuse_locked(stage: Staging, lookup: _Lookup, outcome: ImportOutcome) -> None:
    """An approved or published figure changes only on its page, with a reason."""
    codes = {pk: code for code, pk in lookup.indicator_ids.items()}
    for row, indicator_id, period, state in stage.changed_in_states(_LOCKED):
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


def _refuse_closed(stage: Staging, outcome: ImportOutcome, actor, today: date) -> None:
    """Rows for periods whose window has closed to this person (ADR 11, collection/windows).

    Set-based, so a data owner's large file keeps memory flat: the windows are decided once per
    indicator and period the file writes to (a few thousand at most), the database counts the
    rows in the closed ones, and only the rows that can be listed come back to Python.
    """
    if not held_to_window(actor):
        return
    periods = stage.periods_written(ValueState.RETURNED)  # a returned figure may be answered
    numbered = [(i, indicator_id, period, "") for i, (indicator_id, period) in enumerate(periods)]
    messages = {periods[i]: message for i, message in closed_problems(actor, numbered, today)}
    if not messages:
        return
    room = max(DEFAULT_MAX_PROBLEMS - len(outcome.problems), 0)
    count, first = stage.rows_for_periods(list(messages), ValueState.RETURNED, room)
    for row, indicator_id, period in first:
        outcome.add_problem(Problem(row, "period", messages[(indicator_id, period)]))
    outcome.add_unlisted_errors(count - len(first))
    outcome.rejected += count


def _diff(stage: Staging, lookup: _Lookup) -> list[DiffLine]:
    codes = {pk: code for code, pk in lookup.indicator_ids.items()}
    areas = {pk: code for code, pk in lookup.area_ids.items()}
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
        for row, indicator_id, period, area_id, stored, new, kind, commentary_changed in (
            stage.first_differences(DIFF_LINES)
        )
    ]


# --- Writing -------------------------------------------------------------------------------


def _writer(stage: Staging, outcome: ImportOutcome, actor) -> Writer:
    return Writer(
        stage,
        actor=actor,
        state=ValueState.APPROVED if outcome.approve else ValueState.SUBMITTED,
        reason=f"Imported from {outcome.file_name}",
        stamp=timezone.now(),
    )


def _written(stage: Staging, outcome: ImportOutcome, actor) -> None:
    """Every batch is written: record it and bring what depends on the figures up to date."""
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
        rejudge(Indicator.objects.filter(pk__in=stage.touched_indicators()))


def _audit_subject(actor):
    """The council the figures belong to; the importer when no council is set up yet."""
    return Council.objects.first() or actor
