"""Benchmark position of one council's value within its comparator group (the Oflog way).

Oflog's Local Authority Data Explorer places a council against its comparators by rank, by
quartile and by distance from the group median measured in median absolute deviations (MAD).
Oflog uses the *unscaled* MAD (no 1.4826 normal-consistency factor), and so do we, so our
numbers can be checked against theirs.

Decisions (see also ``docs/forecasting.md``):

- ``include_self=True`` (default): ``comparators`` already holds the council's own value, as in
  Oflog's and LGBF's published groups. Rank, median and MAD are all over that list.
  ``include_self=False``: ``comparators`` holds only the other councils; the council is added
  for ranking (``out_of`` = others + 1) but the median and MAD describe the others only, so the
  council is measured against the group it is compared with.
- Ranking is "competition" ranking: ties share the best rank of the tie (1, 2, 2, 4).
- The quartile comes from the rank (``ceil(4 * rank / out_of)``), so tied councils always share
  a quartile. Groups of fewer than four have no quartile: "best quarter of 3" means nothing.
- Polarity ``band`` ranks by distance from the band (zero anywhere inside it). A band of one
  point, ``(m, m)``, is the LGBF "Goldilocks" midpoint.
- Polarity ``none`` (context indicators) has no "best": no rank and no quartile, only where the
  value sits against the middle value.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

POLARITIES = ("higher", "lower", "band", "none")
_QUARTER_WORDS = {1: "the best quarter", 2: "the second quarter", 3: "the third quarter"}
_QUARTER_WORDS[4] = "the worst quarter"


@dataclass(frozen=True)
class BenchmarkPosition:
    value: float | None
    rank: int | None
    out_of: int
    quartile: int | None
    median: float | None
    mad: float | None
    distance_in_mads: float | None
    band_text: str
    warnings: tuple[str, ...] = ()


def benchmark_position(
    value: float | None,
    comparators: Sequence[float | None],
    *,
    polarity: str,
    band: tuple[float, float] | None = None,
    min_group: int = 5,
    include_self: bool = True,
) -> BenchmarkPosition:
    """Place ``value`` in its comparator group; positive distances are always better."""
    _check_arguments(polarity, band)
    warnings: list[str] = []
    group, n_missing = _clean(comparators)
    if n_missing:
        verb = "was" if n_missing == 1 else "were"
        warnings.append(
            f"{_count(n_missing, 'comparator value', True)} {verb} missing and left out."
        )
    own = None if _is_missing(value) else float(value)  # type: ignore[arg-type]
    if own is None:
        warnings.append("There is no value for this council, so it cannot be placed.")
    if include_self and own is not None and not np.any(np.isclose(group, own)):
        warnings.append("The council's own value is not in the comparator list given.")
    ranked = group if include_self or own is None else np.append(group, own)
    out_of = len(ranked)
    if out_of < min_group:
        warnings.append(
            f"Only {_count(out_of, 'council')} in the group (fewer than {min_group}), "
            "so the position is less reliable."
        )
    median, mad = _median_and_mad(group)
    distance = _distance(own, median, mad, polarity, band, warnings)
    rank = _rank(own, ranked, polarity, band)
    quartile = None if rank is None or out_of < 4 else min(4, math.ceil(4 * rank / out_of))
    text = _band_text(own, rank, quartile, out_of, median, polarity)
    return BenchmarkPosition(
        own, rank, out_of, quartile, median, mad, distance, text, tuple(warnings)
    )


def _check_arguments(polarity: str, band: tuple[float, float] | None) -> None:
    if polarity not in POLARITIES:
        raise ValueError(f"polarity must be one of {POLARITIES}, not {polarity!r}")
    if polarity == "band" and (band is None or band[0] > band[1]):
        raise ValueError("polarity 'band' needs band=(low, high) with low <= high")


def _is_missing(x: float | None) -> bool:
    return x is None or (isinstance(x, float | int | np.floating) and math.isnan(x))


def _clean(values: Sequence[float | None]) -> tuple[np.ndarray, int]:
    kept = [float(v) for v in values if not _is_missing(v)]  # type: ignore[arg-type]
    return np.array(kept, dtype=float), len(values) - len(kept)


def _median_and_mad(group: np.ndarray) -> tuple[float | None, float | None]:
    if group.size == 0:
        return None, None
    median = float(np.median(group))
    return median, float(np.median(np.abs(group - median)))


def _badness(x: np.ndarray | float, polarity: str, band: tuple[float, float] | None):
    """Smaller is better, so every polarity ranks the same way."""
    if polarity == "higher":
        return -np.asarray(x)
    if polarity == "lower":
        return np.asarray(x)
    low, high = band  # type: ignore[misc]
    return np.maximum(np.maximum(low - np.asarray(x), 0.0), np.asarray(x) - high)


def _rank(own: float | None, ranked: np.ndarray, polarity: str, band) -> int | None:
    if own is None or polarity == "none" or ranked.size == 0:
        return None
    own_badness = _badness(own, polarity, band)
    # isclose keeps float noise (0.1 + 0.2) from splitting a tie.
    others = _badness(ranked, polarity, band)
    better = (others < own_badness) & ~np.isclose(others, own_badness)
    return int(better.sum()) + 1


def _distance(own, median, mad, polarity, band, warnings: list[str]) -> float | None:
    if own is None or median is None:
        return None
    if mad == 0:
        warnings.append(
            "At least half the group have exactly the middle value, so the distance from "
            "it cannot be measured in median absolute deviations."
        )
        return None
    if polarity == "none":
        return (own - median) / mad
    return float(_badness(median, polarity, band) - _badness(own, polarity, band)) / mad


def _band_text(own, rank, quartile, out_of, median, polarity) -> str:
    if out_of == 0:
        return "No comparator data."
    if own is None:
        return f"No value for this council, so it cannot be placed among {out_of} councils."
    if polarity == "none":
        return _position_text(own, median, out_of)
    if quartile is not None:
        return f"In {_QUARTER_WORDS[quartile]} of {out_of} comparators."
    return f"{_ordinal(rank)} best of {_count(out_of, 'council')}."


def _position_text(own: float, median: float, out_of: int) -> str:
    if math.isclose(own, median):
        side = "The same as"
    else:
        side = "Higher than" if own > median else "Lower than"
    return f"{side} the middle value of {out_of} comparators."


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _count(n: int, noun: str, capital: bool = False) -> str:
    """GOV.UK style: words for one to nine, numerals from 10."""
    words = ["no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
    number = words[n] if n < 10 else str(n)
    number = number.capitalize() if capital else number
    return f"{number} {noun}{'' if n == 1 else 's'}"
