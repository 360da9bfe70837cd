"""The council-wide audit log's filters: a GET form, so filtered pages can be linked to."""

from __future__ import annotations

from django import forms

from goldthread.accounts.models import User
from goldthread.audit.models import AuditEvent
from goldthread.audit.presenters import LogFilters, verb_choices
from goldthread.core.forms import GovukForm

DATE_PARTS = ("day", "month", "year")
DATES = {"from": "date from", "to": "date to"}


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
    from_day = forms.CharField(required=False, max_length=10)
    from_month = forms.CharField(required=False, max_length=10)
    from_year = forms.CharField(required=False, max_length=10)
    to_day = forms.CharField(required=False, max_length=10)
    to_month = forms.CharField(required=False, max_length=10)
    to_year = forms.CharField(required=False, max_length=10)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["verb"].choices = [("", "All actions"), *verb_choices()]
        self.fields["person"].choices = [("", "Everyone"), *_person_choices()]

    def clean(self) -> dict:
        data = super().clean()
        for prefix, label in DATES.items():
            data[f"date_{prefix}"] = self.read_date(prefix, label)
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("to_day", "Date to must be the same as or after date from")
        return data

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
