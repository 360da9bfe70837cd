"""A ``Document`` as a Word file (.docx), made with python-docx from the same ``Document``
the page and the PDF come from.

Choices, so that the file passes Word's accessibility checker and reads well aloud:

- The title uses Word's Title style and sections use real Heading styles (a top-level
  section is Heading 1), so the navigation pane and screen readers see the outline.
- Every table's first row is marked as a header row that repeats on each page, rows do not
  break across pages, numeric columns are right-aligned, and the caption is both a Caption
  paragraph above the table and the table's alternative-text title.
- Charts are rasterised from their SVG with CairoSVG (no browser needed), inserted as PNG
  with the chart's title and description as alternative text, and always followed by their
  data table. If a chart cannot be drawn, the file says so and keeps the table.
- Language, title, author, subject and keywords go into the document properties; the
  protective marking heads and foots every page, and the footer numbers the pages.
- Text is near-black on white in Arial: the default template's light blue headings are
  below 4.5:1 and are made dark.
"""

from __future__ import annotations

import datetime
import io
import logging
from collections.abc import Iterable

import docx
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.text.paragraph import Paragraph as DocxParagraph

from goldthread.documents import model as m
from goldthread.documents.render import about_rows, safe_href

log = logging.getLogger(__name__)

FONT = "Arial"
TEXT_COLOUR = RGBColor(0x0B, 0x0C, 0x0C)
LINK_COLOUR = RGBColor(0x1D, 0x4F, 0x91)
CHART_WIDTH = Cm(16)
MARGIN = Cm(1.8)
TEXT_WIDTH = Cm(21) - 2 * MARGIN  # A4 less the side margins
# Keys of a summary list take about a third of the width, as on the page.
FACT_KEY_WIDTH = Cm(6)
# Pixels across for a chart's PNG: sharp when printed 16 cm wide (about 190 dpi).
CHART_PIXELS = 1200


def render_docx(document: m.Document) -> bytes:
    """The Word file of ``document``."""
    out = docx.Document()
    _set_up(out, document)
    _title(out, document)
    for block in document.intro:
        _block(out, block, 1)
    for section in document.sections:
        _block(out, section, 1)
    buffer = io.BytesIO()
    out.save(buffer)
    return buffer.getvalue()


# Page, styles and properties ---------------------------------------------------------------


def _set_up(out, document: m.Document) -> None:
    meta = document.metadata
    props = out.core_properties
    props.title = document.title
    props.subject = meta.subject or document.subtitle
    props.author = meta.author or meta.organisation
    props.keywords = ", ".join(meta.keywords)
    props.language = meta.language
    props.comments = document.reference
    if meta.date:
        props.created = _midnight(meta.date)
    _styles(out, meta.language)
    _page(out, document)


def _midnight(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time())


def _styles(out, language: str) -> None:
    _default_language(out, language)
    normal = out.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(11)
    normal.font.color.rgb = TEXT_COLOUR
    for name in ["Title", "Subtitle", "Caption"] + [f"Heading {n}" for n in range(1, 7)]:
        style = out.styles[name]
        style.font.name = FONT
        style.font.color.rgb = TEXT_COLOUR
        _clear_theme_fonts(style)
    out.styles["Caption"].font.size = Pt(10)
    out.styles["Caption"].paragraph_format.space_before = Pt(12)
    out.styles["Caption"].paragraph_format.space_after = Pt(4)
    out.styles["Caption"].font.italic = False


def _clear_theme_fonts(style) -> None:
    """The theme's heading font would otherwise win over the font name just set."""
    rfonts = style.element.rPr.find(qn("w:rFonts")) if style.element.rPr is not None else None
    if rfonts is None:
        return
    for attribute in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        rfonts.attrib.pop(qn(attribute), None)


def _default_language(out, language: str) -> None:
    """Word's spelling and a screen reader's voice follow the default run language."""
    defaults = out.styles.element.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), language)


def _page(out, document: m.Document) -> None:
    section = out.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.left_margin = section.right_margin = MARGIN
    section.top_margin, section.bottom_margin = Cm(2.2), Cm(2.2)
    marking = document.metadata.protective_marking
    if marking:
        header = section.header.paragraphs[0]
        header.alignment = WD_ALIGN_PARAGRAPH.CENTER
        header.add_run(marking).bold = True
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if marking:
        footer.add_run(marking).bold = True
        footer.add_run().add_break()
    footer.add_run(f"{document.title}. Page ")
    _field(footer, "PAGE", "1")
    footer.add_run(" of ")
    _field(footer, "NUMPAGES", "1")


