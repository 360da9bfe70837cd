"""The shared GOV.UK date input in a real browser: a wrong date is named in the error summary,
the summary's link lands on the date's first box, only the wrong boxes are marked, what was
typed stays, and the page passes axe."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.filterwarnings("ignore:No directory at"),
]


def _boxes_marked(page, prefix: str) -> list[str]:
    return [
        part
        for part in ("day", "month", "year")
        if "govuk-input--error" in (page.locator(f"#id_{prefix}_{part}").get_attribute("class"))
    ]


def test_a_31_june_on_the_audit_log_is_named_linked_and_marked_on_the_day_only(
    page, live_server, world, sign_in_as, check_axe
):
    sign_in_as(page, live_server, world.alice)
    page.goto(f"{live_server.url}/audit/?from_day=31&from_month=6&from_year=2026")
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Date from must be a real date")
    check_axe(page)
    assert _boxes_marked(page, "from") == ["day"]
    expect(page.locator("#id_from_month")).to_have_value("6")
    summary.get_by_role("link", name="Date from must be a real date").click()
    expect(page.locator("#id_from_day")).to_be_focused()


def test_a_reopening_date_without_a_month_says_so_and_marks_the_month(
    page, live_server, world, sign_in_as, check_axe
):
    sign_in_as(page, live_server, world.alice)
    page.goto(f"{live_server.url}/indicators/ENV1/figures/2025-09/")
    page.get_by_role("link", name="Reopen September 2025 for data owners").click()
    page.get_by_label("Why are you reopening this period?").fill("Late weighbridge tickets")
    page.locator("#id_until_day").fill("4")
    page.locator("#id_until_year").fill("2026")
    page.get_by_role("button", name="Reopen period").click()
    message = "The last day figures can be entered must include a month"
    expect(page.locator(".govuk-error-summary")).to_contain_text(message)
    check_axe(page)
    assert _boxes_marked(page, "until") == ["month"]
    page.locator(".govuk-error-summary").get_by_role("link", name=message).click()
    expect(page.locator("#id_until_day")).to_be_focused()
