"""The collection template's layout: Goldthread's columns, with context columns to ignore.

The Excel collection template (`goldthread.collection.templates_xlsx`) gives a data owner the
indicator's name, the period's name, the previous figure and the target beside the columns
they fill in. Those context columns have fixed headings, listed here so the template and the
importer agree. The importer ignores them wherever they are, in an .xlsx or a CSV file saved
from it, and also ignores a pre-filled row the owner left without a figure or commentary:
leaving a row blank means "not yet", not a mistake.

A file with none of these headings is read exactly as before.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from goldthread.imports.columns import COMMENTARY, DENOMINATOR, NUMERATOR, VALUE, normalise_heading
from goldthread.imports.problems import Problem, RawRow

INDICATOR_NAME = "Indicator name"
PERIOD_NAME = "Period name"
AREA_NAME = "Area name"
UNIT = "Unit"
PREVIOUS = "Previous figure"
TARGET = "Target"
STATUS = "Status"
CONTEXT_HEADINGS = (INDICATOR_NAME, PERIOD_NAME, AREA_NAME, UNIT, PREVIOUS, TARGET, STATUS)
CONTEXT_NAMES = frozenset(normalise_heading(text) for text in CONTEXT_HEADINGS)
_FILLED_IN = (VALUE, NUMERATOR, DENOMINATOR, COMMENTARY)


def template_rows(rows: Iterable[RawRow | Problem]) -> Iterator[RawRow | Problem]:
    """The rows with the template's context columns blanked (so column letters stay right)."""
    items = iter(rows)
    for item in items:
        if isinstance(item, Problem) or not any(cell.strip() for cell in item.cells):
            yield item
            continue
        names = [normalise_heading(text) for text in item.cells]
        context = {index for index, name in enumerate(names) if name in CONTEXT_NAMES}
        if not context:
            yield item
            yield from items
            return
        filled_in = [index for index, name in enumerate(names) if name in _FILLED_IN]
        yield _blanked(item, context)
        yield from _figures(items, context, filled_in)
        return


def _figures(
    items: Iterator[RawRow | Problem], context: set[int], filled_in: list[int]
) -> Iterator[RawRow | Problem]:
    for item in items:
        if isinstance(item, Problem):
            yield item
            continue
        row = _blanked(item, context)
        cells = row.cells
        if row.problems or any(cells[i].strip() for i in filled_in if i < len(cells)):
            yield row
        else:
            yield RawRow(row.row, [])  # left for later; validate skips a row with no cells


def _blanked(item: RawRow, context: set[int]) -> RawRow:
    cells = ["" if index in context else text for index, text in enumerate(item.cells)]
    problems = tuple(p for p in item.problems if p.column not in CONTEXT_NAMES)
    return RawRow(item.row, cells, problems)
