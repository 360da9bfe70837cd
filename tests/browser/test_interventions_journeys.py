"""Interventions in a real browser: every page for each role that may see it, checked with axe,
and the journeys of the queue, trigger rules, known risks and the escalation ladder."""

from __future__ import annotations

import re
from datetime import date

import pytest
from playwright.sync_api import expect

from goldthread.interventions.models import Escalation, KnownRisk, Recommendation
from goldthread.interventions.services import (
    EscalationEntry,
    RiskEntry,
    escalate,
    ladder,
    record_known_risk,
)
from goldthread.structure.models import Council

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.filterwarnings("ignore:No directory at"),
]


def _records(world):
    """A known risk on ENV1 and an escalation of it, so every page has something to show."""
    risk = record_known_risk(
        world.recycling,
        RiskEntry("Depot refit", "Lower for a quarter", date(2026, 1, 31)),
        by=world.bob,
    )
    rungs = list(ladder(Council.objects.get()))
    escalation = escalate(
        world.recycling,
        EscalationEntry(to_forum=rungs[1], from_forum=rungs[0], reason="Still near target"),
        by=world.alice,
    )
    pip = Recommendation.objects.get(indicator=world.recycling, rule__code="improvement-plan")
    return risk, rungs, escalation, pip


def _visit(browser, live_server, sign_in_as, check_axe, user, paths) -> None:
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    sign_in_as(page, live_server, user)
    for path in paths:
        response = page.goto(f"{live_server.url}{path}")
        assert response.status == 200, path
        expect(page.locator("h1")).to_be_visible()
        check_axe(page)
    page.context.close()


def test_every_interventions_page_passes_axe_for_each_role_that_may_see_it(
    browser, live_server, world, sign_in_as, check_axe
):
    risk, rungs, escalation, pip = _records(world)
    everyone = [
        "/interventions/",
        "/interventions/ladder/",
        f"/interventions/escalations/{escalation.pk}/",
        "/indicators/ENV1/",
    ]
    alice = [
        *everyone,
        "/interventions/queue/",
        f"/interventions/recommendations/{pip.pk}/",
        f"/interventions/recommendations/{pip.pk}/accept/",
        f"/interventions/recommendations/{pip.pk}/dismiss/",
        "/interventions/trigger-rules/",
        "/interventions/trigger-rules/recognition/",
        "/interventions/indicators/ENV1/known-risks/new/",
        f"/interventions/known-risks/{risk.pk}/withdraw/",
        "/interventions/ladder/new/",
        f"/interventions/ladder/{rungs[0].pk}/",
        f"/interventions/ladder/{rungs[0].pk}/retire/",
        "/interventions/indicators/ENV1/escalate/",
        f"/interventions/escalations/{escalation.pk}/decision/",
    ]
    bob = [
        *everyone,
        f"/interventions/recommendations/{pip.pk}/",
        "/interventions/indicators/ENV1/known-risks/new/",
        f"/interventions/known-risks/{risk.pk}/withdraw/",
    ]
    charlie = [
        *everyone,
        f"/interventions/recommendations/{pip.pk}/",
        "/interventions/indicators/ENV1/escalate/",
    ]
    fay = [*everyone, "/interventions/trigger-rules/"]
    for user, paths in (
        (world.alice, alice),
        (world.bob, bob),
        (world.charlie, charlie),
        (world.dana, everyone),
        (world.ed, everyone),
        (world.fay, fay),
    ):
        _visit(browser, live_server, sign_in_as, check_axe, user, paths)


def test_alice_dismisses_a_recommendation_with_a_reason_that_is_shown_when_it_fires_again(
    page, live_server, world, sign_in_as, check_axe
):
    sign_in_as(page, live_server, world.alice)
    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="Interventions").first.click()
    expect(page.locator("h1")).to_have_text("Interventions")
    page.get_by_role("link", name="Go to the recommendation queue").click()
    check_axe(page)
    page.get_by_role("link", name="Dismiss Performance Improvement Plan for ENV1").click()
    page.get_by_role("button", name="Dismiss recommendation").click()
    expect(page).to_have_title(re.compile("^Error: "))
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the reason")
    check_axe(page)
    reason = "Cause understood: the garden waste season ended early"
    page.get_by_label("Why is no intervention needed?").fill(reason)
    page.get_by_role("button", name="Dismiss recommendation").click()
    expect(page.get_by_role("alert")).to_contain_text("Recommendation dismissed for ENV1")
    expect(page.locator("table").last).to_contain_text("Dismissed")

    # The episode clears; later the rule fires again for the same indicator.
    old = Recommendation.objects.get(indicator=world.recycling, rule__code="improvement-plan")
    old.state, old.resolved_period = "resolved", "2025-08"
    old.save()
    Recommendation.objects.create(
        indicator=world.recycling,
        rule=old.rule,
        state="firing",
        since_period="2025-10",
        since_period_start="2025-10-01",
        last_period="2025-10",
        evidence=["2025-10: off target (41.0% against a target of 50.0%)."],
    )
    page.goto(f"{live_server.url}/interventions/queue/")
    expect(page.locator("table").first).to_contain_text(reason)
    check_axe(page)


