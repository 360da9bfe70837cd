"""Financial-year periods: months, quarters and years as UK councils count them.

The rules, in plain English:

- A financial year runs from 1 April to 31 March and is labelled by both calendar years it
  touches, "2025/26". We store it as its first calendar year (2025).
- Quarter 1 is April to June, quarter 2 July to September, quarter 3 October to December and
  quarter 4 January to March (which falls in the second calendar year).
- Months are numbered in financial-year order: April is month 1 and March is month 12.
- A moment in time belongs to the period that contains its date *in UK local time*
  (Europe/London, so British Summer Time counts). 23:30 UTC on 31 March 2025 is 00:30 on
  1 April in London, so it belongs to 2025/26. A date or a datetime without a time zone is
  taken to be UK local already.
- Every period has a machine key that never changes: "2025/26" for a year, "2025/26 Q2" for
  a quarter and "2025-10" (calendar year and month) for a month.

Periods of the same frequency sort chronologically. Periods of different frequencies are
not comparable in any meaningful way: they sort by frequency name first.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from zoneinfo import ZoneInfo

UK_TIME = ZoneInfo("Europe/London")

# Bounded so that every key has a four-digit year and every end date is a valid date.
MIN_YEAR = 1000
MAX_YEAR = 9998

MONTH_NAMES = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)

_EXPECTED = (
    "expected a financial year like 2025/26, a quarter like 2025/26 Q2 or a month like 2025-10"
)


class PeriodError(ValueError):
    """A period that does not exist or text that does not name one."""


class Frequency(StrEnum):
    MONTHLY = "monthly"
    QUARTERLY = "quarterly"
    ANNUAL = "annual"

    @property
    def periods_per_year(self) -> int:
        return 12 // self.months_per_period

    @property
    def months_per_period(self) -> int:
        return {"monthly": 1, "quarterly": 3, "annual": 12}[self.value]


def financial_year_label(year: int) -> str:
    """'2025/26' for 2025; the second part wraps at the century (1999/00, 2099/00)."""
    return f"{year:04d}/{(year + 1) % 100:02d}"


def financial_year_of(d: date) -> int:
    """The first calendar year of the financial year that contains the date."""
    return d.year if d.month >= 4 else d.year - 1


def _calendar_month(year: int, fy_month: int) -> tuple[int, int]:
    """(calendar year, calendar month) of financial-year month 1..12 (April = 1)."""
    return (year if fy_month <= 9 else year + 1), (fy_month + 2) % 12 + 1


@dataclass(frozen=True, order=True)
class Period:
    """One month, quarter or financial year. Immutable, hashable and ordered."""

    frequency: Frequency
    year: int
    number: int = 1

    def __post_init__(self) -> None:
        try:
            object.__setattr__(self, "frequency", Frequency(self.frequency))
        except ValueError:
            raise PeriodError(f'"{self.frequency}" is not a frequency') from None
        if type(self.year) is not int or not MIN_YEAR <= self.year <= MAX_YEAR:
            raise PeriodError(f"Year must be a whole number from {MIN_YEAR} to {MAX_YEAR}")
        per_year = self.frequency.periods_per_year
        if type(self.number) is not int or not 1 <= self.number <= per_year:
            raise PeriodError(f"A {self.frequency} period number must be 1 to {per_year}")

    def __str__(self) -> str:
        return self.key

    # Months of the financial year (1..12) that this period covers.
    @property
    def _first_fy_month(self) -> int:
        return (self.number - 1) * self.frequency.months_per_period + 1

    @property
    def _last_fy_month(self) -> int:
        return self.number * self.frequency.months_per_period

    @property
    def financial_year_label(self) -> str:
        return financial_year_label(self.year)

    @property
    def key(self) -> str:
        if self.frequency is Frequency.MONTHLY:
            cal_year, month = _calendar_month(self.year, self.number)
            return f"{cal_year:04d}-{month:02d}"
        if self.frequency is Frequency.QUARTERLY:
            return f"{self.financial_year_label} Q{self.number}"
        return self.financial_year_label

    @property
    def label(self) -> str:
        if self.frequency is Frequency.MONTHLY:
            return _month_year(self.start)
        if self.frequency is Frequency.QUARTERLY:
            return f"Q{self.number} {self.financial_year_label}"
        return self.financial_year_label

    @property
    def long_label(self) -> str:
        span = f"{_month_year(self.start)} to {_month_year(self.end)}"
        if self.frequency is Frequency.MONTHLY:
            return f"{self.label} (month {self.number} of {self.financial_year_label})"
        if self.frequency is Frequency.QUARTERLY:
            first = MONTH_NAMES[self.start.month - 1]
            return f"Quarter {self.number}, {first} to {_month_year(self.end)}"
        return f"Financial year {self.financial_year_label} ({span})"

    @property
    def start(self) -> date:
        cal_year, month = _calendar_month(self.year, self._first_fy_month)
        return date(cal_year, month, 1)

    @property
    def end(self) -> date:
        cal_year, month = _calendar_month(self.year, self._last_fy_month)
        return date(cal_year, month, calendar.monthrange(cal_year, month)[1])

    @property
    def index_in_year(self) -> int:
        return self.number - 1

    @property
    def ordinal(self) -> int:
        """Counts periods of this frequency: consecutive periods differ by exactly 1."""
        return self.year * self.frequency.periods_per_year + self.index_in_year

    @classmethod
    def from_ordinal(cls, frequency: Frequency | str, ordinal: int) -> Period:
        frequency = Frequency(frequency)
        year, index = divmod(ordinal, frequency.periods_per_year)
        return cls(frequency, year, index + 1)

    def shift(self, n: int) -> Period:
        return Period.from_ordinal(self.frequency, self.ordinal + n)

    def previous(self) -> Period:
        return self.shift(-1)

    def next(self) -> Period:
        return self.shift(1)

    def same_period_last_year(self) -> Period:
        return Period(self.frequency, self.year - 1, self.number)

    def year_end(self) -> Period:
        """The final period of this financial year, at this frequency."""
        return Period(self.frequency, self.year, self.frequency.periods_per_year)

    def last_year_end(self) -> Period:
        """The final period of the previous financial year, at this frequency."""
        return Period(self.frequency, self.year - 1, self.frequency.periods_per_year)

    def periods_in_year(self) -> list[Period]:
        per_year = self.frequency.periods_per_year
        return [Period(self.frequency, self.year, n) for n in range(1, per_year + 1)]

    def contains(self, moment: date | datetime) -> bool:
        return self.start <= uk_local_date(moment) <= self.end

    def to_frequency(self, frequency: Frequency | str) -> Period:
        """The coarser (or same) period that contains this one: a month's quarter or year."""
        frequency = Frequency(frequency)
        if frequency.months_per_period < self.frequency.months_per_period:
            raise ValueError(
                f"Cannot turn a {self.frequency} period into a {frequency} one: "
                "a period can only be placed in a longer one"
            )
        number = (self._first_fy_month - 1) // frequency.months_per_period + 1
        return Period(frequency, self.year, number)


