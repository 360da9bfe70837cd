"""Year-end forecast of an indicator from the year so far and earlier years' seasonal shape.

Input layout: ``history`` is a 2-D array, one row per financial year (oldest first, the
**last row is the current year**), one column per period of the year (April first), with NaN
for anything missing. Only the first ``periods_elapsed`` values of the last row are read, so
future cells may hold anything. A 2-D grid is used rather than a flat list because "the same
point in earlier years" is then just a column.

Every accumulation is reduced to one question: given the year's *anchor* now, where does the
*outturn* end up?

============  ===========================================  ==================================
accumulation  anchor at period k                           year-end outturn
============  ===========================================  ==================================
ytd           last known running value                     value at the last period
in_period     sum (or mean) of the known periods this year  sum (or mean) of all periods
snapshot      last known value                             value at the last period
rolling12     last known value                             value at the last period
============  ===========================================  ==================================

Seasonal method (at least one usable earlier year), a blend of two forecasts:

- the *pattern*: the change from anchor to outturn in each earlier year, taken over *the same
  periods* as are known this year, and the median change applied to this year's anchor (a
  ratio on the log scale when every value involved is positive, else a difference). For
  in-period sums this is the seasonal "share of the year done by now"; for snapshots "last
  value plus the usual change from here to March";
- *last year's figures*: this year so far plus last year's remaining periods (in-period), or
  this year's latest value plus last year's change from this point to March (levels). This is
  the backtest's "seasonal naive" baseline; it does not scale a few noisy periods up.

The weight on the pattern is learned only from earlier years, never the year being forecast:
each earlier year is forecast both ways (the pattern from the *other* earlier years, last
year's figures from the year before it), and the weights are inverse to each forecast's
squared error, with one pretend year in which both did equally well so that two or three
lucky years cannot decide alone (Bates and Granger's combination, shrunk to an even split).
With one earlier year nothing shows which does better, so the split is even.

Range: the largest of (a) the blend's own errors in those earlier years (root mean square
times Student's t), (b) how much the pattern's change varied between years (sample standard
deviation widened by ``sqrt(1 + 1/n)``, t for n - 1 degrees of freedom), (c) the period-to-
period noise of this year or of last year over the same periods, whichever is larger, and
(d) the distance to the farther of the two blended forecasts, so the range always reaches
both. With one earlier year (a) and (b) are unknown and (c) is widened by ``sqrt(2)``.

Fallbacks (no usable earlier year), each with a plain-English reason: a running total or
in-period count is continued at this year's average rate ("run rate"); averages, running
rates, snapshots and rolling figures are carried forward. Their range assumes period-to-period
noise like this year's so far (a random walk for levels), and is None when there are too few
values this year to measure it.

The chance of meeting a target treats the forecast as normal on the scale it was made on (log
for ratios) with the spread that reproduces the 80% range, so the chance and the range agree.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

ACCUMULATIONS = ("ytd", "in_period", "snapshot", "rolling12")
POLARITIES = ("higher", "lower", "band", "none")
Z80 = 1.2815515655446004  # two-sided 80%: the 90th percentile of the standard normal
# One-sided 90th percentile of Student's t by degrees of freedom (no scipy in the core).
_T90 = {1: 3.078, 2: 1.886, 3: 1.638, 4: 1.533, 5: 1.476, 6: 1.440, 7: 1.415, 8: 1.397}
_T90 |= {9: 1.383, 10: 1.372, 12: 1.356, 15: 1.341, 20: 1.325, 30: 1.310}


@dataclass(frozen=True)
class Forecast:
    value: float | None
    low: float | None  # 80% range
    high: float | None
    method: str  # seasonal_blend, run_rate, carry_forward, actual, none
    method_text: str
    probability_of_meeting_target: float | None
    fallback_reason: str | None
    n_years_used: int


@dataclass(frozen=True)
class _Spec:
    accumulation: str
    aggregate: str
    periods_per_year: int
    periods_elapsed: int


def forecast_year_end(
    history: Sequence[Sequence[float]] | np.ndarray,
    *,
    accumulation: str,
    periods_per_year: int,
    periods_elapsed: int,
    target: float | None = None,
    polarity: str = "higher",
    band: tuple[float, float] | None = None,
    aggregate: str = "sum",
    max_years: int = 5,
) -> Forecast:
    """Forecast the current (last) row's year-end outturn; see the module docstring.

    ``aggregate`` says what a year is for ``in_period`` ("sum" of counts, "mean" of rates)
    and what a ``ytd`` value is (a running "sum" total or a running "mean" rate). Only the last
    ``max_years`` earlier years are used, because older patterns drift.
    """
    grid = _as_grid(history, periods_per_year)
    spec = _Spec(accumulation, aggregate, periods_per_year, periods_elapsed)
    _check(spec, polarity, band)
    current, earlier = grid[-1], grid[:-1][-max_years:]
    known = np.zeros(periods_per_year, dtype=bool)
    known[:periods_elapsed] = np.isfinite(current[:periods_elapsed])
    return _finish(_point_forecast(current, earlier, known, spec), target, polarity, band)


def _finish(point: _Point, target, polarity: str, band) -> Forecast:
    """The forecast with its chance of meeting the target (also used by forecast_batch)."""
    chance = _probability(point, target, polarity, band)
    return Forecast(
        point.value,
        point.low,
        point.high,
        point.method,
        point.text,
        chance,
        point.reason,
        point.n_years,
    )


def forecast_batch(
    histories: Sequence[np.ndarray],
    targets: Sequence[float | None] | None = None,
    *,
    polarity: str = "higher",
    band: tuple[float, float] | None = None,
    **kwargs,
) -> list[Forecast]:
    """Forecast many indicators that share accumulation and calendar; targets may differ.
    Vectorised across indicators (see forecast_batch.py, which also takes a polarity and a
    band per indicator)."""
    from goldthread.analysis import forecast_batch as batch  # it builds on this module

    n = len(histories)
    return batch.forecast_batch(
        histories, targets=targets, polarities=[polarity] * n, bands=[band] * n, **kwargs
    )


def outturn(row: np.ndarray, accumulation: str, aggregate: str = "sum") -> float:
    """The year-end figure of one complete year (NaN when it cannot be known)."""
    if accumulation == "in_period":
        return float(np.sum(row) if aggregate == "sum" else np.mean(row))
    return float(row[-1])


# --- checking -------------------------------------------------------------------------------


def _as_grid(history, periods_per_year: int) -> np.ndarray:
    grid = np.array(history, dtype=float)
    if grid.ndim != 2 or grid.shape[1] != periods_per_year or grid.shape[0] == 0:
        raise ValueError(f"history must be years x {periods_per_year} periods")
    return grid


def _check(spec: _Spec, polarity: str, band) -> None:
    if spec.accumulation not in ACCUMULATIONS:
        raise ValueError(f"accumulation must be one of {ACCUMULATIONS}")
    if spec.aggregate not in ("sum", "mean"):
        raise ValueError("aggregate must be 'sum' or 'mean'")
    if not 0 <= spec.periods_elapsed <= spec.periods_per_year:
        raise ValueError("periods_elapsed must be between 0 and periods_per_year")
    if polarity not in POLARITIES:
        raise ValueError(f"polarity must be one of {POLARITIES}")
    if polarity == "band" and (band is None or band[0] > band[1]):
        raise ValueError("polarity 'band' needs band=(low, high)")


# --- the point forecast and its range --------------------------------------------------------


@dataclass(frozen=True)
class _Point:
    value: float | None
    low: float | None
    high: float | None
    method: str
    text: str
    reason: str | None = None
    n_years: int = 0
    log_scale: bool = False


def _point_forecast(current, earlier, known, spec: _Spec) -> _Point:
    if not known.any():
        reason = "There are no values for this year yet."
        return _Point(None, None, None, "none", "No forecast yet", reason)
    if spec.periods_elapsed == spec.periods_per_year and known.all():
        value = outturn(current, spec.accumulation, spec.aggregate)
        return _Point(value, value, value, "actual", "The year is complete: this is the outturn")
    anchors, outturns = _earlier_pairs(earlier, known, spec)
    if not np.isfinite(anchors).any():
        return _fallback(current, known, spec, _no_history_reason(len(earlier)))
    return _seasonal(current, earlier, known, spec, anchors, outturns)


def _anchor(row: np.ndarray, known: np.ndarray, spec: _Spec) -> float:
    if spec.accumulation == "in_period":
        values = row[known]
        return float(values.sum() if spec.aggregate == "sum" else values.mean())
    return float(row[np.flatnonzero(known)[-1]])


def _earlier_pairs(earlier, known, spec: _Spec) -> tuple[np.ndarray, np.ndarray]:
    """Anchor and outturn of each earlier year, in order; NaN where a year lacks a value needed."""
    anchors = np.full(len(earlier), math.nan)
    outturns = np.full(len(earlier), math.nan)
    for i, row in enumerate(earlier):
        needed = row if spec.accumulation == "in_period" else row[[*np.flatnonzero(known), -1]]
        if np.isfinite(needed).all():
            anchors[i] = _anchor(row, known, spec)
            outturns[i] = outturn(row, spec.accumulation, spec.aggregate)
    return anchors, outturns


def _seasonal(current, earlier, known, spec: _Spec, anchors, outturns) -> _Point:
    """Blend the usual pattern with last year's rest of the year, weighted by past errors."""
    anchor_now = _anchor(current, known, spec)
    usable = np.flatnonzero(np.isfinite(anchors))
    a, o = anchors[usable], outturns[usable]
    n = len(usable)
    log_scale = bool(np.all(a > 0) and np.all(o > 0) and anchor_now > 0)
    changes = (np.log(o / a) if log_scale else o - a).tolist()
    # How much of the anchor's change since last year carries into the outturn.
    share = float(known.sum()) / spec.periods_per_year
    carry = share if spec.accumulation == "in_period" and spec.aggregate == "mean" else 1.0
    pattern = _apply(anchor_now, _median(changes), log_scale)
    naive = float(o[-1] + carry * (anchor_now - a[-1]))
    # Rolling origin inside the earlier years: each year j is forecast by the pattern of the
    # other earlier years and by the year before it, all before the year being forecast.
    past_pattern, past_naive, past_actual = [], [], []
    for j in range(1, n):
        if usable[j] - usable[j - 1] != 1:
            continue
        others = changes[:j] + changes[j + 1 :]
        past_pattern.append(_apply(float(a[j]), _median(others), log_scale))
        past_naive.append(float(o[j - 1] + carry * (a[j] - a[j - 1])))
        past_actual.append(float(o[j]))
    weight = _pattern_weight(past_pattern, past_naive, past_actual)
    value = weight * pattern + (1 - weight) * naive
    # On the log scale a forecast at or below zero cannot be blended or reached.
    blended = [x for x in (pattern, naive) if x > 0 or not log_scale]
    if log_scale and value <= 0:
        weight, value = 1.0, pattern
    past = (past_pattern, past_naive, past_actual)
    centre = math.log(value) if log_scale else value
    half = _blend_half_width(weight, past, log_scale)
    if n >= 2:
        spread = _t90(n - 1) * float(np.std(changes, ddof=1)) * math.sqrt(1 + 1 / n)
        half = spread if half is None else max(half, spread)
    noise = _noise_half_width(current, earlier[usable[-1]], known, spec, log_scale)
    if n == 1:
        half = noise
    elif noise is not None:
        # Years that happened to agree must not hide this year's own noise.
        half = max(half, noise / math.sqrt(2))
    # The range always reaches both of the forecasts that were blended.
    reach = max(abs(centre - math.log(x) if log_scale else centre - x) for x in blended)
    half = (reach or None) if half is None else max(half, reach)
    value, low, high = _unscale(centre, half, log_scale)
    text = _seasonal_text(n)
    return _Point(value, low, high, "seasonal_blend", text, _one_year_reason(n), n, log_scale)


