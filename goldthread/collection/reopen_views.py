"""Reopened periods: a performance officer reopens a closed collection window, or closes it."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from goldthread.analysis.periods import parse_period
from goldthread.collection import windows
from goldthread.collection.forms import CloseAgainForm, ReopenForm
from goldthread.collection.models import Reopening
from goldthread.indicators import access
from goldthread.indicators.models import Indicator


def _require_officer(request: HttpRequest) -> None:
    if not access.can_approve(request.user):
        raise PermissionDenied


def _collected() -> list[Indicator]:
    return list(
        Indicator.objects.filter(retired_at__isnull=True, is_context=False).order_by("code")
    )


@login_required
@require_http_methods(["GET", "POST"])
def reopenings(request: HttpRequest) -> HttpResponse:
    _require_officer(request)
    today = timezone.localdate()
    initial = {
        "indicator": request.GET.get("indicator", "")[:32],
        "period": request.GET.get("period", "")[:20],
    }
    form = ReopenForm(
        request.POST if request.method == "POST" else None, indicators=_collected(), initial=initial
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        wanted = windows.ReopenRequest(
            data["period"], data["reason"], data["indicator"], data["until"]
        )
        try:
            reopening = windows.reopen(wanted, actor=request.user, today=today)
        except windows.WindowError as error:
            form.add_error("period", str(error))
        else:
            messages.success(
                request, f"{reopening_title(reopening)}. Data owners can enter figures for it."
            )
            return redirect("collection:reopenings")
    active = list(windows.active_reopenings(today).select_related("indicator", "reopened_by"))
    past = Reopening.objects.exclude(pk__in=[r.pk for r in active]).select_related(
        "indicator", "reopened_by", "closed_by"
    )[:50]
    context = {"form": form, "active": active, "past": list(past), "today": today}
    return render(request, "collection/reopenings.html", context)


def reopening_title(reopening: Reopening, verb: str = "reopened") -> str:
    label = parse_period(reopening.period).label
    which = (
        reopening.indicator.name
        if reopening.indicator_id
        else f"every {reopening.frequency} indicator"
    )
    return f"{label} {verb} for {which}"


@login_required
@require_POST
def close(request: HttpRequest, pk: int) -> HttpResponse:
    _require_officer(request)
    reopening = get_object_or_404(Reopening, pk=pk)
    form = CloseAgainForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        windows.close_again(reopening, actor=request.user, reason=reason)
    except windows.WindowError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, reopening_title(reopening, "closed again"))
    return redirect("collection:reopenings")