def _month_year(d: date) -> str:
    return f"{MONTH_NAMES[d.month - 1]} {d.year}"


def uk_local_date(moment: date | datetime) -> date:
    """The calendar date in the UK. Naive datetimes are taken to be UK local time already."""
    if isinstance(moment, datetime):
        if moment.tzinfo is not None and moment.utcoffset() is not None:
            moment = moment.astimezone(UK_TIME)
        return moment.date()
    if isinstance(moment, date):
        return moment
    raise TypeError(f"Expected a date or datetime, not {type(moment).__name__}")


def period_containing(moment: date | datetime, frequency: Frequency | str) -> Period:
    d = uk_local_date(moment)
    year = financial_year_of(d)
    month_period = Period(Frequency.MONTHLY, year, (d.month - 4) % 12 + 1)
    return month_period.to_frequency(frequency)


def period_range(first: Period, last: Period) -> list[Period]:
    """Every period from first to last inclusive; empty when last is before first."""
    count = periods_between(first, last)
    return [first.shift(n) for n in range(count + 1)]


def periods_between(first: Period, last: Period) -> int:
    """How many steps from first to last: the n for which first.shift(n) == last."""
    if first.frequency != last.frequency:
        raise ValueError(f"Cannot count between a {first.frequency} and a {last.frequency} period")
    return last.ordinal - first.ordinal


