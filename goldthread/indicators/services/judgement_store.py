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
import itertools
import os
import socket
from collections.abc import Collection, Iterator, Mapping, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass

import numpy as np
from django.db import connection
from psycopg.copy import QueuedLibpqWriter

from goldthread.core import binary_copy
from goldthread.core.binary_copy import Coded, Columns
from goldthread.core.bulk_keys import references_checked_once
from goldthread.indicators.models import Judgement

TABLE = Judgement._meta.db_table
# Any constant: re-judgements queue behind each other on PostgreSQL (see lock()).
_LOCK_KEY = 7_304_117_602
_SEND_BUFFER = 4 * 1024 * 1024
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

    def parts(self, idents: list[np.ndarray]) -> list[Stored]:
        """These rows split by indicator into parts, one per array of indicator ids (rows of
        indicators in none of them are left out). Codes hold the indicator id above bit 24."""
        every = np.concatenate(idents) if idents else np.array([], dtype=np.int64)
        if not len(every) or not len(self.ids):
            return [self._rows(np.array([], dtype=np.int64)) for _ in idents]
        owner = self.codes >> 24
        part_of = np.repeat(np.arange(len(idents)), [len(i) for i in idents])
        order = np.argsort(every, kind="stable")
        where = np.minimum(np.searchsorted(every[order], owner), len(every) - 1)
        part = np.where(every[order][where] == owner, part_of[order][where], -1)
        rows = np.argsort(part, kind="stable")
        bounds = np.searchsorted(part[rows], np.arange(len(idents) + 1)).tolist()
        return [self._rows(rows[a:b]) for a, b in itertools.pairwise(bounds)]

    def _rows(self, chosen: np.ndarray) -> Stored:
        return Stored(
            self.ids[chosen],
            self.codes[chosen],
            self.published[chosen],
            self.digest[chosen],
            self.known[chosen],
        )

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


class Writer:
    """Writes one table's new rows as they come, and its changed rows at the end.

    On PostgreSQL the new rows go straight into the table (no staging copy; the unique
    constraint still holds) by one binary COPY, encoded by column (core.binary_copy) and sent
    by a worker thread, so PostgreSQL stores one part while the caller works out the next.
    Nothing else may use the connection between the first `add` and `close`. `references`,
    when given, names each foreign key column of the new rows and the ids they may use, so
    that PostgreSQL checks each referenced row once (core.bulk_keys). On SQLite each part is
    inserted with executemany.
    """

    def __init__(
        self,
        table: str,
        new_columns: Sequence[str],
        changed_columns: Sequence[str],
        references: Mapping[str, Collection[int]] | None = None,
    ) -> None:
        self.table, self.new_columns, self.changed_columns = table, new_columns, changed_columns
        self.references = references
        self.changed: list[tuple] = []
        self._copy = None
        self._stack = ExitStack()
        self._postgresql = connection.vendor == "postgresql"
        if self._postgresql:
            with connection.cursor() as cursor:
                self._types = _column_types(cursor, table)

    def __enter__(self) -> Writer:
        return self

    def __exit__(self, kind, error, traceback) -> None:
        if kind is None:
            self.close()
        else:
            self._stack.__exit__(kind, error, traceback)

    def add(self, new: Columns, changed: list[tuple]) -> None:
        """Insert these new rows now; update these changed rows (id first) at the end."""
        self.changed += changed
        if not new.size:
            return
        if not self._postgresql:
            _insert_with_executemany(self.table, self.new_columns, new.tuples())
            return
        if self._copy is None:
            self._copy = self._start_copy()
        for block in binary_copy.row_blocks(new, self._oids(self.new_columns)):
            self._copy.write(block)

    def close(self) -> None:
        if self._copy is not None:
            self._copy.write(binary_copy.TRAILER)
            self._copy = None
        self._stack.close()  # waits for the worker, ends the COPY and the key checks
        if not self.changed:
            return
        if self._postgresql:
            _update_postgresql(self.table, self.changed_columns, self.changed, self._types)
        else:
            _update_with_executemany(self.table, self.changed_columns, self.changed)

    def _start_copy(self):
        if self.references is not None:
            self._stack.enter_context(references_checked_once(self.table, self.references))
        raw = self._stack.enter_context(connection.cursor()).cursor
        self._stack.enter_context(_wide_send_buffer(raw.connection.pgconn.socket))
        sql = f"COPY {self.table} ({_quoted(self.new_columns)}) FROM STDIN (FORMAT BINARY)"
        copy = self._stack.enter_context(raw.copy(sql, writer=QueuedLibpqWriter(raw)))
        copy.write(binary_copy.SIGNATURE)
        return copy

    def _oids(self, columns: Sequence[str]) -> list[int]:
        return [self._types[column] for column in columns]


