"""Property tests: xmr_batch equals xmr, and xmr equals a literal transcription of PTD.

The transcription below follows NHSRplotthedots 0.2.2's window-by-window R code (as set out
in /work/shared/SPC.md) in plain Python, so it checks the engine's vectorised run-length
approach against the obvious, slow one.
"""

from __future__ import annotations

import itertools
import math
from unittest import mock

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from goldthread.analysis.spc import LABELS, SpcResult, _api, xmr, xmr_batch

NAN = float("nan")

# Small integers make ties at the mean and repeated values common.
value = st.one_of(
    st.integers(0, 4).map(float),
    st.none(),
    st.floats(-50, 50, allow_nan=False, allow_infinity=False),
)
series = st.lists(st.one_of(st.integers(0, 4).map(float), value), min_size=0, max_size=80)
rebase = st.lists(st.integers(-3, 85), max_size=4)
target = st.one_of(st.none(), st.integers(-2, 8).map(float), st.floats(-60, 60))
options = st.fixed_dictionaries(
    {
        "improvement": st.sampled_from(["increase", "decrease", "neutral"]),
        "fix_after": st.one_of(st.none(), st.integers(12, 40)),
        "screen_outliers": st.booleans(),
    },
    optional={
        "mdc_excel_2in3": st.booleans(),
        "shift_length": st.sampled_from([6, 7]),
        "trend_length": st.sampled_from([6, 7]),
        "skip_ties": st.booleans(),
    },
)


def same(a: SpcResult, b: SpcResult) -> bool:
    return (
        np.array_equal(a.values, b.values, equal_nan=True)
        and np.array_equal(a.codes, b.codes)
        and a.segments == b.segments
        and np.array_equal(a.segment_mean, b.segment_mean, equal_nan=True)
        and np.array_equal(a.segment_amr, b.segment_amr, equal_nan=True)
        and np.array_equal(a.upl, b.upl, equal_nan=True)
        and list(a.point_type) == list(b.point_type)
        and (a.variation_icon, a.assurance, a.warnings)
        == (b.variation_icon, b.assurance, b.warnings)
        and dict(a.options) == dict(b.options)
    )


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.tuples(series, rebase, target), min_size=1, max_size=8),
    options,
    st.booleans(),
)
def test_batch_gives_exactly_what_xmr_gives_for_every_series(
    cases: list, opts: dict, per_series: bool
) -> None:
    data = [c[0] for c in cases]
    if per_series:
        rebases, targets = [c[1] for c in cases], [c[2] for c in cases]
    else:
        rebases, targets = [cases[0][1]] * len(cases), [cases[0][2]] * len(cases)
    shared = {} if per_series else {"rebase_at": rebases[0], "target": targets[0]}
    each = {"rebase_at": rebases, "target": targets} if per_series else {}
    batch = xmr_batch(data, **opts, **shared, **each)
    assert len(batch) == len(data)
    for got, values, rb, tg in zip(batch, data, rebases, targets, strict=True):
        assert same(got, xmr(values, rebase_at=rb, target=tg, **opts))


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(series, rebase), min_size=1, max_size=12), options)
def test_batch_results_do_not_depend_on_where_blocks_split(cases: list, opts: dict) -> None:
    data, rebases = [c[0] for c in cases], [c[1] for c in cases]
    whole = xmr_batch(data, rebase_at=rebases, **opts)
    with mock.patch.object(_api, "BLOCK_POINTS", 37):
        split = xmr_batch(data, rebase_at=rebases, **opts)
    assert all(same(a, b) for a, b in zip(whole, split, strict=True))


def total(xs: list[float]) -> float:
    # Plain left-to-right addition: Python's sum() compensates, numpy's bincount does not.
    acc = 0.0
    for x in xs:
        acc += x
    return acc


