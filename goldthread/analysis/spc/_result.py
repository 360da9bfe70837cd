"""The result of one XmR calculation, with the words the UI shows for it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np

from goldthread.analysis.spc._engine import LIMIT, NEAR_LIMIT

# Indexed by the engine's label codes.
LABELS = np.array(
    [
        "Common Cause",
        "Above UCL",
        "Below LCL",
        "7 Point Trend (Increasing)",
        "7 Point Trend (Decreasing)",
        "2 in 3 Above CL",
        "2 in 3 Below CL",
        "7 Points Above CL",
        "7 Points Below CL",
    ]
)
# +1 for labels about high or rising values, -1 for low or falling ones.
_LABEL_SIDE = np.array([0, 1, -1, 1, -1, 1, -1, 1, -1], dtype=np.int8)
_DIRECTION = {"increase": 1, "decrease": -1, "neutral": 0}

VARIATION_TEXT = {
    "common_cause": "Common cause variation: the latest point shows nothing unusual",
    "improvement_high": "Special cause variation of improvement: "
    "the latest point is unusually high",
    "improvement_low": "Special cause variation of improvement: the latest point is unusually low",
    "concern_high": "Special cause variation of concern: the latest point is unusually high",
    "concern_low": "Special cause variation of concern: the latest point is unusually low",
    "neutral_high": "Special cause variation: the latest point is unusually high",
    "neutral_low": "Special cause variation: the latest point is unusually low",
}
ASSURANCE_TEXT = {
    "consistent_pass": "The target will be met consistently: it is outside the process limits",
    "consistent_fail": "The target will be missed consistently unless something changes: "
    "it is outside the process limits",
    "inconsistent": "The target will sometimes be met and sometimes missed: "
    "it is inside the process limits",
}


@dataclass(frozen=True)
class Block:
    """Arrays shared by every result computed in one vectorised block (see _engine.Flat)."""

    values: np.ndarray  # float64 per point, NaN for missing, read-only
    codes: np.ndarray  # int8 label code per point, read-only
    seg_mean: np.ndarray
    seg_amr: np.ndarray


@dataclass(frozen=True, eq=False, slots=True)
class SpcResult:
    """An XmR chart for one series, calculated the NHS "Making Data Count" way.

    Stored compactly so that 100,000 results fit in little memory: each result points into
    arrays shared with the other series of its block. Every array property builds or views a
    read-only numpy array on access. Per point (one entry per input value; missing values
    keep their row): ``values``, ``codes``, ``mean``, ``lpl``, ``upl``, ``near_lpl``,
    ``near_upl``, ``label``, ``special_cause``, ``point_type``. Per segment:
    ``segment_mean`` and ``segment_amr``.
    """

    _block: Block = field(repr=False)
    _points: slice = field(repr=False)  # this series' rows of the block
    _segs: slice = field(repr=False)  # this series' segments of the block
    segments: tuple[int, ...]  # index of the first point of each segment
    variation_icon: str
    assurance: str | None
    warnings: tuple[str, ...]
    options: Mapping[str, object]  # every option used, including defaults

    @property
    def values(self) -> np.ndarray:
        """The input as float64, NaN for missing."""
        return self._block.values[self._points]

    @property
    def codes(self) -> np.ndarray:
        """int8 index into LABELS per point."""
        return self._block.codes[self._points]

    @property
    def segment_mean(self) -> np.ndarray:
        return self._block.seg_mean[self._segs]

    @property
    def segment_amr(self) -> np.ndarray:
        """Mean moving range after screening, per segment; 0 means no variation."""
        return self._block.seg_amr[self._segs]

    @property
    def _lengths(self) -> np.ndarray:
        starts = np.array(self.segments, dtype=np.int64)
        return np.diff(starts, append=len(self.values)) if len(starts) else starts

    def _per_point(self, per_segment: np.ndarray) -> np.ndarray:
        return np.repeat(per_segment, self._lengths)

    @property
    def mean(self) -> np.ndarray:
        return self._per_point(self.segment_mean)

    @property
    def upl(self) -> np.ndarray:
        return self._per_point(self.segment_mean + LIMIT * self.segment_amr)

    @property
    def lpl(self) -> np.ndarray:
        return self._per_point(self.segment_mean - LIMIT * self.segment_amr)

    @property
    def near_upl(self) -> np.ndarray:
        """The upper "2 sigma" line."""
        return self._per_point(self.segment_mean + NEAR_LIMIT * self.segment_amr)

    @property
    def near_lpl(self) -> np.ndarray:
        """The lower "2 sigma" line."""
        return self._per_point(self.segment_mean - NEAR_LIMIT * self.segment_amr)

    @property
    def label(self) -> np.ndarray:
        return LABELS[self.codes]

    @property
    def special_cause(self) -> np.ndarray:
        return self.codes != 0

    @property
    def point_type(self) -> np.ndarray:
        return point_types(self.codes, str(self.options["improvement"]))

    @property
    def variation_text(self) -> str:
        return VARIATION_TEXT[self.variation_icon]

    @property
    def assurance_text(self) -> str | None:
        return ASSURANCE_TEXT.get(self.assurance) if self.assurance else None

    @property
    def method_text(self) -> str:
        """Which rules this chart uses, for a note under the chart."""
        return method_text(self.options)


def point_types(codes: np.ndarray, improvement: str) -> np.ndarray:
    """Colour class per point: the label's side times the improvement direction."""
    side = _LABEL_SIDE[codes]
    if improvement == "neutral":
        names = np.array(
            ["special_cause_neutral_low", "common_cause", "special_cause_neutral_high"]
        )
        return names[side + 1]
    names = np.array(["special_cause_concern", "common_cause", "special_cause_improvement"])
    return names[side * _DIRECTION[improvement] + 1]


def variation_icon(last_code: int | None, improvement: str) -> str:
    """The chart's icon comes from the latest point only (MDC; PTD issue #71)."""
    side = 0 if last_code is None else int(_LABEL_SIDE[last_code])
    if side == 0:
        return "common_cause"
    high_low = "high" if side > 0 else "low"
    if improvement == "neutral":
        return f"neutral_{high_low}"
    good = side * _DIRECTION[improvement] > 0
    return f"{'improvement' if good else 'concern'}_{high_low}"


def assurance(target: float | None, improvement: str, lpl: float, upl: float) -> str | None:
    """Compare the target with the latest limits, strictly (a target on a limit is "?")."""
    if target is None or improvement == "neutral":
        return None
    better_above = improvement == "increase"
    if target > upl:
        return "consistent_fail" if better_above else "consistent_pass"
    if target < lpl:
        return "consistent_pass" if better_above else "consistent_fail"
    return "inconsistent"  # also when the limits are missing, as PTD does


def method_text(options: Mapping[str, object]) -> str:
    """Name the rule set, listing any option that differs from NHSRplotthedots 0.2.2."""
    changes = []
    if not options["screen_outliers"]:
        changes.append("no screening of large moving ranges")
    if options["mdc_excel_2in3"]:
        changes.append("2 in 3 counts every point beyond the 2 sigma line")
    if options["shift_length"] != 7:
        changes.append(f"{options['shift_length']} points one side of the mean")
    if options["trend_length"] != 7:
        changes.append(f"{options['trend_length']} point trends")
    if options["skip_ties"]:
        changes.append("points on the mean and repeated values are skipped")
    if options["fix_after"] is not None:
        changes.append(f"limits fixed after {options['fix_after']} points")
    base = "NHS Making Data Count rules, as in NHSRplotthedots 0.2.2"
    return f"{base}, with {'; '.join(changes)}" if changes else base
