"""Evidence files for figures: checking, storing, withdrawing, and what the pages show.

A file is accepted only when its name ends in an allowed extension AND its first bytes say it
really is that kind of file: a PDF starts %PDF-, Word and Excel files are zip packages whose
[Content_Types].xml names a Word document or an Excel workbook, PNG and JPEG files start with
their signatures, and CSV and text files are UTF-8 text that is not a web page. Anything that
could run in a browser (HTML, SVG) or on a computer (programs) is refused.

Who may download a file is the same as who may see the figure (indicators.access): the views
ask `may_download`, the pages list only what that allows.
"""

from __future__ import annotations

import codecs
import hashlib
import zipfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import PurePath

from django.conf import settings
from django.core.files.base import File
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from goldthread.analysis.periods import Period
from goldthread.audit.services import record
from goldthread.collection import services, windows
from goldthread.collection.models import Evidence
from goldthread.core.periods_url import period_slug
from goldthread.indicators import access
from goldthread.indicators.models import Indicator, Value

MAX_BYTES = 10 * 1024 * 1024
WRONG_TYPE = "The file must be a PDF, Word, Excel, CSV, text, PNG or JPEG file"
EMPTY = "The file is empty"

DOCX_PART = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
XLSX_PART = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
    "txt": "text/plain; charset=utf-8",
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
}
ACCEPT = ",".join(f".{extension}" for extension in CONTENT_TYPES)
_MARKUP = (b"<!doctype", b"<html", b"<svg", b"<?xml", b"<script", b"<head", b"<body", b"<iframe")


class EvidenceError(Exception):
    """The file cannot be accepted; the message says why, in plain English."""


def max_bytes() -> int:
    return int(getattr(settings, "GOLDTHREAD_EVIDENCE_MAX_BYTES", MAX_BYTES))


def max_label() -> str:
    return size_label(max_bytes())


def size_label(size: int) -> str:
    """1 byte, 340 bytes, 12 KB, 1.5 MB."""
    if size < 1024:
        return "1 byte" if size == 1 else f"{size} bytes"
    if size < 1024 * 1024:
        return f"{round(size / 1024)} KB"
    megabytes = size / (1024 * 1024)
    return f"{megabytes:.0f} MB" if megabytes == int(megabytes) else f"{megabytes:.1f} MB"


# Checking -----------------------------------------------------------------------------------


def _extension(name: str) -> str:
    suffix = PurePath(name.replace("\\", "/")).suffix
    return suffix[1:].lower()


def _head(file, length: int = 16) -> bytes:
    file.seek(0)
    head = file.read(length)
    file.seek(0)
    return head


def _office_part(file) -> str:
    """The [Content_Types].xml of a zip package, or "" when it is not one."""
    file.seek(0)
    try:
        with zipfile.ZipFile(file) as package, package.open("[Content_Types].xml") as part:
            return part.read(512 * 1024).decode("utf-8", errors="replace")
    except (zipfile.BadZipFile, KeyError, RuntimeError, OSError, ValueError, EOFError):
        return ""
    finally:
        file.seek(0)


def _is_plain_text(file) -> bool:
    decoder = codecs.getincrementaldecoder("utf-8")()
    file.seek(0)
    first = b""
    try:
        while chunk := file.read(64 * 1024):
            if b"\x00" in chunk:
                return False
            if len(first) < 512:
                first += chunk[: 512 - len(first)]
            decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    finally:
        file.seek(0)
    start = first.removeprefix(codecs.BOM_UTF8).lstrip().lower()
    return not start.startswith(_MARKUP)


def _matches(extension: str, file) -> bool:
    head = _head(file)
    if extension == "pdf":
        return head.startswith(b"%PDF-")
    if extension == "png":
        return head.startswith(b"\x89PNG\r\n\x1a\n")
    if extension in ("jpg", "jpeg"):
        return head.startswith(b"\xff\xd8\xff")
    if extension in ("docx", "xlsx"):
        if not head.startswith(b"PK\x03\x04"):
            return False
        return (DOCX_PART if extension == "docx" else XLSX_PART) in _office_part(file)
    if extension in ("csv", "txt"):
        return _is_plain_text(file)
    return False


@dataclass(frozen=True)
class Checked:
    name: str
    content_type: str
    size: int


def check(upload) -> Checked:
    """Check an uploaded file (Django UploadedFile or any named, seekable binary file)."""
    name = PurePath((upload.name or "").replace("\\", "/")).name
    name = "".join(c for c in name if c.isprintable()).strip()[:255]
    size = upload.size
    if not size:
        raise EvidenceError(EMPTY)
    if size > max_bytes():
        raise EvidenceError(f"The file must be smaller than {max_label()}")
    extension = _extension(name)
    if extension not in CONTENT_TYPES or not _matches(extension, upload):
        raise EvidenceError(WRONG_TYPE)
    return Checked(name=name, content_type=CONTENT_TYPES[extension], size=size)


# Storing and withdrawing --------------------------------------------------------------------


def _sha256(upload) -> str:
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in File(upload).chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


def refused_reason(user, figure: Value) -> str:
    """Why this person cannot add or withdraw evidence for this figure now, or "".

    Evidence follows the figure (ADR 19): locked figures take no new files, and a data owner
    whose collection window has closed cannot add or withdraw files any more than change the
    figure, unless the period is reopened or the figure was returned to them. Performance
    officers are never held to windows.
    """
    locked = services.locked_reason(figure)
    if locked:
        return locked
    today = timezone.localdate()
    return windows.closed_reason(user, figure.indicator, figure.period_obj, figure, today)


