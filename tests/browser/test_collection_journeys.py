"""The data collection journeys in a real browser: enter, submit, return, correct, approve,
publish, each page checked with axe."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.filterwarnings("ignore:No directory at"),
]

ENTER = "/indicators/ENV1/figures/2025-09/"


def _enter_off_target(page, live_server, check_axe) -> None:
    page.goto(f"{live_server.url}{ENTER}")
    check_axe(page)
    page.get_by_label("Value").fill("30")
    page.get_by_label("Why is the result what it is?").fill("Crews were short.")
    page.get_by_role("button", name="Submit for approval").click()
    expect(page).to_have_title(re.compile("^Error: "))
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Enter what is being done to bring the result back on target"
    )
    check_axe(page)
    page.get_by_label("What is being done about it?").fill("Two agency crews hired.")
    page.get_by_label("Day").fill("31")
    page.get_by_label("Month").fill("3")
    page.get_by_label("Year").fill("2027")
    page.get_by_role("button", name="Submit for approval").click()
    expect(page.get_by_role("alert")).to_contain_text("submitted for approval")


def test_bob_submits_alice_returns_bob_corrects_alice_approves_and_publishes(
    browser, live_server, world, sign_in_as, check_axe
):
    bob = browser.new_context().new_page()
    sign_in_as(bob, live_server, world.bob)
    _enter_off_target(bob, live_server, check_axe)

    alice = browser.new_context().new_page()
    sign_in_as(alice, live_server, world.alice)
    alice.goto(f"{live_server.url}/approvals/")
    check_axe(alice)
    alice.get_by_role("link", name="Return Household waste recycled for September 2025").click()
    check_axe(alice)
    alice.get_by_label("Why are you returning this figure?").fill("Check the tonnage")
    alice.get_by_role("button", name="Return figure").click()
    expect(alice.get_by_role("alert")).to_contain_text("returned")

    bob.goto(f"{live_server.url}/my-updates/")
    check_axe(bob)
    bob.goto(f"{live_server.url}{ENTER}")
    expect(bob.locator(".govuk-inset-text")).to_contain_text("Check the tonnage")
    bob.get_by_label("Value").fill("31")
    bob.get_by_role("button", name="Submit for approval").click()
    expect(bob.get_by_role("alert")).to_contain_text("submitted for approval")

    alice.goto(f"{live_server.url}/approvals/")
    alice.get_by_role("button", name="Approve Household waste recycled for September 2025").click()
    expect(alice.get_by_role("alert")).to_contain_text("approved")
    alice.get_by_role("button", name="Publish Household waste recycled for September 2025").click()
    expect(alice.get_by_role("alert")).to_contain_text("published")
    check_axe(alice)

    public = browser.new_context().new_page()
    public.goto(f"{live_server.url}/indicators/ENV1/")
    expect(public.locator("body")).to_contain_text("31.0%")
