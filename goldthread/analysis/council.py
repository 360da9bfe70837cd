"""Judge a whole council in one batch: RAG, direction of travel, SPC, forecast, explanation.

`judge_council` takes every indicator's approved figures and targets and returns one
`FullJudgement` per period to judge. RAG and direction are computed for every judgement in
vectorised numpy calls, SPC in one `xmr_batch` call per improvement direction, so re-judging
2,000 indicators is a handful of array operations, not 2,000 loops.

Decisions (see docs/adr/0006-stored-spc-forecast-explanation.md):
- SPC runs over each indicator's whole approved series (missing periods kept in place, as
  Making Data Count does). Each judgement stores its own point's label and limits; the
  variation and assurance icons describe the series as it stood when it was judged.
- The forecast and the explanation are made for each indicator's latest period: that is the
  judgement people act on, and the one still open. Older periods keep RAG, direction and SPC,
  and a published judgement keeps the forecast and explanation it was published with.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from goldthread.analysis.explain import ForecastFacts, JudgementFacts, explain
from goldthread.analysis.forecast import Forecast, forecast_year_end
from goldthread.analysis.judge import IndicatorSpec, TargetSpec
from goldthread.analysis.periods import Frequency, Period, parse_period
from goldthread.analysis.spc import xmr_batch
from goldthread.analysis.status import (
    DIRECTION_ORDER,
    RAG_ORDER,
    Direction,
    JudgementRules,
    Polarity,
    Rag,
    direction_codes,
    rag,
    rag_codes,
)
from goldthread.analysis.targets import default_target_at

_IMPROVEMENT = {
    Polarity.HIGHER: "increase",
    Polarity.LOWER: "decrease",
    Polarity.BAND: "neutral",
    Polarity.NONE: "neutral",
}
_NOUN = {Frequency.MONTHLY: "month", Frequency.QUARTERLY: "quarter", Frequency.ANNUAL: "year"}
_UNIT = {"percent": "%", "currency": "£", "days": "days"}


@dataclass(frozen=True)
class IndicatorInput:
    ident: int
    frequency: Frequency
    spec: IndicatorSpec
    series: Mapping[str, float | None]
    targets: Mapping[int, TargetSpec | None]
    unit: str = "number"
    judge: Collection[str] | None = None  # period keys to judge; None judges every figure


# Hundreds of thousands of these are made per council: slots, and not frozen (a frozen
# dataclass sets every field through object.__setattr__, several times slower).
@dataclass(slots=True)
class SpcPoint:
    label: str
    point_type: str
    mean: float | None
    lpl: float | None
    upl: float | None
    variation_icon: str
    assurance: str | None


@dataclass(slots=True)
class FullJudgement:
    ident: int
    period: str
    value: float | None
    target: float | None
    band: tuple[float, float] | None
    rag: Rag
    previous_value: float | None
    last_year_value: float | None
    year_end_value: float | None
    direction_previous: Direction
    direction_last_year: Direction
    direction_year_end: Direction
    spc: SpcPoint | None
    forecast: Forecast | None
    forecast_rag: Rag | None
    explanation: str


@dataclass
class _Dense:
    """One indicator's figures laid out by period ordinal, NaN where there is none."""

    ppy: int
    first: int
    values: np.ndarray

    def at(self, ordinal: int) -> float:
        offset = ordinal - self.first
        return float(self.values[offset]) if 0 <= offset < len(self.values) else np.nan


@dataclass
class _Rows:
    """Flat arrays, one row per judgement, built up indicator by indicator."""

    owner: list[int]
    key: list[str]
    ordinal: list[int]
    value: list[float]
    target: list[float]
    previous: list[float]
    last_year: list[float]
    year_end: list[float]


@lru_cache(maxsize=65536)
def _parse(key: str) -> Period:
    return parse_period(key)


def _maybe(value: float) -> float | None:
    return None if value != value else value  # NaN is the only value not equal to itself