def ptd_segment(y: list[float], fix_after: int | None, screen: bool) -> tuple[float, float]:
    base = y[:fix_after] if fix_after else y
    present = [v for v in base if not math.isnan(v)]
    mean = total(present) / len(present) if present else NAN
    mrs = [abs(b - a) for a, b in itertools.pairwise(base)]
    mrs = [m for m in mrs if not math.isnan(m)]
    amr = total(mrs) / len(mrs) if mrs else NAN
    if screen and mrs and amr > 0:
        kept = [m for m in mrs if m < 3.267 * amr]
        amr = total(kept) / len(kept)
    return mean, amr  # a flat baseline keeps amr = 0 (ADR 0003) instead of PTD's NaN


def ptd_labels(y: list[float], mean: float, amr: float, shift: int, trend: int, excel: bool):
    n = len(y)
    upl, lpl = mean + 2.66 * amr, mean - 2.66 * amr
    nupl, nlpl = mean + 2 * (2.66 / 3) * amr, mean - 2 * (2.66 / 3) * amr
    outside = [v > upl or v < lpl for v in y]
    side = [NAN if math.isnan(v - mean) else (v > mean) - (v < mean) for v in y]
    beyond = [v > nupl or v < nlpl for v in y]
    close = [b if excel else b and not o for b, o in zip(beyond, outside, strict=True)]
    in_shift, in_trend, in_two = [False] * n, [False] * n, [False] * n
    for i in range(shift - 1, n):
        w = side[i - shift + 1 : i + 1]
        if w[0] in (1, -1) and all(s == w[0] for s in w):
            in_shift[i - shift + 1 : i + 1] = [True] * shift
    steps = [NAN] + [b - a for a, b in itertools.pairwise(y)]
    for i in range(trend - 1, n):
        d = steps[i - trend + 2 : i + 1]
        if all(x > 0 for x in d) or all(x < 0 for x in d):
            in_trend[i - trend + 1 : i + 1] = [True] * trend
    for i in range(2, n):
        w = side[i - 2 : i + 1]
        if w[0] in (1, -1) and all(s == w[0] for s in w) and sum(close[i - 2 : i + 1]) >= 2:
            for j in range(i - 2, i + 1):
                in_two[j] = in_two[j] or close[j]
    out = []
    for i in range(n):
        use_right = i + 1 < n and in_trend[i] and in_trend[i + 1]
        rising = (steps[i + 1] if use_right else steps[i]) > 0
        high = side[i] == 1
        if outside[i]:
            out.append("Above UCL" if high else "Below LCL")
        elif in_trend[i]:
            out.append(f"7 Point Trend ({'Increasing' if rising else 'Decreasing'})")
        elif in_two[i]:
            out.append(f"2 in 3 {'Above' if high else 'Below'} CL")
        elif in_shift[i]:
            out.append(f"7 Points {'Above' if high else 'Below'} CL")
        else:
            out.append("Common Cause")
    return out


@settings(max_examples=400, deadline=None)
@given(series, rebase, options.filter(lambda o: not o.get("skip_ties")))
def test_xmr_matches_a_literal_transcription_of_ptd(values: list, rebase_at: list, opts: dict):
    y = [NAN if v is None else v for v in values]
    starts = sorted({0, *(i for i in rebase_at if 0 < i < len(y))}) if y else []
    expected, means, amrs = [], [], []
    for s, e in zip(starts, [*starts[1:], len(y)][: len(starts)], strict=True):
        mean, amr = ptd_segment(y[s:e], opts["fix_after"], opts["screen_outliers"])
        means.append(mean)
        amrs.append(amr)
        expected += ptd_labels(
            y[s:e],
            mean,
            amr,
            opts.get("shift_length", 7),
            opts.get("trend_length", 7),
            opts.get("mdc_excel_2in3", False),
        )
    result = xmr(values, rebase_at=rebase_at, **opts)
    assert list(result.label) == expected
    assert set(expected) <= set(LABELS)
    assert np.array_equal(result.segment_mean, means, equal_nan=True)
    assert np.array_equal(result.segment_amr, amrs, equal_nan=True)
