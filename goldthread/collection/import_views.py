"""Importing figures through the browser: upload → check → preview → confirm.

Two routes through the same pages and the same service as the `import-values` command, so
the rules are the same:

- `/imports/`: the performance team imports any indicator's figures, in Goldthread's columns,
  the collection template or a published table's layout.
- `/my-updates/upload/`: a data owner uploads their own filled-in template (or a CSV in
  Goldthread's columns); rows for other people's indicators are errors (ADR 18). A
  performance officer who follows the link is sent to `/imports/`.

An upload is kept as a file in GOLDTHREAD_UPLOAD_DIR (private, never under static) under a
random token, with a small JSON note of who uploaded it, its name and its route; only that
person can see or confirm it, on the route it was uploaded on. It is deleted once imported,
or after UPLOAD_LIFETIME.
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

from goldthread.collection.import_forms import ImportForm, OwnerUploadForm
from goldthread.collection.import_scope import may_upload_own
from goldthread.collection.imports import ImportOutcome, import_values, may_import
from goldthread.collection.owner_import import import_own_figures
from goldthread.collection.profile_settings import reader_for
from goldthread.indicators import access

UPLOAD_LIFETIME = 60 * 60  # seconds
PROBLEMS_SHOWN = 200
_TOKEN_CHARS = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_")
OWN = "own"  # the note's route for a data owner's own upload


@dataclass(frozen=True)
class Route:
    """One way through the pages: the performance team's import or a data owner's upload."""

    own: bool
    upload: str  # URL names
    check: str
    confirm: str
    done: str
    session_key: str


TEAM = Route(
    False,
    "collection:import-upload",
    "collection:import-check",
    "collection:import-confirm",
    "collection:import-done",
    "goldthread_import_done",
)
OWNER = Route(
    True,
    "collection:my-upload",
    "collection:my-upload-check",
    "collection:my-upload-confirm",
    "collection:my-upload-done",
    "goldthread_my_upload_done",
)


@dataclass(frozen=True)
class Upload:
    token: str
    path: Path
    file_name: str
    fmt: str
    profile: str = ""  # a published table's mapping profile, its measure links and first period
    mapping: str = ""
    since: str = ""
    own: bool = False  # uploaded by a data owner on their own route


def _upload_dir() -> Path:
    directory = Path(settings.GOLDTHREAD_UPLOAD_DIR)
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    return directory


def _require(request: HttpRequest, route: Route) -> None:
    """The one decision for these pages: the team imports; data owners upload their own."""
    allowed = may_upload_own(request.user) if route.own else may_import(request.user)
    if not allowed:
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


def _get_upload(request: HttpRequest, token: str, route: Route) -> Upload:
    """This person's upload on this route; 404 when it is someone else's, gone or expired."""
    if not token or not set(token) <= _TOKEN_CHARS:
        raise Http404("No such upload")
    directory = _upload_dir()
    note = _read_note(directory / f"{token}.json")
    if note is None or note["user"] != request.user.pk or _expired(note):
        raise Http404("No such upload")
    if (note.get("route") == OWN) != route.own:
        raise Http404("No such upload")
    path = directory / f"{token}.{note['fmt']}"
    if not path.exists():
        raise Http404("No such upload")
    extra = (note.get("profile", ""), note.get("mapping", ""), note.get("since", ""))
    return Upload(token, path, note["file_name"], note["fmt"], *extra, own=route.own)


def _delete(upload: Upload) -> None:
    upload.path.unlink(missing_ok=True)
    upload.path.with_suffix(".json").unlink(missing_ok=True)


def _run(request: HttpRequest, upload: Upload, *, dry_run: bool) -> ImportOutcome:
    with upload.path.open("rb") as file:
        if upload.own:
            return import_own_figures(
                file,
                fmt=upload.fmt,
                actor=request.user,
                dry_run=dry_run,
                file_name=upload.file_name,
            )
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


# --- The performance team's import -----------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def upload(request: HttpRequest) -> HttpResponse:
    _require(request, TEAM)
    form = ImportForm(request.POST, request.FILES) if request.method == "POST" else ImportForm()
    if request.method == "POST" and form.is_valid():
        saved = _save(request, form.cleaned_data["file"], form.note())
        return redirect(TEAM.check, token=saved.token)
    limit_mb = form.max_bytes() // (1024 * 1024)
    return render(request, "collection/imports_upload.html", {"form": form, "limit_mb": limit_mb})


@login_required
@require_GET
def check(request: HttpRequest, token: str) -> HttpResponse:
    return _check(request, token, TEAM)


@login_required
@require_POST
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    return _confirm(request, token, TEAM)


@login_required
@require_GET
def done(request: HttpRequest) -> HttpResponse:
    return _done(request, TEAM)


# --- A data owner's own figures ---------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def my_upload(request: HttpRequest) -> HttpResponse:
    if not request.user.is_officer:
        raise PermissionDenied
    if access.can_approve(request.user):
        return redirect(TEAM.upload)  # the whole import, with every layout
    owns = may_upload_own(request.user)
    if request.method == "POST" and not owns:
        raise PermissionDenied
    posted = request.method == "POST"
    form = OwnerUploadForm(request.POST, request.FILES) if posted else OwnerUploadForm()
    if posted and form.is_valid():
        saved = _save(request, form.cleaned_data["file"], {"route": OWN})
        return redirect(OWNER.check, token=saved.token)
    context = {"form": form, "owns": owns, "limit_mb": form.max_bytes() // (1024 * 1024)}
    return render(request, "collection/my_upload.html", context)


@login_required
@require_GET
def my_check(request: HttpRequest, token: str) -> HttpResponse:
    return _check(request, token, OWNER)


@login_required
@require_POST
def my_confirm(request: HttpRequest, token: str) -> HttpResponse:
    return _confirm(request, token, OWNER)


@login_required
@require_GET
def my_done(request: HttpRequest) -> HttpResponse:
    return _done(request, OWNER)


# --- The steps both routes share --------------------------------------------------------------


def _check(request: HttpRequest, token: str, route: Route) -> HttpResponse:
    _require(request, route)
    found = _get_upload(request, token, route)
    outcome = _run(request, found, dry_run=True)
    return _check_page(request, found, outcome, route)


def _check_page(
    request: HttpRequest, found: Upload, outcome: ImportOutcome, route: Route
) -> HttpResponse:
    context = {
        "upload": found,
        "outcome": outcome,
        "route": route,
        "problems": outcome.problems[:PROBLEMS_SHOWN],
        "more_problems": outcome.error_count
        + outcome.warning_count
        - min(len(outcome.problems), PROBLEMS_SHOWN),
        "nothing_to_do": outcome.ok and not (outcome.added or outcome.changed),
        "figure": figure,
    }
    return render(request, "collection/imports_check.html", context)


def _confirm(request: HttpRequest, token: str, route: Route) -> HttpResponse:
    _require(request, route)
    found = _get_upload(request, token, route)
    outcome = _run(request, found, dry_run=False)
    if not outcome.ok:
        # Something changed since the check (a figure was published meanwhile): say what.
        return _check_page(request, found, outcome, route)
    _delete(found)
    request.session[route.session_key] = {
        "file_name": outcome.file_name,
        "added": outcome.added,
        "changed": outcome.changed,
        "unchanged": outcome.unchanged,
    }
    return redirect(route.done)


def _done(request: HttpRequest, route: Route) -> HttpResponse:
    _require(request, route)
    result = request.session.get(route.session_key)
    if result is None:
        return redirect(route.upload)
    return render(request, "collection/imports_done.html", {"result": result, "route": route})


def figure(number: float | None) -> str:
    """A stored or imported figure as the preview shows it."""
    if number is None:
        return "blank"
    return f"{number:,.10g}" if abs(number) < 1e15 else f"{number:,.0f}"
