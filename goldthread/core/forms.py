"""Glue between Django forms and GOV.UK Design System components.

Templates call `field_args(form, name)` to get the arguments a govuk macro needs (id, name,
value, label, hint, error message) and `error_summary(form)` for the error summary, so the
error messages users read are the form's own and link to the field that is wrong.
"""

from __future__ import annotations

from datetime import date

from django import forms
from django.utils import timezone

from goldthread.core.date_input import PARTS, When, date_input_params, read_date


class GovukForm(forms.Form):
    """A form whose fields know their GOV.UK ids and whose errors are ready for the summary."""

    def error_list(self) -> list[dict[str, str]]:
        items = []
        for name, errors in self.errors.items():
            anchor = f"#{self[name].id_for_label}" if name in self.fields else "#main-content"
            items.extend({"text": str(error), "href": anchor} for error in errors)
        return items

    def error_for(self, name: str) -> dict[str, str] | None:
        errors = self.errors.get(name)
        return {"text": str(errors[0])} if errors else None

    def value_of(self, name: str) -> str:
        value = self[name].value()
        return "" if value is None else str(value)

    def read_date(
        self, name: str, label: str, *, required: bool = False, when: When = "any"
    ) -> date | None:
        """Read the GOV.UK boxes name_day, name_month and name_year; a wrong date is an error
        on name_day, which the summary links to."""
        parts = tuple(str(self.data.get(f"{name}_{p}", "")) for p in PARTS)
        found = read_date(parts, label, required=required, when=when, today=timezone.localdate())
        if found.message:
            self.add_error(f"{name}_day", found.message)
            self.__dict__.setdefault("date_wrong", {})[name] = found.wrong
        return found.value

    def date_input(self, name: str, legend: str, hint: str = "For example, 27 3 2027") -> dict:
        values = {p: self.value_of(f"{name}_{p}") for p in PARTS}
        error = self.error_for(f"{name}_day")
        wrong = self.__dict__.get("date_wrong", {}).get(name, ())
        return date_input_params(
            name, legend, values, hint=hint, error=error["text"] if error else "", wrong=wrong
        )


class GovukModelForm(forms.ModelForm):
    error_list = GovukForm.error_list
    error_for = GovukForm.error_for
    value_of = GovukForm.value_of
    read_date = GovukForm.read_date
    date_input = GovukForm.date_input
