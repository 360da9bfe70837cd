"""Readers: turn a CSV or .xlsx file into a stream of rows, reporting what cannot be read.

Both readers stream: a CSV file is read a line at a time and a workbook a row at a time, so
memory does not grow with the file. Neither judges the figures (that is `validate`); they
report only what stops a row being read at all, and they never raise on bad data.

Decisions:
- CSV must be UTF-8, with or without a byte order mark. UTF-16 ("Unicode text") is refused
  with a message, not decoded: one encoding means one set of rules to test, and Excel's
  "CSV UTF-8" is one click away.
- Bytes that are not UTF-8 are reported on the row (and, where it can tell, the column) they
  are in, and reading goes on, so a Windows-1252 file gets one message per affected row.
- A line longer than `max_line_bytes` stops the reading: nothing after it can be trusted.
- A workbook is checked as a zip (entry count, total unpacked size and packing ratio, from
  the zip's own directory) before openpyxl opens it. Python's zipfile never unpacks more
  than an entry's declared size, so the declared sizes are a safe bound.
- openpyxl's read-only mode does not report merged cells, so the sheet's XML is scanned for
  `<mergeCell>` elements, a chunk at a time, before the rows are read.
"""

from __future__ import annotations

import csv
import io
import os
import re
import shutil
import tempfile
import warnings
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from itertools import chain
from typing import BinaryIO, Literal

from goldthread.analysis.periods import MONTH_NAMES, Frequency, period_containing
from goldthread.imports.columns import PERIOD, column_letter, normalise_heading
from goldthread.imports.numbers import plain
from goldthread.imports.problems import Problem, RawRow, quote

Source = str | os.PathLike[str] | BinaryIO

MAX_LINE_BYTES = 64 * 1024
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
MAX_PACKING_RATIO = 100
# Small parts of a workbook (styles, shared strings) can pack tighter than that harmlessly.
RATIO_CHECKED_FROM_BYTES = 1024 * 1024
MAX_ZIP_ENTRIES = 10_000
MAX_MERGES_REPORTED = 100

SAVE_AS_CSV_UTF8 = (
    'In Excel, choose "Save as" and "CSV UTF-8 (Comma delimited)", then upload the file again.'
)
RESAVE_WORKBOOK = (
    "Open it in Excel, save it again as an Excel workbook (.xlsx), and upload it again."
)

_UTF8_BOM = b"\xef\xbb\xbf"
# RawRow(...) without its Python-level __new__: a third of the cost, once per row.
_raw_row = tuple.__new__
# Small enough that reading the first rows does not read much of a large file.
_BLOCK_BYTES = 64 * 1024
_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"

# What a byte that is not UTF-8 most likely was, in the Windows-1252 that older Excel writes.
_WINDOWS_1252_HINTS = {
    0xA3: "a £ sign",
    0x80: "a € sign",
    0x91: "a curly quotation mark",
    0x92: "a curly apostrophe",
    0x93: "a curly quotation mark",
    0x94: "a curly quotation mark",
    0x96: "a dash",
    0x97: "a dash",
    0x85: "an ellipsis (…)",
    0xA0: "a non-breaking space",
    0xB0: "a degree sign",
}


def read_rows(
    source: Source,
    *,
    format: Literal["csv", "xlsx"] = "csv",
    max_line_bytes: int = MAX_LINE_BYTES,
) -> Iterator[RawRow | Problem]:
    """Every row of the file in order (the headings first), or problems saying why not.

    `source` is a path or a file opened in binary mode. A file the caller opened is not
    closed. Rows are yielded as `RawRow(row, cells, problems)` with text cells.
    """
    if format == "csv":
        return _read_csv(source, max_line_bytes)
    if format == "xlsx":
        return _read_xlsx(source)
    raise ValueError(f'format must be "csv" or "xlsx", not {format!r}')


