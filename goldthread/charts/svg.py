"""A small, fast SVG writer for sparklines and line charts.

Why our own: a scorecard draws 70 or more sparklines per page and a general chart library
costs tens of milliseconds each. These functions only do string formatting. Every chart has a
<title> and <desc>, and pages always follow a chart with the same data as a table.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from html import escape

from markupsafe import Markup

Number = float | None

# Presentation attributes sit on the SVG itself so a chart looks the same without the
# stylesheet: in print, in exports and in PDF renderers.
_LINE = 'fill="none" stroke="#1d70b8" stroke-width="2" stroke-linejoin="round"'
_TARGET = 'fill="none" stroke="#505a5f" stroke-width="1.5" stroke-dasharray="4 3"'
_GRID = 'stroke="#dbdad9" stroke-width="1"'
_AXIS = 'fill="#505a5f" font-size="12" font-family="Arial, Helvetica, sans-serif"'


def _finite(values: Sequence[Number]) -> list[float]:
    return [v for v in values if v is not None and not math.isnan(v)]


def _scale(lo: float, hi: float, size: float, pad: float):
    span = (hi - lo) or 1.0

    def at(v: float) -> float:
        return pad + (size - 2 * pad) * (1 - (v - lo) / span)

    return at


def _path(xs: Sequence[float], ys: Sequence[Number], y_at) -> str:
    parts, pen_down = [], False
    for x, y in zip(xs, ys, strict=True):
        if y is None or math.isnan(y):
            pen_down = False
            continue
        parts.append(f"{'L' if pen_down else 'M'}{x:.1f} {y_at(y):.1f}")
        pen_down = True
    return "".join(parts)


def sparkline(
    values: Sequence[Number],
    targets: Sequence[Number] | None = None,
    *,
    title: str,
    width: int = 120,
    height: int = 32,
) -> Markup:
    """An inline sparkline: the series as a line, the target as a dashed line, last point dot."""
    targets = targets or [None] * len(values)
    finite = _finite(list(values) + list(targets))
    if len(_finite(values)) == 0:
        return Markup("")
    lo, hi = min(finite), max(finite)
    step = (width - 8) / max(len(values) - 1, 1)
    xs = [4 + i * step for i in range(len(values))]
    y_at = _scale(lo, hi, height, 4)
    present = [i for i, v in enumerate(values) if v is not None and not math.isnan(v)]
    last = present[-1] if present else None
    dot = ""
    if last is not None:
        dot = f'<circle cx="{xs[last]:.1f}" cy="{y_at(values[last]):.1f}" r="2.5" fill="#0b0c0c"/>'
    target_path = _path(xs, targets, y_at)
    target_line = ""
    if target_path:
        target_line = f'<path class="gt-spark__target" d="{target_path}" {_TARGET}/>'
    return Markup(
        f'<svg class="gt-spark" role="img" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" xmlns="http://www.w3.org/2000/svg">'
        f"<title>{escape(title)}</title>{target_line}"
        f'<path class="gt-spark__line" d="{_path(xs, values, y_at)}" {_LINE}/>{dot}</svg>'
    )


def line_chart(
    labels: Sequence[str],
    values: Sequence[Number],
    targets: Sequence[Number],
    *,
    title: str,
    description: str,
    width: int = 720,
    height: int = 280,
    id_prefix: str = "chart",
) -> Markup:
    """A line chart of values against the target profile, with a light grid and end labels."""
    finite = _finite(list(values) + list(targets))
    if not finite:
        return Markup("")
    left, right, top, bottom = 56, 16, 16, 40
    lo, hi = min(finite), max(finite)
    margin = (hi - lo) * 0.1 or abs(hi) * 0.1 or 1.0
    lo, hi = lo - margin, hi + margin
    plot_w, plot_h = width - left - right, height - top - bottom
    step = plot_w / max(len(labels) - 1, 1)
    xs = [left + i * step for i in range(len(labels))]

    def y_at(v: float) -> float:
        return top + plot_h * (1 - (v - lo) / (hi - lo))

    grid = []
    for i in range(5):
        v = lo + (hi - lo) * i / 4
        y = y_at(v)
        grid.append(
            f'<line class="gt-chart__grid" x1="{left}" x2="{width - right}" y1="{y:.1f}" '
            f'y2="{y:.1f}" {_GRID}/><text class="gt-chart__axis" {_AXIS} x="{left - 6}" '
            f'y="{y + 4:.1f}" text-anchor="end">{_tick(v)}</text>'
        )
    every = max(1, math.ceil(len(labels) / 8))
    last = len(labels) - 1
    # The last label is anchored at its end so it never runs off the right edge; a thinned
    # label too close to it is dropped rather than overlapping it.
    shown = [i for i in range(len(labels)) if i % every == 0 and last - i >= every / 2] + [last]
    ticks = [
        f'<text class="gt-chart__axis" {_AXIS} x="{xs[i]:.1f}" y="{height - 14}" '
        f'text-anchor="{"end" if i == last and last > 0 else "middle"}">{escape(labels[i])}</text>'
        for i in shown
    ]
    points = "".join(
        f'<circle class="gt-chart__point" cx="{x:.1f}" cy="{y_at(v):.1f}" r="3" fill="#1d70b8"/>'
        for x, v in zip(xs, values, strict=True)
        if v is not None and not math.isnan(v)
    )
    target_path = _path(xs, targets, y_at)
    return Markup(
        f'<svg class="gt-chart" role="img" aria-labelledby="{id_prefix}-title {id_prefix}-desc" '
        f'viewBox="0 0 {width} {height}" xmlns="http://www.w3.org/2000/svg">'
        f'<title id="{id_prefix}-title">{escape(title)}</title>'
        f'<desc id="{id_prefix}-desc">{escape(description)}</desc>{"".join(grid)}'
        + (f'<path class="gt-chart__target" d="{target_path}" {_TARGET}/>' if target_path else "")
        + f'<path class="gt-chart__line" d="{_path(xs, values, y_at)}" {_LINE}/>{points}'
        f"{''.join(ticks)}</svg>"
    )


def _tick(v: float) -> str:
    magnitude = abs(v)
    if magnitude >= 1000:
        return f"{v:,.0f}"
    if magnitude >= 10:
        return f"{v:.0f}"
    return f"{v:.1f}"
