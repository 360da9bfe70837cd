"""The indicator report: the indicator page as one document, showing each person exactly the
figures the page shows them, in every format."""

from __future__ import annotations

import datetime
import io

import docx
from django.contrib.auth.models import AnonymousUser
from pypdf import PdfReader

from goldthread.documents.model import Chart, Facts, Section, Table, walk
from goldthread.documents.presenters import indicator_report
from goldthread.indicators.models import Indicator


def _blocks(document, kind):
    return [b for b, _ in walk(document.sections) if isinstance(b, kind)]


def _section(document, heading) -> Section:
    return next(s for s in _blocks(document, Section) if s.heading == heading)


def _figures_table(document) -> Table:
    return _blocks(document, Chart)[0].table


def test_the_public_report_has_published_figures_only_and_no_marking(world):
    report = indicator_report(AnonymousUser(), world.recycling, today=datetime.date(2025, 9, 1))
    figures = _figures_table(report)
    periods = [row[0] for row in figures.rows]
    assert "August 2025" not in periods  # Bob's draft
    assert "Figure" not in figures.header
    assert report.metadata.protective_marking == ""
    assert "Draft figure, not yet checked." not in str(report)


def test_the_data_owner_sees_their_draft_marked_as_not_yet_approved(world):
    report = indicator_report(world.bob, world.recycling)
    figures = _figures_table(report)
    assert figures.header[-1] == "Figure"
    assert figures.rows[0][0] == "August 2025"  # newest first
    assert "including figures not yet approved" in figures.caption
    assert report.metadata.protective_marking == "OFFICIAL"


def test_the_report_has_the_latest_result_passport_charts_and_targets(world):
    report = indicator_report(world.alice, world.recycling)
    headings = [s.heading for s in report.sections]
    assert headings == [
        "Latest result",
        "About this indicator",
        "Values against target",
        "Statistical process control",
        "Commentary",
        "Targets",
    ]
    passport = _section(report, "About this indicator").content[0]
    assert isinstance(passport, Facts)
    assert ("Data owner", str(world.bob)) in [(f.key, f.value) for f in passport.items]
    targets = _section(report, "Targets").content[0]
    assert "Agreed by cabinet" in targets.rows[0][3]
    assert all(chart.table.rows for chart in _blocks(report, Chart))


def test_an_indicator_without_figures_says_so_rather_than_showing_empty_tables(world):
    new = Indicator.objects.create(
        code="NEW1", name="New measure", unit="number", polarity="higher", frequency="annual"
    )
    report = indicator_report(world.alice, new)
    text = str(report)
    assert "There is no approved figure yet." in text
    assert "There are no figures yet." in text
    assert _blocks(report, Chart) == []


def test_the_pdf_and_word_downloads_carry_the_same_figures(world, login):
    client = login(world.alice)
    pdf = client.get("/indicators/ENV1/report.pdf")
    word = client.get("/indicators/ENV1/report.docx")
    assert pdf["Content-Disposition"] == 'inline; filename="env1-indicator-report.pdf"'
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    document = docx.Document(io.BytesIO(word.content))
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    for figure in ["47.0%", "48.0%", "50.0%"]:
        assert figure in text
        assert figure in cells


def test_the_report_page_offers_the_printable_pdf_and_word_versions(world, login):
    page = login(world.ed).get("/indicators/ENV1/report/").content.decode()
    assert '<h1 class="govuk-heading-l">Household waste recycled</h1>' in page
    assert 'href="/indicators/ENV1/report.pdf">Download as PDF</a>' in page
    assert 'href="/indicators/ENV1/report.docx">Download as Word document</a>' in page
    assert 'href="/indicators/ENV1/report.html">Printable version</a>' in page