def _apply(anchor: float, change: float, log_scale: bool) -> float:
    return anchor * math.exp(change) if log_scale else anchor + change


def _median(values: list[float]) -> float:
    ordered = sorted(values)
    mid = len(ordered) // 2
    return ordered[mid] if len(ordered) % 2 else 0.5 * (ordered[mid - 1] + ordered[mid])


def _pattern_weight(past_pattern, past_naive, past_actual) -> float:
    """Weight on the pattern: inverse mean squared error, shrunk towards an even split."""
    m = len(past_actual)
    if m == 0:
        return 0.5
    sq_pattern = sum((p - y) ** 2 for p, y in zip(past_pattern, past_actual, strict=True))
    sq_naive = sum((p - y) ** 2 for p, y in zip(past_naive, past_actual, strict=True))
    # One pretend year in which both did equally well keeps a few lucky years from deciding.
    prior = (sq_pattern + sq_naive) / (2 * m)
    total = sq_pattern + sq_naive + 2 * prior
    return 0.5 if total == 0 else (sq_naive + prior) / total


def _blend_half_width(weight, past, log_scale) -> float | None:
    """Half-width of the 80% range from the blend's own errors in earlier years."""
    errors = []
    for p, q, y in zip(*past, strict=True):
        blend = weight * p + (1 - weight) * q
        if log_scale and blend <= 0:
            continue
        errors.append(math.log(blend / y) if log_scale else blend - y)
    if not errors:
        return None
    return _t90(len(errors)) * math.sqrt(sum(e * e for e in errors) / len(errors))


