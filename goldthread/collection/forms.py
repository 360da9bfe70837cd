from __future__ import annotations

import math
from collections.abc import Callable
from datetime import date

from django import forms

from goldthread.analysis.periods import PeriodError, parse_period
from goldthread.analysis.quality import QualityIssue
from goldthread.analysis.status import Rag
from goldthread.collection.services import Entry, ratio_value
from goldthread.core.forms import GovukForm

WORD_LIMIT = 150


def _words(text: str) -> int:
    return len(text.split())


def _number(label: str) -> forms.FloatField:
    return forms.FloatField(
        required=False,
        label=label,
        error_messages={"invalid": f"{label} must be a number, like 45 or 45.5, with no commas"},
    )


class EntryForm(GovukForm):
    """A figure and its commentary. Near or off target, it must say what is being done, by when."""

    value = _number("Value")
    numerator = _number("Numerator")
    denominator = _number("Denominator")
    commentary = forms.CharField(required=False, widget=forms.Textarea, max_length=5000)
    action_commentary = forms.CharField(required=False, widget=forms.Textarea, max_length=5000)
    # Long enough that the shared date input, not a length check, says what is wrong.
    action_due_day = forms.CharField(required=False, max_length=10)
    action_due_month = forms.CharField(required=False, max_length=10)
    action_due_year = forms.CharField(required=False, max_length=10)
    revision = forms.IntegerField(required=False, widget=forms.HiddenInput)
    confirm_warnings = forms.BooleanField(required=False)

    def __init__(
        self,
        *args,
        is_rate: bool,
        unit: str = "number",
        rag_for: Callable[[float | None], Rag],
        quality_for: Callable[[float], list[QualityIssue]] = lambda value: [],
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.is_rate = is_rate
        self.unit = unit
        self.rag_for = rag_for
        self.quality_for = quality_for
        self.provisional_rag: Rag | None = None
        self.warnings: list[QualityIssue] = []

    def clean(self) -> dict:
        data = super().clean()
        for name in ("value", "numerator", "denominator"):
            if data.get(name) is not None and not math.isfinite(data[name]):
                self.add_error(name, f"{self.fields[name].label} must be a number")
        if self.errors:
            return data
        value = self._check_value(data)
        self._check_words(data)
        data["action_due"] = self._action_due(data)
        if value is not None and not self.errors:
            self.provisional_rag = self.rag_for(value)
            self._check_action(data)
            self._check_quality(value, data)
        return data

    def entry(self) -> Entry:
        """The figure as the services take it (call after is_valid)."""
        data = self.cleaned_data
        return Entry(
            value=data["value"],
            numerator=data["numerator"],
            denominator=data["denominator"],
            commentary=data["commentary"],
            action_commentary=data["action_commentary"],
            action_due=data["action_due"],
            quality_flags=tuple(data.get("quality_flags", ())),
        )

    def _check_quality(self, value: float, data: dict) -> None:
        issues = self.quality_for(value)
        for issue in issues:
            if issue.severity == "error":
                self.add_error("value", issue.message)
        self.warnings = [issue for issue in issues if issue.severity == "warning"]
        data["quality_flags"] = [issue.code for issue in self.warnings]
        if self.warnings and not data.get("confirm_warnings") and not self.errors:
            self.add_error(
                "confirm_warnings",
                "Check the warnings about this figure, then confirm it is right",
            )

    def _check_value(self, data: dict) -> float | None:
        value, num, den = data.get("value"), data.get("numerator"), data.get("denominator")
        if value is not None:
            return value
        if num is None and den is None:
            self.add_error("value", "Enter the value, or the numerator and denominator")
            return None
        if num is None or den is None:
            missing = "numerator" if num is None else "denominator"
            self.add_error(missing, f"Enter the {missing} as well, or enter the value instead")
            return None
        if den == 0:
            self.add_error("denominator", "The denominator cannot be 0")
            return None
        return ratio_value(num, den, self.unit)

    def _check_words(self, data: dict) -> None:
        for name, label in (("commentary", "Commentary"), ("action_commentary", "The action")):
            if _words(data.get(name, "")) > WORD_LIMIT:
                self.add_error(name, f"{label} must be {WORD_LIMIT} words or fewer")

    def _action_due(self, data: dict) -> date | None:
        return self.read_date("action_due", "the date the action is due")

    def _check_action(self, data: dict) -> None:
        if self.provisional_rag not in (Rag.AMBER, Rag.RED):
            return
        if not data.get("commentary", "").strip():
            self.add_error("commentary", "Enter why the result is near or off target")
        if not data.get("action_commentary", "").strip():
            self.add_error(
                "action_commentary", "Enter what is being done to bring the result back on target"
            )
        if data.get("action_due") is None and "action_due_day" not in self.errors:
            self.add_error("action_due_day", "Enter the date the action is due")


class CorrectionForm(EntryForm):
    """A corrected figure, and why the published one was wrong."""

    reason = forms.CharField(
        required=False,
        widget=forms.Textarea,
        max_length=2000,
        label="Why is the published figure being corrected?",
    )

    def clean(self) -> dict:
        data = super().clean()
        if not data.get("reason", "").strip() and "reason" not in self.errors:
            self.add_error("reason", "Enter why the published figure is being corrected")
        return data


class ReasonForm(GovukForm):
    reason = forms.CharField(
        widget=forms.Textarea,
        max_length=2000,
        label="Why are you returning this figure?",
        error_messages={"required": "Enter why you are returning this figure"},
    )


class UploadForm(GovukForm):
    """A file of figures to import: .csv or .xlsx, no bigger than the limit."""

    MAX_BYTES = 50 * 1024 * 1024
    file = forms.FileField(
        label="Upload a file",
        error_messages={
            "required": "Select a CSV or Excel file of figures",
            "empty": "The selected file is empty",
        },
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        name = upload.name or ""
        suffix = name.rsplit(".", 1)[-1].lower() if "." in name else ""
        if suffix not in ("csv", "xlsx"):
            raise forms.ValidationError("The selected file must be a CSV or an Excel (.xlsx) file")
        if upload.size == 0:
            raise forms.ValidationError("The selected file is empty")
        limit = self.max_bytes()
        if upload.size > limit:
            raise forms.ValidationError(
                f"The selected file must be smaller than {limit // (1024 * 1024)} MB. "
                "Split it into smaller files."
            )
        return upload

    def max_bytes(self) -> int:
        from django.conf import settings

        return getattr(settings, "GOLDTHREAD_IMPORT_MAX_BYTES", self.MAX_BYTES)


class ReopenForm(GovukForm):
    """Reopen a closed period for one indicator, or for every indicator collected for it."""

    indicator = forms.ChoiceField(required=False, label="Indicator")
    period = forms.CharField(
        max_length=20,
        label="Period",
        error_messages={"required": "Enter the period to reopen, like 2025-09 or 2025/26 Q2"},
    )
    reason = forms.CharField(
        widget=forms.Textarea,
        max_length=2000,
        label="Why are you reopening this period?",
        error_messages={"required": "Enter why you are reopening this period"},
    )
    # Long enough that the shared date input, not a length check, says what is wrong.
    until_day = forms.CharField(required=False, max_length=10)
    until_month = forms.CharField(required=False, max_length=10)
    until_year = forms.CharField(required=False, max_length=10)

    def __init__(self, *args, indicators, **kwargs):
        super().__init__(*args, **kwargs)
        self.indicators = {indicator.code: indicator for indicator in indicators}
        self.fields["indicator"].choices = [("", "Every indicator collected for this period")] + [
            (code, f"{code} {indicator.name}") for code, indicator in self.indicators.items()
        ]

    def clean_period(self):
        text = self.cleaned_data["period"]
        try:
            return parse_period(text)
        except (PeriodError, ValueError):
            raise forms.ValidationError(
                "Enter the period like 2025-09 (a month), 2025/26 Q2 (a quarter) or 2025/26 "
                "(a year)"
            ) from None

    def clean(self) -> dict:
        data = super().clean()
        data["indicator"] = self.indicators.get(data.get("indicator") or "")
        data["until"] = self.read_date("until", "the last day figures can be entered")
        period, indicator = data.get("period"), data["indicator"]
        if period is not None and indicator is not None and indicator.frequency != period.frequency:
            self.add_error(
                "period",
                f"{indicator.code} is collected {indicator.get_frequency_display().lower()}: "
                f"enter a {_PERIOD_WORD[indicator.frequency]} like {_EXAMPLE[indicator.frequency]}",
            )
        return data


_PERIOD_WORD = {"monthly": "month", "quarterly": "quarter", "annual": "financial year"}
_EXAMPLE = {"monthly": "2025-09", "quarterly": "2025/26 Q2", "annual": "2025/26"}


class CloseAgainForm(GovukForm):
    reason = forms.CharField(required=False, widget=forms.Textarea, max_length=2000)
