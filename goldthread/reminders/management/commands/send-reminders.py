"""`goldthread send-reminders`: queue today's reminder emails and, on Mondays, the summary."""

from __future__ import annotations

from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from goldthread.analysis.periods import uk_local_date
from goldthread.jinja2env import govuk_date
from goldthread.reminders.interventions import WorkReminder, intervention_reminders
from goldthread.reminders.models import ReminderKind
from goldthread.reminders.services import Reminder, digest_recipients, due_reminders
from goldthread.reminders.tasks import (
    send_intervention_email,
    send_reminder_email,
    send_weekly_digest,
)


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CommandError(f'"{text}" is not a date like 2026-11-16') from None


class Command(BaseCommand):
    help = (
        "Queue today's reminder emails to data owners (figures due soon or overdue), to those "
        "who owe clinic updates and actions, improvement plan progress and scrutiny reviews, "
        "and, on Mondays, the weekly summary for performance officers. Run it once a day from "
        "cron; running it again sends nothing new. The emails are sent by the task worker: keep "
        "`goldthread db_worker` running as a service."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--date", type=_date, help="Act as if today were this day (YYYY-MM-DD)."
        )
        parser.add_argument(
            "--digest",
            action="store_true",
            help="Send the weekly summary today even if it is not Monday.",
        )

    def handle(self, *args, **options) -> None:
        today = options["date"] or uk_local_date(timezone.now())
        queued = 0
        for reminder in due_reminders(today):
            queued += self._queue(send_reminder_email, reminder, "figure")
        for work in intervention_reminders(today):
            queued += self._queue(send_intervention_email, work, "item")
        for officer in digest_recipients(today, force=options["digest"]):
            send_weekly_digest.enqueue(officer.pk, today.isoformat())
            self.stdout.write(f"Queued weekly summary to {officer}")
            queued += 1
        if not queued:
            self.stdout.write(f"Nothing to send on {govuk_date(today)}.")

    def _queue(self, send, reminder: Reminder | WorkReminder, noun: str) -> int:
        """Queue one person's email of one kind and say so."""
        send.enqueue(reminder.user.pk, reminder.kind.value, reminder.payload())
        count = len(reminder.items)
        self.stdout.write(
            f"Queued {ReminderKind(reminder.kind).label.lower()} email to "
            f"{reminder.user} ({count} {noun}{'' if count == 1 else 's'})"
        )
        return 1