def test_bob_records_a_known_risk_and_alice_accepts_the_managerial_clinic_it_raises(
    browser, live_server, world, sign_in_as, check_axe
):
    bob = browser.new_context().new_page()
    sign_in_as(bob, live_server, world.bob)
    # CMP1 (complaints upheld) is on target: only a known risk can make it a concern.
    bob.goto(f"{live_server.url}/indicators/CMP1/")
    bob.get_by_role("link", name="Record a known event or risk").click()
    check_axe(bob)
    bob.get_by_label("What is the event or risk?").fill("A new complaints policy starts")
    bob.get_by_label("What effect do you expect on performance?").fill("More complaints upheld")
    bob.get_by_role("button", name="Record event or risk").click()
    expect(bob.locator(".govuk-error-summary")).to_contain_text("Enter the date by when")
    check_axe(bob)
    bob.get_by_label("Day").fill("31")
    bob.get_by_label("Month").fill("3")
    bob.get_by_label("Year").fill("2026")
    bob.get_by_role("button", name="Record event or risk").click()
    expect(bob.get_by_role("alert")).to_contain_text("Known event or risk recorded")
    expect(bob.locator("#interventions-heading")).to_be_visible()
    expect(bob.locator("section[aria-labelledby=interventions-heading]")).to_contain_text(
        "A new complaints policy starts"
    )
    check_axe(bob)
    assert KnownRisk.objects.filter(indicator=world.complaints, recorded_by=world.bob).exists()

    alice = browser.new_context().new_page()
    sign_in_as(alice, live_server, world.alice)
    alice.goto(f"{live_server.url}/interventions/queue/")
    alice.get_by_role("link", name="Accept Managerial performance clinic for CMP1").click()
    check_axe(alice)
    expect(alice.get_by_label("A managerial performance clinic")).to_be_checked()
    alice.get_by_role("button", name="Accept and open").click()
    expect(alice.get_by_role("alert")).to_contain_text("Recommendation accepted")
    rec = Recommendation.objects.get(indicator=world.complaints, rule__code="managerial-clinic")
    clinic = rec.clinics.get()
    assert alice.url.endswith(clinic.get_absolute_url())


def test_alice_changes_a_trigger_rule_and_escalates_an_indicator_up_the_ladder(
    page, live_server, world, sign_in_as, check_axe
):
    sign_in_as(page, live_server, world.alice)
    page.goto(f"{live_server.url}/interventions/trigger-rules/")
    page.get_by_role("link", name="Change Recognition of good performance").click()
    page.get_by_label("Threshold (%)").fill("lots")
    page.get_by_role("button", name="Save and re-evaluate").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Threshold must be a number")
    check_axe(page)
    page.get_by_label("Threshold (%)").fill("15")
    page.get_by_label("Why are you changing the rule?").fill("Only exceptional performance")
    page.get_by_role("button", name="Save and re-evaluate").click()
    expect(page.get_by_role("alert")).to_contain_text("changed and every indicator re-evaluated")
    expect(page.locator("main")).to_contain_text("15%")

    page.goto(f"{live_server.url}/indicators/ENV1/")
    page.get_by_role("link", name="Escalate to the next forum").click()
    expect(page.get_by_label("Escalated to")).to_have_value(
        str(ladder(Council.objects.get()).first().pk)
    )
    page.get_by_label("Why are you escalating?").fill("Near target for three months running")
    page.get_by_role("button", name="Escalate").click()
    expect(page.get_by_role("alert")).to_contain_text(
        "ENV1 escalated to Performance & Intelligence Group"
    )
    check_axe(page)
    page.get_by_role("button", name="Record the decision").click()
    page.get_by_label("What did the forum decide?").fill("Ask the service for a recovery plan")
    page.get_by_label("Day").fill("1")
    page.get_by_label("Month").fill("11")
    page.get_by_label("Year").fill("2025")
    page.get_by_label("Meeting and minute number (optional)").fill("P&I Group, item 4")
    page.get_by_role("button", name="Save decision").click()
    expect(page.get_by_role("alert")).to_contain_text(
        "Decision of Performance & Intelligence Group"
    )
    assert Escalation.objects.get().decision == "Ask the service for a recovery plan"

    page.goto(f"{live_server.url}/indicators/ENV1/")
    history = page.locator("section[aria-labelledby=interventions-heading]")
    expect(history).to_contain_text("Ask the service for a recovery plan")
    expect(history).to_contain_text("Near target for three months running")
