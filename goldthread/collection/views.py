from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from goldthread.analysis.periods import Period
from goldthread.collection import evidence, services, windows
from goldthread.collection.corrections import open_correction, waiting_corrections
from goldthread.collection.forms import EntryForm, ReasonForm
from goldthread.collection.presenters import my_updates as build_my_updates
from goldthread.collection.presenters import with_the_team
from goldthread.core.periods_url import period_from_slug
from goldthread.indicators import access
from goldthread.indicators.models import Indicator, Value, ValueState


def _posted(request: HttpRequest):
    return request.POST if request.method == "POST" else None


@login_required
@require_GET
def my_updates(request: HttpRequest) -> HttpResponse:
    if not request.user.is_officer:
        raise PermissionDenied
    lines = build_my_updates(request.user, timezone.localdate())
    submitted = with_the_team(request.user)
    return render(request, "collection/my_updates.html", {"lines": lines, "submitted": submitted})


def _entry_period(indicator: Indicator, slug: str) -> Period:
    period = period_from_slug(slug)
    if period.frequency != indicator.frequency or period.start > timezone.localdate():
        raise Http404("No figure can be entered for that period")
    return period


def _initial(figure: Value | None) -> dict:
    if figure is None:
        return {}
    due = figure.action_due
    return {
        "value": figure.value if figure.numerator is None else None,
        "numerator": figure.numerator,
        "denominator": figure.denominator,
        "commentary": figure.commentary,
        "action_commentary": figure.action_commentary,
        "action_due_day": due.day if due else "",
        "action_due_month": due.month if due else "",
        "action_due_year": due.year if due else "",
        "revision": figure.revision,
    }


@login_required
@require_http_methods(["GET", "POST"])
def enter_value(request: HttpRequest, code: str, period: str) -> HttpResponse:
    indicator = access.get_indicator_for_user(request.user, code)
    if not access.can_enter_values(request.user, indicator) or indicator.is_context:
        raise PermissionDenied
    found = _entry_period(indicator, period)
    figure = services.figure_for(indicator, found)
    form = EntryForm(
        _posted(request),
        initial=_initial(figure),
        is_rate=indicator.is_rate,
        unit=indicator.unit,
        rag_for=lambda value: services.provisional_rag(indicator, found, value),
        quality_for=lambda value: services.quality_issues(indicator, found, value),
    )
    today = timezone.localdate()
    locked = services.locked_reason(figure) if figure else ""
    closed = "" if locked else windows.closed_reason(request.user, indicator, found, figure, today)
    state = windows.window_state(indicator, found, today)
    if request.method == "POST" and not (locked or closed) and form.is_valid():
        saved = _save(request, indicator, found, form)
        if saved:
            return redirect("collection:my-updates")
        figure = services.figure_for(indicator, found)
    context = {
        "indicator": indicator,
        "period": found,
        "form": form,
        "figure": figure,
        "locked": locked,
        "closed": closed,
        "window": state,
        "reopened_text": windows.describe(state.reopening) if state.reopening else "",
        "can_reopen": access.can_approve(request.user),
        "correction": open_correction(figure) if figure else None,
        "evidence": evidence.section(request.user, indicator, found, figure),
    }
    return render(request, "collection/enter_value.html", context)


def _save(request: HttpRequest, indicator: Indicator, period: Period, form: EntryForm) -> bool:
    data = form.cleaned_data
    entry = form.entry()
    submit = request.POST.get("action") == "submit"
    try:
        services.save_entry(
            indicator, period, entry, actor=request.user, revision=data["revision"], submit=submit
        )
    except services.CollectionError as error:
        form.add_error(None, str(error))
        return False
    verb = "submitted for approval" if submit else "saved as a draft"
    messages.success(request, f"{indicator.name}, {period.label}: {verb}")
    return True


@login_required
@require_GET
def approvals(request: HttpRequest) -> HttpResponse:
    if not access.can_approve(request.user):
        raise PermissionDenied
    waiting = Value.objects.filter(area__isnull=True).select_related("indicator", "updated_by")
    waiting = evidence.with_counts(waiting)
    context = {
        "submitted": waiting.filter(state=ValueState.SUBMITTED).order_by("period_start"),
        "approved": waiting.filter(state=ValueState.APPROVED).order_by("period_start"),
        "corrections": waiting_corrections(),
        "form": ReasonForm(),
    }
    return render(request, "collection/approvals.html", context)


def _figure_for_officer(request: HttpRequest, pk: int) -> Value:
    if not access.can_approve(request.user):
        raise PermissionDenied
    return get_object_or_404(Value.objects.select_related("indicator"), pk=pk)


def _step(request: HttpRequest, step, success: str, **kwargs) -> HttpResponse:
    try:
        step(**kwargs)
    except services.CollectionError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, success)
    return redirect("collection:approvals")


@login_required
@require_POST
def approve(request: HttpRequest, pk: int) -> HttpResponse:
    figure = _figure_for_officer(request, pk)
    label = f"{figure.indicator.name}, {figure.period_obj.label}"
    return _step(request, services.approve, f"{label}: approved", figure=figure, actor=request.user)


@login_required
@require_POST
def publish(request: HttpRequest, pk: int) -> HttpResponse:
    figure = _figure_for_officer(request, pk)
    label = f"{figure.indicator.name}, {figure.period_obj.label}"
    return _step(
        request, services.publish_figure, f"{label}: published", figure=figure, actor=request.user
    )


@login_required
@require_http_methods(["GET", "POST"])
def return_figure(request: HttpRequest, pk: int) -> HttpResponse:
    figure = _figure_for_officer(request, pk)
    form = ReasonForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        label = f"{figure.indicator.name}, {figure.period_obj.label}"
        return _step(
            request,
            services.return_for_changes,
            f"{label}: returned",
            figure=figure,
            actor=request.user,
            reason=form.cleaned_data["reason"],
        )
    return render(request, "collection/return.html", {"figure": figure, "form": form})
