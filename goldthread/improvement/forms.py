"""Forms for plans and scrutiny recommendations, each a ComponentForm (GOV.UK components)."""

from __future__ import annotations

import math

from django import forms

from goldthread.committees.models import CommitteeKind
from goldthread.improvement.components import ComponentForm
from goldthread.improvement.models import (
    Acceptance,
    Addressee,
    CommentSource,
    Decision,
    Duration,
    FactorKind,
    Resourcing,
    SolutionState,
    SourceKind,
)

TEXT = 5000


def _text(
    label: str, *, error: str = "", required: bool = True, hint: str = "", rows: int = 4
) -> forms.CharField:
    """A textarea; `error` is the message when it is left empty (labels are often questions,
    so it cannot be made from the label)."""
    field = forms.CharField(
        label=label,
        required=required,
        max_length=TEXT,
        widget=forms.Textarea(attrs={"rows": rows}),
        help_text=hint,
        error_messages={
            "required": error or f"Enter the {label.lower()}",
            "max_length": f"{label} must be {TEXT} characters or fewer",
        },
    )
    return field


def _line(label: str, *, error: str = "", required: bool = True, hint: str = "", length: int = 200):
    return forms.CharField(
        label=label,
        required=required,
        max_length=length,
        help_text=hint,
        error_messages={
            "required": error or f"Enter the {label.lower()}",
            "max_length": f"{label} must be {length} characters or fewer",
        },
    )


def _choice(label: str, choices, *, error: str, hint: str = "") -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        choices=choices,
        widget=forms.RadioSelect,
        help_text=hint,
        error_messages={"required": error},
    )


def _finite(value: float | None, label: str) -> float | None:
    if value is not None and not math.isfinite(value):
        raise forms.ValidationError(f"{label} must be a number")
    return value


# Plans ------------------------------------------------------------------------------------


