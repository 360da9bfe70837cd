"""The database side of checking an import: staged rows, compared with the stored figures.

`imports.import_values` streams the clean rows of a file into `Staging`, then calls
`compare`, which classifies every staged row in one statement: added (no stored figure),
changed (value, numerator, denominator or commentary differ) or unchanged. The result is a
second temporary table, `gt_import_compared`, that the preview, the refusals and the writing
(`import_writing`) all read, so they cannot disagree about what the file does.

Decisions:
- Temporary tables: nothing anyone else can see, no write-ahead log on PostgreSQL, and gone
  when the connection ends even if the import fails half way.
- PostgreSQL gets the rows by binary COPY (no text formatting of floats and dates on either
  side); SQLite by executemany in batches.
- The stored figure is found with two joins, one for whole-council figures and one for area
  figures, because each matches one of the two partial unique indexes on the figures table:
  a small import uses those indexes and a large one a hash join.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connection
from psycopg.copy import QueuedLibpqWriter

from goldthread.indicators.models import Value

STAGING = "gt_import_staging"
COMPARED = "gt_import_compared"
PERIODS = "gt_import_periods"
VALUE_TABLE = Value._meta.db_table
BATCH = 5_000
# What each staged row holds, in order.
STAGED_COLUMNS = (
    "row_number",
    "indicator_id",
    "period",
    "period_start",
    "area_id",
    "value",
    "numerator",
    "denominator",
    "commentary",
)
_TYPES = ("integer", "bigint", "varchar(16)", "date", "bigint") + ("double precision",) * 3
_COPY_TYPES = ("int4", "int8", "text", "date", "int8", "float8", "float8", "float8", "text")
# What makes a stored figure "changed": anything the file can set.
COMPARED_FIELDS = ("value", "numerator", "denominator", "commentary")


def _written_not_in_state(table: str = COMPARED) -> str:
    """Rows the file adds or changes, except figures stored in the state given as %s."""
    return f"{table}.kind IN ('added', 'changed') AND COALESCE({table}.stored_state, '') <> %s"


class Staging:
    """The clean rows of one file in a temporary table, on the current connection."""

    def __init__(self) -> None:
        self.postgres = connection.vendor == "postgresql"
        self.cursor = connection.cursor()
        self.drop()
        columns = ", ".join(
            f"{name} {kind}" for name, kind in zip(STAGED_COLUMNS, (*_TYPES, "text"), strict=True)
        )
        self.cursor.execute(f"CREATE TEMPORARY TABLE {STAGING} ({columns})")

    def load(self, rows: Iterable[tuple]) -> None:
        """Store every tuple `rows` yields (in STAGED_COLUMNS order)."""
        if self.postgres:
            self._copy(rows)
        else:
            self._insert(rows)

    def _copy(self, rows: Iterable[tuple]) -> None:
        sql = f"COPY {STAGING} ({', '.join(STAGED_COLUMNS)}) FROM STDIN (FORMAT BINARY)"
        # The file is parsed and checked here while a worker thread sends the encoded blocks
        # and PostgreSQL stores them, so neither waits for the other. The worker's queue is
        # bounded (psycopg's QUEUE_SIZE blocks of at most 128 KB), and the staged rows of even
        # a 1,000,000-row file are about 60 MB, so memory stays flat.
        raw = self.cursor.cursor
        with raw.copy(sql, writer=QueuedLibpqWriter(raw)) as copy:
            copy.set_types(_COPY_TYPES)
            write_row = copy.write_row
            for row in rows:
                write_row(row)

    def _insert(self, rows: Iterable[tuple]) -> None:
        sql = f"INSERT INTO {STAGING} VALUES ({', '.join('?' * len(STAGED_COLUMNS))})"
        executemany = self.cursor.cursor.executemany
        batch: list[tuple] = []
        for row in rows:
            batch.append((*row[:3], row[3].isoformat(), *row[4:]))
            if len(batch) >= BATCH:
                executemany(sql, batch)
                batch.clear()
        executemany(sql, batch)

    def execute(self, sql: str, params: tuple | list = ()) -> list[tuple]:
        self.cursor.execute(sql, params)
        return self.cursor.fetchall() if self.cursor.description else []

    def differs(self, a: str, b: str) -> str:
        return f"{a} IS DISTINCT FROM {b}" if self.postgres else f"NOT ({a} IS {b})"

    def compare(self) -> dict[str, int]:
        """Classify every staged row against the stored figures; count each kind."""
        if self.postgres:
            self.cursor.execute(f"ANALYZE {STAGING}")  # so a big file gets hash joins
        branches = " UNION ALL ".join(
            self._compare_branch(area_join, area_where)
            for area_join, area_where in (
                ("v.area_id IS NULL", "s.area_id IS NULL"),
                ("v.area_id = s.area_id", "s.area_id IS NOT NULL"),
            )
        )
        self.cursor.execute(f"CREATE TEMPORARY TABLE {COMPARED} AS {branches}")
        return dict(self.execute(f"SELECT kind, COUNT(*) FROM {COMPARED} GROUP BY kind"))

    def _compare_branch(self, area_join: str, area_where: str) -> str:
        staged = ", ".join(f"s.{name}" for name in STAGED_COLUMNS)
        changed = " OR ".join(self.differs(f"v.{name}", f"s.{name}") for name in COMPARED_FIELDS)
        return (
            f"SELECT {staged}, v.id AS value_id, v.state AS stored_state, "
            "v.value AS stored_value, "
            f"{self.differs('v.commentary', 's.commentary')} AS commentary_changed, "
            "CASE WHEN v.id IS NULL THEN 'added' "
            f"WHEN {changed} THEN 'changed' ELSE 'unchanged' END AS kind "
            f"FROM {STAGING} AS s LEFT JOIN {VALUE_TABLE} AS v "
            f"ON v.indicator_id = s.indicator_id AND v.period = s.period AND {area_join} "
            f"WHERE {area_where}"
        )

    def changed_in_states(self, states: tuple[str, ...]) -> list[tuple]:
        """(row, indicator id, period, state) of changed rows whose figure is in `states`."""
        marks = ", ".join(["%s"] * len(states))
        return self.execute(
            f"SELECT row_number, indicator_id, period, stored_state FROM {COMPARED} "
            f"WHERE kind = 'changed' AND stored_state IN ({marks}) ORDER BY row_number",
            states,
        )

    def first_differences(self, limit: int) -> list[tuple]:
        """The first added or changed rows in file order, for the preview."""
        return self.execute(
            "SELECT row_number, indicator_id, period, area_id, stored_value, value, kind, "
            f"commentary_changed FROM {COMPARED} WHERE kind IN ('added', 'changed') "
            f"ORDER BY row_number LIMIT {int(limit)}"
        )

    def periods_written(self, spared_state: str) -> list[tuple[int, str]]:
        """(indicator id, period) of every figure the file adds or changes, in one row each,
        leaving out figures stored in `spared_state`."""
        return self.execute(
            f"SELECT DISTINCT indicator_id, period FROM {COMPARED} "
            f"WHERE {_written_not_in_state()} ORDER BY indicator_id, period",
            (spared_state,),
        )

    def rows_for_periods(
        self, periods: list[tuple[int, str]], spared_state: str, limit: int
    ) -> tuple[int, list[tuple]]:
        """How many added or changed rows (not in `spared_state`) fall in `periods`, and the
        first `limit` of them in file order as (row, indicator id, period).

        The periods go into a small temporary table, so a file of any size is counted and
        searched by the database and only `limit` rows come back to Python."""
        self.cursor.execute(
            f"CREATE TEMPORARY TABLE {PERIODS} (indicator_id bigint, period varchar(16))"
        )
        self.cursor.executemany(f"INSERT INTO {PERIODS} VALUES (%s, %s)", periods)
        matching = (
            f"FROM {COMPARED} AS c JOIN {PERIODS} AS p "
            "ON p.indicator_id = c.indicator_id AND p.period = c.period "
            f"WHERE {_written_not_in_state('c')}"
        )
        [(count,)] = self.execute(f"SELECT COUNT(*) {matching}", (spared_state,))
        first = self.execute(
            f"SELECT c.row_number, c.indicator_id, c.period {matching} "
            f"ORDER BY c.row_number LIMIT {int(limit)}",
            (spared_state,),
        )
        return count, first

    def touched_indicators(self) -> list[int]:
        rows = self.execute(
            f"SELECT DISTINCT indicator_id FROM {COMPARED} WHERE kind IN ('added', 'changed')"
        )
        return [indicator_id for (indicator_id,) in rows]

    def drop(self) -> None:
        for table in (STAGING, COMPARED, PERIODS):
            self.cursor.execute(f"DROP TABLE IF EXISTS {table}")

    def close(self) -> None:
        self.drop()
        self.cursor.close()
