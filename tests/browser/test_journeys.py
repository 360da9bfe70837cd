"""Journeys through the service in a real browser, as the people who make them."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from goldthread.testing.world import PASSWORD

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.filterwarnings("ignore:No directory at"),  # WhiteNoise: no STATIC_ROOT in tests
]


def test_alice_signs_in_and_out(page, live_server, world, sign_in_as):
    sign_in_as(page, live_server, world.alice)
    expect(page.get_by_role("heading", level=1)).to_have_text("Performance overview")
    expect(page.get_by_text("Alice Tester")).to_be_visible()
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("link", name="Sign in")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text("How Testshire Council is performing")


def test_a_wrong_password_is_refused_with_an_error_summary(page, live_server, world, check_axe):
    page.goto(f"{live_server.url}/sign-in/")
    page.get_by_label("Username").fill("alice")
    page.get_by_label("Password").fill("not-the-password")
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_title(re.compile(r"^Error: Sign in"))
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Enter a correct username and password"
    )
    check_axe(page)


def test_signing_in_returns_you_to_the_page_you_asked_for(page, live_server, world):
    page.goto(f"{live_server.url}/indicators/ENV1/targets/2025/")
    page.get_by_label("Username").fill("alice")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Set the target for 2025/26")


def test_public_scorecard_shows_published_figures_only(page, live_server, world):
    page.goto(f"{live_server.url}/scorecard/")
    row = page.get_by_role("row").filter(has_text="Household waste recycled")
    expect(row).to_contain_text("June 2025")
    expect(row).to_contain_text("48.0%")
    expect(page.locator("main")).not_to_contain_text("47.0%")  # approved, not yet published
    expect(page.locator("main")).not_to_contain_text("41.0%")  # draft
    expect(page.locator("main")).not_to_contain_text("Internal staffing measure")


def test_alice_sees_the_approved_figure_the_public_does_not(page, live_server, world, sign_in_as):
    sign_in_as(page, live_server, world.alice)
    page.goto(f"{live_server.url}/scorecard/")
    row = page.get_by_role("row").filter(has_text="Household waste recycled")
    expect(row).to_contain_text("July 2025")
    expect(row).to_contain_text("47.0%")


def test_alice_sets_a_target_after_correcting_an_error(
    page, live_server, world, sign_in_as, check_axe
):
    sign_in_as(page, live_server, world.alice)
    page.goto(f"{live_server.url}/indicators/ENV1/")
    page.get_by_role("link", name="Set the target for 2025/26").click()
    page.get_by_label("Annual target").fill("55")
    page.get_by_role("button", name="Save target").click()

    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Enter why you are changing the target")
    expect(page).to_have_title(re.compile(r"^Error: Set the target for 2025/26"))
    check_axe(page)

    page.get_by_label("Why are you changing the target?").fill("Cabinet raised it in October")
    page.get_by_role("button", name="Save target").click()

    expect(page.get_by_role("alert")).to_contain_text("Target for 2025/26 saved as version 2")
    targets = page.get_by_role("table", name=re.compile("Every version of every target"))
    newest = targets.get_by_role("row").nth(1)
    expect(newest).to_contain_text("2025/26")
    expect(newest).to_contain_text("55.0")
    expect(newest).to_contain_text("Cabinet raised it in October")
    check_axe(page)


def test_alice_republishes_a_judgement_and_the_audit_event_appears(
    page, live_server, world, sign_in_as, check_axe
):
    sign_in_as(page, live_server, world.alice)
    page.goto(f"{live_server.url}/indicators/ENV1/")
    page.get_by_role("link", name="Re-publish the judgement for April 2025").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Re-publish the judgement for April 2025"
    )
    page.get_by_label("Why are you re-publishing this judgement?").fill("Target corrected")
    page.get_by_role("button", name="Re-publish").click()

    expect(page.get_by_role("alert")).to_contain_text("Judgement for April 2025 re-published")
    events = page.get_by_role("heading", name="Audit events").locator(
        "xpath=following-sibling::ul[1]"
    )
    expect(events).to_contain_text("Judgement for April 2025 re-published by Alice Tester")
    expect(events).to_contain_text("Reason: Target corrected")
    check_axe(page)


def test_ed_filters_the_scorecard_by_his_committee(page, live_server, world, sign_in_as):
    sign_in_as(page, live_server, world.ed)
    page.goto(f"{live_server.url}/scorecard/")
    page.get_by_label("Committee").select_option(label="Overview and Scrutiny")
    page.get_by_role("button", name="Apply filters").click()

    expect(page).to_have_url(re.compile(r"committee=osc"))
    expect(page.get_by_label("Committee")).to_have_value("osc")
    expect(page.get_by_role("link", name="Household waste recycled")).to_be_visible()
    expect(page.get_by_role("link", name="Rent collected")).to_have_count(0)
    expect(page.get_by_role("link", name="Clear filters")).to_be_visible()


def test_scorecard_filters_work_without_javascript(browser, live_server, world, check_axe):
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(f"{live_server.url}/scorecard/")
        page.get_by_label("Directorate").select_option(label="People")
        page.get_by_role("button", name="Apply filters").click()

        expect(page).to_have_url(re.compile(r"directorate=people"))
        expect(page.get_by_role("link", name="Rent collected")).to_be_visible()
        expect(page.get_by_role("link", name="Household waste recycled")).to_have_count(0)
        page.get_by_role("link", name="Clear filters").click()
        expect(page.get_by_role("link", name="Household waste recycled")).to_be_visible()
    finally:
        context.close()