# --- Parsing ----------------------------------------------------------------------------

_QUARTER_KEY = re.compile(r"(?P<fy>\d{4}\s*[/-]\s*\d{2,4})\s*q\s*(?P<q>\d+)")
_QUARTER_LABEL = re.compile(r"q\s*(?P<q>\d+)\s+(?P<fy>\d{4}\s*[/-]\s*\d{2,4})")
_YEAR = re.compile(r"(?P<first>\d{4})\s*(?P<sep>[/-])\s*(?P<second>\d{2}|\d{4})")
_MONTH = re.compile(r"(?P<year>\d{4})\s*-\s*(?P<month>\d{1,2})")


def parse_period(text: str) -> Period:
    """Read a period key: "2025/26", "2025-26", "2025/2026", "2025/26 Q2" or "2025-10".

    "YYYY-NN" is ambiguous for a few years (is "2011-12" December 2011 or 2011/12?). The
    canonical month key wins: a dash followed by 01 to 12 is always a month.
    """
    if not isinstance(text, str):
        raise TypeError(f"Expected text, not {type(text).__name__}")
    clean = " ".join(text.split()).lower()
    if match := _QUARTER_KEY.fullmatch(clean) or _QUARTER_LABEL.fullmatch(clean):
        return _parse_quarter(text, match["fy"], match["q"])
    if match := _MONTH.fullmatch(clean):
        return _parse_dashed(text, match["year"], match["month"])
    if match := _YEAR.fullmatch(clean):
        return Period(Frequency.ANNUAL, _parse_financial_year(text, clean))
    raise PeriodError(f'Period "{text}" is not valid: {_EXPECTED}')


def _parse_quarter(text: str, fy_text: str, quarter_text: str) -> Period:
    year = _parse_financial_year(text, fy_text)
    quarter = int(quarter_text)
    if not 1 <= quarter <= 4:
        raise PeriodError(
            f'Period "{text}" is not valid: the quarter must be 1 to 4, '
            f"as in {financial_year_label(year)} Q2"
        )
    return Period(Frequency.QUARTERLY, year, quarter)


def _parse_dashed(text: str, year_text: str, second_text: str) -> Period:
    year, second = int(year_text), int(second_text)
    if not MIN_YEAR < year <= MAX_YEAR:
        raise PeriodError(f'Period "{text}" is not valid: the year is out of range')
    if 1 <= second <= 12:
        return period_containing(date(year, second, 1), Frequency.MONTHLY)
    if len(second_text) == 2 and second == (year + 1) % 100:
        return Period(Frequency.ANNUAL, year)
    raise PeriodError(
        f'Period "{text}" is not valid: expected a month from 01 to 12, as in {year}-10, '
        f"or a financial year, as in {year}-{(year + 1) % 100:02d}"
    )


def _parse_financial_year(text: str, fy_text: str) -> int:
    match = _YEAR.fullmatch(fy_text.strip())
    if match is None:
        raise PeriodError(f'Period "{text}" is not valid: {_EXPECTED}')
    first, second = int(match["first"]), match["second"]
    expected = first + 1 if len(second) == 4 else (first + 1) % 100
    if int(second) != expected:
        raise PeriodError(
            f'Period "{text}" is not valid: the second year must follow the first, '
            f"as in {financial_year_label(first)}"
        )
    if not MIN_YEAR <= first <= MAX_YEAR:
        raise PeriodError(f'Period "{text}" is not valid: the year is out of range')
    return first
