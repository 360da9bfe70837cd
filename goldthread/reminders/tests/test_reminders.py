"""Reminder emails, as data owners and performance officers would get them.

The dates come from October 2026's monthly window in England and Wales (the test council is
English): it opens on Monday 2 November, turns due soon on Tuesday 10 November, is due on
Friday 13 November, is overdue from Monday 16 November and closes on Friday 20 November.
"""

from __future__ import annotations

import re
from datetime import date
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command

from goldthread.analysis.calendar import CalendarRules, window_for
from goldthread.analysis.periods import parse_period
from goldthread.collection import services as collection
from goldthread.collection.services import Entry
from goldthread.indicators.models import Indicator, Value, ValueState
from goldthread.indicators.services.judging import rejudge
from goldthread.reminders.models import ReminderKind, ReminderSent
from goldthread.reminders.services import calendar_kind, due_reminders, weekly_digest
from goldthread.reminders.tasks import send_reminder_email, send_weekly_digest
from goldthread.testing.world import add_values

OCTOBER = parse_period("2026-10")
TUESDAY_DUE_SOON = date(2026, 11, 10)
FRIDAY_DUE = date(2026, 11, 13)
MONDAY_OVERDUE = date(2026, 11, 16)
ENTRY_PATH = "/indicators/ENV1/figures/2026-10/"


def _run(day: date, *args: str) -> str:
    out = StringIO()
    with time_machine.travel(f"{day.isoformat()} 07:00 +0000", tick=False):
        call_command("send-reminders", *args, stdout=out)
    return out.getvalue()


def _to(mailoutbox, user) -> list:
    return [m for m in mailoutbox if m.to == [user.email]]


def _second_monthly_indicator(world) -> Indicator:
    return Indicator.objects.create(
        code="ENV2",
        name="Fly-tipping cleared within 2 days",
        unit="percent",
        frequency="monthly",
        data_owner=world.bob,
    )


# --- The calendar ---------------------------------------------------------------------


def test_the_dates_used_here_are_the_real_october_2026_window():
    window = window_for(OCTOBER, CalendarRules())
    assert (window.opens, window.due) == (date(2026, 11, 2), FRIDAY_DUE)


@pytest.mark.parametrize(
    ("today", "kind"),
    [
        (date(2026, 11, 2), None),  # open, not yet due soon
        (date(2026, 11, 9), None),
        (TUESDAY_DUE_SOON, ReminderKind.BEFORE_DUE),
        (date(2026, 11, 12), ReminderKind.BEFORE_DUE),  # caught up if a run was missed
        (FRIDAY_DUE, ReminderKind.BEFORE_DUE),
        (date(2026, 11, 14), None),  # Saturday: late, but not a working day
        (MONDAY_OVERDUE, ReminderKind.OVERDUE),
        (date(2026, 11, 20), ReminderKind.OVERDUE),  # the window's last day
        (date(2026, 11, 23), None),  # closed
    ],
)
def test_each_day_of_the_window_calls_for_the_right_reminder(today, kind):
    rules = CalendarRules()
    assert calendar_kind(window_for(OCTOBER, rules), today, rules) == kind


# --- Before the due date --------------------------------------------------------------


def test_bob_is_reminded_on_the_day_the_figure_turns_due_soon(world, mailoutbox):
    _run(TUESDAY_DUE_SOON)
    [email] = mailoutbox
    assert email.to == ["bob@example.org"]
    assert email.subject == "Goldthread: 1 figure due by 13 November"
    assert "Household waste recycled (ENV1), October 2026" in email.body
    assert "Due by 13 November 2026" in email.body
    assert f"http://127.0.0.1:8000{ENTRY_PATH}" in email.body


def test_nothing_is_sent_before_the_figure_is_due_soon(world, mailoutbox):
    assert "Nothing to send on 4 November 2026." in _run(date(2026, 11, 4))
    _run(date(2026, 11, 2))
    _run(date(2026, 11, 9))
    assert _to(mailoutbox, world.bob) == []