def _dense(item: IndicatorInput) -> _Dense:
    ppy = item.frequency.periods_per_year
    if not item.series:
        return _Dense(ppy, 0, np.array([], dtype=float))
    ordinals = {_parse(key).ordinal: value for key, value in item.series.items()}
    first, last = min(ordinals), max(ordinals)
    values = np.full(last - first + 1, np.nan)
    for ordinal, value in ordinals.items():
        if value is not None:
            values[ordinal - first] = value
    return _Dense(ppy, first, values)


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


def judge_council(inputs: Sequence[IndicatorInput], rules: JudgementRules) -> list[FullJudgement]:
    dense = [_dense(item) for item in inputs]
    spc = _spc_points(inputs, dense)
    rows, index = _collect(inputs, dense)
    rags, directions = _statuses(inputs, rows, rules)
    results = []
    for n, item in enumerate(inputs):
        results.extend(_assemble(item, dense[n], spc[n], rows, index[n], rags, directions))
    return results


def _collect(inputs: Sequence[IndicatorInput], dense: list[_Dense]) -> tuple[_Rows, list]:
    rows = _Rows([], [], [], [], [], [], [], [])
    index = []
    for n, item in enumerate(inputs):
        start, d = len(rows.key), dense[n]
        keys = item.judge if item.judge is not None else item.series.keys()
        for ordinal, key in sorted((_parse(k).ordinal, k) for k in keys):
            rows.owner.append(n)
            rows.key.append(key)
            rows.ordinal.append(ordinal)
            rows.value.append(d.at(ordinal))
            rows.target.append(_target_at(item, ordinal, d.ppy, key))
            rows.previous.append(d.at(ordinal - 1))
            rows.last_year.append(d.at(ordinal - d.ppy))
            rows.year_end.append(d.at((ordinal // d.ppy) * d.ppy - 1))
        index.append(range(start, len(rows.key)))
    return rows, index


def _row_specs(inputs, rows: _Rows) -> list[TargetSpec | None]:
    return [
        inputs[n].targets.get(o // inputs[n].frequency.periods_per_year)
        for n, o in zip(rows.owner, rows.ordinal, strict=True)
    ]


def _statuses(inputs, rows: _Rows, rules: JudgementRules):
    """RAG and three directions for every row, as lists of enum members."""
    if not rows.key:
        return [], {"previous": [], "last_year": [], "year_end": []}
    specs = _row_specs(inputs, rows)
    bands = [spec.band if spec is not None and spec.band else (np.nan, np.nan) for spec in specs]
    edges = np.array(bands, dtype=float).reshape(-1, 2)
    owners = np.asarray(rows.owner)
    per_item = {
        "polarity": np.array([str(item.spec.polarity) for item in inputs]),
        "decimals": np.array([_decimals(item) for item in inputs], dtype=float),
        "context": np.array([item.spec.is_context for item in inputs], dtype=bool),
    }
    common = {
        "polarities": per_item["polarity"][owners],
        "bands_low": edges[:, 0],
        "bands_high": edges[:, 1],
        "decimals": per_item["decimals"][owners],
        "rules": rules,
    }
    values = np.asarray(rows.value, dtype=float)
    rag_array = rag_codes(
        values,
        np.asarray(rows.target, dtype=float),
        tolerances=np.array([_tolerance(spec) for spec in specs], dtype=float),
        tolerance_kinds=np.array([_tolerance_kind(spec) or "" for spec in specs]),
        is_context=per_item["context"][owners],
        **common,
    )
    directions = {
        name: _DIRECTIONS[direction_codes(values, np.asarray(other, dtype=float), **common)]
        for name, other in (
            ("previous", rows.previous),
            ("last_year", rows.last_year),
            ("year_end", rows.year_end),
        )
    }
    return _RAGS[rag_array].tolist(), {k: v.tolist() for k, v in directions.items()}


_RAGS = np.array(RAG_ORDER, dtype=object)
_DIRECTIONS = np.array(DIRECTION_ORDER, dtype=object)


def _decimals(item: IndicatorInput) -> float:
    return np.nan if item.spec.decimals is None else item.spec.decimals


def _tolerance(spec: TargetSpec | None) -> float:
    return np.nan if spec is None or spec.tolerance is None else float(spec.tolerance)


def _tolerance_kind(spec: TargetSpec | None) -> str | None:
    return None if spec is None or spec.tolerance is None else str(spec.tolerance_kind)


def _spc_points(inputs, dense: list[_Dense]) -> list:
    """SPC for every indicator, in one xmr_batch call per improvement direction."""
    out: list = [None] * len(inputs)
    groups: dict[str, list[int]] = {}
    for n, item in enumerate(inputs):
        if len(dense[n].values) >= 2:
            groups.setdefault(_IMPROVEMENT[item.spec.polarity], []).append(n)
    for improvement, members in groups.items():
        series = [dense[n].values for n in members]
        targets = [_assurance_target(inputs[n], dense[n]) for n in members]
        results = xmr_batch(series, improvement=improvement, target=targets)
        for n, result in zip(members, results, strict=True):
            out[n] = _SpcArrays.of(result)
    return out


@dataclass(frozen=True)
class _SpcArrays:
    """One series' SPC arrays, read once: SpcResult builds each array when asked."""

    label: list
    point_type: list
    mean: list
    lpl: list
    upl: list
    variation_icon: str
    assurance: str | None

    @classmethod
    def of(cls, result) -> _SpcArrays:
        def floats(array) -> list:
            return [None if x != x else float(x) for x in array.tolist()]

        return cls(
            label=result.label.tolist(),
            point_type=result.point_type.tolist(),
            mean=floats(result.mean),
            lpl=floats(result.lpl),
            upl=floats(result.upl),
            variation_icon=result.variation_icon,
            assurance=result.assurance,
        )


def _assurance_target(item: IndicatorInput, d: _Dense) -> float | None:
    if item.spec.is_context or item.spec.polarity in (Polarity.BAND, Polarity.NONE):
        return None
    last = d.first + len(d.values) - 1
    return _maybe(_target_at(item, last, d.ppy, _key_of(item.frequency, last)))


@lru_cache(maxsize=65536)
def _key_of(frequency: Frequency, ordinal: int) -> str:
    return Period.from_ordinal(frequency, ordinal).key


def _spc_point(result: _SpcArrays | None, offset: int) -> SpcPoint | None:
    if result is None or not 0 <= offset < len(result.label):
        return None
    return SpcPoint(
        label=result.label[offset],
        point_type=result.point_type[offset],
        mean=result.mean[offset],
        lpl=result.lpl[offset],
        upl=result.upl[offset],
        variation_icon=result.variation_icon,
        assurance=result.assurance,
    )


def _assemble(item, d: _Dense, spc, rows: _Rows, span: range, rags, directions):
    latest = d.first + len(d.values) - 1 if len(d.values) else None
    history: list[Rag] = []
    results = []
    for i in span:
        ordinal = rows.ordinal[i]
        status = rags[i]
        history.append(status)
        recent = ordinal == latest
        spec = item.targets.get(ordinal // d.ppy)
        forecast = _forecast(item, d, ordinal, spec) if recent else None
        judgement = FullJudgement(
            ident=item.ident,
            period=rows.key[i],
            value=_maybe(rows.value[i]),
            target=_maybe(rows.target[i]),
            band=spec.band if spec is not None else None,
            rag=status,
            previous_value=_maybe(rows.previous[i]),
            last_year_value=_maybe(rows.last_year[i]),
            year_end_value=_maybe(rows.year_end[i]),
            direction_previous=directions["previous"][i],
            direction_last_year=directions["last_year"][i],
            direction_year_end=directions["year_end"][i],
            spc=_spc_point(spc, ordinal - d.first),
            forecast=forecast,
            forecast_rag=_forecast_rag(item, spec, forecast) if forecast else None,
            explanation="",
        )
        if recent:
            judgement = _explained(item, judgement, spec, _run_length(history))
        results.append(judgement)
    return results


def _run_length(history: list[Rag]) -> int:
    count = 1
    while count < len(history) and history[-count - 1] == history[-1]:
        count += 1
    return count


def _grid(d: _Dense, ordinal: int, years: int = 6) -> np.ndarray:
    """Years by periods of figures up to this period's year, oldest first, for forecasting."""
    year = ordinal // d.ppy
    first_year = year - years + 1
    ordinals = (np.arange(first_year, year + 1)[:, None] * d.ppy) + np.arange(d.ppy)[None, :]
    offsets = ordinals - d.first
    inside = (offsets >= 0) & (offsets < len(d.values))
    grid = np.full(ordinals.shape, np.nan)
    grid[inside] = d.values[offsets[inside]]
    return grid


def _forecast(item: IndicatorInput, d: _Dense, ordinal: int, spec) -> Forecast | None:
    """Year-end forecast as at this period; annual figures are their own outturn."""
    if d.ppy == 1 or np.isnan(d.at(ordinal)):
        return None
    annual = spec.annual_target if spec is not None else None
    band = spec.band if spec is not None else None
    polarity = str(item.spec.polarity)
    if item.spec.is_context or (item.spec.polarity == Polarity.BAND and band is None):
        # Nothing to be judged against: forecast the figure, but no chance of meeting a goal.
        polarity, annual, band = "none", None, None
    return forecast_year_end(
        _grid(d, ordinal),
        accumulation=item.spec.accumulation,
        periods_per_year=d.ppy,
        periods_elapsed=ordinal % d.ppy + 1,
        target=annual,
        polarity=polarity,
        band=band,
        aggregate="sum" if item.spec.aggregation == "sum" else "mean",
    )


def _forecast_rag(item: IndicatorInput, spec, forecast: Forecast | None) -> Rag | None:
    if forecast is None or forecast.value is None:
        return None
    return rag(
        forecast.value,
        spec.annual_target if spec is not None else None,
        polarity=item.spec.polarity,
        tolerance=spec.tolerance if spec is not None else None,
        tolerance_kind=spec.tolerance_kind if spec is not None else None,
        band=spec.band if spec is not None else None,
        decimals=item.spec.decimals,
        is_context=item.spec.is_context,
    )


def _forecast_facts(j: FullJudgement) -> ForecastFacts | None:
    if j.forecast is None or j.forecast.value is None:
        return None
    unknown = j.forecast_rag in (None, Rag.NO_TARGET, Rag.CONTEXT)
    return ForecastFacts(
        value=j.forecast.value,
        low=j.forecast.low,
        high=j.forecast.high,
        probability=j.forecast.probability_of_meeting_target,
        meets_target=None if unknown else j.forecast_rag == Rag.GREEN,
    )


def _explained(item: IndicatorInput, j: FullJudgement, spec, run: int) -> FullJudgement:
    facts = JudgementFacts(
        rag=str(j.rag),
        periods_in_current_status=run,
        period_noun=_NOUN[item.frequency],
        value=j.value,
        target=j.target,
        unit=_UNIT.get(item.unit, "number"),
        decimals=item.spec.decimals or 0,
        polarity=str(item.spec.polarity),
        band=j.band,
        direction=str(j.direction_previous),
        forecast=_forecast_facts(j),
        year_end_target=spec.annual_target if spec is not None else None,
        spc_label=j.spc.label if j.spc else None,
        variation_icon=j.spc.variation_icon if j.spc else None,
        assurance=j.spc.assurance if j.spc else None,
    )
    j.explanation = explain(facts)
    return j
