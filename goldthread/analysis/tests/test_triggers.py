"""Scenario tests for the default trigger rules: each fires exactly when the seeds say."""

from __future__ import annotations

from datetime import date

import pytest

from goldthread.analysis.periods import Frequency
from goldthread.analysis.triggers import (
    IndicatorFacts,
    Kind,
    PeriodFacts,
    Rule,
    State,
    evaluate,
    evaluate_one,
    periods_needed,
)

# The shipped defaults (see the interventions data migration).
MANAGERIAL = Rule("managerial-clinic", Kind.MANAGERIAL_CLINIC, 1, 2)
AD_HOC = Rule("ad-hoc-challenge", Kind.AD_HOC_CHALLENGE, 1, 2, in_quarters=True)
PLANNED = Rule("planned-challenge", Kind.PLANNED_CHALLENGE, 2, 1, in_quarters=True)
PIP = Rule("improvement-plan", Kind.IMPROVEMENT_PLAN, 1, 2)
RECOGNITION = Rule("recognition", Kind.RECOGNITION, 2, 1, threshold=10.0)

MONTHS = [f"2025-{m:02d}" for m in range(4, 13)] + [f"2026-{m:02d}" for m in range(1, 4)]
QUARTERS = [f"2025/26 Q{q}" for q in range(1, 5)]


def monthly(*rows: dict, **indicator) -> IndicatorFacts:
    """Monthly facts from April 2025, one dict of PeriodFacts fields per month."""
    periods = tuple(
        PeriodFacts(period=key, **{"value": 50.0, "target": 50.0, **row})
        for key, row in zip(MONTHS, rows, strict=False)
    )
    return IndicatorFacts("ENV1", Frequency.MONTHLY, periods=periods, **indicator)


def quarterly(*rows: dict, **indicator) -> IndicatorFacts:
    periods = tuple(
        PeriodFacts(period=key, **{"value": 50.0, "target": 50.0, **row})
        for key, row in zip(QUARTERS, rows, strict=False)
    )
    return IndicatorFacts("HSG1", Frequency.QUARTERLY, periods=periods, **indicator)


GREEN = {"rag": "green"}
AMBER = {"rag": "amber", "value": 48.0}
RED = {"rag": "red", "value": 40.0}
NO_DATA = {"rag": "no_data", "value": None}


def state(facts: IndicatorFacts, rule: Rule) -> State:
    return evaluate_one(facts, rule).state


# --- managerial clinic -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("latest", "expected"),
    [
        ({**RED, "forecast_rag": "red"}, State.FIRING),
        ({**AMBER, "forecast_rag": "red"}, State.FIRING),
        ({**AMBER, "forecast_rag": "amber"}, State.FIRING),
        ({**RED, "forecast_rag": "green"}, State.INACTIVE),
        ({**RED, "forecast_rag": ""}, State.INACTIVE),
        ({**GREEN, "forecast_rag": "red"}, State.INACTIVE),
        ({**GREEN, "known_risks": ("Depot closes for refit in January",)}, State.FIRING),
        ({**AMBER, "known_risks": ("Depot refit",), "forecast_rag": "green"}, State.INACTIVE),
        ({**GREEN, "forecast_rag": "green"}, State.INACTIVE),
        ({"rag": "no_target"}, State.INACTIVE),
        ({"rag": "context"}, State.INACTIVE),
    ],
)
def test_managerial_clinic_fires_below_target_and_forecast_to_miss_or_on_target_with_a_risk(
    latest, expected
):
    assert state(monthly(GREEN, latest), MANAGERIAL) is expected


def test_managerial_clinic_evidence_names_the_period_the_figures_and_the_known_risk():
    outcome = evaluate_one(
        monthly(GREEN, {**GREEN, "known_risks": ("Depot closes in January",)}), MANAGERIAL
    )
    assert outcome.since_period == "2025-05"
    assert outcome.evidence == (
        "2025-05: on target (50 against a target of 50).",
        "Known event or risk: Depot closes in January",
    )


def test_managerial_clinic_clears_only_after_two_periods_back_on_track():
    missing = {**RED, "forecast_rag": "red"}
    assert state(monthly(missing, GREEN), MANAGERIAL) is State.FIRING
    outcome = evaluate_one(monthly(missing, GREEN, GREEN), MANAGERIAL)
    assert (outcome.state, outcome.since_period, outcome.resolved_period) == (
        State.RESOLVED,
        "2025-04",
        "2025-06",
    )


def test_a_period_with_no_data_neither_continues_nor_clears_a_firing_rule():
    missing = {**RED, "forecast_rag": "red"}
    assert state(monthly(missing, GREEN, NO_DATA), MANAGERIAL) is State.FIRING
    assert state(monthly(missing, GREEN, NO_DATA, GREEN), MANAGERIAL) is State.RESOLVED


def test_a_relapse_before_recovery_completes_keeps_the_same_episode():
    missing = {**RED, "forecast_rag": "red"}
    outcome = evaluate_one(monthly(missing, GREEN, missing, GREEN), MANAGERIAL)
    assert (outcome.state, outcome.since_period) == (State.FIRING, "2025-04")


