"""The Jinja2 environment for Django's Jinja2 template backend.

Besides Django's own loader (TEMPLATES DIRS and each app's jinja2/ folder), it
serves the govuk-frontend-jinja macros under the prefix `govuk_frontend_jinja/`,
the way the package expects, so pages can write:

    {% from "govuk_frontend_jinja/components/button/macro.html" import govukButton %}

The package keeps its templates in `govuk_frontend_jinja/templates/`, so no
directory in TEMPLATES DIRS can produce that prefix; a PrefixLoader can.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import jinja2
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from markupsafe import Markup

from goldthread.analysis.periods import MONTH_NAMES, PeriodError, parse_period

MONTHS = MONTH_NAMES


def environment(**options: Any) -> jinja2.Environment:
    options["autoescape"] = True
    options["loader"] = jinja2.ChoiceLoader(
        [
            options.get("loader") or jinja2.FileSystemLoader([]),
            jinja2.PrefixLoader(
                {"govuk_frontend_jinja": jinja2.PackageLoader("govuk_frontend_jinja")}
            ),
        ]
    )
    env = jinja2.Environment(**options)
    env.filters["period_label"] = _period_label
    env.globals.update(static=static, url=url, period_slug=_period_slug, summary_rows=summary_rows)
    env.filters.update(number=number, date=govuk_date, datetime=govuk_datetime, time=govuk_time)
    return env


def _period_label(key: str) -> str:

    try:
        return parse_period(key).label
    except PeriodError:
        return key


def _period_slug(key: str) -> str:
    from goldthread.core.periods_url import period_slug

    return period_slug(parse_period(key))


def url(viewname: str, *args: Any, **kwargs: Any) -> str:
    """`url("indicators:detail", code)` or `url("indicators:detail", code=code)`."""
    return reverse(viewname, args=args or None, kwargs=kwargs or None)


def summary_rows(pairs: Any) -> list[dict[str, Any]]:
    """Rows for govukSummaryList from (key, value) or (key, value, action) tuples.

    action is {"href", "text", "visuallyHiddenText"}. Markup values are kept as
    HTML; anything else is escaped as text by the macro.
    """
    rows = []
    for key, value, *action in pairs:
        content = {"html": value} if isinstance(value, Markup) else {"text": _text(value)}
        row: dict[str, Any] = {"key": {"text": key}, "value": content}
        if action and action[0]:
            row["actions"] = {"items": [action[0]]}
        rows.append(row)
    return rows


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def number(value: Any, decimals: int | None = None, none: str = "") -> str:
    """Thousands separators: 12345.6 -> "12,345.6"; with decimals=0 -> "12,346".

    `none` is what a missing value shows, so a template can say "No data" instead.
    """
    if value is None or value == "":
        return none
    if isinstance(value, str):
        value = Decimal(value)
    if decimals is None:
        return f"{value:,}"
    return f"{value:,.{decimals}f}"


def govuk_date(value: dt.date | dt.datetime | None, none: str = "") -> str:
    """GOV.UK style: "23 November 2026" (no leading zero, no ordinal, no weekday)."""
    if value is None:
        return none
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}"


def govuk_time(value: dt.datetime | dt.time | None, none: str = "") -> str:
    """GOV.UK style: "9am", "2:15pm", "midday", "midnight"."""
    if value is None:
        return none
    if (value.hour, value.minute) == (0, 0):
        return "midnight"
    if (value.hour, value.minute) == (12, 0):
        return "midday"
    hour = value.hour % 12 or 12
    suffix = "am" if value.hour < 12 else "pm"
    minutes = f":{value.minute:02d}" if value.minute else ""
    return f"{hour}{minutes}{suffix}"


def govuk_datetime(value: dt.datetime | None, none: str = "") -> str:
    """GOV.UK style: "23 November 2026 at 2:15pm", in the current time zone."""
    if value is None:
        return none
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return f"{govuk_date(value)} at {govuk_time(value)}"
