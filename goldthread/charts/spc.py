"""Server-side SVG for NHS "Making Data Count" SPC charts and their icons.

Like ``goldthread.charts.svg`` this is plain string formatting, fast enough to draw a chart
per indicator on every page view (well under a millisecond for 60 points). Every attribute
that affects the look is a presentation attribute on the element, so a chart looks the same
without the stylesheet: on screen, in print and in PDF exports.

Decisions, so that the chart can be read without colour:

- Colours are the Making Data Count ones (NHSRplotthedots' palette): grey common cause,
  blue improvement, orange concern, purple special cause when neither direction is better.
  The light MDC fills (blue is 3.0:1, orange 1.8:1 against white) are drawn with a dark
  outline of the same hue, at least 5:1 against white, so each marker meets WCAG 1.4.11
  (3:1 for graphical objects). ``MARKER_COLOURS`` lists both.
- Special cause markers also differ by shape, and the shape stands for the *meaning*, not
  the direction, because the point's height already shows the direction and "up" is not
  always good: common cause is a circle, improvement a diamond, concern a triangle (the
  shape of a warning sign) and neutral special cause a square. The legend in the chart says
  so in words.
- The mean is solid, the process limits dashed, the optional 2 sigma lines dotted and the
  target a red dash-dot line labelled "Target". Each rebased section has its own mean and
  limits, with a dotted vertical line where the new section starts.

The page follows every chart with the same figures as a table, and shows the variation and
assurance icons with their words (``variation_words``, ``assurance_words``).
"""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Callable, Sequence
from html import escape

from markupsafe import Markup

from goldthread.analysis.spc import LIMIT, NEAR_LIMIT, SpcResult

# name: (fill, outline). Outlines are at least 5:1 against white.
MARKER_COLOURS = {
    "common_cause": ("#7B7D7D", "#4D4F4F"),
    "improvement": ("#289DE0", "#1A6A99"),
    "concern": ("#FFB24C", "#9A5B00"),
    "neutral": ("#490092", "#2B0057"),
}
# Point type from the engine -> marker name.
_KIND = {
    "common_cause": "common_cause",
    "special_cause_improvement": "improvement",
    "special_cause_concern": "concern",
    "special_cause_neutral_high": "neutral",
    "special_cause_neutral_low": "neutral",
}
_LEGEND_WORDS = {
    "common_cause": "Common cause",
    "improvement": "Improvement",
    "concern": "Concern",
    "neutral": "Special cause",
}

_VALUE_LINE = 'fill="none" stroke="#7B7D7D" stroke-width="1.5" stroke-linejoin="round"'
_MEAN = 'stroke="#505A5F" stroke-width="1.5"'
_LIMITS = 'stroke="#505A5F" stroke-width="1.5" stroke-dasharray="6 4"'
_NEAR = 'stroke="#8E9294" stroke-width="1" stroke-dasharray="2 3"'
_TARGET_COLOUR = "#B10E1E"  # 7:1 against white
_TARGET = f'stroke="{_TARGET_COLOUR}" stroke-width="2" stroke-dasharray="10 3 2 3"'
_REBASE = 'stroke="#0B0C0C" stroke-width="1" stroke-dasharray="1 3"'
_GRID = 'stroke="#E5E5E5" stroke-width="1"'
_TEXT = 'fill="#505A5F" font-size="12"'
_LEGEND_TEXT = 'fill="#0B0C0C" font-size="12"'
_SWATCH = {"mean": _MEAN, "limits": _LIMITS, "near": _NEAR, "target": _TARGET}
# Average glyph widths of the chart's font (Arial or alike) at size 12, a little generous,
# for layout only: tick and period labels, and the legend's words.
_CHAR_W = 6.5
_LEGEND_CHAR_W = 6.5
_FONT = 'font-family="Arial, Helvetica, sans-serif"'

_ID_OK = re.compile(r"[A-Za-z][A-Za-z0-9_-]*\Z")


def _marker(kind: str, x: float, y: float, role: str = "point") -> str:
    """One point's marker, centred on (x, y); the shape depends on the kind (see module doc)."""
    fill, stroke = MARKER_COLOURS[kind]
    attrs = f'class="gt-spc__{role} gt-spc__{role}--{kind}" fill="{fill}" stroke="{stroke}"'
    if kind == "common_cause":
        return f'<circle {attrs} stroke-width="1" cx="{x:.1f}" cy="{y:.1f}" r="3.5"/>'
    if kind == "improvement":
        d = f"M{x:.1f} {y - 5.5:.1f}l5.5 5.5l-5.5 5.5l-5.5-5.5z"
    elif kind == "concern":
        d = f"M{x:.1f} {y - 6:.1f}l5.5 9.5h-11z"
    else:
        d = f"M{x - 4.5:.1f} {y - 4.5:.1f}h9v9h-9z"
    return f'<path {attrs} stroke-width="1.2" d="{d}"/>'


