"""Importing figures through the browser: upload → check → preview → confirm.

The pages call the same service as the `import-values` command, so the rules are the same.
An upload is kept as a file in GOLDTHREAD_UPLOAD_DIR (private, never under static) under a
random token, with a small JSON note of who uploaded it and its name; only that person can
see or confirm it. It is deleted once imported, or after UPLOAD_LIFETIME.
"""

from __future__ import annotations

import json
import secrets
import time
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from goldthread.collection.import_forms import ImportForm
from goldthread.collection.imports import ImportOutcome, import_values, may_import
from goldthread.collection.profile_settings import reader_for

UPLOAD_LIFETIME = 60 * 60  # seconds
PROBLEMS_SHOWN = 200
_TOKEN_CHARS = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_")


@dataclass(frozen=True)
class Upload:
    token: str
    path: Path
    file_name: str
    fmt: str
    profile: str = ""  # a published table's mapping profile, its measure links and first period
    mapping: str = ""
    since: str = ""


def _upload_dir() -> Path:
    directory = Path(settings.GOLDTHREAD_UPLOAD_DIR)
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    return directory


def _require_officer(request: HttpRequest) -> None:
    if not may_import(request.user):
        raise PermissionDenied


def _sweep(directory: Path) -> None:
    """Delete uploads nobody confirmed in time."""
    for path in directory.glob("*.json"):
        if _expired(_read_note(path)):
            for stale in directory.glob(f"{path.stem}.*"):
                stale.unlink(missing_ok=True)


def _read_note(path: Path) -> dict | None:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _expired(note: dict | None) -> bool:
    return note is None or note.get("at", 0) < time.time() - UPLOAD_LIFETIME


def _save(request: HttpRequest, upload, extra: dict[str, str]) -> Upload:
    directory = _upload_dir()
    _sweep(directory)
    token = secrets.token_urlsafe(24)
    fmt = upload.name.rsplit(".", 1)[-1].lower()
    path = directory / f"{token}.{fmt}"
    with path.open("wb") as file:
        for chunk in upload.chunks():
            file.write(chunk)
    note = {
        "user": request.user.pk,
        "file_name": Path(upload.name).name[:200],
        "fmt": fmt,
        "at": time.time(),
        **extra,
    }
    (directory / f"{token}.json").write_text(json.dumps(note), encoding="utf-8")
    return Upload(token, path, note["file_name"], fmt)


def _get_upload(request: HttpRequest, token: str) -> Upload:
    """This person's upload with this token; 404 when it is someone else's, gone or expired."""
    if not token or not set(token) <= _TOKEN_CHARS:
        raise Http404("No such upload")
    directory = _upload_dir()
    note = _read_note(directory / f"{token}.json")
    if note is None or note["user"] != request.user.pk or _expired(note):
        raise Http404("No such upload")
    path = directory / f"{token}.{note['fmt']}"
    if not path.exists():
        raise Http404("No such upload")
    extra = (note.get("profile", ""), note.get("mapping", ""), note.get("since", ""))
    return Upload(token, path, note["file_name"], note["fmt"], *extra)


def _delete(upload: Upload) -> None:
    upload.path.unlink(missing_ok=True)
    upload.path.with_suffix(".json").unlink(missing_ok=True)


def _run(request: HttpRequest, upload: Upload, *, dry_run: bool) -> ImportOutcome:
    with upload.path.open("rb") as file:
        return import_values(
            file,
            fmt=upload.fmt,
            actor=request.user,
            dry_run=dry_run,
            file_name=upload.file_name,
            reader=reader_for(upload.profile, upload.mapping, upload.since)
            if upload.profile
            else None,
        )


@login_required
@require_http_methods(["GET", "POST"])
def upload(request: HttpRequest) -> HttpResponse:
    _require_officer(request)
    form = ImportForm(request.POST, request.FILES) if request.method == "POST" else ImportForm()
    if request.method == "POST" and form.is_valid():
        saved = _save(request, form.cleaned_data["file"], form.note())
        return redirect("collection:import-check", token=saved.token)
    limit_mb = form.max_bytes() // (1024 * 1024)
    return render(request, "collection/imports_upload.html", {"form": form, "limit_mb": limit_mb})


@login_required
@require_GET
def check(request: HttpRequest, token: str) -> HttpResponse:
    _require_officer(request)
    found = _get_upload(request, token)
    outcome = _run(request, found, dry_run=True)
    return _check_page(request, found, outcome)


def _check_page(request: HttpRequest, found: Upload, outcome: ImportOutcome) -> HttpResponse:
    context = {
        "upload": found,
        "outcome": outcome,
        "problems": outcome.problems[:PROBLEMS_SHOWN],
        "more_problems": outcome.error_count
        + outcome.warning_count
        - min(len(outcome.problems), PROBLEMS_SHOWN),
        "nothing_to_do": outcome.ok and not (outcome.added or outcome.changed),
        "figure": figure,
    }
    return render(request, "collection/imports_check.html", context)


@login_required
@require_POST
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    _require_officer(request)
    found = _get_upload(request, token)
    outcome = _run(request, found, dry_run=False)
    if not outcome.ok:
        # Something changed since the check (a figure was published meanwhile): say what.
        return _check_page(request, found, outcome)
    _delete(found)
    request.session["goldthread_import_done"] = {
        "file_name": outcome.file_name,
        "added": outcome.added,
        "changed": outcome.changed,
        "unchanged": outcome.unchanged,
    }
    return redirect("collection:import-done")


@login_required
@require_GET
def done(request: HttpRequest) -> HttpResponse:
    _require_officer(request)
    result = request.session.get("goldthread_import_done")
    if result is None:
        return redirect("collection:import-upload")
    return render(request, "collection/imports_done.html", {"result": result})


def figure(number: float | None) -> str:
    """A stored or imported figure as the preview shows it."""
    if number is None:
        return "blank"
    return f"{number:,.10g}" if abs(number) < 1e15 else f"{number:,.0f}"
