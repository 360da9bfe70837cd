"""Trigger rules, the recommendations they raise, known risks and the escalation ladder.

Triggers recommend; people decide. A recommendation is one episode of a rule holding for an
indicator: it is *pending* while the rule holds for fewer periods than its "for" count, *firing*
once it has held long enough, and *resolved* once the rule has stopped holding for its recovery
periods. A new episode after resolution is a new row, so each dismissal's reason stays with the
episode it was given for and can be shown when the rule fires again.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from goldthread.indicators.models import Indicator
from goldthread.structure.models import Council


class TriggerKind(models.TextChoices):
    """Which condition the engine tests; the wording and numbers live on the rule."""

    MANAGERIAL_CLINIC = "managerial_clinic", "Managerial performance clinic"
    AD_HOC_CHALLENGE = "ad_hoc_challenge", "Ad hoc challenge event (member-led)"
    PLANNED_CHALLENGE = "planned_challenge", "Planned challenge event (scrutiny)"
    IMPROVEMENT_PLAN = "improvement_plan", "Performance Improvement Plan"
    RECOGNITION = "recognition", "Recognition of good performance"


class PeriodUnit(models.TextChoices):
    PERIOD = "period", "The indicator's own periods"
    QUARTER = "quarter", "Quarters (3 monthly periods or 1 quarterly period)"


class TriggerRule(models.Model):
    """A trigger a performance officer can read and change. Its kind decides what is tested."""

    code = models.SlugField(max_length=40, unique=True)
    kind = models.CharField(max_length=24, choices=TriggerKind.choices)
    name = models.CharField(max_length=200)
    wording = models.TextField(help_text="The trigger in the words of the council's framework.")
    source = models.CharField(max_length=300, blank=True, help_text="Where the wording comes from.")
    threshold = models.FloatField(
        null=True,
        blank=True,
        help_text="The number the rule compares against; what it means depends on the rule.",
    )
    for_periods = models.PositiveSmallIntegerField(
        default=1, help_text="How long the condition must hold before the rule fires."
    )
    recovery_periods = models.PositiveSmallIntegerField(
        default=1, help_text="How long the condition must stop holding before the rule clears."
    )
    period_unit = models.CharField(
        max_length=8, choices=PeriodUnit.choices, default=PeriodUnit.PERIOD
    )
    is_active = models.BooleanField(default=True)
    order = models.PositiveSmallIntegerField(default=0)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.name


class AlertState(models.TextChoices):
    PENDING = "pending", "Pending"
    FIRING = "firing", "Firing"
    RESOLVED = "resolved", "Resolved"


class Decision(models.TextChoices):
    AWAITING = "awaiting", "Awaiting a decision"
    ACCEPTED = "accepted", "Accepted"
    DISMISSED = "dismissed", "Dismissed"


class Recommendation(models.Model):
    """One episode of a trigger rule holding for one indicator, and what people decided."""

    indicator = models.ForeignKey(
        Indicator, on_delete=models.PROTECT, related_name="recommendations"
    )
    rule = models.ForeignKey(TriggerRule, on_delete=models.PROTECT, related_name="recommendations")
    state = models.CharField(max_length=12, choices=AlertState.choices)
    since_period = models.CharField(max_length=16, help_text="First period the rule held.")
    since_period_start = models.DateField()
    firing_period = models.CharField(
        max_length=16, blank=True, help_text="Period in which the rule fired."
    )
    last_period = models.CharField(
        max_length=16, help_text="Latest published period the rule was evaluated on."
    )
    resolved_period = models.CharField(max_length=16, blank=True)
    evidence = models.JSONField(default=list, blank=True, help_text="Sentences saying why.")
    decision = models.CharField(max_length=12, choices=Decision.choices, default=Decision.AWAITING)
    decision_reason = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-since_period_start", "indicator__code", "rule__order"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "rule"],
                condition=~Q(state="resolved"),
                name="one_open_recommendation_per_rule",
            )
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code}: {self.rule.name}"

    def get_absolute_url(self) -> str:
        return reverse("interventions:recommendation", args=[self.pk])


class RiskSource(models.TextChoices):
    OWNER = "owner", "Recorded by the indicator's owner"
    LINKED_RISK = "linked_risk", "From a linked risk"


class KnownRisk(models.Model):
    """A known event or risk expected to affect an indicator, recorded against it."""

    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="known_risks")
    description = models.TextField(help_text="What the event or risk is.")
    expected_effect = models.TextField(help_text="What it is expected to do to performance.")
    expected_by = models.DateField(help_text="By when the effect is expected.")
    forecast_to_miss = models.BooleanField(
        default=True, help_text="Whether it is expected to make the year-end target be missed."
    )
    source = models.CharField(max_length=12, choices=RiskSource.choices, default=RiskSource.OWNER)
    risk_reference = models.CharField(
        max_length=100, blank=True, help_text="The linked risk's reference in the risk register."
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    withdrawn_reason = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["indicator", "-recorded_at"]

    def __str__(self) -> str:
        return f"{self.indicator.code}: {self.description[:60]}"

    @property
    def is_current(self) -> bool:
        return self.withdrawn_at is None


class Forum(models.Model):
    """One rung of a council's escalation ladder."""

    council = models.ForeignKey(Council, on_delete=models.PROTECT, related_name="forums")
    name = models.CharField(max_length=200)
    position = models.PositiveSmallIntegerField(help_text="1 is the first rung.")
    composition = models.TextField(blank=True, help_text="Who sits on it.")
    responsibilities = models.TextField(blank=True)
    is_active = models.BooleanField(default=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["council", "position", "name"]

    def __str__(self) -> str:
        return self.name


class EscalationManager(models.Manager):
    def indicator_section(self, user):
        """The indicator page's "Interventions" section, reached as
        `indicator.escalations.indicator_section(user)`: a related manager knows its indicator,
        so the indicator page needs only one include line and no change to its presenter."""
        from goldthread.interventions.presenters import indicator_section

        return indicator_section(self.instance, user)


class Escalation(models.Model):
    """An indicator (or a clinic about it) taken up the ladder, and what the next forum decided."""

    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="escalations")
    recommendation = models.ForeignKey(
        Recommendation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="escalations",
    )
    clinic = models.ForeignKey(
        "clinics.Clinic",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="escalations",
        help_text="The clinic escalated, when it is a clinic rather than the indicator alone.",
    )
    from_forum = models.ForeignKey(
        Forum, null=True, blank=True, on_delete=models.PROTECT, related_name="escalations_out"
    )
    to_forum = models.ForeignKey(Forum, on_delete=models.PROTECT, related_name="escalations_in")
    reason = models.TextField(help_text="Why it is escalated.")
    escalated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    escalated_at = models.DateTimeField(auto_now_add=True)
    decision = models.TextField(blank=True, help_text="What the next forum decided.")
    decision_date = models.DateField(null=True, blank=True)
    decision_reference = models.CharField(
        max_length=200, blank=True, help_text="Meeting and minute number."
    )
    decision_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords()
    objects = EscalationManager()

    class Meta:
        ordering = ["-escalated_at"]

    def __str__(self) -> str:
        return f"{self.indicator.code} escalated to {self.to_forum.name}"

    def get_absolute_url(self) -> str:
        return reverse("interventions:escalation", args=[self.pk])

    @property
    def is_decided(self) -> bool:
        return bool(self.decision)
