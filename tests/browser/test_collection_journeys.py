"""The data collection journeys in a real browser, each page checked with axe: a closed period
reopened, then enter, submit, return, correct, approve and publish; a correction after
publication; the target checks; the passport."""

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
JUNE = "/indicators/ENV1/figures/2025-06/"


def _as(browser, live_server, sign_in_as, user):
    page = browser.new_context().new_page()
    sign_in_as(page, live_server, user)
    return page


def _alice_reopens_september(alice, live_server, check_axe) -> None:
    alice.goto(f"{live_server.url}{ENTER}")
    expect(alice.locator(".govuk-inset-text")).to_contain_text("As a performance officer")
    check_axe(alice)
    alice.get_by_role("link", name="Reopen September 2025 for data owners").click()
    expect(alice.get_by_label("Period", exact=True)).to_have_value("2025-09")
    check_axe(alice)
    alice.get_by_role("button", name="Reopen period").click()
    expect(alice.locator(".govuk-error-summary")).to_contain_text(
        "Enter why you are reopening this period"
    )
    check_axe(alice)
    alice.get_by_label("Why are you reopening this period?").fill("Late weighbridge tickets")
    alice.get_by_role("button", name="Reopen period").click()
    expect(alice.get_by_role("alert")).to_contain_text("September 2025 reopened")
    expect(alice.locator("table")).to_contain_text("Late weighbridge tickets")
    check_axe(alice)


def _enter_off_target(page, live_server, check_axe) -> None:
    page.goto(f"{live_server.url}{ENTER}")
    expect(page.locator(".govuk-inset-text")).to_contain_text("Reopened by Alice Tester")
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


def test_alice_reopens_a_closed_period_bob_enters_she_returns_he_corrects_she_publishes(
    browser, live_server, world, sign_in_as, check_axe
):
    bob = _as(browser, live_server, sign_in_as, world.bob)
    bob.goto(f"{live_server.url}{ENTER}")
    expect(bob.locator(".govuk-inset-text")).to_contain_text(
        "Ask a performance officer (Alice Tester) to reopen the period"
    )
    expect(bob.get_by_label("Value")).to_have_count(0)
    check_axe(bob)

    alice = _as(browser, live_server, sign_in_as, world.alice)
    _alice_reopens_september(alice, live_server, check_axe)
    bob.goto(f"{live_server.url}/my-updates/")
    expect(bob.locator("table")).to_contain_text("Reopened")
    check_axe(bob)
    _enter_off_target(bob, live_server, check_axe)

    alice.goto(f"{live_server.url}/approvals/")
    check_axe(alice)
    alice.get_by_role("link", name="Return Household waste recycled for September 2025").click()
    check_axe(alice)
    alice.get_by_label("Why are you returning this figure?").fill("Check the tonnage")
    alice.get_by_role("button", name="Return figure").click()
    expect(alice.get_by_role("alert")).to_contain_text("returned")

    bob.goto(f"{live_server.url}{ENTER}")
    expect(bob.locator(".govuk-inset-text").last).to_contain_text("Check the tonnage")
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