class StartForm(ComponentForm):
    indicator = forms.ChoiceField(
        label="Which indicator is the plan for?",
        error_messages={"required": "Choose the indicator the plan is for"},
    )

    def __init__(self, *args, indicators, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.indicators = {i.code: i for i in indicators}
        self.fields["indicator"].choices = [("", "Choose an indicator")] + [
            (i.code, str(i)) for i in indicators
        ]

    def clean(self) -> dict:
        data = super().clean()
        data["indicator"] = self.indicators.get(data.get("indicator") or "")
        return data


class CommentsForm(ComponentForm):
    comments = _text(
        "Comments",
        required=False,
        rows=8,
        hint="Include the rationale behind the original target: it may be unrealistic and need "
        "amending.",
    )


class CurveForm(ComponentForm):
    baseline_story = _text(
        "The story behind the baseline",
        required=False,
        hint="What is causing the curve to be where it is, and why.",
    )
    partners = _text(
        "Partners with a role to play", required=False, hint="Who could help turn the curve."
    )
    what_works = _text(
        "What works",
        required=False,
        hint="What evidence says would work, including low-cost and no-cost ideas.",
    )


class FactorForm(ComponentForm):
    kind = _choice(
        "Is the factor external or internal?",
        [
            (FactorKind.EXTERNAL, "External (outside the council), for example economic decline"),
            (FactorKind.INTERNAL, "Internal, for example a change of IT system or a vacant post"),
        ],
        error="Select whether the factor is external or internal",
    )
    duration = _choice(
        "Is it temporary or long term?",
        Duration.choices,
        error="Select whether the factor is temporary or long term",
    )
    description = _text(
        "Describe the factor",
        error="Enter a description of the factor",
        hint="What it is and how it affects performance.",
    )


class ReasonForm(ComponentForm):
    reason = _text("Why?", rows=3)

    def __init__(self, *args, label: str = "Why?", **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reason"].label = label
        self.fields["reason"].error_messages["required"] = "Enter the reason"


class SolutionForm(ComponentForm):
    dates = {"target_date": ("Target date", True, "The date the solution will be in place")}
    date_after = {"target_date": "description"}
    description = _text(
        "Describe the solution",
        error="Enter a description of the solution",
        hint="What will be done and how it relates to each factor it addresses.",
    )
    factors = forms.MultipleChoiceField(
        label="Which factors does it address?",
        help_text="Select all that apply.",
        error_messages={"required": "Select the factors this solution addresses"},
    )
    resourcing = _choice(
        "How is it resourced?", Resourcing.choices, error="Select how the solution is resourced"
    )
    resourcing_notes = _text(
        "Resourcing details",
        required=False,
        rows=2,
        hint="For extra funding, say how much and through which channel it is being sought.",
    )
    expected_lag = _line(
        "Expected time before performance turns",
        required=False,
        hint="If there will be a lag between the solution being in place and performance "
        "improving, say how long, for example 3 months.",
        length=300,
    )
    is_alternative = forms.BooleanField(
        required=False,
        label="This is one of several alternative options for senior management to choose from",
    )
    strengths = _text("Strengths of this option", required=False, rows=2)
    weaknesses = _text("Weaknesses of this option", required=False, rows=2)

    def __init__(self, *args, factor_choices: list[tuple[int, str]], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["factors"].choices = [(str(k), v) for k, v in factor_choices]

    def clean(self) -> dict:
        data = super().clean()
        if data.get("is_alternative"):
            for name in ("strengths", "weaknesses"):
                if not data.get(name, "").strip():
                    label = self.fields[name].label.lower()
                    self.add_error(name, f"Enter the {label}, so management can choose")
        data["factor_ids"] = frozenset(int(v) for v in data.get("factors", []))
        return data


class SolutionStateForm(ComponentForm):
    dates = {"in_place_on": ("Date it was in place", False, "Needed when it is in place")}
    state = _choice(
        "Where is this solution now?", SolutionState.choices, error="Select where it is now"
    )

    def clean(self) -> dict:
        data = super().clean()
        missing = data.get("state") == SolutionState.IN_PLACE and data.get("in_place_on") is None
        if missing and "in_place_on_day" not in self.errors:
            self.add_error("in_place_on_day", "Enter the date the solution was in place")
        return data


def meeting_choices(meetings) -> list[tuple[str, str]]:
    return [("", "Not a committee meeting")] + [(str(m.pk), str(m)) for m in meetings]


class ManagementCommentForm(ComponentForm):
    dates = {"meeting_date": ("Date of the meeting", True, "")}
    source = _choice(
        "Who is the comment from?", CommentSource.choices, error="Select who the comment is from"
    )
    made_by = _line(
        "Name and role of the person who made it",
        error="Enter who made the comment",
        hint="For example, Jo Bloggs, CMT",
    )
    comment = _text(
        "Comment",
        hint="Record the rationale for approving the solutions, so it can be revisited if they "
        "do not bring the expected results.",
    )
    meeting = forms.ChoiceField(label="Committee meeting", required=False)
    officer_meeting = _line(
        "Or the officer meeting",
        required=False,
        hint="For example, CMT or OMT. Leave blank if you chose a committee meeting.",
    )
    minute = _line("Minute or item number", required=False, length=100)

    def __init__(self, *args, meetings, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.meetings = {str(m.pk): m for m in meetings}
        self.fields["meeting"].choices = meeting_choices(meetings)

    def clean(self) -> dict:
        data = super().clean()
        data["meeting"] = self.meetings.get(data.get("meeting") or "")
        if data["meeting"] is None and not data.get("officer_meeting", "").strip():
            self.add_error("meeting", "Choose the committee meeting, or name the officer meeting")
        if (
            data["meeting"]
            and data.get("meeting_date")
            and data["meeting"].date != data["meeting_date"]
        ):
            self.add_error("meeting_date_day", "The date must be the date of the meeting chosen")
        return data


class ProgressForm(ComponentForm):
    dates = {"entry_date": ("Date of the update", True, "")}
    period = forms.ChoiceField(
        label="Which period is this update for?",
        error_messages={"required": "Select the period this update is for"},
    )
    comment = _text(
        "Progress",
        error="Enter the progress made",
        hint="What has been done and what difference it has made.",
    )
    final = forms.BooleanField(
        required=False,
        label="This is the final entry: the plan has been completed",
    )

    def __init__(self, *args, periods: list[tuple[str, str]], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["period"].choices = periods


def committee_choices(committees) -> list[tuple[str, str]]:
    return [("", "Choose a committee")] + [(str(c.pk), c.name) for c in committees]


class ReferralForm(ComponentForm):
    dates = {"referred_on": ("Date of the referral", True, "")}
    referred_by_committee = forms.ChoiceField(
        label="Referred by", error_messages={"required": "Choose the committee that referred it"}
    )
    referred_minute = _line("Minute number", required=False, length=100)
    to_committee = forms.ChoiceField(
        label="Referred to", error_messages={"required": "Choose the policy committee"}
    )
    reason = _text(
        "Why is it referred?",
        error="Enter why the plan is referred",
        hint="For example, the committee thinks the target is not achievable with the "
        "resources the service has.",
    )

    def __init__(self, *args, committees, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.committees = {str(c.pk): c for c in committees}
        audit = [c for c in committees if c.kind == CommitteeKind.AUDIT_PERFORMANCE]
        policy = [c for c in committees if c.kind == CommitteeKind.POLICY]
        self.fields["referred_by_committee"].choices = committee_choices(audit)
        self.fields["to_committee"].choices = committee_choices(policy)

    def clean(self) -> dict:
        data = super().clean()
        for name in ("referred_by_committee", "to_committee"):
            data[name] = self.committees.get(data.get(name) or "")
        return data


class DecisionForm(ComponentForm):
    dates = {"decided_on": ("Date of the decision", True, "")}
    date_after = {"decided_on": "decision"}
    decision = _choice(
        "What did the committee decide?", Decision.choices, error="Select what was decided"
    )
    meeting = forms.ChoiceField(label="Meeting", required=False)
    minute = _line("Minute number", required=False, length=100, hint="Needed to amend the target")
    target_year = forms.TypedChoiceField(label="Financial year of the target", coerce=int)
    new_target = forms.FloatField(
        required=False,
        label="New annual target",
        error_messages={"invalid": "New annual target must be a number, like 45 or 45.5"},
    )
    band_lower = forms.FloatField(required=False, label="Lowest value of the new target band")
    band_upper = forms.FloatField(required=False, label="Highest value of the new target band")
    notes = _text("Details of the decision", hint="What the committee decided and why.")

    def __init__(self, *args, meetings, years: list[int], is_band: bool, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.is_band = is_band
        self.meetings = {str(m.pk): m for m in meetings}
        self.fields["meeting"].choices = [("", "Choose the meeting")] + [
            (str(m.pk), str(m)) for m in meetings
        ]
        self.fields["target_year"].choices = [(y, f"{y}/{(y + 1) % 100:02d}") for y in years]
        unused = ("new_target",) if is_band else ("band_lower", "band_upper")
        for name in unused:
            del self.fields[name]

    def clean(self) -> dict:
        data = super().clean()
        data["meeting"] = self.meetings.get(data.get("meeting") or "")
        for name in ("new_target", "band_lower", "band_upper"):
            if name in self.fields:
                try:
                    data[name] = _finite(data.get(name), self.fields[name].label)
                except forms.ValidationError as error:
                    self.add_error(name, error)
        if data.get("decision") == Decision.AMEND_TARGET:
            self._check_amendment(data)
        return data

    def _check_amendment(self, data: dict) -> None:
        if not data.get("minute", "").strip():
            self.add_error("minute", "Enter the minute number that amends the target")
        if self.is_band:
            low, high = data.get("band_lower"), data.get("band_upper")
            if low is None or high is None:
                self.add_error("band_lower", "Enter both the lowest and highest value of the band")
            elif low > high:
                self.add_error(
                    "band_upper", "Highest value must be the same as or more than lowest"
                )
        elif data.get("new_target") is None and "new_target" not in self.errors:
            self.add_error("new_target", "Enter the new annual target the committee agreed")


# Scrutiny recommendations -----------------------------------------------------------------


class RecommendationForm(ComponentForm):
    dates = {"made_on": ("Date the recommendation was made", True, "")}
    committee = forms.ChoiceField(
        label="Committee", error_messages={"required": "Choose the committee that made it"}
    )
    source_kind = _choice(
        "Where did it come from?", SourceKind.choices, error="Select where it came from"
    )
    review_title = _line(
        "Name of the review or event", hint="For example, Spotlight review of household recycling"
    )
    indicator = forms.ChoiceField(label="Indicator it is about", required=False)
    text = _text("Recommendation")
    addressed_to = _choice(
        "Who is it made to?", Addressee.choices, error="Select who it is made to"
    )
    addressee = _line(
        "Name and role",
        error="Enter the name and role of who it is made to",
        hint="For example, Cabinet Member for Environment",
    )
    is_published = forms.BooleanField(
        required=False, label="Publish it: show it to the public with its response and review"
    )

    def __init__(self, *args, committees, indicators, clinics=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.committees = {str(c.pk): c for c in committees}
        self.indicators = {i.code: i for i in indicators}
        self.clinics = {str(c.pk): c for c in clinics}
        self.fields["committee"].choices = committee_choices(committees)
        self.fields["indicator"].choices = [("", "Not about one indicator")] + [
            (i.code, str(i)) for i in indicators
        ]
        if self.clinics:
            self.fields["source_clinic"] = forms.ChoiceField(
                label="The clinic or challenge event it came from",
                required=False,
                choices=[("", "Not from a clinic in Goldthread")]
                + [(k, str(c)) for k, c in self.clinics.items()],
            )

    def clean(self) -> dict:
        data = super().clean()
        data["committee"] = self.committees.get(data.get("committee") or "")
        data["indicator"] = self.indicators.get(data.get("indicator") or "")
        data["source_clinic"] = self.clinics.get(data.get("source_clinic") or "")
        return data


class ResponseForm(ComponentForm):
    dates = {"responded_on": ("Date of the response", True, "")}
    acceptance = _choice(
        "Was it accepted?", Acceptance.choices, error="Select whether it was accepted"
    )
    response = _text("Response", hint="What was decided and why.")


class ActionForm(ComponentForm):
    dates = {"due_on": ("Due date", True, "")}
    description = _text("Action", rows=3)
    owner = _line("Who will do it", error="Enter who will do it")


class ReviewForm(ComponentForm):
    dates = {"reviewed_on": ("Date of the review", True, "")}
    findings = _text(
        "What did the review find?",
        error="Enter what the review found",
        hint="Has the recommendation been carried out, and has it made a difference?",
    )
    publish = forms.BooleanField(
        required=False, label="Publish the recommendation, its response and this review"
    )


class DoneForm(ComponentForm):
    dates = {"done_on": ("Date it was done", True, "")}