def _noise_half_width(current, last_year, known, spec: _Spec, log_scale: bool):
    """This year's noise, or last year's over the same periods when larger or only it is known.

    One quiet spring proves little, so last year's noise counts too.
    """
    now = _one_year_half_width(current, known, spec, _anchor(current, known, spec), log_scale)
    before = _one_year_half_width(
        last_year, known, spec, _anchor(last_year, known, spec), log_scale
    )
    if now is None or before is None:
        return now if before is None else before
    return max(now, before)


def _one_year_half_width(current, known, spec: _Spec, anchor: float, log_scale: bool):
    noise = _noise_sigma(current, known, spec)
    if noise is None:
        return None
    half = Z80 * noise * math.sqrt(2)
    # On the log scale, log1p keeps a noisy small anchor from giving an infinite range.
    return math.log1p(half / anchor) if log_scale else half


def _unscale(centre: float, half: float | None, log_scale: bool):
    back = math.exp if log_scale else float
    if half is None:
        return back(centre), None, None
    return back(centre), back(centre - half), back(centre + half)


def _fallback(current, known, spec: _Spec, reason: str) -> _Point:
    values = current[known]
    carry = spec.accumulation in ("snapshot", "rolling12") or spec.aggregate == "mean"
    if carry:
        value = float(values[-1] if spec.accumulation != "in_period" else values.mean())
    else:
        total = _anchor(current, known, spec)
        per_period = total / _periods_covered(known, spec)
        value = total + per_period * (spec.periods_per_year - _periods_covered(known, spec))
    noise = _noise_sigma(current, known, spec)
    low, high = (None, None) if noise is None else (value - Z80 * noise, value + Z80 * noise)
    if carry and spec.accumulation == "in_period":
        return _Point(value, low, high, "run_rate", _RUN_RATE_MEAN_TEXT, reason)
    if carry:
        return _Point(value, low, high, "carry_forward", _CARRY_TEXT, reason)
    return _Point(value, low, high, "run_rate", _RUN_RATE_TEXT, reason)


