"""Evidence files: add one to a figure, download one, withdraw one.

Adding: the people who may enter the figure, while it can still change (the small form on the
entry page posts here; a problem with the file is shown on this page, with the form again).
Downloading: whoever may see the indicator and the figure in its state; 404 for anyone else,
so nobody learns a file exists. Files are always sent as attachments, never shown inline.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from goldthread.collection import evidence, services
from goldthread.collection.models import Evidence
from goldthread.collection.views import _entry_period
from goldthread.core.forms import GovukForm
from goldthread.core.periods_url import period_slug
from goldthread.indicators import access

_TOKEN_CHARS = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_")


class EvidenceForm(GovukForm):
    file = forms.FileField(
        label="Upload a file",
        allow_empty_file=True,
        error_messages={"required": "Select a file to upload"},
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        try:
            evidence.check(upload)
        except evidence.EvidenceError as error:
            raise forms.ValidationError(str(error)) from error
        return upload


class WithdrawForm(GovukForm):
    reason = forms.CharField(
        widget=forms.Textarea,
        max_length=2000,
        error_messages={"required": "Enter why you are withdrawing this file"},
    )


@login_required
@require_http_methods(["GET", "POST"])
def upload(request: HttpRequest, code: str, period: str) -> HttpResponse:
    indicator = access.get_indicator_for_user(request.user, code)
    if not access.can_enter_values(request.user, indicator) or indicator.is_context:
        raise PermissionDenied
    found = _entry_period(indicator, period)
    entry_url = reverse("collection:enter", args=[code, period])
    figure = services.figure_for(indicator, found)
    section = evidence.section(request.user, indicator, found, figure)
    if not section.can_upload:
        messages.error(request, section.why_not)
        return redirect(f"{entry_url}#evidence")
    form = EvidenceForm(request.POST, request.FILES) if request.method == "POST" else EvidenceForm()
    if request.method == "POST" and form.is_valid():
        try:
            added = evidence.add(figure, form.cleaned_data["file"], actor=request.user)
        except services.CollectionError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, f"{added.original_name} added as evidence")
        return redirect(f"{entry_url}#evidence")
    context = {
        "indicator": indicator,
        "period": found,
        "figure": figure,
        "form": form,
        "evidence": section,
        "entry_url": entry_url,
    }
    return render(request, "collection/evidence_upload.html", context)


def _evidence_for(request: HttpRequest, token: str) -> Evidence:
    """The file with this token if this person may see it; 404 otherwise (no hint)."""
    if not token or len(token) > 64 or not set(token) <= _TOKEN_CHARS:
        raise Http404("No such file")
    found = (
        Evidence.objects.select_related("value__indicator__service__directorate")
        .filter(token=token)
        .first()
    )
    if found is None or not evidence.may_download(request.user, found):
        raise Http404("No such file")
    return found


@never_cache
@require_GET
def download(request: HttpRequest, token: str) -> FileResponse:
    found = _evidence_for(request, token)
    try:
        handle = found.file.open("rb")
    except OSError as error:
        raise Http404("No such file") from error
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=found.original_name,
        content_type=found.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox"
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def withdraw(request: HttpRequest, token: str) -> HttpResponse:
    found = _evidence_for(request, token)
    figure = found.value
    entry_url = reverse(
        "collection:enter", args=[figure.indicator.code, period_slug(figure.period_obj)]
    )
    if not evidence.may_withdraw(request.user, found):
        refused = _why_not_withdraw(request, found)
        messages.error(request, f"You cannot withdraw {found.original_name} now. {refused}")
        return redirect(f"{entry_url}#evidence")
    form = WithdrawForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            evidence.withdraw(found, actor=request.user, reason=form.cleaned_data["reason"])
        except services.CollectionError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, f"{found.original_name} withdrawn")
        return redirect(f"{entry_url}#evidence")
    context = {"item": found, "figure": figure, "form": form, "entry_url": entry_url}
    return render(request, "collection/evidence_withdraw.html", context)


def _why_not_withdraw(request: HttpRequest, found: Evidence) -> str:
    """Why someone who enters this figure cannot withdraw the file now; anyone else is refused.

    A data owner whose window has closed, or whose figure is locked, is told why and sent back
    to the figure, as when adding a file; someone who never enters the figure gets 403.
    """
    if found.is_withdrawn:
        return "It has already been withdrawn."
    if not access.can_enter_values(request.user, found.value.indicator):
        raise PermissionDenied
    return evidence.refused_reason(request.user, found.value)
