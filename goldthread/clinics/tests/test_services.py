"""Scenarios for clinics: who may ask for which kind, the seeds' rules for chairs and minutes,
progress updates, exit criteria from stored judgements, outcomes, escalation and publishing."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine

from goldthread.audit.models import AuditEvent
from goldthread.clinics import plans, services
from goldthread.clinics.models import (
    ActionStatus,
    Clinic,
    ClinicKind,
    ClinicOutcome,
    ClinicState,
    PanelRole,
)
from goldthread.clinics.presenters import exit_assessment
from goldthread.clinics.services import ClinicError, ClinicRequest
from goldthread.clinics.tests import helpers
from goldthread.indicators.models import Value, ValueState
from goldthread.indicators.services.judging import rejudge
from goldthread.interventions.models import AlertState, Escalation, Forum, TriggerRule
from goldthread.structure.models import Council
from goldthread.testing.world import add_values, make_user

pytestmark = pytest.mark.django_db


def _ask(world, by, kind, indicators=None, **extra) -> Clinic:
    return services.request_clinic(
        ClinicRequest(
            kind=kind,
            title="Recycling",
            reason="Below target",
            indicators=indicators or [world.recycling],
            **extra,
        ),
        by=by,
    )


def _ladder() -> list[Forum]:
    council = Council.objects.get()
    names = [
        "Performance and Intelligence Group",
        "Performance Board",
        "Cabinet Member and Service Director",
        "Cabinet Member for Performance and Governance",
        "Overview and Scrutiny",
    ]
    Forum.objects.filter(council=council).delete()
    return [
        Forum.objects.create(council=council, name=name, position=n)
        for n, name in enumerate(names, 1)
    ]


def test_a_requested_clinic_gets_a_reference_the_seed_questions_and_a_proposed_panel(world):
    clinic = helpers.managerial(world)

    assert clinic.reference == "PC-0001"
    assert clinic.state == ClinicState.REQUESTED
    assert clinic.agenda.count() == len(services.AGENDA_QUESTIONS)
    assert clinic.agenda.first().question == "Have targets been met?"
    panel = {(m.user, m.role) for m in clinic.panel.all()}
    assert panel == {
        (world.charlie, PanelRole.DIRECTOR),
        (world.bob, PanelRole.SERVICE_MANAGER),
        (world.alice, PanelRole.FACILITATOR),
    }
    assert clinic.facilitator == world.alice
    assert AuditEvent.objects.filter(verb="clinic_requested", object_id=str(clinic.pk)).exists()
    assert clinic.history.exists()


def test_references_count_up(world):
    helpers.managerial(world)

    assert helpers.managerial(world).reference == "PC-0002"


def test_the_service_may_ask_for_a_managerial_clinic_but_not_a_planned_challenge(world):
    assert _ask(world, world.bob, ClinicKind.MANAGERIAL).kind == ClinicKind.MANAGERIAL

    with pytest.raises(ClinicError, match="cannot request a planned challenge") as raised:
        _ask(world, world.bob, ClinicKind.PLANNED_CHALLENGE)
    assert raised.value.field == "kind"


def test_members_may_not_ask_for_a_managerial_clinic(world):
    with pytest.raises(ClinicError, match="cannot request a managerial"):
        _ask(world, world.dana, ClinicKind.MANAGERIAL)


def test_a_cabinet_member_may_ask_for_an_ad_hoc_challenge(world):
    assert _ask(world, world.dana, ClinicKind.AD_HOC_CHALLENGE).is_member_led


def test_a_planned_challenge_names_the_scrutiny_committee_whose_programme_holds_it(world):
    with pytest.raises(ClinicError, match="scrutiny committee"):
        _ask(world, world.ed, ClinicKind.PLANNED_CHALLENGE)

    clinic = helpers.planned_challenge(world)

    assert clinic.committee == world.committee
    assert (world.ed, PanelRole.COMMITTEE_CHAIR) in {(m.user, m.role) for m in clinic.panel.all()}


def test_nobody_may_ask_about_an_indicator_they_cannot_see(world):
    with pytest.raises(ClinicError, match="Choose indicators from the list"):
        _ask(world, world.ed, ClinicKind.AD_HOC_CHALLENGE, indicators=[world.complaints])


def test_a_clinic_needs_an_indicator(world):
    with pytest.raises(ClinicError, match="at least one indicator"):
        services.request_clinic(
            ClinicRequest(kind=ClinicKind.MANAGERIAL, title="t", reason="r", indicators=[]),
            by=world.alice,
        )


def test_only_the_rungs_seed_000_names_may_ask_for_each_kind(world):
    group, board, *_middle, scrutiny = _ladder()

    assert _ask(world, world.alice, ClinicKind.MANAGERIAL, requested_from=group)
    assert _ask(world, world.alice, ClinicKind.AD_HOC_CHALLENGE, requested_from=board)
    with pytest.raises(ClinicError, match="Performance and Intelligence Group cannot ask") as e:
        _ask(world, world.alice, ClinicKind.AD_HOC_CHALLENGE, requested_from=group)
    assert e.value.field == "requested_from"
    with pytest.raises(ClinicError, match="cannot ask for a managerial"):
        _ask(world, world.alice, ClinicKind.MANAGERIAL, requested_from=scrutiny)


def test_a_refused_request_writes_nothing(world):
    group = _ladder()[0]

    with pytest.raises(ClinicError):
        _ask(world, world.alice, ClinicKind.SPOTLIGHT_REVIEW, requested_from=group)

    assert not Clinic.objects.exists()
    assert not AuditEvent.objects.filter(verb="clinic_requested").exists()


def test_an_ad_hoc_challenge_is_not_chaired_by_the_portfolio_holder(world):
    clinic = _ask(world, world.ed, ClinicKind.AD_HOC_CHALLENGE)

    with pytest.raises(ClinicError, match="holds the portfolio") as raised:
        helpers.scheduled(world, clinic, chair=world.dana)
    assert raised.value.field == "chair"

    peer = make_user("gus", "cabinet_member", "Gus")
    helpers.scheduled(world, clinic, chair=peer)
    assert clinic.chair == peer and clinic.state == ClinicState.SCHEDULED


def test_a_managerial_clinic_is_chaired_by_an_officer(world):
    with pytest.raises(ClinicError, match="chaired by an officer"):
        helpers.scheduled(world, helpers.managerial(world), chair=world.dana)


def test_a_member_led_clinic_must_have_formal_minutes(world):
    clinic = _ask(world, world.dana, ClinicKind.AD_HOC_CHALLENGE)
    helpers.scheduled(world, clinic, chair=make_user("gus", "cabinet_member", "Gus"))

    with pytest.raises(ClinicError, match="formal minutes"):
        services.record_minutes(
            clinic, services.Minutes(date(2025, 9, 10), "  ", {}, {}), by=world.alice
        )


def test_minutes_record_attendance_answers_and_numbered_decisions(world):
    clinic = helpers.held(world, helpers.scheduled(world, helpers.managerial(world)))

    assert clinic.state == ClinicState.HELD
    assert clinic.held_on == date(2025, 9, 10)
    assert all(member.attended for member in clinic.panel.all())
    assert clinic.agenda.first().answer == "Not yet."
    assert [(d.number, d.text) for d in clinic.decisions.all()] == [
        (1, "Agree the recovery plan"),
        (2, "Monthly updates to the panel"),
    ]
    assert AuditEvent.objects.filter(verb="clinic_held").count() == 1


def test_a_clinic_cannot_be_minuted_before_it_is_scheduled(world):
    with pytest.raises(ClinicError, match="Schedule the clinic"):
        helpers.held(world, helpers.managerial(world))


def _held_with_action(world) -> Clinic:
    clinic = helpers.held(world, helpers.scheduled(world, helpers.managerial(world)))
    return helpers.with_action(world, clinic)


@time_machine.travel("2025-12-01 09:00", tick=False)
def test_updates_fall_due_monthly_after_the_clinic_until_written(world):
    clinic = _held_with_action(world)

    assert plans.updates_due(clinic, date(2025, 12, 1)) == [date(2025, 10, 10), date(2025, 11, 10)]

    action = clinic.actions.get()
    plans.write_update(
        clinic,
        by=world.bob,
        due_on=date(2025, 10, 10),
        summary="Garden waste relaunched in two wards.",
        lines=[plans.ActionLine(action, ActionStatus.IN_PROGRESS, "Two wards done")],
    )

    assert plans.updates_due(clinic, date(2025, 12, 1)) == [date(2025, 11, 10)]
    action.refresh_from_db()
    assert (action.status, action.latest_note) == (ActionStatus.IN_PROGRESS, "Two wards done")
    assert plans.next_update_due(clinic, date(2025, 12, 1)) == date(2025, 11, 10)


def test_an_update_is_written_once_per_due_date(world):
    clinic = _held_with_action(world)
    plans.write_update(clinic, by=world.bob, due_on=date(2025, 10, 10), summary="One", lines=[])

    with pytest.raises(ClinicError, match="already been written"):
        plans.write_update(clinic, by=world.bob, due_on=date(2025, 10, 10), summary="Two", lines=[])


def test_no_updates_are_due_once_the_clinic_closes(world):
    clinic = _held_with_action(world)
    _close(world, clinic, ClinicOutcome.RECOGNISED)

    assert plans.updates_due(clinic, date(2026, 6, 1)) == []
    assert plans.next_update_due(clinic, date(2026, 6, 1)) is None


def _improve_recycling(world) -> None:
    """After a clinic on 31 July 2025: August better than July, then on target."""
    Value.objects.filter(indicator=world.recycling, period="2025-08").update(
        value=49.0, state=ValueState.APPROVED
    )
    add_values(world.recycling, {"2025-09": 51.0, "2025-10": 53.0}, state=ValueState.APPROVED)
    rejudge([world.recycling])


def test_exit_criteria_are_worked_out_from_the_stored_judgements(world):
    clinic = helpers.held(
        world, helpers.scheduled(world, helpers.managerial(world)), held_on=date(2025, 7, 31)
    )
    helpers.with_action(world, clinic)
    before = exit_assessment(clinic, [world.recycling])
    assert [c.met for c in before.checks] == [False, False]

    _improve_recycling(world)
    clinic.actions.update(status=ActionStatus.DELIVERED)
    after = exit_assessment(clinic, [world.recycling])

    assert [c.met for c in after.checks] == [True, True]
    assert after.met
    assert "since August 2025" in after.checks[0].because


def _close(world, clinic, outcome, **extra):
    choice = services.OutcomeChoice(outcome=outcome, summary="The panel is content.", **extra)
    services.record_outcome(clinic, choice, by=world.alice)


def test_the_panel_says_why_it_is_satisfied_when_the_criteria_are_not_met(world):
    clinic = _held_with_action(world)
    short = services.OutcomeChoice(ClinicOutcome.SATISFIED, "Fine.", criteria_met=False)

    with pytest.raises(ClinicError, match="explain why the panel is satisfied anyway"):
        services.record_outcome(clinic, short, by=world.alice)

    reasons = "Garden waste is back and the winter dip is seasonal, as in earlier years."
    services.record_outcome(
        clinic,
        services.OutcomeChoice(ClinicOutcome.SATISFIED, reasons, criteria_met=False),
        by=world.alice,
    )
    clinic.refresh_from_db()
    assert (clinic.state, clinic.outcome) == (ClinicState.CLOSED, ClinicOutcome.SATISFIED)
    assert clinic.outcome_by == world.alice


def test_a_referral_to_cabinet_carries_recommendations(world):
    clinic = _held_with_action(world)

    with pytest.raises(ClinicError, match="recommendations to cabinet") as raised:
        _close(world, clinic, ClinicOutcome.REFERRED_TO_CABINET)
    assert raised.value.field == "cabinet_recommendations"

    _close(world, clinic, ClinicOutcome.REFERRED_TO_CABINET, cabinet_recommendations="Fund it.")
    assert clinic.cabinet_recommendations == "Fund it."


def _held_planned_challenge(world) -> Clinic:
    planned = helpers.planned_challenge(world)
    return helpers.held(world, helpers.scheduled(world, planned, chair=world.ed))


def test_a_challenge_referred_to_cabinet_records_each_recommendation_for_follow_up(world):
    from goldthread.improvement.models import ScrutinyRecommendation

    planned = _held_planned_challenge(world)
    text = "Fund two more drivers.\n\nReview the garden waste charge."

    _close(world, planned, ClinicOutcome.REFERRED_TO_CABINET, cabinet_recommendations=text)

    made = list(ScrutinyRecommendation.objects.order_by("pk"))
    assert [r.text for r in made] == ["Fund two more drivers.", "Review the garden waste charge."]
    first = made[0]
    assert (first.source_clinic, first.committee) == (planned, planned.committee)
    assert (first.addressed_to, first.source_kind) == ("cabinet", "planned_challenge")
    assert first.indicator == world.recycling and first.review_due is not None
    events = AuditEvent.objects.filter(verb="scrutiny_recommendation_made")
    assert events.count() == 2


def test_an_ad_hoc_challenge_referred_to_cabinet_follows_up_with_the_covering_committee(world):
    from goldthread.improvement.models import ScrutinyRecommendation

    clinic = _ask(world, world.charlie, ClinicKind.AD_HOC_CHALLENGE)
    helpers.held(world, helpers.scheduled(world, clinic, chair=world.ed))

    _close(world, clinic, ClinicOutcome.REFERRED_TO_CABINET, cabinet_recommendations="Fund it.")

    made = ScrutinyRecommendation.objects.get()
    assert (made.source_kind, made.source_clinic) == ("ad_hoc_challenge", clinic)
    assert made.committee == services.scrutiny_committee_for(world.recycling)


def test_a_managerial_clinic_referred_to_cabinet_makes_no_scrutiny_recommendation(world):
    from goldthread.improvement.models import ScrutinyRecommendation

    clinic = _held_with_action(world)

    _close(world, clinic, ClinicOutcome.REFERRED_TO_CABINET, cabinet_recommendations="Fund it.")

    assert not ScrutinyRecommendation.objects.exists()


def test_publishing_a_challenge_publishes_the_recommendations_it_made(world):
    planned = _held_planned_challenge(world)
    _close(world, planned, ClinicOutcome.REFERRED_TO_CABINET, cabinet_recommendations="Fund it.")

    services.publish(planned, by=world.alice)

    assert planned.scrutiny_recommendations.get().is_published


def test_escalating_takes_each_indicator_to_the_next_forum_naming_the_clinic(world):
    group, board, *_rest = _ladder()
    clinic = _ask(world, world.alice, ClinicKind.MANAGERIAL, requested_from=group)
    helpers.held(world, helpers.scheduled(world, clinic))

    _close(world, clinic, ClinicOutcome.ESCALATED, escalate_to=board)

    escalation = Escalation.objects.get()
    assert (escalation.indicator, escalation.clinic) == (world.recycling, clinic)
    assert (escalation.from_forum, escalation.to_forum) == (group, board)
    assert escalation.reason.startswith(clinic.reference)
    assert AuditEvent.objects.filter(verb="escalated", object_id=str(world.recycling.pk)).exists()


def test_escalating_needs_a_forum(world):
    clinic = _held_with_action(world)

    with pytest.raises(ClinicError, match="forum it is escalated to"):
        _close(world, clinic, ClinicOutcome.ESCALATED)
    assert Clinic.objects.get().state == ClinicState.HELD


def test_only_closed_planned_challenges_are_published(world):
    managerial = _held_with_action(world)
    _close(world, managerial, ClinicOutcome.SATISFIED)
    with pytest.raises(ClinicError, match="Only planned challenge"):
        services.publish(managerial, by=world.alice)

    planned = helpers.planned_challenge(world)
    helpers.scheduled(world, planned, chair=world.ed)
    helpers.held(world, planned)
    with pytest.raises(ClinicError, match="Record the outcome"):
        services.publish(planned, by=world.alice)
    _close(world, planned, ClinicOutcome.REFERRED_TO_CABINET, cabinet_recommendations="Fund it.")

    services.publish(planned, by=world.alice)

    assert planned.is_published and planned.published_by == world.alice


def test_withdrawing_keeps_the_clinic_and_the_reason(world):
    clinic = helpers.managerial(world)

    services.withdraw(clinic, by=world.alice, reason="Service improvement work is quicker.")

    clinic.refresh_from_db()
    assert clinic.state == ClinicState.WITHDRAWN
    assert clinic.withdrawn_reason == "Service improvement work is quicker."


def test_removing_a_panel_member_keeps_them_with_the_reason(world):
    clinic = helpers.managerial(world)
    member = clinic.panel.get(user=world.charlie)

    services.remove_panel_member(member, by=world.alice, reason="On leave")

    member.refresh_from_db()
    assert member.removed_at is not None and member.removed_reason == "On leave"


def test_a_scrutiny_member_invited_must_have_a_login(world):
    clinic = helpers.managerial(world)

    with pytest.raises(ClinicError, match="scrutiny member who has a login"):
        services.add_panel_member(
            clinic, by=world.alice, role=PanelRole.SCRUTINY_MEMBER, name="Cllr Smith"
        )
    member = services.add_panel_member(
        clinic, by=world.alice, role=PanelRole.SCRUTINY_MEMBER, user=world.ed
    )
    assert member.display_name == str(world.ed)


def _recommendation(world, code: str):
    rule = TriggerRule.objects.get(code=code)
    return world.recycling.recommendations.create(
        rule=rule,
        state=AlertState.FIRING,
        since_period="2025-06",
        since_period_start=date(2025, 6, 1),
        last_period="2025-07",
        evidence=["Below target in June and July.", "Forecast to miss the year end."],
    )


def test_a_clinic_opened_from_a_recommendation_is_filled_in_from_it(world):
    recommendation = _recommendation(world, "managerial-clinic")

    clinic = services.open_clinic_from_recommendation(
        recommendation, by=world.alice, kind=ClinicKind.MANAGERIAL
    )

    assert clinic.recommendation == recommendation
    assert list(clinic.indicators.all()) == [world.recycling]
    assert clinic.title == "Household waste recycled (ENV1)"
    assert "since June 2025" in clinic.reason
    assert "Forecast to miss the year end." in clinic.reason
    assert clinic.get_absolute_url() == f"/clinics/{clinic.reference}/"


def test_a_planned_challenge_from_a_recommendation_goes_to_the_scrutiny_committee(world):
    recommendation = _recommendation(world, "planned-challenge")

    clinic = services.open_clinic_from_recommendation(
        recommendation, by=world.alice, kind=ClinicKind.PLANNED_CHALLENGE
    )

    assert clinic.committee == world.committee
