"""Every file in the corpus is judged without an exception escaping.

Each malformed file gets at least one error, every error names a row (and, where it is about
a cell, the column), and the message says what the table below expects. The valid files get
no errors at all. Rebuild the corpus with `python -m goldthread.imports.tests.make_corpus`.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from goldthread.imports import check
from goldthread.imports.tests.make_corpus import CORPUS, CORPUS_CONTEXT, VALID

# file name -> (text the first matching error contains, the column it names or None)
EXPECTED: dict[str, tuple[str, str | None]] = {
    # Encodings and bytes
    "utf16_le_bom.csv": ("saved as UTF-16", None),
    "utf16_be_bom.csv": ("saved as UTF-16", None),
    "utf16_no_bom.csv": ("saved as UTF-16", None),
    "windows1252_pound.csv": ("not UTF-8 (probably a £ sign", "commentary"),
    "windows1252_curly_quotes.csv": ("probably a curly quotation mark", "commentary"),
    "latin1_accent.csv": ("not UTF-8 (probably an accented letter", "commentary"),
    "utf8_bom_then_commas.csv": ('"1,234" has commas: write 1234', "value"),
    "null_bytes.csv": ("null character", "commentary"),
    "old_mac_line_endings.csv": ("old Mac line endings", None),
    "excel_saved_as_csv_name.csv": ("This is an Excel workbook, not a CSV file", None),
    # Headings
    "empty.csv": ("The file is empty", None),
    "only_blank_lines.csv": ("The file is empty", None),
    "header_only.csv": ("There are no figures in this file", None),
    "missing_header.csv": ("Row 1 looks like a row of values", None),
    "missing_period_column.csv": ("missing the period column", None),
    "missing_value_columns.csv": ("missing the value (or numerator and denominator) column", None),
    "extra_column.csv": ('There is no column called "target"', "target"),
    "duplicate_column.csv": ("There are two value columns", "value"),
    "misspelt_heading.csv": ('There is no column called "indicator"', "indicator"),
    "semicolon_delimited.csv": ("separated by semicolons", None),
    "tab_delimited.csv": ("separated by tabs", None),
    "title_row_above_header.csv": ("The first row must be the column headings", None),
    "data_in_unnamed_column.csv": ("a column with no heading", "I"),
    "blank_first_row.csv": ("Row 1 is blank", None),
    "unterminated_quote.csv": ('"45.5,,," is not a number', "value"),
    # Numbers
    "thousands_commas.csv": ("has commas: write 1234", "value"),
    "percent_sign.csv": ('"45%" has a % sign: write 45', "value"),
    "pounds_millions.csv": ('has a £ sign and "m" for million: write 3200000', "value"),
    "scientific_notation.csv": ("scientific notation: write 320000", "value"),
    "nan_value.csv": ('"NaN" is not a figure', "value"),
    "infinity_value.csv": ('"inf" is not a figure', "value"),
    "not_applicable.csv": ("leave this row out", "value"),
    "brackets_negative.csv": ("brackets for a negative number: write -120", "value"),
    "decimal_comma.csv": ("use a full stop for the decimal point, as 45.5", "value"),
    "unicode_minus.csv": ("type it with the hyphen key", "value"),
    "negative_days.csv": ("measured in days, which cannot be negative", "value"),
    "zero_denominator.csv": ("The denominator must be more than 0", "denominator"),
    "numerator_only.csv": ("Enter the denominator as well as the numerator", "denominator"),
    "no_figures.csv": ("Enter a value, or a numerator and a denominator", "value"),
    "value_not_matching_rate.csv": ("(12 divided by 25, times 100, is 48)", "value"),
    "rate_parts_for_non_rate.csv": ("ASC01 is not a rate", "numerator"),
    "huge_number.csv": ("too big", "value"),
    "formula_in_value.csv": ("looks like a formula", "value"),
    # Periods
    "period_as_uk_date.csv": ("for October 2025, write 2025-10", "period"),
    "period_as_iso_date.csv": ("for October 2025, write 2025-10", "period"),
    "period_as_excel_month.csv": ("for October 2025, write 2025-10", "period"),
    "period_as_year_only.csv": ("Write the financial year in full: 2025/26", "period"),
    "quarter_for_monthly_indicator.csv": (
        "ASC01 is a monthly indicator, so enter a month",
        "period",
    ),
    "month_for_quarterly_indicator.csv": ("like 2025/26 Q3", "period"),
    "future_period.csv": ("The period 2026-05 is in the future", "period"),
    "before_first_period.csv": ("HOU02 starts in 2022/23 Q1", "period"),
    "quarter_five.csv": ("the quarter must be 1 to 4", "period"),
    "blank_period.csv": ("Enter the period", "period"),
    # Codes, duplicates, formulas and limits
    "unknown_indicator.csv": ('There is no indicator with the code "XYZ99"', "indicator_code"),
    "unknown_area.csv": ('There is no area with the code "E09999999"', "area_code"),
    "duplicate_rows.csv": ("same indicator, period and area as row 2", None),
    "formula_injection_equals.csv": ('must not start with "="', "commentary"),
    "formula_injection_plus.csv": ('must not start with "+"', "commentary"),
    "formula_injection_minus.csv": ('must not start with "-"', "commentary"),
    "formula_injection_at.csv": ('must not start with "@"', "commentary"),
    "formula_injection_tab.csv": ("must not start with a tab", "commentary"),
    "formula_injection_return.csv": ("must not start with a return", "commentary"),
    "formula_in_area_code.csv": ("looks like a formula", "area_code"),
    "commentary_too_long.csv": ("2,000 characters or fewer", "commentary"),
    "too_many_rows.csv": ("more than 20 rows", None),
    # Workbooks
    "formula.xlsx": ('This cell has a formula ("=SUM(1,2)")', "value"),
    "merged_cells.xlsx": ("merged with others (A2:A3)", "indicator_code"),
    "error_cell.xlsx": ("is an Excel error", "value"),
    "date_as_period.xlsx": ("changed this period into a date (1 October 2025)", "period"),
    "percent_formatted.xlsx": ("stores 45.5% as 0.455", "value"),
    "text_with_commas.xlsx": ("has commas: write 1234", "value"),
    "formula_injection_text.xlsx": ('must not start with "@"', "commentary"),
    "values_sheet_not_first.xlsx": ('no indicator with the code "XYZ99"', "indicator_code"),
    "empty_sheet.xlsx": ("The file is empty", None),
    "extra_column.xlsx": ('There is no column called "target"', "target"),
    "zip_bomb_total_size.xlsx": ("unpacks to more than 200 MB", None),
    "zip_bomb_ratio.xlsx": ("unpacks to more than 100 times its size", None),
    "broken_zip.xlsx": ("This Excel file is damaged", None),
    "zip_without_workbook.xlsx": ("This Excel file is damaged", None),
    "not_a_zip.xlsx": ("This file is not an Excel workbook", None),
    "old_xls.xlsx": ("older Excel file (.xls)", None),
}

# Problems that concern a whole row or file rather than one cell.
ROW_LEVEL = ("file", "row", "Row 1", "rows", "headings", "line endings", "workbook", "unpacks")


def _files(folder: Path) -> list[Path]:
    return sorted(path for path in folder.iterdir() if path.suffix in (".csv", ".xlsx"))


def _check(path: Path):
    return check(path, CORPUS_CONTEXT, format=path.suffix[1:], max_problems=10_000)


def test_the_corpus_has_at_least_fifty_malformed_files_and_a_table_entry_for_each():
    names = {path.name for path in _files(CORPUS)}
    assert len(names) >= 50
    assert names == set(EXPECTED)


@pytest.mark.parametrize("path", _files(CORPUS), ids=lambda path: path.name)
def test_each_malformed_file_is_rejected_with_the_expected_message(path: Path):
    result = _check(path)

    assert not result.ok
    assert result.valid_rows < 50
    text, column = EXPECTED[path.name]
    matching = [problem for problem in result.errors if text in problem.message]
    assert matching, [str(problem) for problem in result.problems]
    assert matching[0].column == column
    for problem in result.problems:
        assert problem.row >= 1
        assert problem.message.endswith(".")
        assert str(problem).startswith(f"row {problem.row}")


@pytest.mark.parametrize("path", _files(CORPUS), ids=lambda path: path.name)
def test_each_problem_without_a_column_is_about_a_whole_row_or_file(path: Path):
    for problem in _check(path).problems:
        if problem.column is None:
            assert any(word in problem.message for word in ROW_LEVEL), str(problem)


@pytest.mark.parametrize("path", _files(VALID), ids=lambda path: path.name)
def test_each_valid_file_has_no_errors(path: Path):
    result = _check(path)

    assert result.error_count == 0, [str(problem) for problem in result.problems]
    assert result.valid_rows >= 2


def test_every_file_in_the_corpus_is_tiny():
    for path in _files(CORPUS) + _files(VALID):
        assert path.stat().st_size < 8 * 1024, path.name
