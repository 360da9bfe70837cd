"""Writing an import: new figures inserted, changed ones updated, each with a history row.

Called by `imports.import_values` for each batch of the file once it is classified
(`import_staging`, `gt_import_batch`), while the next batch is being read, as long as no row
so far has an error. Everything here runs inside the import's transaction: when a later row,
or a refusal of the whole file (a locked or closed figure), finds something wrong, the
transaction is rolled back and nothing written here is kept (ADR 13).

On PostgreSQL one statement does it all: a data-modifying CTE inserts the new figures and
updates the changed ones, and the rows they return become the history rows (simple-history's
table, "+" or "~", the actor and "Imported from FILE"), so nothing is matched back afterwards.

Foreign keys (PostgreSQL): the figures table refers to the indicator, the area and the person
who saved it, and the history table to the person. PostgreSQL checks each reference with one
query per row at commit, which for 1,000,000 new figures is about 4,000,000 queries and most
of the time of a first import. When the database role may set `session_replication_role`
(a superuser, or on PostgreSQL 15 and later after `GRANT SET ON PARAMETER
session_replication_role TO <role>`), the import does the same check once per referenced row
instead: it takes the lock the per-row check would take (`FOR KEY SHARE`) on every indicator
and area the file refers to and on the importer, makes sure each one exists, and only then
turns the per-row triggers off for its one writing statement. It does not, and uses
PostgreSQL's own checks, when either table has a trigger, a rule or a foreign key this module
does not know about, so a trigger a council's database administrator adds is never skipped.
See ADR 13.
"""

from __future__ import annotations

from datetime import datetime

from django.db import DatabaseError, connection, transaction

from goldthread.collection.import_staging import STAGED_COLUMNS, Staging
from goldthread.indicators.models import Value

VALUE_TABLE = Value._meta.db_table
HISTORY_TABLE = Value.history.model._meta.db_table
# Filled from the file (all but the row number); every other column of a new figure gets its
# field's default.
_FROM_FILE = STAGED_COLUMNS[1:]
# Every foreign key the two tables may have, and so the references checked in bulk.
_FROM_ROWS = {(VALUE_TABLE, "indicator_id"), (VALUE_TABLE, "area_id")}
_THE_IMPORTER = {(VALUE_TABLE, "updated_by_id"), (HISTORY_TABLE, "history_user_id")}


class Writer:
    """Writes each classified batch of one import: inserts its added rows and updates its
    changed ones, with a history row each."""

    def __init__(self, stage: Staging, *, actor, state: str, reason: str, stamp: datetime):
        self.stage, self.actor, self.state, self.reason = stage, actor, state, reason[:100]
        self.stamp = connection.ops.adapt_datetimefield_value(stamp)
        # Decided once per import: the catalogue and the role's rights do not change.
        self.keys_in_bulk = stage.postgres and _may_check_references_in_bulk(stage)

    def write_batch(self) -> None:
        if self.stage.postgres:
            _write_postgres(self)
        else:
            _write_sqlite(self.stage, self.actor, self.state, self.reason, self.stamp)


def _new_figure_columns(fixed: dict[str, object]) -> tuple[list[str], list[str], list[object]]:
    """Columns, SELECT expressions and parameters to insert compared rows as new figures."""
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


def _history_columns() -> list[str]:
    """The figure's own columns, as the history table copies them."""
    figure = {f.column for f in Value._meta.concrete_fields}
    return [f.column for f in Value.history.model._meta.concrete_fields if f.column in figure]


def _insert_sql(source: str, actor, state: str, stamp) -> tuple[str, list[object]]:
    fixed = {"state": state, "revision": 1, "updated_by_id": actor.pk, "updated_at": stamp}
    columns, selected, params = _new_figure_columns(fixed)
    # In key order, so each index grows at a few places rather than all over.
    sql = (
        f"INSERT INTO {VALUE_TABLE} ({', '.join(columns)}) SELECT {', '.join(selected)} "
        f"FROM {source} WHERE kind = 'added' ORDER BY indicator_id, period, area_id"
    )
    return sql, params


def _update_sql(source: str) -> str:
    return (
        f"UPDATE {VALUE_TABLE} AS v SET value = c.value, numerator = c.numerator, "
        "denominator = c.denominator, commentary = c.commentary, state = %s, "
        "revision = v.revision + 1, updated_by_id = %s, updated_at = %s "
        f"FROM {source} AS c WHERE c.kind = 'changed' AND v.id = c.value_id"
    )


_HISTORY_EXTRA = "history_type, history_date, history_change_reason, history_user_id"


