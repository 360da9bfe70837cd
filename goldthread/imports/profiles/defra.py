"""Defra's local authority collected waste statistics, Table 3 (the former ENV18 indicators).

One row per authority and financial year, with each indicator in its own column, named for
the national indicator it replaced: "... (Ex NI191)", "(Ex NI192)", "(Ex NI193)" and
"(Ex BVPI 84a)". Each of those columns is a measure, called by that code (NI192, BVPI84a), so
a row gives up to four figures. Any other "(Ex ...)" column Defra adds is read the same way.

Authorities are found by ONS code (the code in use that year). NI192 (household waste
reused, recycled or composted) and NI193 (municipal waste landfilled) are published as
proportions (0.584 for 58.4%); "-" means the figure does not apply (NI193 for collection
authorities) and ":" that it is not available; both are skipped.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from goldthread.imports.problems import Problem, RawRow
from goldthread.imports.profiles.base import Figure, Profile, Published
from goldthread.imports.profiles.lgbf import financial_year
from goldthread.imports.profiles.table import Layout, Line, lines

PROPORTIONS = frozenset({"NI192", "NI193"})
TABLE_3 = Layout("Defra's waste table (ENV18, Table 3)", ("Year", "ONS code", "Authority"))
_MEASURE = re.compile(r"\(\s*ex\s+([a-z0-9 ]+?)\s*\)\s*$", re.IGNORECASE)


def measure_columns(headings: list[str]) -> dict[str, str]:
    """{heading as published: measure code} for every "(Ex ...)" column."""
    found = {}
    for heading in headings:
        if match := _MEASURE.search(heading.strip()):
            found[heading.strip()] = match[1].replace(" ", "")
    return found


def figures(rows: Iterator[RawRow | Problem]) -> Iterator[Figure]:
    measures: dict[str, str] = {}
    for item in lines(rows, (TABLE_3,)):
        if isinstance(item, tuple):
            measures = measure_columns(item[1])
            if not measures:
                yield Problem(1, None, _no_measures())
                return
        elif isinstance(item, Problem):
            yield item
        else:
            yield from _figures(item, measures)


def _figures(line: Line, measures: dict[str, str]) -> Iterator[Figure]:
    period = financial_year(line["Year"]) or line["Year"]
    first = next(iter(measures))
    for heading, code in measures.items():
        yield Published(
            row=line.row,
            place_code=line["ONS code"],
            place_name=line["Authority"],
            measure=code,
            period=period,
            value=line[heading],
            is_fraction=code.upper() in PROPORTIONS,
            columns={
                "indicator_code": heading,
                "period": "Year",
                "area_code": "ONS code",
                "value": heading,
            },
            # What the reader could not read on this row is reported once, with the first figure.
            problems=line.problems if heading == first else (),
        )


def _no_measures() -> str:
    return (
        "This looks like Defra's waste table, but no column is named for an indicator, like "
        '"Percentage of household waste sent for reuse, recycling or composting (Ex NI192)". '
        "Use Table 3 as published, with its headings in the first row."
    )


PROFILE = Profile(
    name="defra-env18",
    title="Defra waste table (ENV18)",
    publisher="Department for Environment, Food and Rural Affairs",
    description=(
        "Table 3 of Defra's local authority collected waste statistics, saved as CSV: the "
        "measures are NI191, NI192, NI193 and BVPI84a. Your council's rows are found by its "
        "ONS code."
    ),
    container="csv",
    figures=figures,
)
