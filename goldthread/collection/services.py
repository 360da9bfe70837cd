"""Entering, submitting, approving, returning and publishing figures.

Each step checks the figure's state, records an audit event and, when a figure becomes
approved or published, re-judges or publishes the indicator's judgement. Two people editing
the same figure: the second save carries an old revision number and is refused (StaleEdit),
so nothing anyone typed is silently overwritten.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils import timezone

from goldthread.analysis.judge import judge_period
from goldthread.analysis.periods import Period
from goldthread.analysis.quality import QualityIssue, check_value
from goldthread.analysis.status import Rag
from goldthread.audit.services import record
from goldthread.collection import windows
from goldthread.core.formatting import format_value
from goldthread.indicators.models import Indicator, Judgement, Value, ValueState
from goldthread.indicators.services.judging import (
    approved_series,
    current_target_versions,
    indicator_spec,
    publish,
    rejudge,
    target_spec,
)
from goldthread.indicators.services.rules import as_analysis_rules, current_rules

EDITABLE = (ValueState.DRAFT, ValueState.RETURNED)


class CollectionError(Exception):
    """A step that cannot be taken now; the message says why, in plain English."""


class StaleEdit(CollectionError):
    pass


@dataclass(frozen=True)
class Entry:
    value: float | None
    numerator: float | None = None
    denominator: float | None = None
    commentary: str = ""
    action_commentary: str = ""
    action_due: date | None = None
    quality_flags: tuple[str, ...] = ()

    def resolved_value(self, unit: str = "number") -> float | None:
        if self.value is not None:
            return self.value
        if self.numerator is not None and self.denominator:
            return ratio_value(self.numerator, self.denominator, unit)
        return None


def ratio_value(numerator: float, denominator: float, unit: str) -> float:
    """A value from its numerator and denominator: a percentage is the ratio times 100, as the
    importer works it out, so a figure means the same however it was entered."""
    # Multiply first: 55 * 100 / 100 is exactly 55, while 55 / 100 * 100 is not.
    return numerator * 100 / denominator if unit == "percent" else numerator / denominator


def figure_for(indicator: Indicator, period: Period) -> Value | None:
    return indicator.values.filter(period=period.key, area__isnull=True).first()


def provisional_rag(indicator: Indicator, period: Period, value: float | None) -> Rag:
    """The status this figure would get if it were approved as it stands."""
    series = dict(approved_series([indicator.pk]).get(indicator.pk, {}))
    series[period.key] = value
    version = current_target_versions([indicator.pk]).get((indicator.pk, period.year))
    rules = as_analysis_rules(current_rules())
    spec, target = indicator_spec(indicator), target_spec(version)
    return judge_period(series, period, spec, target, rules).rag


def quality_issues(indicator: Indicator, period: Period, value: float) -> list[QualityIssue]:
    """Data-quality warnings and errors for a figure, against the figures before it."""
    earlier = indicator.values.filter(
        area__isnull=True, period_start__lt=period.start, value__isnull=False
    ).order_by("period_start")
    history = list(earlier.values_list("value", flat=True))

    def fmt(number: float) -> str:
        return format_value(number, indicator.unit, indicator.decimals)

    return check_value(value, history, unit=indicator.unit, fmt=fmt)


def locked_reason(figure: Value) -> str:
    """Why this figure cannot be edited now, or "" when it can."""
    if figure.state in EDITABLE:
        return ""
    if figure.state == ValueState.SUBMITTED:
        return "It has been submitted and is waiting for a performance officer to check it."
    if figure.state == ValueState.APPROVED:
        return (
            "It was approved, so it is locked. Ask a performance officer to return it if it "
            "needs to change."
        )
    return (
        "It was published, so it is locked. If it is wrong, start a correction: the published "
        "figure stays as it is until the correction is approved and published."
    )


@transaction.atomic
def save_entry(
    indicator: Indicator, period: Period, entry: Entry, *, actor, revision: int | None, submit: bool
) -> Value:
    figure = (
        indicator.values.select_for_update().filter(period=period.key, area__isnull=True).first()
    )
    if figure is not None:
        _check_editable(figure, revision)
    closed = windows.closed_reason(actor, indicator, period, figure, timezone.localdate())
    if closed:
        raise CollectionError(closed)
    if figure is None:
        figure = Value(indicator=indicator, period=period.key, period_start=period.start)
    _apply(figure, entry, actor, submit)
    record(
        actor,
        "submitted" if submit else "saved",
        indicator,
        f"Figure for {period.label} {'submitted' if submit else 'saved as a draft'}",
        period=period.key,
        value=figure.value,
    )
    return figure


def _check_editable(figure: Value, revision: int | None) -> None:
    reason = locked_reason(figure)
    if reason:
        raise CollectionError(reason)
    if revision is not None and revision != figure.revision:
        raise StaleEdit(
            "Someone else changed this figure while you were editing it. Your changes have "
            "not been saved: check their version below, then make your changes again."
        )


def _apply(figure: Value, entry: Entry, actor, submit: bool) -> None:
    figure.value = entry.resolved_value(figure.indicator.unit)
    figure.numerator, figure.denominator = entry.numerator, entry.denominator
    figure.commentary = entry.commentary
    figure.action_commentary = entry.action_commentary
    figure.action_due = entry.action_due
    figure.quality_flags = list(entry.quality_flags)
    figure.state = ValueState.SUBMITTED if submit else ValueState.DRAFT
    figure.revision = (figure.revision or 0) + 1 if figure.pk else 1
    figure.updated_by = actor
    figure._change_reason = "Submitted" if submit else "Saved as a draft"
    figure.save()


def _move(figure: Value, to: str, *, actor, verb: str, reason: str = "") -> None:
    figure.state = to
    figure.revision += 1
    figure.updated_by = actor
    figure._change_reason = reason or verb.capitalize()
    figure.save()
    record(
        actor,
        verb,
        figure.indicator,
        f"Figure for {figure.period_obj.label} {verb}",
        reason=reason,
        period=figure.period,
    )


def _require(figure: Value, state: str, action: str) -> None:
    if figure.state != state:
        raise CollectionError(
            f"This figure cannot be {action}: it is {figure.get_state_display().lower()}."
        )


@transaction.atomic
def approve(figure: Value, *, actor) -> None:
    _require(figure, ValueState.SUBMITTED, "approved")
    _move(figure, ValueState.APPROVED, actor=actor, verb="approved")
    rejudge([figure.indicator])


@transaction.atomic
def return_for_changes(figure: Value, *, actor, reason: str) -> None:
    if not reason.strip():
        raise CollectionError("Enter why you are returning this figure.")
    if figure.state not in (ValueState.SUBMITTED, ValueState.APPROVED):
        raise CollectionError("Only submitted or approved figures can be returned.")
    was_approved = figure.state == ValueState.APPROVED
    figure.returned_reason = reason
    _move(figure, ValueState.RETURNED, actor=actor, verb="returned", reason=reason)
    if was_approved:
        rejudge([figure.indicator])


@transaction.atomic
def publish_figure(figure: Value, *, actor) -> None:
    _require(figure, ValueState.APPROVED, "published")
    _move(figure, ValueState.PUBLISHED, actor=actor, verb="published")
    judgements = Judgement.objects.filter(indicator=figure.indicator, period=figure.period)
    publish(list(judgements), actor=actor, reason="Figure published")
    from goldthread.collection.corrections import record_publication  # it imports this module

    record_publication(figure, actor=actor)