@contextmanager
def _binary(source: Source) -> Iterator[BinaryIO]:
    if isinstance(source, str | os.PathLike):
        with open(source, "rb") as file:
            yield file
        return
    if isinstance(source, io.TextIOBase):
        raise TypeError("Open the file in binary mode ('rb'): the reader decodes it itself")
    if source.seekable():
        yield source
        return
    # A pipe cannot be rewound; a spooled copy can (in memory while small).
    with tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024) as copy:
        shutil.copyfileobj(source, copy)
        copy.seek(0)
        yield copy  # type: ignore[misc]


def _file_problem(message: str) -> Problem:
    return Problem(1, None, message)


def _sniff(head: bytes, expected: str) -> Problem | None:
    """Catch files that are plainly not what they claim to be, from their first bytes."""
    if head.startswith(_OLE_MAGIC):
        return _file_problem(
            "This is an older Excel file (.xls) or a password-protected workbook. "
            "Remove any password and save it as an Excel workbook (.xlsx) or as "
            '"CSV UTF-8 (Comma delimited)", then upload it again.'
        )
    if expected == "csv":
        if head.startswith((b"\xff\xfe", b"\xfe\xff")) or (len(head) >= 2 and 0 in head[:2]):
            return _file_problem(
                'This file is saved as UTF-16 ("Unicode text"), not UTF-8. ' + SAVE_AS_CSV_UTF8
            )
        if head.startswith(_ZIP_MAGIC):
            return _file_problem(
                "This is an Excel workbook, not a CSV file. Upload it as an Excel file (.xlsx), "
                'or save it as "CSV UTF-8 (Comma delimited)".'
            )
    elif not head.startswith(_ZIP_MAGIC):
        if not head:
            return None
        return _file_problem(
            "This file is not an Excel workbook (.xlsx). If it is a CSV file, upload it as CSV. "
            + RESAVE_WORKBOOK
        )
    return None


# --- CSV ---------------------------------------------------------------------------------


class _LineState:
    """What the line reader noticed while the csv module was pulling lines from it."""

    __slots__ = ("notes", "too_long")

    def __init__(self) -> None:
        self.notes: list[tuple[int | None, str]] = []  # (column index, message)
        self.too_long = False


def _decoded_lines(file: BinaryIO, limit: int, state: _LineState) -> Iterator[str]:
    """The file's lines as text, for the csv module, noting what is wrong with any line."""
    return chain.from_iterable(_line_blocks(file, limit, state))


def _line_blocks(file: BinaryIO, limit: int, state: _LineState) -> Iterator[Iterator[str]]:
    """Whole lines a block at a time (a line never spans two blocks), decoded in one go.

    Decoding a block at once, rather than line by line, is most of the speed of reading a
    large file. A block with anything wrong in it (bytes that are not UTF-8, a null
    character, a line of `limit` bytes or more) is read line by line, exactly as a small file
    always was, so every problem is noted on the row it belongs to.
    """
    carry = b""
    while block := file.read(_BLOCK_BYTES):
        data = carry + block if carry else block
        cut = data.rfind(b"\n") + 1
        carry = data[cut:]
        if cut:
            yield _block_lines(data[:cut] if carry else data, limit, state)
            if state.too_long:
                return
        if len(carry) >= limit:
            state.too_long = True
            return
    if carry:
        yield _block_lines(carry, limit, state)


def _block_lines(data: bytes, limit: int, state: _LineState) -> Iterator[str]:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return _checked_lines(io.BytesIO(data).readline, limit, state)
    if "\x00" in text or (len(data) >= limit and max(map(len, data.split(b"\n"))) >= limit):
        return _checked_lines(io.BytesIO(data).readline, limit, state)
    return io.StringIO(text, newline="\n")


def _checked_lines(readline, limit: int, state: _LineState) -> Iterator[str]:
    while raw := readline(limit):
        if len(raw) >= limit and not raw.endswith(b"\n"):
            state.too_long = True
            return
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as error:
            text = raw.decode("utf-8", "replace")
            state.notes.append(_not_utf8(raw, error))
        else:
            if "\x00" in text:
                state.notes.append(
                    (
                        _column_at(text[: text.index("\x00")]),
                        "This cell has a null character in it. " + SAVE_AS_CSV_UTF8,
                    )
                )
        yield text


