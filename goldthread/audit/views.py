"""The audit trail of an indicator and the council-wide audit log.

The audit trail is internal: it names officers and gives their reasons. An indicator's trail is
for officers who may see the indicator (members get 403, indicators they may not see 404); the
council-wide log is for performance officers and system administrators.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.http import require_GET

from goldthread.audit import presenters
from goldthread.audit.access import can_see_audit_log, can_see_indicator_audit
from goldthread.audit.forms import LogFilterForm
from goldthread.indicators import access
from goldthread.indicators.exports import Column, write_csv
from goldthread.structure.services import council_name

LOG_COLUMNS = [
    Column("at", "When", 20),
    Column("action", "Action", 24),
    Column("about", "About", 40),
    Column("description", "What happened", 50),
    Column("who", "Who", 20),
    Column("reason", "Reason", 50),
]


@login_required
@require_GET
def indicator_trail(request: HttpRequest, code: str) -> HttpResponse:
    indicator = access.get_indicator_for_user(request.user, code)
    if not can_see_indicator_audit(request.user):
        raise PermissionDenied
    kind = request.GET.get("kind", "")
    kind = kind if kind in presenters.KINDS else ""
    entries = presenters.indicator_trail(request.user, indicator, kind)
    page = presenters.page_of(entries, request.GET.get("page"))
    context = {
        "indicator": indicator,
        "kind": kind,
        "kinds": presenters.KINDS,
        "page": page,
        "pagination": presenters.pagination(page, {"kind": kind} if kind else {}),
    }
    return render(request, "audit/indicator.html", context)


def _log_form(request: HttpRequest) -> LogFilterForm:
    if not can_see_audit_log(request.user):
        raise PermissionDenied
    return LogFilterForm(request.GET)


@login_required
@require_GET
def audit_log(request: HttpRequest) -> HttpResponse:
    form = _log_form(request)
    if not form.is_valid():
        return render(request, "audit/log.html", {"form": form}, status=400)
    page = presenters.page_of(presenters.log_events(form.filters()), request.GET.get("page"))
    query = form.query()
    context = {
        "form": form,
        "page": page,
        "lines": presenters.log_lines(page.object_list),
        "pagination": presenters.pagination(page, query),
        "query": query,
    }
    return render(request, "audit/log.html", context)


def _log_row(line: presenters.LogLine) -> dict:
    event = line.event
    return {
        "at": timezone.localtime(event.at).strftime("%Y-%m-%d %H:%M:%S"),
        "action": line.verb_label,
        "about": event.object_label,
        "description": event.description,
        "who": line.who,
        "reason": event.reason,
    }


@login_required
@require_GET
def audit_log_export(request: HttpRequest) -> HttpResponse:
    form = _log_form(request)
    if not form.is_valid():
        return render(request, "audit/log.html", {"form": form}, status=400)
    lines = presenters.log_lines(presenters.log_events(form.filters()))
    today = timezone.localdate()
    council = council_name()
    preamble = [f"{council}: audit log", f"Exported on {today.day} {today:%B} {today.year}."]
    body = write_csv([_log_row(line) for line in lines], LOG_COLUMNS, preamble=preamble)
    name = f"{slugify(council) or 'council'}-audit-log-{today.isoformat()}.csv"
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response
