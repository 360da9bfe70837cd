"""Indicators, their versioned targets, their values and the judgements stored on them.

Judgements are stored, not recomputed per page: every scorecard, report and export reads the
stored row, which records the target version and the rule version that produced it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from goldthread.analysis.periods import Frequency as AnalysisFrequency
from goldthread.analysis.periods import Period, parse_period
from goldthread.structure.models import Area, Objective, Outcome, Priority, Service


class Unit(models.TextChoices):
    PERCENT = "percent", "Percentage"
    NUMBER = "number", "Number"
    CURRENCY = "currency", "Pounds (£)"
    DAYS = "days", "Days"
    RATE = "rate", "Rate"
    RATIO = "ratio", "Ratio"
    SCORE = "score", "Score"


class Polarity(models.TextChoices):
    HIGHER = "higher", "Higher is better"
    LOWER = "lower", "Lower is better"
    BAND = "band", "Within a target band is best"
    NONE = "none", "No polarity (context only)"


class Frequency(models.TextChoices):
    MONTHLY = "monthly", "Monthly"
    QUARTERLY = "quarterly", "Quarterly"
    ANNUAL = "annual", "Annual"


class Accumulation(models.TextChoices):
    IN_PERIOD = "in_period", "In period (each period stands alone)"
    YTD = "ytd", "Year to date (cumulative)"
    SNAPSHOT = "snapshot", "Snapshot (position at the end of the period)"
    ROLLING12 = "rolling12", "Rolling 12 months"


class Aggregation(models.TextChoices):
    SUM = "sum", "Add the periods together"
    AVERAGE = "average", "Average of the periods"
    LAST = "last", "The last period's figure"


class Scope(models.TextChoices):
    NATIONAL = "national", "National"
    LOCAL = "local", "Local"


class ToleranceKind(models.TextChoices):
    PERCENT = "percent", "Percentage of the target"
    ABSOLUTE = "absolute", "Same units as the indicator"


class Indicator(models.Model):
    code = models.CharField(max_length=32, unique=True)
    name = models.CharField(max_length=300)
    definition = models.TextField(blank=True)
    calculation_guidance = models.TextField(blank=True)
    data_source = models.TextField(blank=True)
    unit = models.CharField(max_length=16, choices=Unit.choices, default=Unit.NUMBER)
    decimals = models.PositiveSmallIntegerField(default=0)
    polarity = models.CharField(max_length=8, choices=Polarity.choices, default=Polarity.HIGHER)
    frequency = models.CharField(max_length=16, choices=Frequency.choices)
    accumulation = models.CharField(
        max_length=16, choices=Accumulation.choices, default=Accumulation.IN_PERIOD
    )
    aggregation = models.CharField(
        max_length=8,
        choices=Aggregation.choices,
        default=Aggregation.AVERAGE,
        help_text="How the periods of a year make the year-end figure.",
    )
    is_rate = models.BooleanField(default=False)
    numerator_label = models.CharField(max_length=200, blank=True)
    denominator_label = models.CharField(max_length=200, blank=True)
    scope = models.CharField(max_length=8, choices=Scope.choices, default=Scope.LOCAL)
    is_context = models.BooleanField(
        "context indicator",
        default=False,
        help_text="Context indicators describe the area. They have no target and no RAG status.",
    )
    service = models.ForeignKey(
        Service, null=True, blank=True, on_delete=models.PROTECT, related_name="indicators"
    )
    accountable_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    data_owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="owned_indicators",
    )
    lead_member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="lead_indicators",
    )
    outcomes = models.ManyToManyField(Outcome, blank=True, related_name="indicators")
    priorities = models.ManyToManyField(Priority, blank=True, related_name="indicators")
    objectives = models.ManyToManyField(Objective, blank=True, related_name="indicators")
    on_scorecard = models.BooleanField("on the Council Scorecard", default=False)
    has_area_breakdown = models.BooleanField(default=False)
    is_public = models.BooleanField(
        default=True, help_text="Published figures for this indicator appear on public pages."
    )
    retired_at = models.DateField(
        null=True, blank=True, help_text="Retired indicators keep their history."
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def analysis_frequency(self) -> AnalysisFrequency:
        return AnalysisFrequency(self.frequency)


class Basket(models.Model):
    """A set of indicators that together describe progress on one outcome."""

    outcome = models.ForeignKey(Outcome, on_delete=models.PROTECT, related_name="baskets")
    name = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    indicators = models.ManyToManyField(Indicator, related_name="baskets")
    history = HistoricalRecords()

    class Meta:
        ordering = ["outcome__order", "name"]

    def __str__(self) -> str:
        return self.name


class RuleSet(models.Model):
    """A version of the council-wide judgement thresholds. Never edited: a change is a new row."""

    version = models.PositiveIntegerField(unique=True)
    default_tolerance = models.FloatField(default=5.0)
    default_tolerance_kind = models.CharField(
        max_length=8, choices=ToleranceKind.choices, default=ToleranceKind.PERCENT
    )
    direction_threshold = models.FloatField(
        default=0.0,
        help_text="A change no bigger than this, in the indicator's units, counts as no change.",
    )
    reason = models.TextField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-version"]

    def __str__(self) -> str:
        return f"Judgement rules version {self.version}"


class TargetVersion(models.Model):
    """One version of an indicator's target for one financial year. Never edited in place."""

    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="targets")
    year = models.PositiveSmallIntegerField(help_text="First calendar year: 2025 means 2025/26.")
    version = models.PositiveIntegerField()
    annual_target = models.FloatField(null=True, blank=True)
    tolerance = models.FloatField(null=True, blank=True)
    tolerance_kind = models.CharField(
        max_length=8, choices=ToleranceKind.choices, default=ToleranceKind.PERCENT
    )
    band_lower = models.FloatField(null=True, blank=True)
    band_upper = models.FloatField(null=True, blank=True)
    profile = models.JSONField(
        default=dict,
        blank=True,
        help_text="Target per period key; empty means the default profile.",
    )
    no_target_reason = models.TextField(blank=True)
    is_illustrative = models.BooleanField(default=False)
    basis = models.TextField(blank=True, help_text="How the target was set.")
    reason = models.TextField(help_text="Why this version was made.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["indicator", "year", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "year", "version"], name="one_target_version_number"
            )
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code} target {self.year_label} v{self.version}"

    @property
    def year_label(self) -> str:
        return f"{self.year}/{(self.year + 1) % 100:02d}"

    @property
    def has_target(self) -> bool:
        return self.annual_target is not None or (
            self.band_lower is not None and self.band_upper is not None
        )


