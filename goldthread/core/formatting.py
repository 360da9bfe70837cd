"""How figures are written on pages, in reports and in exports: one place, so they agree."""

from __future__ import annotations

import math

_SUFFIX = {"percent": "%", "days": " days"}


def format_value(value: float | None, unit: str, decimals: int, *, missing: str = "No data") -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return missing
    text = f"{abs(value):,.{decimals}f}"
    sign = "-" if value < 0 and float(text.replace(",", "")) != 0 else ""
    if unit == "currency":
        return f"{sign}£{text}"
    return f"{sign}{text}{_SUFFIX.get(unit, '')}"