def _field(paragraph: DocxParagraph, instruction: str, placeholder: str) -> None:
    """A Word field (page number, page count) that Word fills in when it lays out pages."""
    run = paragraph.add_run()
    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    text = OxmlElement("w:instrText")
    text.set(qn("xml:space"), "preserve")
    text.text = f" {instruction} "
    separate = OxmlElement("w:fldChar")
    separate.set(qn("w:fldCharType"), "separate")
    run._r.extend([begin, text, separate])
    paragraph.add_run(placeholder)
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    paragraph.add_run()._r.append(end)


# Title and blocks -------------------------------------------------------------------------


def _title(out, document: m.Document) -> None:
    out.add_paragraph(document.title, style="Title")
    if document.subtitle:
        out.add_paragraph(document.subtitle, style="Subtitle")
    for key, value in about_rows(document):
        paragraph = out.add_paragraph()
        paragraph.add_run(f"{key}: ").bold = True
        paragraph.add_run(value)
    if document.show_contents and document.sections:
        out.add_paragraph("Contents", style="Heading 1")
        for section in document.sections:
            out.add_paragraph(section.heading, style="List Number")


def _block(out, block: m.Block, level: int) -> None:
    if isinstance(block, m.Section):
        out.add_heading(block.heading, level=level)
        for child in block.content:
            _block(out, child, min(level + 1, 9))
    elif isinstance(block, m.Paragraph):
        _text(out.add_paragraph(), block.text)
    elif isinstance(block, m.Facts):
        _facts(out, block)
    elif isinstance(block, m.Table):
        _table(out, block)
    elif isinstance(block, m.BulletList):
        _list(out, block)
    elif isinstance(block, m.Chart):
        _chart(out, block)
    elif isinstance(block, m.Note):
        _note(out, block)
    else:
        raise TypeError(f"Not a document block: {block!r}")


def _text(paragraph: DocxParagraph, text: m.Text) -> DocxParagraph:
    for part in m.inline_parts(text):
        if isinstance(part, m.Strong):
            paragraph.add_run(part.text).bold = True
        elif isinstance(part, m.Link):
            _link(paragraph, part)
        else:
            paragraph.add_run(part)
    return paragraph


def _link(paragraph: DocxParagraph, link: m.Link) -> None:
    """A real hyperlink for web and e-mail addresses; site paths have no host in Word, so
    they are shown as text."""
    href = safe_href(link.href)
    if href is None or not href.lower().startswith(("http://", "https://", "mailto:")):
        paragraph.add_run(link.text)
        return
    rel = paragraph.part.relate_to(href, RELATIONSHIP_TYPE.HYPERLINK, True)
    hyperlink = OxmlElement("w:hyperlink")
    hyperlink.set(qn("r:id"), rel)
    run = paragraph.add_run(link.text)
    run.font.underline = True
    run.font.color.rgb = LINK_COLOUR
    hyperlink.append(run._r)
    paragraph._p.append(hyperlink)


def _note(out, note: m.Note) -> None:
    paragraph = out.add_paragraph(style="Intense Quote" if note.kind == "warning" else "Quote")
    if note.kind == "warning":
        paragraph.add_run("Warning: ").bold = True
    _text(paragraph, note.text)
    for run in paragraph.runs:
        run.font.color.rgb = TEXT_COLOUR


def _list(out, items: m.BulletList) -> None:
    style = "List Number" if items.ordered else "List Bullet"
    paragraphs = [_text(out.add_paragraph(style=style), item) for item in items.items]
    if items.ordered and paragraphs:
        _restart_numbering(out, paragraphs)


def _restart_numbering(out, paragraphs: list[DocxParagraph]) -> None:
    """Word numbers every "List Number" paragraph in one sequence; each ordered list gets its
    own numbering instance so that it starts again at 1."""
    numbering = out.part.numbering_part.element
    style_num = out.styles["List Number"].element.pPr.numPr.numId.val
    abstract = numbering.num_having_numId(style_num).abstractNumId.val
    num = numbering.add_num(abstract)
    override = num.add_lvlOverride(ilvl=0)
    override.add_startOverride(1)
    for paragraph in paragraphs:
        ppr = paragraph._p.get_or_add_pPr()
        ppr.get_or_add_numPr().get_or_add_numId().val = num.numId
        ppr.get_or_add_numPr().get_or_add_ilvl().val = 0