class ValueState(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"
    RETURNED = "returned", "Returned for changes"
    APPROVED = "approved", "Approved"
    PUBLISHED = "published", "Published"


APPROVED_STATES = (ValueState.APPROVED, ValueState.PUBLISHED)


class FigureHistory(HistoricalRecords):
    """simple-history's table for figures, without an index on when or by whom: the history
    is read by figure or by indicator and then ordered, and a first import writes a million
    history rows, each paying for every index (ADR 13)."""

    def get_extra_fields(self, model, fields):
        extra = super().get_extra_fields(model, fields)
        extra["history_date"] = models.DateTimeField(db_index=False)
        extra["history_user"].db_index = False
        return extra


class Value(models.Model):
    """A figure for one indicator, period and area (no area means the whole council)."""

    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="values")
    period = models.CharField(
        max_length=16, help_text="Canonical key: 2025/26, 2025/26 Q2, 2025-10"
    )
    # No index of its own: figures are read by indicator (then ordered by period start),
    # never by period start across indicators, and every imported figure pays for each index.
    period_start = models.DateField()
    area = models.ForeignKey(
        Area, null=True, blank=True, on_delete=models.PROTECT, related_name="values"
    )
    value = models.FloatField(null=True, blank=True)
    numerator = models.FloatField(null=True, blank=True)
    denominator = models.FloatField(null=True, blank=True)
    commentary = models.TextField(blank=True, help_text="Why the result is what it is.")
    action_commentary = models.TextField(
        blank=True, help_text="What is being done about it (needed when near or off target)."
    )
    action_due = models.DateField(
        null=True, blank=True, help_text="By when the action will be done."
    )
    state = models.CharField(max_length=16, choices=ValueState.choices, default=ValueState.DRAFT)
    revision = models.PositiveIntegerField(
        default=1, help_text="Goes up with every save, so two people's edits never overwrite."
    )
    returned_reason = models.TextField(blank=True)
    quality_flags = models.JSONField(
        default=list, blank=True, help_text="Data-quality warnings the figure was saved with."
    )
    # No index: nothing looks figures up by who saved them, and each index entry is paid for
    # by every imported figure (ADR 13). Same for the history's copies of area, person and
    # period start, which are only ever read by indicator or by figure.
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    updated_at = models.DateTimeField(auto_now=True)
    history = FigureHistory(no_db_index=["area", "updated_by", "period_start"])

    class Meta:
        ordering = ["indicator", "period_start"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "period"],
                condition=Q(area__isnull=True),
                name="one_council_value_per_period",
            ),
            models.UniqueConstraint(
                fields=["indicator", "period", "area"],
                condition=Q(area__isnull=False),
                name="one_area_value_per_period",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.period}"

    @property
    def period_obj(self) -> Period:
        return parse_period(self.period)


class Rag(models.TextChoices):
    GREEN = "green", "On target"
    AMBER = "amber", "Near target"
    RED = "red", "Off target"
    NO_DATA = "no_data", "No data"
    NO_TARGET = "no_target", "No target"
    CONTEXT = "context", "Context only"


class Direction(models.TextChoices):
    IMPROVING = "improving", "Improving"
    WORSENING = "worsening", "Getting worse"
    NO_CHANGE = "no_change", "No change"
    INCREASED = "increased", "Increased"
    DECREASED = "decreased", "Decreased"
    NOT_COMPARABLE = "not_comparable", "Not comparable"


