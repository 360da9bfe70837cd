"""The Scottish Local Government Benchmarking Framework (LGBF) data tables.

The Improvement Service publishes one long table per release, a row per indicator, council
and year, with the Scotland figure and the family-group average on the same row. Three
layouts are read:

- the annual table in real terms (`Code, LocalAuthority, Year, LA_IndicatorReal, ...`),
- the annual table in cash terms (`IndicatorCode, ..., IndicatorCash_LA, ...`),
- the sub-annual table (`Code, LocalAuthority, LGBF Year, Year, Month, ...`): months by name
  with the calendar year in `Year`, quarters as Q1 to Q4 of the `LGBF Year`.

Councils are named, not coded ("Stirling", "Argyll & Bute"): the council's own row is found
by its name. Each row holds only that council's figures; the Scotland and family-group
columns are comparators and are not read. Years are written "2018-19" (read as 2018/19, never
as December 2018); rolling multi-year periods ("2019-22") and the table's "Total" line are
left out and counted. LGBF indicator codes are the measure names, so a council that uses the
LGBF codes for its indicators needs no mapping.

Which indicators are published as proportions (0.51 for 51%) comes from the LGBF indicator
metadata (`NumberFormat` containing "%"), Improvement Service, OGL v3.0.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from goldthread.analysis.periods import MONTH_NAMES
from goldthread.imports.problems import Problem, RawRow
from goldthread.imports.profiles.base import Figure, Profile, Published, Skip
from goldthread.imports.profiles.table import Layout, Line, lines

PROPORTIONS = frozenset(
    """
    C&L05a C&L05b C&L05c C&L05d CHN04 CHN05 CHN06 CHN07 CHN09 CHN10 CHN11 CHN13a CHN13b CHN14a
    CHN14b CHN17 CHN18 CHN19a CHN19b CHN21 CHN22 CHN23 CHN24 CORP-ASSET01 CORP-ASSET02 CORP01
    CORP03b CORP03c CORP07 CORP08 CORP09 CORP10 CORP11 CORP12 ECON01 ECON04 ECON07 ECON08
    ECON09 ECON10 ECON12a ECON12b ENV03c ENV04b ENV04c ENV04d ENV04e ENV06 ENV07a ENV07b
    FINSUS01 FINSUS02 FINSUS03 FINSUS04 FINSUS05 HSN01b HSN02 HSN03 HSN05a SW02 SW03a SW04b
    SW04c SW04d SW04e SW07
    """.upper().split()
)

SUB_ANNUAL = Layout(
    "the LGBF sub-annual (monthly and quarterly) table",
    ("Code", "LocalAuthority", "LGBF Year", "Year", "Month", "LA_IndicatorReal"),
)
REAL = Layout(
    "the LGBF data table (real terms)", ("Code", "LocalAuthority", "Year", "LA_IndicatorReal")
)
CASH = Layout(
    "the LGBF data table (cash terms)",
    ("IndicatorCode", "LocalAuthority", "Year", "IndicatorCash_LA"),
)
_LAYOUTS = (SUB_ANNUAL, REAL, CASH)

_FIGURES = {
    # layout: (code, value, numerator, denominator)
    SUB_ANNUAL: ("Code", "LA_IndicatorReal", "LA_Numerator_real", "LA_Den_Real"),
    REAL: ("Code", "LA_IndicatorReal", "LA_Numerator_real", "LA_Den_Real"),
    CASH: ("IndicatorCode", "IndicatorCash_LA", "NumeratorCash_LA", "DenominatorCash_LA"),
}
_YEARS = re.compile(r"(\d{4})\s*-\s*(\d{2})")
_MONTHS = {name.lower(): number for number, name in enumerate(MONTH_NAMES, start=1)}
_QUARTER = re.compile(r"q\s*([1-4])", re.IGNORECASE)


def figures(rows: Iterator[RawRow | Problem]) -> Iterator[Figure]:
    layout = None
    for item in lines(rows, _LAYOUTS):
        if isinstance(item, tuple):
            layout = item[0]
        elif isinstance(item, Problem):
            yield item
        else:
            yield _figure(item, layout)


def _figure(line: Line, layout: Layout) -> Figure:
    code_column, value, numerator, denominator = _FIGURES[layout]
    code = line[code_column]
    if code.lower() == "total":
        return Skip(line.row, "the table's total line")
    period = _sub_annual_period(line) if layout is SUB_ANNUAL else financial_year(line["Year"])
    if period is None:
        return Skip(line.row, "periods of more than one year (rolling averages)")
    return Published(
        row=line.row,
        place_code="",
        place_name=line["LocalAuthority"],
        measure=code,
        period=period,
        value=line[value],
        numerator=line[numerator],
        denominator=line[denominator],
        is_fraction=code.upper() in PROPORTIONS,
        columns={
            "indicator_code": code_column,
            "period": "Month" if layout is SUB_ANNUAL else "Year",
            "area_code": "LocalAuthority",
            "value": value,
            "numerator": numerator,
            "denominator": denominator,
        },
        problems=line.problems,
    )


def financial_year(text: str) -> str | None:
    """ "2018-19" → "2018/19"; None for a span of years; anything else as written, to be
    reported by the validator."""
    match = _YEARS.fullmatch(text)
    if match is None:
        return text
    first, second = int(match[1]), int(match[2])
    if second != (first + 1) % 100:
        return None
    return f"{first}/{second:02d}"


def _sub_annual_period(line: Line) -> str | None:
    month = line["Month"]
    if quarter := _QUARTER.fullmatch(month):
        year = financial_year(line["LGBF Year"])
        return None if year is None else f"{year} Q{quarter[1]}"
    number = _MONTHS.get(month.lower())
    year = line["Year"]
    if number is None or not year.isdigit():
        return f"{year} {month}".strip()
    return f"{year}-{number:02d}"


PROFILE = Profile(
    name="lgbf",
    title="Scottish benchmarking table (LGBF)",
    publisher="Improvement Service",
    description=(
        "The Local Government Benchmarking Framework data table, annual (real or cash terms) "
        "or monthly and quarterly, as a CSV file. Your council's rows are found by its name."
    ),
    container="csv",
    figures=figures,
)
