"""Performance clinics: who asked for one, its panel, agenda, minutes, decisions and action plan.

The three kinds of clinic (seed 000) differ in who may request them, who sits on the panel
and what they produce; the panel's questions (seed 004) frame every agenda. A clinic's action
plan is monitored by progress updates until the panel records that it is satisfied, or the
clinic ends another way (escalated, referred to cabinet, good performance recognised).
Nothing here is deleted: withdrawn clinics, removed panel members and dropped actions keep
their rows with who and why.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from goldthread.committees.models import Committee
from goldthread.indicators.models import Indicator

_USER = settings.AUTH_USER_MODEL


class ClinicKind(models.TextChoices):
    MANAGERIAL = "managerial", "Managerial performance clinic"
    AD_HOC_CHALLENGE = "ad_hoc_challenge", "Ad hoc challenge event"
    PLANNED_CHALLENGE = "planned_challenge", "Planned challenge event"
    SPOTLIGHT_REVIEW = "spotlight_review", "Spotlight review"


SCRUTINY_LED = (ClinicKind.PLANNED_CHALLENGE, ClinicKind.SPOTLIGHT_REVIEW)
MEMBER_LED = (ClinicKind.AD_HOC_CHALLENGE, *SCRUTINY_LED)


class ClinicState(models.TextChoices):
    REQUESTED = "requested", "Requested"
    SCHEDULED = "scheduled", "Scheduled"
    HELD = "held", "Held: action plan being monitored"
    CLOSED = "closed", "Closed"
    WITHDRAWN = "withdrawn", "Withdrawn"


OPEN_STATES = (ClinicState.REQUESTED, ClinicState.SCHEDULED, ClinicState.HELD)


class ClinicOutcome(models.TextChoices):
    SATISFIED = "satisfied", "Closed: the panel is satisfied"
    ESCALATED = "escalated", "Escalated to the next forum"
    REFERRED_TO_CABINET = "referred_to_cabinet", "Referred to cabinet with recommendations"
    RECOGNISED = "recognised", "Good performance recognised"


class UpdateFrequency(models.TextChoices):
    MONTHLY = "monthly", "Every month"
    INDICATOR = "indicator", "As often as the indicators are collected"


class Clinic(models.Model):
    reference = models.CharField(max_length=16, unique=True, help_text="For example PC-0007.")
    kind = models.CharField(max_length=24, choices=ClinicKind.choices)
    title = models.CharField(max_length=300)
    reason = models.TextField(help_text="The issue, theme or cause for concern.")
    state = models.CharField(
        max_length=16, choices=ClinicState.choices, default=ClinicState.REQUESTED
    )
    indicators = models.ManyToManyField(Indicator, related_name="clinics")
    recommendation = models.ForeignKey(
        "interventions.Recommendation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="clinics",
        help_text="The trigger recommendation the clinic was opened from, if any.",
    )
    requested_by = models.ForeignKey(_USER, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    requested_from = models.ForeignKey(
        "interventions.Forum",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="clinics_requested",
        help_text="The rung of the escalation ladder that asked for the clinic.",
    )
    committee = models.ForeignKey(
        Committee,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="clinics",
        help_text="The scrutiny committee whose work programme holds a planned challenge.",
    )
    scheduled_for = models.DateTimeField(null=True, blank=True)
    location = models.CharField(max_length=300, blank=True)
    chair = models.ForeignKey(
        _USER, null=True, blank=True, on_delete=models.PROTECT, related_name="clinics_chaired"
    )
    facilitator = models.ForeignKey(
        _USER,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="clinics_facilitated",
        help_text="The performance officer who organises the clinic and manages the plan.",
    )
    held_on = models.DateField(null=True, blank=True)
    minutes = models.TextField(blank=True)
    minutes_by = models.ForeignKey(
        _USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    minutes_at = models.DateTimeField(null=True, blank=True)
    update_frequency = models.CharField(
        max_length=16, choices=UpdateFrequency.choices, default=UpdateFrequency.MONTHLY
    )
    exit_improving_periods = models.PositiveSmallIntegerField(
        default=3,
        help_text="Consecutive periods each better than the last, or on target, before exit.",
    )
    exit_actions_delivered = models.BooleanField(
        default=True, help_text="Every action must be delivered before exit."
    )
    exit_notes = models.TextField(blank=True, help_text="Any other exit criteria, in words.")
    outcome = models.CharField(max_length=24, choices=ClinicOutcome.choices, blank=True)
    outcome_summary = models.TextField(blank=True)
    cabinet_recommendations = models.TextField(blank=True)
    outcome_by = models.ForeignKey(
        _USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    outcome_at = models.DateTimeField(null=True, blank=True)
    withdrawn_reason = models.TextField(blank=True)
    is_published = models.BooleanField(default=False)
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        _USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords(m2m_fields=[indicators])

    class Meta:
        ordering = ["-requested_at", "-id"]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("clinics:detail", args=[self.reference])

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES

    @property
    def is_member_led(self) -> bool:
        return self.kind in MEMBER_LED

    @property
    def is_scrutiny_led(self) -> bool:
        return self.kind in SCRUTINY_LED


class PanelRole(models.TextChoices):
    DIRECTOR = "director", "Director"
    SERVICE_MANAGER = "service_manager", "Service manager accountable for an indicator"
    FACILITATOR = "facilitator", "Performance team (facilitator)"
    CABINET_MEMBER = "cabinet_member", "Cabinet member"
    PEER = "peer", "Peer member"
    SCRUTINY_MEMBER = "scrutiny_member", "Scrutiny member (invited)"
    COMMITTEE_CHAIR = "committee_chair", "Chair of the service committee"
    OTHER = "other", "Other"


class PanelMember(models.Model):
    """Someone on the panel or invited to attend: a person with a login, or a named guest."""

    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="panel")
    user = models.ForeignKey(
        _USER, null=True, blank=True, on_delete=models.PROTECT, related_name="clinic_panels"
    )
    name = models.CharField(max_length=200, blank=True, help_text="For guests without a login.")
    role = models.CharField(max_length=24, choices=PanelRole.choices)
    attended = models.BooleanField(null=True, blank=True)
    removed_at = models.DateTimeField(null=True, blank=True)
    removed_reason = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["clinic", "id"]

    def __str__(self) -> str:
        return f"{self.display_name}, {self.get_role_display()}"

    @property
    def display_name(self) -> str:
        return str(self.user) if self.user else self.name


class AgendaItem(models.Model):
    """One question the panel asks; what the accountable person answered goes in the minutes."""

    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="agenda")
    order = models.PositiveSmallIntegerField()
    question = models.CharField(max_length=500)
    answer = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["clinic", "order"]
        constraints = [
            models.UniqueConstraint(fields=["clinic", "order"], name="one_agenda_item_per_place")
        ]

    def __str__(self) -> str:
        return self.question


class Decision(models.Model):
    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="decisions")
    number = models.PositiveSmallIntegerField()
    text = models.TextField()
    recorded_by = models.ForeignKey(_USER, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["clinic", "number"]
        constraints = [
            models.UniqueConstraint(fields=["clinic", "number"], name="one_decision_number")
        ]

    def __str__(self) -> str:
        return f"{self.clinic.reference} decision {self.number}"


class ActionStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    DELIVERED = "delivered", "Delivered"
    DROPPED = "dropped", "Dropped by the panel"


FINISHED_ACTIONS = (ActionStatus.DELIVERED, ActionStatus.DROPPED)


class Action(models.Model):
    """One action in the clinic's action plan (the recovery plan of seed 004)."""

    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="actions")
    number = models.PositiveSmallIntegerField()
    description = models.TextField()
    owner = models.ForeignKey(_USER, on_delete=models.PROTECT, related_name="clinic_actions")
    due_on = models.DateField()
    status = models.CharField(
        max_length=16, choices=ActionStatus.choices, default=ActionStatus.NOT_STARTED
    )
    indicators = models.ManyToManyField(Indicator, blank=True, related_name="clinic_actions")
    factors = models.TextField(
        blank=True, help_text="The causes of the problem this action addresses."
    )
    latest_note = models.TextField(blank=True)
    history = HistoricalRecords(m2m_fields=[indicators])

    class Meta:
        ordering = ["clinic", "number"]
        constraints = [
            models.UniqueConstraint(fields=["clinic", "number"], name="one_action_number")
        ]

    def __str__(self) -> str:
        return f"{self.clinic.reference} action {self.number}"

    @property
    def is_finished(self) -> bool:
        return self.status in FINISHED_ACTIONS


class ProgressUpdate(models.Model):
    """A progress report to the panel on the action plan, due monthly until it is satisfied."""

    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="updates")
    due_on = models.DateField()
    summary = models.TextField()
    written_by = models.ForeignKey(_USER, on_delete=models.PROTECT, related_name="+")
    written_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["clinic", "due_on"]
        constraints = [
            models.UniqueConstraint(fields=["clinic", "due_on"], name="one_update_per_due_date")
        ]

    def __str__(self) -> str:
        return f"{self.clinic.reference} update due {self.due_on:%-d %B %Y}"


class ActionProgress(models.Model):
    """What one progress update said about one action."""

    update = models.ForeignKey(ProgressUpdate, on_delete=models.PROTECT, related_name="lines")
    action = models.ForeignKey(Action, on_delete=models.PROTECT, related_name="progress")
    status = models.CharField(max_length=16, choices=ActionStatus.choices)
    note = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["update", "action__number"]
        constraints = [
            models.UniqueConstraint(fields=["update", "action"], name="one_line_per_action")
        ]

    def __str__(self) -> str:
        return f"{self.action} in {self.update}"
