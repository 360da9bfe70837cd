"""Performance Improvement Plans and scrutiny recommendations in a real browser, every page
checked with axe: a plan opened from the recommendation queue, written, validated, referred,
its target amended by the policy committee and the new target judged from the next period;
a scrutiny recommendation made, answered, actioned, reviewed and published."""

from __future__ import annotations

import datetime
import re

import pytest
from playwright.sync_api import expect

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.filterwarnings("ignore:No directory at"),
]


@pytest.fixture
def committees(world):
    from goldthread.committees.models import Committee, CommitteeKind, Meeting

    audit = Committee.objects.create(
        code="ap", name="Audit and Performance Committee", kind=CommitteeKind.AUDIT_PERFORMANCE
    )
    policy = Committee.objects.create(
        code="env", name="Environment Committee", kind=CommitteeKind.POLICY
    )
    Meeting.objects.create(committee=policy, date=datetime.date(2025, 9, 24))
    return audit, policy


def _fill_date(page, when: datetime.date) -> None:
    page.get_by_label("Day", exact=True).fill(str(when.day))
    page.get_by_label("Month", exact=True).fill(str(when.month))
    page.get_by_label("Year", exact=True).fill(str(when.year))


def _save(page, button: str = "Save") -> None:
    page.get_by_role("button", name=button).click()


def _add_factor(page, check_axe, kind: str, duration: str, text: str) -> None:
    page.get_by_role("link", name="Add a factor").click()
    check_axe(page)
    page.get_by_label(re.compile(kind)).check()
    page.get_by_label(duration, exact=True).check()
    page.get_by_label("Describe the factor").fill(text)
    _save(page)
    expect(page.get_by_role("alert")).to_contain_text("Factor added")


@pytest.fixture
def recommendation(world):
    """The queue's recommendation of a plan for ENV1 (the trigger engine's own tests show when
    it fires; here it is the start of the journey)."""
    from goldthread.interventions.models import AlertState, Recommendation, TriggerRule

    # Transactional tests empty the tables between tests, rules loaded by migration too.
    rule = TriggerRule.objects.filter(kind="improvement_plan").first()
    if rule is None:
        rule = TriggerRule.objects.create(
            code="improvement-plan", kind="improvement_plan", name="PIP", wording="Below target"
        )
    # Publishing may already have raised it; either way it is firing and awaiting a decision.
    found, _ = Recommendation.objects.update_or_create(
        indicator=world.recycling,
        rule=rule,
        defaults={
            "state": AlertState.FIRING,
            "decision": "awaiting",
            "since_period": "2025-06",
            "since_period_start": datetime.date(2025, 6, 1),
            "firing_period": "2025-07",
            "last_period": "2025-07",
            "evidence": ["Below target in June and July 2025 and forecast to miss the year end."],
        },
    )
    return found


def _alice_accepts_the_recommendation(alice, live_server, recommendation, check_axe) -> str:
    alice.goto(f"{live_server.url}/interventions/recommendations/{recommendation.pk}/accept/")
    check_axe(alice)
    alice.get_by_label("A Performance Improvement Plan").check()
    alice.get_by_role("button", name="Accept and open").click()
    expect(alice.get_by_role("alert")).to_contain_text("Recommendation accepted")
    expect(alice.locator("article.gt-document")).to_contain_text("Agreed by cabinet")
    expect(alice.locator("article.gt-document")).to_contain_text("forecast to miss the year end")
    check_axe(alice)
    return alice.url


def _bob_writes_the_plan(bob, live_server, plan_url, check_axe) -> None:
    bob.goto(f"{live_server.url}/improvement-plans/")
    check_axe(bob)
    bob.get_by_role("link", name=re.compile("Plan ")).click()
    expect(bob).to_have_url(plan_url)
    expect(bob.locator("article.gt-document")).to_contain_text("Author")
    expect(bob.locator("article.gt-document")).to_contain_text("Bob Tester")
    _add_factor(bob, check_axe, "External", "Temporary", "The garden waste season ended early")
    _add_factor(bob, check_axe, "Internal", "Long term", "Two driver posts cannot be filled")
    bob.get_by_role("link", name="Add a solution").click()
    check_axe(bob)
    bob.get_by_label("Describe the solution").fill("Extend the garden waste round into October")
    bob.get_by_label(re.compile("E1: ")).check()
    bob.get_by_label("From within the service").check()
    _fill_date(bob, datetime.date(2026, 3, 31))
    _save(bob)
    expect(bob.get_by_role("alert")).to_contain_text("Solution added")


