"""The HTML fragment and the print page: what the page, the printout and the PDF share."""

from __future__ import annotations

import re

from goldthread.documents.model import Document, Link, Paragraph, Section, Table
from goldthread.documents.render import render_document, render_print_page
from goldthread.documents.tests.samples import sample_document


def test_the_fragment_has_the_title_headings_by_nesting_and_every_block():
    html = render_document(sample_document())
    assert '<h1 class="govuk-heading-xl gt-document__title">Performance clinic pack' in html
    assert re.search(r'<h2 [^>]*id="indicator-details">Indicator details</h2>', html)
    assert re.search(r'<h3 [^>]*id="causes">Causes</h3>', html)
    assert '<dt class="govuk-summary-list__key">Target</dt>' in html
    assert "govuk-warning-text" in html and "govuk-inset-text" in html
    assert '<ol class="govuk-list govuk-list--number">' in html
    assert "<strong>below target for four months</strong>" in html


def test_reference_date_author_and_marking_are_printed_under_the_title():
    html = render_document(sample_document())
    assert "CLINIC-2026-004" in html
    assert "7 January 2026" in html
    assert "Performance and Intelligence team" in html
    assert 'gt-document__marking">OFFICIAL</p>' in html


def test_the_contents_list_links_to_each_top_level_section():
    html = render_document(sample_document())
    assert '<a class="govuk-link" href="#indicator-details">Indicator details</a>' in html
    assert 'href="#causes"' not in html


def test_a_chart_is_followed_by_its_data_table():
    html = render_document(sample_document())
    chart_at = html.index('<svg class="gt-chart"')
    table_at = html.index("Recycling rate by month</caption>")
    assert chart_at < table_at


def test_numeric_columns_are_right_aligned_and_the_first_cell_can_head_its_row():
    html = render_document(sample_document())
    assert 'govuk-table__header govuk-table__header--numeric">Rate (%)</th>' in html
    assert '<td class="govuk-table__cell govuk-table__cell--numeric">47.3</td>' in html
    assert '<th scope="row" class="govuk-table__header">October 2025</th>' in html


def test_text_is_escaped_and_only_safe_links_become_links():
    doc = Document(
        "<script>alert(1)</script>",
        sections=[
            Section(
                "Links",
                [
                    Paragraph([Link("bad", "javascript:alert(1)"), Link("good", "/scorecard/")]),
                    Table("T", ["<b>"], [["<i>"]]),
                ],
            )
        ],
    )
    html = render_document(doc)
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "javascript:" not in html
    assert '<a class="govuk-link" href="/scorecard/">good</a>' in html
    assert "&lt;b&gt;" in html and "&lt;i&gt;" in html


def test_two_sections_with_the_same_heading_get_different_anchors():
    doc = Document("T", sections=[Section("Notes"), Section("Notes"), Section("!!!")])
    ids = re.findall(r'<h2 [^>]*id="([^"]+)"', render_document(doc))
    assert ids == ["notes", "notes-2", "section"]


def test_a_page_with_its_own_heading_can_leave_the_title_out():
    html = render_document(sample_document(), include_title=False)
    assert "<h1" not in html


def test_the_print_page_has_the_language_title_metadata_and_print_stylesheet():
    page = render_print_page(sample_document(), alternatives=[("Download as PDF", "?f=pdf")])
    assert page.startswith("<!DOCTYPE html>")
    assert '<html lang="en-GB">' in page
    assert "<title>Performance clinic pack: ENV1 Household waste recycled</title>" in page
    assert '<meta name="author" content="Performance and Intelligence team">' in page
    assert '<meta name="dcterms.created" content="2026-01-07">' in page
    assert "documents/print.css" in page
    assert '<main class="gt-print__main" id="main-content">' in page
    assert '<a class="govuk-link" href="?f=pdf">Download as PDF</a>' in page


def test_a_table_without_rows_says_so_across_its_width():
    doc = Document("T", sections=[Section("Progress", [Table("Updates", ["Date", "Note"], [])])])
    html = render_document(doc)
    assert '<td class="govuk-table__cell" colspan="2">None recorded</td>' in html
