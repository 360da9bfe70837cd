"""A publisher's table read by its headings, with a clear message when the layout is not theirs."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from goldthread.imports.problems import Problem, RawRow, join_words, quote


@dataclass(frozen=True, slots=True)
class Line:
    """One row of a publisher's table: its number in the file and its cells by heading.

    Headings are matched ignoring case and spacing, as a person reading them would.
    """

    row: int
    cells: dict[str, str]
    problems: tuple[Problem, ...]

    def __getitem__(self, heading: str) -> str:
        return self.cells.get(heading_key(heading), "").strip()


def heading_key(text: str) -> str:
    return " ".join(text.replace("\ufeff", "").split()).lower()


@dataclass(frozen=True)
class Layout:
    """The headings a layout needs, as the publisher writes them (matched ignoring case)."""

    title: str
    needs: Sequence[str]

    def matches(self, headings: Sequence[str]) -> bool:
        have = {heading_key(text) for text in headings}
        return all(heading_key(name) in have for name in self.needs)


def lines(
    rows: Iterator[RawRow | Problem], layouts: Sequence[Layout]
) -> Iterator[tuple[Layout, list[str]] | Line | Problem]:
    """The layout the headings match (with the headings), then every row as a Line.

    When no layout matches, a row 1 problem says which headings were expected, and nothing
    else is read: the rest of the file would only produce a problem per row.
    """
    header: list[str] | None = None
    for item in rows:
        if isinstance(item, Problem):
            yield item
            continue
        if header is None:
            if not any(cell.strip() for cell in item.cells):
                continue
            layout = next((lay for lay in layouts if lay.matches(item.cells)), None)
            if layout is None:
                yield Problem(1, None, _not_the_layout(item.cells, layouts))
                return
            header = item.cells
            yield layout, header
            continue
        if not any(cell.strip() for cell in item.cells):
            continue
        cells = {heading_key(name): text for name, text in zip(header, item.cells, strict=False)}
        yield Line(item.row, cells, item.problems)


def _not_the_layout(headings: list[str], layouts: Sequence[Layout]) -> str:
    have = {heading_key(text) for text in headings}
    closest = min(layouts, key=lambda lay: len(_missing(lay, have)))
    missing = [quote(name, 60) for name in _missing(closest, have)]
    return (
        f"This does not look like {closest.title}: the first row has no "
        f"{join_words(missing)} {'column' if len(missing) == 1 else 'columns'}. Check you chose "
        "the right kind of file, and that the headings are in the first row as published."
    )


def _missing(layout: Layout, have: set[str]) -> list[str]:
    return [name for name in layout.needs if heading_key(name) not in have]