def _not_utf8(raw: bytes, error: UnicodeDecodeError) -> tuple[int | None, str]:
    byte = raw[error.start]
    what = _WINDOWS_1252_HINTS.get(byte, "an accented letter or symbol")
    column = _column_at(raw[: error.start].decode("utf-8", "replace"))
    return column, (
        f"This row has a character that is not UTF-8 (probably {what} saved by older "
        f"software). {SAVE_AS_CSV_UTF8}"
    )


def _column_at(prefix: str) -> int:
    """Which column (from 0) a line has reached after `prefix`."""
    return len(next(csv.reader([prefix]), [""])) - 1 if prefix else 0


def _read_csv(source: Source, max_line_bytes: int) -> Iterator[RawRow | Problem]:
    with _binary(source) as file:
        start = file.tell()
        head = file.read(4)
        if not isinstance(head, bytes):
            raise TypeError("Open the file in binary mode ('rb'): the reader decodes it itself")
        if problem := _sniff(head, "csv"):
            yield problem
            return
        file.seek(start + (len(_UTF8_BOM) if head.startswith(_UTF8_BOM) else 0))
        yield from _csv_rows(file, max_line_bytes)


def _csv_rows(file: BinaryIO, max_line_bytes: int) -> Iterator[RawRow | Problem]:
    state = _LineState()
    notes = state.notes
    reader = csv.reader(_decoded_lines(file, max_line_bytes, state))
    header: list[str] = []
    row = 0
    try:
        for cells in reader:
            if state.too_long:
                break
            row += 1
            if row == 1:
                header = cells
            if notes:
                problems = tuple(
                    Problem(row, _heading(header, index, row), message) for index, message in notes
                )
                notes.clear()
                yield RawRow(row, cells, problems)
            else:
                yield _raw_row(RawRow, (row, cells, ()))
    except csv.Error as error:
        yield _csv_error(row + 1, error)
        return
    if state.too_long:
        yield Problem(
            row + 1,
            None,
            f"This row is longer than {_size(max_line_bytes)}, so it cannot be read. "
            "Check the file is a CSV file of values. Rows after it were not checked.",
        )


def _size(count: int) -> str:
    return f"{count // 1024:,} KB" if count >= 1024 else f"{count:,} bytes"


def _csv_error(row: int, error: csv.Error) -> Problem:
    if "new-line character" in str(error):
        return Problem(
            row,
            None,
            "The rows in this file end in a way this service cannot read (old Mac line "
            "endings). " + SAVE_AS_CSV_UTF8,
        )
    return Problem(
        row, None, f"This row cannot be read as CSV ({error}). Rows after it were not checked."
    )


def _heading(header: list[str], index: int | None, row: int) -> str | None:
    """The column's heading as the file has it, or its letter when it has none."""
    if index is None:
        return None
    if row > 1 and index < len(header):
        name = normalise_heading(header[index])
        if name:
            return name
    return column_letter(index)


# --- Excel -------------------------------------------------------------------------------


def _read_xlsx(source: Source) -> Iterator[RawRow | Problem]:
    with _binary(source) as file:
        start = file.tell()
        head = file.read(8)
        file.seek(start)
        if problem := _sniff(head, "xlsx"):
            yield problem
            return
        if not head:
            return
        try:
            archive = zipfile.ZipFile(file)
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
            yield _file_problem(
                "This Excel file is damaged and cannot be opened. " + RESAVE_WORKBOOK
            )
            return
        with archive:
            if problem := _zip_problem(archive):
                yield problem
                return
            file.seek(start)
            yield from _workbook_rows(file, archive)


