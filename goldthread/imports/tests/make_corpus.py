"""Write the import test corpus: small malformed files, and a few valid ones.

    .venv/bin/python -m goldthread.imports.tests.make_corpus

Every file is generated here (the text ones too) so the corpus can be rebuilt and reviewed
from one place; the generated files are committed beside it. Each is tiny on disk: the zip
bombs are a few hundred bytes that claim or unpack to far more.

CORPUS_CONTEXT is what every corpus file is judged against.
"""

from __future__ import annotations

import io
import zipfile
from datetime import date, datetime
from pathlib import Path

from goldthread.imports.validate import Context, IndicatorRule

CORPUS = Path(__file__).parent / "corpus"
VALID = CORPUS / "valid"

CORPUS_CONTEXT = Context(
    indicators={
        "ASC01": IndicatorRule("monthly", False, "number", None, 1),
        "HOU02": IndicatorRule("quarterly", True, "percent", "2022/23 Q1", 1),
        "CSC03": IndicatorRule("annual", False, "number", "2020/21", 0),
        "DAY04": IndicatorRule("monthly", False, "days", None, 1),
    },
    areas={"E05000001", "E05000002"},
    today=date(2026, 1, 15),
    max_rows=20,
)

HEADER = "indicator_code,period,area_code,value,numerator,denominator,commentary"


def _csv(*rows: str, header: str = HEADER, newline: str = "\r\n") -> bytes:
    return (newline.join((header, *rows)) + newline).encode("utf-8")


def _row(value: str = "45.5", *, code="ASC01", period="2025-10", area="", num="", den="", note=""):
    return ",".join((code, period, area, value, num, den, note))


