"""The Word file: real heading styles, tables with repeating header rows, charts as pictures
with alternative text, and the document's properties."""

from __future__ import annotations

import io

import docx
import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn

from goldthread.documents.model import Chart, Document, Section, Table
from goldthread.documents.tests.samples import rate_table, sample_document
from goldthread.documents.word import render_docx


@pytest.fixture(scope="module")
def word():
    return docx.Document(io.BytesIO(render_docx(sample_document())))


def _styled(word, style: str) -> list[str]:
    return [p.text for p in word.paragraphs if p.style.name == style]


def test_the_title_and_sections_use_word_title_and_heading_styles(word):
    assert _styled(word, "Title") == ["Performance clinic pack: ENV1 Household waste recycled"]
    assert _styled(word, "Subtitle") == ["Managerial clinic, 14 January 2026"]
    assert _styled(word, "Heading 1") == [
        "Contents",
        "Indicator details",
        "Trend",
        "Questions for the panel",
        "Actions agreed",
    ]
    assert _styled(word, "Heading 2") == ["Causes"]


def test_the_properties_carry_title_author_language_and_keywords(word):
    props = word.core_properties
    assert props.title == "Performance clinic pack: ENV1 Household waste recycled"
    assert props.author == "Performance and Intelligence team"
    assert props.language == "en-GB"
    assert props.keywords == "recycling, performance clinic"
    lang = word.styles.element.find(qn("w:docDefaults")).find(".//" + qn("w:lang"))
    assert lang.get(qn("w:val")) == "en-GB"


def test_tables_have_a_repeating_header_row_and_right_aligned_numbers(word):
    figures = next(t for t in word.tables if t.rows[0].cells[0].text == "Month")
    header = figures.rows[0]._tr.trPr
    assert header.find(qn("w:tblHeader")) is not None
    assert [c.text for c in figures.rows[0].cells] == ["Month", "Rate (%)", "Target (%)"]
    assert figures.rows[4].cells[1].text == "47.3"
    assert figures.rows[4].cells[1].paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.RIGHT
    caption = figures._tbl.tblPr.find(qn("w:tblCaption"))
    assert caption.get(qn("w:val")) == "Recycling rate by month"


def test_facts_are_a_two_column_table_with_bold_keys(word):
    facts = word.tables[0]
    assert [c.text for c in facts.rows[0].cells] == ["Target", "52.0%"]
    assert facts.rows[0].cells[0].paragraphs[0].runs[0].bold


def test_a_chart_is_a_picture_with_alternative_text_followed_by_its_table(word):
    assert len(word.inline_shapes) == 1
    doc_pr = word.inline_shapes[0]._inline.docPr
    assert doc_pr.get("title") == "Recycling rate against target"
    assert "fallen every month" in doc_pr.get("descr")
    body = [el.tag.split("}")[1] for el in word.element.body]
    picture_at = next(
        i for i, el in enumerate(word.element.body) if el.findall(".//" + qn("w:drawing"))
    )
    assert "tbl" in body[picture_at : picture_at + 4]


def test_links_to_web_addresses_are_real_hyperlinks(word):
    targets = [rel.target_ref for rel in word.part.rels.values() if rel.is_external]
    assert "https://www.gov.uk/recycling" in targets


def test_each_numbered_list_starts_again_at_one(word):
    numbered = [p for p in word.paragraphs if p.style.name == "List Number"]
    by_list = {}
    for p in numbered:
        num_pr = p._p.pPr.numPr
        if num_pr is not None:
            by_list.setdefault(num_pr.numId.val, []).append(p.text)
    assert ["Is the target realistic?", "What support is needed?"] in by_list.values()
    assert ["Retrain crews", "Audit contamination"] in by_list.values()


def test_the_protective_marking_heads_and_foots_every_page(word):
    section = word.sections[0]
    assert section.header.paragraphs[0].text == "OFFICIAL"
    assert "OFFICIAL" in section.footer.paragraphs[0].text
    assert "PAGE" in section.footer._element.xml and "NUMPAGES" in section.footer._element.xml


def test_a_chart_that_cannot_be_drawn_leaves_a_note_and_keeps_its_table():
    chart = Chart("Broken", "Cannot draw", "<svg><not-closed", rate_table())
    word = docx.Document(io.BytesIO(render_docx(Document("T", [Section("S", [chart])]))))
    assert len(word.inline_shapes) == 0
    assert any("could not be drawn" in p.text for p in word.paragraphs)
    assert len(word.tables) == 1


def test_a_table_without_rows_says_so_in_one_merged_cell():
    table = Table("Progress tracking", ["Date", "Comment", "PI score"], [], empty="No updates yet")
    word = docx.Document(io.BytesIO(render_docx(Document("T", [Section("S", [table])]))))
    last = word.tables[0].rows[-1]
    assert [c.text for c in last.cells] == ["No updates yet"] * 3  # one cell spanning three
