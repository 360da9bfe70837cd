"""The plan and scrutiny pages through the test client: forms, error messages, what is shown."""

from __future__ import annotations

import datetime
import re

import pytest

from goldthread.committees.models import Committee, CommitteeKind
from goldthread.improvement import services
from goldthread.improvement.models import (
    Factor,
    ImprovementPlan,
    PlanStatus,
    ScrutinyRecommendation,
)

pytestmark = pytest.mark.django_db


def _date(prefix: str, value: datetime.date) -> dict:
    return {
        f"{prefix}_day": value.day,
        f"{prefix}_month": value.month,
        f"{prefix}_year": value.year,
    }


@pytest.fixture
def plan(world) -> ImprovementPlan:
    return services.start_plan(world.recycling, by=world.bob)


def test_bob_starts_a_plan_from_the_form_and_lands_on_it(world, login):
    client = login(world.bob)

    response = client.post("/improvement-plans/new/", {"indicator": "ENV1"})

    found = ImprovementPlan.objects.get()
    assert response["Location"] == f"/improvement-plans/{found.pk}/"
    page = client.get(response["Location"]).content.decode()
    assert "Section 1 Performance indicator details" in page
    assert "Section 6 Progress tracking" in page
    assert "Agreed by cabinet" in page


def test_the_plan_page_names_its_author_once(world, login, plan):
    page = login(world.alice).get(f"/improvement-plans/{plan.pk}/").content.decode()

    # The document under the page's summary already says who wrote it and when.
    assert len(re.findall(r"summary-list__key\">\s*Author\s*<", page)) == 1
    assert len(re.findall(rf">\s*{world.bob}\s*<", page)) == 1
    assert '<th scope="row" class="govuk-table__header">Last year end score</th>' in page


def test_a_missing_answer_is_named_in_the_error_summary(world, login, plan):
    client = login(world.bob)

    response = client.post(f"/improvement-plans/{plan.pk}/factors/new/", {"kind": "external"})

    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert "Select whether the factor is temporary or long term" in page
    assert "Enter a description of the factor" in page
    assert Factor.objects.count() == 0


def test_a_date_that_does_not_exist_is_refused_by_name(world, login, plan):
    factor = services.add_factor(
        plan, services.FactorInput("external", "temporary", "Snow"), by=world.bob
    )
    client = login(world.bob)

    response = client.post(
        f"/improvement-plans/{plan.pk}/solutions/new/",
        {
            "description": "Gritting",
            "factors": [str(factor.pk)],
            "resourcing": "within_service",
            "target_date_day": "31",
            "target_date_month": "2",
            "target_date_year": "2026",
        },
    )

    assert "The target date must be a real date" in response.content.decode()


def test_validating_an_incomplete_plan_says_what_is_missing(world, login, plan):
    client = login(world.alice)

    response = client.post(f"/improvement-plans/{plan.pk}/validate/", follow=True)

    page = response.content.decode()
    assert "Add at least one external or internal factor" in page
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT


def test_a_committee_decision_form_needs_the_new_target_to_amend_it(world, login, plan):
    factor = services.add_factor(
        plan, services.FactorInput("external", "temporary", "Snow"), by=world.bob
    )
    solution = services.SolutionInput(
        "Grit", datetime.date(2026, 1, 1), "within_service", {factor.pk}
    )
    services.add_solution(plan, solution, by=world.bob)
    services.validate(plan, by=world.alice)
    audit = Committee.objects.create(
        code="ap", name="A and P", kind=CommitteeKind.AUDIT_PERFORMANCE
    )
    policy = Committee.objects.create(code="env", name="Environment", kind=CommitteeKind.POLICY)
    referral = services.refer(
        plan, services.ReferralInput(audit, policy, datetime.date(2025, 9, 1), "x"), by=world.alice
    )
    client = login(world.alice)

    response = client.post(
        f"/improvement-plans/{plan.pk}/referrals/{referral.pk}/decision/",
        {"decision": "amend_target", "target_year": "2025", "notes": "Lower it"}
        | _date("decided_on", datetime.date(2025, 9, 24)),
    )

    page = response.content.decode()
    assert "Enter the minute number that amends the target" in page
    assert "Enter the new annual target the committee agreed" in page


