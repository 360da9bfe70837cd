"""The upload form with a choice of layout: Goldthread's own, or a published table's profile."""

from __future__ import annotations

from django import forms

from goldthread.analysis.periods import PeriodError
from goldthread.collection.forms import UploadForm
from goldthread.collection.profile_settings import NoCouncil, check_mapping, check_since, home
from goldthread.imports.profiles import PROFILES, MappingError

OWN = "own"
MAPPING_LIMIT = 20_000
OWN_HINT = "The columns above, in a CSV or Excel file, or the Excel template from this service."


def layout_choices() -> list[tuple[str, str]]:
    own = (OWN, "Goldthread's columns, or a collection template filled in")
    return [own, *((p.name, p.title) for p in PROFILES.values())]


class ImportForm(UploadForm):
    layout = forms.ChoiceField(
        label="What kind of file is it?",
        choices=layout_choices,
        initial=OWN,
        required=False,  # a form without the choice (an older page, a script) means our own
        error_messages={
            "required": "Select what kind of file it is",
            "invalid_choice": "Select what kind of file it is",
        },
    )
    mapping = forms.CharField(
        label="Which of your indicators does each published measure go into?",
        required=False,
        max_length=MAPPING_LIMIT,
        widget=forms.Textarea,
        error_messages={
            "max_length": f"The list of measures must be {MAPPING_LIMIT:,} characters or fewer"
        },
    )

    since = forms.CharField(
        label="Only import figures from this period on (optional)",
        required=False,
        max_length=20,
    )

    def clean(self) -> dict:
        data = super().clean()
        profile = PROFILES.get(data.get("layout", ""))
        if profile is None:
            return data
        upload = data.get("file")
        if upload is not None and not upload.name.lower().endswith("." + profile.container):
            self.add_error(
                "file", f"The selected file must be a CSV file: {profile.title} is read as CSV"
            )
        try:
            home()
        except NoCouncil as error:
            self.add_error("layout", str(error))
        try:
            check_mapping(data.get("mapping", ""))
        except MappingError as error:
            self.add_error("mapping", str(error))
        try:
            data["since"] = check_since(data.get("since", "")) or ""
        except PeriodError:
            self.add_error("since", "Enter the period like 2025-10, 2025/26 Q2 or 2025/26")
        return data

    def layout_items(self) -> list[dict]:
        """The layout choice as GOV.UK radios: each with a hint saying what the file is."""
        chosen = self.value_of("layout") or OWN
        return [
            {
                "value": value,
                "text": label,
                "checked": value == chosen,
                "hint": {"text": PROFILES[value].description if value in PROFILES else OWN_HINT},
            }
            for value, label in layout_choices()
        ]

    def note(self) -> dict[str, str]:
        """What the check and confirm pages need to read the saved file the same way."""
        layout = self.cleaned_data["layout"]
        if layout not in PROFILES:
            return {}
        data = self.cleaned_data
        return {"profile": layout, "mapping": data.get("mapping", ""), "since": data["since"]}


class OwnerUploadForm(UploadForm):
    """A data owner's own figures: the collection template or a CSV in Goldthread's columns.

    No choice of layout: published tables are the performance team's to import (ADR 18)."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["file"]
        field.label = "Upload your completed spreadsheet"
        field.error_messages["required"] = "Select your completed spreadsheet or CSV file"
