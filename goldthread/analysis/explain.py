"""Plain-English explanations of a judgement, built only from its facts.

The sentences follow the GOV.UK style guide: sentence case, words for one to nine, no jargon
left unexplained. Control limits become "the usual range" and the centre line "the average",
as NHS "Making Data Count" (MDC) explains them to boards. The MDC names "special cause" and
"common cause" stay because performance teams use them, but each comes with its plain meaning.

Values arrive as they are displayed: a rate of 55% is ``55.0``, not ``0.55``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

Formatter = Callable[[float], str]

_WORDS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")


@dataclass(frozen=True)
class ForecastFacts:
    value: float
    low: float | None = None
    high: float | None = None
    probability: float | None = None  # of meeting the year-end target, 0-1
    meets_target: bool | None = None  # None when there is no target to meet


@dataclass(frozen=True)
class JudgementFacts:
    rag: str  # green, amber, red, no_data, no_target, context
    periods_in_current_status: int = 1
    period_noun: str = "month"  # month, quarter, year
    value: float | None = None
    target: float | None = None
    unit: str | Formatter = "number"  # "%", "£", "number", "days" or a callable
    decimals: int = 0
    polarity: str = "higher"  # higher, lower, band, none
    band: tuple[float, float] | None = None  # the target range when polarity is band
    direction: str = "not_comparable"  # improving, worsening, no_change, not_comparable
    forecast: ForecastFacts | None = None
    year_end_target: float | None = None  # defaults to target
    spc_label: str | None = None  # MDC point label, e.g. "7 Points Below CL"
    variation_icon: str | None = None  # MDC icon, e.g. "concern_low"
    assurance: str | None = None  # consistent_pass, consistent_fail, inconsistent


def explain(facts: JudgementFacts) -> str:
    """One short sentence per fact that is known, most important first."""
    sentences = [
        _status_sentence(facts),
        _forecast_sentence(facts),
        _variation_sentence(facts),
        _assurance_sentence(facts),
    ]
    return " ".join(s for s in sentences if s)


def number_word(n: int) -> str:
    return _WORDS[n] if 0 <= n < 10 else f"{n:,}"


def format_value(value: float, unit: str | Formatter, decimals: int = 0) -> str:
    if callable(unit):
        return unit(value)
    number = f"{value:,.{decimals}f}"
    if unit == "%":
        return f"{number}%"
    if unit == "£":
        return f"-£{number[1:]}" if value < 0 else f"£{number}"
    if unit == "days":
        return f"{number} day" if number == "1" else f"{number} days"
    return number


def _fmt(facts: JudgementFacts, value: float) -> str:
    return format_value(value, facts.unit, facts.decimals)


def _periods(n: int, noun: str) -> str:
    return f"{number_word(n)} {noun}{'' if n == 1 else 's'}"


# --- status -------------------------------------------------------------------------------


def _status_sentence(facts: JudgementFacts) -> str:
    if facts.rag == "no_data":
        return f"No data for the latest {facts.period_noun}."
    if facts.rag in ("no_target", "context"):
        return _untargeted_sentence(facts)
    words = _status_words(facts.rag, facts.polarity) + _duration(facts)
    words += _direction_words(facts)
    return f"{words}{_against_target(facts)}."


def _status_words(rag: str, polarity: str) -> str:
    if rag == "green":
        return "On target"
    side = {"higher": "below target", "lower": "above target"}.get(
        polarity, "outside the target range"
    )
    return f"Slightly {side}" if rag == "amber" else side.capitalize()


def _duration(facts: JudgementFacts) -> str:
    n = facts.periods_in_current_status
    if n <= 0:
        return ""
    if n == 1:
        return f" this {facts.period_noun}"
    return f" for {_periods(n, facts.period_noun)}"


def _direction_words(facts: JudgementFacts) -> str:
    return {
        "improving": " and improving",
        "worsening": " and getting worse",
        "no_change": f", no change since last {facts.period_noun}",
    }.get(facts.direction, "")


def _against_target(facts: JudgementFacts) -> str:
    if facts.value is None:
        return ""
    if facts.polarity == "band" and facts.band is not None:
        low, high = (_fmt(facts, b) for b in facts.band)
        return f" ({_fmt(facts, facts.value)} against a target range of {low} to {high})"
    if facts.target is None:
        return f" ({_fmt(facts, facts.value)})"
    return f" ({_fmt(facts, facts.value)} against a target of {_fmt(facts, facts.target)})"


def _untargeted_sentence(facts: JudgementFacts) -> str:
    opening = "No target set" if facts.rag == "no_target" else "Context indicator with no target"
    if facts.value is None:
        return f"{opening}."
    change = {
        "improving": ", improving",
        "worsening": ", getting worse",
        "no_change": f", no change since last {facts.period_noun}",
    }.get(facts.direction, "")
    return f"{opening}: latest value {_fmt(facts, facts.value)}{change}."


# --- forecast -----------------------------------------------------------------------------


def _forecast_sentence(facts: JudgementFacts) -> str:
    f = facts.forecast
    if f is None:
        return ""
    detail = f"forecast {_fmt(facts, f.value)}" + _range_words(facts, f)
    goal = _year_end_goal(facts)
    if f.meets_target is None or goal is None:
        return f"Year-end {detail}."
    verb = "meet" if f.meets_target else "miss"
    return f"Forecast to {verb} the year-end {goal} ({detail}{_chance_words(f)})."


def _range_words(facts: JudgementFacts, f: ForecastFacts) -> str:
    if f.low is None or f.high is None:
        return ""
    return f", likely range {_fmt(facts, f.low)} to {_fmt(facts, f.high)}"


def _year_end_goal(facts: JudgementFacts) -> str | None:
    if facts.polarity == "band" and facts.band is not None:
        low, high = (_fmt(facts, b) for b in facts.band)
        return f"target range of {low} to {high}"
    target = facts.year_end_target if facts.year_end_target is not None else facts.target
    return None if target is None else f"target of {_fmt(facts, target)}"


def _chance_words(f: ForecastFacts) -> str:
    """Chances in tenths: "3 in 10" is read correctly more often than "30%" beside a rate."""
    if f.probability is None:
        return ""
    tenths = round(f.probability * 10)
    if tenths <= 0:
        return ", less than a 1 in 10 chance of meeting it"
    if tenths >= 10:
        return ", more than a 9 in 10 chance of meeting it"
    return f", about a {tenths} in 10 chance of meeting it"


# --- SPC variation and assurance ---------------------------------------------------------

_VARIATION_OPENINGS = {
    "concern": "Special cause for concern (an unusual change, not chance)",
    "improvement": "Special cause for improvement (an unusual change, not chance)",
    "neutral": "Special cause variation (an unusual change, not chance)",
}


def _variation_sentence(facts: JudgementFacts) -> str:
    icon = facts.variation_icon
    if icon is None and facts.spc_label is None:
        return ""
    if icon == "common_cause" or facts.spc_label == "Common Cause":
        return "Only common cause variation: the changes are within the usual range."
    kind = (icon or "neutral").split("_")[0]
    opening = _VARIATION_OPENINGS.get(kind, _VARIATION_OPENINGS["neutral"])
    detail = _label_words(facts.spc_label or "", facts.period_noun)
    return f"{opening}: {detail}." if detail else f"{opening}."


def _label_words(label: str, noun: str) -> str:
    if label == "Above UCL":
        return f"the latest {noun} is above the usual range"
    if label == "Below LCL":
        return f"the latest {noun} is below the usual range"
    if m := re.fullmatch(r"(\d+) Points? (Above|Below) CL", label):
        n, side = int(m[1]), m[2].lower()
        return f"{_periods(n, noun)} in a row {side} the average"
    if m := re.fullmatch(r"(\d+) Point Trend \((Increasing|Decreasing)\)", label):
        n, way = int(m[1]), "rising" if m[2] == "Increasing" else "falling"
        return f"{_periods(n, noun)} in a row {way}"
    if m := re.fullmatch(r"(\d+) (?:in|of) (\d+) (Above|Below) CL", label):
        k, n = number_word(int(m[1])), number_word(int(m[2]))
        edge = "top" if m[3] == "Above" else "bottom"
        return f"{k} of the last {n} {noun}s near the {edge} of the usual range"
    return ""


_ASSURANCE = {
    "consistent_pass": "If nothing changes, it will meet the target every time.",
    "consistent_fail": "If nothing changes, it will keep missing the target.",
    "inconsistent": "It will meet the target some of the time and miss it at other times, "
    "by chance alone.",
}


def _assurance_sentence(facts: JudgementFacts) -> str:
    return _ASSURANCE.get(facts.assurance or "", "")
