"""A Django form that renders as GOV.UK components.

`components()` turns each field into the arguments of its GOV.UK macro (input, textarea,
radios, checkboxes, select or a three-part date), so every form page in the app is the same
small template (`improvement/_fields.html`) and every error message is the form's own, naming
the field it belongs to.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms

from goldthread.core.forms import GovukForm


class ComponentForm(GovukForm):
    """A GOV.UK form whose dates are three boxes (day, month, year), named in `dates`."""

    dates: dict[str, tuple[str, bool, str]] = {}  # name: (label, required, hint)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.ChoiceField):
                label = field.label[0].lower() + field.label[1:]
                field.error_messages["invalid_choice"] = f"Choose from the list: {label}"
        for name in self.dates:
            for part in ("day", "month", "year"):
                self.fields[f"{name}_{part}"] = forms.CharField(required=False, max_length=10)

    def set_date(self, name: str, value: date | None) -> None:
        if value is not None:
            for part in ("day", "month", "year"):
                self.initial[f"{name}_{part}"] = getattr(value, part)

    def clean(self) -> dict:
        data = super().clean()
        for name, (label, required, _hint) in self.dates.items():
            data[name] = self._date(name, label, required, data)
        return data

    def _date(self, name: str, label: str, required: bool, data: dict) -> date | None:
        return self.read_date(name, f"the {label[0].lower()}{label[1:]}", required=required)

    def components(self) -> list[dict[str, Any]]:
        shown = [n for n in self.fields if not any(n.startswith(f"{d}_") for d in self.dates)]
        result = [self._component(name) for name in shown]
        for name in self.dates:
            result.insert(self._date_position(name, shown), self._date_component(name))
        return result

    def _date_position(self, name: str, shown: list[str]) -> int:
        after = getattr(self, "date_after", {}).get(name)
        return shown.index(after) + 1 if after in shown else len(shown)

    def _component(self, name: str) -> dict[str, Any]:
        field, bound = self.fields[name], self[name]
        params: dict[str, Any] = {
            "id": bound.id_for_label,
            "name": name,
            "label": {"text": field.label, "classes": "govuk-label--s"},
            "errorMessage": self.error_for(name),
        }
        if field.help_text:
            params["hint"] = {"text": field.help_text}
        if isinstance(field.widget, forms.Textarea):
            params.update(value=self.value_of(name), rows=field.widget.attrs.get("rows", 4))
            return {"kind": "textarea", "params": params}
        if isinstance(field, forms.MultipleChoiceField | forms.BooleanField):
            return {"kind": "checkboxes", "params": self._checkboxes(name, field, params)}
        if isinstance(field.widget, forms.RadioSelect):
            return {"kind": "radios", "params": self._radios(name, field, params)}
        if isinstance(field, forms.ChoiceField):
            params["items"] = self._items(field, [self.value_of(name)], "selected")
            return {"kind": "select", "params": params}
        params["value"] = self.value_of(name)
        if isinstance(field, forms.FloatField | forms.IntegerField):
            params.update(inputmode="decimal", classes="govuk-input--width-10")
        return {"kind": "input", "params": params}

    def _legend(self, field, params: dict) -> dict:
        legend = {"legend": {"text": field.label, "classes": "govuk-fieldset__legend--s"}}
        params.pop("label")
        params.pop("id")
        params["fieldset"] = legend
        params["idPrefix"] = f"id_{params['name']}"
        return params

    def _items(self, field, chosen: list[str], flag: str) -> list[dict]:
        return [
            {"value": str(value), "text": str(text), flag: str(value) in chosen}
            for value, text in field.choices
        ]

    def _radios(self, name: str, field, params: dict) -> dict:
        params = self._legend(field, params)
        params["items"] = self._items(field, [self.value_of(name)], "checked")
        return params

    def _checkboxes(self, name: str, field, params: dict) -> dict:
        params = self._legend(field, params)
        if isinstance(field, forms.BooleanField):
            checked = self.value_of(name) in ("True", "on", "true")
            params["fieldset"]["legend"]["classes"] = "govuk-visually-hidden"
            params["items"] = [{"value": "on", "text": field.label, "checked": checked}]
            return params
        chosen = [str(v) for v in (self[name].value() or [])]
        params["items"] = self._items(field, chosen, "checked")
        return params

    def _date_component(self, name: str) -> dict[str, Any]:
        label, _required, hint = self.dates[name]
        return {
            "kind": "date",
            "params": self.date_input(name, label, hint or "For example, 31 3 2027"),
        }
