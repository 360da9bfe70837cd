"""Write many judgements fast, and only the ones that changed.

Re-judging a council works out hundreds of thousands of judgements, but after a new month
only a few thousand differ from what is stored. Each row re-judging writes carries a digest
(a 64-bit fingerprint of its judged fields, `digests`), so the comparison reads back four
small columns instead of every stored field, and only new and changed rows are sent to the
database: by binary COPY on PostgreSQL, executemany on SQLite.

Unpublished judgements written here get no history row each (they are worked out again from
versioned figures, targets and rules whenever those change); publishing and re-publishing go
through the ORM and keep full history (ADR 6 and 10).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from django.db import connection

from goldthread.indicators.models import Judgement

TABLE = Judgement._meta.db_table
# Any constant: re-judgements queue behind each other on PostgreSQL (see lock()).
_LOCK_KEY = 7_304_117_602
_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_M1, _M2 = np.uint64(0xBF58476D1CE4E5B9), np.uint64(0x94D049BB133111EB)
_S30, _S27, _S31 = np.uint64(30), np.uint64(27), np.uint64(31)


def _quoted(columns: Sequence[str]) -> str:
    return ", ".join(connection.ops.quote_name(c) for c in columns)


# --- digests ---------------------------------------------------------------------------------


def _mix(x: np.ndarray) -> np.ndarray:
    """splitmix64's finaliser: every input bit affects every output bit."""
    x = (x ^ (x >> _S30)) * _M1
    x = (x ^ (x >> _S27)) * _M2
    return x ^ (x >> _S31)


def _stable(value) -> int:
    # Python's hash() of a str changes between processes; the digest must not.
    raw = repr(value).encode()
    return int.from_bytes(hashlib.blake2b(raw, digest_size=8).digest(), "little")


@dataclass(frozen=True)
class Coded:
    """A column of a few distinct values held as codes into `names`: fingerprinted per name,
    not per row (a council's RAG and direction columns have 240,000 rows and six names)."""

    codes: np.ndarray
    names: np.ndarray  # object array
    dtype = np.dtype(object)

    def __getitem__(self, chosen) -> np.ndarray:
        return self.names[self.codes[chosen]]

    def __len__(self) -> int:
        return len(self.codes)


def _words(column: np.ndarray | Coded) -> np.ndarray:
    """One 64-bit word per row: a float's bits (one NaN for all), or a stable hash."""
    if isinstance(column, Coded):
        names = np.array([_stable(name) for name in column.names.tolist()], dtype=np.uint64)
        return names[column.codes]
    if column.dtype.kind == "f":
        return np.where(np.isnan(column), np.nan, column).view(np.uint64)
    items = column.tolist()
    table = {value: _stable(value) for value in set(items)}
    return np.fromiter(map(table.__getitem__, items), dtype=np.uint64, count=len(items))