def text_files() -> dict[str, bytes]:
    good = _row()
    return {
        # Encodings and bytes
        "utf16_le_bom.csv": HEADER.encode("utf-16") + "\r\n".encode("utf-16-le"),
        "utf16_be_bom.csv": b"\xfe\xff" + (HEADER + "\r\n" + good).encode("utf-16-be"),
        "utf16_no_bom.csv": (HEADER + "\r\n" + good).encode("utf-16-le"),
        "windows1252_pound.csv": _csv(_row(note="Saved £5k")).replace(
            "£".encode(), "£".encode("cp1252")
        ),
        "windows1252_curly_quotes.csv": _csv(_row(note="“Good” month")).replace(
            "“Good”".encode(), "“Good”".encode("cp1252")
        ),
        "latin1_accent.csv": _csv(_row(note="Café reopened")).replace(
            "é".encode(), "é".encode("latin-1")
        ),
        "utf8_bom_then_commas.csv": b"\xef\xbb\xbf" + _csv(_row('"1,234"')),
        "null_bytes.csv": _csv(_row(note="bad\x00byte")),
        "old_mac_line_endings.csv": _csv(good, _row(period="2025-09"), newline="\r"),
        "excel_saved_as_csv_name.csv": _xlsx_bytes([HEADER.split(","), good.split(",")]),
        # Headings
        "empty.csv": b"",
        "only_blank_lines.csv": b"\r\n\r\n,,,,\r\n",
        "header_only.csv": _csv(),
        "missing_header.csv": (good + "\r\n").encode(),
        "missing_period_column.csv": _csv(
            "ASC01,,45.5,,,",
            header="indicator_code,area_code,value,numerator,denominator,commentary",
        ),
        "missing_value_columns.csv": _csv(
            "ASC01,2025-10,,,note", header="indicator_code,period,area_code,numerator,commentary"
        ),
        "extra_column.csv": _csv(good + ",50", header=HEADER + ",target"),
        "duplicate_column.csv": _csv(good + ",1", header=HEADER + ",Value"),
        "misspelt_heading.csv": _csv(good, header=HEADER.replace("indicator_code", "indicator")),
        "semicolon_delimited.csv": _csv(good.replace(",", ";"), header=HEADER.replace(",", ";")),
        "tab_delimited.csv": _csv(good.replace(",", "\t"), header=HEADER.replace(",", "\t")),
        "title_row_above_header.csv": ("Values for October 2025\r\n" + HEADER + "\r\n").encode(),
        "data_in_unnamed_column.csv": _csv(good + ",,stray", header=HEADER + ",,"),
        "blank_first_row.csv": b"\r\n" + _csv(good),
        "unterminated_quote.csv": _csv('ASC01,2025-10,,"45.5,,,'),
        # Numbers
        "thousands_commas.csv": _csv(_row('"1,234"')),
        "percent_sign.csv": _csv(_row("45%")),
        "pounds_millions.csv": _csv(_row("£3.2m")),
        "scientific_notation.csv": _csv(_row("3.2e5")),
        "nan_value.csv": _csv(_row("NaN")),
        "infinity_value.csv": _csv(_row("inf")),
        "not_applicable.csv": _csv(_row("N/A")),
        "brackets_negative.csv": _csv(_row("(120)")),
        "decimal_comma.csv": _csv(_row('"45,5"')),
        "unicode_minus.csv": _csv(_row("\u22125")),
        "negative_days.csv": _csv(_row("-3", code="DAY04")),
        "zero_denominator.csv": _csv(_row("", code="HOU02", period="2025/26 Q2", num="5", den="0")),
        "numerator_only.csv": _csv(_row("", code="HOU02", period="2025/26 Q2", num="5")),
        "no_figures.csv": _csv(_row("")),
        "value_not_matching_rate.csv": _csv(
            _row("40", code="HOU02", period="2025/26 Q2", num="12", den="25")
        ),
        "rate_parts_for_non_rate.csv": _csv(_row("", num="12", den="25")),
        "huge_number.csv": _csv(_row("9" * 400)),
        "formula_in_value.csv": _csv(_row("=SUM(A1:A3)")),
        # Periods
        "period_as_uk_date.csv": _csv(_row(period="01/10/2025")),
        "period_as_iso_date.csv": _csv(_row(period="2025-10-01")),
        "period_as_excel_month.csv": _csv(_row(period="Oct-25")),
        "period_as_year_only.csv": _csv(_row(code="CSC03", period="2025")),
        "quarter_for_monthly_indicator.csv": _csv(_row(period="2025/26 Q2")),
        "month_for_quarterly_indicator.csv": _csv(_row("40", code="HOU02", period="2025-10")),
        "future_period.csv": _csv(_row(period="2026-05")),
        "before_first_period.csv": _csv(_row("40", code="HOU02", period="2021/22 Q4")),
        "quarter_five.csv": _csv(_row("40", code="HOU02", period="2025/26 Q5")),
        "blank_period.csv": _csv(_row(period="")),
        # Codes, duplicates, limits
        "unknown_indicator.csv": _csv(_row(code="XYZ99")),
        "unknown_area.csv": _csv(_row(area="E09999999")),
        "duplicate_rows.csv": _csv(good, _row(period="2025-09"), _row("46")),
        "formula_injection_equals.csv": _csv(_row(note='=HYPERLINK("http://x")')),
        "formula_injection_plus.csv": _csv(_row(note="+1+1")),
        "formula_injection_minus.csv": _csv(_row(note="-2+3")),
        "formula_injection_at.csv": _csv(_row(note="@SUM(1+1)")),
        "formula_injection_tab.csv": _csv(_row(note='"\t=1+1"')),
        "formula_injection_return.csv": _csv(_row(note='"\r=1+1"')),
        "formula_in_area_code.csv": _csv(_row(area="=A1")),
        "commentary_too_long.csv": _csv(_row(note="x" * 2001)),
        "too_many_rows.csv": _csv(
            *(_row(period=f"{2015 + n // 12}-{n % 12 + 1:02d}") for n in range(25))
        ),
    }


def valid_text_files() -> dict[str, bytes]:
    return {
        "valid_basic.csv": _csv(
            _row(),
            _row("12.5", area="E05000001", note='"Fewer referrals, as expected"'),
            _row("3", code="CSC03", period="2024/25"),
        ),
        "valid_bom_crlf_any_order.csv": b"\xef\xbb\xbf"
        + _csv(
            "2025-10,ASC01,45.5,,E05000002",
            "",
            "2025-09 , asc01 ,46, , ",
            header=" Period ,Indicator Code,VALUE,commentary,area_code",
        ),
        "valid_rates_and_multiline_commentary.csv": _csv(
            _row("", code="HOU02", period="2025/26 Q2", num="12", den="25"),
            _row("48", code="HOU02", period="2025/26 Q1", num="12", den="25", note='"Two\nlines"'),
            _row("-4.5", period="2025-08", note='"Fell, as forecast"'),
        ),
    }


