"""The reporting calendar: when each period's data collection opens, is due and closes.

The rules, in plain English:

- A **working day** is Monday to Friday, except bank holidays in the council's region
  (England and Wales, Scotland or Northern Ireland) and any extra days the council closes
  (for example 29 to 31 December). "5 working days after" a date never counts the date
  itself; "0 working days after" is the date itself if it is a working day, otherwise the next
  working day; a negative number counts back.
- When a period ends (a month, a quarter or a financial year), its **collection window**
  opens a number of working days later (1 by default) and the data is **due** a number of
  working days after the period end (10 for a month, 15 for a quarter, 20 for a year). The
  window **closes** a number of working days after the due date (5 by default): late data can
  still be entered until the end of that day, and after it only if a performance officer
  reopens the period.
- **Annual indicators are collected at quarter 4**: an annual window is counted from the end
  of quarter 4 (31 March, the financial year end), with the annual offsets. A council that
  collects annual outturns later can count them from the end of quarter 1 of the next year
  instead (``annual_collected_with="next_q1"``, 30 June).
- A window is **due soon** from 3 working days before its due date (configurable), and
  **overdue** from the day after its due date until it closes.

Everything here works with dates, never times, so British Summer Time cannot move a
deadline. Callers holding an aware datetime (such as ``timezone.now()``) convert it first with
:func:`goldthread.analysis.periods.uk_local_date`; passing a datetime raises ``TypeError``
rather than being compared as if it were a date.

Bank holidays come from the ``holidays`` package, which ships its data as Python code: it
never fetches anything over the network (``test_calendar.py`` checks this with sockets
blocked). A one-off holiday proclaimed after the installed version was released is missing
until the package is upgraded; a council can add it meanwhile as an extra closure day.
Holidays are worked out once per region and year and cached.
"""

from __future__ import annotations

import calendar as _stdlib_calendar
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field, fields
from datetime import date, datetime, timedelta
from enum import StrEnum
from functools import lru_cache
from types import MappingProxyType
from typing import Any

import holidays

from goldthread.analysis.periods import Frequency, Period, period_containing

ONE_DAY = timedelta(days=1)


class CalendarError(ValueError):
    """Calendar settings that cannot work, said in plain English."""


class Region(StrEnum):
    """The UK's bank holiday regions (England and Wales share one list)."""

    ENGLAND_AND_WALES = "england-and-wales"
    SCOTLAND = "scotland"
    NORTHERN_IRELAND = "northern-ireland"

    @property
    def label(self) -> str:
        return {
            "england-and-wales": "England and Wales",
            "scotland": "Scotland",
            "northern-ireland": "Northern Ireland",
        }[self.value]

    @property
    def _subdivision(self) -> str:
        # ENG and WLS give identical lists; ENG stands for both.
        return {"england-and-wales": "ENG", "scotland": "SCT", "northern-ireland": "NIR"}[
            self.value
        ]


