"""Glue between Django forms and GOV.UK Design System components.

Templates call `field_args(form, name)` to get the arguments a govuk macro needs (id, name,
value, label, hint, error message) and `error_summary(form)` for the error summary, so the
error messages users read are the form's own and link to the field that is wrong.
"""

from __future__ import annotations

from django import forms


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


class GovukModelForm(forms.ModelForm):
    error_list = GovukForm.error_list
    error_for = GovukForm.error_for
    value_of = GovukForm.value_of
