"""Scenario tests: published figures raise, continue and clear recommendations."""

from __future__ import annotations

import io
import json
from datetime import date

import pytest
from django.core.management import call_command

from goldthread.audit.models import AuditEvent
from goldthread.indicators.models import Judgement
from goldthread.interventions import services
from goldthread.interventions.evaluation import evaluate_triggers
from goldthread.interventions.models import AlertState, Recommendation, TriggerRule

pytestmark = pytest.mark.django_db


def _open(indicator, code: str) -> Recommendation | None:
    return Recommendation.objects.filter(
        indicator=indicator, rule__code=code, state__in=(AlertState.PENDING, AlertState.FIRING)
    ).first()


def test_publishing_a_figure_near_target_raises_an_improvement_plan_recommendation(world):
    rec = _open(world.recycling, "improvement-plan")

    assert rec is not None
    assert (rec.state, rec.since_period, rec.last_period) == ("firing", "2025-06", "2025-06")
    assert rec.evidence == ["2025-06: near target (48.0% against a target of 50.0%)."]
    assert AuditEvent.objects.filter(
        verb="recommendation_raised", object_id=str(world.recycling.pk)
    )


def test_an_approved_but_unpublished_figure_is_not_evaluated(world):
    # ENV1 2025-07 (47.0) is approved and judged but not published.
    evaluate_triggers()

    assert _open(world.recycling, "improvement-plan").last_period == "2025-06"


def test_an_on_target_indicator_with_no_risk_raises_nothing(world):
    assert _open(world.rent, "managerial-clinic") is None
    assert _open(world.rent, "improvement-plan") is None


def test_a_known_risk_on_an_on_target_indicator_raises_a_managerial_clinic(world):
    entry = services.RiskEntry(
        description="Universal credit roll-out",
        expected_effect="Arrears rise by about 2 points",
        expected_by=date(2026, 1, 31),
    )
    risk = services.record_known_risk(world.rent, entry, by=world.alice)

    rec = _open(world.rent, "managerial-clinic")
    assert rec.state == "firing"
    assert rec.since_period == "2025/26 Q1"
    assert any("Universal credit roll-out" in line for line in rec.evidence)

    services.withdraw_known_risk(risk, by=world.alice, reason="The roll-out was postponed")

    rec.refresh_from_db()
    assert rec.state == AlertState.RESOLVED
    assert _open(world.rent, "managerial-clinic") is None


def test_a_risk_not_expected_to_make_it_miss_raises_nothing(world):
    entry = services.RiskEntry("Staff training week", "A small dip", date(2026, 1, 31), False)
    services.record_known_risk(world.rent, entry, by=world.alice)

    assert _open(world.rent, "managerial-clinic") is None


def test_below_target_and_forecast_to_miss_raises_a_managerial_clinic(world):
    Judgement.objects.filter(indicator=world.recycling, period="2025-06").update(forecast_rag="red")

    report = evaluate_triggers([world.recycling.pk])

    assert [r.rule.code for r in report.new] == ["managerial-clinic"]
    assert "Forecast to miss the year-end target (off target)." in report.new[0].evidence
    assert [r.rule.code for r in report.continuing] == ["improvement-plan"]


def test_a_recommendation_clears_when_its_recovery_periods_have_passed(world):
    rec = _open(world.recycling, "improvement-plan")
    Judgement.objects.filter(indicator=world.recycling, period="2025-06").update(rag="green")

    report = evaluate_triggers([world.recycling.pk])

    rec.refresh_from_db()
    # With no bad period left, the episode never happened: it clears at once.
    assert rec in report.cleared
    assert rec.state == AlertState.RESOLVED
    assert AuditEvent.objects.filter(verb="recommendation_cleared").exists()


def test_evaluating_twice_changes_nothing_the_second_time(world):
    evaluate_triggers()
    before = Recommendation.history.count()

    report = evaluate_triggers()

    assert not report.new and not report.cleared
    assert Recommendation.history.count() == before


