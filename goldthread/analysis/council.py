"""Judge a whole council in one batch: RAG, direction of travel, SPC, forecast, explanation.

`judge_council` takes every indicator's approved figures and targets and returns one
`FullJudgement` per period to judge. RAG and direction are computed for every judgement in
vectorised numpy calls, SPC in one `xmr_batch` call per improvement direction, so re-judging
2,000 indicators is a handful of array operations, not 2,000 loops.

Decisions (see docs/adr/0006-stored-spc-forecast-explanation.md):
- SPC runs over each indicator's whole approved series (missing periods kept in place, as
  Making Data Count does). Each judgement stores its own point's label and limits; the
  variation and assurance icons describe the series as it stood when it was judged.
  Each segment's mean and process limits are returned once per segment (`SegmentColumns`),
  which is how they are stored (ADR 10).
- The forecast and the explanation are made for each indicator's latest period: that is the
  judgement people act on, and the one still open. Older periods keep RAG, direction and SPC,
  and a published judgement keeps the forecast and explanation it was published with.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from goldthread.analysis.council_spc import SegmentColumns, maybe, spc_columns
from goldthread.analysis.explain import ForecastFacts, JudgementFacts, explain
from goldthread.analysis.forecast import Forecast
from goldthread.analysis.forecast_batch import forecast_batch
from goldthread.analysis.judge import IndicatorSpec, TargetSpec
from goldthread.analysis.periods import Frequency, Period, parse_period
from goldthread.analysis.status import (
    DIRECTION_ORDER,
    RAG_ORDER,
    Direction,
    JudgementRules,
    Polarity,
    Rag,
    direction_codes,
    rag_codes,
)

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
class Latest:
    """What only an indicator's latest judgement carries."""

    forecast: Forecast | None
    forecast_rag: Rag | None
    explanation: str


@dataclass
class CouncilColumns:
    """Every judgement of a council as columns: one entry per judgement ("row").

    Rows are grouped by indicator in input order, periods in order within each. Floats use
    NaN for "none"; RAG and directions are codes (indexes into RAG_ORDER, DIRECTION_ORDER).
    Storing 240,000 judgements this way needs no Python object per judgement.
    """

    owner: np.ndarray  # index into the inputs
    period: list[str]
    ordinal: np.ndarray  # the period's ordinal (Period.ordinal)
    year: np.ndarray  # financial year of the period (which target version applies)
    spec: list[TargetSpec | None]  # the row's target spec, shared between rows
    value: np.ndarray
    target: np.ndarray
    band_lower: np.ndarray
    band_upper: np.ndarray
    previous_value: np.ndarray
    last_year_value: np.ndarray
    year_end_value: np.ndarray
    rag: np.ndarray
    direction_previous: np.ndarray
    direction_last_year: np.ndarray
    direction_year_end: np.ndarray
    has_spc: np.ndarray
    spc_label: np.ndarray  # object arrays of str, "" without SPC
    spc_point_type: np.ndarray
    spc_mean: np.ndarray
    spc_lpl: np.ndarray
    spc_upl: np.ndarray
    variation_icon: np.ndarray
    assurance: np.ndarray  # object: str or None
    latest: dict[int, Latest]  # row number -> forecast and explanation
    segments: SegmentColumns

    def __len__(self) -> int:
        return len(self.period)


@dataclass
class _Layout:
    """Every indicator's figures laid end to end by period ordinal, NaN where there is none.

    Indicator n covers ordinals first[n] .. first[n] + length[n] - 1 at values[offset[n]:].
    """

    ppy: np.ndarray
    first: np.ndarray
    length: np.ndarray
    offset: np.ndarray
    values: np.ndarray

    def positions(self, owner: np.ndarray, ordinal: np.ndarray) -> np.ndarray:
        """Index into values for each (indicator, ordinal), -1 outside the indicator's span."""
        rel = ordinal - self.first[owner]
        inside = (rel >= 0) & (rel < self.length[owner])
        return np.where(inside, self.offset[owner] + rel, -1)

    def at(self, owner: np.ndarray, ordinal: np.ndarray) -> np.ndarray:
        padded = np.append(self.values, np.nan)  # so position -1 reads NaN
        return padded[self.positions(owner, ordinal)]

    def series(self, n: int) -> np.ndarray:
        return self.values[self.offset[n] : self.offset[n] + self.length[n]]


