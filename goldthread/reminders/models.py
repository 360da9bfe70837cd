"""A log of every reminder email sent, so that each one goes out once.

The scheduler can run as often as it likes: a reminder already in the log is not sent again.
The unique constraints are the real guard (two workers racing both try to insert; one wins):

- "before due" and "overdue" emails: once per person, indicator and period, ever;
- "returned" emails: once per return (the audit event that recorded it), so a figure
  returned twice gets two emails, each with its own reason;
- the weekly digest: once per performance officer a day;
- intervention reminders (clinic updates and actions, improvement plan progress, scrutiny
  reviews): once per person, kind, thing (``about``, like "clinic:PC-0007") and due date or
  period, so a changed due date or a new period earns a new email and nothing else does.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from goldthread.audit.models import AuditEvent
from goldthread.indicators.models import Indicator


class ReminderKind(models.TextChoices):
    BEFORE_DUE = "before_due", "Figure due soon"
    OVERDUE = "overdue", "Figure overdue"
    RETURNED = "returned", "Figure returned for changes"
    DIGEST = "digest", "Weekly summary"
    UPDATE_DUE = "update_due", "Clinic progress update due"
    UPDATE_OVERDUE = "update_overdue", "Clinic progress update overdue"
    ACTION_OVERDUE = "action_overdue", "Clinic action overdue"
    ENTRY_DUE = "entry_due", "Improvement plan progress due"
    ENTRY_OVERDUE = "entry_overdue", "Improvement plan progress overdue"
    REVIEW_DUE = "review_due", "Scrutiny review due"


INTERVENTION_KINDS = (
    ReminderKind.UPDATE_DUE,
    ReminderKind.UPDATE_OVERDUE,
    ReminderKind.ACTION_OVERDUE,
    ReminderKind.ENTRY_DUE,
    ReminderKind.ENTRY_OVERDUE,
    ReminderKind.REVIEW_DUE,
)


class ReminderSent(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="reminders_sent"
    )
    kind = models.CharField(max_length=16, choices=ReminderKind.choices)
    indicator = models.ForeignKey(
        Indicator, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    period = models.CharField(
        max_length=16,
        blank=True,
        help_text="Period key, like 2026-10, or for interventions the due date, like 2026-12-10.",
    )
    about = models.CharField(
        max_length=64,
        blank=True,
        help_text='For interventions: what the email was about, like "clinic:PC-0007".',
    )
    audit_event = models.ForeignKey(
        AuditEvent,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="For returned figures: the return this email told the data owner about.",
    )
    sent_on = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "kind", "indicator", "period"],
                condition=Q(kind__in=["before_due", "overdue"]),
                name="one_calendar_reminder_per_figure",
            ),
            models.UniqueConstraint(
                fields=["user", "audit_event"],
                condition=Q(kind="returned"),
                name="one_returned_email_per_return",
            ),
            models.UniqueConstraint(
                fields=["user", "sent_on"],
                condition=Q(kind="digest"),
                name="one_digest_a_day",
            ),
            models.UniqueConstraint(
                fields=["user", "kind", "about", "period"],
                condition=Q(kind__in=[kind.value for kind in INTERVENTION_KINDS]),
                name="one_intervention_reminder_per_due_date",
            ),
        ]

    def __str__(self) -> str:
        about = f" {self.indicator_id} {self.period}" if self.indicator_id else ""
        if self.about:
            about = f" {self.about} {self.period}"
        return f"{self.sent_on} {self.kind} to {self.user_id}{about}"