def test_firing_again_after_resolution_starts_a_new_episode_from_the_new_period():
    missing = {**RED, "forecast_rag": "red"}
    outcome = evaluate_one(monthly(missing, GREEN, GREEN, missing), MANAGERIAL)
    assert (outcome.state, outcome.since_period, outcome.resolved_period) == (
        State.FIRING,
        "2025-07",
        "",
    )


# --- ad hoc challenge (member-led) -----------------------------------------------------------


PLAN_AGREED_IN_JUNE = {"corporate_priority": True, "managerial_plans_agreed": (date(2025, 6, 5),)}


def test_ad_hoc_challenge_fires_when_a_managerial_plan_has_not_improved_a_corporate_priority():
    before = ({**RED, "value": 40.0}, {**RED, "value": 41.0}, {**RED, "value": 41.0})
    facts = monthly(*before, {**RED, "value": 40.5}, **PLAN_AGREED_IN_JUNE)
    outcome = evaluate_one(facts, AD_HOC)
    assert (outcome.state, outcome.since_period) == (State.PENDING, "2025-07")
    assert "A managerial clinic agreed an action plan on 05 June 2025." in outcome.evidence
    assert "No better than 2025-05, the last figure before the plan (41)." in outcome.evidence
    facts = monthly(*before, RED, RED, RED, **PLAN_AGREED_IN_JUNE)
    assert state(facts, AD_HOC) is State.FIRING  # held for a quarter: three months


def test_ad_hoc_challenge_does_not_fire_while_the_plan_is_improving_the_figure():
    rising = [{**RED, "value": 41.0 + n} for n in range(6)]
    assert state(monthly(*rising, **PLAN_AGREED_IN_JUNE), AD_HOC) is State.INACTIVE


@pytest.mark.parametrize(
    "indicator",
    [
        {"corporate_priority": False, "managerial_plans_agreed": (date(2025, 6, 5),)},
        {"corporate_priority": True, "managerial_plans_agreed": ()},
        {"corporate_priority": True, "managerial_plans_agreed": (date(2026, 3, 1),)},
    ],
)
def test_ad_hoc_challenge_needs_a_corporate_priority_and_an_earlier_managerial_plan(indicator):
    assert state(monthly(*[RED] * 6, **indicator), AD_HOC) is State.INACTIVE


def test_ad_hoc_challenge_does_not_fire_once_the_indicator_is_on_target():
    facts = monthly(RED, RED, RED, GREEN, GREEN, GREEN, **PLAN_AGREED_IN_JUNE)
    assert state(facts, AD_HOC) is State.INACTIVE


def test_ad_hoc_challenge_for_a_lower_is_better_indicator_compares_the_right_way():
    facts = monthly(
        {**RED, "value": 60.0},
        {**RED, "value": 61.0},
        {**RED, "value": 62.0},
        {**RED, "value": 62.0},
        {**RED, "value": 63.0},
        {**RED, "value": 61.5},
        polarity="lower",
        **PLAN_AGREED_IN_JUNE,
    )
    assert state(facts, AD_HOC) is State.FIRING


# --- planned challenge (scrutiny) ------------------------------------------------------------


def test_planned_challenge_fires_after_red_for_two_quarters_of_a_monthly_indicator():
    assert state(monthly(*[RED] * 5), PLANNED) is State.PENDING
    outcome = evaluate_one(monthly(*[RED] * 6), PLANNED)
    assert (outcome.state, outcome.since_period, outcome.firing_period) == (
        State.FIRING,
        "2025-04",
        "2025-09",
    )


def test_planned_challenge_fires_after_red_for_two_quarters_of_a_quarterly_indicator():
    assert state(quarterly(RED), PLANNED) is State.PENDING
    assert state(quarterly(RED, RED), PLANNED) is State.FIRING
    assert state(quarterly(RED, AMBER, RED), PLANNED) is State.PENDING


def test_planned_challenge_does_not_fire_when_red_shows_an_improving_special_cause_or_trend():
    improving = {**RED, "spc_point_type": "special_cause_improvement"}
    assert state(quarterly(RED, improving), PLANNED) is State.INACTIVE
    trend = {**RED, "spc_point_type": "special_cause_improvement", "spc_label": "7 Point Trend"}
    assert state(quarterly(trend, trend, trend), PLANNED) is State.INACTIVE


def test_planned_challenge_does_not_fire_for_amber_without_a_member_led_clinic():
    assert state(quarterly(AMBER, AMBER, AMBER), PLANNED) is State.INACTIVE


def test_planned_challenge_fires_when_issues_persist_for_two_quarters_after_a_member_led_clinic():
    held = {"member_clinics_held": (date(2025, 6, 20),)}
    assert state(quarterly(AMBER, AMBER, **held), PLANNED) is State.PENDING
    outcome = evaluate_one(quarterly(AMBER, AMBER, AMBER, **held), PLANNED)
    assert (outcome.state, outcome.since_period) == (State.FIRING, "2025/26 Q2")
    assert "A member-led performance clinic was held on 20 June 2025." in outcome.evidence


