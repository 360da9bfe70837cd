"""Year-end forecasts for many indicators at once: the seasonal blend as array operations.

`forecast.forecast_year_end` forecasts one indicator; a council re-judgement forecasts
thousands, and one call each cost about 40% of judging the whole council. Here indicators
that share a calendar, an accumulation and the periods known this year are forecast together:
every step of the seasonal blend (anchors and outturns of earlier years, the median change,
the rolling-origin check inside the earlier years, the weights and the 80% range) is a numpy
operation over all of them. Anything else (no earlier year, a complete year, no value yet)
goes through `forecast_year_end` itself. The results equal `forecast_year_end`'s up to
rounding in the last digits (tested).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from goldthread.analysis import forecast as single
from goldthread.analysis.forecast import Z80, Forecast

_NAN = math.nan


def _elementwise(function):
    """`function` from the math module, value by value. forecast_year_end uses math's exp and
    log, which can differ from numpy's in the last bit, and a last bit can tip a weight (two
    forecasts equally good in earlier years split evenly); these arrays are small."""
    ufunc = np.frompyfunc(function, 1, 1)

    def apply(x) -> np.ndarray:
        return ufunc(np.asarray(x, dtype=float)).astype(float)

    return apply


_exp, _log, _log1p = (_elementwise(f) for f in (math.exp, math.log, math.log1p))


def forecast_batch(
    histories: Sequence[np.ndarray],
    *,
    accumulation: str,
    periods_per_year: int,
    periods_elapsed: int,
    targets: Sequence[float | None] | None = None,
    polarities: Sequence[str] | None = None,
    bands: Sequence[tuple[float, float] | None] | None = None,
    aggregate: str = "sum",
    max_years: int = 5,
) -> list[Forecast]:
    """`forecast_year_end` for each history (years x periods, the last row this year), with
    a target, polarity and band per history."""
    n = len(histories)
    targets = list(targets) if targets is not None else [None] * n
    polarities = list(polarities) if polarities is not None else ["higher"] * n
    bands = list(bands) if bands is not None else [None] * n
    options = {
        "accumulation": accumulation,
        "periods_per_year": periods_per_year,
        "periods_elapsed": periods_elapsed,
        "aggregate": aggregate,
        "max_years": max_years,
    }
    spec = single._Spec(accumulation, aggregate, periods_per_year, periods_elapsed)
    grids = [single._as_grid(h, periods_per_year) for h in histories]
    out: list[Forecast | None] = [None] * n
    for known, members in _by_known(grids, periods_elapsed).items():
        mask = np.array(known, dtype=bool)
        points = _seasonal_points(grids, members, mask, spec, max_years)
        for i, point in zip(members, points, strict=True):
            if point is None:
                out[i] = single.forecast_year_end(
                    grids[i], target=targets[i], polarity=polarities[i], band=bands[i], **options
                )
            else:
                single._check(spec, polarities[i], bands[i])
                out[i] = single._finish(point, targets[i], polarities[i], bands[i])
    return out  # type: ignore[return-value]


def _by_known(grids: list[np.ndarray], elapsed: int) -> dict[tuple[bool, ...], list[int]]:
    groups: dict[tuple[bool, ...], list[int]] = {}
    for i, grid in enumerate(grids):
        known = np.zeros(grid.shape[1], dtype=bool)
        known[:elapsed] = np.isfinite(grid[-1, :elapsed])
        groups.setdefault(tuple(known.tolist()), []).append(i)
    return groups


# --- the seasonal blend, vectorised -------------------------------------------------------


def _seasonal_points(grids, members, known: np.ndarray, spec, max_years: int) -> list:
    """A _Point per member on the seasonal path, None where forecast_year_end must decide."""
    if not known.any() or (spec.periods_elapsed == spec.periods_per_year and known.all()):
        return [None] * len(members)
    years = max_years
    current = np.stack([grids[i][-1] for i in members])
    earlier = np.full((len(members), years, spec.periods_per_year), _NAN)
    for row, i in enumerate(members):
        rows = grids[i][:-1][-years:]
        if len(rows):
            earlier[row, years - len(rows) :] = rows
    anchors, outturns = _pairs(earlier, known, spec)
    usable = np.isfinite(anchors)
    ok = usable.any(axis=1)
    points: list = [None] * len(members)
    chosen = np.flatnonzero(ok)
    if len(chosen):
        found = _blend(
            current[chosen], earlier[chosen], anchors[chosen], outturns[chosen], known, spec
        )
        for k, row in enumerate(chosen.tolist()):
            points[row] = found[k]
    return points


def _anchor_of(rows: np.ndarray, known: np.ndarray, spec) -> np.ndarray:
    if spec.accumulation == "in_period":
        values = rows[..., known]
        return values.sum(axis=-1) if spec.aggregate == "sum" else values.mean(axis=-1)
    return rows[..., np.flatnonzero(known)[-1]]


def _outturn_of(rows: np.ndarray, spec) -> np.ndarray:
    if spec.accumulation == "in_period":
        return rows.sum(axis=-1) if spec.aggregate == "sum" else rows.mean(axis=-1)
    return rows[..., -1]


def _pairs(earlier: np.ndarray, known: np.ndarray, spec) -> tuple[np.ndarray, np.ndarray]:
    if spec.accumulation == "in_period":
        needed = np.isfinite(earlier).all(axis=-1)
    else:
        columns = [*np.flatnonzero(known).tolist(), earlier.shape[-1] - 1]
        needed = np.isfinite(earlier[..., columns]).all(axis=-1)
    with np.errstate(invalid="ignore"):
        anchors = np.where(needed, _anchor_of(earlier, known, spec), _NAN)
        outturns = np.where(needed, _outturn_of(earlier, spec), _NAN)
    return anchors, outturns


def _compress(values: np.ndarray, usable: np.ndarray) -> np.ndarray:
    """Each row's usable values first, in order, NaN after (as the single forecast's lists)."""
    order = np.argsort(~usable, axis=1, kind="stable")
    return np.where(
        np.take_along_axis(usable, order, axis=1), np.take_along_axis(values, order, axis=1), _NAN
    )


def _medians(values: np.ndarray) -> np.ndarray:
    """Median of each row's finite values (NaN for none), as forecast._median computes it."""
    ordered = np.sort(values, axis=1)  # NaN sorts last
    count = np.isfinite(values).sum(axis=1)
    mid = count // 2
    low = np.take_along_axis(ordered, np.maximum(mid - 1, 0)[:, None], axis=1)[:, 0]
    high = np.take_along_axis(ordered, np.minimum(mid, values.shape[1] - 1)[:, None], axis=1)[:, 0]
    return np.where(count % 2 == 1, high, 0.5 * (low + high))


