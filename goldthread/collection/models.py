"""Evidence files: documents that back up a figure.

Files are kept in GOLDTHREAD_EVIDENCE_DIR, outside static and media, under a random name; they
have no URL of their own and are only ever served by the download view, which checks who may
see the figure. Nothing is deleted: a file is withdrawn (who, when, why) and kept.
"""

from __future__ import annotations

import os
import secrets
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.utils.deconstruct import deconstructible
from simple_history.models import HistoricalRecords

from goldthread.indicators.models import Indicator, Value


@deconstructible
class EvidenceStorage(FileSystemStorage):
    """Private storage rooted at settings.GOLDTHREAD_EVIDENCE_DIR, read when used (not cached),
    with no public URL. Files are written to a temporary file and moved into place, so a
    half-written file is never seen under its real name."""

    def __init__(self):
        super().__init__(file_permissions_mode=0o600, directory_permissions_mode=0o700)

    @property
    def base_location(self):
        return str(settings.GOLDTHREAD_EVIDENCE_DIR)

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    def url(self, name):
        raise ValueError("Evidence files have no public address: use the download page")

    def _save(self, name, content):
        full_path = Path(self.path(name))
        full_path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        handle, temporary = tempfile.mkstemp(dir=full_path.parent, prefix=".partial-")
        try:
            with os.fdopen(handle, "wb") as file:
                if hasattr(content, "seek"):
                    content.seek(0)
                for chunk in content.chunks():
                    file.write(chunk)
                file.flush()
                os.fsync(file.fileno())
            os.chmod(temporary, 0o600)
            os.replace(temporary, full_path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        return name


evidence_storage = EvidenceStorage()


def new_token() -> str:
    return secrets.token_urlsafe(24)


def disk_name(instance, filename: str) -> str:
    """A random name: never the name the person gave the file."""
    return secrets.token_hex(20)


class Evidence(models.Model):
    """A file that backs up a figure. Withdrawn, never deleted."""

    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    value = models.ForeignKey(Value, on_delete=models.PROTECT, related_name="evidence")
    file = models.FileField(storage=evidence_storage, upload_to=disk_name, max_length=100)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100, help_text="As found in the file itself.")
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    withdrawn_reason = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["uploaded_at", "pk"]
        verbose_name = "evidence file"
        verbose_name_plural = "evidence files"

    def __str__(self) -> str:
        return f"{self.value}: {self.original_name}"

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None


# --- Corrections after publication (ADR 11) --------------------------------------------------


class CorrectionState(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"
    RETURNED = "returned", "Returned for changes"
    APPROVED = "approved", "Approved"
    PUBLISHED = "published", "Published"
    WITHDRAWN = "withdrawn", "Withdrawn"


OPEN_CORRECTION_STATES = (
    CorrectionState.DRAFT,
    CorrectionState.SUBMITTED,
    CorrectionState.RETURNED,
    CorrectionState.APPROVED,
)


class Correction(models.Model):
    """A proposed change to a published figure, with its reason.

    The published figure is not touched until the correction itself is published, so members,
    the public, reports and exports keep the published version until then.
    """

    figure = models.ForeignKey(Value, on_delete=models.PROTECT, related_name="corrections")
    reason = models.TextField(help_text="Why the published figure is being corrected.")
    value = models.FloatField(null=True, blank=True)
    numerator = models.FloatField(null=True, blank=True)
    denominator = models.FloatField(null=True, blank=True)
    commentary = models.TextField(blank=True)
    action_commentary = models.TextField(blank=True)
    action_due = models.DateField(null=True, blank=True)
    quality_flags = models.JSONField(default=list, blank=True)
    state = models.CharField(
        max_length=16, choices=CorrectionState.choices, default=CorrectionState.DRAFT
    )
    revision = models.PositiveIntegerField(
        default=1, help_text="Goes up with every save, so two people's edits never overwrite."
    )
    returned_reason = models.TextField(blank=True)
    published_revision = models.PositiveIntegerField(
        null=True, blank=True, help_text="The figure's published revision this became."
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    started_at = models.DateTimeField(auto_now_add=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["started_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["figure"],
                condition=models.Q(state__in=OPEN_CORRECTION_STATES),
                name="one_open_correction_per_figure",
            )
        ]

    def __str__(self) -> str:
        return f"Correction to {self.figure}"

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_CORRECTION_STATES


class PublishedVersion(models.Model):
    """A figure as it was published: what the reports issued at that time said. Never edited."""

    figure = models.ForeignKey(Value, on_delete=models.PROTECT, related_name="published_versions")
    number = models.PositiveIntegerField(help_text="1 when first published, then 2, 3, …")
    value = models.FloatField(null=True, blank=True)
    numerator = models.FloatField(null=True, blank=True)
    denominator = models.FloatField(null=True, blank=True)
    commentary = models.TextField(blank=True)
    rag = models.CharField(max_length=16, blank=True, help_text="The status it was published with.")
    target = models.FloatField(null=True, blank=True)
    reason = models.TextField(
        blank=True, help_text="Why it was revised; blank when first published."
    )
    correction = models.OneToOneField(
        Correction, null=True, blank=True, on_delete=models.PROTECT, related_name="version"
    )
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    published_at = models.DateTimeField()

    class Meta:
        ordering = ["figure", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["figure", "number"], name="one_published_version_number"
            )
        ]

    def __str__(self) -> str:
        return f"{self.figure} revision {self.number}"


# --- Reopened collection windows (ADR 11) ------------------------------------------------------


class Reopening(models.Model):
    """A performance officer reopened a closed period for data owners, saying why.

    No indicator means every indicator collected for that period (its frequency).
    """

    indicator = models.ForeignKey(
        Indicator, null=True, blank=True, on_delete=models.PROTECT, related_name="reopenings"
    )
    period = models.CharField(
        max_length=16, help_text="Canonical key: 2025/26, 2025/26 Q2, 2025-10"
    )
    period_start = models.DateField()
    frequency = models.CharField(max_length=16)
    reason = models.TextField()
    until = models.DateField(null=True, blank=True, help_text="Last day figures can be entered.")
    reopened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reopened_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    closed_reason = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-reopened_at", "-pk"]

    def __str__(self) -> str:
        which = self.indicator.code if self.indicator_id else f"all {self.frequency} indicators"
        return f"{self.period} reopened for {which}"


# --- The passport: last validated and known issues (ADR 11) -----------------------------------


class Validation(models.Model):
    """A performance officer checked the indicator's definition, source and figures."""

    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="validations")
    note = models.TextField()
    validated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    validated_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-validated_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.indicator.code} validated"


class KnownIssue(models.Model):
    """A known problem with an indicator's data, open until a performance officer resolves it."""

    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="known_issues")
    description = models.TextField()
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    raised_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    resolution = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-raised_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.indicator.code} issue: {self.description[:60]}"

    @property
    def is_open(self) -> bool:
        return self.resolved_at is None
