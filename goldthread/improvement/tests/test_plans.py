"""Scenario tests for Performance Improvement Plans, from writing to a policy committee's
decision and the plan's completion."""

from __future__ import annotations

import datetime

import pytest

from goldthread.audit.models import AuditEvent
from goldthread.committees.models import Committee, CommitteeKind, Meeting
from goldthread.improvement import presenters, services
from goldthread.improvement.models import (
    Decision,
    Duration,
    FactorKind,
    ImprovementPlan,
    PlanStatus,
    Resourcing,
    SolutionState,
)
from goldthread.indicators.models import Judgement, ValueState
from goldthread.indicators.services.judging import rejudge

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2025, 11, 20)


def _factor(plan, by, text="Garden waste season ended early", kind=FactorKind.EXTERNAL):
    data = services.FactorInput(kind, Duration.TEMPORARY, text)
    return services.add_factor(plan, data, by=by)


def _solution(plan, by, factors, text="Extend the garden waste round"):
    data = services.SolutionInput(
        description=text,
        target_date=datetime.date(2026, 3, 31),
        resourcing=Resourcing.WITHIN_SERVICE,
        factor_ids=frozenset(f.pk for f in factors),
    )
    return services.add_solution(plan, data, by=by)


def _valid_plan(world) -> ImprovementPlan:
    plan = services.start_plan(world.recycling, by=world.bob)
    factor = _factor(plan, world.bob)
    _solution(plan, world.bob, [factor])
    services.validate(plan, by=world.alice)
    return plan


def test_a_plan_is_raised_at_the_latest_judged_period_with_the_targets_rationale(world):
    plan = services.start_plan(world.recycling, by=world.bob)

    assert plan.raised_period == "2025-07"
    assert plan.status == PlanStatus.DRAFT
    assert "The 2025/26 target is 50.0% (version 1)" in plan.comments
    assert "Why: Agreed by cabinet" in plan.comments
    assert AuditEvent.objects.filter(verb="plan_started", object_id=str(plan.pk)).exists()


def test_section_one_reads_target_and_scores_with_their_dates_from_the_stored_judgement(world):
    plan = services.start_plan(world.recycling, by=world.bob)

    scores = {s.label: s for s in presenters.section_one(plan)}

    assert scores["Score"].value == "47.0%"
    assert scores["Score"].as_at == "31 July 2025"
    assert scores["Target"].value == "50.0% for July 2025 (50.0% for 2025/26)"
    assert scores["Last year end score"].as_at == "31 March 2025"
    assert scores["Last year end score"].value == "No figure"
    assert scores["Score 12 months ago"].as_at == "31 July 2024"


def test_an_indicator_has_one_live_plan_at_a_time(world):
    services.start_plan(world.recycling, by=world.bob)

    with pytest.raises(services.ImprovementError, match="already has an improvement plan"):
        services.start_plan(world.recycling, by=world.alice)


def test_a_context_indicator_cannot_have_a_plan(world):
    with pytest.raises(services.ImprovementError, match="context indicator"):
        services.start_plan(world.population, by=world.alice)


def test_validation_names_the_factor_no_solution_addresses(world):
    plan = services.start_plan(world.recycling, by=world.bob)
    snow = _factor(plan, world.bob)
    _factor(plan, world.bob, "A driver post cannot be filled", FactorKind.INTERNAL)
    _solution(plan, world.bob, [snow])

    with pytest.raises(services.ImprovementError) as error:
        services.validate(plan, by=world.alice)

    assert error.value.problems == [
        "No solution addresses “A driver post cannot be filled”: is still to be covered"
    ]
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT


def test_a_validated_plan_that_loses_its_only_addressed_factor_needs_validating_again(world):
    plan = _valid_plan(world)
    factor = services.current_factors(plan).get()

    problems = services.withdraw_factor(factor, "It was not a factor after all", by=world.bob)

    plan.refresh_from_db()
    assert problems == [
        "Add at least one external or internal factor (sections 2 and 3)",
        "Say which factors “Extend the garden waste round” address",
    ]
    assert plan.status == PlanStatus.DRAFT
    assert plan.validated_at is None
    assert plan.factors.count() == 1  # withdrawn, not deleted


def test_progress_takes_its_score_from_the_approved_figure_and_is_due_each_month(world):
    plan = _valid_plan(world)

    assert [p.key for p in services.progress_due(plan, TODAY)] == ["2025-08", "2025-09", "2025-10"]
    entry = services.add_progress(
        plan, period="2025-07", comment="Crews briefed", entry_date=TODAY, final=False, by=world.bob
    )
    draft = services.add_progress(
        plan, period="2025-08", comment="Still low", entry_date=TODAY, final=False, by=world.bob
    )

    assert (entry.score, entry.score_state) == (47.0, ValueState.APPROVED)
    assert draft.score is None  # the August figure is still a draft
    assert [p.key for p in services.progress_due(plan, TODAY)] == ["2025-09", "2025-10"]


def test_the_final_entry_waits_until_every_solution_is_in_place_then_completes_the_plan(world):
    plan = _valid_plan(world)
    solution = services.current_solutions(plan).get()

    with pytest.raises(services.ImprovementError, match="Still proposed"):
        services.add_progress(
            plan, period="2025-09", comment="Done", entry_date=TODAY, final=True, by=world.bob
        )
    services.set_solution_state(
        solution, SolutionState.IN_PLACE, on=datetime.date(2025, 10, 1), by=world.bob
    )
    services.add_progress(
        plan,
        period="2025-09",
        comment="The round is extended and recycling is back on target.",
        entry_date=TODAY,
        final=True,
        by=world.bob,
    )

    plan.refresh_from_db()
    assert plan.status == PlanStatus.COMPLETE
    assert services.progress_due(plan, TODAY) == []
    with pytest.raises(services.ImprovementError, match="closed"):
        _factor(plan, world.bob)