def add_months(day: date, months: int) -> date:
    """The same day some months later, or the month's last day when it is shorter (31 Jan +1
    is 28 or 29 Feb), so a monthly update or a six-month review never skips a month."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, _stdlib_calendar.monthrange(year, month)[1]))


def _region(region: Region | str) -> Region:
    try:
        return Region(region)
    except ValueError:
        choices = ", ".join(f'"{r.value}"' for r in Region)
        raise CalendarError(f'"{region}" is not a bank holiday region: use {choices}') from None


def _require_date(value: object, name: str) -> date:
    # datetime is a subclass of date but never equals one, so it would slip past the
    # holiday lookup and make a bank holiday look like a working day.
    if isinstance(value, datetime):
        raise TypeError(
            f"{name} must be a date, not a datetime: convert it with "
            "goldthread.analysis.periods.uk_local_date"
        )
    if not isinstance(value, date):
        raise TypeError(f"{name} must be a date, not {type(value).__name__}")
    return value


# --- Working days ----------------------------------------------------------------------


@lru_cache(maxsize=512)
def bank_holidays(year: int, region: Region | str = Region.ENGLAND_AND_WALES) -> Mapping[date, str]:
    """The region's bank holidays in a calendar year, as {date: name}, read-only.

    A holiday that falls at a weekend is listed on its own date and again on its
    substitute weekday ("Christmas Day (observed)").
    """
    subdivision = _region(region)._subdivision
    found = holidays.country_holidays("GB", subdiv=subdivision, years=year)
    return MappingProxyType(dict(sorted(found.items())))


def is_working_day(
    d: date,
    *,
    region: Region | str = Region.ENGLAND_AND_WALES,
    closures: Collection[date] = (),
) -> bool:
    """Monday to Friday, not a bank holiday in the region and not a council closure day."""
    d = _require_date(d, "The day")
    return d.weekday() < 5 and d not in bank_holidays(d.year, region) and d not in closures


def working_days_after(
    d: date,
    n: int,
    *,
    region: Region | str = Region.ENGLAND_AND_WALES,
    closures: Collection[date] = (),
) -> date:
    """The nth working day after d (n > 0), before it (n < 0), or d rolled forward (n = 0)."""
    day = _require_date(d, "The start date")
    if type(n) is not int:
        raise TypeError(f"The number of working days must be a whole number, not {n!r}")
    if n == 0:
        while not is_working_day(day, region=region, closures=closures):
            day += ONE_DAY
        return day
    step, remaining = (ONE_DAY if n > 0 else -ONE_DAY), abs(n)
    while remaining:
        day += step
        if is_working_day(day, region=region, closures=closures):
            remaining -= 1
    return day


def working_days_between(
    start: date,
    end: date,
    *,
    region: Region | str = Region.ENGLAND_AND_WALES,
    closures: Collection[date] = (),
) -> int:
    """Working days after start up to and including end; negative when end is earlier.

    For "due in 2 working days": working_days_between(today, due).
    """
    start, end = _require_date(start, "The start date"), _require_date(end, "The end date")
    if end < start:
        return -working_days_between(end, start, region=region, closures=closures)
    count, day = 0, start + ONE_DAY
    while day <= end:
        count += is_working_day(day, region=region, closures=closures)
        day += ONE_DAY
    return count


# --- The council's settings --------------------------------------------------------------


ANNUAL_COLLECTED_WITH = {
    "q4": "with quarter 4: counted from 31 March, the end of the financial year",
    "next_q1": "with quarter 1 of the next year: counted from 30 June after the year ends",
}


@dataclass(frozen=True)
class FrequencyRules:
    """When one frequency's windows open, are due and close, in working days."""

    opens_working_days_after_period_end: int = 1
    due_working_days_after_period_end: int = 10
    closes_working_days_after_due: int = 5

    def __post_init__(self) -> None:
        for f in fields(self):
            if type(getattr(self, f.name)) is not int:
                raise CalendarError(f"{_words(f.name).capitalize()} must be a whole number")
        if self.due_working_days_after_period_end < 0:
            raise CalendarError("Data cannot be due before the period ends")
        if self.opens_working_days_after_period_end > self.due_working_days_after_period_end:
            raise CalendarError("A collection window must open on or before its due date")
        if self.closes_working_days_after_due < 0:
            raise CalendarError("A collection window cannot close before its due date")


def _words(name: str) -> str:
    return name.replace("_", " ")


DEFAULT_FREQUENCY_RULES = MappingProxyType(
    {
        Frequency.MONTHLY: FrequencyRules(1, 10, 5),
        Frequency.QUARTERLY: FrequencyRules(1, 15, 5),
        Frequency.ANNUAL: FrequencyRules(1, 20, 5),
    }
)


