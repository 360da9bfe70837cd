"""The PDF is tagged PDF/UA-1, says what the page says, embeds its fonts and fetches nothing
from outside the site's static files."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from goldthread.documents.pdf import BASE_URL, render_pdf, static_path
from goldthread.documents.tests.samples import sample_document


@pytest.fixture(scope="module")
def pdf() -> PdfReader:
    return PdfReader(io.BytesIO(render_pdf(sample_document())))


def _structure_types(node, found: set[str]) -> set[str]:
    node = node.get_object()
    if "/S" in node:
        found.add(str(node["/S"]))
    kids = node.get("/K")
    for kid in kids if isinstance(kids, list) else [kids]:
        if kid is not None and hasattr(kid, "get_object"):
            child = kid.get_object()
            if isinstance(child, dict) and ("/S" in child or "/K" in child):
                _structure_types(child, found)
    return found


def _figure_alts(node, alts: list[str]) -> list[str]:
    node = node.get_object()
    if node.get("/S") == "/Figure":
        alts.append(str(node.get("/Alt", "")))
    kids = node.get("/K")
    for kid in kids if isinstance(kids, list) else [kids]:
        if kid is not None and hasattr(kid, "get_object"):
            child = kid.get_object()
            if isinstance(child, dict):
                _figure_alts(child, alts)
    return alts


def test_the_pdf_declares_itself_pdf_ua_1_in_its_xmp_metadata(pdf):
    xmp = pdf.trailer["/Root"]["/Metadata"].get_object().get_data().decode()
    assert 'pdfuaid:part="1"' in xmp
    assert "Performance clinic pack: ENV1 Household waste recycled</rdf:li>" in xmp


def test_the_pdf_is_tagged_with_a_structure_tree_language_and_shown_title(pdf):
    root = pdf.trailer["/Root"]
    assert root["/MarkInfo"]["/Marked"]
    assert root["/Lang"] == "en-GB"
    assert root["/ViewerPreferences"]["/DisplayDocTitle"]
    types = _structure_types(root["/StructTreeRoot"], set())
    assert {"/H1", "/H2", "/H3", "/P", "/Table", "/TH", "/TD", "/L", "/LI", "/Figure"} <= types


def test_the_chart_is_a_figure_with_alternative_text(pdf):
    alts = _figure_alts(pdf.trailer["/Root"]["/StructTreeRoot"], [])
    assert "Recycling rate against target" in alts


def test_the_pdf_has_the_title_author_and_the_documents_words(pdf):
    assert pdf.metadata.title == "Performance clinic pack: ENV1 Household waste recycled"
    assert pdf.metadata.author == "Performance and Intelligence team"
    text = "\n".join(page.extract_text() for page in pdf.pages)
    for words in ["Indicator details", "below target for four months", "Crew shortages"]:
        assert words in text
    assert "47.3" in text and "Recycling rate by month" in text
    assert "(https://www.gov.uk/recycling)" in text  # link addresses are printed
    assert "Page 1 of" in text and "OFFICIAL" in text


def test_every_font_is_embedded_and_the_council_font_is_used(pdf):
    names = set()
    for page in pdf.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descendant = font["/DescendantFonts"][0].get_object()
            descriptor = descendant["/FontDescriptor"].get_object()
            assert {"/FontFile", "/FontFile2", "/FontFile3"} & set(descriptor), font["/BaseFont"]
            names.add(str(font["/BaseFont"]))
    assert any("Source-Sans-3" in name for name in names)


def test_the_renderer_may_read_static_files_only():
    assert static_path(f"{BASE_URL}static/documents/print.css").name == "print.css"
    assert static_path(f"{BASE_URL}static/../settings.py") is None
    assert static_path(f"{BASE_URL}static/no-such-file.css") is None
    assert static_path("file:///etc/passwd") is None
    assert static_path("https://example.org/static/documents/print.css") is None


def test_links_are_annotations_with_their_address_and_pages_follow_the_structure(pdf):
    annotations = [a.get_object() for page in pdf.pages for a in page.get("/Annots", []) or []]
    links = [a for a in annotations if a["/Subtype"] == "/Link"]
    assert any(str(a.get("/Contents", "")) == "https://www.gov.uk/recycling" for a in links)
    # PDF/UA: the tab order of a page with annotations follows the structure tree.
    assert all(page["/Tabs"] == "/S" for page in pdf.pages if page.get("/Annots"))
