"""My updates: everything a data owner has to enter, in the order it needs doing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from goldthread.analysis.calendar import CollectionWindow, periods_due, status_on
from goldthread.analysis.periods import Period, parse_period
from goldthread.collection.models import Correction, CorrectionState, Reopening
from goldthread.collection.windows import calendar_rules, reopened_periods
from goldthread.core.formatting import format_value
from goldthread.indicators.models import Indicator, Value, ValueState

_ORDER = {"returned": 0, "overdue": 1, "due_soon": 2, "open": 3, "reopened": 3, "draft": 4}


@dataclass
class UpdateLine:
    indicator: Indicator
    period: Period
    due: date | None
    status: str
    status_label: str
    figure_text: str
    state_label: str
    note: str = ""
    is_correction: bool = False


def _line(
    indicator: Indicator,
    window: CollectionWindow,
    figure: Value | None,
    today: date,
    reopening: Reopening | None = None,
):
    status = status_on(window, today, reopened=reopening is not None, rules=calendar_rules())
    if figure is not None and figure.state == ValueState.RETURNED:
        status_value, label = "returned", "Returned for changes"
    else:
        status_value, label = str(status), status.label
    reopened = status_value == "reopened" and reopening is not None
    return UpdateLine(
        indicator=indicator,
        period=window.period,
        # A reopened period is due by the reopening's last day, not its long-past due date.
        due=reopening.until if reopened else window.due,
        status=status_value,
        status_label=label,
        figure_text=_figure_text(indicator, figure),
        state_label=figure.get_state_display() if figure else "Not started",
        note=f"Reopened: {reopening.reason}" if reopened else "",
    )


def _figure_text(indicator: Indicator, figure: Value | None) -> str:
    if figure is None or figure.value is None:
        return ""
    return format_value(figure.value, indicator.unit, indicator.decimals)


def my_updates(user, today: date) -> list[UpdateLine]:
    indicators = list(
        Indicator.objects.filter(
            data_owner=user, retired_at__isnull=True, is_context=False
        ).order_by("code")
    )
    rules = calendar_rules()
    windows = {f: periods_due(f, today, rules) for f in {i.frequency for i in indicators}}
    reopened = reopened_periods(indicators, today)
    figures = {
        (v.indicator_id, v.period): v
        for v in Value.objects.filter(indicator__in=indicators, area__isnull=True).exclude(
            state__in=(ValueState.APPROVED, ValueState.PUBLISHED)
        )
    }
    lines = []
    for indicator in indicators:
        extra = reopened[indicator.pk]
        due = periods_due(indicator.frequency, today, rules, reopened=extra) if extra else None
        for window in due or windows[indicator.frequency]:
            figure = figures.pop((indicator.pk, window.period.key), None)
            if figure is None or figure.state != ValueState.SUBMITTED:
                lines.append(_line(indicator, window, figure, today, extra.get(window.period)))
    lines.extend(_returned(figures, {i.pk: i for i in indicators}))
    lines.extend(_corrections_to_finish(indicators))
    return sorted(lines, key=lambda line: (_ORDER.get(line.status, 9), line.due or today))


def _returned(figures: dict, indicators: dict[int, Indicator]) -> list[UpdateLine]:
    """Figures returned for changes whose collection window has already closed."""
    return [
        UpdateLine(
            indicator=indicators[ind],
            period=parse_period(key),
            due=None,
            status="returned",
            status_label="Returned for changes",
            figure_text=_figure_text(indicators[ind], figure),
            state_label=figure.get_state_display(),
        )
        for (ind, key), figure in figures.items()
        if figure.state == ValueState.RETURNED
    ]


def _corrections_to_finish(indicators: list[Indicator]) -> list[UpdateLine]:
    """Corrections of published figures that are drafts or were returned: the owner's to do."""
    waiting = Correction.objects.filter(
        figure__indicator__in=indicators,
        state__in=(CorrectionState.DRAFT, CorrectionState.RETURNED),
    ).select_related("figure__indicator")
    return [
        UpdateLine(
            indicator=correction.figure.indicator,
            period=correction.figure.period_obj,
            due=None,
            status="returned" if correction.state == CorrectionState.RETURNED else "draft",
            status_label="Correction returned"
            if correction.state == CorrectionState.RETURNED
            else "Correction not submitted",
            figure_text=_figure_text(correction.figure.indicator, correction.figure),
            state_label="Published",
            note=correction.returned_reason or correction.reason,
            is_correction=True,
        )
        for correction in waiting
    ]


@dataclass(frozen=True)
class SubmittedLine:
    """A figure with the performance team: submitted, not yet approved or returned."""

    indicator: Indicator
    period: Period
    figure_text: str
    submitted_on: date


def with_the_team(user) -> list[SubmittedLine]:
    """The owner's whole-council figures waiting to be checked, so an upload or a submission
    stays visible on My updates until the performance team answers it."""
    waiting = (
        Value.objects.filter(
            indicator__data_owner=user,
            indicator__retired_at__isnull=True,
            area__isnull=True,
            state=ValueState.SUBMITTED,
        )
        .select_related("indicator")
        .order_by("indicator__code", "period_start")
    )
    return [
        SubmittedLine(
            figure.indicator,
            parse_period(figure.period),
            _figure_text(figure.indicator, figure),
            figure.updated_at.date(),
        )
        for figure in waiting
    ]