def test_switching_a_rule_off_clears_its_recommendations_and_is_audited(world):
    rule = TriggerRule.objects.get(code="improvement-plan")
    change = services.RuleChange(rule.threshold, 1, 2, "period", False, "Plans paused this year")

    services.change_rule(rule, change, by=world.alice)

    assert _open(world.recycling, "improvement-plan") is None
    event = AuditEvent.objects.get(verb="trigger_rule_changed")
    assert event.reason == "Plans paused this year"
    assert rule.history.first().history_change_reason == "Plans paused this year"


def test_changing_a_rule_to_wait_longer_turns_a_firing_recommendation_back_to_pending(world):
    rule = TriggerRule.objects.get(code="improvement-plan")
    change = services.RuleChange(None, 3, 2, "period", True, "Give services a quarter first")

    services.change_rule(rule, change, by=world.alice)

    assert _open(world.recycling, "improvement-plan").state == AlertState.PENDING


def test_a_rule_change_that_changes_nothing_is_refused(world):
    rule = TriggerRule.objects.get(code="improvement-plan")
    same = services.RuleChange(None, 1, 2, "period", True, "No change really")

    with pytest.raises(services.InterventionError, match="Nothing has changed"):
        services.change_rule(rule, same, by=world.alice)


def test_the_command_prints_new_continuing_and_cleared_with_evidence(world):
    Judgement.objects.filter(indicator=world.recycling, period="2025-06").update(forecast_rag="red")
    out = io.StringIO()

    call_command("evaluate-triggers", stdout=out)

    text = out.getvalue()
    assert "New: 1" in text
    assert "ENV1 Household waste recycled: Managerial performance clinic, since 2025-06" in text
    assert "    - Forecast to miss the year-end target (off target)." in text
    continuing = text.split("Continuing:")[1].split("Cleared:")[0]
    assert "ENV1 Household waste recycled: Performance Improvement Plan" in continuing
    assert "Cleared: 0" in text


def test_the_command_prints_json(world):
    out = io.StringIO()

    call_command("evaluate-triggers", "--json", "--indicator", "ENV1", stdout=out)

    data = json.loads(out.getvalue())
    assert data["new"] == [] and data["cleared"] == []
    [item] = data["continuing"]
    assert item["indicator"] == "ENV1"
    assert item["rule"] == "improvement-plan"
    assert item["since_period"] == "2025-06"
    assert item["evidence"] == ["2025-06: near target (48.0% against a target of 50.0%)."]


def test_the_command_names_an_unknown_indicator(world):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="No indicator with the code NOPE"):
        call_command("evaluate-triggers", "--indicator", "NOPE", stdout=io.StringIO())


def _held_clinic(world, kind: str, held_on: date):
    from goldthread.clinics.models import Clinic

    clinic = Clinic.objects.create(
        reference=f"PC-{kind[:4]}",
        kind=kind,
        title="Recycling",
        reason="Below target",
        state="held",
        requested_by=world.alice,
        held_on=held_on,
    )
    clinic.indicators.add(world.recycling)
    return clinic


def test_a_managerial_plan_that_has_not_improved_a_corporate_priority_starts_the_ad_hoc_trigger(
    world,
):
    # ENV1 serves the "Recycle more" priority; the plan was agreed after April's 50.0%.
    _held_clinic(world, "managerial", date(2025, 5, 10))

    evaluate_triggers([world.recycling.pk])

    rec = _open(world.recycling, "ad-hoc-challenge")
    assert (rec.state, rec.since_period) == ("pending", "2025-06")
    assert "A managerial clinic agreed an action plan on 10 May 2025." in rec.evidence
    assert "No better than 2025-04, the last figure before the plan (50.0%)." in rec.evidence


def test_issues_persisting_after_a_member_led_clinic_start_the_planned_challenge_trigger(world):
    _held_clinic(world, "ad_hoc_challenge", date(2025, 4, 15))

    evaluate_triggers([world.recycling.pk])

    rec = _open(world.recycling, "planned-challenge")
    assert (rec.state, rec.since_period) == ("pending", "2025-06")
    assert "A member-led performance clinic was held on 15 April 2025." in rec.evidence
