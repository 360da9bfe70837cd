"""Vectorised XmR calculations over one flat array holding many series.

Every series is laid end to end in one 1-D array. A boolean ``starts`` array marks the first
row of every segment (each series starts a segment, and so does each rebase point), so a
single set of numpy operations computes limits, rules and labels for all series at once.
Nothing here loops over series or points; the only Python loops are over window offsets.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

LIMIT = 2.66  # NHSRplotthedots uses 2.66, not 3/1.128
NEAR_LIMIT = 2 * (LIMIT / 3)  # written as PTD writes it, so the float is bit-identical
SCREEN = 3.267  # moving ranges at or above 3.267 x mean moving range are screened out

# Label codes, in the order of SpcResult label names (see _result.LABELS).
COMMON, ABOVE_UCL, BELOW_LCL, TREND_UP, TREND_DOWN = 0, 1, 2, 3, 4
TWO_IN_THREE_ABOVE, TWO_IN_THREE_BELOW, SHIFT_ABOVE, SHIFT_BELOW = 5, 6, 7, 8


@dataclass(frozen=True)
class Rules:
    """The rule settings one calculation uses (defaults are NHSRplotthedots 0.2.2's)."""

    fix_after: int | None = None
    screen_outliers: bool = True
    mdc_excel_2in3: bool = False
    shift_length: int = 7
    trend_length: int = 7
    skip_ties: bool = False


@dataclass(frozen=True)
class Flat:
    """Results on the flat array: per-segment limits and per-point label codes."""

    seg_start: np.ndarray  # flat index of each segment's first row
    seg_mean: np.ndarray
    seg_amr: np.ndarray  # mean moving range after screening; 0 means "no variation"
    seg_no_variation: np.ndarray  # bool: every moving range in the baseline was 0
    codes: np.ndarray  # int8 label code per point


def calculate(y: np.ndarray, starts: np.ndarray, rules: Rules) -> Flat:
    """Compute segment limits and point labels for the flat array ``y``."""
    if not len(y):
        empty = np.empty(0)
        return Flat(np.empty(0, np.int64), empty, empty, empty.astype(bool), empty.astype(np.int8))
    seg_id = np.cumsum(starts) - 1
    seg_start = np.flatnonzero(starts)
    mean, amr, no_variation = _limits(y, starts, seg_id, seg_start, rules)
    codes = _labels(y, starts, mean[seg_id], amr[seg_id], rules)
    return Flat(seg_start, mean, amr, no_variation, codes)


def _segment_mean(seg_id: np.ndarray, keep: np.ndarray, x: np.ndarray, n_seg: int) -> np.ndarray:
    """Mean of ``x`` over ``keep`` rows per segment (NaN when none are kept).

    ``np.bincount`` adds in index order, so a series gives bit-identical sums whether it is
    computed alone or in a batch; that is what lets ``xmr_batch`` equal ``xmr`` exactly.
    """
    total = np.bincount(seg_id, weights=np.where(keep, x, 0.0), minlength=n_seg)
    count = np.bincount(seg_id, weights=keep, minlength=n_seg)
    return np.divide(total, count, out=np.full(n_seg, np.nan), where=count > 0)


def _limits(
    y: np.ndarray, starts: np.ndarray, seg_id: np.ndarray, seg_start: np.ndarray, rules: Rules
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    n_seg = len(seg_start)
    row = np.arange(len(y)) - seg_start[seg_id]
    # The baseline is the first fix_after rows of each segment (missing rows included).
    in_base = row < (rules.fix_after if rules.fix_after is not None else len(y) + 1)
    present = in_base & ~np.isnan(y)
    mean = _segment_mean(seg_id, present, y, n_seg)

    mr = np.abs(np.diff(y, prepend=np.nan))
    has_mr = present & np.roll(present, 1) & ~starts
    amr = _segment_mean(seg_id, has_mr, mr, n_seg)
    no_variation = amr == 0
    if rules.screen_outliers:
        # One pass only, strict: a moving range equal to 3.267 x amr is screened out.
        keep = has_mr & (mr < SCREEN * amr[seg_id])
        amr = _segment_mean(seg_id, keep, mr, n_seg)
        # PTD screens out every moving range of a flat baseline and reports NaN limits; we
        # report limits on the mean instead (docs/adr/0003-spc-constant-series.md).
        amr[no_variation] = 0.0
    return mean, amr, no_variation


def _labels(
    y: np.ndarray, starts: np.ndarray, mean: np.ndarray, amr: np.ndarray, rules: Rules
) -> np.ndarray:
    upl, lpl = mean + LIMIT * amr, mean - LIMIT * amr
    nupl, nlpl = mean + NEAR_LIMIT * amr, mean - NEAR_LIMIT * amr
    above, below = y > upl, y < lpl  # NaN compares False, so missing rows are never flagged
    side = np.sign(y - mean)  # NaN for missing rows or a missing mean
    beyond_near = (y > nupl) | (y < nlpl)
    close = beyond_near if rules.mdc_excel_2in3 else beyond_near & ~(above | below)

    shift = _shift(side, starts, rules)
    trend, rising = _trend(y, starts, rules)
    two_in_three = _two_in_three(side, close, starts)

    high = side > 0
    return np.select(
        [
            above,
            below,
            trend & rising,
            trend,
            two_in_three & high,
            two_in_three,
            shift & high,
            shift,
        ],
        [
            ABOVE_UCL,
            BELOW_LCL,
            TREND_UP,
            TREND_DOWN,
            TWO_IN_THREE_ABOVE,
            TWO_IN_THREE_BELOW,
            SHIFT_ABOVE,
            SHIFT_BELOW,
        ],
        COMMON,
    ).astype(np.int8)


def _plain_runs(sign: np.ndarray, reset: np.ndarray, length: int) -> np.ndarray:
    """Positions in runs of at least ``length`` adjacent positions of one non-zero sign.

    The fast path when nothing is skipped: a position that does not count carries sign 0,
    so every run is simply a stretch of equal signs, cut at ``reset`` positions.
    """
    boundary = reset.copy()
    boundary[:1] = True
    boundary[1:] |= sign[1:] != sign[:-1]
    first = np.flatnonzero(boundary)
    run_len = np.diff(first, append=len(sign))
    return np.repeat(run_len >= length, run_len) & (sign != 0)


def _long_runs(
    sign: np.ndarray, counting: np.ndarray, reset: np.ndarray, length: int
) -> tuple[np.ndarray, np.ndarray]:
    """Find runs of at least ``length`` counting positions that share a sign.

    A run restarts at every ``reset`` position and wherever a counting position's sign differs
    from the previous counting position's. Positions that neither count nor reset (skipped
    ties) join the run they sit in. Returns ``in_span`` (the position lies between the first
    and last counting position of a long run) and ``prev`` (index of the previous counting
    position, -1 if none), which callers use to give skipped positions their run's sign.
    """
    idx = np.arange(len(sign))
    last_counting = np.maximum.accumulate(np.where(counting, idx, -1))
    prev = np.concatenate(([-1], last_counting[:-1]))
    last_reset = np.maximum.accumulate(np.where(reset, idx, -1))
    same_run = (prev >= 0) & (prev >= last_reset)
    turned = counting & same_run & (sign[np.maximum(prev, 0)] != sign)
    new_run = reset | turned
    if len(new_run):
        new_run[0] = True
    run_id = np.cumsum(new_run) - 1
    total = np.bincount(run_id, weights=counting)[run_id]
    cum = np.cumsum(counting)
    run_first = np.maximum.accumulate(np.where(new_run, idx, 0))
    upto = cum - (cum[run_first] - counting[run_first])  # counting positions so far in the run
    in_span = (total >= length) & (upto >= 1) & (upto - counting < total)
    return in_span, prev


def _shift(side: np.ndarray, starts: np.ndarray, rules: Rules) -> np.ndarray:
    """Points in a run of ``shift_length`` or more on one side of the mean."""
    missing = np.isnan(side)
    on_mean = side == 0
    counting = ~missing & ~on_mean
    sign = np.where(counting, side, 0).astype(np.int8)
    if not rules.skip_ties:
        return _plain_runs(sign, starts, rules.shift_length)
    in_span, _ = _long_runs(sign, counting, starts | missing, rules.shift_length)
    return in_span & counting  # a skipped point on the mean is never labelled above or below


def _trend(y: np.ndarray, starts: np.ndarray, rules: Rules) -> tuple[np.ndarray, np.ndarray]:
    """Points in a trend, and whether each trend point is labelled increasing.

    Position j holds the step from point j-1 to point j; a trend of n points is n-1 steps.
    """
    step = np.diff(y, prepend=np.nan)
    valid = ~np.isnan(step) & ~starts
    step_sign = np.where(valid, np.sign(np.where(valid, step, 0.0)), 0).astype(np.int8)
    flat = valid & (step_sign == 0)
    counting = valid & ~flat
    if rules.skip_ties:
        in_span, prev = _long_runs(step_sign, counting, ~valid, rules.trend_length - 1)
        # A skipped repeat inside a trend takes the trend's direction.
        direction = np.where(in_span & flat, step_sign[np.maximum(prev, 0)], step_sign)
    else:
        in_span, direction = _plain_runs(step_sign, starts, rules.trend_length - 1), step_sign
    trend = in_span | np.concatenate((in_span[1:], [False]))  # a step flags both its ends

    # PTD's direction rule: use the step to the right if that neighbour is also in a trend,
    # else the step from the left, so a peak shared by two trends takes the later one.
    right_in_trend = np.concatenate((trend[1:] & ~starts[1:], [False]))
    right_step = np.concatenate((direction[1:], [0]))
    rising = np.where(trend & right_in_trend, right_step, direction) == 1
    return trend, rising


def _two_in_three(side: np.ndarray, close: np.ndarray, starts: np.ndarray) -> np.ndarray:
    """Close points in a full window of 3 where 2 or more are close, all on one side."""
    n = len(side)
    flagged = np.zeros(n, dtype=bool)
    if n < 3:
        return flagged
    a, b, c = side[:-2], side[1:-1], side[2:]
    same_side = (a == b) & (b == c) & (a != 0)  # NaN never equals, so missing rows break it
    within = ~starts[1:-1] & ~starts[2:]
    count = close[:-2].astype(np.int8) + close[1:-1] + close[2:]
    fires = same_side & within & (count >= 2)
    for offset in range(3):
        flagged[offset : n - 2 + offset] |= fires
    return flagged & close
