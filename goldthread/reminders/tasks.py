"""Background tasks that send reminder emails, for `goldthread db_worker` to run.

Each task writes its ReminderSent rows and sends in one transaction: the rows claim the
reminder (a second worker, or a second run of the scheduler, finds them and skips), and if
sending fails they roll back so the next run tries again. The one gap left is a crash
between sending and committing, which can send an email twice: better than never.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.tasks import task
from django.utils import timezone

from goldthread.accounts.models import User
from goldthread.analysis.calendar import window_for
from goldthread.analysis.periods import parse_period, uk_local_date
from goldthread.audit.models import AuditEvent
from goldthread.collection.presenters import calendar_rules
from goldthread.indicators.models import Indicator
from goldthread.reminders import emails
from goldthread.reminders.interventions import WorkItem, still_owed
from goldthread.reminders.models import ReminderKind, ReminderSent
from goldthread.reminders.services import (
    CALENDAR_KINDS,
    ReminderItem,
    correction_url,
    entry_url,
    still_outstanding,
    weekly_digest,
)


def _claim(**row: Any) -> bool:
    """Log a reminder as sent; False when it already was."""
    try:
        with transaction.atomic():
            ReminderSent.objects.create(**row)
    except IntegrityError:
        return False
    return True


@task
def send_reminder_email(user_id: int, kind: str, items: list[dict[str, Any]]) -> int:
    """Email one person about figures due, overdue or returned. Returns how many it listed."""
    user = User.objects.get(pk=user_id)
    listed = [ReminderItem.from_dict(data) for data in items]
    if kind in CALENDAR_KINDS:
        listed = still_outstanding(listed)
    today = uk_local_date(timezone.now())
    with transaction.atomic():
        fresh = [
            item
            for item in listed
            if _claim(
                user=user,
                kind=kind,
                indicator_id=item.indicator_id,
                period=item.period,
                audit_event_id=item.audit_event_id,
                sent_on=today,
            )
        ]
        if fresh and user.email:
            emails.reminder_email(user, kind, fresh).message(user.email).send()
    return len(fresh)


@task
def send_intervention_email(user_id: int, kind: str, items: list[dict[str, Any]]) -> int:
    """Email one person about clinic, improvement plan or scrutiny work owed. Returns how many
    things it listed; those done since the reminder was queued are left out."""
    user = User.objects.get(pk=user_id)
    today = uk_local_date(timezone.now())
    listed = still_owed(kind, [WorkItem.from_dict(data) for data in items], today)
    with transaction.atomic():
        fresh = [
            item
            for item in listed
            if _claim(user=user, kind=kind, about=item.about, period=item.when, sent_on=today)
        ]
        if fresh and user.email:
            emails.intervention_email(user, kind, fresh).message(user.email).send()
    return len(fresh)


@task
def send_weekly_digest(user_id: int, today_iso: str) -> bool:
    """Email one performance officer the weekly summary for a day, once."""
    user = User.objects.get(pk=user_id)
    today = date.fromisoformat(today_iso)
    with transaction.atomic():
        if not _claim(user=user, kind=ReminderKind.DIGEST, sent_on=today) or not user.email:
            return False
        emails.digest_email(user, weekly_digest(today)).message(user.email).send()
    return True


def returned_item(event: AuditEvent) -> tuple[User, ReminderItem] | None:
    """The data owner to tell about a returned figure or correction, and what to tell them.

    A correction of a published figure (ADR 11) is returned with the same "returned" event,
    naming the correction in its data: its email links to the correction page and gives no
    due date, since a correction has none (ADR 19).
    """
    indicator = Indicator.objects.select_related("data_owner").filter(pk=event.object_id).first()
    owner = indicator.data_owner if indicator else None
    if owner is None or not owner.is_active or not owner.email:
        return None
    period = parse_period(event.data["period"])
    correction_id = event.data.get("correction")
    if correction_id:
        due, url = "", correction_url(indicator, period)
    else:
        due, url = (
            window_for(period, calendar_rules()).due.isoformat(),
            entry_url(indicator, period),
        )
    return owner, ReminderItem(
        indicator_id=indicator.pk,
        code=indicator.code,
        name=indicator.name,
        period=period.key,
        period_label=period.label,
        due=due,
        url=url,
        reason=event.reason,
        returned_by=str(event.actor) if event.actor else "",
        audit_event_id=event.pk,
        correction_id=correction_id or None,
    )


def enqueue_returned(event_id: int) -> None:
    """Queue the "returned" email for a return that has just been committed."""
    event = AuditEvent.objects.select_related("actor").get(pk=event_id)
    found = returned_item(event)
    if found is not None:
        owner, item = found
        send_reminder_email.enqueue(owner.pk, ReminderKind.RETURNED.value, [asdict(item)])