def _periods_covered(known: np.ndarray, spec: _Spec) -> int:
    # A running total covers every period up to its latest value, gaps included.
    if spec.accumulation == "ytd":
        return int(np.flatnonzero(known)[-1]) + 1
    return int(known.sum())


def _noise_sigma(current, known, spec: _Spec) -> float | None:
    """Standard deviation of the outturn's error from this year's own variability."""
    remaining = spec.periods_per_year - _periods_covered(known, spec)
    if spec.accumulation == "in_period" or (spec.accumulation == "ytd" and spec.aggregate == "sum"):
        increments = _increments(current, known, spec)
        if increments is None or len(increments) < 2:
            return None
        s, k = float(increments.std(ddof=1)), len(increments)
        # Unknown periods vary, and this year's average itself is uncertain.
        sigma = math.sqrt(remaining * s**2 + remaining**2 * s**2 / k)
        return sigma / spec.periods_per_year if spec.aggregate == "mean" else sigma
    steps = np.diff(current[known])
    if len(steps) == 0:
        return None
    # A random walk: root mean square step (drift counts as error, since we carry forward).
    return float(np.sqrt(np.mean(steps**2)) * math.sqrt(remaining))


def _increments(current, known, spec: _Spec) -> np.ndarray | None:
    if spec.accumulation == "in_period":
        return current[known]
    k = int(np.flatnonzero(known)[-1]) + 1
    running = current[:k]
    if not np.isfinite(running).all():
        return None
    return np.diff(np.concatenate([[0.0], running]))