def _apply(anchor, change, log_scale):
    with np.errstate(over="ignore", invalid="ignore"):
        return np.where(log_scale, anchor * _exp(np.where(log_scale, change, 0.0)), anchor + change)


def _blend(current, earlier, anchors, outturns, known, spec) -> list[single._Point]:
    rows = len(current)
    usable = np.isfinite(anchors)
    n = usable.sum(axis=1)
    position = _compress(
        np.broadcast_to(np.arange(anchors.shape[1], dtype=float), anchors.shape), usable
    )
    a, o = _compress(anchors, usable), _compress(outturns, usable)
    last = n - 1
    a_last = a[np.arange(rows), last]
    o_last = o[np.arange(rows), last]
    anchor_now = _anchor_of(current, known, spec)
    finite = np.isfinite(a)
    with np.errstate(invalid="ignore", divide="ignore"):
        log_scale = np.all(np.where(finite, (a > 0) & (o > 0), True), axis=1) & (anchor_now > 0)
        changes = np.where(log_scale[:, None], np.log(o / a), o - a)
    changes = np.where(finite, changes, _NAN)
    share = float(known.sum()) / spec.periods_per_year
    carry = share if spec.accumulation == "in_period" and spec.aggregate == "mean" else 1.0
    pattern = _apply(anchor_now, _medians(changes), log_scale)
    naive = o_last + carry * (anchor_now - a_last)
    past = _rolling_origin(a, o, changes, position, n, log_scale, carry)
    weight = _weights(*past)
    value = weight * pattern + (1 - weight) * naive
    fix = log_scale & (value <= 0)
    weight, value = np.where(fix, 1.0, weight), np.where(fix, pattern, value)
    with np.errstate(invalid="ignore", divide="ignore"):
        centre = np.where(log_scale, _log(np.where(log_scale & (value > 0), value, 1.0)), value)
    half = _blend_half_width(weight, past, log_scale)
    spread = _spread(changes, n)
    half = np.where(n >= 2, np.where(np.isnan(half), spread, np.fmax(half, spread)), half)
    noise = _noise(current, earlier, usable, known, spec, log_scale)
    half = np.where(
        n == 1, noise, np.where(np.isnan(noise), half, np.fmax(half, noise / math.sqrt(2)))
    )
    reach = _reach(centre, pattern, naive, log_scale)
    half = np.where(np.isnan(half), np.where(reach > 0, reach, _NAN), np.fmax(half, reach))
    return [
        _point(float(centre[r]), float(half[r]), bool(log_scale[r]), int(n[r])) for r in range(rows)
    ]


def _rolling_origin(a, o, changes, position, n, log_scale, carry):
    """Each earlier year j forecast by the other years' pattern and by the year before it."""
    rows, width = a.shape
    shape = (rows, max(width - 1, 0))
    past_pattern, past_naive, past_actual = (np.full(shape, _NAN) for _ in range(3))
    for j in range(1, width):
        valid = (j < n) & (position[:, j] - position[:, j - 1] == 1)
        others = changes.copy()
        others[:, j] = _NAN
        past_pattern[:, j - 1] = np.where(valid, _apply(a[:, j], _medians(others), log_scale), _NAN)
        past_naive[:, j - 1] = np.where(valid, o[:, j - 1] + carry * (a[:, j] - a[:, j - 1]), _NAN)
        past_actual[:, j - 1] = np.where(valid, o[:, j], _NAN)
    return past_pattern, past_naive, past_actual


