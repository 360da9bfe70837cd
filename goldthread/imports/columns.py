"""The columns of an import file, and how a heading typed by a person is matched to one."""

from __future__ import annotations

import re

INDICATOR_CODE = "indicator_code"
PERIOD = "period"
AREA_CODE = "area_code"
VALUE = "value"
NUMERATOR = "numerator"
DENOMINATOR = "denominator"
COMMENTARY = "commentary"

COLUMNS = (INDICATOR_CODE, PERIOD, AREA_CODE, VALUE, NUMERATOR, DENOMINATOR, COMMENTARY)
HEADER_LINE = ",".join(COLUMNS)
# The headings as a sentence lists them, for messages.
HEADINGS = ", ".join(COLUMNS)

_SEPARATORS = re.compile(r"[\s\-]+")


def normalise_heading(text: str) -> str:
    """'  Indicator Code ' and '\\ufeffindicator-code' both become 'indicator_code'."""
    return _SEPARATORS.sub("_", text.replace("\ufeff", "").strip().lower())


def column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA: how a spreadsheet names a column without a heading."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters
