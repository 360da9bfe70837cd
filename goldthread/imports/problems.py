"""What goes wrong in an import file, said so that a person can put it right.

Every problem names the row as a person counts rows in the file (the headings are row 1) and,
when it is about one cell, the column by its heading. Problems are data, never exceptions:
the readers and the validator report every problem they find and let the caller decide.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal, NamedTuple

Severity = Literal["error", "warning"]

# Enough for a person to work through; the counts still cover every problem.
DEFAULT_MAX_PROBLEMS = 1000


@dataclass(frozen=True, slots=True)
class Problem:
    row: int
    column: str | None
    message: str
    severity: Severity = "error"

    def __str__(self) -> str:
        where = (
            f"row {self.row}" if self.column is None else f"row {self.row}, column {self.column}"
        )
        return f"{where}: {self.message}"

    @property
    def is_error(self) -> bool:
        return self.severity == "error"


class RawRow(NamedTuple):
    """One row as the reader found it: text cells, before any judgement.

    `problems` holds what the reader itself could not accept in this row (bytes that are not
    UTF-8, an Excel formula, a date where a period should be); the validator reports them and
    does not check the row further.
    """

    row: int
    cells: list[str]
    problems: tuple[Problem, ...] = ()


def quote(text: str, limit: int = 30) -> str:
    """Show what someone typed, short and with invisible characters made visible."""
    shown = text if len(text) <= limit else text[: limit - 1] + "…"
    for char, name in (("\t", "(tab)"), ("\r", "(return)"), ("\n", "(new line)"), ("\x00", "")):
        shown = shown.replace(char, name)
    return f'"{shown}"'


def join_words(words: Iterable[str]) -> str:
    """'a', 'a and b', 'a, b and c'."""
    items = list(words)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


@dataclass
class ImportResult:
    """What a whole file came to: counts of everything, and the first problems to show."""

    valid_rows: int = 0
    error_count: int = 0
    warning_count: int = 0
    problems: list[Problem] = field(default_factory=list)
    rows: list = field(default_factory=list)
    max_problems: int = DEFAULT_MAX_PROBLEMS

    @property
    def ok(self) -> bool:
        """True when nothing stops the import: warnings alone do not."""
        return self.error_count == 0

    @property
    def problems_not_shown(self) -> int:
        return self.error_count + self.warning_count - len(self.problems)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if not p.is_error]

    def add_problem(self, problem: Problem) -> None:
        if problem.is_error:
            self.error_count += 1
        else:
            self.warning_count += 1
        if len(self.problems) < self.max_problems:
            self.problems.append(problem)


def summarise(
    items: Iterable[object], *, keep_rows: bool = False, max_problems: int = DEFAULT_MAX_PROBLEMS
) -> ImportResult:
    """Count what `validate` produced. Keep the clean rows only when asked (they take memory)."""
    result = ImportResult(max_problems=max_problems)
    for item in items:
        if isinstance(item, Problem):
            result.add_problem(item)
        else:
            result.valid_rows += 1
            if keep_rows:
                result.rows.append(item)
    result.problems.sort(key=lambda p: p.row)
    return result
