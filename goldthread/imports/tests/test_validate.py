from __future__ import annotations

from datetime import date

import pytest

from goldthread.imports import CleanRow, Problem, RawRow, summarise, validate
from goldthread.imports.tests.make_corpus import CORPUS_CONTEXT
from goldthread.imports.validate import Context, IndicatorRule

HEADER = [
    "indicator_code",
    "period",
    "area_code",
    "value",
    "numerator",
    "denominator",
    "commentary",
]


def judge(*rows: list[str], header: list[str] = HEADER, context: Context = CORPUS_CONTEXT):
    raw = [RawRow(1, header)] + [RawRow(n, cells) for n, cells in enumerate(rows, start=2)]
    items = list(validate(raw, context))
    return (
        [item for item in items if isinstance(item, CleanRow)],
        [item for item in items if isinstance(item, Problem)],
    )


def row(value="45.5", *, code="ASC01", period="2025-10", area="", num="", den="", note=""):
    return [code, period, area, value, num, den, note]


# (what the row is, the row, expected column, expected text, severity)
ROW_CASES = [
    ("an unknown indicator", row(code="NOPE"), "indicator_code", 'code "NOPE"', "error"),
    (
        "a blank indicator code",
        row(code=""),
        "indicator_code",
        "Enter the indicator code.",
        "error",
    ),
    ("a blank period", row(period=""), "period", "Enter the period", "error"),
    (
        "a period that is not one",
        row(period="soon"),
        "period",
        'Period "soon" is not valid',
        "error",
    ),
    ("a date as a period", row(period="1.10.2025"), "period", "write 2025-10", "error"),
    ("a month name as a period", row(period="October 2025"), "period", "write 2025-10", "error"),
    ("a quarter with no year", row(period="Q2"), "period", "like 2025/26 Q2", "error"),
    (
        "a quarter for a monthly indicator",
        row(period="2025/26 Q2"),
        "period",
        "like 2025-07",
        "error",
    ),
    (
        "a year for a quarterly indicator",
        row("40", code="HOU02", period="2025/26"),
        "period",
        "so enter a quarter, like 2025/26 Q1",
        "error",
    ),
    ("a period in the future", row(period="2026-02"), "period", "is in the future", "error"),
    (
        "a period before the indicator began",
        row("40", code="HOU02", period="2021/22 Q4"),
        "period",
        "HOU02 starts in 2022/23 Q1",
        "error",
    ),
    ("an unknown area", row(area="E1"), "area_code", 'area with the code "E1"', "error"),
    ("a value with a % sign", row("45%"), "value", "write 45.", "error"),
    (
        "a numerator with commas",
        row("", code="HOU02", period="2025/26 Q2", num="1,200", den="2000"),
        "numerator",
        "write 1200.",
        "error",
    ),
    ("no figure at all", row(""), "value", "Enter a value, or a numerator", "error"),
    (
        "a denominator alone",
        row("", code="HOU02", period="2025/26 Q2", den="5"),
        "numerator",
        "Enter the numerator as well as the denominator",
        "error",
    ),
    (
        "a negative denominator",
        row("", code="HOU02", period="2025/26 Q2", num="1", den="-5"),
        "denominator",
        "This one is negative.",
        "error",
    ),
    (
        "a negative numerator",
        row("", code="HOU02", period="2025/26 Q2", num="-1", den="5"),
        "numerator",
        "must not be negative",
        "error",
    ),
    (
        "parts of a rate for a non-rate",
        row("", num="1", den="2"),
        "numerator",
        "not a rate",
        "error",
    ),
    (
        "a value that is not numerator over denominator",
        row("50", code="HOU02", period="2025/26 Q2", num="1", den="4"),
        "value",
        "(1 divided by 4, times 100, is 25)",
        "error",
    ),
    ("negative days", row("-1", code="DAY04"), "value", "cannot be negative", "error"),
    (
        "a percentage over 100",
        row("120", code="HOU02", period="2025/26 Q2"),
        "value",
        "over 100",
        "warning",
    ),
    (
        "a numerator over its denominator for a percentage",
        row("", code="HOU02", period="2025/26 Q2", num="6", den="5"),
        "numerator",
        "over 100",
        "warning",
    ),
    (
        "more decimal places than the indicator shows",
        row("45.55"),
        "value",
        "ASC01 is shown to 1 decimal place, so 45.55 will be rounded",
        "warning",
    ),
    ("commentary that starts with =", row(note="=1+1"), "commentary", 'start with "="', "error"),
    ("commentary that starts with a tab", row(note="\tnote"), "commentary", "with a tab", "error"),
    ("commentary that is too long", row(note="x" * 2001), "commentary", "This has 2,001.", "error"),
]


