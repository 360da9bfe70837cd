"""Issue 5 joined up in a real browser, each page checked with axe: from the indicator page a
data owner starts a Performance Improvement Plan (section 1 laid out as the seed's grid) and a
cabinet member asks for a clinic; a planned challenge event referred to cabinet leaves one
scrutiny recommendation per paragraph, each waiting for its response."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.filterwarnings("ignore:No directory at"),
]


def test_bob_starts_a_plan_from_the_indicator_page(
    browser, live_server, world, sign_in_as, check_axe
):
    page = browser.new_context().new_page()
    sign_in_as(page, live_server, world.bob)
    page.goto(f"{live_server.url}/indicators/ENV1/")
    check_axe(page)

    page.get_by_role("link", name="Start a Performance Improvement Plan").click()
    expect(page.get_by_label("Indicator")).to_have_value("ENV1")
    check_axe(page)
    page.get_by_role("button", name="Start the plan").click()

    grid = page.get_by_role("table", name="Target and scores")
    expect(grid.get_by_role("columnheader")).to_have_text(["Measure", "Value", "As at"])
    expect(grid.get_by_role("row", name="Score 47.0% 31 July 2025", exact=True)).to_be_visible()
    check_axe(page)
    page.goto(f"{live_server.url}/indicators/ENV1/")
    expect(page.get_by_role("link", name="Start a Performance Improvement Plan")).to_have_count(0)


def test_dana_asks_for_a_clinic_from_the_indicator_page(
    browser, live_server, world, sign_in_as, check_axe
):
    page = browser.new_context().new_page()
    sign_in_as(page, live_server, world.dana)
    page.goto(f"{live_server.url}/indicators/ENV1/")
    expect(page.get_by_role("link", name="Start a Performance Improvement Plan")).to_have_count(0)

    page.get_by_role("link", name="Request a performance clinic").click()

    expect(page.get_by_role("checkbox", name="ENV1 Household waste recycled")).to_be_checked()
    check_axe(page)


def test_a_challenge_referred_to_cabinet_leaves_recommendations_to_follow_up(
    browser, live_server, world, sign_in_as, check_axe
):
    from goldthread.clinics.tests import helpers

    clinic = helpers.planned_challenge(world)
    helpers.held(world, helpers.scheduled(world, clinic, chair=world.ed))
    page = browser.new_context().new_page()
    sign_in_as(page, live_server, world.ed)
    page.goto(f"{live_server.url}/clinics/{clinic.reference}/outcome/")
    check_axe(page)

    page.get_by_label("Referred to cabinet with recommendations").check()
    page.get_by_label("The panel's reasons").fill("Recycling needs a decision on resources.")
    page.get_by_label("Recommendations to cabinet").fill(
        "Fund two more drivers.\n\nReview the garden waste charge."
    )
    page.get_by_role("button", name="Record the outcome and close the clinic").click()

    listed = page.locator("h2:has-text('Scrutiny recommendations') + ul li")
    expect(listed).to_have_count(2)
    expect(listed.first).to_contain_text("waiting for a response")
    check_axe(page)
    page.get_by_role("link", name="Review the garden waste charge.").click()
    expect(page.locator("main")).to_contain_text("Review the garden waste charge.")
    check_axe(page)