@lru_cache(maxsize=65536)
def _parse(key: str) -> Period:
    return parse_period(key)


@lru_cache(maxsize=65536)
def _ordinal(key: str) -> int:
    return _parse(key).ordinal


def _layout(inputs: Sequence[IndicatorInput]) -> _Layout:
    counts = np.array([len(item.series) for item in inputs], dtype=np.int64)
    keys = [key for item in inputs for key in item.series]
    ordinal = np.fromiter(map(_ordinal, keys), dtype=np.int64, count=len(keys))
    given = np.array([v for item in inputs for v in item.series.values()], dtype=float)
    owner = np.repeat(np.arange(len(inputs)), counts)
    first = np.zeros(len(inputs), dtype=np.int64)
    length = np.zeros(len(inputs), dtype=np.int64)
    has = counts > 0
    if has.any():
        starts = (np.cumsum(counts) - counts)[has]
        first[has] = np.minimum.reduceat(ordinal, starts)
        length[has] = np.maximum.reduceat(ordinal, starts) - first[has] + 1
    offset = np.cumsum(length) - length
    values = np.full(int(length.sum()), np.nan)
    values[offset[owner] + ordinal - first[owner]] = given  # None became NaN: no figure
    ppy = np.array([item.frequency.periods_per_year for item in inputs], dtype=np.int64)
    return _Layout(ppy, first, length, offset, values)


def _rows(inputs: Sequence[IndicatorInput]) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """Owner, ordinal and key of each judgement, by indicator then period."""
    chosen = [item.judge if item.judge is not None else item.series.keys() for item in inputs]
    keys = [key for group in chosen for key in group]
    owner = np.repeat(np.arange(len(inputs)), [len(group) for group in chosen])
    ordinal = np.fromiter(map(_ordinal, keys), dtype=np.int64, count=len(keys))
    order = np.lexsort((ordinal, owner))
    return owner[order], ordinal[order], [keys[i] for i in order.tolist()]


def _spec_index(inputs, owner: np.ndarray, year: np.ndarray) -> tuple[np.ndarray, list]:
    """Each row's index into a list of target specs (the last entry is None: no target)."""
    codes, specs = [], []
    for n, item in enumerate(inputs):
        for spec_year, spec in item.targets.items():
            codes.append((n << 32) + spec_year)
            specs.append(spec)
    specs.append(None)
    table = np.array(codes, dtype=np.int64)
    order = np.argsort(table, kind="stable")
    wanted = (owner.astype(np.int64) << 32) + year
    where = np.minimum(np.searchsorted(table[order], wanted), max(len(table) - 1, 0))
    if not len(table):
        return np.full(len(owner), len(specs) - 1), specs
    found = table[order][where] == wanted
    return np.where(found, order[where], len(specs) - 1), specs


def _spec_arrays(specs: list) -> dict[str, np.ndarray]:
    def bands(spec):
        return spec.band if spec is not None and spec.band else (np.nan, np.nan)

    edges = np.array([bands(spec) for spec in specs], dtype=float).reshape(-1, 2)
    return {
        "annual": np.array(
            [np.nan if s is None or s.annual_target is None else s.annual_target for s in specs],
            dtype=float,
        ),
        "tolerance": np.array([_tolerance(spec) for spec in specs], dtype=float),
        "kind": np.array([_tolerance_kind(spec) or "" for spec in specs]),
        "low": edges[:, 0],
        "high": edges[:, 1],
        "profiled": np.array([spec is not None and bool(spec.profile) for spec in specs]),
    }


def _targets(inputs, ppy, owner, ordinal, keys, spec_index, specs, arrays) -> np.ndarray:
    """Each row's target: its profile's figure, else default_target_at of the annual target."""
    annual = arrays["annual"][spec_index]
    index = ordinal % ppy
    sums = np.array([item.spec.aggregation == "sum" for item in inputs], dtype=bool)[owner]
    ytd = np.array([item.spec.accumulation == "ytd" for item in inputs], dtype=bool)[owner]
    in_period = np.array([item.spec.accumulation == "in_period" for item in inputs], dtype=bool)[
        owner
    ]
    # The same arithmetic, in the same order, as targets.default_target_at.
    target = np.where(sums & ytd, annual * (index + 1) / ppy, annual)
    target = np.where(sums & in_period, annual / ppy, target)
    for i in np.flatnonzero(arrays["profiled"][spec_index]).tolist():
        figure = specs[spec_index[i]].profile.get(keys[i])
        if figure is not None:
            target[i] = float(figure)
    return target


