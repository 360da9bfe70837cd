"""Rows held as columns, and PostgreSQL's binary COPY format made from them with numpy.

psycopg encodes a row at a time from a tuple of Python objects. For 238,000 judgements of 32
columns, making those tuples and encoding them cost about 0.9 s of Python. Here each column
is encoded at once: its few distinct values (a RAG, a period, an empty string) once each,
floats and integers as whole arrays. Rows are then grouped by the lengths of their fields
(a council's judgements have about 170 such shapes), and each group is laid out as one
fixed-width numpy array whose fields are copied as whole items. The order of the rows in a
COPY does not matter to the table, so they are sent shape by shape.

The format: https://www.postgresql.org/docs/current/sql-copy.html (binary format): a
signature, then per row a 16-bit field count and per field a 32-bit length (-1 for NULL) and
its bytes in network order, then a 16-bit -1.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from functools import lru_cache

import numpy as np


@dataclass(frozen=True)
class Coded:
    """A column of a few distinct values held as codes into `names`: fingerprinted per name,
    not per row (a council's RAG and direction columns have 240,000 rows and six names)."""

    codes: np.ndarray
    names: np.ndarray  # object array
    dtype = np.dtype(object)

    @classmethod
    def of(cls, values: Sequence) -> Coded:
        """Code a column of hashable values (a list, or an object array)."""
        items = values.tolist() if isinstance(values, np.ndarray) else list(values)
        lookup = {value: k for k, value in enumerate(dict.fromkeys(items))}
        codes = np.fromiter(map(lookup.__getitem__, items), dtype=np.int64, count=len(items))
        names = np.empty(len(lookup), dtype=object)
        names[:] = list(lookup)
        return cls(codes, names)

    def __getitem__(self, chosen) -> np.ndarray:
        return self.names[self.codes[chosen]]

    def subset(self, chosen: np.ndarray) -> Coded:
        return Coded(self.codes[chosen], self.names)

    def __len__(self) -> int:
        return len(self.codes)


@dataclass
class Columns:
    """Rows held as columns: float arrays (NaN for NULL), int64 arrays, Coded columns, object
    arrays of Python values, or one Python value for every row."""

    columns: list
    size: int

    def __len__(self) -> int:
        return self.size

    @classmethod
    def of_tuples(cls, rows: list[tuple], width: int) -> Columns:
        """Rows given as tuples of Python values, as object columns."""
        columns = []
        for values in zip(*rows, strict=True) if rows else [()] * width:
            column = np.empty(len(values), dtype=object)
            column[:] = values
            columns.append(column)
        return cls(columns, len(rows))

    def tuples(self) -> list[tuple]:
        return list(zip(*(self._values(column) for column in self.columns), strict=True))

    def _values(self, column) -> list:
        if isinstance(column, Coded):
            return column[slice(None)].tolist()
        if not isinstance(column, np.ndarray):
            return [column] * self.size
        if column.dtype.kind == "f":
            out = column.astype(object)
            out[np.isnan(column)] = None
            return out.tolist()
        return column.tolist()


SIGNATURE = b"PGCOPY\n\xff\r\n\x00" + (0).to_bytes(4, "big") + (0).to_bytes(4, "big")
TRAILER = b"\xff\xff"
_NULL = (-1).to_bytes(4, "big", signed=True)
_EPOCH_DAY = date(2000, 1, 1).toordinal()
_EPOCH = datetime(2000, 1, 1, tzinfo=UTC)
_BLOCK = 16_384  # rows per block sent, so that memory stays small
# Shapes with fewer rows than this are laid out together (a fixed slot per field, then the
# padding squeezed out), which costs more per row but nothing per shape.
_FEW = 256
# PostgreSQL type oids this module encodes (pg_type.oid).
TEXT, VARCHAR, INT8, INT4, INT2, FLOAT8 = 25, 1043, 20, 23, 21, 701
BOOL, DATE, TIMESTAMPTZ = 16, 1082, 1184


def _scalar(value, oid: int) -> bytes:
    """One field in PostgreSQL's binary COPY format: its length, then its bytes."""
    if value is None:
        return _NULL
    if oid in (TEXT, VARCHAR):
        data = str(value).encode()  # Django's connections use UTF8 as the client encoding
    elif oid == INT8:
        data = int(value).to_bytes(8, "big", signed=True)
    elif oid == INT4:
        data = int(value).to_bytes(4, "big", signed=True)
    elif oid == INT2:
        data = int(value).to_bytes(2, "big", signed=True)
    elif oid == FLOAT8:
        data = np.array([value], dtype=">f8").tobytes()
    elif oid == BOOL:
        data = b"\x01" if value else b"\x00"
    elif oid == DATE:
        data = (value.toordinal() - _EPOCH_DAY).to_bytes(4, "big", signed=True)
    elif oid == TIMESTAMPTZ:  # an aware datetime
        delta = value - _EPOCH
        micros = (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds
        data = micros.to_bytes(8, "big", signed=True)
    else:
        raise ValueError(f"No binary COPY encoding for type {oid}")
    return len(data).to_bytes(4, "big", signed=True) + data


@dataclass
class _Pieces:
    """A column's encoded fields: `table[index[i]]`, of which the first `length[...]` bytes,
    is row i's field."""

    table: np.ndarray  # uint8, (distinct fields, widest field)
    length: np.ndarray  # bytes used in each table row
    index: np.ndarray  # table row for each row of the column
    shape: np.ndarray  # each table row's length as a number in range(shapes)
    shapes: int
    _fields: dict[int, np.ndarray] = field(default_factory=dict, repr=False)

    def fields(self, length: int) -> np.ndarray:
        """The table's rows cut to `length` bytes, each one numpy void item."""
        if length not in self._fields:
            cut = np.ascontiguousarray(self.table[:, :length])
            self._fields[length] = cut.view(f"V{length}").ravel()
        return self._fields[length]


def _from_fields(fields: list[bytes], index: np.ndarray) -> _Pieces:
    length = np.fromiter(map(len, fields), dtype=np.int32, count=len(fields))
    width = int(length.max()) if len(fields) else 0
    padded = b"".join(f.ljust(width, b"\0") for f in fields)
    table = np.frombuffer(padded, dtype=np.uint8).reshape(len(fields), width)
    distinct, shape = np.unique(length, return_inverse=True)
    return _Pieces(table, length, index, shape.ravel(), len(distinct))


def _numbers(values: np.ndarray, null: np.ndarray, big_endian: str) -> _Pieces:
    """Integers or floats, each row its own table row (NULL where `null`)."""
    size = np.dtype(big_endian).itemsize
    table = np.empty((len(values), 4 + size), dtype=np.uint8)
    header = np.where(null, -1, size).astype(">i4")
    table[:, :4] = header.view(np.uint8).reshape(-1, 4)
    table[:, 4:] = values.astype(big_endian).view(np.uint8).reshape(-1, size)
    lengths = np.where(null, 4, 4 + size).astype(np.int32)
    return _Pieces(table, lengths, np.arange(len(values)), null.astype(np.int64), 2)


def _encoded(column, oid: int, size: int) -> _Pieces:
    """Encode one column (an array, a Coded column, or one value for every row)."""
    if isinstance(column, Coded):
        column = _only_used(column)
        fields = [_scalar(name, oid) for name in column.names.tolist()]
        return _from_fields(fields, column.codes)
    if not isinstance(column, np.ndarray):  # one value for every row
        return _from_fields([_scalar(column, oid)], np.zeros(size, dtype=np.int64))
    if oid == FLOAT8:
        if column.dtype.kind == "O":  # Python floats and None: never coded (0.0 == -0.0)
            column = np.array([np.nan if v is None else v for v in column.tolist()], float)
        return _numbers(column, np.isnan(column), ">f8")
    if column.dtype.kind in "iu" and oid == INT8:
        return _numbers(column, np.zeros(len(column), dtype=bool), ">i8")
    return _encoded(Coded.of(column), oid, size)


def _only_used(column: Coded) -> Coded:
    """A part of a column may use few of its many names: encode only those."""
    present = np.zeros(len(column.names), dtype=bool)
    present[column.codes] = True
    if present.all():
        return column
    return Coded((np.cumsum(present) - 1)[column.codes], column.names[present])


def payload(rows: Columns, oids: Sequence[int]) -> Iterator[bytes]:
    """A whole binary COPY of these rows, in blocks: signature, rows, trailer."""
    yield SIGNATURE
    yield from row_blocks(rows, oids)
    yield TRAILER


def row_blocks(rows: Columns, oids: Sequence[int]) -> Iterator[bytes]:
    """These rows in the binary COPY format, in blocks of at most _BLOCK rows. `oids` are
    the table columns' types, one per column (only those named above are known)."""
    size = rows.size
    pieces = [_encoded(c, oid, size) for c, oid in zip(rows.columns, oids, strict=True)]
    if size:
        shape = _row_shapes(pieces, size)
        order = np.argsort(shape, kind="stable")
        shape = shape[order]
        groups = np.split(order, np.flatnonzero(np.diff(shape)) + 1)
        for group in groups:
            if len(group) < _FEW:
                continue
            lengths = [int(p.length[p.index[group[0]]]) for p in pieces]
            for block in range(0, len(group), _BLOCK):
                yield _same_shape(pieces, group[block : block + _BLOCK], lengths)
        rest = [group for group in groups if len(group) < _FEW]
        if rest:
            yield _mixed_shapes(pieces, np.concatenate(rest))


def _row_shapes(pieces: list[_Pieces], size: int) -> np.ndarray:
    """A number per row, the same for two rows exactly when all their fields' lengths are."""
    shape, shapes = np.zeros(size, dtype=np.int64), 1
    for p in pieces:
        shape = shape * p.shapes + p.shape[p.index]
        shapes *= p.shapes
        if shapes > 2**31:  # renumber the shapes seen so far, so that it cannot overflow
            _distinct, shape = np.unique(shape, return_inverse=True)
            shape, shapes = shape.ravel(), int(shape.max()) + 1
    return shape


def _same_shape(pieces: list[_Pieces], rows: np.ndarray, lengths: list[int]) -> bytes:
    out = np.empty(len(rows), dtype=_layout(tuple(lengths)))
    out["fields"] = np.frombuffer(len(pieces).to_bytes(2, "big"), dtype="V2")[0]
    for k, (p, length) in enumerate(zip(pieces, lengths, strict=True)):
        out[f"f{k}"] = p.fields(length)[p.index[rows]]
    return out.tobytes()


@lru_cache(maxsize=1024)
def _layout(lengths: tuple[int, ...]) -> np.dtype:
    """A row of fields of these lengths as a record; each field is copied as one item of
    its length (a numpy void), not byte by byte. The same shapes recur in every part."""
    return np.dtype(
        {
            "names": ["fields", *(f"f{k}" for k in range(len(lengths)))],
            "formats": ["V2", *(f"V{length}" for length in lengths)],
            "offsets": [0, *np.cumsum([2, *lengths[:-1]]).tolist()],
            "itemsize": 2 + sum(lengths),
        }
    )


def _mixed_shapes(pieces: list[_Pieces], rows: np.ndarray) -> bytes:
    """Rows of any shapes: each field in a slot as wide as its widest, then only the bytes
    each row uses, in order (a boolean mask flattens row by row)."""
    out, used = [], []
    for p in pieces:
        index = p.index[rows]
        length = p.length[index]
        width = int(length.max())
        out.append(p.table[index, :width])
        used.append(np.arange(width) < length[:, None])
    header = np.frombuffer(len(pieces).to_bytes(2, "big"), dtype=np.uint8)
    out.insert(0, np.broadcast_to(header, (len(rows), 2)))
    used.insert(0, np.ones((len(rows), 2), dtype=bool))
    return np.hstack(out)[np.hstack(used)].tobytes()
