"""RAG status and direction of travel: how Goldthread judges a value.

These rules are shown to users, so they are written for them.

RAG status (red, amber, green)
------------------------------
An indicator's value for a period is judged against its target for that period, in this order:

1. A context indicator, or one whose polarity is "none", gets no RAG: "Context only".
2. A missing value gets "No data".
3. A missing target gets "No target". A "nearest a band" indicator needs both ends of its
   band; if it has a single target instead, that target is the band (from target to target).
4. If the indicator has a number of decimal places, the value, the target and the band are
   first rounded to that many places, half away from zero (2.5 becomes 3, 2.675 becomes
   2.68), so the status always agrees with the numbers people see. Use `round_half_up` to
   display them.
5. The target says what "good enough" is:
   - higher is better: green when the value is at or above the target;
   - lower is better: green when the value is at or below the target;
   - nearest a band: green when the value is inside the band, ends included.
6. A value that misses by no more than the tolerance is amber ("Near target"); further away
   it is red ("Off target"). Missing by exactly the tolerance is amber.
   - An absolute tolerance is in the indicator's own units: 2 means 2 points.
   - A percentage tolerance is a percentage of the size of the target that was missed: 5% of
     a target of 80 (or of -80) is 4. For a band it is a percentage of the end of the band
     that the value fell beyond. A target of zero therefore has no amber with a percentage
     tolerance: use an absolute tolerance for such indicators.
   - A tolerance of 0 means there is no amber: on target or off it.
   - With no tolerance given, the council's default from the judgement rules is used.
7. Numbers that differ only by computer rounding noise (less than one part in a billion)
   count as equal, so 0.1 + 0.2 is on a target of 0.3.

Direction of travel
-------------------
A value is compared with an earlier one (the previous period, the same period last year or
the last year end). Both are rounded as above first.

- Either value missing: "Not comparable".
- A change no bigger than the council's direction threshold counts as "No change".
- Higher is better: up is improving. Lower is better: down is improving.
- Nearest a band: moving closer to the band is improving. Every value inside the band is
  equally good, so moving about inside it is "No change".
- Polarity "none" (or a band indicator with no band) has no better or worse, so the result
  says only which way the number moved: "Increased" or "Decreased".

The arrow word describes performance, not the number: an improving lower-is-better indicator
has the arrow "up" although its value went down.

Single values and arrays
------------------------
`rag` and `direction` judge one value. `rag_batch` and `direction_batch` judge numpy arrays
(NaN means missing) and give exactly the same answers; `rag_codes` and `direction_codes`
return small integer codes (index into `RAG_ORDER` and `DIRECTION_ORDER`) for storage or
further numpy work.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from enum import StrEnum
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

# Relative size below which two numbers are treated as equal (floating-point noise).
_NOISE = 1e-9


class Polarity(StrEnum):
    HIGHER = "higher"
    LOWER = "lower"
    BAND = "band"
    NONE = "none"

    @property
    def label(self) -> str:
        return _POLARITY_LABELS[self]


_POLARITY_LABELS = {
    Polarity.HIGHER: "Higher is better",
    Polarity.LOWER: "Lower is better",
    Polarity.BAND: "Nearest a target band is best",
    Polarity.NONE: "No better or worse (context)",
}


class Rag(StrEnum):
    GREEN = "green"
    AMBER = "amber"
    RED = "red"
    NO_DATA = "no_data"
    NO_TARGET = "no_target"
    CONTEXT = "context"

    @property
    def label(self) -> str:
        return _RAG_LABELS[self]

    @property
    def code(self) -> int:
        return RAG_ORDER.index(self)


_RAG_LABELS = {
    Rag.GREEN: "On target",
    Rag.AMBER: "Near target",
    Rag.RED: "Off target",
    Rag.NO_DATA: "No data",
    Rag.NO_TARGET: "No target",
    Rag.CONTEXT: "Context only",
}
RAG_ORDER: tuple[Rag, ...] = tuple(Rag)


class Direction(StrEnum):
    IMPROVING = "improving"
    WORSENING = "worsening"
    NO_CHANGE = "no_change"
    NOT_COMPARABLE = "not_comparable"
    INCREASED = "increased"
    DECREASED = "decreased"

    @property
    def label(self) -> str:
        return _DIRECTION_LABELS[self][0]

    @property
    def arrow(self) -> str:
        """A word for the arrow, for screen readers: "up", "down", "level" or "none"."""
        return _DIRECTION_LABELS[self][1]

    @property
    def code(self) -> int:
        return DIRECTION_ORDER.index(self)


_DIRECTION_LABELS = {
    Direction.IMPROVING: ("Improving", "up"),
    Direction.WORSENING: ("Getting worse", "down"),
    Direction.NO_CHANGE: ("No change", "level"),
    Direction.NOT_COMPARABLE: ("Not comparable", "none"),
    Direction.INCREASED: ("Increased", "up"),
    Direction.DECREASED: ("Decreased", "down"),
}
DIRECTION_ORDER: tuple[Direction, ...] = tuple(Direction)


class ToleranceKind(StrEnum):
    ABSOLUTE = "absolute"
    PERCENT = "percent"


@dataclass(frozen=True)
class JudgementRules:
    """The council-wide thresholds that one rule version stores."""

    default_tolerance: float = 5.0
    default_tolerance_kind: ToleranceKind = ToleranceKind.PERCENT
    direction_threshold: float = 0.0

    def __post_init__(self) -> None:
        object.__setattr__(
            self, "default_tolerance_kind", ToleranceKind(self.default_tolerance_kind)
        )
        for name in ("default_tolerance", "direction_threshold"):
            value = float(getattr(self, name))
            if not math.isfinite(value) or value < 0:
                raise ValueError(f"{name} must be a number of 0 or more")
            object.__setattr__(self, name, value)

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "default_tolerance_kind": str(self.default_tolerance_kind)}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> JudgementRules:
        unknown = set(data) - set(cls.__dataclass_fields__)
        if unknown:
            raise ValueError(f"Unknown judgement rule settings: {', '.join(sorted(unknown))}")
        return cls(**data)


DEFAULT_RULES = JudgementRules()


# --- Shared arithmetic: the single and batch paths both use these, so they agree ----------


def round_half_up(x: ArrayLike, decimals: ArrayLike) -> Any:
    """Round half away from zero, as people and spreadsheets do (2.675 to 2 places is 2.68).

    The scaled number is first cleaned of binary noise (2.675 * 100 is 267.49999999999997
    in floating point), so the result matches rounding the decimal number that was written.
    """
    scale = np.power(10.0, decimals)
    scaled = np.round(np.multiply(x, scale), 6)
    # Adding 0.0 turns -0.0 into 0.0, so a rounded value never displays as "-0".
    return np.copysign(np.floor(np.abs(scaled) + 0.5), scaled) / scale + 0.0


def _noise(*xs: Any) -> Any:
    size = np.float64(1.0)
    for x in xs:
        size = np.maximum(size, np.abs(x))
    return size * _NOISE


def _at_least(a: Any, b: Any) -> Any:
    """a >= b, forgiving floating-point noise."""
    with np.errstate(invalid="ignore"):
        return a >= b - _noise(a, b)


def _tolerance_at(edge: Any, tolerance: Any, is_percent: Any) -> Any:
    """The amber width beyond one edge of the 'good enough' range."""
    with np.errstate(invalid="ignore"):
        return np.where(is_percent, np.abs(edge) * tolerance / 100.0, tolerance)


def _judge(value: Any, low: Any, high: Any, tolerance: Any, is_percent: Any) -> Any:
    """Code for green, amber or red, given the good enough range [low, high]."""
    if_below = _at_least(value, low - _tolerance_at(low, tolerance, is_percent))
    if_above = _at_least(high + _tolerance_at(high, tolerance, is_percent), value)
    inside = _at_least(value, low) & _at_least(high, value)
    near = np.where(_at_least(value, low), if_above, if_below)
    return np.where(inside, _GREEN, np.where(near, _AMBER, _RED))


_GREEN, _AMBER, _RED, _NO_DATA, _NO_TARGET, _CONTEXT = range(6)


# --- One value ---------------------------------------------------------------------------


def rag(
    value: float | None,
    target: float | None = None,
    *,
    polarity: Polarity | str,
    tolerance: float | None = None,
    tolerance_kind: ToleranceKind | str | None = None,
    band: tuple[float | None, float | None] | None = None,
    decimals: int | None = None,
    is_context: bool = False,
    rules: JudgementRules = DEFAULT_RULES,
) -> Rag:
    """The RAG status of one value. See the module docstring for the rules.

    With tolerance None the rules' default tolerance *and* its kind are used together;
    with a tolerance but no kind, the rules' default kind is used.
    """
    polarity = Polarity(polarity)
    _check_decimals(decimals)
    amount, is_percent = _tolerance(tolerance, tolerance_kind, rules)
    band = _rounded_band(band, decimals) if polarity is Polarity.BAND else None
    if is_context or polarity is Polarity.NONE:
        return Rag.CONTEXT
    value = _rounded(value, decimals)
    if value is None:
        return Rag.NO_DATA
    goal = _goal(polarity, _rounded(target, decimals), band)
    if goal is None:
        return Rag.NO_TARGET
    return RAG_ORDER[int(_judge(value, goal[0], goal[1], amount, is_percent))]


def _missing(x: float | None) -> bool:
    return x is None or not math.isfinite(x)


def _rounded(x: float | None, decimals: int | None) -> float | None:
    if _missing(x):
        return None
    return float(x) if decimals is None else float(round_half_up(float(x), decimals))


def _check_decimals(decimals: float | None) -> None:
    if decimals is not None and not (decimals >= 0 and float(decimals).is_integer()):
        raise ValueError("decimals must be a whole number of 0 or more")


def _rounded_band(band: tuple[float | None, float | None] | None, decimals: int | None):
    if band is None:
        return None
    low, high = (_rounded(edge, decimals) for edge in band)
    if low is None or high is None:
        return None
    if low > high:
        raise ValueError(f"A band must run from low to high, not {low} to {high}")
    return low, high


def _goal(polarity: Polarity, target: float | None, band: tuple[float, float] | None):
    """The 'good enough' range [low, high] as a pair, or None when there is no target."""
    if polarity is Polarity.BAND:
        if band is None and target is not None:
            return target, target
        return band
    if target is None:
        return None
    return (target, math.inf) if polarity is Polarity.HIGHER else (-math.inf, target)


def _tolerance(
    tolerance: float | None, kind: ToleranceKind | str | None, rules: JudgementRules
) -> tuple[float, bool]:
    kind = rules.default_tolerance_kind if kind in (None, "") else ToleranceKind(kind)
    if _missing(tolerance):
        return rules.default_tolerance, rules.default_tolerance_kind is ToleranceKind.PERCENT
    if tolerance < 0:
        raise ValueError("A tolerance must be 0 or more")
    return float(tolerance), kind is ToleranceKind.PERCENT


def direction(
    current: float | None,
    previous: float | None,
    *,
    polarity: Polarity | str,
    band: tuple[float | None, float | None] | None = None,
    decimals: int | None = None,
    rules: JudgementRules = DEFAULT_RULES,
) -> Direction:
    """Direction of travel from previous to current. See the module docstring for the rules."""
    polarity = Polarity(polarity)
    _check_decimals(decimals)
    band = _rounded_band(band, decimals) if polarity is Polarity.BAND else None
    current, previous = _rounded(current, decimals), _rounded(previous, decimals)
    if current is None or previous is None:
        return Direction.NOT_COMPARABLE
    judged = polarity in (Polarity.HIGHER, Polarity.LOWER) or band is not None
    low, high = band if band is not None else (math.nan, math.nan)
    code = _direction_code(current, previous, _POLARITY_CODE[polarity], low, high, judged, rules)
    return DIRECTION_ORDER[int(code)]


def _goodness(x: Any, polarity: Any, low: Any, high: Any) -> Any:
    """Bigger is better: the value, its negative, or minus its distance from the band."""
    distance = np.maximum(np.maximum(low - x, x - high), 0.0)
    is_band = polarity == _BAND
    return np.where(polarity == _LOWER, -x, np.where(is_band, -distance, x))


def _direction_code(current, previous, polarity, low, high, judged, rules) -> Any:
    with np.errstate(invalid="ignore"):
        moved = np.where(judged, _goodness(current, polarity, low, high), current)
        moved = moved - np.where(judged, _goodness(previous, polarity, low, high), previous)
    level = np.abs(moved) <= rules.direction_threshold + _noise(current, previous)
    up = np.where(judged, _IMPROVING, _INCREASED)
    down = np.where(judged, _WORSENING, _DECREASED)
    return np.where(level, _NO_CHANGE, np.where(moved > 0, up, down))


_IMPROVING, _WORSENING, _NO_CHANGE, _NOT_COMPARABLE, _INCREASED, _DECREASED = range(6)

# The batch path codes polarities and tolerance kinds as their index in the enum.
_POLARITIES: tuple[Polarity, ...] = tuple(Polarity)
_HIGHER, _LOWER, _BAND, _NONE = (
    _POLARITIES.index(p) for p in (Polarity.HIGHER, Polarity.LOWER, Polarity.BAND, Polarity.NONE)
)
_POLARITY_CODE = {p: _POLARITIES.index(p) for p in Polarity}
_KINDS: tuple[ToleranceKind, ...] = tuple(ToleranceKind)
_PERCENT = _KINDS.index(ToleranceKind.PERCENT)


# --- Arrays ------------------------------------------------------------------------------


def rag_codes(
    values: ArrayLike,
    targets: ArrayLike = None,
    *,
    polarities: ArrayLike,
    tolerances: ArrayLike = None,
    tolerance_kinds: ArrayLike = None,
    bands_low: ArrayLike = None,
    bands_high: ArrayLike = None,
    decimals: ArrayLike = None,
    is_context: ArrayLike = False,
    rules: JudgementRules = DEFAULT_RULES,
) -> NDArray[np.int8]:
    """RAG codes (indexes into RAG_ORDER) for arrays; NaN or None means missing.

    Every argument broadcasts against values. A NaN tolerance means the rules' default;
    an empty or None tolerance kind means the rules' default kind.
    """
    value = _floats(values)
    shape = value.shape
    polarity = _codes(polarities, shape, Polarity)
    dec = _decimals(decimals, shape)
    value = _round_array(value, dec)
    target = _round_array(_floats(targets, shape), dec)
    low, high, has_goal = _goal_arrays(polarity, target, bands_low, bands_high, dec)
    amount, is_percent = _tolerance_arrays(tolerances, tolerance_kinds, shape, rules)
    judged = _judge(value, low, high, amount, is_percent)
    codes = np.where(has_goal, judged, _NO_TARGET)
    codes = np.where(np.isnan(value), _NO_DATA, codes)
    context = np.broadcast_to(np.asarray(is_context, dtype=bool), shape)
    codes = np.where(context | (polarity == _NONE), _CONTEXT, codes)
    return codes.astype(np.int8)


def rag_batch(values: ArrayLike, targets: ArrayLike = None, **kwargs: Any) -> NDArray:
    """Like rag_codes, but an object array of Rag members."""
    return _RAG_ARRAY[rag_codes(values, targets, **kwargs)]


def direction_codes(
    currents: ArrayLike,
    previous: ArrayLike,
    *,
    polarities: ArrayLike,
    bands_low: ArrayLike = None,
    bands_high: ArrayLike = None,
    decimals: ArrayLike = None,
    rules: JudgementRules = DEFAULT_RULES,
) -> NDArray[np.int8]:
    """Direction codes (indexes into DIRECTION_ORDER) for arrays; NaN or None is missing."""
    current = _floats(currents)
    shape = current.shape
    polarity = _codes(polarities, shape, Polarity)
    dec = _decimals(decimals, shape)
    current = _round_array(current, dec)
    before = _round_array(_floats(previous, shape), dec)
    low, high = (_round_array(_floats(edge, shape), dec) for edge in (bands_low, bands_high))
    has_band = _check_bands(polarity, low, high)
    judged = (polarity == _HIGHER) | (polarity == _LOWER) | has_band
    codes = _direction_code(current, before, polarity, low, high, judged, rules)
    codes = np.where(np.isnan(current) | np.isnan(before), _NOT_COMPARABLE, codes)
    return codes.astype(np.int8)


def direction_batch(currents: ArrayLike, previous: ArrayLike, **kwargs: Any) -> NDArray:
    """Like direction_codes, but an object array of Direction members."""
    return _DIRECTION_ARRAY[direction_codes(currents, previous, **kwargs)]


_RAG_ARRAY = np.array(RAG_ORDER, dtype=object)
_DIRECTION_ARRAY = np.array(DIRECTION_ORDER, dtype=object)


def _floats(x: ArrayLike, shape: tuple[int, ...] | None = None) -> NDArray[np.float64]:
    """A float array with NaN for missing (None, NaN or infinite)."""
    array = np.full(shape or (), np.nan) if x is None else np.asarray(x, dtype=np.float64)
    array = np.where(np.isfinite(array), array, np.nan)
    return array if shape is None else np.broadcast_to(array, shape)


def _codes(
    x: ArrayLike, shape: tuple[int, ...], enum: type[StrEnum], blank: int | None = None
) -> NDArray[np.int8]:
    """Each choice as its index in the enum, checked; blank (None or "") gives `blank`.

    The batch path works on these small integers, not on strings: turning a council's
    240,000-row column of strings into Python objects and back cost more than the judging.
    One choice for every row (the usual call) is checked once and broadcast.
    """
    array = np.asarray(x)
    if array.dtype.kind == "S":
        array = array.astype(str)
    if array.ndim == 0:
        return np.broadcast_to(np.int8(_code(array.item(), enum, blank)), shape)
    codes = np.full(array.shape, -1, dtype=np.int8)
    for index, member in enumerate(enum):
        codes[array == member.value] = index
    if blank is not None:
        codes[(array == "") | (np.equal(array, None) if array.dtype == object else False)] = blank
    if np.any(codes < 0):
        _refuse(array[codes < 0], enum)
    return np.broadcast_to(codes, shape)


def _code(choice: Any, enum: type[StrEnum], blank: int | None) -> int:
    if blank is not None and (choice is None or choice == ""):
        return blank
    names = [member.value for member in enum]
    if str(choice) not in names:
        _refuse(np.asarray([choice], dtype=object), enum)
    return names.index(str(choice))


def _refuse(choices: NDArray, enum: type[StrEnum]) -> None:
    unknown = sorted(set(choices.astype(str).tolist()))
    raise ValueError(f"Unknown {enum.__name__.lower()}: {', '.join(unknown)}")


def _decimals(decimals: ArrayLike, shape: tuple[int, ...]) -> NDArray[np.float64]:
    dec = _floats(decimals, shape)
    present = dec[~np.isnan(dec)]
    if np.any((present < 0) | (present != np.round(present))):
        raise ValueError("decimals must be a whole number of 0 or more")
    return dec


def _round_array(x: NDArray[np.float64], dec: NDArray[np.float64]) -> NDArray[np.float64]:
    with np.errstate(invalid="ignore"):
        return np.where(np.isnan(dec), x, round_half_up(x, np.nan_to_num(dec)))


def _check_bands(polarity, low, high) -> NDArray[np.bool_]:
    """Which rows have a usable band; a band whose low end is above its high end is an error."""
    has_band = (polarity == _BAND) & ~np.isnan(low) & ~np.isnan(high)
    if np.any(has_band & (low > high)):
        raise ValueError("A band must run from low to high")
    return has_band


def _goal_arrays(polarity, target, bands_low, bands_high, dec):
    shape = polarity.shape
    band_low, band_high = (_round_array(_floats(e, shape), dec) for e in (bands_low, bands_high))
    has_band = _check_bands(polarity, band_low, band_high)
    # A band indicator with a single target is judged against the band [target, target].
    low = np.where(has_band, band_low, target)
    high = np.where(has_band, band_high, target)
    low = np.where(polarity == _LOWER, -np.inf, low)
    high = np.where(polarity == _HIGHER, np.inf, high)
    has_goal = has_band | ~np.isnan(target)
    return low, high, has_goal


def _tolerance_arrays(tolerances, kinds, shape, rules):
    amount = _floats(tolerances, shape)
    if np.any(amount < 0):
        raise ValueError("A tolerance must be 0 or more")
    default_percent = rules.default_tolerance_kind is ToleranceKind.PERCENT
    kind = _codes(kinds, shape, ToleranceKind, blank=_KINDS.index(rules.default_tolerance_kind))
    is_default = np.isnan(amount)
    is_percent = np.where(is_default, default_percent, kind == _PERCENT)
    return np.where(is_default, rules.default_tolerance, amount), is_percent
