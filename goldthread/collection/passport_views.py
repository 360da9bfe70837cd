"""Passport pages: record a validation, add a known issue, resolve one (performance officers)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from goldthread.collection import passport
from goldthread.collection.models import KnownIssue
from goldthread.core.forms import GovukForm
from goldthread.indicators import access
from goldthread.indicators.models import Indicator


class TextForm(GovukForm):
    """One required piece of text; the page sets its label and its message when empty."""

    text = forms.CharField(widget=forms.Textarea, max_length=2000)

    def __init__(self, *args, label: str, required_message: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["text"].label = label
        self.fields["text"].error_messages["required"] = required_message


def _indicator_for_officer(request: HttpRequest, code: str) -> Indicator:
    indicator = access.get_indicator_for_user(request.user, code)
    if not access.can_approve(request.user):
        raise PermissionDenied
    return indicator


def _text_page(request: HttpRequest, indicator: Indicator, page: dict, act) -> HttpResponse:
    """A page with one text box; `act(text)` does the change or raises PassportError."""
    form = TextForm(
        request.POST if request.method == "POST" else None,
        label=page["label"],
        required_message=page["required"],
    )
    if request.method == "POST" and form.is_valid():
        try:
            act(form.cleaned_data["text"])
        except passport.PassportError as error:
            form.add_error("text", str(error))
        else:
            messages.success(request, page["done"])
            return redirect(reverse("indicators:detail", args=[indicator.code]) + "#passport")
    return render(
        request, "collection/passport_text.html", {"indicator": indicator, "form": form, **page}
    )


PAGES = {
    "validate": {
        "title": "Record a validation",
        "intro": "Say what you checked: the definition, the calculation, the data source and "
        "the latest figures. The passport shows the date, your name and this note.",
        "label": "What did you check?",
        "required": "Enter what you checked",
        "button": "Record validation",
        "done": "Validation recorded",
    },
    "new_issue": {
        "title": "Add a known data issue",
        "intro": "Describe a problem with this indicator's data that readers should know "
        "about. Everyone who can see this indicator, including the public, can read it.",
        "label": "What is the issue?",
        "required": "Describe the issue",
        "button": "Add issue",
        "done": "Known issue added",
    },
    "resolve_issue": {
        "title": "Resolve a known data issue",
        "label": "How was it resolved?",
        "required": "Enter how the issue was resolved",
        "button": "Resolve issue",
        "done": "Issue resolved",
    },
}


@login_required
@require_http_methods(["GET", "POST"])
def validate(request: HttpRequest, code: str) -> HttpResponse:
    indicator = _indicator_for_officer(request, code)
    page = PAGES["validate"]
    return _text_page(
        request,
        indicator,
        page,
        lambda text: passport.validate(indicator, note=text, actor=request.user),
    )


@login_required
@require_http_methods(["GET", "POST"])
def new_issue(request: HttpRequest, code: str) -> HttpResponse:
    indicator = _indicator_for_officer(request, code)
    page = PAGES["new_issue"]
    return _text_page(
        request,
        indicator,
        page,
        lambda text: passport.raise_issue(indicator, description=text, actor=request.user),
    )


@login_required
@require_http_methods(["GET", "POST"])
def resolve_issue(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    indicator = _indicator_for_officer(request, code)
    issue = get_object_or_404(KnownIssue, pk=pk, indicator=indicator, resolved_at__isnull=True)
    page = {**PAGES["resolve_issue"], "intro": f"The issue: {issue.description}"}
    return _text_page(
        request,
        indicator,
        page,
        lambda text: passport.resolve_issue(issue, resolution=text, actor=request.user),
    )
