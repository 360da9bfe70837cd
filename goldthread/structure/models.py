"""The council's shape and its golden thread.

Organisation: council → directorates → services; areas (wards and area committees).
Golden thread: community outcomes → corporate priorities → service plan objectives, to which
indicators link at any level (see indicators.models).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords


class Council(models.Model):
    name = models.CharField(max_length=200)
    short_name = models.CharField(max_length=100, blank=True)
    ons_code = models.CharField("ONS code", max_length=9, unique=True)
    bank_holiday_region = models.CharField(
        max_length=20,
        choices=[
            ("england-and-wales", "England and Wales"),
            ("scotland", "Scotland"),
            ("northern-ireland", "Northern Ireland"),
        ],
        default="england-and-wales",
        help_text="Whose bank holidays count when working out due dates.",
    )
    history = HistoricalRecords()

    def __str__(self) -> str:
        return self.name


class Directorate(models.Model):
    code = models.SlugField(max_length=32, unique=True)
    name = models.CharField(max_length=200)
    director = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="directorates",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Service(models.Model):
    directorate = models.ForeignKey(Directorate, on_delete=models.PROTECT, related_name="services")
    code = models.SlugField(max_length=32, unique=True)
    name = models.CharField(max_length=200)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class AreaKind(models.TextChoices):
    WARD = "ward", "Ward"
    AREA_COMMITTEE = "area_committee", "Area committee area"


class Area(models.Model):
    code = models.CharField(max_length=16, unique=True)
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=AreaKind.choices)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["kind", "name"]

    def __str__(self) -> str:
        return self.name


class Outcome(models.Model):
    """A community outcome the council promises (community strategy / outcome plan)."""

    code = models.SlugField(max_length=32, unique=True)
    name = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    order = models.PositiveSmallIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.name


class Priority(models.Model):
    """A corporate plan priority or objective serving one outcome."""

    outcome = models.ForeignKey(Outcome, on_delete=models.PROTECT, related_name="priorities")
    code = models.SlugField(max_length=32, unique=True)
    name = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    order = models.PositiveSmallIntegerField(default=0)
    lead_member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="portfolio_priorities",
        help_text="The cabinet member whose portfolio holds this priority.",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["outcome__order", "order", "code"]
        verbose_name_plural = "priorities"

    def __str__(self) -> str:
        return self.name


class Objective(models.Model):
    """A service plan objective serving one corporate priority."""

    priority = models.ForeignKey(Priority, on_delete=models.PROTECT, related_name="objectives")
    service = models.ForeignKey(
        Service, null=True, blank=True, on_delete=models.PROTECT, related_name="objectives"
    )
    code = models.SlugField(max_length=32, unique=True)
    name = models.CharField(max_length=300)
    history = HistoricalRecords()

    class Meta:
        ordering = ["priority__order", "code"]

    def __str__(self) -> str:
        return self.name
