"""Committees, who sits on them, what they see, and when they meet."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from goldthread.indicators.models import Indicator
from goldthread.structure.models import Area, Priority


class CommitteeKind(models.TextChoices):
    SCRUTINY = "scrutiny", "Overview and scrutiny"
    AUDIT_PERFORMANCE = "audit_performance", "Audit and performance"
    CABINET = "cabinet", "Cabinet"
    POLICY = "policy", "Policy committee"
    AREA = "area", "Area committee"


class Committee(models.Model):
    code = models.SlugField(max_length=32, unique=True)
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=24, choices=CommitteeKind.choices)
    description = models.TextField(blank=True)
    area = models.ForeignKey(
        Area, null=True, blank=True, on_delete=models.PROTECT, related_name="committees"
    )
    scope_priorities = models.ManyToManyField(Priority, blank=True, related_name="committees")
    scope_indicators = models.ManyToManyField(Indicator, blank=True, related_name="committees")
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="CommitteeMembership", related_name="committees"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class CommitteeMembership(models.Model):
    committee = models.ForeignKey(Committee, on_delete=models.PROTECT, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="committee_memberships"
    )
    is_chair = models.BooleanField(default=False)
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["committee", "user"], name="one_membership_each")
        ]

    def __str__(self) -> str:
        return f"{self.user} on {self.committee}"


class Meeting(models.Model):
    committee = models.ForeignKey(Committee, on_delete=models.PROTECT, related_name="meetings")
    date = models.DateField()
    title = models.CharField(max_length=300, blank=True)
    location = models.CharField(max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.committee} on {self.date:%-d %B %Y}"
