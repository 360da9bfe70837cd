"""A ``Document`` as HTML: the fragment a page embeds, and the standalone print page.

The print page wraps the very same fragment, with the print stylesheet instead of the site's
navigation; WeasyPrint turns that page into the PDF (``goldthread.documents.pdf``). So the
page, its printout and the PDF cannot drift apart. The Word file (``goldthread.documents.word``)
walks the same ``Document``.

Everything the template receives is already escaped (``Markup``) or plain text that Jinja
escapes; only a chart's SVG, which comes from ``goldthread.charts``, goes in as it is.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from types import SimpleNamespace
from typing import Any

from django.template.loader import render_to_string
from django.utils.text import slugify
from markupsafe import Markup, escape

from goldthread.documents import model as m
from goldthread.jinja2env import govuk_date

FRAGMENT_TEMPLATE = "documents/_document.html"
PRINT_TEMPLATE = "documents/print.html"
# Link targets a document may carry: web addresses, e-mail and paths on this site. Anything
# else (javascript:, data:) is shown as plain text rather than trusted.
_SAFE_SCHEMES = ("https://", "http://", "mailto:", "/", "#")


def render_document(document: m.Document, *, include_title: bool = True) -> Markup:
    """The HTML fragment of ``document`` for a page's content block. With
    ``include_title=False`` the page supplies its own ``<h1>`` (and caption)."""
    view = document_view(document, include_title=include_title)
    return Markup(render_to_string(FRAGMENT_TEMPLATE, {"doc": view}))


def render_print_page(document: m.Document, *, alternatives: Sequence[Any] = ()) -> str:
    """The standalone print-ready HTML page: the fragment, the print stylesheet and the
    metadata WeasyPrint copies into the PDF. ``alternatives`` are ``(text, href)`` links
    shown on screen only (for example "Download as PDF")."""
    fragment = render_document(document)
    context = {
        "doc": document,
        "fragment": fragment,
        "meta": metadata_tags(document),
        "alternatives": list(alternatives),
    }
    return render_to_string(PRINT_TEMPLATE, context)


def metadata_tags(document: m.Document) -> list[tuple[str, str]]:
    """``<meta name content>`` pairs; WeasyPrint turns these into the PDF's metadata."""
    meta = document.metadata
    pairs = [
        ("author", meta.author or meta.organisation),
        ("description", meta.subject or document.subtitle),
        ("keywords", ", ".join(meta.keywords)),
        ("generator", "Goldthread"),
        ("dcterms.created", meta.date.isoformat() if meta.date else ""),
    ]
    return [(name, value) for name, value in pairs if value]


# Inline text ------------------------------------------------------------------------------


def safe_href(href: str) -> str | None:
    """``href`` if it is a web, e-mail or site-relative address; otherwise None."""
    stripped = href.strip()
    return stripped if stripped.lower().startswith(_SAFE_SCHEMES) else None


def inline_html(text: m.Text) -> Markup:
    """Text, links and bold text as escaped HTML."""
    return Markup("").join(_part_html(part) for part in m.inline_parts(text))


def _part_html(part: m.Inline) -> Markup:
    if isinstance(part, m.Strong):
        return Markup("<strong>{}</strong>").format(part.text)
    if isinstance(part, m.Link):
        href = safe_href(part.href)
        if href is None:
            return escape(part.text)
        return Markup('<a class="govuk-link" href="{}">{}</a>').format(href, part.text)
    return escape(part)


# The view the template fills ---------------------------------------------------------------


class _Ids:
    """Unique anchors for headings, made from their words."""

    def __init__(self) -> None:
        self.used: set[str] = set()

    def make(self, wanted: str, heading: str) -> str:
        base = slugify(wanted or heading) or "section"
        candidate, n = base, 1
        while candidate in self.used:
            n += 1
            candidate = f"{base}-{n}"
        self.used.add(candidate)
        return candidate


def document_view(document: m.Document, *, include_title: bool = True) -> SimpleNamespace:
    ids = _Ids()
    contents_id = ids.make("contents", "")
    sections = [_block_view(s, 2, ids) for s in document.sections]
    contents = [(s.id, s.heading) for s in sections] if document.show_contents else []
    return SimpleNamespace(
        title=document.title,
        subtitle=document.subtitle,
        include_title=include_title,
        language=document.metadata.language,
        marking=document.metadata.protective_marking,
        about=about_rows(document),
        contents=contents,
        contents_id=contents_id,
        intro=[_block_view(b, 2, ids) for b in document.intro],
        sections=sections,
    )


def about_rows(document: m.Document) -> list[tuple[str, str]]:
    """Reference, date and author: the facts printed under the title."""
    meta = document.metadata
    rows = [
        ("Reference", document.reference),
        ("Date", govuk_date(meta.date) if meta.date else ""),
        ("Author", meta.author),
        ("Organisation", meta.organisation),
    ]
    return [(key, value) for key, value in rows if value]


def _block_view(block: m.Block, level: int, ids: _Ids) -> SimpleNamespace:
    if isinstance(block, m.Section):
        deeper = min(level + 1, m.MAX_HEADING_LEVEL)
        return SimpleNamespace(
            kind="section",
            level=level,
            heading=block.heading,
            id=ids.make(block.id, block.heading),
            content=[_block_view(b, deeper, ids) for b in block.content],
        )
    if isinstance(block, m.Paragraph):
        return SimpleNamespace(kind="paragraph", html=inline_html(block.text))
    if isinstance(block, m.Facts):
        items = [SimpleNamespace(key=f.key, html=inline_html(f.value)) for f in block.items]
        return SimpleNamespace(kind="facts", title=block.title, items=items)
    if isinstance(block, m.Table):
        return table_view(block)
    if isinstance(block, m.BulletList):
        items = [inline_html(i) for i in block.items]
        return SimpleNamespace(kind="list", ordered=block.ordered, items=items)
    if isinstance(block, m.Chart):
        return SimpleNamespace(
            kind="chart",
            title=block.title,
            description=block.description,
            svg=Markup(block.svg),  # trusted: drawn by goldthread.charts (see model docs)
            table=table_view(block.table),
        )
    if isinstance(block, m.Note):
        html = inline_html(block.text)
        return SimpleNamespace(kind="note", warning=block.kind == "warning", html=html)
    raise TypeError(f"Not a document block: {block!r}")


def table_view(table: m.Table) -> SimpleNamespace:
    header = [
        SimpleNamespace(text=text, numeric=table.is_numeric(i))
        for i, text in enumerate(table.header)
    ]
    return SimpleNamespace(
        kind="table",
        caption=table.caption,
        empty=table.empty,
        header=header,
        rows=[list(_cells(table, row)) for row in table.rows],
    )


def _cells(table: m.Table, row: Iterable[m.Cell]):
    for i, cell in enumerate(row):
        yield SimpleNamespace(
            html=inline_html(cell),
            numeric=table.is_numeric(i),
            row_header=table.row_headers and i == 0,
        )