@dataclass(frozen=True)
class CalendarRules:
    """A council's reporting calendar settings. Immutable; store it with to_dict()."""

    monthly: FrequencyRules = DEFAULT_FREQUENCY_RULES[Frequency.MONTHLY]
    quarterly: FrequencyRules = DEFAULT_FREQUENCY_RULES[Frequency.QUARTERLY]
    annual: FrequencyRules = DEFAULT_FREQUENCY_RULES[Frequency.ANNUAL]
    annual_collected_with: str = "q4"
    region: Region = Region.ENGLAND_AND_WALES
    due_soon_working_days: int = 3
    closures: frozenset[date] = field(default_factory=frozenset)

    def __post_init__(self) -> None:
        object.__setattr__(self, "region", _region(self.region))
        object.__setattr__(self, "closures", frozenset(self.closures))
        for day in self.closures:
            _require_date(day, "A closure day")
        for frequency in Frequency:
            if not isinstance(self.for_frequency(frequency), FrequencyRules):
                raise CalendarError(f"The {frequency} rules must be FrequencyRules")
        if self.annual_collected_with not in ANNUAL_COLLECTED_WITH:
            choices = " or ".join(f'"{key}"' for key in ANNUAL_COLLECTED_WITH)
            raise CalendarError(f"Annual indicators must be collected with {choices}")
        if type(self.due_soon_working_days) is not int or self.due_soon_working_days < 0:
            raise CalendarError("Due soon must be a whole number of working days, 0 or more")

    def for_frequency(self, frequency: Frequency | str) -> FrequencyRules:
        return getattr(self, Frequency(frequency).value)

    def working_days_after(self, d: date, n: int) -> date:
        return working_days_after(d, n, region=self.region, closures=self.closures)

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready settings; from_dict(to_dict()) gives the same rules back."""
        return {
            **{
                frequency.value: _frequency_rules_dict(self.for_frequency(frequency))
                for frequency in Frequency
            },
            "annual_collected_with": self.annual_collected_with,
            "region": self.region.value,
            "due_soon_working_days": self.due_soon_working_days,
            "closures": [day.isoformat() for day in sorted(self.closures)],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> CalendarRules:
        """Settings from to_dict(); anything left out takes its default, unknown keys fail."""
        unknown = set(data) - {f.name for f in fields(cls)}
        if unknown:
            raise CalendarError(f"Unknown calendar settings: {', '.join(sorted(unknown))}")
        kwargs: dict[str, Any] = {}
        for frequency in Frequency:
            if frequency.value in data:
                kwargs[frequency.value] = _frequency_rules_from(frequency, data[frequency.value])
        for key in ("annual_collected_with", "region", "due_soon_working_days"):
            if key in data:
                kwargs[key] = data[key]
        if "closures" in data:
            kwargs["closures"] = frozenset(_parse_day(text) for text in data["closures"])
        return cls(**kwargs)


def _frequency_rules_dict(rules: FrequencyRules) -> dict[str, int]:
    return {f.name: getattr(rules, f.name) for f in fields(rules)}


def _frequency_rules_from(frequency: Frequency, data: Mapping[str, Any]) -> FrequencyRules:
    defaults = _frequency_rules_dict(DEFAULT_FREQUENCY_RULES[frequency])
    unknown = set(data) - set(defaults)
    if unknown:
        raise CalendarError(f"Unknown {frequency} settings: {', '.join(sorted(unknown))}")
    return FrequencyRules(**{**defaults, **data})


def _parse_day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except (TypeError, ValueError):
        raise CalendarError(f'Closure day "{text}" is not a date like 2026-12-29') from None


DEFAULT_RULES = CalendarRules()


# --- Collection windows ----------------------------------------------------------------


class WindowStatus(StrEnum):
    NOT_OPEN = "not_open"
    OPEN = "open"
    DUE_SOON = "due_soon"
    OVERDUE = "overdue"
    CLOSED = "closed"
    REOPENED = "reopened"

    @property
    def label(self) -> str:
        return {
            "not_open": "Not open yet",
            "open": "Open",
            "due_soon": "Due soon",
            "overdue": "Overdue",
            "closed": "Closed",
            "reopened": "Reopened",
        }[self.value]

    @property
    def accepts_data(self) -> bool:
        return self in _ACCEPTING


_ACCEPTING = frozenset(
    {WindowStatus.OPEN, WindowStatus.DUE_SOON, WindowStatus.OVERDUE, WindowStatus.REOPENED}
)


@dataclass(frozen=True, order=True)
class CollectionWindow:
    """When one period's data can be entered. Each date is a whole day, in UK local time."""

    period: Period
    opens: date
    due: date
    closes: date

    def __post_init__(self) -> None:
        for name in ("opens", "due", "closes"):
            _require_date(getattr(self, name), f"The {name} date")
        if not self.opens <= self.due <= self.closes:
            raise CalendarError(
                f"The window for {self.period.label} must open ({self.opens}) on or before "
                f"its due date ({self.due}) and close ({self.closes}) on or after it"
            )


