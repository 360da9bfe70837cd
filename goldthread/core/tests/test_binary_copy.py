"""Rows encoded by column in PostgreSQL's binary COPY format (core.binary_copy).

The pure tests read the bytes back with a small reader written from the format's
specification; the PostgreSQL test has the server itself read them.
"""

import struct
from datetime import UTC, date, datetime

import numpy as np
import pytest

from goldthread.core import binary_copy as bc
from goldthread.core.binary_copy import Coded, Columns

OIDS = [bc.INT8, bc.VARCHAR, bc.FLOAT8, bc.DATE, bc.TIMESTAMPTZ, bc.BOOL, bc.TEXT, bc.INT2]
STAMP = datetime(2026, 11, 23, 10, 42, 7, 123456, tzinfo=UTC)
ROWS = [
    (1, "2025-04", 50.5, date(2025, 4, 1), STAMP, False, "", 0),
    (2, "2025-05", None, date(2025, 5, 1), STAMP, True, "Below target \u2013 £3 short", 7),
    (-3, None, -0.0, None, None, None, "x" * 700, -2),
    (2**40, "2025-Q1", 1e300, date(1999, 12, 31), STAMP, False, "", 1),
]


def _read(payload: bytes) -> list[tuple]:
    """Rows from a binary COPY payload, decoded by type as PostgreSQL would."""
    assert payload.startswith(bc.SIGNATURE) and payload.endswith(bc.TRAILER)
    at, rows = len(bc.SIGNATURE), []
    while payload[at : at + 2] != bc.TRAILER:
        (count,) = struct.unpack_from(">h", payload, at)
        at, row = at + 2, []
        for oid in OIDS[:count]:
            (size,) = struct.unpack_from(">i", payload, at)
            at += 4
            row.append(None if size < 0 else _decode(payload[at : at + size], oid))
            at += max(size, 0)
        rows.append(tuple(row))
    assert at + 2 == len(payload)
    return rows


def _decode(data: bytes, oid: int):
    if oid in (bc.TEXT, bc.VARCHAR):
        return data.decode()
    if oid == bc.FLOAT8:
        return struct.unpack(">d", data)[0]
    if oid == bc.BOOL:
        return data == b"\x01"
    if oid == bc.DATE:
        return date.fromordinal(date(2000, 1, 1).toordinal() + struct.unpack(">i", data)[0])
    if oid == bc.TIMESTAMPTZ:
        micros = struct.unpack(">q", data)[0]
        return datetime(2000, 1, 1, tzinfo=UTC) + np.timedelta64(micros, "us").item()
    return int.from_bytes(data, "big", signed=True)


def _payload(rows: Columns, oids=OIDS) -> bytes:
    return b"".join(bc.payload(rows, oids))


def test_rows_given_as_tuples_come_back_with_every_value_and_null():
    back = _read(_payload(Columns.of_tuples(ROWS, len(OIDS))))

    assert sorted(back, key=lambda r: r[0]) == sorted(ROWS, key=lambda r: r[0])


def test_minus_zero_keeps_its_sign_in_an_object_column_of_floats():
    back = _read(_payload(Columns.of_tuples(ROWS, len(OIDS))))

    zero = next(row[2] for row in back if row[0] == -3)
    assert zero == 0.0 and np.signbit(zero)


def test_array_coded_and_constant_columns_give_the_same_bytes_per_row_as_tuples():
    ids = np.array([1, 2, 3], dtype=np.int64)
    values = np.array([1.5, np.nan, -2.0])
    rag = Coded(np.array([2, 0, 2]), np.array(["green", "amber", "red"], dtype=object))
    by_column = Columns([ids, rag, values, STAMP, True, ""], 3)
    oids = [bc.INT8, bc.VARCHAR, bc.FLOAT8, bc.TIMESTAMPTZ, bc.BOOL, bc.TEXT]
    as_tuples = Columns.of_tuples(by_column.tuples(), len(oids))

    assert by_column.tuples()[1] == (2, "green", None, STAMP, True, "")
    assert sorted(_rows_of(_payload(by_column, oids))) == sorted(
        _rows_of(_payload(as_tuples, oids))
    )


def _rows_of(payload: bytes) -> list[bytes]:
    """Each row's bytes, to compare payloads whose rows come in another order."""
    rows, at = [], len(bc.SIGNATURE)
    while payload[at : at + 2] != bc.TRAILER:
        start, (count,) = at, struct.unpack_from(">h", payload, at)
        at += 2
        for _ in range(count):
            (size,) = struct.unpack_from(">i", payload, at)
            at += 4 + max(size, 0)
        rows.append(payload[start:at])
    return rows


def test_many_rows_of_many_shapes_all_arrive_once():
    rng = np.random.default_rng(3)
    n = 40_000  # more than one block of rows
    values = np.where(rng.random(n) < 0.3, np.nan, rng.normal(size=n))
    words = np.array(["", "red", "amber", "a longer label", None], dtype=object)
    label = Coded(rng.integers(0, len(words), n), words)
    rows = Columns([np.arange(n, dtype=np.int64), label, values], n)

    back = _read(_payload(rows, [bc.INT8, bc.VARCHAR, bc.FLOAT8]))

    assert sorted(row[0] for row in back) == list(range(n))
    by_id = {row[0]: row for row in back}
    for i in rng.integers(0, n, 200).tolist():
        assert by_id[i][1] == words[label.codes[i]]
        assert (by_id[i][2] is None) == bool(np.isnan(values[i]))
        assert by_id[i][2] is None or by_id[i][2] == values[i]


def test_rows_of_rare_shapes_arrive_in_order_beside_the_common_ones():
    n = 1_000
    text = np.full(n, "", dtype=object)
    rare = [3, 500, 998]
    for k, i in enumerate(rare):
        text[i] = "explained " * (k + 1)
    rows = Columns([np.arange(n, dtype=np.int64), Coded.of(text)], n)

    back = _read(_payload(rows, [bc.INT8, bc.TEXT]))

    assert sorted(back) == [(i, text[i]) for i in range(n)]
    assert [row[0] for row in back[-3:]] == rare  # laid out together, in their order


def test_no_rows_is_a_valid_empty_copy():
    assert _read(_payload(Columns.of_tuples([], len(OIDS)))) == []


def test_a_type_it_cannot_encode_is_refused_by_name():
    with pytest.raises(ValueError, match="type 1700"):
        _payload(Columns.of_tuples([(1,)], 1), [1700])


def test_coding_a_column_keeps_the_distinct_values_in_first_seen_order():
    coded = Coded.of(["b", "a", "b", None, "a"])

    assert coded.names.tolist() == ["b", "a", None]
    assert coded.codes.tolist() == [0, 1, 0, 2, 1]
    assert coded.subset(np.array([3, 0]))[slice(None)].tolist() == [None, "b"]


@pytest.mark.django_db
def test_postgresql_reads_the_payload_as_the_values_given():
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("binary COPY is PostgreSQL's")
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMPORARY TABLE gt_test_copy (i bigint, p varchar(16), v double precision, "
            "d date, t timestamptz, b boolean, x text, s smallint)"
        )
        with cursor.cursor.copy("COPY gt_test_copy FROM STDIN (FORMAT BINARY)") as copy:
            for block in bc.payload(Columns.of_tuples(ROWS, len(OIDS)), OIDS):
                copy.write(block)
        cursor.execute("SELECT * FROM gt_test_copy ORDER BY i")
        back = cursor.fetchall()

    assert back == sorted(ROWS, key=lambda r: r[0])
