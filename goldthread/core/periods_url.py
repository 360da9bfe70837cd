"""Periods in web addresses: keys like "2025/26 Q2" hold a slash and a space, so URLs use slugs.

Annual "fy2025-26", quarter "fy2025-26-q2", month "2025-10". The "fy" prefix keeps a financial
year apart from a month: "2011-12" alone would be December 2011.
"""

from __future__ import annotations

import re

from django.http import Http404

from goldthread.analysis.periods import Frequency, Period, PeriodError, parse_period

_ANNUAL = re.compile(r"^fy(\d{4})-(\d{2})$")
_QUARTER = re.compile(r"^fy(\d{4})-(\d{2})-q([1-4])$")


def period_slug(period: Period) -> str:
    if period.frequency == Frequency.MONTHLY:
        return period.key
    base = f"fy{period.year}-{(period.year + 1) % 100:02d}"
    return base if period.frequency == Frequency.ANNUAL else f"{base}-q{period.number}"


def period_from_slug(slug: str) -> Period:
    """The period a slug names, or 404 for anything malformed."""
    try:
        if match := _QUARTER.match(slug):
            return parse_period(f"{match[1]}/{match[2]} Q{match[3]}")
        if match := _ANNUAL.match(slug):
            return parse_period(f"{match[1]}/{match[2]}")
        if re.fullmatch(r"\d{4}-\d{2}", slug):
            return parse_period(slug)
    except PeriodError as error:
        raise Http404(str(error)) from error
    raise Http404("That is not a period")
