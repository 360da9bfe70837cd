"""Forms for the queue, trigger rules, known risks, the ladder and escalations.

Every error message names the field and says what to do, in the GOV.UK style.
"""

from __future__ import annotations

import math
from datetime import date

from django import forms
from django.utils import timezone

from goldthread.core.date_input import (
    PARTS,
    When,
    date_input_params,
    first_box_id,
    read_date,
)
from goldthread.core.forms import GovukForm
from goldthread.interventions.models import Forum, PeriodUnit, RiskSource
from goldthread.interventions.services import Opens

MAX_PERIODS = 24


def _text(label: str, *, required: bool = True, max_length: int = 5000) -> forms.CharField:
    return forms.CharField(
        required=required,
        max_length=max_length,
        label=label,
        error_messages={
            "required": f"Enter {label[0].lower()}{label[1:]}",
            "max_length": f"{label} must be {max_length:,} characters or fewer",
        },
    )


def _count(label: str) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        min_value=1,
        max_value=MAX_PERIODS,
        error_messages={
            "required": f"Enter {label.lower()}",
            "invalid": f"{label} must be a whole number, like 2",
            "min_value": f"{label} must be at least 1",
            "max_value": f"{label} must be {MAX_PERIODS} or fewer",
        },
    )


class DateForm(GovukForm):
    """A GovukForm with GOV.UK date inputs (posted as name-day, name-month, name-year), read by
    the shared core date input, whose errors join the form's own."""

    date_fields: dict[str, str] = {}  # name: the date in words, like "the date of the decision"
    date_when: dict[str, When] = {}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.date_errors: dict[str, str] = {}
        self.date_wrong: dict[str, tuple[str, ...]] = {}
        self.dates: dict[str, date | None] = {}

    def clean(self) -> dict:
        data = super().clean()
        for name, label in self.date_fields.items():
            parts = tuple(str(self.data.get(f"{name}-{p}", "")) for p in PARTS)
            when = self.date_when.get(name, "any")
            reading = read_date(parts, label, when=when, today=timezone.localdate())
            self.dates[name] = reading.value
            if reading.message:
                self.date_errors[name] = reading.message
                self.date_wrong[name] = reading.wrong
        return data

    def is_valid(self) -> bool:
        return super().is_valid() and not self.date_errors

    def error_list(self) -> list[dict[str, str]]:
        dated = [
            {"text": m, "href": "#" + first_box_id(n, sep="-", id_prefix="")}
            for n, m in self.date_errors.items()
        ]
        return super().error_list() + dated

    def date_input(self, name: str, legend: str, hint: str) -> dict:
        values = {p: str(self.data.get(f"{name}-{p}", "")) if self.is_bound else "" for p in PARTS}
        return date_input_params(
            name,
            legend,
            values,
            hint=hint,
            error=self.date_errors.get(name, ""),
            wrong=self.date_wrong.get(name, ()),
            sep="-",
            id_prefix="",
        )


# --- the queue -----------------------------------------------------------------------------


class AcceptForm(GovukForm):
    opens = forms.ChoiceField(
        choices=Opens.CHOICES,
        error_messages={"required": "Choose what accepting the recommendation opens"},
    )
    note = _text("A note for the record", required=False)


class ReasonForm(GovukForm):
    reason = _text("The reason")


# --- trigger rules -------------------------------------------------------------------------


class RuleForm(GovukForm):
    threshold = forms.FloatField(
        required=False,
        label="Threshold",
        error_messages={"invalid": "Threshold must be a number, like 10 or 12.5"},
    )
    for_periods = _count("Periods before it fires")
    recovery_periods = _count("Periods before it clears")
    period_unit = forms.ChoiceField(
        choices=PeriodUnit.choices,
        error_messages={"required": "Choose whether to count periods or quarters"},
    )
    is_active = forms.TypedChoiceField(
        choices=[("yes", "Yes"), ("no", "No")],
        coerce=lambda v: v == "yes",
        error_messages={"required": "Choose whether the rule is switched on"},
    )
    reason = _text("Why you are changing the rule")

    def __init__(self, *args, uses_threshold: bool, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.uses_threshold = uses_threshold

    def clean_threshold(self):
        value = self.cleaned_data.get("threshold")
        if value is not None and not math.isfinite(value):
            raise forms.ValidationError("Threshold must be a number, like 10 or 12.5")
        if self.uses_threshold and value is None:
            raise forms.ValidationError("Enter the threshold")
        if value is not None and value < 0:
            raise forms.ValidationError("Threshold must be 0 or more")
        return value if self.uses_threshold else None


# --- known events and risks ----------------------------------------------------------------


class KnownRiskForm(DateForm):
    date_fields = {"expected_by": "the date by when the effect is expected"}

    description = _text("What the event or risk is")
    expected_effect = _text("The effect you expect it to have on performance")
    forecast_to_miss = forms.TypedChoiceField(
        choices=[("yes", "Yes"), ("no", "No")],
        coerce=lambda v: v == "yes",
        error_messages={"required": "Choose whether it will make the year-end target be missed"},
    )
    source = forms.ChoiceField(
        choices=RiskSource.choices,
        error_messages={"required": "Choose where the event or risk comes from"},
    )
    risk_reference = _text("Risk register reference", required=False, max_length=100)

    def clean(self) -> dict:
        data = super().clean()
        if data.get("source") == RiskSource.LINKED_RISK and not data.get("risk_reference"):
            self.add_error("risk_reference", "Enter the risk register reference of the risk")
        return data


# --- the ladder ----------------------------------------------------------------------------


class ForumForm(GovukForm):
    name = _text("The forum's name", max_length=200)
    composition = _text("Who sits on it", required=False)
    responsibilities = _text("Its responsibilities")


class EscalateForm(GovukForm):
    from_forum = forms.ModelChoiceField(
        queryset=Forum.objects.none(),
        required=False,
        error_messages={"invalid_choice": "Choose a forum from the ladder"},
    )
    to_forum = forms.ModelChoiceField(
        queryset=Forum.objects.none(),
        error_messages={
            "required": "Choose the forum you are escalating to",
            "invalid_choice": "Choose a forum from the ladder",
        },
    )
    clinic = forms.ChoiceField(required=False, choices=[("", "No clinic")])
    reason = _text("Why you are escalating")

    def __init__(self, *args, forums, clinics, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["from_forum"].queryset = forums
        self.fields["to_forum"].queryset = forums
        self.clinics = {str(c.pk): c for c in clinics}
        self.fields["clinic"].choices = [("", "No clinic")] + [(str(c.pk), str(c)) for c in clinics]
        self.fields["clinic"].error_messages["invalid_choice"] = "Choose one of the clinics"

    def clean(self) -> dict:
        data = super().clean()
        start, end = data.get("from_forum"), data.get("to_forum")
        if start is not None and end is not None and start.pk == end.pk:
            self.add_error("to_forum", "Choose a forum other than the one escalating")
        data["clinic_obj"] = self.clinics.get(data.get("clinic") or "")
        return data


class DecisionForm(DateForm):
    date_fields = {"decision_date": "the date of the decision"}
    date_when = {"decision_date": "today_or_past"}

    decision = _text("What the forum decided")
    decision_reference = _text("The meeting and minute number", required=False, max_length=200)