def _zip_problem(archive: zipfile.ZipFile) -> Problem | None:
    entries = archive.infolist()
    if len(entries) > MAX_ZIP_ENTRIES:
        return _file_problem(
            f"This Excel file has more than {MAX_ZIP_ENTRIES:,} parts inside it, which a "
            "workbook of values never needs. Copy the values into a new workbook and upload that."
        )
    if any(entry.flag_bits & 0x1 for entry in entries):
        return _file_problem("This Excel file is encrypted. Remove the password and save it again.")
    if sum(entry.file_size for entry in entries) > MAX_UNPACKED_BYTES:
        return _file_problem(
            f"This Excel file is too big to check: it unpacks to more than "
            f"{MAX_UNPACKED_BYTES // (1024 * 1024)} MB. Split it into smaller files, or save the "
            "values sheet on its own as CSV UTF-8."
        )
    for entry in entries:
        packed = max(entry.compress_size, 1)
        if entry.file_size >= RATIO_CHECKED_FROM_BYTES and entry.file_size / packed > (
            MAX_PACKING_RATIO
        ):
            return _file_problem(
                f"This Excel file unpacks to more than {MAX_PACKING_RATIO} times its size, "
                "which is a sign of a damaged or harmful file. Copy the values into a new "
                "workbook, or save them as CSV UTF-8, and upload that."
            )
    return None


def _workbook_rows(file: BinaryIO, archive: zipfile.ZipFile) -> Iterator[RawRow | Problem]:
    import openpyxl  # Only Excel uploads pay for importing it.

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            workbook = openpyxl.load_workbook(
                file, read_only=True, data_only=False, keep_links=False
            )
    except Exception:  # Any failure inside openpyxl means the same thing to a person.
        yield _file_problem("This Excel file is damaged and cannot be opened. " + RESAVE_WORKBOOK)
        return
    try:
        sheet = _values_sheet(workbook)
        if sheet is None:
            yield _file_problem("This Excel file has no worksheets. " + RESAVE_WORKBOOK)
            return
        yield from _sheet_rows(sheet, archive)
    finally:
        workbook.close()


def _values_sheet(workbook):
    """The sheet called "values" (in any case), or else the first worksheet."""
    sheets = workbook.worksheets
    for sheet in sheets:
        if sheet.title.strip().lower() == "values":
            return sheet
    return sheets[0] if sheets else None


def _sheet_rows(sheet, archive: zipfile.ZipFile) -> Iterator[RawRow | Problem]:
    merges = _merged_ranges(archive, getattr(sheet, "_worksheet_path", ""))
    sheet.reset_dimensions()  # so rows are not padded to a (possibly huge) declared size
    header: list[str] = []
    period_index = -1
    row = 0
    rows = sheet.iter_rows(min_row=1, min_col=1)
    while True:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                cells = next(rows, None)
        except Exception:  # A damaged sheet fails inside openpyxl's XML parsing.
            yield Problem(
                row + 1,
                None,
                "This row of the Excel file is damaged and cannot be read. Rows after it "
                "were not checked. " + RESAVE_WORKBOOK,
            )
            return
        if cells is None:
            return
        row += 1
        texts, problems = _row_texts(cells, row, header, period_index)
        if row == 1:
            header = [normalise_heading(text) for text in texts]
            period_index = header.index(PERIOD) if PERIOD in header else -1
            # Merged headings first: if the headings are unusable nothing after them is read.
            yield from _merge_problems([m for m in merges if m[0] == 1], header)
            yield RawRow(row, texts, problems)
            yield from _merge_problems([m for m in merges if m[0] > 1], header)
        else:
            yield RawRow(row, texts, problems)


def _row_texts(cells, row: int, header: list[str], period_index: int):
    texts: list[str] = []
    problems: list[Problem] = []
    for index, cell in enumerate(cells):
        value = cell.value
        if value is None:
            texts.append("")
        elif type(value) is str and cell.data_type != "f":
            texts.append(value)
        else:
            text, message = _cell_text(cell, value, index == period_index)
            texts.append(text)
            if message:
                name = header[index] if index < len(header) and header[index] else None
                problems.append(Problem(row, name or column_letter(index), message))
    return texts, tuple(problems)