# --- Workbooks ---------------------------------------------------------------------------


def _xlsx_bytes(rows: list[list[object]], *, build=None, title: str = "Sheet1") -> bytes:
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    if build:
        build(workbook, sheet)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _zip(entries: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", method, compresslevel=9) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _merge(workbook, sheet) -> None:
    sheet.merge_cells("A2:A3")


def _as_text(workbook, sheet) -> None:
    sheet["G2"].value = "@SUM(1+1)"
    sheet["G2"].data_type = "s"


def _percent_format(workbook, sheet) -> None:
    sheet["D2"].number_format = "0%"


def _values_second(workbook, sheet) -> None:
    values = workbook.create_sheet("Values")
    values.append(HEADER.split(","))
    values.append(["XYZ99", "2025-10", None, 45.5])


def workbook_files() -> dict[str, bytes]:
    head = HEADER.split(",")
    fine = ["ASC01", "2025-10", None, 45.5]
    return {
        "formula.xlsx": _xlsx_bytes([head, ["ASC01", "2025-10", None, "=SUM(1,2)"]]),
        "merged_cells.xlsx": _xlsx_bytes([head, fine, [None, "2025-09", None, 46]], build=_merge),
        "error_cell.xlsx": _xlsx_bytes([head, ["ASC01", "2025-10", None, "#DIV/0!"]]),
        "date_as_period.xlsx": _xlsx_bytes([head, ["ASC01", datetime(2025, 10, 1), None, 45.5]]),
        "percent_formatted.xlsx": _xlsx_bytes(
            [head, ["ASC01", "2025-10", None, 0.455]], build=_percent_format
        ),
        "text_with_commas.xlsx": _xlsx_bytes([head, ["ASC01", "2025-10", None, "1,234"]]),
        "formula_injection_text.xlsx": _xlsx_bytes(
            [head, [*fine, None, None, "x"]], build=_as_text
        ),
        "values_sheet_not_first.xlsx": _xlsx_bytes(
            [["Notes"], ["Ignore this sheet"]], build=_values_second, title="Notes"
        ),
        "empty_sheet.xlsx": _xlsx_bytes([]),
        "extra_column.xlsx": _xlsx_bytes([[*head, "target"], [*fine, None, None, None, 50]]),
        "zip_bomb_total_size.xlsx": _zip(
            {"xl/worksheets/sheet1.xml": b"0" * 210_000_000}, zipfile.ZIP_BZIP2
        ),
        "zip_bomb_ratio.xlsx": _zip({"xl/worksheets/sheet1.xml": b" " * 2_000_000}),
        "broken_zip.xlsx": _xlsx_bytes([head, fine])[:600],
        "zip_without_workbook.xlsx": _zip({"hello.txt": b"not a workbook"}),
        "not_a_zip.xlsx": (HEADER + "\r\n").encode(),
        "old_xls.xlsx": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 56,
    }


def valid_workbook_files() -> dict[str, bytes]:
    head = HEADER.split(",")
    return {
        "valid.xlsx": _xlsx_bytes(
            [
                head,
                ["ASC01", "2025-10", None, 45.5, None, None, "Fine"],
                [],
                ["HOU02", "2025/26 Q2", "E05000001", None, 12, 25],
                ["CSC03", "2024/25", None, 3],
            ]
        ),
    }


def main() -> None:
    VALID.mkdir(parents=True, exist_ok=True)
    for folder, files in (
        (CORPUS, text_files() | workbook_files()),
        (VALID, valid_text_files() | valid_workbook_files()),
    ):
        for name, data in files.items():
            (folder / name).write_bytes(data)
    print(f"wrote the corpus to {CORPUS}")


if __name__ == "__main__":
    main()
