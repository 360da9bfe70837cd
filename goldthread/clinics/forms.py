"""Forms for clinics. Each error names its field in plain English for the GOV.UK error summary."""

from __future__ import annotations

from datetime import date, datetime, time

from django import forms
from django.utils import timezone

from goldthread.accounts.models import OFFICER_ROLES, Role, User
from goldthread.clinics.models import (
    ActionStatus,
    Clinic,
    ClinicOutcome,
    PanelRole,
    UpdateFrequency,
)
from goldthread.committees.models import Committee, CommitteeKind
from goldthread.core.date_input import PARTS, date_input_params, read_date
from goldthread.core.forms import GovukForm

TEXT_LIMIT = 10_000


def _text(label: str, *, required: bool = True, message: str = "", rows: int = 4):
    return forms.CharField(
        label=label,
        required=required,
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={
            "required": message or f"Enter {label.lower()}",
            "max_length": f"{label} must be {TEXT_LIMIT:,} characters or fewer",
        },
    )


def _person(label: str, users, *, required: bool = True, message: str = ""):
    return forms.ModelChoiceField(
        label=label,
        queryset=users,
        required=required,
        error_messages={
            "required": message or f"Choose the {label.lower()}",
            "invalid_choice": f"Choose the {label.lower()} from the list",
        },
    )


def people(*roles: str):
    return User.objects.filter(is_active=True, role__in=roles).order_by("last_name", "first_name")


class DateFieldsMixin:
    """Dates as three GOV.UK boxes (day, month, year), checked into one date."""

    def date_from(self, prefix: str, label: str, *, required: bool = True) -> date | None:
        parts = tuple(str(self.data.get(f"{prefix}_{p}", "")) for p in PARTS)
        found = read_date(parts, label, required=required, today=timezone.localdate())
        if found.message:
            self._date_errors[prefix] = found.message
            self._date_wrong[prefix] = found.wrong
            self.add_error(None, forms.ValidationError(found.message, code=prefix))
        return found.value

    def date_error(self, prefix: str) -> dict | None:
        message = self._date_errors.get(prefix)
        return {"text": message} if message else None

    def date_value(self, prefix: str, part: str) -> str:
        return str(self.data.get(f"{prefix}_{part}", self.initial.get(f"{prefix}_{part}", "")))

    def error_list(self) -> list[dict[str, str]]:
        items = []
        for name, errors in self.errors.items():
            for error in errors.as_data():
                if name == "__all__" and error.code in self._date_errors:
                    href = f"#id_{error.code}_day"
                elif name in self.fields:
                    href = f"#{self[name].id_for_label}"
                else:
                    href = "#main-content"
                items.extend({"text": str(m), "href": href} for m in error.messages)
        return items


class ComponentsMixin:
    """Parameters for the GOV.UK macros, built from the form's own fields and errors, so
    templates only place components: `govukSelect(form.select("chair", "Chair"))`."""

    def _base(self, name: str, hint: str) -> dict:
        params = {"id": f"id_{name}", "name": name, "errorMessage": self.error_for(name)}
        if hint:
            params["hint"] = {"text": hint}
        return params

    def textarea(self, name: str, label: str, hint: str = "", rows: int = 4) -> dict:
        label_params = {"text": label, "classes": "govuk-label--s"}
        value = self.value_of(name)
        return self._base(name, hint) | {"label": label_params, "value": value, "rows": rows}

    def input(self, name: str, label: str, hint: str = "", classes: str = "") -> dict:
        label_params = {"text": label, "classes": "govuk-label--s"}
        value = self.value_of(name)
        return self._base(name, hint) | {"label": label_params, "value": value, "classes": classes}

    def _choices(self, name: str) -> list[tuple[str, str]]:
        return [(str(value), str(label)) for value, label in self.fields[name].choices]

    def select(self, name: str, label: str, hint: str = "", blank: str = "Choose") -> dict:
        chosen = self.value_of(name)
        items = [{"value": "", "text": blank}] + [
            {"value": value, "text": text, "selected": value == chosen}
            for value, text in self._choices(name)
            if value
        ]
        label_params = {"text": label, "classes": "govuk-label--s"}
        return self._base(name, hint) | {"label": label_params, "items": items}

    def radios(self, name: str, legend: str, hint: str = "") -> dict:
        chosen = self.value_of(name)
        items = [
            {"value": value, "text": text, "checked": value == chosen}
            for value, text in self._choices(name)
        ]
        return self._group(name, legend, hint) | {"items": items}

    def checkboxes(self, name: str, legend: str, hint: str = "") -> dict:
        raw = self[name].value() or []
        chosen = {str(getattr(v, "pk", v)) for v in raw}
        items = [
            {"value": value, "text": text, "checked": value in chosen}
            for value, text in self._choices(name)
        ]
        return self._group(name, legend, hint) | {"items": items}

    def checkbox(self, name: str, text: str, legend: str = "", hint: str = "") -> dict:
        checked = self.value_of(name) in ("True", "true", "on")
        items = [{"value": "on", "text": text, "checked": checked}]
        return self._group(name, legend, hint) | {"items": items}

    def _group(self, name: str, legend: str, hint: str) -> dict:
        params = {"idPrefix": f"id_{name}", "name": name, "errorMessage": self.error_for(name)}
        if legend:
            legend_params = {"text": legend, "classes": "govuk-fieldset__legend--s"}
            params["fieldset"] = {"legend": legend_params}
        if hint:
            params["hint"] = {"text": hint}
        return params

    def date(self, prefix: str, legend: str, hint: str = "For example, 27 3 2027") -> dict:
        values = {part: self.date_value(prefix, part) for part in PARTS}
        error = self._date_errors.get(prefix, "")
        wrong = self._date_wrong.get(prefix, ())
        return date_input_params(prefix, legend, values, hint=hint, error=error, wrong=wrong)


