"""Collection windows in force: who may still enter a period's figures, and reopening.

The dates come from the reporting calendar (analysis/calendar.py, ADR 7); this module adds the
facts people decide: a performance officer reopens a closed period (one indicator, or every
indicator collected for that period) with a reason and an optional last day, and may close it
again. Data owners cannot enter or change a figure once its window has closed, unless the
period is reopened or the figure was returned to them. Performance officers are not held to
the window: they are the people who reopen it. Imports use the same rule (`closed_problems`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from goldthread.accounts.models import Role, User
from goldthread.analysis.calendar import (
    CalendarRules,
    CollectionWindow,
    WindowStatus,
    status_on,
    window_for,
)
from goldthread.analysis.periods import Period, parse_period
from goldthread.audit.services import record
from goldthread.collection.models import Reopening
from goldthread.indicators.models import Indicator, Value, ValueState
from goldthread.jinja2env import govuk_date as format_date
from goldthread.structure.services import council


class WindowError(Exception):
    """A reopening that cannot be made; the message says why."""


def calendar_rules() -> CalendarRules:
    found = council()
    region = found.bank_holiday_region if found else "england-and-wales"
    return CalendarRules(region=region)


def active_reopenings(today: date) -> QuerySet[Reopening]:
    """Reopenings in force today: not closed again, and not past their last day."""
    return Reopening.objects.filter(
        Q(until__isnull=True) | Q(until__gte=today), closed_at__isnull=True
    )


def reopening_for(indicator: Indicator, period: Period, today: date) -> Reopening | None:
    """The reopening that lets this indicator's period take figures today, if any."""
    return (
        active_reopenings(today)
        .filter(Q(indicator=indicator) | Q(indicator__isnull=True, frequency=indicator.frequency))
        .filter(period=period.key)
        .select_related("reopened_by")
        .first()
    )


def reopened_periods(
    indicators: Iterable[Indicator], today: date
) -> dict[int, dict[Period, Reopening]]:
    """Indicator id -> its periods reopened today and the reopening of each, in one query."""
    chosen = list(indicators)
    by_frequency: dict[str, dict[Period, Reopening]] = defaultdict(dict)
    by_indicator: dict[int, dict[Period, Reopening]] = defaultdict(dict)
    found = active_reopenings(today).filter(Q(indicator__in=chosen) | Q(indicator__isnull=True))
    for reopening in found.order_by("reopened_at"):
        period = parse_period(reopening.period)
        if reopening.indicator_id:
            by_indicator[reopening.indicator_id][period] = reopening
        else:
            by_frequency[reopening.frequency][period] = reopening
    return {
        i.pk: {**by_frequency.get(i.frequency, {}), **by_indicator.get(i.pk, {})} for i in chosen
    }


@dataclass(frozen=True)
class WindowState:
    window: CollectionWindow
    status: WindowStatus
    reopening: Reopening | None

    @property
    def is_closed(self) -> bool:
        return self.status == WindowStatus.CLOSED


def window_state(indicator: Indicator, period: Period, today: date) -> WindowState:
    rules = calendar_rules()
    window = window_for(period, rules)
    reopening = reopening_for(indicator, period, today) if today > window.closes else None
    status = status_on(window, today, reopened=reopening is not None, rules=rules)
    return WindowState(window, status, reopening)


def held_to_window(user) -> bool:
    return getattr(user, "role", None) != Role.PERFORMANCE_OFFICER


def performance_officers() -> list[User]:
    return list(
        User.objects.filter(role=Role.PERFORMANCE_OFFICER, is_active=True).order_by(
            "last_name", "first_name"
        )
    )


def who_to_ask() -> str:
    names = [person.get_full_name() or person.username for person in performance_officers()]
    if not names:
        return "a performance officer"
    listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]
    return f"a performance officer ({listed})"


def closed_message(period: Period, window: CollectionWindow) -> str:
    return (
        f"Figures for {period.label} could be entered until {format_date(window.closes)}, and "
        f"that window has closed. Ask {who_to_ask()} to reopen the period if the figure needs "
        "to be entered or changed."
    )