def judge_columns(inputs: Sequence[IndicatorInput], rules: JudgementRules) -> CouncilColumns:
    """Judge every indicator, as columns (see CouncilColumns)."""
    layout = _layout(inputs)
    owner, ordinal, keys = _rows(inputs)
    ppy = layout.ppy[owner]
    year = ordinal // ppy
    spec_index, specs = _spec_index(inputs, owner, year)
    arrays = _spec_arrays(specs)
    value = layout.at(owner, ordinal)
    target = _targets(inputs, ppy, owner, ordinal, keys, spec_index, specs, arrays)
    previous = layout.at(owner, ordinal - 1)
    last_year = layout.at(owner, ordinal - ppy)
    year_end = layout.at(owner, year * ppy - 1)
    low, high = arrays["low"][spec_index], arrays["high"][spec_index]
    common = _Rows.of(inputs, owner, low, high, rules)
    rags = common.call(
        rag_codes,
        value,
        target,
        tolerances=arrays["tolerance"][spec_index],
        tolerance_kinds=arrays["kind"][spec_index],
        is_context=np.array([item.spec.is_context for item in inputs], dtype=bool)[owner],
    )
    spc, segments = spc_columns(inputs, layout, owner, ordinal)
    columns = CouncilColumns(
        owner=owner,
        period=keys,
        ordinal=ordinal,
        year=year,
        spec=[specs[i] for i in spec_index.tolist()],
        value=value,
        target=target,
        band_lower=low,
        band_upper=high,
        previous_value=previous,
        last_year_value=last_year,
        year_end_value=year_end,
        rag=rags,
        direction_previous=common.call(direction_codes, value, previous),
        direction_last_year=common.call(direction_codes, value, last_year),
        direction_year_end=common.call(direction_codes, value, year_end),
        latest={},
        segments=segments,
        **spc,
    )
    columns.latest = _latests(inputs, layout, columns, ordinal, rules)
    return columns


@dataclass
class _Rows:
    """What rag_codes and direction_codes share for a set of rows, and how to call them."""

    polarity: np.ndarray  # per row, index into names
    names: list[str]
    low: np.ndarray
    high: np.ndarray
    decimals: np.ndarray
    rules: JudgementRules

    @classmethod
    def of(cls, inputs, owner: np.ndarray, low, high, rules) -> _Rows:
        names = [str(p) for p in Polarity]
        code = np.array([names.index(str(item.spec.polarity)) for item in inputs], dtype=int)
        decimals = np.array([_decimals(item) for item in inputs], dtype=float)
        owner = owner.astype(np.int64)
        return cls(code[owner], names, low, high, decimals[owner], rules)

    def call(self, compute, *columns: np.ndarray, **per_row: np.ndarray) -> np.ndarray:
        """compute() once per polarity, given that polarity as one string. (Status once
        checked a column of polarity strings as Python objects, which cost more than the
        judging; it now codes them in numpy, and both ways cost about the same.)"""
        out = np.zeros(len(self.polarity), dtype=np.int8)
        for code, name in enumerate(self.names):
            chosen = self.polarity == code
            if not chosen.any():
                continue
            out[chosen] = compute(
                *(column[chosen] for column in columns),
                polarities=name,
                bands_low=self.low[chosen],
                bands_high=self.high[chosen],
                decimals=self.decimals[chosen],
                rules=self.rules,
                **{key: value[chosen] for key, value in per_row.items()},
            )
        return out


def judge_council(inputs: Sequence[IndicatorInput], rules: JudgementRules) -> list[FullJudgement]:
    """Every judgement as a FullJudgement object (judge_columns is cheaper for storage)."""
    c = judge_columns(inputs, rules)
    rags = _RAGS[c.rag].tolist()
    directions = [
        _DIRECTIONS[codes].tolist()
        for codes in (c.direction_previous, c.direction_last_year, c.direction_year_end)
    ]
    results = []
    for i, n in enumerate(c.owner.tolist()):
        spec, latest = c.spec[i], c.latest.get(i)
        results.append(
            FullJudgement(
                ident=inputs[n].ident,
                period=c.period[i],
                value=maybe(float(c.value[i])),
                target=maybe(float(c.target[i])),
                band=spec.band if spec is not None else None,
                rag=rags[i],
                previous_value=maybe(float(c.previous_value[i])),
                last_year_value=maybe(float(c.last_year_value[i])),
                year_end_value=maybe(float(c.year_end_value[i])),
                direction_previous=directions[0][i],
                direction_last_year=directions[1][i],
                direction_year_end=directions[2][i],
                spc=_spc_point(c, i),
                forecast=latest.forecast if latest else None,
                forecast_rag=latest.forecast_rag if latest else None,
                explanation=latest.explanation if latest else "",
            )
        )
    return results


