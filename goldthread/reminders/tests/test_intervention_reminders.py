"""Reminder emails for intervention work: clinic updates and actions, improvement plan progress
and scrutiny's six-month reviews, as the people who owe them would get them.

The clinic is the shared managerial clinic about ENV1, held on Wednesday 10 September 2025
(clinics/tests/helpers.py): monthly updates fall due on the 10th of each month after it, and
its one action (owned by Bob) is due on Sunday 9 November 2025.
"""

from __future__ import annotations

from datetime import date, timedelta
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command

from goldthread.analysis.calendar import window_for
from goldthread.analysis.periods import parse_period
from goldthread.clinics import plans
from goldthread.clinics import services as clinic_services
from goldthread.clinics.models import ActionStatus, ClinicOutcome
from goldthread.clinics.tests import helpers
from goldthread.collection.presenters import calendar_rules
from goldthread.improvement import services as improvement
from goldthread.improvement.models import Addressee, ScrutinyRecommendation, SourceKind
from goldthread.reminders.interventions import intervention_counts, intervention_reminders
from goldthread.reminders.models import ReminderKind, ReminderSent
from goldthread.reminders.services import weekly_digest
from goldthread.reminders.tasks import send_intervention_email

UPDATE_DUE_SOON = date(2025, 10, 5)  # five days before the first update, due 10 October
UPDATE_MISSED = date(2025, 10, 13)
ACTION_LATE = date(2025, 11, 10)


def _run(day: date, *args: str) -> str:
    out = StringIO()
    with time_machine.travel(f"{day.isoformat()} 07:00 +0000", tick=False):
        call_command("send-reminders", *args, stdout=out)
    return out.getvalue()


def _mail(mailoutbox, user, words: str) -> list:
    return [m for m in mailoutbox if m.to == [user.email] and words in m.subject]


@pytest.fixture
def clinic(world):
    found = helpers.held(world, helpers.scheduled(world, helpers.managerial(world)))
    return helpers.with_action(world, found)


# Clinic progress updates -----------------------------------------------------------------


def test_bob_is_told_a_week_ahead_that_a_clinic_update_is_due(world, clinic, mailoutbox):
    _run(UPDATE_DUE_SOON)
    [email] = _mail(mailoutbox, world.bob, "clinic progress update due soon")
    assert clinic.reference in email.body
    assert "10 October 2025" in email.body
    assert f"/clinics/{clinic.reference}/updates/new/" in email.body
    assert "Write the update" in email.body
    assert f'/clinics/{clinic.reference}/updates/new/"' in email.alternatives[0][0]


def test_the_facilitating_performance_officer_is_told_too(world, clinic, mailoutbox):
    assert clinic.facilitator == world.alice
    _run(UPDATE_DUE_SOON)
    assert len(_mail(mailoutbox, world.alice, "clinic progress update due soon")) == 1


def test_no_update_reminder_comes_before_the_week_ahead(world, clinic, mailoutbox):
    _run(date(2025, 10, 2))
    assert not _mail(mailoutbox, world.bob, "clinic progress update")


def test_an_update_reminder_is_sent_once_however_often_the_scheduler_runs(
    world, clinic, mailoutbox
):
    _run(UPDATE_DUE_SOON)
    _run(UPDATE_DUE_SOON)
    _run(UPDATE_DUE_SOON + timedelta(days=2))
    assert len(_mail(mailoutbox, world.bob, "clinic progress update due soon")) == 1
    sent = ReminderSent.objects.filter(user=world.bob, kind=ReminderKind.UPDATE_DUE)
    assert list(sent.values_list("about", "period")) == [
        (f"clinic:{clinic.reference}", "2025-10-10")
    ]


def test_a_missed_update_is_chased_once_as_overdue(world, clinic, mailoutbox):
    _run(UPDATE_DUE_SOON)
    _run(UPDATE_MISSED)
    _run(UPDATE_MISSED + timedelta(days=1))
    [email] = _mail(mailoutbox, world.bob, "clinic progress update is overdue")
    assert "Progress update due by 10 October 2025" in email.body