def _write_postgres(writer: Writer) -> None:
    stage, actor, state, stamp = writer.stage, writer.actor, writer.state, writer.stamp
    insert, params = _insert_sql(stage.batch, actor, state, stamp)
    history = ", ".join(_history_columns())
    updated = ", ".join(f"v.{name}" for name in _history_columns())
    sql = (
        f"WITH added AS ({insert} RETURNING {history}), "
        f"changed AS ({_update_sql(stage.batch)} RETURNING {updated}) "
        f"INSERT INTO {HISTORY_TABLE} ({history}, {_HISTORY_EXTRA}) "
        f"SELECT rows.*, %s, %s, %s FROM (SELECT {history}, '+' FROM added "
        f"UNION ALL SELECT {history}, '~' FROM changed) AS rows"
    )
    in_bulk = writer.keys_in_bulk and _checked_in_bulk(stage, actor)
    stage.execute(sql, [*params, state, actor.pk, stamp, stamp, writer.reason, actor.pk])
    if in_bulk:
        stage.execute("SET LOCAL session_replication_role = DEFAULT")


def _write_sqlite(stage: Staging, actor, state: str, reason: str, stamp) -> None:
    insert, params = _insert_sql(stage.batch, actor, state, stamp)
    stage.execute(insert, params)
    stage.execute(_update_sql(stage.batch), (state, actor.pk, stamp))
    for area in ("c.area_id IS NULL AND v.area_id IS NULL", "v.area_id = c.area_id"):
        stage.execute(
            f"UPDATE {stage.batch} AS c SET value_id = v.id FROM {VALUE_TABLE} AS v "
            "WHERE c.kind = 'added' AND v.indicator_id = c.indicator_id "
            f"AND v.period = c.period AND {area}"
        )
    history = _history_columns()
    stage.execute(
        f"INSERT INTO {HISTORY_TABLE} ({', '.join(history)}, {_HISTORY_EXTRA}) "
        f"SELECT {', '.join(f'v.{name}' for name in history)}, "
        "CASE c.kind WHEN 'added' THEN '+' ELSE '~' END, %s, %s, %s "
        f"FROM {stage.batch} AS c JOIN {VALUE_TABLE} AS v ON v.id = c.value_id "
        "WHERE c.kind IN ('added', 'changed') ORDER BY c.row_number",
        (stamp, reason, actor.pk),
    )


# --- Foreign keys checked once per referenced row (PostgreSQL) ----------------------------


def _may_check_references_in_bulk(stage: Staging) -> bool:
    """True when the tables have only the keys checked here and the role may turn the
    per-row checks off."""
    if not _only_known_keys_and_no_triggers(stage):
        return False
    try:
        with transaction.atomic():
            stage.execute("SET LOCAL session_replication_role = replica")
    except DatabaseError:
        return False  # not allowed: PostgreSQL checks every row itself
    stage.execute("SET LOCAL session_replication_role = DEFAULT")
    return True


def _checked_in_bulk(stage: Staging, actor) -> bool:
    """Lock and check every row this batch refers to once; True when per-row checks are then
    off (until the batch is written)."""
    stage.execute("SET LOCAL session_replication_role = replica")
    if _missing_references(stage, actor):
        stage.execute("SET LOCAL session_replication_role = DEFAULT")
        return False
    return True


def _only_known_keys_and_no_triggers(stage: Staging) -> bool:
    tables = (VALUE_TABLE, HISTORY_TABLE)
    # Replica mode would skip rules as well as triggers, so neither may be there.
    triggers = stage.execute(
        "SELECT (SELECT COUNT(*) FROM pg_trigger WHERE NOT tgisinternal "
        "AND tgrelid IN (%s::regclass, %s::regclass)) + (SELECT COUNT(*) FROM pg_rewrite "
        "WHERE ev_class IN (%s::regclass, %s::regclass))",
        tables + tables,
    )
    keys = stage.execute(
        "SELECT c.conrelid::regclass::text, a.attname FROM pg_constraint AS c "
        "JOIN pg_attribute AS a ON a.attrelid = c.conrelid AND a.attnum = ANY (c.conkey) "
        "WHERE c.contype = 'f' AND c.conrelid IN (%s::regclass, %s::regclass)",
        tables,
    )
    return triggers[0][0] == 0 and set(keys) <= _FROM_ROWS | _THE_IMPORTER


def _missing_references(stage: Staging, actor) -> int:
    """How many referenced rows no longer exist; the rest are locked as a key check would."""
    counts: list[str] = []
    for column in ("indicator_id", "area_id"):
        target = Value._meta.get_field(column.removesuffix("_id"))
        table = target.related_model._meta.db_table
        key = target.target_field.column
        wanted = f"SELECT {column} FROM {stage.batch} WHERE kind = 'added' AND {column} IS NOT NULL"
        # COUNT(DISTINCT ...) would sort a million rows; DISTINCT in a subquery hashes them.
        counts.append(
            f"(SELECT COUNT(*) FROM (SELECT DISTINCT {column} FROM ({wanted}) AS w) AS d) - "
            f"(SELECT COUNT(*) FROM (SELECT 1 FROM {table} WHERE {key} IN ({wanted}) "
            "FOR KEY SHARE) AS locked)"
        )
    person = Value._meta.get_field("updated_by").related_model._meta
    counts.append(
        f"1 - (SELECT COUNT(*) FROM (SELECT 1 FROM {person.db_table} "
        f"WHERE {person.pk.column} = %s FOR KEY SHARE) AS locked)"
    )
    return stage.execute(f"SELECT {' + '.join(counts)}", (actor.pk,))[0][0]