def _cell_text(cell, value: object, is_period: bool) -> tuple[str, str | None]:
    """The cell as text, and a message when the cell cannot be taken as it is."""
    kind = cell.data_type
    if kind == "f":
        formula = str(getattr(value, "text", value) or "")
        shown = f" ({quote(formula)})" if len(formula) > 1 else ""
        return "", (
            f"This cell has a formula{shown}. Replace it with its result: copy the cells and "
            'use "Paste values".'
        )
    if kind == "e":
        return "", (
            f"This cell shows the Excel error {quote(str(value))}. Fix the calculation, "
            "then paste the figure as a value."
        )
    if isinstance(value, bool):
        return ("TRUE" if value else "FALSE"), None
    if isinstance(value, int | float):
        text = _number_text(value)
        if "%" in (cell.number_format or ""):
            return text, (
                f"This cell is formatted as a percentage, so Excel stores "
                f"{plain(Decimal(text) * 100)}% as {text}. Format the cell as a number and "
                f"enter {plain(Decimal(text) * 100)}."
            )
        return text, None
    if isinstance(value, datetime | date):
        day = value.date() if isinstance(value, datetime) else value
        if is_period:
            key = period_containing(day, Frequency.MONTHLY).key
            return "", (
                f"Excel has changed this period into a date ({day.day} "
                f"{MONTH_NAMES[day.month - 1]} {day.year}). Format the period column as text, "
                f"then type the period again, like {key}."
            )
        return value.isoformat(), None
    if isinstance(value, time | timedelta):
        return str(value), None
    return str(value), None


def _number_text(value: int | float) -> str:
    if isinstance(value, int):
        return str(value)
    if value != value or value in (float("inf"), float("-inf")):
        return str(value)
    return plain(Decimal(repr(value)))


_MERGE_CELL = re.compile(
    rb'<(?:\w+:)?mergeCell\b[^>]*?\bref="([A-Z]{1,3})(\d{1,7})(?::[A-Z]+\d+)?"'
)


def _merged_ranges(archive: zipfile.ZipFile, path: str) -> list[tuple[int, int, str]]:
    """(row, column index, reference) of each merged range, from the sheet's XML."""
    if not path:
        return []
    found: dict[bytes, tuple[int, int, str]] = {}
    tail = b""
    try:
        with archive.open(path.lstrip("/")) as xml:
            while chunk := xml.read(1024 * 1024):
                data = tail + chunk
                for match in _MERGE_CELL.finditer(data):
                    ref = match.group(0)
                    letters, digits = match.group(1).decode(), int(match.group(2))
                    found.setdefault(ref, (digits, _column_index(letters), _ref_text(match)))
                    if len(found) > MAX_MERGES_REPORTED:
                        return sorted(found.values())
                tail = data[-512:]
    except (KeyError, zipfile.BadZipFile, OSError, EOFError, ValueError):
        return []  # openpyxl will report the damage when it reads the same part
    return sorted(found.values())


def _ref_text(match: re.Match[bytes]) -> str:
    whole = match.group(0)
    ref = whole[whole.index(b'ref="') + 5 :]
    return ref[: ref.index(b'"')].decode()


def _column_index(letters: str) -> int:
    index = 0
    for letter in letters:
        index = index * 26 + ord(letter) - 64
    return index - 1


def _merge_problems(merges: list[tuple[int, int, str]], header: list[str]) -> Iterator[Problem]:
    for number, (row, column, ref) in enumerate(merges):
        if number == MAX_MERGES_REPORTED:
            yield Problem(
                row, None, "There are more merged cells. Unmerge every cell in the sheet."
            )
            return
        name = header[column] if row > 1 and column < len(header) and header[column] else None
        yield Problem(
            row,
            name or column_letter(column),
            f"This cell is merged with others ({ref}). Unmerge the cells and fill in every row.",
        )
