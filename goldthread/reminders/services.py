"""Who needs reminding today, and what the weekly summary says.

The calendar decides when (``reminder_dates`` in ``analysis/calendar.py``); this module only
loads the indicators, figures and log, asks the calendar, and groups what it finds per person
so each person gets one email listing everything, not one email per figure.

- **Before due**: from the day a window turns "due soon" until its due date. The log keeps
  it to one email, and a day the scheduler missed is caught up on the next run.
- **Overdue**: once, from the first working day after the due date until the window closes.
- Neither is sent for a figure already submitted, approved or published.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, fields
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.urls import reverse

from goldthread.accounts.models import Role, User
from goldthread.analysis.calendar import (
    CalendarRules,
    CollectionWindow,
    WindowStatus,
    periods_due,
    reminder_dates,
    status_on,
)
from goldthread.analysis.periods import Period, parse_period
from goldthread.collection.models import Correction, CorrectionState
from goldthread.collection.presenters import calendar_rules
from goldthread.core.periods_url import period_slug
from goldthread.indicators.models import Indicator, Judgement, Rag, Value, ValueState
from goldthread.reminders.models import ReminderKind, ReminderSent

if TYPE_CHECKING:
    from goldthread.reminders.interventions import InterventionCounts

DONE = (ValueState.SUBMITTED, ValueState.APPROVED, ValueState.PUBLISHED)
CALENDAR_KINDS = (ReminderKind.BEFORE_DUE, ReminderKind.OVERDUE)


@dataclass(frozen=True)
class ReminderItem:
    """One figure in an email. Plain values only: it travels to the worker as JSON."""

    indicator_id: int
    code: str
    name: str
    period: str
    period_label: str
    due: str  # ISO date, or "" when the window has closed
    url: str
    reason: str = ""
    returned_by: str = ""
    audit_event_id: int | None = None
    correction_id: int | None = None  # set when a correction of a published figure came back

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ReminderItem:
        known = {f.name for f in fields(cls)}
        return cls(**{key: value for key, value in data.items() if key in known})

    @property
    def due_date(self) -> date | None:
        return date.fromisoformat(self.due) if self.due else None


@dataclass(frozen=True)
class Reminder:
    """One email to one person, listing every figure of one kind."""

    user: User
    kind: ReminderKind
    items: tuple[ReminderItem, ...]

    def payload(self) -> list[dict[str, Any]]:
        return [asdict(item) for item in self.items]


def entry_url(indicator: Indicator, period: Period) -> str:
    path = reverse("collection:enter", args=[indicator.code, period_slug(period)])
    return site_url(path)


def correction_url(indicator: Indicator, period: Period) -> str:
    path = reverse("collection:correct", args=[indicator.code, period_slug(period)])
    return site_url(path)


def site_url(path: str) -> str:
    return settings.GOLDTHREAD_SITE_URL.rstrip("/") + path


def item_for(indicator: Indicator, window: CollectionWindow, **extra: Any) -> ReminderItem:
    return ReminderItem(
        indicator_id=indicator.pk,
        code=indicator.code,
        name=indicator.name,
        period=window.period.key,
        period_label=window.period.label,
        due=window.due.isoformat(),
        url=entry_url(indicator, window.period),
        **extra,
    )


def calendar_kind(
    window: CollectionWindow, today: date, rules: CalendarRules
) -> ReminderKind | None:
    """Which calendar reminder a window not yet submitted calls for today, if any."""
    dates = reminder_dates(window, rules)
    if today >= dates["overdue"] and status_on(window, today, rules=rules) is WindowStatus.OVERDUE:
        return ReminderKind.OVERDUE
    if dates["before_due"] <= today <= window.due:
        return ReminderKind.BEFORE_DUE
    return None


def _outstanding(
    indicators: Iterable[Indicator], today: date, rules: CalendarRules
) -> Iterator[tuple[Indicator, CollectionWindow, ReminderKind]]:
    """Each window that calls for a reminder today and has no figure submitted yet."""
    indicators = list(indicators)
    windows = {f: periods_due(f, today, rules) for f in {i.frequency for i in indicators}}
    done = set(
        Value.objects.filter(
            indicator__in=indicators, area__isnull=True, state__in=DONE
        ).values_list("indicator_id", "period")
    )
    for indicator in indicators:
        for window in windows[indicator.frequency]:
            if (indicator.pk, window.period.key) in done:
                continue
            if kind := calendar_kind(window, today, rules):
                yield indicator, window, kind


def _collected_indicators():
    return Indicator.objects.filter(retired_at__isnull=True, is_context=False).select_related(
        "data_owner"
    )


def due_reminders(today: date) -> list[Reminder]:
    """Today's before-due and overdue emails: one per person and kind, not yet sent."""
    owned = _collected_indicators().filter(data_owner__is_active=True).exclude(data_owner__email="")
    sent = set(
        ReminderSent.objects.filter(kind__in=CALENDAR_KINDS).values_list(
            "user_id", "kind", "indicator_id", "period"
        )
    )
    grouped: dict[tuple[User, ReminderKind], list[ReminderItem]] = defaultdict(list)
    for indicator, window, kind in _outstanding(owned, today, calendar_rules()):
        owner = indicator.data_owner
        if (owner.pk, kind.value, indicator.pk, window.period.key) not in sent:
            grouped[owner, kind].append(item_for(indicator, window))
    return [
        Reminder(user, kind, tuple(sorted(items, key=lambda i: (i.due, i.code, i.period))))
        for (user, kind), items in sorted(
            grouped.items(), key=lambda pair: (pair[0][0].pk, pair[0][1])
        )
    ]


