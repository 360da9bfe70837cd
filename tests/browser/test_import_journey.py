"""Importing figures in a real browser: a file with a mistake, then the corrected file, then
the preview and the confirmation, each page checked with axe."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from goldthread.indicators.models import Value, ValueState

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.filterwarnings("ignore:No directory at"),
]

HEADER = "indicator_code,period,area_code,value,numerator,denominator,commentary\n"
WRONG = HEADER + "ENV1,2025-09,,51.5,,,Garden waste restarted\nENV1,2025-10,W01,45%,,,\n"
FIXED = HEADER + "ENV1,2025-09,,51.5,,,Garden waste restarted\nENV1,2025-10,W01,45,,,\n"


def _choose(page, name: str, content: str) -> None:
    page.locator("#id_file").set_input_files(
        {"name": name, "mimeType": "text/csv", "buffer": content.encode()}
    )
    page.get_by_role("button", name="Check the file").click()


def test_alice_fixes_a_file_previews_it_and_imports_it(
    page, live_server, world, sign_in_as, check_axe, settings, tmp_path
):
    settings.GOLDTHREAD_UPLOAD_DIR = tmp_path / "uploads"
    sign_in_as(page, live_server, world.alice)
    page.goto(f"{live_server.url}/approvals/")
    page.get_by_role("link", name="Import figures from a file").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Import figures from a file")
    check_axe(page)

    _choose(page, "october.csv", WRONG)
    expect(page).to_have_title(re.compile("^Error: "))
    expect(page.locator("#problems")).to_contain_text("row 3, column value")
    expect(page.locator("#problems")).to_contain_text('"45%" has a % sign: write 45')
    check_axe(page)
    assert not Value.objects.filter(period="2025-09").exists()

    page.get_by_role("link", name="Upload a corrected file").click()
    _choose(page, "october.csv", FIXED)
    expect(page.get_by_role("heading", level=1)).to_have_text("Check the import")
    expect(page.locator(".govuk-summary-list")).to_contain_text("New figures")
    expect(page.get_by_role("region", name="What the import adds and changes")).to_contain_text(
        "September 2025"
    )
    check_axe(page)

    page.get_by_role("button", name="Confirm import").click()
    expect(page.locator(".govuk-panel")).to_contain_text("Figures imported")
    expect(page.locator("main")).to_contain_text("2 new figures and 0 changed figures")
    check_axe(page)
    figure = Value.objects.get(indicator=world.recycling, period="2025-09", area=None)
    assert (figure.value, figure.state) == (51.5, ValueState.SUBMITTED)
