from __future__ import annotations

import math
from collections.abc import Callable

from django import forms

from goldthread.analysis.quality import QualityIssue
from goldthread.core.forms import GovukForm
from goldthread.indicators.models import Polarity, ToleranceKind


def _finite(value: float | None, label: str) -> float | None:
    if value is not None and not math.isfinite(value):
        raise forms.ValidationError(f"{label} must be a number")
    return value


class TargetForm(GovukForm):
    annual_target = forms.FloatField(
        required=False,
        label="Annual target",
        error_messages={"invalid": "Annual target must be a number, like 55 or 12.5"},
    )
    tolerance = forms.FloatField(
        required=False,
        min_value=0,
        label="Tolerance (the amber band)",
        error_messages={
            "invalid": "Tolerance must be a number, like 5",
            "min_value": "Tolerance must be 0 or more",
        },
    )
    tolerance_kind = forms.ChoiceField(
        choices=ToleranceKind.choices, initial=ToleranceKind.PERCENT, label="Tolerance is"
    )
    band_lower = forms.FloatField(
        required=False,
        label="Lowest value in the target band",
        error_messages={"invalid": "Lowest value in the band must be a number"},
    )
    band_upper = forms.FloatField(
        required=False,
        label="Highest value in the target band",
        error_messages={"invalid": "Highest value in the band must be a number"},
    )
    no_target_reason = forms.CharField(
        required=False, widget=forms.Textarea, label="Why there is no target", max_length=2000
    )
    reason = forms.CharField(
        widget=forms.Textarea,
        label="Why are you changing the target?",
        max_length=2000,
        error_messages={"required": "Enter why you are changing the target"},
    )
    confirm_warnings = forms.BooleanField(required=False)

    # The checked fields and how messages name them.
    CHECKED = {
        "annual_target": "The annual target",
        "band_lower": "The lowest value in the band",
        "band_upper": "The highest value in the band",
    }

    def __init__(
        self,
        *args,
        polarity: str,
        check: Callable[[float, str], list[QualityIssue]] = lambda target, label: [],
        **kwargs,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.polarity = polarity
        self.check = check
        self.warnings: list[QualityIssue] = []

    def clean_annual_target(self) -> float | None:
        return _finite(self.cleaned_data.get("annual_target"), "Annual target")

    def clean(self) -> dict:
        data = super().clean()
        if self.polarity == Polarity.BAND:
            self._check_band(data)
        elif data.get("annual_target") is None and not data.get("no_target_reason", "").strip():
            self.add_error("annual_target", "Enter an annual target, or say why there is no target")
        if not self.errors:
            self._check_quality(data)
        data.pop("confirm_warnings", None)  # not part of the target itself
        return data

    def _check_quality(self, data: dict) -> None:
        """Errors stop the save; warnings need the box ticked to say the target is meant."""
        for name, label in self.CHECKED.items():
            if data.get(name) is None:
                continue
            for issue in self.check(data[name], label):
                if issue.severity == "error":
                    self.add_error(name, issue.message)
                else:
                    self.warnings.append(issue)
        if self.warnings and not self.errors and not data.get("confirm_warnings"):
            self.add_error(
                "confirm_warnings", "Check the warnings about this target, then confirm it is right"
            )

    def _check_band(self, data: dict) -> None:
        low, high = data.get("band_lower"), data.get("band_upper")
        if low is None and high is None and not data.get("no_target_reason", "").strip():
            self.add_error("band_lower", "Enter the target band, or say why there is no target")
        elif (low is None) != (high is None):
            field = "band_upper" if high is None else "band_lower"
            self.add_error(field, "Enter both the lowest and the highest value of the band")
        elif low is not None and high is not None and low > high:
            self.add_error("band_upper", "Highest value must be the same as or more than lowest")


class RepublishForm(GovukForm):
    reason = forms.CharField(
        widget=forms.Textarea,
        label="Why are you re-publishing this judgement?",
        max_length=2000,
        error_messages={"required": "Enter why you are re-publishing this judgement"},
    )


class RulesForm(GovukForm):
    default_tolerance = forms.FloatField(
        min_value=0,
        label="Default tolerance (the amber band)",
        error_messages={
            "required": "Enter the default tolerance",
            "invalid": "Default tolerance must be a number, like 5",
            "min_value": "Default tolerance must be 0 or more",
        },
    )
    default_tolerance_kind = forms.ChoiceField(
        choices=ToleranceKind.choices, label="Default tolerance is"
    )
    direction_threshold = forms.FloatField(
        min_value=0,
        label="Smallest change that counts as better or worse",
        error_messages={
            "required": "Enter the smallest change that counts",
            "invalid": "The smallest change must be a number, like 0 or 0.5",
            "min_value": "The smallest change must be 0 or more",
        },
    )
    reason = forms.CharField(
        widget=forms.Textarea,
        label="Why are you changing the rules?",
        max_length=2000,
        error_messages={"required": "Enter why you are changing the rules"},
    )

    def clean_default_tolerance(self) -> float:
        return _finite(self.cleaned_data["default_tolerance"], "Default tolerance")

    def clean_direction_threshold(self) -> float:
        return _finite(self.cleaned_data["direction_threshold"], "The smallest change")