@pytest.mark.parametrize(
    ("row_cells", "column", "text", "severity"),
    [case[1:] for case in ROW_CASES],
    ids=[case[0] for case in ROW_CASES],
)
def test_it_reports_a_problem_in_the_right_cell(row_cells, column, text, severity):
    _, problems = judge(row_cells)

    matching = [p for p in problems if text in p.message]
    assert matching, [str(p) for p in problems]
    assert (matching[0].row, matching[0].column, matching[0].severity) == (2, column, severity)


ACCEPTED = [
    ("a plain value", row("45.5")),
    ("a negative number", row("-4.5")),
    ("a code in another case, padded with spaces", row(code=" asc01 ", area="e05000001")),
    ("a financial year written 2024-25", row("3", code="CSC03", period="2024-25")),
    ("a quarter written Q2 2025/26", row("40", code="HOU02", period="Q2 2025/26")),
    ("a rate from its parts", row("", code="HOU02", period="2025/26 Q2", num="12", den="25")),
    (
        "a rate with a matching value",
        row("48", code="HOU02", period="2025/26 Q2", num="12", den="25"),
    ),
    (
        "a value rounded to the indicator's places",
        row("33.3", code="HOU02", period="2025/26 Q2", num="1", den="3"),
    ),
    ("commentary with a comma and a hyphen inside", row(note="Up - as planned, again")),
    ("the current month, which has started", row(period="2026-01")),
]


@pytest.mark.parametrize(
    "row_cells", [case[1] for case in ACCEPTED], ids=[case[0] for case in ACCEPTED]
)
def test_it_accepts(row_cells):
    clean, problems = judge(row_cells)

    assert [p for p in problems if p.is_error] == []
    assert len(clean) == 1


def test_it_stores_canonical_codes_and_periods():
    clean, _ = judge(row("40", code="hou02", period="q2 2025/26", area="e05000002", note=" Hi "))

    assert clean[0] == CleanRow(
        2, "HOU02", "2025/26 Q2", date(2025, 7, 1), "E05000002", 40.0, None, None, "Hi"
    )


def test_it_names_both_rows_of_a_duplicate():
    _, problems = judge(row("1"), row("1", period="2025-09"), row("2", code="asc01"))

    assert [str(p) for p in problems] == [
        "row 4: This row has the same indicator, period and area as row 2. Delete one of them."
    ]


def test_it_treats_a_whole_council_figure_and_an_area_figure_as_different():
    clean, problems = judge(row("1"), row("1", area="E05000001"))

    assert (len(clean), problems) == (2, [])


def test_it_skips_blank_rows_but_counts_them_in_row_numbers():
    _, problems = judge([], ["", " ", ""], row("45%"))

    assert [p.row for p in problems] == [4]


def test_it_pads_short_rows():
    clean, problems = judge(["ASC01", "2025-10", "", "45.5"])

    assert (len(clean), problems) == (1, [])


def test_it_reports_a_figure_in_a_column_with_no_heading():
    _, problems = judge([*row(), "", "x"])

    assert [(p.row, p.column) for p in problems] == [(2, "I")]


