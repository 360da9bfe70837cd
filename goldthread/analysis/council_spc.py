"""SPC for a whole council: one xmr_batch call per improvement direction, laid out per row.

Used by council.py, which lays out the rows. Each indicator's approved series is charted
with missing periods kept in place; each row gets its point's label and point type, each
indicator its variation and assurance icons, and each segment its mean and process limits
(`SegmentColumns`, ADR 10).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np

from goldthread.analysis.periods import Frequency, Period
from goldthread.analysis.spc import LIMIT, xmr_batch
from goldthread.analysis.spc._result import LABELS, point_types
from goldthread.analysis.status import Polarity
from goldthread.analysis.targets import default_target_at

if TYPE_CHECKING:
    from goldthread.analysis.council import IndicatorInput, _Layout

_IMPROVEMENT = {
    Polarity.HIGHER: "increase",
    Polarity.LOWER: "decrease",
    Polarity.BAND: "neutral",
    Polarity.NONE: "neutral",
}


@dataclass
class SegmentColumns:
    """Every SPC segment of every indicator, one entry per segment, by indicator then start.

    first and last are period ordinals of the segment's first and last periods (gaps
    included); limits are the same for every point of a segment (Making Data Count).
    """

    owner: np.ndarray  # index into the inputs
    number: np.ndarray  # 0 for an indicator's first segment
    first: np.ndarray
    last: np.ndarray
    mean: np.ndarray
    mean_moving_range: np.ndarray
    lpl: np.ndarray
    upl: np.ndarray

    def __len__(self) -> int:
        return len(self.owner)


def maybe(value: float) -> float | None:
    return None if value != value else value  # NaN is the only value not equal to itself


def spc_columns(inputs, layout: _Layout, owner: np.ndarray, ordinal: np.ndarray):
    """SPC for every indicator (one xmr_batch call per improvement direction), per row, and
    each indicator's segments."""
    flat, segments = _spc_flat(inputs, layout)
    position = layout.positions(owner, ordinal)
    has = (position >= 0) & flat["ok"][owner]
    at = np.where(has, position, -1)

    def column(name: str, missing):
        padded = np.append(flat[name], np.array([missing], dtype=flat[name].dtype))
        return np.where(has, padded[at], missing)

    columns = {
        "has_spc": has,
        "spc_label": column("label", ""),
        "spc_point_type": column("point_type", ""),
        "spc_mean": column("mean", np.nan),
        "spc_lpl": column("lpl", np.nan),
        "spc_upl": column("upl", np.nan),
        "variation_icon": np.where(has, flat["icon"][owner], ""),
        "assurance": np.where(has, flat["assurance"][owner], None),
    }
    return columns, segments


def _spc_flat(inputs, layout: _Layout) -> tuple[dict[str, np.ndarray], SegmentColumns]:
    """SPC arrays laid out like layout.values ("ok" marks indicators with SPC: 2+ points),
    and the segments. Labels, point types and limits are filled in whole arrays at the end:
    reading them result by result cost more than the SPC itself."""
    size = len(layout.values)
    codes = np.zeros(size, dtype=np.int8)
    ok = np.zeros(len(inputs), dtype=bool)
    icon = np.full(len(inputs), "", dtype=object)
    assurance = np.full(len(inputs), None, dtype=object)
    improvement_of = np.full(len(inputs), "", dtype=object)
    found: list[tuple[int, object]] = []
    groups: dict[str, list[int]] = {}
    for n, item in enumerate(inputs):
        if layout.length[n] >= 2:
            groups.setdefault(_IMPROVEMENT[item.spec.polarity], []).append(n)
    for improvement, members in groups.items():
        series = [layout.series(n) for n in members]
        targets = [_assurance_target(inputs[n], layout, n) for n in members]
        results = xmr_batch(series, improvement=improvement, target=targets)
        for n, result in zip(members, results, strict=True):
            codes[_span(layout, n)] = result.codes
            ok[n], icon[n], assurance[n] = True, result.variation_icon, result.assurance
            improvement_of[n] = improvement
            found.append((n, result))
    segments = _segments(layout, sorted(found, key=lambda pair: pair[0]))
    flat = _per_point(layout, segments, codes, ok, improvement_of)
    return flat | {"ok": ok, "icon": icon, "assurance": assurance}, segments


def _span(layout: _Layout, n: int) -> slice:
    return slice(layout.offset[n], layout.offset[n] + layout.length[n])


def _per_point(layout: _Layout, segments: SegmentColumns, codes, ok, improvement_of) -> dict:
    """Each point's label, point type, mean and limits, "" or NaN outside SPC."""
    size = len(layout.values)
    owner = np.repeat(np.arange(len(ok)), layout.length)
    has = ok[owner]
    lengths = segments.last - segments.first + 1
    out = {
        "label": np.where(has, LABELS[codes], "").astype(object),
        "point_type": np.full(size, "", dtype=object),
    }
    # Segments are in layout order and cover each SPC indicator's span end to end.
    for name in ("mean", "lpl", "upl"):
        column = np.full(size, np.nan)
        column[has] = np.repeat(getattr(segments, name), lengths)
        out[name] = column
    for improvement in set(improvement_of[ok].tolist()):
        chosen = improvement_of[owner] == improvement
        out["point_type"][chosen] = point_types(codes[chosen], improvement)
    return out


def _segments(layout: _Layout, found: list[tuple[int, object]]) -> SegmentColumns:
    owners = [n for n, _result in found]
    counts = [len(result.segments) for _n, result in found]
    owner = np.repeat(np.array(owners, dtype=np.int64), counts)
    starts = np.array([s for _n, r in found for s in r.segments], dtype=np.int64)
    ends = np.array(
        [e for n, r in found for e in (*r.segments[1:], int(layout.length[n]))], dtype=np.int64
    )
    mean = _joined([r.segment_mean for _n, r in found])
    amr = _joined([r.segment_amr for _n, r in found])
    index = np.arange(len(owner))
    firsts = np.flatnonzero(np.diff(owner, prepend=-1) != 0)
    number = index - np.repeat(firsts, np.diff(np.append(firsts, len(owner))))
    return SegmentColumns(
        owner=owner,
        number=number,
        first=layout.first[owner] + starts,
        last=layout.first[owner] + ends - 1,
        mean=mean,
        mean_moving_range=amr,
        lpl=mean - LIMIT * amr,
        upl=mean + LIMIT * amr,
    )


def _joined(arrays: list[np.ndarray]) -> np.ndarray:
    return np.concatenate(arrays).astype(float) if arrays else np.array([], dtype=float)


def _target_at(item: IndicatorInput, ordinal: int, ppy: int, key: str) -> float:
    spec = item.targets.get(ordinal // ppy)
    if spec is None:
        return np.nan
    if spec.profile and spec.profile.get(key) is not None:
        return float(spec.profile[key])
    if spec.annual_target is None:
        return np.nan
    return default_target_at(
        spec.annual_target, ordinal % ppy, ppy, item.spec.accumulation, item.spec.aggregation
    )


def _assurance_target(item: IndicatorInput, layout: _Layout, n: int) -> float | None:
    if item.spec.is_context or item.spec.polarity in (Polarity.BAND, Polarity.NONE):
        return None
    last = int(layout.first[n] + layout.length[n] - 1)
    ppy = int(layout.ppy[n])
    return maybe(_target_at(item, last, ppy, _key_of(item.frequency, last)))


@lru_cache(maxsize=65536)
def _key_of(frequency: Frequency, ordinal: int) -> str:
    return Period.from_ordinal(frequency, ordinal).key