def test_one_email_lists_all_of_a_persons_figures(world, mailoutbox):
    _second_monthly_indicator(world)
    _run(TUESDAY_DUE_SOON)
    [email] = mailoutbox
    assert email.subject == "Goldthread: 2 figures due by 13 November"
    assert "(ENV1), October 2026" in email.body and "(ENV2), October 2026" in email.body


def test_the_html_version_has_headings_lists_and_links_and_no_images(world, mailoutbox):
    _run(TUESDAY_DUE_SOON)
    html, mimetype = mailoutbox[0].alternatives[0]
    assert mimetype == "text/html"
    assert '<html lang="en-GB">' in html and "<h2" in html and "<ul>" in html
    assert f'href="http://127.0.0.1:8000{ENTRY_PATH}"' in html
    assert "<img" not in html


def test_a_figure_already_submitted_gets_no_reminder(world, mailoutbox):
    add_values(world.recycling, {"2026-10": 51.0}, state=ValueState.SUBMITTED)
    assert due_reminders(TUESDAY_DUE_SOON) == []
    _run(TUESDAY_DUE_SOON)
    _run(MONDAY_OVERDUE)
    assert _to(mailoutbox, world.bob) == []


def test_a_draft_figure_still_gets_a_reminder(world, mailoutbox):
    add_values(world.recycling, {"2026-10": 51.0}, state=ValueState.DRAFT)
    _run(TUESDAY_DUE_SOON)
    assert len(_to(mailoutbox, world.bob)) == 1


def test_running_twice_a_day_sends_nothing_new(world, mailoutbox):
    _run(TUESDAY_DUE_SOON)
    second = _run(TUESDAY_DUE_SOON)
    _run(date(2026, 11, 11))
    assert len(mailoutbox) == 1
    assert second.startswith("Nothing to send")
    assert ReminderSent.objects.filter(kind=ReminderKind.BEFORE_DUE).count() == 1


def test_a_task_run_twice_for_the_same_reminder_sends_once(world, mailoutbox):
    [reminder] = due_reminders(TUESDAY_DUE_SOON)
    for _ in range(2):
        send_reminder_email.enqueue(world.bob.pk, reminder.kind.value, reminder.payload())
    assert len(mailoutbox) == 1


# --- Overdue --------------------------------------------------------------------------


def test_an_overdue_figure_is_chased_once(world, mailoutbox):
    out = _run(MONDAY_OVERDUE)
    _run(MONDAY_OVERDUE)
    _run(date(2026, 11, 17))
    [email] = _to(mailoutbox, world.bob)
    assert "Queued figure overdue email to Bob Tester (1 figure)" in out
    assert email.subject == "Goldthread: 1 figure is overdue"
    assert "Household waste recycled (ENV1), October 2026" in email.body


def test_an_overdue_figure_is_chased_even_after_a_before_due_reminder(world, mailoutbox):
    _run(TUESDAY_DUE_SOON)
    _run(MONDAY_OVERDUE)
    subjects = [m.subject for m in _to(mailoutbox, world.bob)]
    assert subjects == [
        "Goldthread: 1 figure due by 13 November",
        "Goldthread: 1 figure is overdue",
    ]


def test_a_figure_submitted_after_the_reminder_was_queued_is_left_out(world, mailoutbox):
    [reminder] = due_reminders(MONDAY_OVERDUE)
    add_values(world.recycling, {"2026-10": 51.0}, state=ValueState.SUBMITTED)
    send_reminder_email.enqueue(world.bob.pk, reminder.kind.value, reminder.payload())
    assert mailoutbox == []


# --- Returned for changes -------------------------------------------------------------


def _submit_october(world) -> Value:
    with time_machine.travel("2026-11-05 10:00 +0000"):
        return collection.save_entry(
            world.recycling,
            OCTOBER,
            Entry(value=55.0, commentary="Garden waste collections restarted."),
            actor=world.bob,
            revision=None,
            submit=True,
        )


