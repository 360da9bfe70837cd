"""The indicator page's SPC section and latest judgement: chart, icons, forecast, explanation.

The chart is drawn from the judgements this person may see (approved figures, or published
ones for the public), the same figures the stored judgements were made from.
"""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup

from goldthread.analysis.periods import Period, parse_period
from goldthread.analysis.spc import xmr
from goldthread.charts import spc as spc_charts
from goldthread.core.formatting import format_value
from goldthread.indicators.models import Indicator, Judgement, Polarity, Rag
from goldthread.indicators.presenters.lists import forecast_label

_IMPROVEMENT = {Polarity.HIGHER: "increase", Polarity.LOWER: "decrease"}


@dataclass
class SpcRow:
    period_label: str
    value_text: str
    mean_text: str
    lower_text: str
    upper_text: str
    signal: str


@dataclass
class SpcSection:
    chart: Markup
    rows: list[SpcRow]
    variation_svg: Markup
    variation_words: str
    assurance_svg: Markup
    assurance_words: str
    method_text: str
    warnings: tuple[str, ...]


@dataclass
class LatestJudgement:
    forecast_rag: str
    forecast_label: str
    forecast_text: str
    forecast_range: str
    forecast_method: str
    forecast_chance: str
    explanation: str


def _timeline(judgements: list[Judgement]) -> list[Period]:
    periods = [parse_period(j.period) for j in judgements]
    first, last = periods[0], periods[-1]
    return [first.shift(i) for i in range(last.ordinal - first.ordinal + 1)]


def build_spc_section(indicator: Indicator, judgements: list[Judgement]) -> SpcSection | None:
    """The SPC chart and its table, or None when there are fewer than two figures."""
    if len([j for j in judgements if j.value is not None]) < 2:
        return None
    by_key = {j.period: j for j in judgements}
    timeline = _timeline(judgements)
    values = [by_key[p.key].value if p.key in by_key else None for p in timeline]
    target = judgements[-1].target if not indicator.is_context else None
    improvement = _IMPROVEMENT.get(Polarity(indicator.polarity), "neutral")
    result = xmr(
        values, improvement=improvement, target=target if improvement != "neutral" else None
    )
    fmt = _formatter(indicator)
    labels = [p.label for p in timeline]
    return SpcSection(
        chart=spc_charts.spc_chart(
            labels,
            result,
            title=f"{indicator.name}: statistical process control chart",
            description=_description(indicator, labels, result),
            value_format=fmt,
            id_prefix="spc",
        ),
        rows=_rows(timeline, values, result, fmt),
        variation_svg=spc_charts.variation_icon(result.variation_icon),
        variation_words=spc_charts.variation_words(result.variation_icon),
        assurance_svg=spc_charts.assurance_icon(result.assurance),
        assurance_words=spc_charts.assurance_words(result.assurance),
        method_text=result.method_text,
        warnings=tuple(result.warnings),
    )


def _formatter(indicator: Indicator):
    def fmt(value: float) -> str:
        return format_value(value, indicator.unit, indicator.decimals)

    return fmt


def _description(indicator: Indicator, labels: list[str], result) -> str:
    return (
        f"{len(labels)} periods from {labels[0]} to {labels[-1]}, with the average and the "
        f"usual range (process limits). {spc_charts.variation_words(result.variation_icon)}. "
        "The same figures are in the table that follows."
    )


def _rows(timeline: list[Period], values, result, fmt) -> list[SpcRow]:
    def text(x) -> str:
        return "" if x is None or x != x else fmt(float(x))

    return [
        SpcRow(
            period_label=period.label,
            value_text=text(values[i]) or "No data",
            mean_text=text(result.mean[i]),
            lower_text=text(result.lpl[i]),
            upper_text=text(result.upl[i]),
            signal="" if result.label[i] == "Common Cause" else str(result.label[i]),
        )
        for i, period in enumerate(timeline)
    ]


def build_latest(indicator: Indicator, latest: Judgement | None) -> LatestJudgement | None:
    if latest is None:
        return None
    fmt = _formatter(indicator)
    forecast_rag = Rag(latest.forecast_rag) if latest.forecast_rag else None
    has_range = latest.forecast_low is not None and latest.forecast_high is not None
    return LatestJudgement(
        forecast_rag=forecast_rag.value if forecast_rag else "",
        forecast_label=forecast_label(forecast_rag) if forecast_rag else "",
        forecast_text=fmt(latest.forecast_value) if latest.forecast_value is not None else "",
        forecast_range=(
            f"{fmt(latest.forecast_low)} to {fmt(latest.forecast_high)}" if has_range else ""
        ),
        forecast_method=latest.forecast_method_text,
        forecast_chance=_chance(latest.forecast_probability),
        explanation=latest.explanation,
    )


def _chance(probability: float | None) -> str:
    if probability is None:
        return ""
    return f"{round(probability * 100):d}% chance of meeting the year-end target"