def _plain(v: float) -> str:
    """Default tick format: thousands separators, no float noise, no trailing zeros."""
    if v == 0:
        return "0"
    magnitude = abs(v)
    if magnitude >= 1000 or v == round(v):
        return f"{v:,.0f}"
    decimals = max(0, 3 - math.floor(math.log10(magnitude)))
    return f"{v:,.{decimals}f}".rstrip("0").rstrip(".")


def _nice_ticks(lo: float, hi: float, count: int = 5) -> list[float]:
    """Round tick values (1, 2 or 5 times a power of ten) covering [lo, hi]."""
    span = hi - lo
    if span <= 0:
        span = abs(hi) * 0.2 or 1.0
        lo, hi = lo - span / 2, hi + span / 2
    raw = span / (count - 1)
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    first, last = math.floor(lo / step), math.ceil(hi / step)
    digits = max(0, -math.floor(math.log10(step)) + 1)
    return [round(k * step, digits) for k in range(first, last + 1)]


def _default_prefix(title: str, description: str) -> str:
    digest = hashlib.blake2b(f"{title}\0{description}".encode(), digest_size=4).hexdigest()
    return f"gt-spc-{digest}"


def _path(xs: Sequence[float], ys: Sequence[float | None]) -> str:
    """A polyline in pixel space that lifts the pen at missing values."""
    parts, pen_down = [], False
    for x, y in zip(xs, ys, strict=True):
        if y is None:
            pen_down = False
            continue
        parts.append(f"{'L' if pen_down else 'M'}{x:.1f} {y:.1f}")
        pen_down = True
    return "".join(parts)


def _legend(items: list[tuple[str, str]], width: int) -> tuple[str, int]:
    """Lay out (swatch kind, words) left to right, wrapping; returns markup and height."""
    out, x, row = [], 8.0, 0
    for kind, words in items:
        swatch = 16 if kind in MARKER_COLOURS else 10 if kind == "rebase" else 24
        w = swatch + len(words) * _LEGEND_CHAR_W + 14
        if x + w > width - 8 and x > 8:
            x, row = 8.0, row + 1
        y = 14 + row * 20
        if kind in MARKER_COLOURS:
            out.append(_marker(kind, x + 6, y - 4, "swatch"))
        elif kind == "rebase":
            xm = x + 3
            out.append(f'<line x1="{xm:.1f}" x2="{xm:.1f}" y1="{y - 11}" y2="{y + 3}" {_REBASE}/>')
        else:
            out.append(
                f'<line x1="{x:.1f}" x2="{x + 18:.1f}" y1="{y - 4}" y2="{y - 4}" {_SWATCH[kind]}/>'
            )
        out.append(f'<text x="{x + swatch:.1f}" y="{y}" {_LEGEND_TEXT}>{words}</text>')
        x += w
    return f'<g class="gt-spc__legend">{"".join(out)}</g>', 14 + row * 20


