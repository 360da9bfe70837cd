"""A data owner uploads their own filled-in template in a real browser, each page axe-checked.

Bob downloads his template from My updates, fills it in as a person would (openpyxl), uploads
it, checks the preview, submits, and finds the figure with the performance team on My
updates. A file with a row for someone else's indicator is refused, naming the row, the
column and the code, and nothing is stored. The latest reporting month is reopened for ENV1
when its window has already closed, so the journey works on any day the suite runs.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import openpyxl
import pytest
from django.utils import timezone
from playwright.sync_api import expect

from goldthread.collection.templates_xlsx import HEADINGS, rounds
from goldthread.collection.windows import ReopenRequest, reopen, window_state
from goldthread.indicators.models import Value, ValueState

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.filterwarnings("ignore:No directory at"),
]

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def month(world):
    """The newest month the template offers, open to Bob for ENV1."""
    today = timezone.localdate()
    latest = rounds(today)[0]
    if window_state(world.recycling, latest, today).is_closed:
        request = ReopenRequest(latest, "Late weighbridge tickets", indicator=world.recycling)
        reopen(request, actor=world.alice, today=today)
    return latest


def _fill_in(path: str, month_key: str, value: float, extra: tuple | None = None) -> bytes:
    """ENV1's whole-council row for the month gets a figure; `extra` fills a spare row."""
    book = openpyxl.load_workbook(io.BytesIO(Path(path).read_bytes()))
    sheet = book["Values"]
    column = {heading: number for number, heading in enumerate(HEADINGS, start=1)}
    spare = None
    for row in range(2, sheet.max_row + 1):
        code = sheet.cell(row, column["Indicator code"]).value
        period = sheet.cell(row, column["Period"]).value
        if (
            code == "ENV1"
            and period == month_key
            and not sheet.cell(row, column["Area code"]).value
        ):
            sheet.cell(row, column["Value"], value)
            sheet.cell(row, column["Commentary"], "Garden waste collections restarted.")
        if not code and spare is None:
            spare = row
    if extra is not None:
        code, period, figure = extra
        sheet.cell(spare, column["Indicator code"], code)
        sheet.cell(spare, column["Period"], period)
        sheet.cell(spare, column["Value"], figure)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _download(page, live_server, check_axe, month) -> str:
    page.goto(f"{live_server.url}/my-updates/")
    page.get_by_role("link", name="Download your figures as a spreadsheet").click()
    check_axe(page)
    page.get_by_label("Which month's figures?").select_option(month.key)
    with page.expect_download() as download:
        page.get_by_role("button", name="Download the template").click()
    return download.value.path()


def _upload(page, live_server, check_axe, content: bytes) -> None:
    page.goto(f"{live_server.url}/my-updates/")
    page.get_by_role("link", name="upload your completed spreadsheet").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Upload your figures")
    check_axe(page)
    page.locator("#id_file").set_input_files(
        {"name": "my-figures.xlsx", "mimeType": XLSX, "buffer": content}
    )
    page.get_by_role("button", name="Check the file").click()


def test_bob_uploads_his_filled_in_template_and_sees_it_with_the_team(
    page, live_server, world, month, sign_in_as, check_axe, settings, tmp_path
):
    settings.GOLDTHREAD_UPLOAD_DIR = tmp_path / "uploads"
    sign_in_as(page, live_server, world.bob)
    filled = _fill_in(_download(page, live_server, check_axe, month), month.key, 52.5)

    _upload(page, live_server, check_axe, filled)
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your figures")
    preview = page.get_by_role("region", name="What the import adds and changes")
    expect(preview).to_contain_text(month.label)
    expect(preview).to_contain_text("ENV1")
    check_axe(page)
    assert not Value.objects.filter(indicator=world.recycling, period=month.key).exists()

    page.get_by_role("button", name="Submit these figures").click()
    expect(page.locator(".govuk-panel")).to_contain_text("Figures submitted")
    check_axe(page)
    figure = Value.objects.get(indicator=world.recycling, period=month.key, area=None)
    assert (figure.value, figure.state, figure.updated_by) == (
        52.5,
        ValueState.SUBMITTED,
        world.bob,
    )

    page.get_by_role("link", name="Go to my updates").click()
    waiting = page.get_by_role("region", name="Figures with the performance team")
    expect(waiting).to_contain_text("1 figure with the performance team")
    expect(waiting).to_contain_text(month.label)
    expect(waiting).to_contain_text("52.5%")
    expect(waiting).to_contain_text("Submitted")
    check_axe(page)


def test_a_row_for_someone_elses_indicator_is_refused_and_nothing_is_stored(
    page, live_server, world, month, sign_in_as, check_axe, settings, tmp_path
):
    settings.GOLDTHREAD_UPLOAD_DIR = tmp_path / "uploads"
    sign_in_as(page, live_server, world.bob)
    path = _download(page, live_server, check_axe, month)
    filled = _fill_in(path, month.key, 52.5, extra=("HSG1", "2025/26 Q1", 97.5))
    before = Value.objects.count()

    _upload(page, live_server, check_axe, filled)
    expect(page).to_have_title(re.compile("^Error: "))
    expect(page.get_by_role("heading", level=1)).to_have_text("The file has problems")
    problems = page.locator("#problems")
    expect(problems).to_contain_text(re.compile(r"row \d+, column indicator_code"))
    expect(problems).to_contain_text(
        "You are not the data owner for HSG1, so you cannot upload its figures."
    )
    expect(page.get_by_role("button", name="Submit these figures")).to_have_count(0)
    check_axe(page)
    assert Value.objects.count() == before

    page.get_by_role("link", name="Upload a corrected file").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Upload your figures")


def test_an_officer_who_owns_nothing_is_told_so(page, live_server, world, sign_in_as, check_axe):
    sign_in_as(page, live_server, world.charlie)
    page.goto(f"{live_server.url}/my-updates/upload/")
    expect(page.locator("main")).to_contain_text("You are not the data owner for any indicators")
    check_axe(page)


def test_an_empty_upload_gets_an_error_summary(page, live_server, world, sign_in_as, check_axe):
    sign_in_as(page, live_server, world.bob)
    page.goto(f"{live_server.url}/my-updates/upload/")
    page.get_by_role("button", name="Check the file").click()
    expect(page).to_have_title(re.compile("^Error: "))
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Select your completed spreadsheet or CSV file"
    )
    check_axe(page)
