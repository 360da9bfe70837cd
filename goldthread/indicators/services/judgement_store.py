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
    if not rows:
        return
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            _copy_in(cursor, TABLE, columns, rows)
        else:
            marks = ", ".join(["%s"] * len(columns))
            sql = f"INSERT INTO {TABLE} ({_quoted(columns)}) VALUES ({marks})"
            cursor.executemany(sql, rows)


def update(columns: Sequence[str], rows: list[tuple]) -> None:
    """Rows are (id, *values in `columns` order)."""
    if not rows:
        return
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            _update_from_copy(cursor, columns, rows)
        else:
            assignments = ", ".join(f"{connection.ops.quote_name(c)} = %s" for c in columns)
            sql = f"UPDATE {TABLE} SET {assignments} WHERE id = %s"
            cursor.executemany(sql, [(*row[1:], row[0]) for row in rows])


def _copy_in(cursor, table: str, columns: Sequence[str], rows: list[tuple]) -> None:
    with cursor.cursor.copy(f"COPY {table} ({_quoted(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def _update_from_copy(cursor, columns: Sequence[str], rows: list[tuple]) -> None:
    staging = "goldthread_judgement_staging"
    cursor.execute(
        f"CREATE TEMPORARY TABLE {staging} ON COMMIT DROP AS "
        f"SELECT id, {_quoted(columns)} FROM {TABLE} WITH NO DATA"
    )
    _copy_in(cursor, staging, ["id", *columns], rows)
    assignments = ", ".join(
        f"{connection.ops.quote_name(c)} = s.{connection.ops.quote_name(c)}" for c in columns
    )
    cursor.execute(f"UPDATE {TABLE} AS j SET {assignments} FROM {staging} AS s WHERE j.id = s.id")
    cursor.execute(f"DROP TABLE {staging}")