def test_a_written_update_stops_the_overdue_reminder(world, clinic, mailoutbox):
    plans.write_update(
        clinic, by=world.bob, due_on=date(2025, 10, 10), summary="Relaunch planned.", lines=[]
    )
    _run(UPDATE_MISSED)
    assert not _mail(mailoutbox, world.bob, "clinic progress update")


def test_a_closed_clinic_asks_for_no_updates(world, clinic, mailoutbox):
    clinic_services.record_outcome(
        clinic,
        clinic_services.OutcomeChoice(
            outcome=ClinicOutcome.SATISFIED,
            summary="Recycling is back on target for three months and the plan is delivered.",
        ),
        by=world.alice,
    )
    _run(UPDATE_MISSED)
    _run(ACTION_LATE)
    assert not _mail(mailoutbox, world.bob, "clinic")
    assert intervention_reminders(ACTION_LATE) == []


def test_an_update_written_after_the_reminder_was_queued_is_left_out(world, clinic, mailoutbox):
    [reminder] = [
        r
        for r in intervention_reminders(UPDATE_MISSED)
        if r.kind == ReminderKind.UPDATE_OVERDUE and r.user == world.bob
    ]
    plans.write_update(clinic, by=world.bob, due_on=date(2025, 10, 10), summary="Done.", lines=[])
    with time_machine.travel("2025-10-13 07:00 +0000", tick=False):
        sent = send_intervention_email.call(world.bob.pk, reminder.kind.value, reminder.payload())
    assert sent == 0
    assert not mailoutbox


# Clinic actions ---------------------------------------------------------------------------


def test_an_overdue_action_is_chased_once_with_its_owner(world, clinic, mailoutbox):
    _run(date(2025, 11, 9))
    assert not _mail(mailoutbox, world.bob, "clinic action")
    _run(ACTION_LATE)
    _run(ACTION_LATE + timedelta(days=3))
    [email] = _mail(mailoutbox, world.bob, "1 clinic action is overdue")
    assert "1 clinic action you own is past the due date" in email.body
    assert "Relaunch garden waste collections" in email.body
    assert "Was due by 9 November 2025" in email.body
    assert "/clinics/my-actions/" in email.body
    assert not _mail(mailoutbox, world.alice, "clinic action")


def test_a_delivered_action_is_not_chased(world, clinic, mailoutbox):
    action = clinic.actions.get()
    action.status = ActionStatus.DELIVERED
    action.save()
    _run(ACTION_LATE)
    assert not _mail(mailoutbox, world.bob, "clinic action")


def test_an_action_given_a_new_due_date_is_chased_again_when_that_passes(world, clinic, mailoutbox):
    _run(ACTION_LATE)
    action = clinic.actions.get()
    action.due_on = date(2025, 12, 1)
    action.save()
    _run(date(2025, 12, 2))
    assert len(_mail(mailoutbox, world.bob, "clinic action is overdue")) == 2


# Improvement plan progress ----------------------------------------------------------------


@pytest.fixture
def plan(world):
    return improvement.start_plan(world.recycling, by=world.bob)


def _first_period(plan):
    return parse_period(plan.raised_period).next()


def test_the_plan_author_is_told_when_a_period_ends_with_no_progress_entry(world, plan, mailoutbox):
    period = _first_period(plan)
    _run(period.end + timedelta(days=1))
    [email] = _mail(mailoutbox, world.bob, "improvement plan progress due")
    assert email.subject == "Goldthread: improvement plan progress due (1 progress entry)"
    assert f"Progress for {period.label}" in email.body
    assert f"/improvement-plans/{plan.pk}/progress/new/" in email.body


def test_no_progress_reminder_comes_while_the_period_is_running(world, plan, mailoutbox):
    _run(_first_period(plan).end)
    assert not _mail(mailoutbox, world.bob, "improvement plan")