def collection_anchor(period: Period, rules: CalendarRules = DEFAULT_RULES) -> date:
    """The day a period's working days are counted from: its end, or Q4's for an annual one."""
    if period.frequency is not Frequency.ANNUAL:
        return period.end
    if rules.annual_collected_with == "next_q1":
        return Period(Frequency.QUARTERLY, period.year + 1, 1).end
    return Period(Frequency.QUARTERLY, period.year, 4).end


def window_for(period: Period, rules: CalendarRules = DEFAULT_RULES) -> CollectionWindow:
    counts = rules.for_frequency(period.frequency)
    anchor = collection_anchor(period, rules)
    due = rules.working_days_after(anchor, counts.due_working_days_after_period_end)
    return CollectionWindow(
        period=period,
        opens=rules.working_days_after(anchor, counts.opens_working_days_after_period_end),
        due=due,
        closes=rules.working_days_after(due, counts.closes_working_days_after_due),
    )


def due_soon_from(window: CollectionWindow, rules: CalendarRules = DEFAULT_RULES) -> date:
    """The first day the window counts as due soon (never before it opens)."""
    return max(window.opens, rules.working_days_after(window.due, -rules.due_soon_working_days))


def status_on(
    window: CollectionWindow,
    today: date,
    *,
    reopened: bool = False,
    rules: CalendarRules = DEFAULT_RULES,
) -> WindowStatus:
    """Where the window stands on a day. Reopening only matters once a window has closed.

    Pass the council's rules: they say how many working days count as due soon, in which
    region.
    """
    today = _require_date(today, "Today")
    if today < window.opens:
        return WindowStatus.NOT_OPEN
    if today <= window.due:
        if today >= due_soon_from(window, rules):
            return WindowStatus.DUE_SOON
        return WindowStatus.OPEN
    if today <= window.closes:
        return WindowStatus.OVERDUE
    return WindowStatus.REOPENED if reopened else WindowStatus.CLOSED


def periods_due(
    frequency: Frequency | str,
    today: date,
    rules: CalendarRules = DEFAULT_RULES,
    *,
    lookback: int | None = None,
    reopened: Iterable[Period] = (),
) -> list[CollectionWindow]:
    """The windows of one frequency that accept data today, oldest first ("My updates").

    That is every window that is open, due soon or overdue, plus the reopened periods given
    (the caller knows which those are). lookback limits how many periods before the current
    one are searched; by default every window that could still be open is found.
    """
    frequency = Frequency(frequency)
    today = _require_date(today, "Today")
    if lookback is not None and (type(lookback) is not int or lookback < 0):
        raise CalendarError("Look back must be a whole number of periods, 0 or more")
    current = period_containing(today, frequency)
    found = {
        window.period: window
        for window in (window_for(p, rules) for p in reopened if p.frequency is frequency)
        if window.opens <= today
    }
    # Windows move later as periods do, so both searches can stop at the first miss.
    period, steps = current, 0
    while (window := window_for(period, rules)).closes >= today:
        if window.opens <= today:
            found[period] = window
        if lookback is not None and steps >= lookback:
            break
        period, steps = period.previous(), steps + 1
    period = current.next()
    while (window := window_for(period, rules)).opens <= today:
        found[period] = window
        period = period.next()
    return sorted(found.values())


def reminder_dates(
    window: CollectionWindow, rules: CalendarRules = DEFAULT_RULES
) -> dict[str, date]:
    """When to remind data owners: as the window turns due soon, and the day it is overdue."""
    return {
        "before_due": due_soon_from(window, rules),
        "overdue": rules.working_days_after(window.due, 1),
    }
