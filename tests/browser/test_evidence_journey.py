"""Evidence in a real browser: Bob adds a PDF to his draft figure on the entry page, sees it
listed, and a file that is not really a PDF is refused with a clear message; axe-checked."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from goldthread.analysis.periods import parse_period
from goldthread.collection import windows
from goldthread.collection.models import Evidence

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.filterwarnings("ignore:No directory at"),
]

PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 64


def _choose(page, name: str, content: bytes, mime: str) -> None:
    page.locator("#id_file").set_input_files({"name": name, "mimeType": mime, "buffer": content})
    page.get_by_role("button", name="Add file").click()


def test_bob_adds_a_pdf_to_his_figure_and_sees_it_listed(
    page, live_server, world, sign_in_as, check_axe, settings, tmp_path
):
    settings.GOLDTHREAD_EVIDENCE_DIR = tmp_path / "evidence"
    # August 2025's window has closed and evidence follows the window (ADR 19): reopened.
    august = windows.ReopenRequest(parse_period("2025-08"), "Late evidence", world.recycling)
    windows.reopen(august, actor=world.alice, today=timezone.localdate())
    sign_in_as(page, live_server, world.bob)
    page.goto(f"{live_server.url}/indicators/ENV1/figures/2025-08/")
    evidence = page.locator("#evidence")
    expect(evidence.get_by_role("heading", name="Evidence")).to_be_visible()
    expect(evidence).to_contain_text("No files have been added")
    check_axe(page)

    _choose(page, "setup.pdf", EXE, "application/pdf")
    expect(page).to_have_title(re.compile("^Error: "))
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "The file must be a PDF, Word, Excel, CSV, text, PNG or JPEG file"
    )
    check_axe(page)
    page.get_by_role("link", name="Back to the figure").click()

    _choose(page, "Bin rounds October.pdf", PDF, "application/pdf")
    expect(page).to_have_url(re.compile(r"/indicators/ENV1/figures/2025-08/#evidence$"))
    table = page.locator("#evidence table")
    expect(table).to_contain_text("Bin rounds October.pdf")
    expect(table).to_contain_text("Bob Tester")
    expect(page.locator("#evidence")).to_contain_text("Bin rounds October.pdf added as evidence")
    check_axe(page)

    added = Evidence.objects.get()
    assert (added.original_name, added.uploaded_by) == ("Bin rounds October.pdf", world.bob)
    with page.expect_download() as download:
        page.get_by_role("link", name="Bin rounds October.pdf", exact=True).click()
    assert download.value.suggested_filename == "Bin rounds October.pdf"
    assert Path(download.value.path()).read_bytes() == PDF