_RAGS = np.array(RAG_ORDER, dtype=object)
_DIRECTIONS = np.array(DIRECTION_ORDER, dtype=object)


def _decimals(item: IndicatorInput) -> float:
    return np.nan if item.spec.decimals is None else item.spec.decimals


def _tolerance(spec: TargetSpec | None) -> float:
    return np.nan if spec is None or spec.tolerance is None else float(spec.tolerance)


def _tolerance_kind(spec: TargetSpec | None) -> str | None:
    return None if spec is None or spec.tolerance is None else str(spec.tolerance_kind)


def _spc_point(c: CouncilColumns, i: int) -> SpcPoint | None:
    if not c.has_spc[i]:
        return None
    return SpcPoint(
        label=str(c.spc_label[i]),
        point_type=str(c.spc_point_type[i]),
        mean=maybe(float(c.spc_mean[i])),
        lpl=maybe(float(c.spc_lpl[i])),
        upl=maybe(float(c.spc_upl[i])),
        variation_icon=str(c.variation_icon[i]),
        assurance=c.assurance[i],
    )


def _run_lengths(owner: np.ndarray, rags: np.ndarray) -> np.ndarray:
    """For each row, how many rows in a row of its indicator (ending there) share its RAG."""
    index = np.arange(len(owner))
    starts = np.ones(len(owner), dtype=bool)
    starts[1:] = (owner[1:] != owner[:-1]) | (rags[1:] != rags[:-1])
    return index - np.maximum.accumulate(np.where(starts, index, 0)) + 1


def _latests(inputs, layout: _Layout, c: CouncilColumns, ordinal: np.ndarray, rules) -> dict:
    """Forecast and explanation for each indicator's latest period (the one people act on)."""
    last = layout.first + layout.length - 1
    rows = np.flatnonzero((layout.length[c.owner] > 0) & (ordinal == last[c.owner]))
    runs = _run_lengths(c.owner, c.rag)
    chosen = rows.tolist()
    forecasts = _forecasts(inputs, layout, c, chosen, ordinal)
    forecast_rags = _forecast_rags(inputs, c, chosen, forecasts, rules)
    out = {}
    for i, forecast, forecast_rag in zip(chosen, forecasts, forecast_rags, strict=True):
        item, spec = inputs[c.owner[i]], c.spec[i]
        facts = _facts(item, c, i, spec, int(runs[i]), _forecast_facts(forecast, forecast_rag))
        out[i] = Latest(forecast, forecast_rag, explain(facts))
    return out


def _grid(values: np.ndarray, first: int, ppy: int, ordinal: int, years: int = 6) -> np.ndarray:
    """Years by periods of figures up to this period's year, oldest first, for forecasting."""
    year = ordinal // ppy
    first_year = year - years + 1
    ordinals = (np.arange(first_year, year + 1)[:, None] * ppy) + np.arange(ppy)[None, :]
    offsets = ordinals - first
    inside = (offsets >= 0) & (offsets < len(values))
    grid = np.full(ordinals.shape, np.nan)
    grid[inside] = values[offsets[inside]]
    return grid


def _forecasts(inputs, layout: _Layout, c: CouncilColumns, rows: list[int], ordinal) -> list:
    """Year-end forecasts as at these rows' periods, one forecast_batch call per calendar,
    accumulation and month of the year (one call per indicator cost 40% of judging)."""
    groups: dict[tuple, list[tuple[int, dict]]] = {}
    for k, i in enumerate(rows):
        n = int(c.owner[i])
        found = _forecast_inputs(inputs[n], layout, n, int(ordinal[i]), c.spec[i])
        if found is not None:
            options, each = found
            groups.setdefault(tuple(sorted(options.items())), []).append((k, each))
    out: list[Forecast | None] = [None] * len(rows)
    for options, members in groups.items():
        each = [m[1] for m in members]
        results = forecast_batch(
            [e["history"] for e in each],
            targets=[e["target"] for e in each],
            polarities=[e["polarity"] for e in each],
            bands=[e["band"] for e in each],
            **dict(options),
        )
        for (k, _each), result in zip(members, results, strict=True):
            out[k] = result
    return out