def test_bob_is_emailed_the_reason_when_alice_returns_his_figure(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    figure = _submit_october(world)
    with django_capture_on_commit_callbacks(execute=True):
        collection.return_for_changes(
            figure, actor=world.alice, reason="The figure leaves out the garden waste tonnage."
        )
    [email] = mailoutbox
    assert email.to == ["bob@example.org"]
    assert email.subject == (
        "Goldthread: your October 2026 figure for Household waste recycled needs changes"
    )
    assert "Alice Tester returned your figure for changes." in email.body
    assert "Reason: The figure leaves out the garden waste tonnage." in email.body
    assert f"Change the figure: http://127.0.0.1:8000{ENTRY_PATH}" in email.body


def test_each_return_of_a_figure_gets_its_own_email(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    figure = _submit_october(world)
    for reason in ("Wrong month.", "Still the wrong month."):
        with django_capture_on_commit_callbacks(execute=True):
            collection.return_for_changes(figure, actor=world.alice, reason=reason)
        figure.refresh_from_db()
        figure.state = ValueState.SUBMITTED
        figure.save()
    assert [re.search(r"Reason: (.*)", m.body)[1] for m in mailoutbox] == [
        "Wrong month.",
        "Still the wrong month.",
    ]


def test_a_return_that_is_rolled_back_sends_nothing(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    figure = _submit_october(world)
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(collection.CollectionError),
    ):
        collection.return_for_changes(figure, actor=world.alice, reason="  ")
    assert mailoutbox == []


# --- The weekly summary ---------------------------------------------------------------


def test_alice_alone_gets_the_weekly_summary_on_monday(world, mailoutbox):
    add_values(world.recycling, {"2026-09": 48.0}, state=ValueState.SUBMITTED)
    out = _run(MONDAY_OVERDUE)
    [email] = _to(mailoutbox, world.alice)
    assert "Queued weekly summary to Alice Tester" in out
    assert email.subject == "Goldthread: weekly summary for 16 November 2026"
    assert "1 figure submitted and waiting to be checked." in email.body
    assert "Bob Tester: 1 figure" in email.body
    assert "Household waste recycled (ENV1), October 2026" in email.body
    assert {tuple(m.to) for m in mailoutbox} == {("alice@example.org",), ("bob@example.org",)}


def test_the_summary_is_not_sent_on_other_days_unless_asked_for(world, mailoutbox):
    _run(date(2026, 11, 17))
    assert _to(mailoutbox, world.alice) == []
    assert "Queued weekly summary to Alice Tester" in _run(date(2026, 11, 17), "--digest")
    _run(date(2026, 11, 17), "--digest")
    assert len(_to(mailoutbox, world.alice)) == 1


def test_the_summary_counts_returned_figures_and_new_red_results(world):
    add_values(world.recycling, {"2026-09": 48.0}, state=ValueState.RETURNED)
    with time_machine.travel("2026-11-12 10:00 +0000"):
        add_values(world.recycling, {"2025-10": 30.0}, state=ValueState.APPROVED)
        rejudge([world.recycling])
    digest = weekly_digest(MONDAY_OVERDUE)
    assert digest.returned == 1
    assert ("ENV1", "October 2025") in [(c.code, c.period_label) for c in digest.red_changes]
    assert weekly_digest(date(2026, 11, 30)).red_changes == ()


def test_the_summary_task_sends_once_a_day(world, mailoutbox):
    for _ in range(2):
        send_weekly_digest.enqueue(world.alice.pk, MONDAY_OVERDUE.isoformat())
    assert len(mailoutbox) == 1


# --- Links ----------------------------------------------------------------------------


def test_the_links_in_the_emails_open_the_entry_page_for_bob(world, mailoutbox, login):
    _run(TUESDAY_DUE_SOON)
    urls = re.findall(r"http://127\.0\.0\.1:8000(\S+)", mailoutbox[0].body)
    assert ENTRY_PATH in urls and "/my-updates/" in urls
    client = login(world.bob)
    with time_machine.travel("2026-11-10 09:00 +0000"):
        assert [client.get(url).status_code for url in urls] == [200] * len(urls)