def digests(columns: Sequence[np.ndarray | Coded]) -> np.ndarray:
    """A signed 64-bit fingerprint per row of these columns (floats, or objects: str, int,
    None), stable across processes. Rows differing in any column differ in their digest,
    except with a chance of about 1 in 2**64."""
    size = len(columns[0]) if columns else 0
    h = np.zeros(size, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for k, column in enumerate(columns, start=1):
            h = _mix(h ^ _mix(_words(column) + np.uint64(k) * _GOLDEN))
    return h.view(np.int64)


# --- comparing -------------------------------------------------------------------------------


@dataclass
class Plan:
    """Which computed rows to insert, which to update (with the stored row's id), and counts."""

    new: np.ndarray  # computed row numbers
    changed: np.ndarray  # computed row numbers
    changed_ids: np.ndarray  # stored ids, one per changed row
    unchanged: int
    kept_published: int


@dataclass
class Stored:
    """Stored rows as columns: id, code, is_published, digest (0 where `known` is False)."""

    ids: np.ndarray
    codes: np.ndarray
    published: np.ndarray
    digest: np.ndarray
    known: np.ndarray

    @classmethod
    def of(cls, ids, codes, published, digests) -> Stored:
        digests = list(digests)
        return cls(
            np.array(ids, dtype=np.int64),
            np.array(codes, dtype=np.int64),
            np.array(published, dtype=bool),
            np.array([0 if d is None else d for d in digests], dtype=np.int64),
            np.array([d is not None for d in digests], dtype=bool),
        )


def plan(codes: np.ndarray, digest: np.ndarray, stored: Stored) -> Plan:
    """Compare computed rows (unique `codes`, their `digest`) with the stored rows. A stored
    row whose code was not computed is left alone; a missing stored digest never matches, so
    that row is written again."""
    if not len(stored.ids) or not len(codes):
        return Plan(np.arange(len(codes)), _none(), _none(), 0, 0)
    ids, stored_codes, published = stored.ids, stored.codes, stored.published
    stored_digest, known = stored.digest, stored.known
    order = np.argsort(codes, kind="stable")
    where = np.minimum(np.searchsorted(codes[order], stored_codes), len(codes) - 1)
    row = order[where]
    found = codes[row] == stored_codes
    row, ids, published = row[found], ids[found], published[found]
    same = ~published & known[found] & (stored_digest[found] == digest[row])
    changed = ~published & ~same
    seen = np.zeros(len(codes), dtype=bool)
    seen[row] = True
    return Plan(
        new=np.flatnonzero(~seen),
        changed=row[changed],
        changed_ids=ids[changed],
        unchanged=int(same.sum()),
        kept_published=int(published.sum()),
    )


def _none() -> np.ndarray:
    return np.array([], dtype=np.int64)


# --- writing ---------------------------------------------------------------------------------


def lock() -> None:
    """Queue concurrent re-judgements (two approvals at once) so neither inserts a row the
    other is inserting. SQLite's immediate transactions already do this."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_LOCK_KEY])


@dataclass
class Rows:
    """Rows to write to one table: values in `columns` order; updates have the id first."""

    table: str
    new_columns: Sequence[str]
    new: list[tuple]
    changed_columns: Sequence[str]
    changed: list[tuple]


def write(rows: Rows) -> None:
    """Insert the new rows and update the changed ones."""
    if connection.vendor == "postgresql":
        _write_postgresql(rows)
    else:
        _write_with_executemany(rows)


def _write_with_executemany(rows: Rows) -> None:
    with connection.cursor() as cursor:
        if rows.new:
            marks = ", ".join(["%s"] * len(rows.new_columns))
            sql = f"INSERT INTO {rows.table} ({_quoted(rows.new_columns)}) VALUES ({marks})"
            cursor.executemany(sql, rows.new)
        if rows.changed:
            columns, table, changed = rows.changed_columns, rows.table, rows.changed
            assignments = ", ".join(f"{connection.ops.quote_name(c)} = %s" for c in columns)
            sql = f"UPDATE {table} SET {assignments} WHERE id = %s"
            cursor.executemany(sql, [(*row[1:], row[0]) for row in changed])


def _write_postgresql(rows: Rows) -> None:
    q = connection.ops.quote_name
    table, columns, changed = rows.table, rows.changed_columns, rows.changed
    with connection.cursor() as cursor:
        types = _column_types(cursor, table)
        if rows.new:
            # Straight into the table: no staging copy, and the unique constraint still holds.
            _copy_in(cursor, table, rows.new_columns, rows.new, types)
        if changed:
            staging = f"goldthread_incoming_{table}"
            cursor.execute(
                f"CREATE TEMPORARY TABLE {staging} ON COMMIT DROP AS "
                f"SELECT {_quoted(['id', *columns])} FROM {table} WITH NO DATA"
            )
            _copy_in(cursor, staging, ["id", *columns], changed, types)
            assignments = ", ".join(f"{q(c)} = s.{q(c)}" for c in columns)
            cursor.execute(
                f"UPDATE {table} AS t SET {assignments} FROM {staging} AS s WHERE t.id = s.id"
            )
            cursor.execute(f"DROP TABLE {staging}")


def _column_types(cursor, table: str) -> dict[str, int]:
    cursor.execute(
        "SELECT attname, atttypid FROM pg_attribute WHERE attrelid = %s::regclass AND attnum > 0",
        [table],
    )
    return dict(cursor.fetchall())


def _copy_in(cursor, table: str, columns: Sequence[str], rows: list[tuple], types) -> None:
    # Binary COPY: about twice as fast as text (no float to text and back). It needs each
    # column's exact type, read from the table itself.
    sql = f"COPY {table} ({_quoted(columns)}) FROM STDIN (FORMAT BINARY)"
    with cursor.cursor.copy(sql) as copy:
        copy.set_types([types[column] for column in columns])
        for row in rows:
            copy.write_row(row)