def _forecast_inputs(item: IndicatorInput, layout: _Layout, n: int, ordinal: int, spec):
    """(shared options, this indicator's arguments) for a year-end forecast as at this period,
    or None: annual figures are their own outturn, and a missing figure has no forecast."""
    ppy, first, values = int(layout.ppy[n]), int(layout.first[n]), layout.series(n)
    if ppy == 1 or np.isnan(values[ordinal - first]):
        return None
    annual = spec.annual_target if spec is not None else None
    band = spec.band if spec is not None else None
    polarity = str(item.spec.polarity)
    if item.spec.is_context or (item.spec.polarity == Polarity.BAND and band is None):
        # Nothing to be judged against: forecast the figure, but no chance of meeting a goal.
        polarity, annual, band = "none", None, None
    options = {
        "accumulation": item.spec.accumulation,
        "periods_per_year": ppy,
        "periods_elapsed": ordinal % ppy + 1,
        "aggregate": "sum" if item.spec.aggregation == "sum" else "mean",
    }
    history = _grid(values, first, ppy, ordinal)
    return options, {"history": history, "target": annual, "polarity": polarity, "band": band}


def _forecast_rags(inputs, c: CouncilColumns, rows: list[int], forecasts: list, rules) -> list:
    """The status each forecast would have against the year-end target, with the council's
    rules, in one rag_codes call (one rag() call per indicator cost as much as judging every
    period)."""
    if not rows:
        return []
    index = np.array(rows, dtype=np.int64)
    value = np.array([_forecast_value(f) for f in forecasts], dtype=float)
    specs = [c.spec[i] for i in rows]
    annual = [np.nan if s is None or s.annual_target is None else s.annual_target for s in specs]
    owners = c.owner[index]
    codes = _Rows.of(inputs, owners, c.band_lower[index], c.band_upper[index], rules).call(
        rag_codes,
        value,
        np.array(annual, dtype=float),
        tolerances=np.array([_tolerance(spec) for spec in specs], dtype=float),
        tolerance_kinds=np.array([_tolerance_kind(spec) or "" for spec in specs], dtype=object),
        is_context=np.array([inputs[n].spec.is_context for n in owners.tolist()], dtype=bool),
    )
    found = _RAGS[codes].tolist()
    return [None if np.isnan(v) else r for v, r in zip(value.tolist(), found, strict=True)]


def _forecast_value(forecast: Forecast | None) -> float:
    return np.nan if forecast is None or forecast.value is None else forecast.value


def _forecast_facts(forecast: Forecast | None, forecast_rag: Rag | None) -> ForecastFacts | None:
    if forecast is None or forecast.value is None:
        return None
    unknown = forecast_rag in (None, Rag.NO_TARGET, Rag.CONTEXT)
    return ForecastFacts(
        value=forecast.value,
        low=forecast.low,
        high=forecast.high,
        probability=forecast.probability_of_meeting_target,
        meets_target=None if unknown else forecast_rag == Rag.GREEN,
    )


def _facts(item, c: CouncilColumns, i: int, spec, run: int, forecast) -> JudgementFacts:
    spc = c.has_spc[i]
    return JudgementFacts(
        rag=str(RAG_ORDER[c.rag[i]]),
        periods_in_current_status=run,
        period_noun=_NOUN[item.frequency],
        value=maybe(float(c.value[i])),
        target=maybe(float(c.target[i])),
        unit=_UNIT.get(item.unit, "number"),
        decimals=item.spec.decimals or 0,
        polarity=str(item.spec.polarity),
        band=spec.band if spec is not None else None,
        direction=str(DIRECTION_ORDER[c.direction_previous[i]]),
        forecast=forecast,
        year_end_target=spec.annual_target if spec is not None else None,
        spc_label=str(c.spc_label[i]) if spc else None,
        variation_icon=str(c.variation_icon[i]) if spc else None,
        assurance=c.assurance[i] if spc else None,
    )