def test_progress_owed_past_the_figures_due_date_is_chased_once_as_overdue(world, plan, mailoutbox):
    period = _first_period(plan)
    late = window_for(period, calendar_rules()).due + timedelta(days=1)
    _run(period.end + timedelta(days=1))
    _run(late)
    _run(late + timedelta(days=1))
    assert len(_mail(mailoutbox, world.bob, "improvement plan progress due")) == 1
    [email] = _mail(mailoutbox, world.bob, "improvement plan progress overdue")
    assert period.label in email.body


def test_a_plan_owing_many_periods_is_one_line_in_one_email(world, plan, mailoutbox):
    period = _first_period(plan)
    for _ in range(5):
        period = period.next()
    _run(period.end + timedelta(days=40))
    [email] = _mail(mailoutbox, world.bob, "improvement plan progress overdue (6 progress")
    assert email.body.count("Add the progress entry") == 1
    assert "And 3 more, all listed on the page" in email.body
    overdue = ReminderSent.objects.filter(user=world.bob, kind=ReminderKind.ENTRY_OVERDUE)
    assert overdue.filter(about=f"plan:{plan.pk}").count() == 6


def test_a_withdrawn_plan_asks_for_no_progress(world, plan, mailoutbox):
    improvement.withdraw_plan(plan, "Back on target; no plan needed.", by=world.alice)
    _run(_first_period(plan).end + timedelta(days=40))
    assert not _mail(mailoutbox, world.bob, "improvement plan")


# Scrutiny reviews -------------------------------------------------------------------------


@pytest.fixture
def recommendation(world):
    return ScrutinyRecommendation.objects.create(
        committee=world.committee,
        source_kind=SourceKind.SPOTLIGHT,
        review_title="Spotlight review of recycling",
        text="Publish collection calendars for every street.",
        addressed_to=Addressee.CABINET,
        addressee=f"{world.dana.get_full_name()}, Cabinet Member for Environment",
        made_on=date(2025, 3, 1),
        review_due=date(2025, 9, 1),
        recorded_by=world.alice,
    )


def test_the_six_month_review_goes_to_the_addressee_the_chair_and_the_officer(
    world, recommendation, mailoutbox
):
    _run(date(2025, 8, 31))
    assert not mailoutbox
    _run(date(2025, 9, 1))
    _run(date(2025, 9, 2))
    for person in (world.dana, world.ed, world.alice):
        [email] = _mail(mailoutbox, person, "scrutiny review due")
        assert email.subject == "Goldthread: scrutiny review due (1 recommendation)"
        assert "Publish collection calendars" in email.body
        assert f"/scrutiny-recommendations/{recommendation.pk}/" in email.body
    assert not _mail(mailoutbox, world.bob, "scrutiny")


def test_a_recorded_review_is_not_chased(world, recommendation, mailoutbox):
    recommendation.reviewed_on = date(2025, 8, 30)
    recommendation.save()
    _run(date(2025, 9, 5))
    assert not _mail(mailoutbox, world.ed, "scrutiny")


# The weekly summary -----------------------------------------------------------------------


def test_nothing_is_owed_when_there_is_no_intervention(world, mailoutbox):
    assert intervention_reminders(ACTION_LATE) == []
    counts = intervention_counts(ACTION_LATE)
    assert (counts.total, counts.updates_due) == (0, 0)


def test_the_weekly_summary_counts_the_intervention_work_owed(
    world, clinic, recommendation, mailoutbox
):
    counts = weekly_digest(ACTION_LATE).interventions
    # 10 October missed, 10 November due today: one overdue, one due.
    assert (counts.updates_overdue, counts.updates_due) == (1, 1)
    assert counts.actions_overdue == 1
    assert counts.reviews_due == 1
    _run(ACTION_LATE, "--digest")
    [email] = _mail(mailoutbox, world.alice, "weekly summary")
    assert "and 3 intervention tasks owed (clinic updates" in email.body
    assert "Clinic progress updates: 1 overdue, 1 due in the next 7 days." in email.body
    assert "Clinic actions overdue: 1." in email.body
    assert "Scrutiny recommendations due their six-month review: 1." in email.body
    assert "/scrutiny-recommendations/" in email.body
