from __future__ import annotations

import io

import pytest

from goldthread.imports import Problem, RawRow, check, read_rows
from goldthread.imports.tests.make_corpus import CORPUS_CONTEXT, HEADER, _xlsx_bytes


def rows_of(data: bytes, **options) -> list[RawRow | Problem]:
    return list(read_rows(io.BytesIO(data), **options))


def test_it_reads_a_csv_file_as_numbered_rows_of_text():
    items = rows_of(b'a,b\r\n1,2\r\n\r\n3,"x, y"\r\n')

    assert items == [
        RawRow(1, ["a", "b"]),
        RawRow(2, ["1", "2"]),
        RawRow(3, []),
        RawRow(4, ["3", "x, y"]),
    ]


def test_it_drops_a_utf8_byte_order_mark():
    assert rows_of(b"\xef\xbb\xbfa,b\n") == [RawRow(1, ["a", "b"])]


def test_it_counts_a_quoted_field_over_two_lines_as_one_row():
    items = rows_of(b'a,b\n1,"two\nlines"\n2,\xa3\n')

    assert [item.row for item in items] == [1, 2, 3]
    assert items[2].problems[0].row == 3
    assert items[2].problems[0].column == "b"


def test_it_names_the_column_of_a_byte_that_is_not_utf8():
    items = rows_of(b"x,y,commentary\n1,2,Saved \xa35\n")

    (problem,) = items[1].problems
    assert str(problem).startswith("row 2, column commentary: This row has a character")


def test_it_stops_at_a_line_longer_than_the_limit():
    items = rows_of(b"a,b\n" + b"x" * 200 + b"\n1,2\n", max_line_bytes=100)

    assert (
        items[-1]
        == Problem(
            2,
            None,
            "This row is longer than 0 KB, so it cannot be read. Check the file is a CSV file "
            "of values. Rows after it were not checked.",
        )
        or "longer than" in items[-1].message
    )
    assert len(items) == 2


def test_it_streams_without_reading_the_whole_file():
    data = io.BytesIO(b"a,b\n" + b"1,2\n" * 1_000_000)

    rows = read_rows(data)
    next(rows)
    next(rows)

    assert data.tell() < 100_000


def test_it_reads_from_a_stream_that_cannot_seek():
    class Pipe(io.RawIOBase):
        def __init__(self, data: bytes):
            self.data = io.BytesIO(data)

        def readable(self):
            return True

        def readinto(self, buffer):
            chunk = self.data.read(len(buffer))
            buffer[: len(chunk)] = chunk
            return len(chunk)

    items = list(read_rows(io.BufferedReader(Pipe(b"a,b\n1,2\n"))))

    assert [item.cells for item in items] == [["a", "b"], ["1", "2"]]


def test_it_refuses_a_file_opened_as_text_because_that_is_a_programming_mistake():
    with pytest.raises(TypeError):
        list(read_rows(io.StringIO("a,b\n")))


def test_it_refuses_an_unknown_format():
    with pytest.raises(ValueError):
        read_rows(io.BytesIO(b""), format="ods")


def test_it_reads_a_workbook_from_an_open_file():
    data = _xlsx_bytes([HEADER.split(","), ["ASC01", "2025-10", None, 45.5, None, None, 0.1]])

    items = rows_of(data, format="xlsx")

    assert [item.cells for item in items] == [
        HEADER.split(","),
        ["ASC01", "2025-10", "", "45.5", "", "", "0.1"],
    ]


def test_it_writes_whole_numbers_from_a_workbook_without_a_decimal_point():
    data = _xlsx_bytes([["value"], [3.0], [1e-7], [12]])

    assert [item.cells for item in rows_of(data, format="xlsx")][1:] == [
        ["3"],
        ["0.0000001"],
        ["12"],
    ]


def test_it_reports_merged_headings_on_row_1_by_letter():
    def merge(workbook, sheet):
        sheet.merge_cells("A1:B1")

    data = _xlsx_bytes([HEADER.split(","), ["ASC01", "2025-10", None, 45.5]], build=merge)

    result = check(io.BytesIO(data), CORPUS_CONTEXT, format="xlsx")

    assert "row 1, column A: This cell is merged with others (A1:B1)." in [
        str(p).split(" Unmerge")[0] for p in result.problems
    ]


def test_it_leaves_a_file_it_was_given_open():
    data = io.BytesIO(b"a,b\n")

    list(read_rows(data))

    assert not data.closed


def test_the_package_does_not_import_django():
    import subprocess
    import sys

    code = "import sys, goldthread.imports; print('django' in sys.modules)"
    output = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)

    assert output.stdout.strip() == "False", output.stderr
