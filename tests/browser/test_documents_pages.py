"""The indicator report (the documents pipeline's own page): every role that may see it, its
print page, its downloads, and reflow; each checked with axe in Chromium."""

from __future__ import annotations

import io

import pytest
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from tests.browser.conftest import _check_axe, screenshot
from tests.browser.test_pages import EVERYONE, NOT_COMMITTEE, SEES_INTERNAL

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.filterwarnings("ignore:No directory at"),  # WhiteNoise: no STATIC_ROOT in tests
]

# (code, h1, roles that may see it)
REPORTS = [
    ("ENV1", "Household waste recycled", EVERYONE),
    ("CMP1", "Complaints upheld", NOT_COMMITTEE),
    ("CTX1", "Population", NOT_COMMITTEE),
    ("INT1", "Internal staffing measure", SEES_INTERNAL),
]


def _print_stylesheet_loaded(page: Page) -> None:
    loaded = page.evaluate(
        """[...document.styleSheets].some(
            (s) => s.href && s.href.includes("documents/print.css") && s.cssRules.length > 0)"""
    )
    assert loaded, f"print.css did not load on {page.url}"


@pytest.mark.parametrize("role", EVERYONE)
def test_each_report_a_role_may_see_and_its_print_page_pass_axe(
    page, live_server, world, sign_in_as, check_axe, subtests, role
):
    sign_in_as(page, live_server, world.personas()[role])
    for code, heading, roles in REPORTS:
        if role not in roles:
            continue
        with subtests.test(code, view="page"):
            response = page.goto(f"{live_server.url}/indicators/{code}/report/")
            assert response.status == 200
            expect(page.get_by_role("heading", level=1)).to_have_text(heading)
            expect(page.get_by_role("heading", name="About this indicator")).to_be_visible()
            check_axe(page)
        with subtests.test(code, view="print"):
            response = page.goto(f"{live_server.url}/indicators/{code}/report.html")
            assert response.status == 200
            expect(page.get_by_role("heading", level=1)).to_have_text(heading)
            _print_stylesheet_loaded(page)
            _check_axe(page)
        if code == "ENV1" and role in ("performance_officer", "public"):
            screenshot(page, f"documents-report-print-{role}")


def test_a_committee_member_cannot_open_a_report_outside_their_scope(
    page, live_server, world, sign_in_as, check_axe
):
    sign_in_as(page, live_server, world.ed)
    response = page.goto(f"{live_server.url}/indicators/CMP1/report/")
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
    check_axe(page)


def test_an_officer_opens_the_report_prints_it_and_downloads_pdf_and_word(
    page, live_server, world, sign_in_as, check_axe
):
    sign_in_as(page, live_server, world.alice)
    page.goto(f"{live_server.url}/indicators/ENV1/report/")
    screenshot(page, "documents-report-page-performance_officer")
    expect(page.get_by_role("heading", name="Values against target")).to_be_visible()
    expect(page.get_by_role("table", name="Figures for each period")).to_be_visible()

    pdf_href = page.get_by_role("link", name="Download as PDF").get_attribute("href")
    pdf = page.request.get(live_server.url + pdf_href)
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.body().startswith(b"%PDF-")

    with page.expect_download() as download:
        page.get_by_role("link", name="Download as Word document").click()
    assert download.value.suggested_filename == "env1-indicator-report.docx"

    page.get_by_role("link", name="Printable version").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Household waste recycled")
    links = page.get_by_role("navigation", name="Other versions of this document")
    expect(links).to_be_visible()
    page.emulate_media(media="print")
    expect(links).to_be_hidden()
    _check_axe(page)


def test_printing_the_print_page_from_the_browser_gives_numbered_a4_pages_without_links_bar(
    page, live_server, world, sign_in_as
):
    sign_in_as(page, live_server, world.alice)
    page.goto(f"{live_server.url}/indicators/ENV1/report.html")
    printed = PdfReader(io.BytesIO(page.pdf(prefer_css_page_size=True)))
    width, height = (float(x) for x in printed.pages[0].mediabox[2:])
    assert (round(width), round(height)) == (595, 842)  # A4 in points
    first = printed.pages[0].extract_text()
    assert f"Page 1 of {len(printed.pages)}" in first
    assert "OFFICIAL" in first
    assert "Download as PDF" not in first


def test_the_report_page_reflows_at_320_pixels(page, live_server, world, sign_in_as, check_axe):
    sign_in_as(page, live_server, world.alice)
    page.set_viewport_size({"width": 320, "height": 800})
    for path in ["/indicators/ENV1/report/", "/indicators/ENV1/report.html"]:
        page.goto(live_server.url + path)
        assert page.evaluate("document.documentElement.scrollWidth") <= 320, path
    _check_axe(page)
