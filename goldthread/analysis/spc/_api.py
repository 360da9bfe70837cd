"""Public entry points: check the options, lay series end to end, build results."""

from __future__ import annotations

import math
from collections.abc import Sequence
from numbers import Integral, Real
from types import MappingProxyType

import numpy as np

from goldthread.analysis.spc import _result
from goldthread.analysis.spc._engine import Flat, Rules, calculate

WARNING_THRESHOLD = 13  # PTD's ptd_spc.warning_threshold default
# Points per vectorised block: bounds the temporary arrays (about 25 of 8 bytes a point), so
# 100,000 series use tens of megabytes, not gigabytes. Tests shrink it to cross block edges.
BLOCK_POINTS = 1 << 18

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
    """
    rules = _rules(fix_after, screen_outliers, variant_options)
    _check_improvement(improvement)
    targets = _per_series_targets(target, len(series))
    rebases = _per_series_rebases(rebase_at, len(series))
    arrays = [_as_array(s) for s in series]
    options = {"improvement": improvement, **vars(rules)}
    results: list[_result.SpcResult] = []
    for block in _blocks([len(a) for a in arrays]):
        results.extend(
            _calculate_block([arrays[i] for i in block], [rebases[i] for i in block], rules)
        )
    return [_finish(r, targets[i], rebases[i], options) for i, r in enumerate(results)]


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


def _as_array(values: object) -> np.ndarray:
    # dtype=float turns None into NaN without a Python loop over the points.
    array = np.asarray(values, dtype=np.float64)
    if array.ndim != 1:
        raise ValueError("each series must be a flat sequence of numbers")
    if np.isinf(array).any():
        raise ValueError("values must be finite numbers, or None for a missing value")
    return array


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


def _segment_starts(n: int, rebases: tuple[int, ...]) -> list[int]:
    return sorted({0, *(i for i in rebases if 0 < i < n)}) if n else []


def _calculate_block(
    arrays: list[np.ndarray], rebases: list[tuple[int, ...]], rules: Rules
) -> list[_PartialResult]:
    lengths = np.array([len(a) for a in arrays], dtype=np.int64)
    offsets = np.concatenate(([0], np.cumsum(lengths)))
    y = np.concatenate(arrays) if arrays else np.empty(0)
    y.flags.writeable = False
    starts = np.zeros(len(y), dtype=bool)
    seg_counts = []
    for offset, n, rebase in zip(offsets, lengths, rebases, strict=False):
        seg = _segment_starts(int(n), rebase)
        starts[np.asarray(seg, dtype=np.int64) + offset] = True
        seg_counts.append(len(seg))
    flat = calculate(y, starts, rules)
    flat.codes.flags.writeable = False
    seg_offsets = np.concatenate(([0], np.cumsum(seg_counts)))
    return [
        _partial(flat, y, int(offsets[i]), int(offsets[i + 1]), seg_offsets[i : i + 2])
        for i in range(len(arrays))
    ]


class _PartialResult:
    """One series' slice of a block, before the per-series target is applied."""

    __slots__ = ("amr", "codes", "mean", "no_variation", "segments", "values")

    def __init__(self, values, codes, segments, mean, amr, no_variation):
        self.values, self.codes, self.segments = values, codes, segments
        self.mean, self.amr, self.no_variation = mean, amr, no_variation


def _partial(flat: Flat, y: np.ndarray, lo: int, hi: int, seg: np.ndarray) -> _PartialResult:
    s0, s1 = int(seg[0]), int(seg[1])
    return _PartialResult(
        y[lo:hi],
        flat.codes[lo:hi],
        tuple((flat.seg_start[s0:s1] - lo).tolist()),
        flat.seg_mean[s0:s1],
        flat.seg_amr[s0:s1],
        flat.seg_no_variation[s0:s1],
    )


def _finish(
    p: _PartialResult, target: float | None, rebases: tuple[int, ...], options: dict
) -> _result.SpcResult:
    improvement = options["improvement"]
    n = len(p.values)
    if n:
        upl = float(p.mean[-1] + _result.LIMIT * p.amr[-1])
        lpl = float(p.mean[-1] - _result.LIMIT * p.amr[-1])
        assurance = _result.assurance(target, improvement, lpl, upl)
    else:
        assurance = None
    return _result.SpcResult(
        values=p.values,
        segments=p.segments,
        segment_mean=p.mean,
        segment_amr=p.amr,
        codes=p.codes,
        variation_icon=_result.variation_icon(int(p.codes[-1]) if n else None, improvement),
        assurance=assurance,
        warnings=_warnings(p, n, options["fix_after"]),
        options=MappingProxyType({**options, "target": target, "rebase_at": rebases}),
    )


def _warnings(p: _PartialResult, n: int, fix_after: int | None) -> tuple[str, ...]:
    ends = (*p.segments[1:], n) if n else ()
    several = len(p.segments) > 1
    out = []
    for start, end, flat in zip(p.segments, ends, p.no_variation, strict=True):
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
