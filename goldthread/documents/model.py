"""What a document says, with no idea of how it will be shown.

A presenter (a clinic pack, minutes, a Performance Improvement Plan) builds one ``Document``
from plain frozen dataclasses; ``goldthread.documents.render`` turns it into the HTML a page
embeds, and ``goldthread.documents.responses.document_response`` into the print-ready page,
the tagged PDF or the Word file. One source, four outputs that say the same thing (DESIGN.md
principle 3). Nothing here imports Django, so presenters' documents are easy to test.

Example::

    from goldthread.documents.model import (
        Chart, Document, Fact, Facts, Metadata, Paragraph, Section, Table,
    )

    doc = Document(
        title="Performance clinic pack: ENV1 Household waste recycled",
        subtitle="Managerial clinic, 14 January 2026",
        reference="CLINIC-2026-004",
        metadata=Metadata(author="Performance and Intelligence team",
                          date=datetime.date(2026, 1, 7), protective_marking="OFFICIAL"),
        sections=[
            Section("Indicator details", [
                Facts([Fact("Target", "52.0%"), Fact("Latest", "47.3% (November 2025)")]),
                Paragraph("Recycling has been below target for four months."),
            ]),
            Section("Trend", [
                Chart(title="Recycling rate by month", description="Falling since July.",
                      svg=spc_svg_markup,  # from goldthread.charts, trusted
                      table=Table(caption="Recycling rate by month",
                                  header=["Month", "Rate (%)", "Target (%)"],
                                  rows=[["July 2025", "51.2", "52.0"], ...],
                                  numeric_columns=[1, 2])),
            ]),
        ],
    )

Headings take their level from nesting: the title is level 1, a top-level ``Section`` level
2, a section inside it level 3, and so on (at most 6). Sequences may be given as lists; they
are stored as tuples so a document cannot change after it is built. Text is plain text
(escaped on output); only ``Chart.svg`` is inserted as it is, so it must come from
``goldthread.charts`` or another trusted writer, never from user input.

Keep this module stable: other apps build against it. Add fields with defaults; never rename.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

MAX_HEADING_LEVEL = 6


def _freeze_text(obj: object, name: str) -> None:
    """Keep a plain string as it is; store any other ``Text`` as a tuple of inline parts."""
    value = getattr(obj, name)
    if not isinstance(value, str):
        object.__setattr__(obj, name, inline_parts(value))


def _freeze(obj: object, name: str) -> None:
    """Store a list-like field as a tuple, so a frozen document really cannot change."""
    value = getattr(obj, name)
    if isinstance(value, str):
        raise TypeError(f"{type(obj).__name__}.{name} must be a sequence, not a string")
    object.__setattr__(obj, name, tuple(value))


# Inline text ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Link:
    """A link in running text. The print page and PDF show the address after the text."""

    text: str
    href: str


@dataclass(frozen=True)
class Strong:
    """Text that must stand out (bold), e.g. a decision in minutes."""

    text: str


Inline = str | Link | Strong
# A piece of text: a plain string, or a sequence of strings, links and bold text.
Text = str | Sequence[Inline]


def inline_parts(text: Text) -> tuple[Inline, ...]:
    """Any ``Text`` as a tuple of inline parts, for renderers."""
    if isinstance(text, (str, Link, Strong)):
        return (text,)
    return tuple(text)


def plain_text(text: Text) -> str:
    """``Text`` without links or emphasis, for alt text and metadata."""
    return "".join(p if isinstance(p, str) else p.text for p in inline_parts(text))


# Blocks -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Paragraph:
    text: Text

    def __post_init__(self) -> None:
        _freeze_text(self, "text")


@dataclass(frozen=True)
class Fact:
    """One row of a summary list: a key and its value ("Target", "52.0%")."""

    key: str
    value: Text

    def __post_init__(self) -> None:
        _freeze_text(self, "value")


@dataclass(frozen=True)
class Facts:
    """Key-value pairs, shown as a GOV.UK summary list on the page and a two-column table in
    Word. ``title`` is optional; when given it is a caption, not a heading."""

    items: Sequence[Fact]
    title: str = ""

    def __post_init__(self) -> None:
        _freeze(self, "items")


Cell = str | Link | Strong


@dataclass(frozen=True)
class Table:
    """A data table. ``numeric_columns`` (0-based) are right-aligned, as GOV.UK numeric cells.
    With ``row_headers`` the first cell of each row is a row header (``<th scope="row">``).
    Every row must have as many cells as the header. A table without rows shows ``empty``
    across its width, so a reader knows nothing is missing."""

    caption: str
    header: Sequence[str]
    rows: Sequence[Sequence[Cell]]
    numeric_columns: Sequence[int] = ()
    row_headers: bool = False
    empty: str = "None recorded"

    def __post_init__(self) -> None:
        _freeze(self, "header")
        object.__setattr__(self, "rows", tuple(tuple(r) for r in self.rows))
        _freeze(self, "numeric_columns")
        width = len(self.header)
        for number, row in enumerate(self.rows, start=1):
            if len(row) != width:
                raise ValueError(
                    f"Table {self.caption!r}: row {number} has {len(row)} cells, "
                    f"the header has {width}"
                )
        bad = [c for c in self.numeric_columns if not 0 <= c < width]
        if bad:
            raise ValueError(f"Table {self.caption!r}: no column {bad[0]} to right-align")

    def is_numeric(self, column: int) -> bool:
        return column in self.numeric_columns


@dataclass(frozen=True)
class BulletList:
    items: Sequence[Text]
    ordered: bool = False

    def __post_init__(self) -> None:
        _freeze(self, "items")


@dataclass(frozen=True)
class Chart:
    """A chart: trusted SVG (from ``goldthread.charts``) with its title and a description of
    what it shows, always followed by its data ``table`` in every output. ``description`` is
    the alt text in Word and the chart's accessible description on the page."""

    title: str
    description: str
    svg: str
    table: Table


