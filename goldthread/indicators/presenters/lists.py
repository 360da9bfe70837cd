"""Lines of indicators with their latest stored judgement, for lists, home pages and scorecards.

Everything here reads stored judgements in a fixed number of queries, whatever the number of
indicators, and never recomputes one.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from django.db.models import OuterRef, QuerySet, Subquery
from markupsafe import Markup

from goldthread.analysis.periods import parse_period
from goldthread.charts import spc as spc_charts
from goldthread.charts.svg import sparkline
from goldthread.core.formatting import format_value
from goldthread.indicators import access
from goldthread.indicators.models import Direction, Indicator, Judgement, Rag

SERIES_FIELDS = (
    "indicator_id",
    "period",
    "period_start",
    "value",
    "target",
    "band_lower",
    "band_upper",
    "rag",
    "direction_previous",
    "forecast_rag",
    "forecast_value",
    "variation_icon",
    "assurance",
)


class JudgementPoint(NamedTuple):
    """The fields of a stored judgement that lines and sparklines show, read without building
    model instances: a scorecard reads hundreds, and a model instance costs ten times more."""

    indicator_id: int
    period: str
    period_start: dt.date
    value: float | None
    target: float | None
    band_lower: float | None
    band_upper: float | None
    rag: str
    direction_previous: str
    forecast_rag: str
    forecast_value: float | None
    variation_icon: str
    assurance: str


SPARK_POINTS = {"monthly": 13, "quarterly": 8, "annual": 6}


@dataclass
class IndicatorLine:
    indicator: Indicator
    period: str
    period_label: str
    value_text: str
    target_text: str
    rag: str
    rag_label: str
    direction: str
    direction_label: str
    direction_text: str
    sparkline_svg: str = ""
    commentary: str = ""
    forecast_rag: str = ""
    forecast_label: str = ""
    forecast_text: str = ""
    variation_icon: str = ""
    variation_words: str = ""
    assurance: str = ""
    assurance_words: str = ""

    @property
    def variation_svg(self) -> Markup:
        return _variation_svg(self.variation_icon) if self.variation_icon else Markup("")

    @property
    def assurance_svg(self) -> Markup:
        return _assurance_svg(self.assurance) if self.assurance else Markup("")


@lru_cache(maxsize=16)
def _variation_svg(icon: str) -> Markup:
    return spc_charts.variation_icon(icon, size=32)


@lru_cache(maxsize=8)
def _assurance_svg(assurance: str) -> Markup:
    return spc_charts.assurance_icon(assurance, size=32)


def judgement_series(
    user, ids: list[int], *, latest_only: bool = False
) -> dict[int, list[JudgementPoint]]:
    """Every judgement this person may see for these indicators, oldest first, in one query.

    latest_only keeps just each indicator's latest visible judgement (still one query): lists
    without sparklines need no history, and a council's history runs to many thousand rows.
    """
    series: dict[int, list[JudgementPoint]] = defaultdict(list)
    visible = Judgement.objects.filter(access.judgements_q(user), indicator_id__in=ids)
    if latest_only:
        newest = visible.filter(indicator_id=OuterRef("indicator_id")).order_by("-period_start")
        visible = visible.filter(period_start=Subquery(newest.values("period_start")[:1]))
    rows = visible.order_by("indicator_id", "period_start").values_list(*SERIES_FIELDS)
    for row in rows:
        point = JudgementPoint._make(row)
        series[point.indicator_id].append(point)
    return series


def target_text(indicator: Indicator, latest: JudgementPoint | None) -> str:
    """The target as people read it: a band as a range, and a plain word when there is none."""
    if indicator.is_context:
        return "Not applicable"
    if latest is None:
        return "No target"
    if latest.band_lower is not None and latest.band_upper is not None:
        low = format_value(latest.band_lower, indicator.unit, indicator.decimals)
        high = format_value(latest.band_upper, indicator.unit, indicator.decimals)
        return f"{low} to {high}"
    return format_value(latest.target, indicator.unit, indicator.decimals, missing="No target")


def direction_text(direction: Direction) -> str:
    if direction == Direction.NOT_COMPARABLE:
        return "No earlier figure to compare with"
    return f"{direction.label} since the previous period"


def line_for(
    indicator: Indicator, judgements: list[JudgementPoint], *, with_sparkline: bool = False
) -> IndicatorLine:
    unit, decimals = indicator.unit, indicator.decimals
    latest = judgements[-1] if judgements else None
    rag = Rag(latest.rag) if latest else Rag.NO_DATA
    direction = Direction(latest.direction_previous) if latest else Direction.NOT_COMPARABLE
    svg = ""
    if with_sparkline:
        recent = judgements[-SPARK_POINTS[indicator.frequency] :]
        svg = sparkline(
            [j.value for j in recent],
            [j.target for j in recent],
            title=f"Trend of {indicator.name} over the last {_periods(len(recent))}",
        )
    return IndicatorLine(
        indicator=indicator,
        period=latest.period if latest else "",
        period_label=parse_period(latest.period).label if latest else "",
        value_text=format_value(latest.value if latest else None, unit, decimals),
        target_text=target_text(indicator, latest),
        rag=rag.value,
        rag_label=rag.label,
        direction=direction.value,
        direction_label=direction.label,
        direction_text=direction_text(direction),
        sparkline_svg=svg,
        **_judgement_extras(indicator, latest),
    )


def _judgement_extras(indicator: Indicator, latest: JudgementPoint | None) -> dict:
    """Forecast status and SPC icons of the latest judgement, in words as well as symbols."""
    if latest is None:
        return {}
    extras: dict = {}
    if latest.forecast_rag:
        forecast = Rag(latest.forecast_rag)
        extras |= {
            "forecast_rag": forecast.value,
            "forecast_label": forecast_label(forecast),
            "forecast_text": format_value(
                latest.forecast_value, indicator.unit, indicator.decimals, missing=""
            ),
        }
    if latest.variation_icon:
        extras |= {
            "variation_icon": latest.variation_icon,
            "variation_words": spc_charts.variation_words(latest.variation_icon),
        }
    if latest.assurance:
        extras |= {
            "assurance": latest.assurance,
            "assurance_words": spc_charts.assurance_words(latest.assurance),
        }
    return extras


def forecast_label(forecast: Rag) -> str:
    return {
        Rag.GREEN: "Forecast to meet target",
        Rag.AMBER: "Forecast near target",
        Rag.RED: "Forecast to miss target",
    }.get(forecast, forecast.label)


def _periods(count: int) -> str:
    return "period" if count == 1 else f"{count} periods"


def indicator_lines(
    user, indicators: QuerySet[Indicator], *, with_sparkline: bool = False
) -> list[IndicatorLine]:
    chosen = list(indicators.select_related("service__directorate").order_by("code"))
    series = judgement_series(user, [i.pk for i in chosen], latest_only=not with_sparkline)
    return [line_for(i, series.get(i.pk, []), with_sparkline=with_sparkline) for i in chosen]