class Judgement(models.Model):
    """The stored judgement of one indicator for one period, for the whole council.

    The SPC process limits live on SpcSegment (they are the same for every point of a
    segment); a judgement keeps its own point's SPC label. Forecast, explanation and the
    series' variation and assurance icons are set on each indicator's latest judgement only
    (ADR 6 and 10), so a new month rewrites the rows it changes, not the whole history.
    """

    # The unique constraint on (indicator, period) already indexes indicator first, and the
    # other foreign keys are never searched on: fewer indexes make re-judging much cheaper.
    # Target versions and rule sets are immutable and never deleted (PROTECT, no delete
    # permission), so their links are not checked by the database: on PostgreSQL each check
    # locks the one rule set row once per judgement, which cost most of a cold re-judgement
    # (ADR 10).
    indicator = models.ForeignKey(
        Indicator, on_delete=models.PROTECT, related_name="judgements", db_index=False
    )
    period = models.CharField(max_length=16)
    period_start = models.DateField()
    value = models.FloatField(null=True, blank=True)
    target = models.FloatField(null=True, blank=True)
    band_lower = models.FloatField(null=True, blank=True)
    band_upper = models.FloatField(null=True, blank=True)
    rag = models.CharField(max_length=16, choices=Rag.choices)
    previous_value = models.FloatField(null=True, blank=True)
    last_year_value = models.FloatField(null=True, blank=True)
    year_end_value = models.FloatField(null=True, blank=True)
    direction_previous = models.CharField(max_length=16, choices=Direction.choices)
    direction_last_year = models.CharField(max_length=16, choices=Direction.choices)
    direction_year_end = models.CharField(max_length=16, choices=Direction.choices)
    target_version = models.ForeignKey(
        TargetVersion,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    rules = models.ForeignKey(
        RuleSet,
        on_delete=models.PROTECT,
        related_name="judgements",
        db_index=False,
        db_constraint=False,
    )
    spc_label = models.CharField(max_length=40, blank=True)
    spc_point_type = models.CharField(max_length=40, blank=True)
    variation_icon = models.CharField(max_length=24, blank=True)
    assurance = models.CharField(max_length=24, blank=True)
    forecast_value = models.FloatField(null=True, blank=True)
    forecast_low = models.FloatField(null=True, blank=True)
    forecast_high = models.FloatField(null=True, blank=True)
    forecast_probability = models.FloatField(null=True, blank=True)
    forecast_method = models.CharField(max_length=32, blank=True)
    forecast_method_text = models.TextField(blank=True)
    forecast_rag = models.CharField(max_length=16, choices=Rag.choices, blank=True)
    explanation = models.TextField(blank=True)
    digest = models.BigIntegerField(
        null=True,
        blank=True,
        editable=False,
        help_text="Fingerprint of the judged fields as re-judging last wrote them; empty after "
        "any other change, so the next re-judgement compares afresh.",
    )
    computed_at = models.DateTimeField(auto_now=True)
    is_published = models.BooleanField(default=False)
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    publish_reason = models.TextField(blank=True)
    history = HistoricalRecords(excluded_fields=["digest"])

    class Meta:
        ordering = ["indicator", "period_start"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "period"], name="one_judgement_per_period")
        ]
        indexes = [
            models.Index(fields=["indicator", "period_start"], name="judgement_in_order"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.period}: {self.get_rag_display()}"

    def save(self, *args, **kwargs) -> None:
        # Only re-judging knows what the digest covers; any other save may change a judged
        # field, so it forgets the digest and the next re-judgement compares the row afresh.
        fields = kwargs.get("update_fields")
        if fields is None or set(fields) - _NOT_JUDGED:
            self.digest = None
            if fields is not None:
                kwargs["update_fields"] = {*fields, "digest"}
        super().save(*args, **kwargs)


_NOT_JUDGED = {"is_published", "published_at", "published_by", "publish_reason", "computed_at"}


class SpcSegment(models.Model):
    """The SPC mean and process limits of one segment of an indicator's approved series.

    Making Data Count limits are the same for every point of a segment, so they are stored
    once here rather than on every judgement (ADR 10). Re-judging rewrites these rows as the
    series grows; they are worked out again from versioned figures, so they keep no history.
    """

    indicator = models.ForeignKey(
        Indicator, on_delete=models.PROTECT, related_name="spc_segments", db_index=False
    )
    number = models.PositiveSmallIntegerField(help_text="0 for the first segment.")
    first_period = models.CharField(max_length=16)
    last_period = models.CharField(max_length=16)
    points = models.PositiveIntegerField(help_text="Periods in the segment, gaps included.")
    mean = models.FloatField(null=True, blank=True)
    mean_moving_range = models.FloatField(null=True, blank=True)
    lpl = models.FloatField("lower process limit", null=True, blank=True)
    upl = models.FloatField("upper process limit", null=True, blank=True)
    computed_at = models.DateTimeField()

    class Meta:
        ordering = ["indicator", "number"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "number"], name="one_spc_segment_number")
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code} SPC segment {self.number + 1}"