def closed_reason(
    user, indicator: Indicator, period: Period, figure: Value | None, today: date
) -> str:
    """Why this person cannot enter this figure now because its window has closed, or ""."""
    if not held_to_window(user):
        return ""
    if figure is not None and figure.state == ValueState.RETURNED:
        return ""  # returned on purpose: the data owner must be able to answer it
    state = window_state(indicator, period, today)
    return closed_message(period, state.window) if state.is_closed else ""


def closed_problems(
    user, rows: Iterable[tuple[int, int, str, str]], today: date | None = None
) -> list[tuple[int, str]]:
    """(row number, message) for each imported row whose window is closed to this person.

    `rows` are (row number, indicator id, period key, stored state or ""). For the importer:
    a file obeys the same rule as the entry page.
    """
    if not held_to_window(user):
        return []
    today = today or timezone.localdate()
    rows = list(rows)
    indicators = Indicator.objects.in_bulk({row[1] for row in rows})
    reopened = reopened_periods(indicators.values(), today)
    rules, problems = calendar_rules(), []
    for number, indicator_id, key, state in rows:
        period = parse_period(key)
        window = window_for(period, rules)
        if state == ValueState.RETURNED or today <= window.closes:
            continue
        if period not in reopened.get(indicator_id, []):
            problems.append((number, closed_message(period, window)))
    return problems


@dataclass(frozen=True)
class ReopenRequest:
    period: Period
    reason: str
    indicator: Indicator | None = None
    until: date | None = None


@transaction.atomic
def reopen(request: ReopenRequest, *, actor, today: date) -> Reopening:
    """Reopen a closed period for data owners, with a reason; audited as `reopened`."""
    if not request.reason.strip():
        raise WindowError("Enter why you are reopening this period")
    window = window_for(request.period, calendar_rules())
    if today <= window.closes:
        raise WindowError(
            f"{request.period.label} is still open until {format_date(window.closes)}: there "
            "is no need to reopen it."
        )
    if request.until is not None and request.until < today:
        raise WindowError("The last day must be today or later")
    reopening = Reopening.objects.create(
        indicator=request.indicator,
        period=request.period.key,
        period_start=request.period.start,
        frequency=str(request.period.frequency),
        reason=request.reason.strip(),
        until=request.until,
        reopened_by=actor,
    )
    _audit(reopening, actor, "reopened", request.reason)
    return reopening


@transaction.atomic
def close_again(reopening: Reopening, *, actor, reason: str = "") -> None:
    if reopening.closed_at is not None:
        raise WindowError("This period has already been closed again")
    reopening.closed_at, reopening.closed_by = timezone.now(), actor
    reopening.closed_reason = reason.strip()
    reopening._change_reason = reason.strip() or "Closed again"
    reopening.save()
    _audit(reopening, actor, "closed", reason)


def _audit(reopening: Reopening, actor, verb: str, reason: str) -> None:
    period = parse_period(reopening.period)
    subject = reopening.indicator or reopening
    which = "" if reopening.indicator_id else f" for every {reopening.frequency} indicator"
    until = (
        f" until {format_date(reopening.until)}" if reopening.until and verb == "reopened" else ""
    )
    record(
        actor,
        verb,
        subject,
        f"{period.label} {'reopened' if verb == 'reopened' else 'closed again'}{which}{until}",
        reason=reason.strip(),
        period=reopening.period,
        reopening=reopening.pk,
    )


def describe(reopening: Reopening) -> str:
    """One line for the entry page and My updates: who reopened it, until when, and why."""
    by = reopening.reopened_by.get_full_name() or reopening.reopened_by.username
    until = f" until {format_date(reopening.until)}" if reopening.until else ""
    return (
        f"Reopened by {by} on {format_date(timezone.localdate(reopening.reopened_at))}{until}: "
        f"{reopening.reason}"
    )