def still_outstanding(items: Iterable[ReminderItem]) -> list[ReminderItem]:
    """The items whose figure has not been submitted since the reminder was queued."""
    items = list(items)
    done = set(
        Value.objects.filter(
            indicator_id__in={i.indicator_id for i in items}, area__isnull=True, state__in=DONE
        ).values_list("indicator_id", "period")
    )
    return [item for item in items if (item.indicator_id, item.period) not in done]


# --- The weekly summary for performance officers -------------------------------------------


@dataclass(frozen=True)
class RedChange:
    code: str
    name: str
    period_label: str
    url: str


@dataclass(frozen=True)
class Digest:
    today: date
    submitted: int
    returned: int
    overdue_by_owner: tuple[tuple[str, tuple[ReminderItem, ...]], ...]
    red_changes: tuple[RedChange, ...]
    interventions: InterventionCounts
    returned_corrections: int = 0

    @property
    def overdue(self) -> int:
        return sum(len(items) for _, items in self.overdue_by_owner)


def is_digest_day(today: date) -> bool:
    return today.weekday() == 0  # Monday


def digest_recipients(today: date, *, force: bool = False) -> list[User]:
    """Performance officers still to get today's summary: on Mondays, or any day if forced."""
    if not (force or is_digest_day(today)):
        return []
    already = ReminderSent.objects.filter(kind=ReminderKind.DIGEST, sent_on=today)
    return list(
        User.objects.filter(role=Role.PERFORMANCE_OFFICER, is_active=True)
        .exclude(email="")
        .exclude(pk__in=already.values("user_id"))
        .order_by("pk")
    )


def weekly_digest(today: date) -> Digest:
    # Imported here: the interventions module builds its links with site_url from this one.
    from goldthread.reminders.interventions import intervention_counts

    figures = Value.objects.filter(area__isnull=True, indicator__retired_at__isnull=True)
    return Digest(
        today=today,
        submitted=figures.filter(state=ValueState.SUBMITTED).count(),
        returned=figures.filter(state=ValueState.RETURNED).count(),
        overdue_by_owner=_overdue_by_owner(today),
        red_changes=_red_changes(today),
        interventions=intervention_counts(today),
        returned_corrections=Correction.objects.filter(
            state=CorrectionState.RETURNED, figure__indicator__retired_at__isnull=True
        ).count(),
    )


def _overdue_by_owner(today: date) -> tuple[tuple[str, tuple[ReminderItem, ...]], ...]:
    grouped: dict[str, list[ReminderItem]] = defaultdict(list)
    for indicator, window, kind in _outstanding(_collected_indicators(), today, calendar_rules()):
        if kind is ReminderKind.OVERDUE:
            owner = str(indicator.data_owner) if indicator.data_owner else "No data owner"
            grouped[owner].append(item_for(indicator, window))
    return tuple(
        (owner, tuple(sorted(items, key=lambda i: (i.code, i.period))))
        for owner, items in sorted(grouped.items())
    )


def _red_changes(today: date) -> tuple[RedChange, ...]:
    """Off target judgements made or changed in the 7 days up to today.

    computed_at moves only when a re-judgement changes something in the row (its value,
    target, direction, SPC or forecast), so an unchanged red result is not listed again.
    """
    changed = Judgement.objects.filter(
        rag=Rag.RED,
        computed_at__date__gt=today - timedelta(days=7),
        computed_at__date__lte=today,
        indicator__retired_at__isnull=True,
    ).select_related("indicator")
    return tuple(
        RedChange(
            code=j.indicator.code,
            name=j.indicator.name,
            period_label=parse_period(j.period).label,
            url=site_url(reverse("indicators:detail", args=[j.indicator.code])),
        )
        for j in changed.order_by("indicator__code", "period_start")
    )