def add(figure: Value, upload, *, actor) -> Evidence:
    """Check and store a file as evidence for a figure that this person can still change."""
    reason = refused_reason(actor, figure)
    if reason:
        raise services.CollectionError(f"You cannot add evidence to this figure. {reason}")
    checked = check(upload)
    digest = _sha256(upload)
    evidence = Evidence(
        value=figure,
        original_name=checked.name,
        content_type=checked.content_type,
        size=checked.size,
        sha256=digest,
        uploaded_by=actor,
    )
    evidence.file.save(checked.name, File(upload), save=False)
    try:
        with transaction.atomic():
            evidence._change_reason = "Evidence added"
            evidence.save()
            record(
                actor,
                "evidence_added",
                figure.indicator,
                f"Evidence for {figure.period_obj.label} added: {checked.name}",
                period=figure.period,
                evidence=evidence.token,
                file_name=checked.name,
                size=checked.size,
                sha256=digest,
            )
    except BaseException:
        evidence.file.storage.delete(evidence.file.name)
        raise
    return evidence


def may_withdraw(user, evidence: Evidence) -> bool:
    """The performance officer at any time; whoever enters the figure while it can change."""
    if evidence.is_withdrawn:
        return False
    indicator = evidence.value.indicator
    if access.can_approve(user):
        return True
    return access.can_enter_values(user, indicator) and not refused_reason(user, evidence.value)


@transaction.atomic
def withdraw(evidence: Evidence, *, actor, reason: str) -> None:
    """Hide a file from the lists, keeping it and saying who withdrew it and why."""
    reason = reason.strip()
    if not reason:
        raise services.CollectionError("Enter why you are withdrawing this file")
    evidence = Evidence.objects.select_for_update().get(pk=evidence.pk)
    if evidence.is_withdrawn:
        raise services.CollectionError("This file has already been withdrawn")
    if not may_withdraw(actor, evidence):
        refused = refused_reason(actor, evidence.value) or "You cannot withdraw it."
        raise services.CollectionError(f"You cannot withdraw this file now. {refused}")
    evidence.withdrawn_at = timezone.now()
    evidence.withdrawn_by = actor
    evidence.withdrawn_reason = reason
    evidence._change_reason = f"Withdrawn: {reason}"[:100]
    evidence.save()
    record(
        actor,
        "evidence_withdrawn",
        evidence.value.indicator,
        f"Evidence for {evidence.value.period_obj.label} withdrawn: {evidence.original_name}",
        reason=reason,
        period=evidence.value.period,
        evidence=evidence.token,
        file_name=evidence.original_name,
    )


# Who may see what ---------------------------------------------------------------------------


def may_download(user, evidence: Evidence) -> bool:
    """Whoever may see the indicator and the figure in its state. Withdrawn files stay
    downloadable only by the performance officer, for the record."""
    figure = evidence.value
    indicator = figure.indicator
    if not access.indicators_for(user).filter(pk=indicator.pk).exists():
        return False
    if figure.state not in access.visible_value_states(user, indicator):
        return False
    return not evidence.is_withdrawn or access.can_approve(user)


def current(figure: Value) -> QuerySet[Evidence]:
    return figure.evidence.filter(withdrawn_at__isnull=True).select_related(
        "uploaded_by", "value__indicator"
    )


# What the entry page shows ------------------------------------------------------------------


@dataclass(frozen=True)
class EvidenceLine:
    token: str
    name: str
    size: str
    uploaded_by: str
    uploaded_at: datetime
    download_url: str
    withdraw_url: str | None


@dataclass(frozen=True)
class EvidenceSection:
    files: list[EvidenceLine]
    upload_url: str
    can_upload: bool
    why_not: str
    max_size: str
    accept: str


def _person(user) -> str:
    return (user.get_full_name() or user.get_username()) if user else "unknown"


def section(user, indicator: Indicator, period: Period, figure: Value | None) -> EvidenceSection:
    """The evidence part of the figure entry page, for someone who may enter the figure."""
    upload_url = reverse("collection:evidence-upload", args=[indicator.code, period_slug(period)])
    if figure is None:
        return EvidenceSection(
            [],
            upload_url,
            False,
            "Save the figure as a draft before adding evidence.",
            max_label(),
            ACCEPT,
        )
    lines = [
        EvidenceLine(
            token=item.token,
            name=item.original_name,
            size=size_label(item.size),
            uploaded_by=_person(item.uploaded_by),
            uploaded_at=item.uploaded_at,
            download_url=reverse("collection:evidence-download", args=[item.token]),
            withdraw_url=(
                reverse("collection:evidence-withdraw", args=[item.token])
                if may_withdraw(user, item)
                else None
            ),
        )
        for item in current(figure)
    ]
    refused = refused_reason(user, figure)
    why_not = f"You cannot add evidence now. {refused}" if refused else ""
    return EvidenceSection(lines, upload_url, not refused, why_not, max_label(), ACCEPT)


def with_counts(figures: QuerySet[Value]) -> QuerySet[Value]:
    """Figures annotated with evidence_count: how many files (not withdrawn) back each up."""
    return figures.annotate(
        evidence_count=Count("evidence", filter=Q(evidence__withdrawn_at__isnull=True))
    )
