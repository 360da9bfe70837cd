"""Numbers as people type them: accept plain decimals only, and say how to fix the rest.

A figure must be written like 1234, -5 or 45.5. Anything else is refused, because every
"helpful" guess (is "1,5" one and a half or fifteen? is "45%" 45 or 0.45?) is a way to store a
wrong figure without anyone noticing. The refusal says exactly what to write instead.
"""

from __future__ import annotations

import math
import re
from decimal import Decimal, InvalidOperation

from goldthread.imports.problems import join_words, quote


def is_plain(text: str) -> bool:
    """The only accepted shape: an optional minus sign, digits, and an optional decimal part.

    Exactly what fullmatching -?(?:\\d+(?:\\.\\d*)?|\\.\\d+) accepts (isdecimal is \\d), in
    about half the time: it runs for every figure of a file.
    """
    digits = text[1:] if text[:1] == "-" else text
    return digits.replace(".", "", 1).isdecimal()


ENTER_A_NUMBER = "Enter a number, like 45.5."

_NOT_NUMBERS = {"nan", "-nan", "+nan", "inf", "-inf", "+inf", "infinity", "-infinity"}
_NO_FIGURE = {"n/a", "na", "-", "--", "..", ".", "x", "*", "null", "none", "tbc", "?", "nil"}
_DASHES = "\u2212\u2013\u2014"  # minus sign, en dash, em dash
_SPACES = re.compile(r"[ \u00a0\u202f\u2009']")
_SCIENTIFIC = re.compile(r"-?(?:\d+\.?\d*|\.\d+)e[+-]?\d{1,4}")
_DECORATED = re.compile(
    r"(?P<sign>-?)(?P<currency>[£$€]?)(?P<sign2>-?)"
    r"(?P<digits>[\d,. \u00a0\u202f\u2009']*\d[\d,. \u00a0\u202f\u2009']*?)"
    r"\s*(?P<suffix>%|k|m|bn|thousand|million|billion|)"
)
_THOUSANDS = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?")
_SPACED_THOUSANDS = re.compile(r"\d{1,3}(?:[ \u00a0\u202f\u2009']\d{3})+(?:\.\d+)?")
_DECIMAL_COMMA = re.compile(r"\d+,\d+")
_MULTIPLIERS = {
    "k": 1000,
    "thousand": 1000,
    "m": 1_000_000,
    "million": 1_000_000,
    "bn": 1_000_000_000,
    "billion": 1_000_000_000,
}
_SUFFIX_WORDS = {
    "%": "a % sign",
    "k": '"k" for thousand',
    "thousand": 'the word "thousand"',
    "m": '"m" for million',
    "million": 'the word "million"',
    "bn": '"bn" for billion',
    "billion": 'the word "billion"',
}


class NumberError(ValueError):
    """Text that is not a plain number. The message says what to write instead."""


def parse_number(text: str) -> float:
    """Read a plain decimal (already stripped of surrounding spaces) or raise NumberError."""
    if is_plain(text):
        number = float(text)
        if math.isinf(number):
            raise NumberError("This number is too big. Check the figure.")
        return number
    raise NumberError(explain(text))


def decimal_places(text: str) -> int:
    """How many digits follow the decimal point in a plain number."""
    point = text.find(".")
    return 0 if point < 0 else len(text) - point - 1


def explain(text: str) -> str:
    """Why `text` is not a plain number, and what to write instead."""
    hint = _hint(text)
    return f"{ENTER_A_NUMBER} {hint}" if hint else ENTER_A_NUMBER


def plain(number: Decimal) -> str:
    """1234.5 written out in full, never in scientific notation."""
    text = format(number, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text or "0"


def _hint(text: str) -> str:
    shown = quote(text)
    low = text.lower()
    if not text:
        return ""
    if text[0] in "=@" or (text[0] == "+" and not is_plain(text[1:])):
        return f"{shown} looks like a formula: enter the figure it works out to."
    if low in _NOT_NUMBERS:
        return f"{shown} is not a figure."
    if low in _NO_FIGURE:
        return f"{shown} is not a figure. If there is no figure yet, leave this row out."
    if text[0] == "#":
        return f"{shown} is an Excel error. Fix the calculation and enter the figure."
    if text[0] == "+" and is_plain(text[1:]):
        return f"{shown} has a + sign: write {text[1:]}."
    if text[0] in _DASHES and is_plain("-" + text[1:]):
        return (
            f"{shown} has a dash instead of a minus sign: type it with the hyphen key, "
            f"as -{text[1:]}."
        )
    if text[0] == "(" and text[-1] == ")" and is_plain(text[1:-1]):
        return f"{shown} uses brackets for a negative number: write -{text[1:-1]}."
    if _SCIENTIFIC.fullmatch(low):
        written = plain(Decimal(low))
        if len(written) > 20:
            return f"{shown} is in scientific notation: write the number in full."
        return f"{shown} is in scientific notation: write {written}."
    return _decorations_hint(text, low, shown)


def _decorations_hint(text: str, low: str, shown: str) -> str:
    match = _DECORATED.fullmatch(low.strip())
    if match is None:
        return f"{shown} is not a number."
    digits = match["digits"].strip()
    wrong: list[str] = []
    if _THOUSANDS.fullmatch(digits):
        wrong.append("commas")
        digits = digits.replace(",", "")
    elif _SPACED_THOUSANDS.fullmatch(digits):
        wrong.append("spaces")
        digits = _SPACES.sub("", digits)
    elif _DECIMAL_COMMA.fullmatch(digits):
        return (
            f"{shown} has a comma: use a full stop for the decimal point, "
            f"as {digits.replace(',', '.')}."
        )
    if match["currency"]:
        wrong.append(f"a {match['currency']} sign")
    suffix = match["suffix"]
    if suffix:
        wrong.append(_SUFFIX_WORDS[suffix])
    sign = "-" if (match["sign"] or match["sign2"]) else ""
    if not wrong or not is_plain(digits):
        return f"{shown} is not a number."
    try:
        number = Decimal(sign + digits) * _MULTIPLIERS.get(suffix, 1)
    except InvalidOperation:
        return f"{shown} is not a number."
    return f"{shown} has {join_words(wrong)}: write {plain(number)}."
