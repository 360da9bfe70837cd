"""The council-wide audit log's filters: a GET form, so filtered pages can be linked to."""

from __future__ import annotations

import datetime as dt

from django import forms

from goldthread.accounts.models import User
from goldthread.audit.models import AuditEvent
from goldthread.audit.presenters import LogFilters, verb_choices
from goldthread.core.forms import GovukForm

DATE_PARTS = ("day", "month", "year")
DATES = {"from": "Date from", "to": "Date to"}


def _person_choices() -> list[tuple[str, str]]:
    people = User.objects.filter(pk__in=AuditEvent.objects.values("actor")).order_by(
        "first_name", "last_name", "username"
    )
    return [(str(p.pk), p.get_full_name() or p.get_username()) for p in people]


class LogFilterForm(GovukForm):
    verb = forms.ChoiceField(
        required=False, error_messages={"invalid_choice": "Choose an action from the list"}
    )
    person = forms.ChoiceField(
        required=False, error_messages={"invalid_choice": "Choose a person from the list"}
    )
    from_day = forms.CharField(required=False, max_length=2)
    from_month = forms.CharField(required=False, max_length=2)
    from_year = forms.CharField(required=False, max_length=4)
    to_day = forms.CharField(required=False, max_length=2)
    to_month = forms.CharField(required=False, max_length=2)
    to_year = forms.CharField(required=False, max_length=4)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["verb"].choices = [("", "All actions"), *verb_choices()]
        self.fields["person"].choices = [("", "Everyone"), *_person_choices()]
        for name in self.fields:
            if name.endswith(DATE_PARTS):
                self.fields[name].error_messages["max_length"] = (
                    f"{DATES[name.split('_')[0]]} must be a real date, like 27 3 2026"
                )

    def clean(self) -> dict:
        data = super().clean()
        for prefix in DATES:
            data[f"date_{prefix}"] = self._date(data, prefix)
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("to_day", "Date to must be the same as or after date from")
        return data

    def _date(self, data: dict, prefix: str) -> dt.date | None:
        parts = [(data.get(f"{prefix}_{part}") or "").strip() for part in DATE_PARTS]
        if any(f"{prefix}_{part}" in self.errors for part in DATE_PARTS) or not any(parts):
            return None
        label = DATES[prefix]
        if not all(parts):
            missing = [p for p, text in zip(DATE_PARTS, parts, strict=True) if not text]
            self.add_error(f"{prefix}_day", f"{label} must include a {' and '.join(missing)}")
            return None
        found = _real_date(parts)
        if found is None:
            self.add_error(f"{prefix}_day", f"{label} must be a real date, like 27 3 2026")
        return found

    def filters(self) -> LogFilters:
        data = self.cleaned_data
        return LogFilters(
            verb=data.get("verb") or "",
            person=int(data["person"]) if data.get("person") else None,
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
        )

    def query(self) -> dict[str, str]:
        """The filters as they were asked for, for pagination and download links."""
        return {name: self.value_of(name) for name in self.fields if self.value_of(name)}


def _real_date(parts: list[str]) -> dt.date | None:
    try:
        day, month, year = (int(p) for p in parts)
        return dt.date(year, month, day) if 1900 <= year <= 2999 else None
    except ValueError:
        return None