class ClinicForm(ComponentsMixin, DateFieldsMixin, GovukForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._date_errors: dict[str, str] = {}
        self._date_wrong: dict[str, tuple[str, ...]] = {}


class RequestForm(ClinicForm):
    kind = forms.ChoiceField(
        label="What kind of clinic?",
        error_messages={
            "required": "Choose the kind of clinic",
            "invalid_choice": "Choose a kind of clinic you may request",
        },
    )
    title = forms.CharField(
        label="Title",
        max_length=300,
        error_messages={
            "required": "Enter a title",
            "max_length": "Title must be 300 characters or fewer",
        },
    )
    reason = _text("Why is a clinic needed?", message="Enter why a clinic is needed", rows=5)
    indicators = forms.ModelMultipleChoiceField(
        queryset=None,
        label="Which indicators is it about?",
        error_messages={
            "required": "Choose at least one indicator the clinic is about",
            "invalid_choice": "Choose indicators from the list",
            "invalid_pk_value": "Choose indicators from the list",
        },
    )
    requested_from = forms.ModelChoiceField(
        queryset=None,
        required=False,
        label="Which forum is asking for it?",
        error_messages={"invalid_choice": "Choose a forum from the list"},
    )
    committee = forms.ModelChoiceField(
        queryset=Committee.objects.filter(kind=CommitteeKind.SCRUTINY),
        required=False,
        label="Scrutiny committee",
        error_messages={"invalid_choice": "Choose a committee from the list"},
    )

    def __init__(self, *args, kinds, indicators, forums, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(k.value, k.label) for k in kinds]
        self.fields["indicators"].queryset = indicators
        self.fields["requested_from"].queryset = forums


class ScheduleForm(ClinicForm):
    start = forms.CharField(
        label="Start time",
        max_length=5,
        error_messages={"required": "Enter the start time, like 14:30"},
    )
    location = forms.CharField(
        label="Where", max_length=300, error_messages={"required": "Enter where it will be held"}
    )
    chair = _person("Chair", User.objects.none())
    facilitator = _person("Facilitator", people(Role.PERFORMANCE_OFFICER), required=False)

    def __init__(self, *args, clinic: Clinic, **kwargs):
        super().__init__(*args, **kwargs)
        roles = (
            OFFICER_ROLES
            if clinic.kind == "managerial"
            else (Role.CABINET_MEMBER, Role.COMMITTEE_MEMBER)
        )
        self.fields["chair"].queryset = people(*roles)
        self.fields["facilitator"].queryset = people(Role.PERFORMANCE_OFFICER)

    def clean(self) -> dict:
        data = super().clean()
        day = self.date_from("day", "the date of the clinic")
        at = self._time(data.get("start", ""))
        if day and at is not None:
            data["when"] = timezone.make_aware(datetime.combine(day, at))
        return data

    def _time(self, text: str) -> time | None:
        try:
            hours, minutes = (int(p) for p in text.replace(".", ":").split(":"))
            return time(hours, minutes)
        except ValueError:
            if "start" not in self.errors:
                self.add_error("start", "Enter the start time in hours and minutes, like 14:30")
            return None


class PanelForm(ClinicForm):
    user = _person(
        "Person",
        people(*[r.value for r in Role]),
        required=False,
    )
    name = forms.CharField(
        label="Or a guest's name and organisation", max_length=200, required=False
    )
    role = forms.ChoiceField(
        label="Role on the panel",
        choices=PanelRole.choices,
        error_messages={"required": "Choose their role on the panel"},
    )

    def clean(self) -> dict:
        data = super().clean()
        if not data.get("user") and not data.get("name", "").strip() and "user" not in self.errors:
            self.add_error("user", "Choose a person or enter the guest's name")
        return data


class ReasonForm(ClinicForm):
    reason = _text("Reason", message="Enter the reason", rows=3)


class MinutesForm(ClinicForm):
    minutes = _text("Minutes", required=False, rows=10)
    decisions = _text("Decisions", required=False, rows=4)

    def __init__(self, *args, clinic: Clinic, panel, agenda, **kwargs):
        super().__init__(*args, **kwargs)
        self.panel, self.agenda = panel, agenda
        for member in panel:
            self.fields[f"attended_{member.pk}"] = forms.BooleanField(required=False)
        for item in agenda:
            self.fields[f"answer_{item.pk}"] = forms.CharField(
                required=False, max_length=TEXT_LIMIT, widget=forms.Textarea
            )
        if clinic.is_member_led:
            self.fields["minutes"].required = True
            self.fields["minutes"].error_messages["required"] = (
                "Enter the formal minutes: a member-led clinic must have them"
            )

    def clean(self) -> dict:
        data = super().clean()
        held_on = self.date_from("held_on", "the date the clinic was held")
        if held_on and held_on > timezone.localdate():
            message = "The date the clinic was held must be today or in the past"
            self._date_errors["held_on"] = message
            self.add_error(None, forms.ValidationError(message, code="held_on"))
        data["held_on"] = held_on
        data["decision_lines"] = [
            line.strip() for line in data.get("decisions", "").splitlines() if line.strip()
        ]
        return data


class ActionForm(ClinicForm):
    description = _text("What is the action?", message="Enter what the action is", rows=3)
    owner = _person("Owner", people(*OFFICER_ROLES), message="Choose who owns the action")
    indicators = forms.ModelMultipleChoiceField(
        queryset=None,
        required=False,
        label="Which indicators does it address?",
        error_messages={"invalid_choice": "Choose indicators from the list"},
    )
    factors = _text("Which causes does it address?", required=False, rows=3)
    status = forms.ChoiceField(
        label="Status", choices=ActionStatus.choices, initial=ActionStatus.NOT_STARTED
    )
    reason = _text("Why is it changing?", required=False, rows=2)

    def __init__(self, *args, clinic: Clinic, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicators"].queryset = clinic.indicators.all()

    def clean(self) -> dict:
        data = super().clean()
        data["due_on"] = self.date_from("due_on", "the date it is due")
        return data


class UpdateForm(ClinicForm):
    due_on = forms.TypedChoiceField(
        label="Which update is this?",
        coerce=date.fromisoformat,
        error_messages={
            "required": "Choose which update this is",
            "invalid_choice": "Choose an update date from the list",
        },
    )
    summary = _text(
        "Progress since the last update",
        message="Enter a summary of progress since the last update",
        rows=5,
    )

    def __init__(self, *args, due_dates: list[date], actions, **kwargs):
        super().__init__(*args, **kwargs)
        self.actions = actions
        self.fields["due_on"].choices = [(d.isoformat(), d) for d in due_dates]
        live = [(v, label) for v, label in ActionStatus.choices if v != ActionStatus.DROPPED]
        for action in actions:
            self.fields[f"status_{action.pk}"] = forms.ChoiceField(
                choices=live,
                label=f"Status of action {action.number}",
                error_messages={"required": f"Choose the status of action {action.number}"},
            )
            self.fields[f"note_{action.pk}"] = forms.CharField(
                required=False, max_length=TEXT_LIMIT, widget=forms.Textarea
            )


class ExitForm(ClinicForm):
    improving_periods = forms.IntegerField(
        label="Periods of consistent improvement",
        min_value=0,
        max_value=24,
        error_messages={
            "required": "Enter the number of periods of consistent improvement",
            "invalid": "The number of periods must be a whole number, like 3",
            "min_value": "Enter a number of periods from 0 to 24",
            "max_value": "Enter a number of periods from 0 to 24",
        },
    )
    actions_delivered = forms.BooleanField(required=False)
    notes = _text("Other exit criteria", required=False, rows=3)
    update_frequency = forms.ChoiceField(
        label="How often are progress updates due?",
        choices=UpdateFrequency.choices,
        error_messages={"required": "Choose how often progress updates are due"},
    )


class OutcomeForm(ClinicForm):
    outcome = forms.ChoiceField(
        label="What did the panel decide?",
        choices=ClinicOutcome.choices,
        error_messages={"required": "Choose the outcome"},
    )
    summary = _text("The panel's reasons", message="Enter the panel's reasons", rows=5)
    cabinet_recommendations = _text("Recommendations to cabinet", required=False, rows=5)
    escalate_to = forms.ModelChoiceField(
        queryset=None,
        required=False,
        label="Escalate to",
        error_messages={"invalid_choice": "Choose a forum from the list"},
    )

    def __init__(self, *args, forums, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["escalate_to"].queryset = forums
