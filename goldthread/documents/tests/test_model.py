"""The document model: plain, frozen, checked when built (no Django needed)."""

from __future__ import annotations

import dataclasses

import pytest

from goldthread.documents.model import (
    BulletList,
    Document,
    Fact,
    Facts,
    Link,
    Paragraph,
    Section,
    Strong,
    Table,
    inline_parts,
    plain_text,
    walk,
)


def test_lists_are_stored_as_tuples_so_a_document_cannot_change():
    doc = Document("Title", sections=[Section("A", [Paragraph("x")])])
    assert isinstance(doc.sections, tuple)
    assert isinstance(doc.sections[0].content, tuple)
    with pytest.raises(dataclasses.FrozenInstanceError):
        doc.title = "Other"  # type: ignore[misc]


def test_a_document_needs_a_title():
    with pytest.raises(ValueError, match="needs a title"):
        Document("  ")


def test_a_table_row_with_the_wrong_number_of_cells_is_refused_with_its_number():
    with pytest.raises(ValueError, match="row 2 has 1 cells, the header has 2"):
        Table("Figures", ["Month", "Rate"], [["July", "1"], ["August"]])


def test_a_numeric_column_outside_the_table_is_refused():
    with pytest.raises(ValueError, match="no column 2"):
        Table("Figures", ["Month", "Rate"], [["July", "1"]], numeric_columns=[2])


def test_a_string_where_a_list_belongs_is_refused_rather_than_split_into_letters():
    with pytest.raises(TypeError, match="must be a sequence"):
        BulletList("one item")  # type: ignore[arg-type]


def test_text_may_mix_plain_words_links_and_bold():
    paragraph = Paragraph(["See ", Link("the plan", "https://example.org"), Strong("now")])
    assert inline_parts(paragraph.text)[1] == Link("the plan", "https://example.org")
    assert plain_text(paragraph.text) == "See the plannow"
    assert inline_parts(Paragraph(Link("only", "/x")).text) == (Link("only", "/x"),)


def test_heading_levels_follow_nesting_and_stop_at_six():
    deep = Section("1", [Section("2", [Section("3", [Section("4", [Section("5", [])])])])])
    levels = [(block.heading, level) for block, level in walk([deep]) if isinstance(block, Section)]
    assert levels == [("1", 2), ("2", 3), ("3", 4), ("4", 5), ("5", 6)]


def test_facts_keep_their_order():
    facts = Facts([Fact("Target", "52%"), Fact("Latest", "47%")])
    assert [f.key for f in facts.items] == ["Target", "Latest"]