def _alice_validates(alice, bob, plan_url, check_axe) -> None:
    alice.goto(plan_url)
    check_axe(alice)
    _save(alice, "Validate the plan")
    expect(alice.locator(".govuk-notification-banner")).to_contain_text(
        "No solution addresses “Two driver posts cannot be filled”"
    )
    bob.goto(plan_url)
    bob.get_by_role("link", name="Change solution 1").click()
    check_axe(bob)
    bob.get_by_label(re.compile("I1: ")).check()
    _save(bob)
    alice.goto(plan_url)
    _save(alice, "Validate the plan")
    expect(alice.get_by_role("alert")).to_contain_text("Plan validated")
    check_axe(alice)


def _bob_adds_a_management_comment(bob, plan_url, check_axe) -> None:
    bob.goto(plan_url)
    bob.get_by_role("link", name=re.compile("Add a comment from the head of service")).click()
    check_axe(bob)
    bob.get_by_label("CMT (corporate management team)").check()
    bob.get_by_label("Name and role of the person who made it").fill("Chief Executive")
    bob.get_by_label("Comment", exact=True).fill("Supports extending the round.")
    bob.get_by_label("Or the officer meeting").fill("Corporate Management Team")
    _fill_date(bob, datetime.date(2025, 9, 2))
    _save(bob)
    expect(bob.locator("article.gt-document")).to_contain_text(
        "Supports extending the round. "
        "(Chief Executive; Corporate Management Team, 2 September 2025)"
    )


def _alice_refers_and_records_the_amendment(alice, plan_url, check_axe) -> None:
    alice.goto(plan_url)
    alice.get_by_role("button", name="Refer to a policy committee").click()
    check_axe(alice)
    alice.get_by_label("Referred by").select_option(label="Audit and Performance Committee")
    alice.get_by_label("Minute number").fill("A&P 12")
    alice.get_by_label("Referred to").select_option(label="Environment Committee")
    alice.get_by_label("Why is it referred?").fill("Not achievable with current crews")
    _fill_date(alice, datetime.date(2025, 9, 10))
    _save(alice, "Record the referral")
    expect(alice.get_by_role("alert")).to_contain_text("Referral recorded")
    alice.get_by_role("button", name="Record the decision of Environment Committee").click()
    check_axe(alice)
    alice.get_by_label("Amend the target to a level achievable now").check()
    _fill_date(alice, datetime.date(2025, 9, 24))
    _save(alice, "Record the decision")
    expect(alice.locator(".govuk-error-summary")).to_contain_text(
        "Enter the minute number that amends the target"
    )
    check_axe(alice)
    alice.get_by_label("Minute number").fill("ENV 31")
    alice.get_by_label("Financial year of the target").select_option(label="2025/26")
    alice.get_by_label("New annual target").fill("45")
    alice.get_by_label("Details of the decision").fill("45% is achievable this year.")
    _save(alice, "Record the decision")
    expect(alice.get_by_role("alert")).to_contain_text("Decision recorded")
    expect(alice.locator("article.gt-document")).to_contain_text(
        "New 2025/26 target: 45.0% (version 2)"
    )
    check_axe(alice)


def test_a_plan_is_accepted_written_validated_referred_and_its_new_target_judges_next_period(
    browser, live_server, world, committees, recommendation, sign_in_as, check_axe
):
    from goldthread.indicators.models import Judgement, ValueState
    from goldthread.indicators.services.judging import rejudge

    bob = browser.new_context().new_page()
    sign_in_as(bob, live_server, world.bob)
    alice = browser.new_context().new_page()
    sign_in_as(alice, live_server, world.alice)

    plan_url = _alice_accepts_the_recommendation(alice, live_server, recommendation, check_axe)
    _bob_writes_the_plan(bob, live_server, plan_url, check_axe)
    _alice_validates(alice, bob, plan_url, check_axe)
    _bob_adds_a_management_comment(bob, plan_url, check_axe)
    _alice_refers_and_records_the_amendment(alice, plan_url, check_axe)

    # The next period's figure is approved after the decision and is judged on the new target;
    # the published periods keep the target they were published with.
    world.recycling.values.filter(period="2025-08").update(value=46.0, state=ValueState.APPROVED)
    rejudge([world.recycling])
    august = Judgement.objects.get(indicator=world.recycling, period="2025-08")
    june = Judgement.objects.get(indicator=world.recycling, period="2025-06")
    assert (august.target, august.target_version.version, august.rag) == (45.0, 2, "green")
    assert june.target_version.version == 1
    alice.goto(f"{live_server.url}/indicators/ENV1/")
    expect(alice.locator("body")).to_contain_text("Environment Committee, 24 September 2025")


