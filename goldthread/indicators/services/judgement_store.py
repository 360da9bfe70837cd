"""Write many judgements fast: COPY on PostgreSQL, executemany on SQLite.

Re-judging a council touches hundreds of thousands of rows; the ORM's bulk_create spends most
of its time preparing each value. Rows arrive here as plain tuples in `columns` order.
Unpublished judgements written here get no history row each (they are worked out again from
versioned figures, targets and rules whenever those change); publishing and re-publishing go
through the ORM and keep full history (ADR 6).
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import connection

from goldthread.indicators.models import Judgement

TABLE = Judgement._meta.db_table


def _quoted(columns: Sequence[str]) -> str:
    return ", ".join(connection.ops.quote_name(c) for c in columns)


def insert(columns: Sequence[str], rows: list[tuple]) -> None:
    """SQLite's path; PostgreSQL compares and writes in the database (`merge`)."""
    if not rows:
        return
    marks = ", ".join(["%s"] * len(columns))
    with connection.cursor() as cursor:
        sql = f"INSERT INTO {TABLE} ({_quoted(columns)}) VALUES ({marks})"
        cursor.executemany(sql, rows)


def update(columns: Sequence[str], rows: list[tuple]) -> None:
    """Rows are (id, *values in `columns` order). SQLite's path, as `insert`."""
    if not rows:
        return
    assignments = ", ".join(f"{connection.ops.quote_name(c)} = %s" for c in columns)
    with connection.cursor() as cursor:
        sql = f"UPDATE {TABLE} SET {assignments} WHERE id = %s"
        cursor.executemany(sql, [(*row[1:], row[0]) for row in rows])


def _copy_in(cursor, table: str, columns: Sequence[str], rows: list[tuple]) -> None:
    # Binary COPY: about twice as fast as text for 240,000 rows (no float to text and back).
    # It needs each column's exact type, read from the table itself.
    cursor.execute(
        "SELECT attname, atttypid FROM pg_attribute WHERE attrelid = %s::regclass AND attnum > 0",
        [table],
    )
    types = dict(cursor.fetchall())
    sql = f"COPY {table} ({_quoted(columns)}) FROM STDIN (FORMAT BINARY)"
    with cursor.cursor.copy(sql) as copy:
        copy.set_types([types[column] for column in columns])
        for row in rows:
            copy.write_row(row)


def merges_in_database() -> bool:
    return connection.vendor == "postgresql"


def merge(fields: Sequence[str], rows: list[tuple], now) -> tuple[int, int, int]:
    """Store freshly computed judgements, comparing with the stored ones in the database.

    Rows are (indicator id, period, period start, *values in `fields` order). New periods are
    inserted, unpublished judgements whose values differ are updated (with `now` as their
    computed_at), published ones are left alone. Returns (created, updated, kept published).
    Copying the rows in and comparing there is much cheaper than reading every stored row back.
    PostgreSQL only (see merges_in_database).
    """
    staging = "goldthread_judgement_incoming"
    keys = ["indicator_id", "period", "period_start"]
    q = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TEMPORARY TABLE {staging} ON COMMIT DROP AS "
            f"SELECT {_quoted([*keys, *fields])} FROM {TABLE} WITH NO DATA"
        )
        _copy_in(cursor, staging, [*keys, *fields], rows)
        cursor.execute(f"ANALYZE {staging}")
        same_row = "j.indicator_id = s.indicator_id AND j.period = s.period"
        cursor.execute(
            f"SELECT count(*) FROM {staging} s JOIN {TABLE} j ON {same_row} WHERE j.is_published"
        )
        kept = cursor.fetchone()[0]
        ours = ", ".join(f"j.{q(f)}" for f in fields)
        theirs = ", ".join(f"s.{q(f)}" for f in fields)
        assignments = ", ".join(f"{q(f)} = s.{q(f)}" for f in fields)
        cursor.execute(
            f"UPDATE {TABLE} AS j SET {assignments}, computed_at = %s FROM {staging} AS s "
            f"WHERE {same_row} AND NOT j.is_published AND ({ours}) IS DISTINCT FROM ({theirs})",
            [now],
        )
        updated = cursor.rowcount
        columns = [*keys, *fields]
        cursor.execute(
            f"INSERT INTO {TABLE} ({_quoted(columns)}, computed_at, is_published, publish_reason) "
            f"SELECT {', '.join(f's.{q(c)}' for c in columns)}, %s, false, '' FROM {staging} s "
            f"WHERE NOT EXISTS (SELECT 1 FROM {TABLE} j WHERE {same_row})",
            [now],
        )
        created = cursor.rowcount
        cursor.execute(f"DROP TABLE {staging}")
    return created, updated, kept
