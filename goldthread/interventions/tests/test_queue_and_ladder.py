"""The queue (accept and dismiss), trigger rule settings, known risks and the escalation ladder."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from goldthread.audit.models import AuditEvent
from goldthread.interventions import services
from goldthread.interventions.models import (
    AlertState,
    Decision,
    Escalation,
    Forum,
    KnownRisk,
    Recommendation,
    TriggerRule,
)
from goldthread.structure.models import Council

pytestmark = pytest.mark.django_db


@pytest.fixture
def pip(world) -> Recommendation:
    """ENV1's improvement plan recommendation, raised when the world's figures were published."""
    return Recommendation.objects.get(indicator=world.recycling, rule__code="improvement-plan")


def _body(response) -> str:
    return response.content.decode()


# --- the queue -----------------------------------------------------------------------------


def test_the_queue_lists_firing_recommendations_with_their_evidence(world, login, pip):
    body = _body(login(world.alice).get("/interventions/queue/"))

    assert "Household waste recycled" in body
    assert "Performance Improvement Plan" in body
    assert "2025-06: near target (48.0% against a target of 50.0%)." in body
    assert f"/interventions/recommendations/{pip.pk}/accept/" in body


def test_the_queue_can_be_narrowed_to_one_rule_with_counts_for_each(world, login, pip):
    client = login(world.alice)

    only_recognition = _body(client.get("/interventions/queue/?rule=recognition"))
    only_plans = _body(client.get("/interventions/queue/?rule=improvement-plan"))

    assert "No recommendations are awaiting a decision." in only_recognition
    assert 'href="/interventions/queue/?rule=improvement-plan">Performance Improvement Plan (' in (
        only_recognition
    )
    assert f"/interventions/recommendations/{pip.pk}/accept/" in only_plans


def test_dismissing_needs_a_reason_and_says_so_by_the_field(world, login, pip):
    response = login(world.alice).post(f"/interventions/recommendations/{pip.pk}/dismiss/", {})

    body = _body(response)
    assert response.status_code == 200
    assert "There is a problem" in body
    assert 'href="#id_reason"' in body
    assert "Enter the reason" in body
    pip.refresh_from_db()
    assert pip.decision == Decision.AWAITING


def test_a_dismissal_reason_is_kept_and_shown_when_the_rule_fires_again(world, login, pip):
    reason = "Cause understood: the garden waste season ended early"
    login(world.alice).post(f"/interventions/recommendations/{pip.pk}/dismiss/", {"reason": reason})
    pip.refresh_from_db()
    assert (pip.decision, pip.decision_reason, pip.decided_by) == ("dismissed", reason, world.alice)
    # The episode ends, and later the rule fires again for the same indicator.
    pip.state, pip.resolved_period = AlertState.RESOLVED, "2025-08"
    pip.save()
    again = Recommendation.objects.create(
        indicator=world.recycling,
        rule=pip.rule,
        state=AlertState.FIRING,
        since_period="2025-10",
        since_period_start="2025-10-01",
        last_period="2025-10",
        evidence=["2025-10: off target."],
    )

    queue_page = _body(login(world.alice).get("/interventions/queue/"))
    detail = _body(login(world.alice).get(f"/interventions/recommendations/{again.pk}/"))

    assert reason in queue_page
    assert "Dismissed before" in detail
    assert reason in detail
    assert AuditEvent.objects.filter(verb="recommendation_dismissed", reason=reason).exists()


def test_accepting_an_improvement_plan_recommendation_opens_a_prefilled_plan(world, login, pip):
    response = login(world.alice).post(
        f"/interventions/recommendations/{pip.pk}/accept/", {"opens": "plan", "note": "Agreed"}
    )

    pip.refresh_from_db()
    plan = pip.improvement_plans.get()
    assert response.status_code == 302
    assert response["Location"] == plan.get_absolute_url()
    assert plan.indicator == world.recycling
    assert (pip.decision, pip.decided_by, pip.decision_reason) == (
        "accepted",
        world.alice,
        "Agreed",
    )
    assert AuditEvent.objects.filter(verb="recommendation_accepted").exists()


def test_accepting_a_managerial_clinic_recommendation_opens_a_prefilled_clinic(world, pip):
    clinic = services.accept(pip, by=world.alice, opens=services.Opens.MANAGERIAL)

    assert clinic.recommendation == pip
    assert list(clinic.indicators.all()) == [world.recycling]
    assert clinic.kind == "managerial"


def test_accepting_without_opening_anything_records_the_decision_only(world, pip):
    assert services.accept(pip, by=world.alice, opens=services.Opens.NOTHING) is None

    pip.refresh_from_db()
    assert pip.decision == Decision.ACCEPTED


def test_a_recommendation_cannot_be_decided_twice(world, pip):
    services.dismiss(pip, by=world.alice, reason="Understood")

    with pytest.raises(services.InterventionError, match="already dismissed"):
        services.accept(pip, by=world.alice, opens=services.Opens.PLAN)


def test_accepting_offers_what_the_rule_calls_for_first(world, login, pip):
    body = _body(login(world.alice).get(f"/interventions/recommendations/{pip.pk}/accept/"))

    assert 'value="plan" checked' in body


def test_the_data_owner_may_read_but_not_decide(world, login, pip):
    client = login(world.bob)

    assert client.get(f"/interventions/recommendations/{pip.pk}/").status_code == 200
    assert (
        client.post(
            f"/interventions/recommendations/{pip.pk}/dismiss/", {"reason": "x"}
        ).status_code
        == 403
    )


# --- the hub and the indicator page --------------------------------------------------------


def test_the_hub_counts_the_queue_for_the_performance_officer(world, login, pip):
    body = _body(login(world.alice).get("/interventions/"))

    assert "recommendation awaiting a decision" in body or "recommendations awaiting" in body
    assert "/interventions/queue/" in body


def test_the_hub_lists_indicators_performing_particularly_well_to_those_who_may_see_them(
    world, login
):
    rule = TriggerRule.objects.get(code="recognition")
    for indicator in (world.recycling, world.rent):
        Recommendation.objects.create(
            indicator=indicator,
            rule=rule,
            state=AlertState.FIRING,
            since_period="2025-06",
            since_period_start="2025-06-01",
            last_period="2025-06",
        )

    ed = _body(login(world.ed).get("/interventions/"))

    assert "ENV1 Household waste recycled" in ed
    assert "HSG1" not in ed  # outside Ed's committee's scope


def test_the_hub_does_not_show_the_queue_to_members(world, login, pip):
    body = _body(login(world.ed).get("/interventions/"))

    assert "/interventions/queue/" not in body
    assert "Escalation ladder" in body or "escalation ladder" in body


def test_the_indicator_page_shows_recommendations_to_officers_but_not_the_public(world, login, pip):
    officer = _body(login(world.bob).get("/indicators/ENV1/"))
    public = _body(login(None).get("/indicators/ENV1/"))

    assert 'id="interventions-heading"' in officer
    assert f"/interventions/recommendations/{pip.pk}/" in officer
    assert "Record a known event or risk" in officer
    assert 'id="interventions-heading"' not in public


# --- trigger rule settings -----------------------------------------------------------------


def test_the_rules_page_shows_each_rule_in_the_seeds_words(world, login):
    body = _body(login(world.alice).get("/interventions/trigger-rules/"))

    assert "Below target now and forecast to miss the year-end target" in body
    assert "Red for two quarters with no sign of improvement" in body
    assert "After it has held for 2 quarters" in body


def test_a_rule_form_with_bad_numbers_names_each_field(world, login):
    response = login(world.alice).post(
        "/interventions/trigger-rules/recognition/",
        {"threshold": "lots", "for_periods": "0", "recovery_periods": "", "period_unit": "period"},
    )

    body = _body(response)
    assert response.status_code == 200
    assert "Threshold must be a number, like 10 or 12.5" in body
    assert "Periods before it fires must be at least 1" in body
    assert "Enter periods before it clears" in body
    assert "Choose whether the rule is switched on" in body
    assert "Enter why you are changing the rule" in body


def test_a_rule_form_saves_and_keeps_the_reason(world, login):
    response = login(world.alice).post(
        "/interventions/trigger-rules/recognition/",
        {
            "threshold": "15",
            "for_periods": "3",
            "recovery_periods": "1",
            "period_unit": "period",
            "is_active": "yes",
            "reason": "Only exceptional performance",
        },
    )

    rule = TriggerRule.objects.get(code="recognition")
    assert response.status_code == 302
    assert (rule.threshold, rule.for_periods, rule.updated_by) == (15.0, 3, world.alice)


# --- known events and risks ----------------------------------------------------------------


def test_the_owner_records_a_known_risk_and_a_missing_date_is_named(world, login):
    client = login(world.bob)
    bad = client.post(
        "/interventions/indicators/ENV1/known-risks/new/",
        {
            "description": "Depot refit",
            "expected_effect": "Lower for a quarter",
            "forecast_to_miss": "yes",
            "source": "owner",
        },
    )
    assert "Enter the date by when the effect is expected" in _body(bad)
    assert 'href="#expected_by-day"' in _body(bad)

    good = client.post(
        "/interventions/indicators/ENV1/known-risks/new/",
        {
            "description": "Depot refit",
            "expected_effect": "Lower for a quarter",
            "expected_by-day": "31",
            "expected_by-month": "1",
            "expected_by-year": "2026",
            "forecast_to_miss": "yes",
            "source": "owner",
        },
    )

    risk = KnownRisk.objects.get(indicator=world.recycling)
    assert good.status_code == 302
    assert (risk.recorded_by, risk.expected_by.isoformat()) == (world.bob, "2026-01-31")
    assert "Depot refit" in _body(client.get("/indicators/ENV1/"))


def test_a_linked_risk_needs_its_register_reference(world, login):
    response = login(world.alice).post(
        "/interventions/indicators/ENV1/known-risks/new/",
        {
            "description": "Contract ends",
            "expected_effect": "Lower",
            "expected_by-day": "40",
            "expected_by-month": "1",
            "expected_by-year": "2026",
            "forecast_to_miss": "yes",
            "source": "linked_risk",
        },
    )

    body = _body(response)
    assert "Enter the risk register reference of the risk" in body
    assert "must be a real date" in body


def test_withdrawing_a_known_risk_keeps_it_with_the_reason(world, login):
    entry = services.RiskEntry("Depot refit", "Lower", timezone.localdate())
    risk = services.record_known_risk(world.recycling, entry, by=world.bob)

    login(world.bob).post(
        f"/interventions/known-risks/{risk.pk}/withdraw/", {"reason": "Refit cancelled"}
    )

    risk.refresh_from_db()
    assert risk.withdrawn_reason == "Refit cancelled"
    assert risk.withdrawn_by == world.bob
    assert KnownRisk.objects.filter(pk=risk.pk).exists()


# --- the ladder and escalations ------------------------------------------------------------


def _ladder(world) -> list[Forum]:
    return list(services.ladder(Council.objects.get()))


def test_each_council_gets_the_default_ladder_from_the_framework(world):
    names = [f.name for f in _ladder(world)]

    assert names == [
        "Performance & Intelligence Group",
        "Performance Board",
        "Cabinet Member and Service Director",
        "Cabinet Member for Performance & Governance",
        "Overview & Scrutiny",
    ]


def test_the_officer_reorders_renames_and_retires_forums_without_losing_them(world, login):
    board, pair = _ladder(world)[1:3]
    client = login(world.alice)

    client.post(f"/interventions/ladder/{board.pk}/move/", {"direction": "up"})
    client.post(
        f"/interventions/ladder/{pair.pk}/",
        {"name": "Portfolio holder and director", "responsibilities": "Jointly accountable."},
    )
    client.post(f"/interventions/ladder/{board.pk}/retire/", {"reason": "Merged into SLT"})

    names = [f.name for f in _ladder(world)]
    assert names == [
        "Performance & Intelligence Group",
        "Portfolio holder and director",
        "Cabinet Member for Performance & Governance",
        "Overview & Scrutiny",
    ]
    assert [f.position for f in _ladder(world)] == [1, 2, 3, 4]
    assert Forum.objects.get(pk=board.pk).is_active is False
    assert board.history.count() >= 3


def test_escalating_suggests_the_next_rung_and_records_who_when_and_why(world, login):
    group, board = _ladder(world)[:2]
    client = login(world.charlie)

    form = _body(client.get("/interventions/indicators/ENV1/escalate/"))
    assert f'<option value="{group.pk}" selected' in form

    response = client.post(
        "/interventions/indicators/ENV1/escalate/",
        {"to_forum": str(board.pk), "from_forum": str(group.pk), "reason": "No improvement"},
    )

    escalation = Escalation.objects.get()
    assert response.status_code == 302
    assert (escalation.escalated_by, escalation.reason) == (world.charlie, "No improvement")
    assert (escalation.from_forum, escalation.to_forum) == (group, board)
    follow = _body(client.get("/interventions/indicators/ENV1/escalate/"))
    assert f'<option value="{board.pk}" selected' in follow


def test_escalating_to_the_same_forum_is_refused_by_the_field(world, login):
    group = _ladder(world)[0]

    response = login(world.alice).post(
        "/interventions/indicators/ENV1/escalate/",
        {"to_forum": str(group.pk), "from_forum": str(group.pk), "reason": "x"},
    )

    assert "Choose a forum other than the one escalating" in _body(response)


def test_the_next_forums_decision_is_recorded_and_shown_on_the_indicator_page(world, login):
    group, board = _ladder(world)[:2]
    escalation = services.escalate(
        world.recycling,
        services.EscalationEntry(to_forum=board, from_forum=group, reason="Still red"),
        by=world.alice,
    )
    client = login(world.alice)
    future = timezone.localdate() + timedelta(days=3)

    refused = client.post(
        f"/interventions/escalations/{escalation.pk}/decision/",
        {
            "decision": "Agreed",
            "decision_date-day": future.day,
            "decision_date-month": future.month,
            "decision_date-year": future.year,
        },
    )
    assert "The date of the decision must be today or in the past" in _body(refused)

    today = timezone.localdate()
    client.post(
        f"/interventions/escalations/{escalation.pk}/decision/",
        {
            "decision": "Refer to Overview & Scrutiny for a spotlight review",
            "decision_date-day": today.day,
            "decision_date-month": today.month,
            "decision_date-year": today.year,
            "decision_reference": "Board, minute 12",
        },
    )

    escalation.refresh_from_db()
    assert escalation.decision_recorded_by == world.alice
    page = _body(login(world.ed).get("/indicators/ENV1/"))
    assert "Refer to Overview &amp; Scrutiny for a spotlight review" in page
    assert "Performance &amp; Intelligence Group to Performance Board" in page
    assert AuditEvent.objects.filter(verb="escalation_decided").exists()
