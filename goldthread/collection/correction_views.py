"""Pages for correcting a published figure, and for checking and publishing corrections."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from goldthread.analysis.periods import Period
from goldthread.collection import corrections, services
from goldthread.collection.forms import CorrectionForm, ReasonForm
from goldthread.collection.models import Correction, PublishedVersion
from goldthread.collection.views import _entry_period, _initial, _posted, _step
from goldthread.indicators import access
from goldthread.indicators.models import Value, ValueState


def _published_figure(request: HttpRequest, code: str, slug: str) -> tuple[Value, Period]:
    indicator = access.get_indicator_for_user(request.user, code)
    if not access.can_enter_values(request.user, indicator) or indicator.is_context:
        raise PermissionDenied
    period = _entry_period(indicator, slug)
    figure = services.figure_for(indicator, period)
    if figure is None or figure.state != ValueState.PUBLISHED:
        raise Http404("There is no published figure for that period to correct")
    return figure, period


def _correction_initial(figure: Value, correction: Correction | None) -> dict:
    """Start from the open correction, or from the published figure itself."""
    source = correction or figure
    initial = _initial(source)
    initial["reason"] = correction.reason if correction else ""
    initial["revision"] = correction.revision if correction else ""
    return initial


def _form(request: HttpRequest, figure: Value, period: Period, correction) -> CorrectionForm:
    indicator = figure.indicator
    return CorrectionForm(
        _posted(request),
        initial=_correction_initial(figure, correction),
        is_rate=indicator.is_rate,
        unit=indicator.unit,
        rag_for=lambda value: services.provisional_rag(indicator, period, value),
        quality_for=lambda value: services.quality_issues(indicator, period, value),
    )


@login_required
@require_http_methods(["GET", "POST"])
def correct(request: HttpRequest, code: str, period: str) -> HttpResponse:
    figure, found = _published_figure(request, code, period)
    correction = corrections.open_correction(figure)
    if request.method == "POST" and request.POST.get("action") == "withdraw":
        return _withdraw(request, figure, correction)
    form = _form(request, figure, found, correction)
    locked = corrections.correction_locked_reason(correction) if correction else ""
    if request.method == "POST" and not locked and form.is_valid():
        if _save(request, figure, form):
            return redirect("indicators:detail", code=figure.indicator.code)
        correction = corrections.open_correction(figure)
    context = {
        "indicator": figure.indicator,
        "period": found,
        "figure": figure,
        "correction": correction,
        "locked": locked,
        "form": form,
        "versions": PublishedVersion.objects.filter(figure=figure).select_related("published_by"),
    }
    return render(request, "collection/correction.html", context)


def _save(request: HttpRequest, figure: Value, form: CorrectionForm) -> bool:
    submit = request.POST.get("action") == "submit"
    try:
        corrections.save_correction(
            figure,
            form.entry(),
            reason=form.cleaned_data["reason"],
            actor=request.user,
            revision=form.cleaned_data["revision"],
            submit=submit,
        )
    except services.CollectionError as error:
        form.add_error(None, str(error))
        return False
    label = f"{figure.indicator.name}, {figure.period_obj.label}"
    verb = "correction submitted for approval" if submit else "correction saved as a draft"
    messages.success(request, f"{label}: {verb}. The published figure stays until it is published.")
    return True


def _withdraw(request: HttpRequest, figure: Value, correction: Correction | None) -> HttpResponse:
    if correction is None:
        raise Http404("There is no correction to withdraw")
    try:
        corrections.withdraw_correction(correction, actor=request.user)
    except services.CollectionError as error:
        messages.error(request, str(error))
    else:
        label = f"{figure.indicator.name}, {figure.period_obj.label}"
        messages.success(request, f"{label}: correction withdrawn. The published figure stands.")
    return redirect("indicators:detail", code=figure.indicator.code)


def _correction_for_officer(request: HttpRequest, pk: int) -> Correction:
    if not access.can_approve(request.user):
        raise PermissionDenied
    queryset = Correction.objects.select_related("figure__indicator")
    return get_object_or_404(queryset, pk=pk)


def _label(correction: Correction) -> str:
    figure = correction.figure
    return f"Correction of {figure.indicator.name}, {figure.period_obj.label}"


@login_required
@require_POST
def approve(request: HttpRequest, pk: int) -> HttpResponse:
    correction = _correction_for_officer(request, pk)
    return _step(
        request,
        corrections.approve_correction,
        f"{_label(correction)}: approved",
        correction=correction,
        actor=request.user,
    )


@login_required
@require_POST
def publish(request: HttpRequest, pk: int) -> HttpResponse:
    correction = _correction_for_officer(request, pk)
    return _step(
        request,
        corrections.publish_correction,
        f"{_label(correction)}: published as the figure's new revision",
        correction=correction,
        actor=request.user,
    )


@login_required
@require_http_methods(["GET", "POST"])
def return_correction(request: HttpRequest, pk: int) -> HttpResponse:
    correction = _correction_for_officer(request, pk)
    form = ReasonForm(_posted(request))
    form.fields["reason"].label = "Why are you returning this correction?"
    form.fields["reason"].error_messages["required"] = "Enter why you are returning this correction"
    if request.method == "POST" and form.is_valid():
        return _step(
            request,
            corrections.return_correction,
            f"{_label(correction)}: returned",
            correction=correction,
            actor=request.user,
            reason=form.cleaned_data["reason"],
        )
    context = {"correction": correction, "figure": correction.figure, "form": form}
    return render(request, "collection/return.html", context)
