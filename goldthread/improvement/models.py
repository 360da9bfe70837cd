"""Performance Improvement Plans (seed 003) and scrutiny recommendations (seed 000).

A plan follows the seed's template: section 1 is read from the stored figures, judgements and
target versions for the period the plan was raised at; sections 2 and 3 are factors; section 4
solutions, each naming the factors it addresses; section 5 management comments, each tied to
the meeting it was made at; section 6 progress entries ending in a formal completion entry.
Nothing here is deleted: factors and solutions are withdrawn, plans are completed or withdrawn.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from goldthread.committees.models import Committee, Meeting
from goldthread.indicators.models import Indicator, TargetVersion


class PlanStatus(models.TextChoices):
    DRAFT = "draft", "Being written"
    OPEN = "open", "Validated and in progress"
    COMPLETE = "complete", "Complete"
    WITHDRAWN = "withdrawn", "Withdrawn"


LIVE_STATUSES = (PlanStatus.DRAFT, PlanStatus.OPEN)


class ImprovementPlan(models.Model):
    indicator = models.ForeignKey(
        Indicator, on_delete=models.PROTECT, related_name="improvement_plans"
    )
    recommendation = models.ForeignKey(
        "interventions.Recommendation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="improvement_plans",
    )
    raised_period = models.CharField(
        max_length=16, help_text="The latest judged period when the plan was written."
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=16, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    comments = models.TextField(
        blank=True, help_text="Section 1 comments, including the rationale behind the target."
    )
    # The "turn the curve" view (Derby, seed 001).
    baseline_story = models.TextField(blank=True)
    partners = models.TextField(blank=True)
    what_works = models.TextField(blank=True)
    validated_at = models.DateTimeField(null=True, blank=True)
    validated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    closed_reason = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"Improvement plan {self.pk} for {self.indicator.code}"

    def get_absolute_url(self) -> str:
        return reverse("improvement:plan", args=[self.pk])

    @property
    def is_live(self) -> bool:
        return self.status in LIVE_STATUSES


class FactorKind(models.TextChoices):
    EXTERNAL = "external", "External"
    INTERNAL = "internal", "Internal"


class Duration(models.TextChoices):
    TEMPORARY = "temporary", "Temporary"
    LONG_TERM = "long_term", "Long term"


class Factor(models.Model):
    """Something preventing the target being reached (sections 2 and 3)."""

    plan = models.ForeignKey(ImprovementPlan, on_delete=models.PROTECT, related_name="factors")
    kind = models.CharField(max_length=16, choices=FactorKind.choices)
    duration = models.CharField(max_length=16, choices=Duration.choices)
    description = models.TextField()
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_reason = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["kind", "duration", "pk"]

    def __str__(self) -> str:
        return f"{self.label}: {self.description[:80]}"

    @property
    def label(self) -> str:
        return f"{self.get_kind_display()} {self.get_duration_display().lower()} factor {self.pk}"


class Resourcing(models.TextChoices):
    WITHIN_SERVICE = "within_service", "From within the service"
    EXTRA_FUNDING = "extra_funding", "Extra funding is being sought"


class SolutionState(models.TextChoices):
    PROPOSED = "proposed", "Proposed"
    IN_PLACE = "in_place", "In place"
    NOT_CHOSEN = "not_chosen", "Not chosen"


class Solution(models.Model):
    """A proposed solution (section 4): in place by its target date, addressing named factors."""

    plan = models.ForeignKey(ImprovementPlan, on_delete=models.PROTECT, related_name="solutions")
    description = models.TextField()
    target_date = models.DateField(help_text="The date the solution will be in place.")
    resourcing = models.CharField(max_length=16, choices=Resourcing.choices)
    resourcing_notes = models.TextField(blank=True)
    expected_lag = models.CharField(
        max_length=300,
        blank=True,
        help_text="How long after it is in place before performance is expected to turn.",
    )
    is_alternative = models.BooleanField(
        default=False, help_text="Offered as one of several options for management to choose."
    )
    strengths = models.TextField(blank=True)
    weaknesses = models.TextField(blank=True)
    factors = models.ManyToManyField(Factor, related_name="solutions")
    state = models.CharField(
        max_length=16, choices=SolutionState.choices, default=SolutionState.PROPOSED
    )
    in_place_on = models.DateField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_reason = models.TextField(blank=True)
    history = HistoricalRecords(m2m_fields=[factors])

    class Meta:
        ordering = ["target_date", "pk"]

    def __str__(self) -> str:
        return f"Solution {self.pk}: {self.description[:80]}"


class CommentSource(models.TextChoices):
    HEAD_OF_SERVICE = "head_of_service", "Head of service"
    CMT = "cmt", "CMT (corporate management team)"
    OMT = "omt", "OMT (operational management team)"
    MEMBERS = "members", "Members"


class ManagementComment(models.Model):
    """Section 5: senior management's or members' response, cross-referenced to its meeting."""

    plan = models.ForeignKey(
        ImprovementPlan, on_delete=models.PROTECT, related_name="management_comments"
    )
    source = models.CharField(max_length=16, choices=CommentSource.choices)
    made_by = models.CharField(max_length=200, help_text="Who made the comment.")
    comment = models.TextField()
    meeting = models.ForeignKey(Meeting, null=True, blank=True, on_delete=models.PROTECT)
    officer_meeting = models.CharField(
        max_length=200, blank=True, help_text="An officer meeting, for example CMT."
    )
    meeting_date = models.DateField()
    minute = models.CharField(max_length=100, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["meeting_date", "pk"]

    def __str__(self) -> str:
        return f"{self.get_source_display()} comment on {self.plan}"

    @property
    def meeting_name(self) -> str:
        return str(self.meeting.committee) if self.meeting else self.officer_meeting


class ProgressEntry(models.Model):
    """Section 6: one update for one period. The score is the stored figure for that period."""

    plan = models.ForeignKey(
        ImprovementPlan, on_delete=models.PROTECT, related_name="progress_entries"
    )
    period = models.CharField(max_length=16)
    entry_date = models.DateField()
    comment = models.TextField()
    score = models.FloatField(null=True, blank=True)
    score_state = models.CharField(max_length=16, blank=True)
    is_final = models.BooleanField(default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["entry_date", "pk"]
        verbose_name_plural = "progress entries"

    def __str__(self) -> str:
        return f"Progress on {self.plan} at {self.entry_date}"


class Decision(models.TextChoices):
    AMEND_TARGET = "amend_target", "Amend the target to a level achievable now"
    RESOURCES = "resources", "Allocate additional resources to meet the target"
    ACHIEVABLE = "achievable", "The target is still achievable within the current budget"
    OTHER = "other", "Another decision"


class Referral(models.Model):
    """Audit & Performance refers a plan to a policy committee, which decides (seed 003 6.6)."""

    plan = models.ForeignKey(ImprovementPlan, on_delete=models.PROTECT, related_name="referrals")
    referred_by_committee = models.ForeignKey(
        Committee, on_delete=models.PROTECT, related_name="referrals_made"
    )
    referred_at_meeting = models.ForeignKey(
        Meeting, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    referred_minute = models.CharField(max_length=100, blank=True)
    referred_on = models.DateField()
    to_committee = models.ForeignKey(
        Committee, on_delete=models.PROTECT, related_name="referrals_received"
    )
    reason = models.TextField()
    decision = models.CharField(max_length=16, choices=Decision.choices, blank=True)
    decided_on = models.DateField(null=True, blank=True)
    decided_at_meeting = models.ForeignKey(
        Meeting, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decision_minute = models.CharField(max_length=100, blank=True)
    decision_notes = models.TextField(blank=True)
    new_target_version = models.ForeignKey(
        TargetVersion, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decision_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["referred_on", "pk"]

    def __str__(self) -> str:
        return f"Referral of {self.plan} to {self.to_committee}"

    @property
    def is_decided(self) -> bool:
        return bool(self.decision)


class SourceKind(models.TextChoices):
    SPOTLIGHT = "spotlight", "Spotlight review"
    PLANNED_CHALLENGE = "planned_challenge", "Planned challenge event"
    AD_HOC_CHALLENGE = "ad_hoc_challenge", "Ad hoc challenge event"


class Addressee(models.TextChoices):
    CABINET = "cabinet", "Cabinet"
    OFFICERS = "officers", "Officers"


class Acceptance(models.TextChoices):
    ACCEPTED = "accepted", "Accepted"
    PARTLY = "partly", "Partly accepted"
    NOT_ACCEPTED = "not_accepted", "Not accepted"


class ScrutinyRecommendation(models.Model):
    """A recommendation from a spotlight review or challenge event to cabinet or officers."""

    committee = models.ForeignKey(
        Committee, on_delete=models.PROTECT, related_name="scrutiny_recommendations"
    )
    source_kind = models.CharField(max_length=24, choices=SourceKind.choices)
    source_clinic = models.ForeignKey(
        "clinics.Clinic",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="scrutiny_recommendations",
    )
    review_title = models.CharField(max_length=300, help_text="The review or event it came from.")
    indicator = models.ForeignKey(
        Indicator,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="scrutiny_recommendations",
    )
    text = models.TextField()
    addressed_to = models.CharField(max_length=16, choices=Addressee.choices)
    addressee = models.CharField(max_length=200, help_text="The cabinet member or officer.")
    made_on = models.DateField()
    is_published = models.BooleanField(default=False)
    response = models.TextField(blank=True)
    acceptance = models.CharField(max_length=16, choices=Acceptance.choices, blank=True)
    responded_on = models.DateField(null=True, blank=True)
    review_due = models.DateField(null=True, blank=True)
    reviewed_on = models.DateField(null=True, blank=True)
    review_findings = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-made_on", "-pk"]

    def __str__(self) -> str:
        return f"Scrutiny recommendation {self.pk}: {self.review_title}"

    def get_absolute_url(self) -> str:
        return reverse("improvement:recommendation", args=[self.pk])


class ScrutinyAction(models.Model):
    """An action agreed in response to a scrutiny recommendation."""

    recommendation = models.ForeignKey(
        ScrutinyRecommendation, on_delete=models.PROTECT, related_name="actions"
    )
    description = models.TextField()
    owner = models.CharField(max_length=200)
    due_on = models.DateField()
    done_on = models.DateField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["due_on", "pk"]

    def __str__(self) -> str:
        return f"Action {self.pk} on {self.recommendation}"