def test_bob_corrects_a_published_figure_and_the_public_sees_it_only_once_published(
    browser, live_server, world, sign_in_as, check_axe
):
    bob = _as(browser, live_server, sign_in_as, world.bob)
    bob.goto(f"{live_server.url}{JUNE}")
    expect(bob.locator(".govuk-inset-text")).to_contain_text("start a correction")
    bob.get_by_role("link", name="Correct this published figure").click()
    expect(bob.get_by_role("heading", level=1)).to_have_text(
        "Correct the published figure for June 2025"
    )
    check_axe(bob)
    bob.get_by_label("Value", exact=True).fill("51")
    bob.get_by_role("button", name="Submit correction for approval").click()
    expect(bob.locator(".govuk-error-summary")).to_contain_text(
        "Enter why the published figure is being corrected"
    )
    check_axe(bob)
    bob.get_by_label("Why is the published figure being corrected?").fill(
        "The supplier re-sent the June tonnage"
    )
    bob.get_by_role("button", name="Submit correction for approval").click()
    expect(bob.get_by_role("alert")).to_contain_text("correction submitted for approval")
    expect(bob.locator("#revisions")).to_be_visible()
    check_axe(bob)

    public = browser.new_context().new_page()
    public.goto(f"{live_server.url}/indicators/ENV1/")
    expect(public.locator("body")).not_to_contain_text("51.0%")
    expect(public.locator("body")).not_to_contain_text("re-sent the June tonnage")

    alice = _as(browser, live_server, sign_in_as, world.alice)
    alice.goto(f"{live_server.url}/approvals/")
    expect(alice.locator("body")).to_contain_text("Corrections waiting for approval")
    check_axe(alice)
    alice.get_by_role(
        "button", name="Approve the correction of Household waste recycled for June 2025"
    ).click()
    expect(alice.get_by_role("alert")).to_contain_text("approved")
    public.reload()
    expect(public.locator("body")).not_to_contain_text("51.0%")
    alice.get_by_role(
        "button", name="Publish the correction of Household waste recycled for June 2025"
    ).click()
    expect(alice.get_by_role("alert")).to_contain_text("published as the figure's new revision")
    check_axe(alice)

    public.reload()
    revisions = public.locator("#revisions + div table")
    expect(revisions).to_contain_text("51.0%")
    expect(revisions).to_contain_text("48.0%")
    expect(public.locator("body")).to_contain_text(
        re.compile(r"Revised on \d+ \w+ \d{4}: The supplier re-sent the June tonnage")
    )
    check_axe(public)


def test_alice_is_warned_about_a_zero_target_and_refused_one_over_100(
    browser, live_server, world, sign_in_as, check_axe
):
    alice = _as(browser, live_server, sign_in_as, world.alice)
    alice.goto(f"{live_server.url}/indicators/ENV1/targets/2026/")
    check_axe(alice)
    alice.get_by_label("Annual target").fill("120")
    alice.get_by_label("Why are you changing the target?").fill("Cabinet, 3 March")
    alice.get_by_role("button", name="Save target").click()
    expect(alice.locator(".govuk-error-summary")).to_contain_text(
        "The annual target must be 100% or less"
    )
    check_axe(alice)

    alice.get_by_label("Annual target").fill("0")
    alice.get_by_role("button", name="Save target").click()
    expect(alice.locator(".govuk-warning-text")).to_contain_text("The annual target is 0")
    expect(alice.locator(".govuk-error-summary")).to_contain_text(
        "Check the warnings about this target, then confirm it is right"
    )
    check_axe(alice)
    alice.get_by_label("I have checked this target and it is right").check()
    alice.get_by_role("button", name="Save target").click()
    expect(alice.get_by_role("alert")).to_contain_text("Target for 2026/27 saved as version 1")


def test_alice_validates_the_passport_and_adds_then_resolves_an_issue(
    browser, live_server, world, sign_in_as, check_axe
):
    alice = _as(browser, live_server, sign_in_as, world.alice)
    alice.goto(f"{live_server.url}/indicators/ENV1/")
    alice.get_by_role("link", name="Record a validation of Household waste recycled").click()
    check_axe(alice)
    alice.get_by_role("button", name="Record validation").click()
    expect(alice.locator(".govuk-error-summary")).to_contain_text("Enter what you checked")
    check_axe(alice)
    alice.get_by_label("What did you check?").fill("Definition and Q1 returns")
    alice.get_by_role("button", name="Record validation").click()
    expect(alice.locator("#passport + dl")).to_contain_text("by Alice Tester")

    alice.get_by_role("link", name="Add a known issue with Household waste recycled").click()
    check_axe(alice)
    alice.get_by_label("What is the issue?").fill("Trade waste double counted before May")
    alice.get_by_role("button", name="Add issue").click()
    expect(alice.locator("#passport + dl")).to_contain_text("Trade waste double counted")
    check_axe(alice)
    alice.get_by_role("link", name=re.compile("^Resolve the issue")).click()
    check_axe(alice)
    alice.get_by_label("How was it resolved?").fill("Re-run from the ledger")
    alice.get_by_role("button", name="Resolve issue").click()
    expect(alice.locator("#passport + dl")).to_contain_text("No known issues")