NoteKind = Literal["inset", "warning"]


@dataclass(frozen=True)
class Note:
    """A note set apart from the text: ``inset`` (GOV.UK inset text) or ``warning``."""

    text: Text
    kind: NoteKind = "inset"

    def __post_init__(self) -> None:
        _freeze_text(self, "text")


@dataclass(frozen=True)
class Section:
    """A heading and what comes under it. Sections nest; the level follows from nesting.
    ``id`` is the page anchor; left empty, the renderer makes one from the heading."""

    heading: str
    content: Sequence[Block] = ()
    id: str = ""

    def __post_init__(self) -> None:
        _freeze(self, "content")


Block = Paragraph | Facts | Table | BulletList | Chart | Note | Section


# The document -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Metadata:
    """Who wrote it, when, and how it may be handled. ``protective_marking`` (e.g.
    "OFFICIAL", "OFFICIAL-SENSITIVE") is printed at the top and bottom of every page."""

    author: str = ""
    date: datetime.date | None = None
    protective_marking: str = ""
    organisation: str = ""
    subject: str = ""
    keywords: Sequence[str] = ()
    language: str = "en-GB"

    def __post_init__(self) -> None:
        _freeze(self, "keywords")


@dataclass(frozen=True)
class Document:
    """A whole document. ``intro`` blocks come before the first section. With
    ``show_contents`` the outputs start with a list of the top-level sections."""

    title: str
    sections: Sequence[Section] = ()
    subtitle: str = ""
    reference: str = ""
    metadata: Metadata = field(default_factory=Metadata)
    intro: Sequence[Block] = ()
    show_contents: bool = False

    def __post_init__(self) -> None:
        if not self.title.strip():
            raise ValueError("A document needs a title")
        _freeze(self, "sections")
        _freeze(self, "intro")


def walk(blocks: Sequence[Block], level: int = 2):
    """Every block in reading order with its heading level (sections inside sections go one
    deeper, capped at 6), for renderers and tests."""
    for block in blocks:
        yield block, level
        if isinstance(block, Section):
            yield from walk(block.content, min(level + 1, MAX_HEADING_LEVEL))