@contextmanager
def _wide_send_buffer(fd: int) -> Iterator[None]:
    """Let the kernel hold up to 4 MB the database has not read yet (the system may allow
    less). The worker thread sending the COPY needs Python's lock each time it wakes to send
    more; with the usual 208 KB buffer it woke hundreds of times while judging held the lock,
    and PostgreSQL sat waiting for data (measured: 0.5 s longer than the COPY alone)."""
    sock = socket.socket(fileno=os.dup(fd))  # a duplicate: closing it leaves libpq's open
    try:
        if sock.family != socket.AF_UNIX:  # TCP tunes its own buffer; setting it stops that
            yield
            return
        before = sock.getsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, _SEND_BUFFER)
        try:
            yield
        finally:  # also when the re-judgement fails: the connection outlives it
            # Linux reports twice what was set (its bookkeeping); set it back as it was.
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, before // 2)
    finally:
        sock.close()


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
    with Writer(rows.table, rows.new_columns, rows.changed_columns) as writer:
        writer.add(Columns.of_tuples(rows.new, len(rows.new_columns)), rows.changed)


def _insert_with_executemany(table: str, columns: Sequence[str], rows: list[tuple]) -> None:
    marks = ", ".join(["%s"] * len(columns))
    with connection.cursor() as cursor:
        cursor.executemany(f"INSERT INTO {table} ({_quoted(columns)}) VALUES ({marks})", rows)


def _update_with_executemany(table: str, columns: Sequence[str], rows: list[tuple]) -> None:
    assignments = ", ".join(f"{connection.ops.quote_name(c)} = %s" for c in columns)
    with connection.cursor() as cursor:
        cursor.executemany(
            f"UPDATE {table} SET {assignments} WHERE id = %s", [(*r[1:], r[0]) for r in rows]
        )


def _update_postgresql(table: str, columns: Sequence[str], rows: list[tuple], types) -> None:
    """Copy the changed rows into a temporary table and apply them in one UPDATE."""
    q = connection.ops.quote_name
    staging = f"goldthread_incoming_{table}"
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TEMPORARY TABLE {staging} ON COMMIT DROP AS "
            f"SELECT {_quoted(['id', *columns])} FROM {table} WITH NO DATA"
        )
        sql = f"COPY {staging} ({_quoted(['id', *columns])}) FROM STDIN (FORMAT BINARY)"
        oids = [types[column] for column in ["id", *columns]]
        with cursor.cursor.copy(sql) as copy:
            for block in binary_copy.payload(Columns.of_tuples(rows, len(oids)), oids):
                copy.write(block)
        assignments = ", ".join(f"{q(c)} = s.{q(c)}" for c in columns)
        cursor.execute(
            f"UPDATE {table} AS t SET {assignments} FROM {staging} AS s WHERE t.id = s.id"
        )
        cursor.execute(f"DROP TABLE {staging}")


def _column_types(cursor, table: str) -> dict[str, int]:
    # Binary COPY needs each column's exact type, read from the table itself.
    cursor.execute(
        "SELECT attname, atttypid FROM pg_attribute WHERE attrelid = %s::regclass AND attnum > 0",
        [table],
    )
    return dict(cursor.fetchall())
