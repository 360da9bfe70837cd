"""Bulk import of values: read a CSV or Excel file, check every row, report every problem.

Pure Python with no Django: the management command and the upload page both fill a
`Context` from the database, call `check` (or `read_rows` and `validate` to stream), and
store the clean rows only when there is no error. The parts:

- `parse.read_rows` streams rows from a file and reports what cannot be read at all;
- `validate.validate` judges each row against the Context;
- `numbers.parse_number` reads plain decimals and explains anything else;
- `problems.Problem` says what is wrong where, and `ImportResult` counts it all.

All-or-nothing with streaming: either check the file once (`check`) and then read it again
to store it, or store rows as they stream inside one transaction and roll back if any error
turns up. Never keep 1,000,000 CleanRows in a list unless you need them.
"""

from __future__ import annotations

from goldthread.imports.columns import COLUMNS, HEADER_LINE
from goldthread.imports.parse import Source, read_rows
from goldthread.imports.problems import ImportResult, Problem, RawRow, summarise
from goldthread.imports.validate import CleanRow, Context, IndicatorRule, validate

__all__ = [
    "COLUMNS",
    "HEADER_LINE",
    "CleanRow",
    "Context",
    "ImportResult",
    "IndicatorRule",
    "Problem",
    "RawRow",
    "check",
    "read_rows",
    "summarise",
    "validate",
]


def check(
    source: Source,
    context: Context,
    *,
    format: str = "csv",
    keep_rows: bool = False,
    max_problems: int = 1000,
) -> ImportResult:
    """Read and judge a whole file; count everything and keep the first problems to show."""
    rows = validate(read_rows(source, format=format), context)  # type: ignore[arg-type]
    return summarise(rows, keep_rows=keep_rows, max_problems=max_problems)
