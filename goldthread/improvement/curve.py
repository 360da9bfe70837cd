"""The "turn the curve" view (seed 001, Derby): the baseline, where it goes if nothing changes,
the story behind it, the partners and what works.

The baseline is the indicator's approved history this person may see; "if nothing changes" is
the year-end forecast stored with the latest judgement (ADR 6), with its 80% range, so the view
says exactly what the indicator page says.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from html import escape

from markupsafe import Markup

from goldthread.analysis.periods import parse_period
from goldthread.core.formatting import format_value
from goldthread.improvement.models import ImprovementPlan
from goldthread.indicators import access as indicator_access
from goldthread.indicators.models import Judgement

BASELINE_PERIODS = {"monthly": 24, "quarterly": 12, "annual": 8}
_W, _H, _LEFT, _RIGHT, _TOP, _BOTTOM = 720, 300, 56, 24, 16, 40
# Presentation attributes on the SVG itself, so it looks the same in print, PDF and Word.
_FONT = 'font-size="12" font-family="Arial, Helvetica, sans-serif" fill="#505a5f"'


@dataclass(frozen=True)
class CurveRow:
    label: str
    value: str
    target: str
    note: str = ""


@dataclass(frozen=True)
class CurveView:
    chart: Markup
    rows: list[CurveRow]
    forecast_text: str
    method_text: str
    target_text: str
    forecast_in_chart: bool = True


def _fmt(plan: ImprovementPlan, value: float | None, missing: str = "No figure") -> str:
    indicator = plan.indicator
    return format_value(value, indicator.unit, indicator.decimals, missing=missing)


def _baseline(user, plan: ImprovementPlan) -> list[Judgement]:
    keep = BASELINE_PERIODS.get(plan.indicator.frequency, 12)
    shown = Judgement.objects.filter(
        indicator_access.judgements_q(user), indicator=plan.indicator, value__isnull=False
    ).select_related("target_version")
    return list(shown.order_by("-period_start")[:keep])[::-1]


def build(user, plan: ImprovementPlan) -> CurveView:
    history = _baseline(user, plan)
    latest = history[-1] if history else None
    rows = [
        CurveRow(parse_period(j.period).label, _fmt(plan, j.value), _fmt(plan, j.target, "None"))
        for j in history
    ]
    year_end, forecast = _forecast(plan, latest)
    if forecast is not None:
        low, high = latest.forecast_low, latest.forecast_high
        note = (
            f"Forecast if nothing changes; likely between {_fmt(plan, low)} and {_fmt(plan, high)}"
            if low is not None and high is not None
            else "Forecast if nothing changes"
        )
        rows.append(
            CurveRow(
                f"Year end {year_end}",
                _fmt(plan, forecast),
                _fmt(plan, _annual(latest), "None"),
                note,
            )
        )
    drawn = forecast if _same_scale(plan) else None
    return CurveView(
        chart=_chart(plan, history, drawn, latest),
        rows=rows,
        forecast_text=_fmt(plan, forecast, "No forecast"),
        method_text=latest.forecast_method_text if latest else "",
        target_text=_fmt(plan, _annual(latest), "No target"),
        forecast_in_chart=drawn is not None or forecast is None,
    )


def _same_scale(plan: ImprovementPlan) -> bool:
    """A year's total (periods added up) is not on the periods' scale, so the chart leaves it
    to the table rather than draw a cliff; averages, running totals and snapshots are."""
    indicator = plan.indicator
    return not (indicator.accumulation == "in_period" and indicator.aggregation == "sum")


def _annual(judgement: Judgement | None) -> float | None:
    version = judgement.target_version if judgement else None
    return version.annual_target if version else None


def _forecast(plan: ImprovementPlan, latest: Judgement | None) -> tuple[str, float | None]:
    if latest is None or latest.forecast_value is None:
        return "", None
    return parse_period(latest.period).financial_year_label, latest.forecast_value


def _chart(plan, history: list[Judgement], forecast: float | None, latest) -> Markup:
    values = [j.value for j in history]
    targets = [j.target for j in history]
    extra = [forecast, latest.forecast_low, latest.forecast_high] if forecast is not None else []
    finite = [v for v in values + targets + extra if v is not None and math.isfinite(v)]
    if not finite:
        return Markup("")
    lo, hi = min(finite), max(finite)
    pad = (hi - lo) * 0.1 or abs(hi) * 0.1 or 1.0
    lo, hi = lo - pad, hi + pad
    count = len(history) + (1 if forecast is not None else 0)
    step = (_W - _LEFT - _RIGHT) / max(count - 1, 1)

    def x(i: int) -> float:
        return _LEFT + i * step

    def y(v: float) -> float:
        return _TOP + (_H - _TOP - _BOTTOM) * (1 - (v - lo) / (hi - lo))

    parts = [_grid(lo, hi, y), _line(values, x, y, 'stroke="#1d70b8" stroke-width="2"')]
    parts.append(_line(targets, x, y, 'stroke="#505a5f" stroke-width="1.5" stroke-dasharray="4 3"'))
    if forecast is not None and values:
        parts.append(_forecast_marks(len(history) - 1, values[-1], latest, x, y))
    labels = [parse_period(j.period).label for j in history] + (
        ["Year end"] if forecast is not None else []
    )
    parts.append(_labels(labels, x))
    title = f"{plan.indicator.name}: the baseline and the forecast if nothing changes"
    desc = (
        f"Line chart of {len(history)} figures with the target as a dashed grey line"
        + (
            ", and a dotted line to the year-end forecast with its likely range"
            if forecast is not None
            else ""
        )
        + ". The same figures are in the table below."
    )
    return Markup(
        '<svg class="gt-chart" role="img" aria-labelledby="curve-title curve-desc" '
        f'viewBox="0 0 {_W} {_H}" xmlns="http://www.w3.org/2000/svg">'
        f'<title id="curve-title">{escape(title)}</title>'
        f'<desc id="curve-desc">{escape(desc)}</desc>{"".join(parts)}</svg>'
    )


def _grid(lo: float, hi: float, y) -> str:
    lines = []
    for i in range(5):
        v = lo + (hi - lo) * i / 4
        lines.append(
            f'<line x1="{_LEFT}" x2="{_W - _RIGHT}" y1="{y(v):.1f}" y2="{y(v):.1f}" '
            f'stroke="#dbdad9"/><text x="{_LEFT - 6}" y="{y(v) + 4:.1f}" text-anchor="end" '
            f"{_FONT}>{v:,.1f}</text>"
        )
    return "".join(lines)


def _line(values, x, y, style: str) -> str:
    path, pen = [], "M"
    for i, v in enumerate(values):
        if v is None or not math.isfinite(v):
            pen = "M"
            continue
        path.append(f"{pen}{x(i):.1f},{y(v):.1f}")
        pen = "L"
    return f'<path d="{" ".join(path)}" fill="none" {style}/>' if path else ""


def _forecast_marks(last: int, last_value: float, latest: Judgement, x, y) -> str:
    end = last + 1
    mark = (
        f'<path d="M{x(last):.1f},{y(last_value):.1f} '
        f'L{x(end):.1f},{y(latest.forecast_value):.1f}" '
        'fill="none" stroke="#1d70b8" stroke-width="2" stroke-dasharray="2 4"/>'
        f'<circle cx="{x(end):.1f}" cy="{y(latest.forecast_value):.1f}" r="4" fill="#ffffff" '
        'stroke="#1d70b8" stroke-width="2"/>'
    )
    if latest.forecast_low is not None and latest.forecast_high is not None:
        mark += (
            f'<line x1="{x(end):.1f}" x2="{x(end):.1f}" y1="{y(latest.forecast_low):.1f}" '
            f'y2="{y(latest.forecast_high):.1f}" stroke="#1d70b8" stroke-width="1"/>'
        )
    return mark


def _labels(labels: list[str], x) -> str:
    every = max(1, math.ceil(len(labels) / 8))
    last = len(labels) - 1
    shown = [i for i in range(len(labels)) if i % every == 0 and last - i >= every] + [last]
    return "".join(
        f'<text x="{x(i):.1f}" y="{_H - 14}" '
        f'text-anchor="{"end" if i == last and last else "middle"}" {_FONT}>'
        f"{escape(labels[i])}</text>"
        for i in shown
    )
