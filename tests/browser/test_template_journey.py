"""The Excel collection template and published tables in a real browser, each page axe-checked.

Bob downloads his template from My updates and fills it in as a person would; Alice uploads
it, checks the preview and confirms. Alice also downloads a template for Bob from the import
page, and imports a published table (Defra's waste table) through its mapping profile.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import openpyxl
import pytest
from playwright.sync_api import expect

from goldthread.indicators.models import Indicator, Value, ValueState
from goldthread.structure.models import Council

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.filterwarnings("ignore:No directory at"),
]

DEFRA = Path(__file__).parents[2] / "goldthread/imports/tests/data/defra_env18_table3.csv"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _fill_in(path: str, value: float, commentary: str) -> bytes:
    book = openpyxl.load_workbook(io.BytesIO(Path(path).read_bytes()))
    sheet = book["Values"]
    headings = [cell.value for cell in sheet[1]]
    for row in sheet.iter_rows(min_row=2):
        if row[0].value == "ENV1":
            row[headings.index("Value")].value = value
            row[headings.index("Commentary")].value = commentary
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _upload(page, name: str, content: bytes, mime: str) -> None:
    page.locator("#id_file").set_input_files({"name": name, "mimeType": mime, "buffer": content})
    page.get_by_role("button", name="Check the file").click()


def test_bob_downloads_his_template_and_alice_imports_it_filled_in(
    page, live_server, world, sign_in_as, check_axe, settings, tmp_path
):
    settings.GOLDTHREAD_UPLOAD_DIR = tmp_path / "uploads"
    sign_in_as(page, live_server, world.bob)
    page.goto(f"{live_server.url}/my-updates/")
    page.get_by_role("link", name="Download your figures as a spreadsheet").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Download your figures as a spreadsheet"
    )
    check_axe(page)

    page.get_by_label("Which month's figures?").select_option("2026-03")
    with page.expect_download() as download:
        page.get_by_role("button", name="Download the template").click()
    assert download.value.suggested_filename == "figures-2026-03-bob-tester.xlsx"
    filled = _fill_in(download.value.path(), 52.5, "Garden waste collections restarted.")

    page.get_by_role("button", name="Sign out").click()
    sign_in_as(page, live_server, world.alice)
    page.goto(f"{live_server.url}/imports/")
    check_axe(page)
    _upload(page, "figures-2026-03-bob-tester.xlsx", filled, XLSX)
    expect(page.get_by_role("heading", level=1)).to_have_text("Check the import")
    expect(page.get_by_role("region", name="What the import adds and changes")).to_contain_text(
        "March 2026"
    )
    check_axe(page)
    page.get_by_role("button", name="Confirm import").click()
    expect(page.locator(".govuk-panel")).to_contain_text("Figures imported")
    figure = Value.objects.get(indicator=world.recycling, period="2026-03", area=None)
    assert (figure.value, figure.state) == (52.5, ValueState.SUBMITTED)
    assert not Value.objects.filter(indicator=world.complaints, period="2025/26").exists()


def test_a_mistake_in_the_template_is_shown_by_row_and_column(
    page, live_server, world, sign_in_as, check_axe, settings, tmp_path
):
    settings.GOLDTHREAD_UPLOAD_DIR = tmp_path / "uploads"
    sign_in_as(page, live_server, world.alice)
    page.goto(f"{live_server.url}/imports/template/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Download a collection template")
    check_axe(page)
    page.get_by_label("Whose indicators?").select_option(str(world.bob.pk))
    page.get_by_label("Which month's figures?").select_option("2026-03")
    with page.expect_download() as download:
        page.get_by_role("button", name="Download the template").click()
    filled = _fill_in(download.value.path(), 0, "")
    book = openpyxl.load_workbook(io.BytesIO(filled))
    book["Values"]["K2"] = "52,5"
    out = io.BytesIO()
    book.save(out)

    page.goto(f"{live_server.url}/imports/")
    _upload(page, "figures.xlsx", out.getvalue(), XLSX)
    expect(page).to_have_title(re.compile("^Error: "))
    expect(page.locator("#problems")).to_contain_text("row 2, column value")
    expect(page.locator("#problems")).to_contain_text("use a full stop for the decimal point")
    check_axe(page)


def test_a_month_that_cannot_be_chosen_gets_an_error_summary(
    page, live_server, world, sign_in_as, check_axe
):
    sign_in_as(page, live_server, world.bob)
    page.goto(f"{live_server.url}/my-updates/template/?month=1999-01")
    expect(page).to_have_title(re.compile("^Error: "))
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select the month")
    check_axe(page)


def test_alice_imports_defras_waste_table_through_its_profile(
    page, live_server, world, sign_in_as, check_axe, settings, tmp_path
):
    settings.GOLDTHREAD_UPLOAD_DIR = tmp_path / "uploads"
    Council.objects.update(name="Trafford Council", ons_code="E08000009")
    Indicator.objects.create(
        code="WST1", name="Household waste recycled", frequency="annual", unit="percent"
    )
    sign_in_as(page, live_server, world.alice)
    page.goto(f"{live_server.url}/imports/")
    page.get_by_label("Defra waste table (ENV18)").check()
    page.get_by_label("Which of your indicators does each published measure go into?").fill(
        "NI192 = NOPE"
    )
    _upload(page, "table3.csv", DEFRA.read_bytes(), "text/csv")
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        'Line 1: there is no indicator with the code "NOPE".'
    )
    check_axe(page)

    page.get_by_label("Which of your indicators does each published measure go into?").fill(
        "NI192 = WST1"
    )
    _upload(page, "table3.csv", DEFRA.read_bytes(), "text/csv")
    expect(page.get_by_role("heading", level=1)).to_have_text("Check the import")
    expect(page.locator("#problems")).to_contain_text(
        "comparators, not Trafford Council's own figures"
    )
    check_axe(page)
    page.get_by_role("button", name="Confirm import").click()
    expect(page.locator(".govuk-panel")).to_contain_text("Figures imported")
    assert Value.objects.get(indicator__code="WST1", period="2022/23").value == pytest.approx(58.4)
