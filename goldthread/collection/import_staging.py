"""The database side of checking an import: staged rows, compared with the stored figures.

`imports.import_values` hands the clean rows of a file to `Staging` a batch at a time
(`add_batch`), in two parts:

- **New rows**: rows for a period later than any figure stored for their indicator, so no
  stored figure can have their key. They need no comparing: each batch of them is classified
  "added" in `gt_import_batch` at once, and written (`import_writing`) while the next batch is
  read from the file. A first import, and each month's new figures, are all of this kind.
- **Other rows** are kept in the staging table until the file has been read, then compared
  with the stored figures in one statement (`finish`): added (no stored figure), changed
  (value, numerator, denominator or commentary differ) or unchanged. One hash join for the
  whole file costs a fraction of a lookup per row in every batch.

Both kinds are appended to `gt_import_compared`, which holds the whole file's classification
for the counts, the refusals and the preview, so they cannot disagree about what the file
does. A key repeated within a file is an error of the file, so the batches never overlap
(ADR 13).

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
from dataclasses import dataclass

from django.db import connection
from psycopg._copy_base import format_row_binary  # the C encoder psycopg's COPY uses
from psycopg.adapt import Transformer
from psycopg.postgres import types as builtins
from psycopg.pq import Format

from goldthread.indicators.models import Value

STAGING = "gt_import_staging"
NEW_ROWS = "gt_import_new_rows"
BATCH_TABLE = "gt_import_batch"
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


@dataclass(frozen=True)
class CopyData:
    """Rows encoded for PostgreSQL's binary COPY, ready to send."""

    data: bytes
    count: int

    def __len__(self) -> int:
        return self.count


# Binary COPY's header (signature, no flags, no extension) and end marker: PostgreSQL's
# documented file format, so that rows can be encoded away from the connection.
_HEADER = b"PGCOPY\n\xff\r\n\x00" + bytes(8)
_TRAILER = b"\xff\xff"
_COPY_OIDS = [builtins.get_oid(name) for name in _COPY_TYPES]


def encoded(rows: list[tuple]) -> CopyData:
    """These staging rows (STAGED_COLUMNS order) as binary COPY data. Called in the import's
    reading thread, so the connection's thread only sends bytes (ADR 13)."""
    transformer = Transformer()
    transformer.set_dumper_types(_COPY_OIDS, Format.BINARY)
    out = bytearray(_HEADER)
    for row in rows:
        format_row_binary(row, transformer, out)
    out += _TRAILER
    return CopyData(bytes(out), len(rows))


Rows = list[tuple] | CopyData


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
        self.cursor.execute(f"CREATE TEMPORARY TABLE {COMPARED} AS {self._classified()} LIMIT 0")
        # Staged and classified at once: what the comparison would say of a row no stored
        # figure can match, in COMPARED's columns.
        self.cursor.execute(
            f"CREATE TEMPORARY TABLE {NEW_ROWS} ({columns}, value_id bigint, "
            "stored_state varchar(16), stored_value double precision, "
            "commentary_changed boolean DEFAULT FALSE, kind text DEFAULT 'added')"
        )
        self.batch = NEW_ROWS  # the classified rows `import_writing` writes next

    def add_batch(self, new: Rows, others: Rows) -> bool:
        """Stage a batch of rows (in STAGED_COLUMNS order): `new` ones, whose period is later
        than any stored figure of their indicator, and the `others`. The new ones become
        the batch to write (`self.batch`) and are added to COMPARED; True when there are any."""
        if others:
            self._load(STAGING, others)
        if not new:
            return False
        # TRUNCATE on PostgreSQL: DELETE would leave every earlier batch's rows behind as
        # dead rows for each later batch to scan again.
        self.cursor.execute(f"{'TRUNCATE' if self.postgres else 'DELETE FROM'} {NEW_ROWS}")
        self._load(NEW_ROWS, new)
        self.cursor.execute(f"INSERT INTO {COMPARED} SELECT * FROM {NEW_ROWS}")
        self.batch = NEW_ROWS
        return True

    def finish(self) -> None:
        """Compare the other rows with the stored figures: they become the batch to write
        (`self.batch`) and are added to COMPARED."""
        if self.postgres:
            self.cursor.execute(f"ANALYZE {STAGING}")  # so a big file gets hash joins
        self.cursor.execute(f"CREATE TEMPORARY TABLE {BATCH_TABLE} AS {self._classified()}")
        self.cursor.execute(f"INSERT INTO {COMPARED} SELECT * FROM {BATCH_TABLE}")
        self.batch = BATCH_TABLE

    def _load(self, table: str, rows: Rows) -> None:
        if self.postgres:
            data = rows if isinstance(rows, CopyData) else encoded(rows)
            sql = f"COPY {table} ({', '.join(STAGED_COLUMNS)}) FROM STDIN (FORMAT BINARY)"
            with self.cursor.cursor.copy(sql) as copy:
                copy.write(data.data)
        else:
            self._insert(table, rows)

    def _insert(self, table: str, rows: Iterable[tuple]) -> None:
        marks = ", ".join("?" * len(STAGED_COLUMNS))
        sql = f"INSERT INTO {table} ({', '.join(STAGED_COLUMNS)}) VALUES ({marks})"
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

    def counts(self) -> dict[str, int]:
        """How many rows of the whole file are added, changed and unchanged."""
        return dict(self.execute(f"SELECT kind, COUNT(*) FROM {COMPARED} GROUP BY kind"))

    def _classified(self) -> str:
        """Every staged row with its stored figure, if any, and what the file does to it."""
        return " UNION ALL ".join(
            self._compare_branch(area_join, area_where)
            for area_join, area_where in (
                ("v.area_id IS NULL", "s.area_id IS NULL"),
                ("v.area_id = s.area_id", "s.area_id IS NOT NULL"),
            )
        )

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
        for table in (STAGING, NEW_ROWS, BATCH_TABLE, COMPARED, PERIODS):
            self.cursor.execute(f"DROP TABLE IF EXISTS {table}")

    def close(self) -> None:
        self.drop()
        self.cursor.close()
