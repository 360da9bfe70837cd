"""Downloading the Excel collection template: a data owner's own, or anyone's for the team.

- `/my-updates/template/`: a data owner (any officer) downloads the figures they own for a
  reporting month, to fill in and upload at `/my-updates/upload/` (ADR 18).
- `/imports/template/`: a performance officer downloads the template for any data owner (or
  every indicator), to send out or to fill in before importing it at `/imports/`.

Both are one GET form: without a choice the page shows the form; with a valid choice the
response is the workbook. The decision of who may do what is the same as for My updates and
for imports.
"""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from goldthread.accounts.models import User
from goldthread.analysis.periods import Period, parse_period
from goldthread.collection.imports import may_import
from goldthread.collection.templates_xlsx import (
    TemplateInfo,
    TemplateLine,
    build_workbook,
    owned_indicators,
    round_label,
    rounds,
    template_lines,
)
from goldthread.core.forms import GovukForm
from goldthread.structure.services import council_name

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
EVERYONE = "all"


class TemplateForm(GovukForm):
    """Which reporting month (and, for the performance team, whose indicators)."""

    month = forms.ChoiceField(
        label="Which month's figures?",
        error_messages={"required": "Select the month", "invalid_choice": "Select the month"},
    )
    owner = forms.ChoiceField(
        label="Whose indicators?",
        required=False,
        error_messages={"invalid_choice": "Select whose indicators the template is for"},
    )

    def __init__(self, *args, months: list[Period], owners: list[User] | None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["month"].choices = [(m.key, round_label(m)) for m in months]
        if owners is None:
            del self.fields["owner"]
        else:
            self.fields["owner"].required = True
            self.fields["owner"].choices = [(EVERYONE, "Every indicator")] + [
                (str(user.pk), str(user)) for user in owners
            ]
            self.fields["owner"].error_messages["required"] = (
                "Select whose indicators the template is for"
            )

    def chosen_month(self) -> Period:
        return parse_period(self.cleaned_data["month"])  # a choice, so always a period


def _owners() -> list[User]:
    return list(
        User.objects.filter(
            owned_indicators__retired_at__isnull=True, owned_indicators__is_context=False
        )
        .distinct()
        .order_by("last_name", "first_name", "username")
    )


@login_required
@require_GET
def my_template(request: HttpRequest) -> HttpResponse:
    if not request.user.is_officer:
        raise PermissionDenied
    months = rounds(timezone.localdate())
    form = TemplateForm(request.GET or None, months=months, owners=None)
    indicators = owned_indicators(request.user)
    if form.is_bound and form.is_valid() and indicators:
        lines = _lines_or_error(form, indicators)
        if lines:
            hint = (
                "Save the file and upload it on the \u201cUpload your figures\u201d page "
                f"({request.build_absolute_uri(reverse('collection:my-upload'))}). You will "
                "see what it changes before you submit the figures for approval."
            )
            return _download(request, lines, form.chosen_month(), str(request.user), hint)
    context = {"form": form, "has_indicators": bool(indicators)}
    return render(request, "collection/template_mine.html", context)


@login_required
@require_GET
def team_template(request: HttpRequest) -> HttpResponse:
    if not may_import(request.user):
        raise PermissionDenied
    owners = _owners()
    months = rounds(timezone.localdate())
    form = TemplateForm(request.GET or None, months=months, owners=owners)
    if form.is_bound and form.is_valid():
        owner = _chosen_owner(form.cleaned_data["owner"], owners)
        lines = _lines_or_error(form, owned_indicators(owner))
        if lines:
            whom = str(owner) if owner else "every data owner"
            hint = (
                "Upload the completed file on the \u201cImport figures from a file\u201d page "
                f"({request.build_absolute_uri(reverse('collection:import-upload'))})."
            )
            return _download(request, lines, form.chosen_month(), whom, hint)
    return render(request, "collection/template_team.html", {"form": form})


def _chosen_owner(choice: str, owners: list[User]) -> User | None:
    return None if choice == EVERYONE else next(u for u in owners if str(u.pk) == choice)


def _lines_or_error(form: TemplateForm, indicators) -> list[TemplateLine]:
    """The template's rows; an error on the month when it asks for nothing."""
    month = form.chosen_month()
    lines = template_lines(indicators, month)
    if not lines:
        form.add_error(
            "month",
            f"There are no figures to give for {round_label(month)}. Choose another month",
        )
    return lines


def _download(request, lines, month: Period, whom: str, hint: str) -> HttpResponse:
    info = TemplateInfo(council_name(), whom, month, timezone.localdate(), hint)
    response = HttpResponse(build_workbook(lines, info), content_type=XLSX)
    name = f"figures-{month.key}-{'all' if whom == 'every data owner' else _slug(whom)}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response


def _slug(text: str) -> str:
    return "".join(c if c.isalnum() else "-" for c in text.lower()).strip("-") or "owner"
