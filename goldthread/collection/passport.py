"""The indicator's passport: when it was last validated, and its open data-quality issues.

A performance officer records a validation (that the definition, source and figures were
checked) with a note, and adds known issues in plain words, resolving them when fixed. The
passport also lists the figures saved with data-quality warnings. Everyone who may see the
indicator sees its passport: caveats about published figures belong with the figures. Every
change keeps its history and writes an audit event.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from goldthread.audit.services import record
from goldthread.collection.models import (
    Correction,
    CorrectionState,
    KnownIssue,
    PublishedVersion,
    Validation,
)
from goldthread.core.formatting import format_value
from goldthread.indicators import access
from goldthread.indicators.models import Indicator, Value
from goldthread.jinja2env import govuk_date


class PassportError(Exception):
    """A passport change that cannot be made; the message says why."""


FLAG_LABELS = {
    "over_100": "more than 100%",
    "looks_like_proportion": "looks like a proportion, not a percentage",
    "negative": "negative",
    "unexpected_zero": "0, which it had never been before",
    "implausible_jump": "well outside the usual range",
}


def flag_label(code: str) -> str:
    return FLAG_LABELS.get(code, code.replace("_", " "))


@transaction.atomic
def validate(indicator: Indicator, *, note: str, actor) -> Validation:
    if not note.strip():
        raise PassportError("Enter what you checked")
    validation = Validation.objects.create(
        indicator=indicator, note=note.strip(), validated_by=actor
    )
    record(actor, "validated", indicator, "Indicator passport validated", reason=note.strip())
    return validation


@transaction.atomic
def raise_issue(indicator: Indicator, *, description: str, actor) -> KnownIssue:
    if not description.strip():
        raise PassportError("Describe the issue")
    issue = KnownIssue.objects.create(
        indicator=indicator, description=description.strip(), raised_by=actor
    )
    record(actor, "issue_raised", indicator, "Known data issue added", reason=issue.description)
    return issue


@transaction.atomic
def resolve_issue(issue: KnownIssue, *, resolution: str, actor) -> None:
    issue = KnownIssue.objects.select_for_update().get(pk=issue.pk)
    if not issue.is_open:
        raise PassportError("This issue has already been resolved")
    if not resolution.strip():
        raise PassportError("Enter how the issue was resolved")
    issue.resolved_at, issue.resolved_by = timezone.now(), actor
    issue.resolution = resolution.strip()
    issue._change_reason = issue.resolution
    issue.save()
    record(
        actor,
        "issue_resolved",
        issue.indicator,
        f"Known data issue resolved: {issue.description[:80]}",
        reason=issue.resolution,
    )


@dataclass(frozen=True)
class FlaggedFigure:
    period_label: str
    value_text: str
    flags: list[str]


@dataclass(frozen=True)
class Passport:
    last_validation: Validation | None
    open_issues: list[KnownIssue]
    flagged: list[FlaggedFigure]
    can_manage: bool

    @property
    def issue_count(self) -> int:
        return len(self.open_issues) + len(self.flagged)


def _flagged(user, indicator: Indicator) -> list[FlaggedFigure]:
    figures = access.values_for(user, indicator).exclude(quality_flags=[]).order_by("-period_start")
    return [
        FlaggedFigure(
            period_label=figure.period_obj.label,
            value_text=format_value(figure.value, indicator.unit, indicator.decimals),
            flags=[flag_label(code) for code in figure.quality_flags],
        )
        for figure in figures[:10]
    ]


def build_passport(user, indicator: Indicator) -> Passport:
    return Passport(
        last_validation=indicator.validations.select_related("validated_by").first(),
        open_issues=list(
            indicator.known_issues.filter(resolved_at__isnull=True).select_related("raised_by")
        ),
        flagged=_flagged(user, indicator),
        can_manage=access.can_approve(user),
    )


# --- Revisions of published figures, for the indicator page ----------------------------------


@dataclass(frozen=True)
class VersionLine:
    number: int
    value_text: str
    note: str
    is_current: bool


@dataclass(frozen=True)
class RevisedFigure:
    period: str
    period_label: str
    current: PublishedVersion
    lines: list[VersionLine]

    @property
    def revised_text(self) -> str:
        return f"Revised on {_day(self.current.published_at)}: {self.current.reason}"


def _day(moment) -> str:
    return govuk_date(timezone.localtime(moment))


def _revised(indicator: Indicator, versions: list[PublishedVersion]) -> RevisedFigure:
    """A revised figure with every published version, newest first."""
    current = versions[-1]
    lines = [
        VersionLine(
            number=version.number,
            value_text=format_value(version.value, indicator.unit, indicator.decimals),
            note=f"Revised on {_day(version.published_at)}: {version.reason}"
            if version.number > 1
            else f"First published on {_day(version.published_at)}",
            is_current=version is current,
        )
        for version in reversed(versions)
    ]
    return RevisedFigure(current.figure.period, current.figure.period_obj.label, current, lines)


@dataclass(frozen=True)
class Revisions:
    revised: list[RevisedFigure]
    open_corrections: list[Correction]
    can_correct: bool = False

    def for_period(self, key: str) -> RevisedFigure | None:
        return next((r for r in self.revised if r.period == key), None)


def build_revisions(user, indicator: Indicator) -> Revisions:
    """Published figures that have been revised, each with its earlier published versions.

    Open corrections are shown only to people who may see unapproved figures.
    """
    figures = Value.objects.filter(indicator=indicator, area__isnull=True, state="published")
    versions = PublishedVersion.objects.filter(figure__in=figures).select_related(
        "figure", "published_by"
    )
    by_figure: dict[int, list[PublishedVersion]] = {}
    for version in versions.order_by("figure__period_start", "number"):
        by_figure.setdefault(version.figure_id, []).append(version)
    revised = [_revised(indicator, found) for found in by_figure.values() if len(found) > 1]
    open_corrections = []
    if access.sees_unapproved(user, indicator):
        open_corrections = list(
            Correction.objects.filter(figure__in=figures)
            .exclude(state__in=(CorrectionState.PUBLISHED, CorrectionState.WITHDRAWN))
            .select_related("figure", "started_by")
        )
    can_correct = access.can_enter_values(user, indicator) and not indicator.is_context
    return Revisions(list(reversed(revised)), open_corrections, can_correct)
