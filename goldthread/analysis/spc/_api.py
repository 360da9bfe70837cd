"""Public entry points: check the options, lay series end to end, build results."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from itertools import chain
from numbers import Integral, Real
from types import MappingProxyType

import numpy as np

from goldthread.analysis.spc import _result
from goldthread.analysis.spc._engine import LIMIT, Flat, Rules, calculate

WARNING_THRESHOLD = 13  # PTD's ptd_spc.warning_threshold default
# Points per vectorised block: bounds the temporary arrays (about 25 of 8 bytes a point), so
# 100,000 series use tens of megabytes, not gigabytes. Tests shrink it to cross block edges.
BLOCK_POINTS = 1 << 16

_VARIANTS = {
    "mdc_excel_2in3": (False, True),
    "shift_length": (6, 7),
    "trend_length": (6, 7),
    "skip_ties": (False, True),
}


def xmr(
    values: Sequence[float | None],
    *,
    improvement: str = "increase",
    target: float | None = None,
    rebase_at: Sequence[int] = (),
    fix_after: int | None = None,
    screen_outliers: bool = True,
    **variant_options: object,
) -> _result.SpcResult:
    """Calculate an XmR chart for one series, the NHSRplotthedots 0.2.2 way by default.

    ``values`` are in time order, one per period; None or NaN marks a missing value, which
    keeps its row. ``rebase_at`` lists 0-based indices that start a new segment with its own
    limits (indices outside the series are ignored). ``fix_after`` (None or at least 12)
    fixes each segment's limits on its first that many rows. Variant options, all off by
    default: ``mdc_excel_2in3``, ``shift_length`` (6 or 7), ``trend_length`` (6 or 7) and
    ``skip_ties``; pass ``screen_outliers=False`` as well to match the MDC Excel tool.
    """
    return xmr_batch(
        [values],
        improvement=improvement,
        target=target,
        rebase_at=rebase_at,
        fix_after=fix_after,
        screen_outliers=screen_outliers,
        **variant_options,
    )[0]


def xmr_batch(
    series: Sequence[Sequence[float | None]],
    *,
    improvement: str = "increase",
    target: float | Sequence[float | None] | None = None,
    rebase_at: Sequence[int] | Sequence[Sequence[int]] = (),
    fix_after: int | None = None,
    screen_outliers: bool = True,
    **variant_options: object,
) -> list[_result.SpcResult]:
    """Calculate XmR charts for many series at once; each result equals ``xmr``'s.

    Series may differ in length. ``target`` may be one value for all series or a sequence
    with one value (or None) per series. ``rebase_at`` may be one list of indices for all
    series, or a sequence with one list of indices per series.

    Series are computed in blocks of about BLOCK_POINTS points (one vectorised pass per
    block, never a loop over points) to bound memory; results of one block share its arrays.
    """
    rules = _rules(fix_after, screen_outliers, variant_options)
    _check_improvement(improvement)
    targets = _per_series_targets(target, len(series))
    rebases = _per_series_rebases(rebase_at, len(series))
    lengths = [len(s) for s in series]
    options = _options_per_series(improvement, rules, targets, rebases)
    results: list[_result.SpcResult] = []
    for block in _blocks(lengths):
        results.extend(
            _calculate_block(
                [series[i] for i in block],
                [rebases[i] for i in block],
                [targets[i] for i in block],
                [options[i] for i in block],
                rules,
            )
        )
    return results


def _options_per_series(
    improvement: str, rules: Rules, targets: list, rebases: list
) -> list[Mapping[str, object]]:
    """The options each result reports; one shared mapping when every series has the same."""
    base = {"improvement": improvement, **vars(rules)}
    cache: dict[tuple, Mapping[str, object]] = {}
    out = []
    for target, rebase in zip(targets, rebases, strict=True):
        key = (target, rebase)
        if key not in cache:
            cache[key] = MappingProxyType({**base, "target": target, "rebase_at": rebase})
        out.append(cache[key])
    return out


def _rules(fix_after: object, screen_outliers: object, variants: dict[str, object]) -> Rules:
    for name, value in variants.items():
        if name not in _VARIANTS:
            raise TypeError(f"Unknown SPC option {name!r}; known options: {', '.join(_VARIANTS)}")
        if value not in _VARIANTS[name] or type(value) is not type(_VARIANTS[name][0]):
            raise ValueError(f"SPC option {name!r} must be one of {_VARIANTS[name]}, not {value!r}")
    if fix_after is not None and (
        not isinstance(fix_after, Integral) or isinstance(fix_after, bool) or fix_after < 12
    ):
        raise ValueError(
            f"fix_after must be None or a whole number of at least 12, not {fix_after!r}"
        )
    if not isinstance(screen_outliers, bool):
        raise ValueError(f"screen_outliers must be True or False, not {screen_outliers!r}")
    fixed = None if fix_after is None else int(fix_after)
    return Rules(fix_after=fixed, screen_outliers=screen_outliers, **variants)  # type: ignore[arg-type]


def _check_improvement(improvement: object) -> None:
    if improvement not in ("increase", "decrease", "neutral"):
        raise ValueError(
            f"improvement must be 'increase', 'decrease' or 'neutral', not {improvement!r}"
        )


def _target(value: object) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, Real):
        raise ValueError(f"target must be a number or None, not {value!r}")
    return None if math.isnan(value) else float(value)


def _per_series_targets(target: object, n: int) -> list[float | None]:
    if isinstance(target, Sequence | np.ndarray) and not isinstance(target, str):
        if len(target) != n:
            raise ValueError(f"target has {len(target)} values but there are {n} series")
        return [_target(t) for t in target]
    return [_target(target)] * n


def _per_series_rebases(rebase_at: object, n: int) -> list[tuple[int, ...]]:
    if rebase_at is None:
        return [()] * n
    items = list(rebase_at)  # type: ignore[call-overload]
    if items and all(_is_index_list(i) for i in items):
        if len(items) != n:
            raise ValueError(f"rebase_at has {len(items)} lists but there are {n} series")
        return [_indices(i) for i in items]
    return [_indices(items)] * n


def _is_index_list(item: object) -> bool:
    return isinstance(item, Sequence | np.ndarray) and not isinstance(item, str)


def _indices(items: object) -> tuple[int, ...]:
    out = []
    for i in items:  # type: ignore[attr-defined]
        if isinstance(i, bool) or not isinstance(i, Integral):
            raise ValueError(f"rebase_at must hold whole-number indices, not {i!r}")
        out.append(int(i))
    return tuple(out)


def _as_flat(series: list, length: int) -> np.ndarray:
    """Lay the series end to end as float64 in one conversion (None becomes NaN)."""
    if any(isinstance(one, np.ndarray) for one in series):
        parts = [np.asarray(one, dtype=np.float64) for one in series]
        y = np.concatenate(parts) if parts else np.empty(0)
    else:
        y = np.array(list(chain.from_iterable(series)), dtype=np.float64)
    if y.ndim != 1 or len(y) != length:
        raise ValueError("each series must be a flat sequence of numbers")
    if np.isinf(y).any():
        raise ValueError("values must be finite numbers, or None for a missing value")
    y.flags.writeable = False
    return y


def _blocks(lengths: list[int]) -> list[range]:
    """Split series into consecutive groups of about BLOCK_POINTS points."""
    blocks, first, points = [], 0, 0
    for i, n in enumerate(lengths):
        if points and points + n > BLOCK_POINTS:
            blocks.append(range(first, i))
            first, points = i, 0
        points += n
    blocks.append(range(first, len(lengths)))
    return blocks


def _calculate_block(
    series: list,
    rebases: list[tuple[int, ...]],
    targets: list[float | None],
    options: list[Mapping[str, object]],
    rules: Rules,
) -> list[_result.SpcResult]:
    lengths = np.array([len(one) for one in series], dtype=np.int64)
    offsets = np.concatenate(([0], np.cumsum(lengths)))
    y = _as_flat(series, int(offsets[-1]))
    starts = np.zeros(len(y), dtype=bool)
    starts[offsets[:-1][lengths > 0]] = True
    for i in (i for i, r in enumerate(rebases) if r):
        starts[[offsets[i] + r for r in rebases[i] if 0 < r < lengths[i]]] = True
    flat = calculate(y, starts, rules)
    flat.codes.flags.writeable = False
    block = _result.Block(y, flat.codes, flat.seg_mean, flat.seg_amr)
    return _results(block, flat, offsets, targets, options)


def _results(
    block: _result.Block,
    flat: Flat,
    offsets: np.ndarray,
    targets: list[float | None],
    options: list[Mapping[str, object]],
) -> list[_result.SpcResult]:
    """Slice one block's arrays into per-series results (no loop over points)."""
    seg_bounds = np.searchsorted(flat.seg_start, offsets).tolist()
    owner = np.searchsorted(offsets, flat.seg_start, side="right") - 1
    rel_starts = (flat.seg_start - offsets[owner]).tolist()
    seg_len = np.diff(flat.seg_start, append=len(block.values))
    noted = set(owner[(seg_len < WARNING_THRESHOLD) | flat.seg_no_variation].tolist())
    last_seg = np.maximum(np.asarray(seg_bounds[1:]) - 1, 0)
    if len(last_seg) and len(flat.seg_start):
        upl = (flat.seg_mean + LIMIT * flat.seg_amr)[last_seg].tolist()
        lpl = (flat.seg_mean - LIMIT * flat.seg_amr)[last_seg].tolist()
    else:
        upl = lpl = [math.nan] * len(targets)
    last_code = flat.codes[np.maximum(offsets[1:] - 1, 0)] if len(flat.codes) else None
    bounds = offsets.tolist()
    results = []
    for i, opts in enumerate(options):
        lo, hi, s0, s1 = bounds[i], bounds[i + 1], seg_bounds[i], seg_bounds[i + 1]
        improvement = str(opts["improvement"])
        segments = tuple(rel_starts[s0:s1])
        code = int(last_code[i]) if hi > lo else None  # type: ignore[index]
        results.append(
            _result.SpcResult(
                block,
                slice(lo, hi),
                slice(s0, s1),
                segments,
                _result.variation_icon(code, improvement),
                _result.assurance(targets[i], improvement, lpl[i], upl[i]) if hi > lo else None,
                _warnings(segments, hi - lo, flat.seg_no_variation[s0:s1], opts)
                if i in noted
                else (),
                opts,
            )
        )
    return results


def _warnings(
    segments: tuple[int, ...], n: int, no_variation: np.ndarray, options: Mapping[str, object]
) -> tuple[str, ...]:
    fix_after = options["fix_after"]
    ends = (*segments[1:], n)
    several = len(segments) > 1
    out = []
    for start, end, flat in zip(segments, ends, no_variation.tolist(), strict=True):
        where = f" in the section starting at point {start + 1}" if several else ""
        if end - start < WARNING_THRESHOLD:
            points = "1 point" if end - start == 1 else f"{end - start} points"
            out.append(
                f"Only {points}{where}: limits from fewer than "
                f"{WARNING_THRESHOLD} points may not be reliable"
            )
        if flat:
            base = f"the first {fix_after} values" if fix_after and end - start > fix_after else ""
            same = f"every one of {base}" if base else "every value"
            out.append(
                f"No variation: {same}{where} is the same, so the limits are drawn on the mean"
            )
    return tuple(out)