def _weights(past_pattern, past_naive, past_actual) -> np.ndarray:
    valid = np.isfinite(past_actual)
    m = valid.sum(axis=1)
    sq_pattern = np.where(valid, (past_pattern - past_actual) ** 2, 0.0).sum(axis=1)
    sq_naive = np.where(valid, (past_naive - past_actual) ** 2, 0.0).sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        prior = (sq_pattern + sq_naive) / (2 * m)
        total = sq_pattern + sq_naive + 2 * prior
        weight = (sq_naive + prior) / total
    return np.where((m == 0) | (total == 0), 0.5, weight)


_T90_BY_DF = np.array([Z80 if df > 30 else single._t90(max(df, 1)) for df in range(64)])


def _t90(df: np.ndarray) -> np.ndarray:
    return _T90_BY_DF[np.clip(df, 0, len(_T90_BY_DF) - 1)]


def _blend_half_width(weight, past, log_scale) -> np.ndarray:
    past_pattern, past_naive, past_actual = past
    blend = weight[:, None] * past_pattern + (1 - weight[:, None]) * past_naive
    valid = np.isfinite(past_actual) & ~(log_scale[:, None] & (blend <= 0))
    with np.errstate(invalid="ignore", divide="ignore"):
        ratio = np.where(log_scale[:, None] & valid, blend / past_actual, 1.0)
        errors = np.where(log_scale[:, None], _log(ratio), blend - past_actual)
    count = valid.sum(axis=1)
    total = np.where(valid, errors * errors, 0.0).sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        half = _t90(count) * np.sqrt(total / count)
    return np.where(count > 0, half, _NAN)


def _spread(changes: np.ndarray, n: np.ndarray) -> np.ndarray:
    finite = np.isfinite(changes)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.where(finite, changes, 0.0).sum(axis=1) / n
        deviation = np.where(finite, changes - mean[:, None], 0.0)
        std = np.sqrt((deviation * deviation).sum(axis=1) / (n - 1))
        return _t90(n - 1) * std * np.sqrt(1 + 1 / n)


def _reach(centre, pattern, naive, log_scale) -> np.ndarray:
    """Distance to the farther blended forecast (on the log scale only positive ones count)."""
    distances = []
    for x in (pattern, naive):
        with np.errstate(invalid="ignore", divide="ignore"):
            logged = _log(np.where(log_scale & (x > 0), x, 1.0))
            d = np.abs(np.where(log_scale, centre - logged, centre - x))
        distances.append(np.where(log_scale & (x <= 0), -np.inf, d))
    return np.maximum(*distances)


def _noise(current, earlier, usable, known, spec, log_scale) -> np.ndarray:
    """This year's noise, or last year's over the same periods when larger (per indicator)."""
    last = earlier.shape[1] - 1 - np.argmax(usable[:, ::-1], axis=1)
    last_year = earlier[np.arange(len(current)), last]
    now = _one_year(current, known, spec, log_scale)
    before = _one_year(last_year, known, spec, log_scale)
    return np.where(np.isnan(now), before, np.where(np.isnan(before), now, np.fmax(now, before)))


def _one_year(rows: np.ndarray, known: np.ndarray, spec, log_scale) -> np.ndarray:
    sigma = _noise_sigma(rows, known, spec)
    half = Z80 * sigma * math.sqrt(2)
    anchor = _anchor_of(rows, known, spec)
    with np.errstate(invalid="ignore", divide="ignore"):
        ratio = np.where(log_scale & np.isfinite(half), half / anchor, 0.0)
        return np.where(log_scale, np.where(np.isfinite(half), _log1p(ratio), _NAN), half)


def _noise_sigma(rows: np.ndarray, known: np.ndarray, spec) -> np.ndarray:
    covered = spec.periods_per_year - single._periods_covered(known, spec)
    remaining = covered
    if spec.accumulation == "in_period" or (spec.accumulation == "ytd" and spec.aggregate == "sum"):
        if spec.accumulation == "in_period":
            increments = rows[:, known]
        else:
            k = int(np.flatnonzero(known)[-1]) + 1
            running = rows[:, :k]
            increments = np.diff(np.concatenate([np.zeros((len(rows), 1)), running], axis=1))
        count = increments.shape[1]
        if count < 2:
            return np.full(len(rows), _NAN)
        s = increments.std(axis=1, ddof=1)
        sigma = np.sqrt(remaining * s**2 + remaining**2 * s**2 / count)
        return sigma / spec.periods_per_year if spec.aggregate == "mean" else sigma
    steps = np.diff(rows[:, known], axis=1)
    if steps.shape[1] == 0:
        return np.full(len(rows), _NAN)
    return np.sqrt(np.mean(steps**2, axis=1)) * math.sqrt(remaining)


def _point(centre: float, half: float, log_scale: bool, n: int) -> single._Point:
    value, low, high = single._unscale(centre, None if math.isnan(half) else half, log_scale)
    return single._Point(
        value,
        low,
        high,
        "seasonal_blend",
        single._seasonal_text(n),
        single._one_year_reason(n),
        n,
        log_scale,
    )