def test_the_turn_the_curve_page_shows_the_baseline_chart_and_its_table(world, login, plan):
    page = login(world.bob).get(f"/improvement-plans/{plan.pk}/turn-the-curve/").content.decode()

    assert '<svg class="gt-chart"' in page
    assert "July 2025" in page
    assert "The story behind the baseline" in page


def test_ed_records_a_recommendation_and_the_public_sees_it_once_published(world, login):
    client = login(world.ed)
    response = client.post(
        "/scrutiny-recommendations/new/",
        {
            "committee": str(world.committee.pk),
            "source_kind": "spotlight",
            "review_title": "Spotlight review of recycling",
            "text": "Publish the collection calendar",
            "addressed_to": "cabinet",
            "addressee": "Cabinet Member for Environment",
        }
        | _date("made_on", datetime.date(2025, 9, 1)),
    )
    found = ScrutinyRecommendation.objects.get()
    assert response["Location"] == f"/scrutiny-recommendations/{found.pk}/"
    assert found.review_due == datetime.date(2026, 3, 1)

    assert login(None).get(f"/scrutiny-recommendations/{found.pk}/").status_code == 404
    client = login(world.ed)
    client.post(
        f"/scrutiny-recommendations/{found.pk}/review/",
        {"findings": "Done and working", "publish": "on"}
        | _date("reviewed_on", datetime.date(2026, 3, 2)),
    )
    public = login(None).get("/scrutiny-recommendations/").content.decode()
    assert "Spotlight review of recycling" in public


def test_the_six_month_review_shows_as_due(world, login):
    ScrutinyRecommendation.objects.create(
        committee=world.committee,
        source_kind="spotlight",
        review_title="Old review",
        text="x",
        addressed_to="officers",
        addressee="Director",
        made_on=datetime.date(2024, 1, 1),
        review_due=datetime.date(2024, 7, 1),
        recorded_by=world.alice,
    )

    page = login(world.alice).get("/scrutiny-recommendations/").content.decode()

    assert "Review due" in page


def test_the_data_owner_who_wrote_the_plan_cannot_sign_it_off(world, login, plan):
    response = login(world.bob).post(f"/improvement-plans/{plan.pk}/validate/")

    assert response.status_code == 403
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT


def test_members_see_a_plan_only_once_it_is_validated(world, login, plan):
    assert login(world.ed).get(f"/improvement-plans/{plan.pk}/").status_code == 404
    factor = services.add_factor(
        plan, services.FactorInput("external", "temporary", "Snow"), by=world.bob
    )
    services.add_solution(
        plan,
        services.SolutionInput("Grit", datetime.date(2026, 1, 1), "within_service", {factor.pk}),
        by=world.bob,
    )
    services.validate(plan, by=world.charlie)

    page = login(world.ed).get(f"/improvement-plans/{plan.pk}/").content.decode()
    assert "Validated and in progress" in page
    assert "Add a factor" not in page


def test_the_forecast_is_drawn_only_when_it_is_on_the_scale_of_the_periods(world, plan):
    from goldthread.improvement import curve

    latest = world.recycling.judgements.order_by("-period_start").first()
    assert latest.forecast_value is not None
    averaged = curve.build(world.bob, plan)
    world.recycling.aggregation = "sum"
    world.recycling.save()
    plan.refresh_from_db()

    summed = curve.build(world.bob, plan)

    assert averaged.forecast_in_chart and 'stroke-dasharray="2 4"' in averaged.chart
    assert not summed.forecast_in_chart and 'stroke-dasharray="2 4"' not in summed.chart
    assert summed.rows[-1].label == "Year end 2025/26"
