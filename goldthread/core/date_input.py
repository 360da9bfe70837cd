"""One GOV.UK date input (day, month and year boxes) for every form.

`read_date` turns the three boxes into a date or one message in the GOV.UK design system's
wording ("Enter the date the action is due", "The date the action is due must include a
month", "... must be a real date", "... must be in the future"), naming which date it is.
`date_input_params` builds the `govukDateInput` arguments, so every page shows the boxes, the
hint and the error class the same way; `core/_date_input.html` renders them.

Each form keeps its own HTML names: `sep` is "_" for `due_on_day` and "-" for `due_on-day`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Literal

PARTS = ("day", "month", "year")
WIDTHS = {"day": 2, "month": 2, "year": 4}
# Years outside this range are almost always typing mistakes (202, 20266), not real dates.
EARLIEST_YEAR, LATEST_YEAR = 1900, 2999

When = Literal["any", "past", "future", "today_or_past", "today_or_future"]


@dataclass(frozen=True)
class DateReading:
    """What three boxes said: a date, or a message and the boxes to mark as wrong."""

    value: dt.date | None = None
    message: str = ""
    wrong: tuple[str, ...] = ()


def read_date(
    parts: tuple[str, str, str],
    label: str,
    *,
    required: bool = True,
    when: When = "any",
    today: dt.date | None = None,
) -> DateReading:
    """Read day, month and year boxes. `label` names the date, like "the date the action is due"."""
    day, month, year = (str(p or "").strip() for p in parts)
    boxes = {"day": day, "month": month, "year": year}
    if not any(boxes.values()):
        return DateReading(message=f"Enter {label}") if required else DateReading()
    missing = tuple(p for p in PARTS if not boxes[p])
    if missing:
        words = " and ".join(missing) if len(missing) == 2 else missing[0]
        return DateReading(message=f"{_capital(label)} must include a {words}", wrong=missing)
    found = _real(boxes)
    if isinstance(found, DateReading):
        return DateReading(message=f"{_capital(label)}{found.message}", wrong=found.wrong)
    return _check_when(found, label, when, today or dt.date.today())


def _real(boxes: dict[str, str]) -> dt.date | DateReading:
    if not all(boxes[p].isdigit() for p in PARTS):
        return DateReading(message=" must be a real date", wrong=PARTS)
    if len(boxes["year"]) != 4:
        return DateReading(message=" must include a year with 4 numbers", wrong=("year",))
    day, month, year = (int(boxes[p]) for p in PARTS)
    if not EARLIEST_YEAR <= year <= LATEST_YEAR:
        return DateReading(message=" must be a real date", wrong=("year",))
    try:
        return dt.date(year, month, day)
    except ValueError:
        wrong = ("month",) if not 1 <= month <= 12 else ("day",)
        return DateReading(message=" must be a real date", wrong=wrong)


_WHEN_MESSAGES = {
    "past": ("must be in the past", lambda d, t: d < t),
    "future": ("must be in the future", lambda d, t: d > t),
    "today_or_past": ("must be today or in the past", lambda d, t: d <= t),
    "today_or_future": ("must be today or in the future", lambda d, t: d >= t),
}


def _check_when(found: dt.date, label: str, when: When, today: dt.date) -> DateReading:
    if when == "any":
        return DateReading(value=found)
    words, ok = _WHEN_MESSAGES[when]
    if ok(found, today):
        return DateReading(value=found)
    return DateReading(message=f"{_capital(label)} {words}", wrong=PARTS)


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def date_input_params(
    name: str,
    legend: str,
    values: dict[str, str],
    *,
    hint: str = "For example, 27 3 2027",
    error: str = "",
    wrong: tuple[str, ...] = (),
    sep: str = "_",
    id_prefix: str = "id_",
) -> dict[str, Any]:
    """The `govukDateInput` arguments; the first box's id is what the error summary links to."""
    marked = wrong or (PARTS if error else ())
    items = [
        {
            "id": f"{id_prefix}{name}{sep}{part}",
            "name": f"{name}{sep}{part}",
            "label": part.capitalize(),
            "classes": f"govuk-input--width-{WIDTHS[part]}"
            + (" govuk-input--error" if part in marked else ""),
            "value": values.get(part, ""),
        }
        for part in PARTS
    ]
    return {
        "id": name,
        "fieldset": {"legend": {"text": legend, "classes": "govuk-fieldset__legend--s"}},
        "hint": {"text": hint} if hint else None,
        "errorMessage": {"text": error} if error else None,
        "items": items,
    }


def first_box_id(name: str, *, sep: str = "_", id_prefix: str = "id_") -> str:
    """The id the error summary links to: the day box, where the eye starts reading the date."""
    return f"{id_prefix}{name}{sep}day"