def test_management_comments_are_tied_to_their_meeting(world):
    plan = _valid_plan(world)
    meeting = Meeting.objects.get(committee=world.committee)

    with pytest.raises(services.ImprovementError, match="Say which meeting"):
        services.add_management_comment(
            plan,
            services.CommentInput("cmt", "Chief Executive", "Agreed", meeting_date=TODAY),
            by=world.alice,
        )
    services.add_management_comment(
        plan,
        services.CommentInput(
            "members", "Cllr Ed", "Support", meeting_date=meeting.date, meeting=meeting, minute="7"
        ),
        by=world.alice,
    )

    document = presenters.plan_document(plan)
    section_five = document.sections[4]
    assert "Overview and Scrutiny, 1 October 2025, minute 7" in str(section_five)


@pytest.fixture
def committees(db):
    audit = Committee.objects.create(
        code="ap", name="Audit and Performance", kind=CommitteeKind.AUDIT_PERFORMANCE
    )
    policy = Committee.objects.create(code="env", name="Environment", kind=CommitteeKind.POLICY)
    return audit, policy


def _refer(plan, world, audit, policy):
    data = services.ReferralInput(
        referred_by_committee=audit,
        to_committee=policy,
        referred_on=datetime.date(2025, 9, 10),
        reason="The target is not achievable with the resources the service has",
        referred_minute="A&P 12",
    )
    return services.refer(plan, data, by=world.alice)


def test_only_audit_and_performance_refers_and_only_to_a_policy_committee(world, committees):
    audit, policy = committees
    plan = _valid_plan(world)
    wrong = services.ReferralInput(world.committee, policy, TODAY, "Because")

    with pytest.raises(services.ImprovementError, match="Audit and Performance"):
        services.refer(plan, wrong, by=world.alice)
    with pytest.raises(services.ImprovementError, match="policy committee"):
        services.refer(plan, services.ReferralInput(audit, audit, TODAY, "x"), by=world.alice)


def test_amending_the_target_cites_the_committee_and_minute_and_judges_from_the_next_period(
    world, committees
):
    audit, policy = committees
    plan = _valid_plan(world)
    referral = _refer(plan, world, audit, policy)
    published_before = Judgement.objects.get(indicator=world.recycling, period="2025-06")

    services.record_decision(
        referral,
        services.DecisionInput(
            decision=Decision.AMEND_TARGET,
            decided_on=datetime.date(2025, 9, 24),
            notes="45% is achievable this year.",
            minute="ENV 31",
            target_year=2025,
            new_target=45.0,
        ),
        by=world.alice,
    )

    referral.refresh_from_db()
    version = referral.new_target_version
    assert (version.version, version.annual_target, version.tolerance) == (2, 45.0, 5.0)
    assert version.basis == "Amended by Environment, 24 September 2025, minute ENV 31"
    published = Judgement.objects.get(indicator=world.recycling, period="2025-06")
    assert published.target_version_id == published_before.target_version_id
    assert published.rag == published_before.rag
    # August's figure is approved after the decision (as approving does: the state, then judge).
    world.recycling.values.filter(period="2025-08").update(value=44.0, state=ValueState.APPROVED)
    rejudge([world.recycling])
    next_period = Judgement.objects.get(indicator=world.recycling, period="2025-08")
    assert next_period.target_version_id == version.pk
    assert next_period.target == 45.0


def test_other_decisions_change_no_target_and_a_decision_is_recorded_once(world, committees):
    audit, policy = committees
    plan = _valid_plan(world)
    referral = _refer(plan, world, audit, policy)
    decided = services.DecisionInput(Decision.RESOURCES, datetime.date(2025, 9, 24), "£20,000")

    services.record_decision(referral, decided, by=world.alice)

    assert world.recycling.targets.count() == 1
    with pytest.raises(services.ImprovementError, match="already recorded"):
        services.record_decision(referral, decided, by=world.alice)


def test_amending_needs_the_minute_and_nothing_is_written_without_it(world, committees):
    audit, policy = committees
    plan = _valid_plan(world)
    referral = _refer(plan, world, audit, policy)
    decided = services.DecisionInput(
        Decision.AMEND_TARGET, datetime.date(2025, 9, 24), "x", new_target=45.0
    )

    with pytest.raises(services.ImprovementError, match="minute"):
        services.record_decision(referral, decided, by=world.alice)

    referral.refresh_from_db()
    assert referral.decision == ""
    assert world.recycling.targets.count() == 1


def test_open_plan_from_recommendation_links_it_and_never_makes_a_second_plan(world):
    from goldthread.interventions.models import AlertState, Recommendation, TriggerRule

    rule = TriggerRule.objects.create(code="pip", kind="improvement_plan", name="PIP", wording="x")
    recommendation = Recommendation.objects.create(
        indicator=world.recycling,
        rule=rule,
        state=AlertState.FIRING,
        since_period="2025-06",
        since_period_start=datetime.date(2025, 6, 1),
        last_period="2025-07",
        evidence=["Below target in July 2025."],
    )

    plan = services.open_plan_from_recommendation(recommendation, by=world.alice)
    again = services.open_plan_from_recommendation(recommendation, by=world.alice)

    assert plan.pk == again.pk
    assert plan.recommendation == recommendation
    assert "Below target in July 2025." in plan.comments
    assert plan.get_absolute_url() == f"/improvement-plans/{plan.pk}/"


def test_every_change_keeps_its_history(world):
    plan = _valid_plan(world)

    assert plan.history.count() >= 2
    assert services.current_solutions(plan).get().history.exists()
