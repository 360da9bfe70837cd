"""A correction of a published figure returned by a performance officer emails its data owner,
like a returned figure (ADR 19): once per return, again only when it is returned again, with
the reason and a link to the correction page; the weekly summary counts returned corrections."""

from __future__ import annotations

import re
from datetime import date

import pytest

from goldthread.collection import corrections
from goldthread.collection.models import Correction
from goldthread.collection.services import CollectionError, Entry
from goldthread.indicators.models import Value
from goldthread.reminders.models import ReminderKind, ReminderSent
from goldthread.reminders.services import weekly_digest
from goldthread.reminders.tasks import enqueue_returned, send_weekly_digest

CORRECT_PATH = "/indicators/ENV1/figures/2025-06/correction/"
WHY = "The supplier re-sent the June tonnage"


def _submitted(world) -> Correction:
    june = Value.objects.get(indicator=world.recycling, period="2025-06", area__isnull=True)
    return corrections.save_correction(
        june,
        Entry(value=51.0, commentary="Tonnage re-sent."),
        reason=WHY,
        actor=world.bob,
        revision=None,
        submit=True,
    )


def _return(correction: Correction, world, reason: str, capture) -> None:
    with capture(execute=True):
        corrections.return_correction(correction, actor=world.alice, reason=reason)


def _resubmit(correction: Correction, world) -> None:
    correction.refresh_from_db()
    corrections.save_correction(
        correction.figure,
        Entry(value=50.5, commentary="Tonnage re-sent again."),
        reason=WHY,
        actor=world.bob,
        revision=correction.revision,
        submit=True,
    )


def test_bob_is_emailed_the_reason_and_a_link_to_the_correction_when_alice_returns_it(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    correction = _submitted(world)

    _return(correction, world, "Which supplier sent it?", django_capture_on_commit_callbacks)

    [email] = mailoutbox
    assert email.to == ["bob@example.org"]
    assert email.subject == (
        "Goldthread: your correction of the June 2025 figure for Household waste recycled "
        "needs changes"
    )
    assert "Alice Tester returned your correction of a published figure for changes." in (
        email.body
    )
    assert "The published figure stays as it is" in email.body
    assert "Reason: Which supplier sent it?" in email.body
    assert f"Change the correction: http://127.0.0.1:8000{CORRECT_PATH}" in email.body
    assert "due by" not in email.body.lower()
    html = email.alternatives[0].content
    assert f'href="http://127.0.0.1:8000{CORRECT_PATH}"' in html and "<img" not in html


def test_the_link_in_the_email_opens_the_correction_page_for_bob(
    world, mailoutbox, login, django_capture_on_commit_callbacks
):
    _return(_submitted(world), world, "Which supplier?", django_capture_on_commit_callbacks)

    [url] = re.findall(r"http://127\.0\.0\.1:8000(\S+)", mailoutbox[0].body)
    page = login(world.bob).get(url)

    assert url == CORRECT_PATH
    assert page.status_code == 200
    assert "Returned for changes: Which supplier?" in page.content.decode()


def test_each_return_of_a_correction_gets_its_own_email_and_one_log_row(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    correction = _submitted(world)

    _return(correction, world, "Which supplier?", django_capture_on_commit_callbacks)
    _resubmit(correction, world)
    _return(correction, world, "Still no supplier named.", django_capture_on_commit_callbacks)

    assert [re.search(r"Reason: (.*)", m.body)[1] for m in mailoutbox] == [
        "Which supplier?",
        "Still no supplier named.",
    ]
    sent = ReminderSent.objects.filter(user=world.bob, kind=ReminderKind.RETURNED)
    assert sent.count() == 2


def test_the_same_return_queued_twice_is_emailed_once(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    _return(_submitted(world), world, "Which supplier?", django_capture_on_commit_callbacks)
    event = ReminderSent.objects.get(kind=ReminderKind.RETURNED).audit_event

    enqueue_returned(event.pk)

    assert len(mailoutbox) == 1


def test_a_return_of_a_correction_that_is_refused_sends_nothing(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    correction = _submitted(world)

    with pytest.raises(CollectionError):
        _return(correction, world, "  ", django_capture_on_commit_callbacks)

    assert mailoutbox == []


def test_a_data_owner_without_an_email_address_or_no_longer_active_is_not_emailed(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    correction = _submitted(world)
    world.bob.is_active = False
    world.bob.save()

    _return(correction, world, "Which supplier?", django_capture_on_commit_callbacks)

    assert mailoutbox == []
    assert not ReminderSent.objects.exists()


def test_the_weekly_summary_counts_corrections_returned_and_not_yet_resubmitted(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    correction = _submitted(world)
    monday = date(2026, 11, 16)
    assert weekly_digest(monday).returned_corrections == 0

    _return(correction, world, "Which supplier?", django_capture_on_commit_callbacks)
    returned = weekly_digest(monday)
    _resubmit(correction, world)

    assert returned.returned_corrections == 1
    assert weekly_digest(monday).returned_corrections == 0


def test_the_weekly_summary_email_says_how_many_corrections_came_back(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    _return(_submitted(world), world, "Which supplier?", django_capture_on_commit_callbacks)
    mailoutbox.clear()

    send_weekly_digest.enqueue(world.alice.pk, "2026-11-16")

    [email] = mailoutbox
    assert (
        "1 correction of a published figure returned to data owners and not yet submitted again."
        in email.body
    )