def test_turn_the_curve_and_progress_pages_pass_axe(
    browser, live_server, world, sign_in_as, check_axe
):
    from goldthread.improvement import services

    plan = services.start_plan(world.recycling, by=world.bob)
    factor = services.add_factor(
        plan, services.FactorInput("external", "temporary", "Snow"), by=world.bob
    )
    services.add_solution(
        plan,
        services.SolutionInput("Grit", datetime.date(2026, 1, 31), "within_service", {factor.pk}),
        by=world.bob,
    )
    services.validate(plan, by=world.alice)
    bob = browser.new_context().new_page()
    sign_in_as(bob, live_server, world.bob)
    base = f"{live_server.url}/improvement-plans/{plan.pk}/"

    bob.goto(base + "turn-the-curve/")
    check_axe(bob)
    bob.get_by_role("link", name="Change the story, partners and what works").click()
    check_axe(bob)
    bob.get_by_label("The story behind the baseline").fill("Garden waste fell away early.")
    _save(bob)
    expect(bob.locator("body")).to_contain_text("Garden waste fell away early.")
    bob.goto(base)
    bob.get_by_role("button", name="Record progress").click()
    check_axe(bob)
    bob.get_by_label("Which period is this update for?").select_option("2025-08")
    bob.get_by_label("Progress", exact=True).fill("Gritting contract signed.")
    _save(bob)
    expect(bob.locator("article.gt-document")).to_contain_text(
        "August 2025: Gritting contract signed."
    )
    for path in ("factors/new/", "solutions/new/", "comments/", "management-comments/new/"):
        bob.goto(base + path)
        check_axe(bob)
    for user in (world.dana, world.ed):
        member = browser.new_context().new_page()
        sign_in_as(member, live_server, user)
        member.goto(base)
        check_axe(member)
        expect(member.get_by_role("link", name="Add a factor")).to_have_count(0)


def test_a_scrutiny_recommendation_is_made_answered_reviewed_and_published(
    browser, live_server, world, sign_in_as, check_axe
):
    ed = browser.new_context().new_page()
    sign_in_as(ed, live_server, world.ed)
    ed.goto(f"{live_server.url}/scrutiny-recommendations/")
    check_axe(ed)
    ed.get_by_role("button", name="Record a recommendation").click()
    check_axe(ed)
    ed.get_by_label("Committee", exact=True).select_option(label="Overview and Scrutiny")
    ed.get_by_label("Spotlight review").check()
    ed.get_by_label("Name of the review or event").fill("Spotlight review of recycling")
    ed.get_by_label("Recommendation", exact=True).fill("Publish the collection calendar")
    ed.get_by_label("Cabinet", exact=True).check()
    ed.get_by_label("Name and role").fill("Cabinet Member for Environment")
    _fill_date(ed, datetime.date(2025, 9, 1))
    _save(ed)
    expect(ed.get_by_role("alert")).to_contain_text("Recommendation recorded")
    check_axe(ed)
    url = ed.url

    dana = browser.new_context().new_page()
    sign_in_as(dana, live_server, world.dana)
    dana.goto(url)
    dana.get_by_role("link", name="Record the response").click()
    check_axe(dana)
    dana.get_by_label("Accepted", exact=True).check()
    dana.get_by_label("Response", exact=True).fill("We will publish it in October.")
    _fill_date(dana, datetime.date(2025, 9, 20))
    _save(dana)
    dana.get_by_role("link", name="Add an action").click()
    check_axe(dana)
    dana.get_by_label("Action", exact=True).fill("Print and post the calendar")
    dana.get_by_label("Who will do it").fill("Waste team")
    _fill_date(dana, datetime.date(2025, 10, 31))
    _save(dana)
    expect(dana.locator("body")).to_contain_text("The review is due on 20 March 2026")

    ed.goto(url)
    ed.get_by_role("link", name="Record the review").click()
    check_axe(ed)
    ed.get_by_label("What did the review find?").fill("Calendar published; missed bins down.")
    ed.get_by_label(re.compile("Publish the recommendation")).check()
    _save(ed)
    expect(ed.get_by_role("alert")).to_contain_text("Review recorded")

    public = browser.new_context().new_page()
    public.goto(f"{live_server.url}/scrutiny-recommendations/")
    check_axe(public)
    public.get_by_role("link", name="Spotlight review of recycling").click()
    expect(public.locator("body")).to_contain_text("Calendar published; missed bins down.")
    check_axe(public)