# Tables, facts and charts ------------------------------------------------------------------


def _facts(out, facts: m.Facts) -> None:
    if facts.title:
        out.add_paragraph(facts.title, style="Caption")
    _apart_from_last_table(out)
    table = out.add_table(rows=0, cols=2)
    table.style = out.styles["Table Grid"]
    for fact in facts.items:
        key, value = table.add_row().cells
        key.width, value.width = FACT_KEY_WIDTH, TEXT_WIDTH - FACT_KEY_WIDTH
        key.paragraphs[0].add_run(fact.key).bold = True
        _text(value.paragraphs[0], fact.value)
    _alt_text(table, facts.title or "Key facts")
    _keep_rows_whole(table.rows)


def _table(out, data: m.Table) -> None:
    out.add_paragraph(data.caption, style="Caption").paragraph_format.keep_with_next = True
    table = out.add_table(rows=1, cols=len(data.header))
    table.style = out.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for i, (cell, text) in enumerate(zip(table.rows[0].cells, data.header, strict=True)):
        cell.paragraphs[0].add_run(text).bold = True
        _align(cell.paragraphs[0], data.is_numeric(i))
    _repeat_as_header(table.rows[0])
    for row in data.rows:
        cells = table.add_row().cells
        for i, (cell, value) in enumerate(zip(cells, row, strict=True)):
            paragraph = _text(cell.paragraphs[0], value)
            _align(paragraph, data.is_numeric(i))
            if data.row_headers and i == 0:
                for run in paragraph.runs:
                    run.bold = True
    if not data.rows:
        cells = table.add_row().cells
        cells[0].merge(cells[-1]).paragraphs[0].add_run(data.empty)
    _alt_text(table, data.caption)
    _keep_rows_whole(table.rows)


def _apart_from_last_table(out) -> None:
    """Word merges two tables that touch; a short spacer paragraph keeps them apart."""
    body = [el for el in out.element.body if el.tag != qn("w:sectPr")]
    if body and body[-1].tag == qn("w:tbl"):
        out.add_paragraph().paragraph_format.space_after = Pt(0)


def _align(paragraph: DocxParagraph, numeric: bool) -> None:
    if numeric:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT


def _repeat_as_header(row) -> None:
    """Mark the row as the table's header row, repeated at the top of each page."""
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(header)


def _keep_rows_whole(rows: Iterable) -> None:
    for row in rows:
        cant_split = OxmlElement("w:cantSplit")
        cant_split.set(qn("w:val"), "true")
        row._tr.get_or_add_trPr().append(cant_split)


def _alt_text(table, title: str) -> None:
    """The table's alternative-text title, which Word's accessibility checker asks for."""
    tbl_pr = table._tbl.tblPr
    caption = OxmlElement("w:tblCaption")
    caption.set(qn("w:val"), title[:255])
    tbl_pr.append(caption)


def _chart(out, chart: m.Chart) -> None:
    heading = out.add_paragraph(chart.title, style="Caption")
    heading.paragraph_format.keep_with_next = True
    png = chart_png(chart.svg)
    if png is None:
        out.add_paragraph(
            "The chart could not be drawn in this version. Its figures are in the table below."
        )
    else:
        paragraph = out.add_paragraph()
        paragraph.paragraph_format.keep_with_next = True
        picture = paragraph.add_run().add_picture(io.BytesIO(png), width=CHART_WIDTH)
        doc_pr = picture._inline.docPr
        doc_pr.set("title", chart.title)
        doc_pr.set("descr", f"{chart.title}. {chart.description}".strip())
    out.add_paragraph(chart.description)
    _table(out, chart.table)


def chart_png(svg: str) -> bytes | None:
    """The chart drawn as PNG, or None when it cannot be (no SVG, or Cairo fails)."""
    if not svg.strip():
        return None
    try:
        import cairosvg

        return cairosvg.svg2png(
            bytestring=_fixed_width(svg).encode(),
            output_width=CHART_PIXELS,
            # Charts without a background would be transparent: dark in Word's dark mode.
            background_color="white",
            unsafe=False,
        )
    except Exception:  # a chart that will not draw must not cost the reader the whole file
        log.warning("Could not rasterise a chart for Word", exc_info=True)
        return None


def _fixed_width(svg: str) -> str:
    """Charts say width="100%" to fill a page's column; a rasteriser needs a size, which the
    viewBox gives."""
    return svg.replace('width="100%"', "", 1)
