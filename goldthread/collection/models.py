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

from goldthread.indicators.models import Value


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