def spc_chart(
    labels: Sequence[str],
    result: SpcResult,
    *,
    title: str,
    description: str,
    target: float | None = None,
    value_format: Callable[[float], str] = _plain,
    width: int = 720,
    height: int = 300,
    show_2sigma: bool = False,
    id_prefix: str | None = None,
) -> Markup:
    """An SPC chart of ``result`` with one label per point (the period names).

    ``target`` defaults to the target ``result`` was calculated with. ``value_format``
    formats the y-axis ticks (say, as percentages). ``id_prefix`` makes the ids of the
    <title> and <desc> unique on the page; by default it is a hash of the title and
    description, so give one when a page may show two charts with the same words.
    """
    values = result.values.tolist()
    n = len(values)
    if len(labels) != n:
        raise ValueError(f"{len(labels)} labels for {n} values")
    if id_prefix is None:
        id_prefix = _default_prefix(title, description)
    elif not _ID_OK.match(id_prefix):
        raise ValueError(f"id_prefix must be letters, digits, - and _, not {id_prefix!r}")
    if target is None:
        target = result.options.get("target")  # type: ignore[assignment]
    improvement = result.options.get("improvement")
    seg_mean = result.segment_mean.tolist()
    seg_amr = result.segment_amr.tolist()
    starts = list(result.segments)
    ends = [*starts[1:], n]
    near = NEAR_LIMIT if show_2sigma else None

    finite = [v for v in values if v == v]
    head = (
        f'<svg class="gt-spc" role="img" aria-labelledby="{id_prefix}-title {id_prefix}-desc" '
        f'width="100%" viewBox="0 0 {width} {height}" {_FONT} xmlns="http://www.w3.org/2000/svg">'
        f'<title id="{id_prefix}-title">{escape(title)}</title>'
        f'<desc id="{id_prefix}-desc">{escape(description)}</desc>'
        f'<rect width="{width}" height="{height}" fill="#FFFFFF"/>'
    )
    if not finite:
        return Markup(
            f'{head}<text x="{width / 2:.1f}" y="{height / 2:.1f}" text-anchor="middle" '
            f"{_TEXT}>No values to chart yet</text></svg>"
        )

    # Vertical range: values, every drawn line and the target.
    lines_at = list(finite)
    for m, a in zip(seg_mean, seg_amr, strict=True):
        if a == a:
            lines_at += (m - LIMIT * a, m + LIMIT * a)
        elif m == m:
            lines_at.append(m)
    if target is not None:
        lines_at.append(target)
    ticks = _nice_ticks(min(lines_at), max(lines_at))
    lo, hi = ticks[0], ticks[-1]
    tick_text = [escape(value_format(t)) for t in ticks]

    legend_items = (
        [("common_cause", "Common cause"), ("neutral", "Special cause")]
        if improvement == "neutral"
        else [
            ("common_cause", "Common cause"),
            ("improvement", "Improvement"),
            ("concern", "Concern"),
        ]
    )
    legend_items += [("mean", "Mean"), ("limits", "Process limits")]
    if show_2sigma:
        legend_items.append(("near", "2 sigma"))
    if target is not None:
        legend_items.append(("target", "Target"))
    if len(starts) > 1:
        legend_items.append(("rebase", "Rebased"))
    legend, legend_h = _legend(legend_items, width)

    # Margins fit the tick labels, half a period label (they are centred on their point)
    # and the word "Target" at the end of its line.
    longest = max((len(label) for label in labels), default=1)
    half_label = longest * _CHAR_W / 2 + 4
    left = max(12 + max(len(t) for t in tick_text) * _CHAR_W, half_label)
    right = max(56 if target is not None else 16, half_label)
    top, bottom = legend_h + 18, 28
    plot_w, plot_h = width - left - right, height - top - bottom
    step = plot_w / max(n - 1, 1)
    x0 = left + (plot_w / 2 if n == 1 else 0)
    xs = [x0 + i * step for i in range(n)]
    scale = plot_h / (hi - lo)
    base = top + plot_h

    def y_at(v: float) -> float:
        return base - (v - lo) * scale

    out = [head, legend]
    for t, text in zip(ticks, tick_text, strict=True):
        y = y_at(t)
        out.append(
            f'<line x1="{left:.1f}" x2="{left + plot_w:.1f}" y1="{y:.1f}" y2="{y:.1f}" {_GRID}/>'
            f'<text x="{left - 6:.1f}" y="{y + 4:.1f}" text-anchor="end" {_TEXT}>{text}</text>'
        )

    # Per section: mean and limits from its first to its last point; a separator between.
    for s, e, m, a in zip(starts, ends, seg_mean, seg_amr, strict=True):
        xa, xb = xs[s], xs[e - 1]
        if xa == xb:  # a section of one point: a short stub so the mean is visible
            xa, xb = xa - min(step, 12) / 2, xb + min(step, 12) / 2
        if s:
            xr = (xs[s - 1] + xs[s]) / 2
            out.append(
                f'<line class="gt-spc__rebase" x1="{xr:.1f}" x2="{xr:.1f}" y1="{top}" '
                f'y2="{base:.1f}" {_REBASE}/>'
            )
        span = f'x1="{xa:.1f}" x2="{xb:.1f}"'
        if a == a:
            for cls, level, style in (
                ("upl", m + LIMIT * a, _LIMITS),
                ("lpl", m - LIMIT * a, _LIMITS),
            ):
                y = y_at(level)
                out.append(
                    f'<line class="gt-spc__{cls}" {span} y1="{y:.1f}" y2="{y:.1f}" {style}/>'
                )
            if near is not None:
                for cls, level in (("near-upl", m + near * a), ("near-lpl", m - near * a)):
                    y = y_at(level)
                    out.append(
                        f'<line class="gt-spc__{cls}" {span} y1="{y:.1f}" y2="{y:.1f}" {_NEAR}/>'
                    )
        if m == m:
            y = y_at(m)
            out.append(f'<line class="gt-spc__mean" {span} y1="{y:.1f}" y2="{y:.1f}" {_MEAN}/>')

    if target is not None:
        y = y_at(target)
        out.append(
            f'<line class="gt-spc__target" x1="{left:.1f}" x2="{left + plot_w:.1f}" '
            f'y1="{y:.1f}" y2="{y:.1f}" {_TARGET}/><text x="{left + plot_w + 4:.1f}" '
            f'y="{y + 4:.1f}" fill="{_TARGET_COLOUR}" font-size="12">Target</text>'
        )

    ys = [y_at(v) if v == v else None for v in values]
    out.append(f'<path class="gt-spc__line" d="{_path(xs, ys)}" {_VALUE_LINE}/>')
    kind_of = _KIND
    for x, y, pt in zip(xs, ys, result.point_type.tolist(), strict=True):
        if y is not None:
            out.append(_marker(kind_of[pt], x, y))

    # x labels: as many as fit, always including the latest.
    fit = max(1, int(plot_w // (longest * _CHAR_W + 12)) + 1)
    every = max(1, math.ceil(n / fit))
    label_y = height - 10
    for i in range(n - 1, -1, -every):
        out.append(
            f'<text x="{xs[i]:.1f}" y="{label_y}" text-anchor="middle" {_TEXT}>'
            f"{escape(labels[i])}</text>"
        )
    out.append("</svg>")
    return Markup("".join(out))


# Icons ------------------------------------------------------------------------------------

_VARIATION_WORDS = {
    "common_cause": "Common cause variation: nothing unusual",
    "improvement_high": "Special cause variation: improvement (high)",
    "improvement_low": "Special cause variation: improvement (low)",
    "concern_high": "Special cause variation: concern (high)",
    "concern_low": "Special cause variation: concern (low)",
    "neutral_high": "Special cause variation: high (neither direction is better)",
    "neutral_low": "Special cause variation: low (neither direction is better)",
}
_ASSURANCE_WORDS = {
    "consistent_pass": "Assurance: the target is consistently met",
    "consistent_fail": "Assurance: the target is consistently missed",
    "inconsistent": "Assurance: hit and miss (the target is sometimes met, sometimes missed)",
}
_NO_ASSURANCE = "No assurance: the measure has no target or no better direction"
_ASSURANCE_ICON = {  # letter, colour kind
    "consistent_pass": ("P", "improvement"),
    "consistent_fail": ("F", "concern"),
    "inconsistent": ("?", "common_cause"),
}


def variation_words(icon: str) -> str:
    """Plain English for a variation icon name, as ``SpcResult.variation_icon`` gives it."""
    try:
        return _VARIATION_WORDS[icon]
    except KeyError:
        raise ValueError(f"Unknown variation icon {icon!r}") from None


def assurance_words(assurance: str | None) -> str:
    """Plain English for an assurance name (``SpcResult.assurance``); None has no icon."""
    if assurance is None:
        return _NO_ASSURANCE
    try:
        return _ASSURANCE_WORDS[assurance]
    except KeyError:
        raise ValueError(f"Unknown assurance {assurance!r}") from None


def _icon(words: str, kind: str, inner: str, size: int) -> Markup:
    fill, dark = MARKER_COLOURS[kind]
    return Markup(
        f'<svg class="gt-spc-icon gt-spc-icon--{kind}" role="img" aria-label="{escape(words)}" '
        f'width="{size}" height="{size}" viewBox="0 0 40 40" xmlns="http://www.w3.org/2000/svg">'
        f"<title>{escape(words)}</title>"
        f'<circle cx="20" cy="20" r="17.5" fill="#FFFFFF" stroke="{fill}" stroke-width="4"/>'
        f'<circle cx="20" cy="20" r="19.5" fill="none" stroke="{dark}" stroke-width="1"/>'
        f"{inner.format(dark=dark, fill=fill)}</svg>"
    )


def _letter(letter: str) -> str:
    return (
        f'<text x="20" y="27" text-anchor="middle" font-size="20" font-weight="bold" '
        f'font-family="Arial, Helvetica, sans-serif" fill="{{dark}}">{letter}</text>'
    )


# Common cause: a row of dots that wander about the middle, as on the MDC icon.
_COMMON_CAUSE = (
    '<path d="M9 22L14 17L19 23L24 18L29 22L32 19" fill="none" stroke="{dark}" '
    'stroke-width="2" stroke-linejoin="round"/>'
)


def variation_icon(icon: str, *, size: int = 40) -> Markup:
    """The MDC variation icon: grey for common cause, else a coloured H (high) or L (low)."""
    words = variation_words(icon)
    if icon == "common_cause":
        return _icon(words, "common_cause", _COMMON_CAUSE, size)
    kind, high_low = icon.split("_")
    return _icon(words, kind, _letter("H" if high_low == "high" else "L"), size)


def assurance_icon(assurance: str | None, *, size: int = 40) -> Markup:
    """The MDC assurance icon: blue P (met), orange F (missed), grey ? (hit and miss).

    None (no target, or no better direction) has no icon: an empty Markup.
    """
    words = assurance_words(assurance)
    if assurance is None:
        return Markup("")
    letter, kind = _ASSURANCE_ICON[assurance]
    return _icon(words, kind, _letter(letter), size)