def test_planned_challenge_clears_after_one_quarter_out_of_the_red():
    assert state(monthly(*[RED] * 6, GREEN, GREEN), PLANNED) is State.FIRING
    assert state(monthly(*[RED] * 6, GREEN, AMBER, GREEN), PLANNED) is State.RESOLVED


# --- Performance Improvement Plan ------------------------------------------------------------


@pytest.mark.parametrize(
    ("latest", "expected"),
    [
        (RED, State.FIRING),
        (AMBER, State.FIRING),
        ({**GREEN, "forecast_rag": "red"}, State.FIRING),
        ({**GREEN, "forecast_rag": "amber"}, State.FIRING),
        ({**GREEN, "forecast_rag": "green"}, State.INACTIVE),
        (GREEN, State.INACTIVE),
        (NO_DATA, State.INACTIVE),
    ],
)
def test_improvement_plan_fires_when_below_target_or_expected_not_to_reach_it(latest, expected):
    assert state(monthly(latest), PIP) is expected


def test_improvement_plan_clears_after_two_periods_on_target_and_on_course():
    assert state(monthly(RED, GREEN), PIP) is State.FIRING
    assert state(monthly(RED, GREEN, GREEN), PIP) is State.RESOLVED


def test_improvement_plan_for_an_annual_indicator_counts_years():
    facts = IndicatorFacts(
        "CMP1",
        Frequency.ANNUAL,
        polarity="lower",
        periods=(PeriodFacts("2024/25", "red", 30.0, 28.0),),
    )
    assert state(facts, PIP) is State.FIRING


# --- recognition -----------------------------------------------------------------------------


def test_recognition_fires_after_two_periods_of_particularly_good_performance():
    ahead = {**GREEN, "value": 56.0}
    assert state(monthly(ahead), RECOGNITION) is State.PENDING
    outcome = evaluate_one(monthly(ahead, ahead), RECOGNITION)
    assert outcome.state is State.FIRING
    assert outcome.evidence[-1] == "Better than the target by 12%."


@pytest.mark.parametrize(
    "row",
    [
        {**GREEN, "value": 54.0},  # on target, but only 8% ahead
        {**GREEN, "value": 60.0, "forecast_rag": "amber"},  # forecast to miss the year end
        {**AMBER, "spc_point_type": "special_cause_improvement"},
    ],
)
def test_recognition_does_not_fire_for_ordinary_or_fragile_good_performance(row):
    assert state(monthly(row, row, row), RECOGNITION) is State.INACTIVE


def test_recognition_counts_improving_special_cause_variation_on_target():
    improving = {**GREEN, "spc_point_type": "special_cause_improvement"}
    assert state(monthly(improving, improving), RECOGNITION) is State.FIRING


def test_recognition_threshold_is_the_rules_to_change():
    ahead = {**GREEN, "value": 54.0}
    stricter = Rule("recognition", Kind.RECOGNITION, 2, 1, threshold=5.0)
    assert state(monthly(ahead, ahead), stricter) is State.FIRING


def test_recognition_for_lower_is_better_counts_being_below_the_target():
    ahead = {**GREEN, "value": 40.0}
    assert state(monthly(ahead, ahead, polarity="lower"), RECOGNITION) is State.FIRING


# --- counting periods ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("count", "in_quarters", "frequency", "expected"),
    [
        (2, True, Frequency.MONTHLY, 6),
        (2, True, Frequency.QUARTERLY, 2),
        (2, True, Frequency.ANNUAL, 1),
        (3, False, Frequency.MONTHLY, 3),
        (0, False, Frequency.MONTHLY, 1),
    ],
)
def test_counts_in_quarters_become_the_indicators_own_periods(
    count, in_quarters, frequency, expected
):
    assert periods_needed(count, in_quarters, frequency) == expected


def test_a_rule_waits_its_for_periods_while_pending_and_a_pending_rule_lapses_without_firing():
    slow = Rule("pip-slow", Kind.IMPROVEMENT_PLAN, 3, 1)
    assert state(monthly(RED, RED), slow) is State.PENDING
    assert state(monthly(RED, RED, RED), slow) is State.FIRING
    assert state(monthly(RED, RED, GREEN), slow) is State.INACTIVE


def test_evaluate_gives_every_rule_for_every_indicator():
    outcomes = evaluate([monthly(RED), quarterly(GREEN)], [PIP, RECOGNITION])
    assert [(o.indicator, o.rule) for o in outcomes] == [
        ("ENV1", "improvement-plan"),
        ("ENV1", "recognition"),
        ("HSG1", "improvement-plan"),
        ("HSG1", "recognition"),
    ]


def test_an_indicator_with_no_published_periods_has_nothing_to_recommend():
    assert state(IndicatorFacts("NEW1", Frequency.MONTHLY), PIP) is State.INACTIVE