def test_it_matches_headings_in_any_case_order_and_spacing():
    clean, problems = judge(
        ["2025-10", "45.5", "ASC01"], header=["\ufeff Period", "VALUE", "Indicator Code"]
    )

    assert (len(clean), problems) == (1, [])


@pytest.mark.parametrize(
    ("header", "text"),
    [
        (["indicator_code", "value"], "missing the period column"),
        (["period", "value"], "missing the indicator_code column"),
        (["indicator_code", "period", "numerator"], "value (or numerator and denominator)"),
        (["indicator_code", "period"], "value (or numerator and denominator) column"),
        (["a", "b"], "The first row must be the column headings"),
        (["indicator_code;period;value"], "separated by semicolons"),
    ],
)
def test_it_reports_missing_headings_once_on_row_1(header, text):
    _, problems = judge(row(), header=header)

    assert len([p for p in problems if p.column is None]) == 1
    assert any(text in p.message and p.row == 1 for p in problems), [str(p) for p in problems]


def test_it_stops_at_the_row_limit_with_one_problem():
    context = Context(CORPUS_CONTEXT.indicators, CORPUS_CONTEXT.areas, date(2026, 1, 15), 2)
    rows = [row(period=f"2025-{month:02d}") for month in range(1, 9)]

    clean, problems = judge(*rows, context=context)

    assert len(clean) == 2
    assert [str(p) for p in problems] == [
        "row 4: The file has more than 2 rows of figures. Split it into files of 2 rows or "
        "fewer. Rows from here on were not checked."
    ]


def test_it_passes_on_problems_from_the_reader_and_does_not_check_that_row_further():
    reader_problem = Problem(2, "value", "This cell has a formula.")
    raw = [RawRow(1, HEADER), RawRow(2, row("bad"), (reader_problem,)), RawRow(3, row())]

    items = list(validate(raw, CORPUS_CONTEXT))

    assert items[0] is reader_problem
    assert [type(item) for item in items] == [Problem, CleanRow]


def test_it_never_raises_on_rows_of_any_shape():
    odd = [[], [""], ["x"] * 50, ["ASC01"], ["\ufeff"], ["=", "+", "-", "@"]]

    clean, problems = judge(*odd)

    assert clean == []
    assert all(p.row >= 2 for p in problems)


def test_it_accepts_indicator_rules_as_tuples():
    context = Context({"A": ("annual", False, "number", "2020/21", 0)}, set(), date(2026, 1, 1))

    clean, _ = judge(["A", "2024/25", "", "3"], context=context)

    assert clean[0].period == "2024/25"


def test_a_problem_reads_as_row_column_and_message():
    problem = Problem(12, "value", 'Enter a number, like 45.5. "45%" has a % sign: write 45.')

    assert (
        str(problem)
        == 'row 12, column value: Enter a number, like 45.5. "45%" has a % sign: write 45.'
    )
    assert str(Problem(1, None, "The file is empty.")) == "row 1: The file is empty."


def test_the_summary_counts_every_problem_but_keeps_only_the_first_for_display():
    rows = [row(f"{n}%", period=f"{2010 + n // 12}-{n % 12 + 1:02d}") for n in range(15)]
    raw = [RawRow(1, HEADER)] + [RawRow(n, cells) for n, cells in enumerate(rows, start=2)]

    result = summarise(validate(raw, CORPUS_CONTEXT), max_problems=10)

    assert (result.error_count, len(result.problems), result.problems_not_shown) == (15, 10, 5)
    assert not result.ok


def test_the_summary_keeps_clean_rows_only_when_asked():
    raw = [RawRow(1, HEADER), RawRow(2, row("120", code="HOU02", period="2025/26 Q2"))]

    result = summarise(validate(raw, CORPUS_CONTEXT), keep_rows=True)

    assert result.ok
    assert (result.valid_rows, len(result.rows), result.warning_count) == (1, 1, 1)


def test_an_indicator_rule_needs_a_real_first_period():
    with pytest.raises(ValueError):
        Context({"A": IndicatorRule("annual", first_period="soon")}, set(), date(2026, 1, 1))
