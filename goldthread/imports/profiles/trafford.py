"""Trafford Data Lab's tidy comparator tables (Trafford Council's published indicators).

Every file has the same columns, `area_code, area_name, period, indicator, measure, unit (or
units), value`, one figure per row: Trafford, its wards, its comparator councils and England.
The measure is the `indicator` text with the `measure` column in brackets ("Claimant count
(Count)", "Household waste sent for reuse, recycling or composting (Percentage)"), since one
indicator can be published both as a percentage and as tonnes. Periods are written "2024/25",
"2024/25 Q1" or "March 2025". Percentages are already 0 to 100. Places are found by ONS code:
the council's own code is the whole council, a ward code or name that is one of the council's
areas is that area, and every other place is a comparator.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from goldthread.analysis.periods import MONTH_NAMES
from goldthread.imports.problems import Problem, RawRow
from goldthread.imports.profiles.base import Figure, Profile, Published
from goldthread.imports.profiles.table import Layout, Line, lines

TIDY = Layout(
    "Trafford Data Lab's tidy table",
    ("area_code", "area_name", "period", "indicator", "value"),
)
_MONTHS = {name.lower(): number for number, name in enumerate(MONTH_NAMES, start=1)}
_MONTH_YEAR = re.compile(r"([a-z]+)\s+(\d{4})", re.IGNORECASE)
_COLUMNS = {
    "indicator_code": "indicator",
    "period": "period",
    "area_code": "area_code",
    "value": "value",
}


def figures(rows: Iterator[RawRow | Problem]) -> Iterator[Figure]:
    for item in lines(rows, (TIDY,)):
        if isinstance(item, Problem):
            yield item
        elif not isinstance(item, tuple):
            yield _figure(item)


def _figure(line: Line) -> Published:
    return Published(
        row=line.row,
        place_code=line["area_code"],
        place_name=line["area_name"],
        measure=measure_name(line["indicator"], line["measure"]),
        period=period_key(line["period"]),
        value=line["value"],
        columns=_COLUMNS,
        problems=line.problems,
    )


def measure_name(indicator: str, measure: str) -> str:
    """ "Claimant count (Count)": one indicator can be published as a percentage and as a
    count of tonnes in the same file, and each is a measure of its own."""
    return f"{indicator} ({measure})" if measure else indicator


def period_key(text: str) -> str:
    """ "March 2025" → "2025-03"; financial years and quarters are already written our way."""
    match = _MONTH_YEAR.fullmatch(text.strip())
    if match and match[1].lower() in _MONTHS:
        return f"{match[2]}-{_MONTHS[match[1].lower()]:02d}"
    return text


PROFILE = Profile(
    name="trafford",
    title="Trafford Data Lab comparator table",
    publisher="Trafford Council (Trafford Data Lab)",
    description=(
        "A tidy comparator CSV file (area_code, area_name, period, indicator, measure, unit, "
        "value). Each measure is the indicator's name with its measure in brackets, like "
        "Claimant count (Count). Your council's rows are "
        "found by its ONS code, your wards by theirs."
    ),
    container="csv",
    figures=figures,
)