def _t90(df: int) -> float:
    usable = [d for d in _T90 if d <= df]
    return Z80 if df > 30 else _T90[max(usable)]


# --- words ---------------------------------------------------------------------------------

_RUN_RATE_TEXT = "Based on the year so far, continued at the same rate"
_RUN_RATE_MEAN_TEXT = "Based on the average of the year so far"
_CARRY_TEXT = "The latest value carried forward to the year end"
_YEAR_WORDS = ("", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")


def _seasonal_text(n: int) -> str:
    if n == 1:
        return "Based on the pattern of last year only"
    return f"Based on the pattern of the last {_YEAR_WORDS[n] if n < 10 else n} years"


def _one_year_reason(n: int) -> str | None:
    if n != 1:
        return None
    return "Only one earlier year is complete, so the pattern is less certain."


def _no_history_reason(n_earlier: int) -> str:
    if n_earlier == 0:
        return "There are no earlier years to learn the seasonal pattern from."
    return "No earlier year has the values needed to learn the seasonal pattern from."


# --- chance of meeting the target ------------------------------------------------------------


def _probability(point: _Point, target, polarity: str, band) -> float | None:
    if point.value is None or polarity == "none" or (polarity != "band" and target is None):
        return None
    low_edge, high_edge = band if polarity == "band" else (target, target)
    if point.high is None or point.high == point.value:
        # No spread to speak of: the forecast either meets the target or it does not.
        return float(_meets(point.value, low_edge, high_edge, polarity))
    below_high = _chance_below(point, high_edge)
    below_low = _chance_below(point, low_edge)
    if polarity == "higher":
        return 1.0 - below_low
    if polarity == "lower":
        return below_high
    return max(0.0, below_high - below_low)


def _meets(value: float, low_edge: float, high_edge: float, polarity: str) -> bool:
    if polarity == "higher":
        return value >= low_edge
    if polarity == "lower":
        return value <= high_edge
    return low_edge <= value <= high_edge


def _chance_below(point: _Point, threshold: float) -> float:
    """P(outturn < threshold) under the normal that reproduces the 80% range."""
    if point.log_scale:
        if threshold <= 0:
            return 0.0
        centre, edge, x = (math.log(v) for v in (point.value, point.high, threshold))
    else:
        centre, edge, x = point.value, point.high, threshold
    sigma = (edge - centre) / Z80
    return 0.5 * (1.0 + math.erf((x - centre) / (sigma * math.sqrt(2))))
