"""The indicator report: one indicator's latest result, passport, figures, SPC and targets as a
``Document`` (page, print, PDF and Word from one source).

It reads the same presenter as the indicator page (``build_indicator_page``), so it shows a
person exactly the figures the page shows them: the public sees published figures only, a
data owner also sees their own drafts, and so on (ADR 4). It judges nothing itself.
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from goldthread.core.formatting import format_value
from goldthread.documents.model import (
    Chart,
    Document,
    Fact,
    Facts,
    Metadata,
    Note,
    Paragraph,
    Section,
    Table,
)
from goldthread.indicators.models import Indicator, TargetVersion
from goldthread.indicators.presenters.detail import IndicatorPage, build_indicator_page
from goldthread.jinja2env import govuk_date
from goldthread.structure.services import council_name

# Most recent periods whose commentary the report repeats; the full history is on the page.
COMMENTARY_PERIODS = 12


def indicator_report(user, indicator: Indicator, *, today: datetime.date | None = None):
    """The indicator report as ``user`` may see it."""
    page = build_indicator_page(user, indicator)
    return Document(
        title=indicator.name,
        subtitle=f"Indicator report: {indicator.code}",
        reference=indicator.code,
        metadata=Metadata(
            author=f"{council_name()} performance team",
            organisation=council_name(),
            date=today or timezone.localdate(),
            # Signed-in people may see figures that are not published yet.
            protective_marking="OFFICIAL" if user.is_authenticated else "",
            subject=f"How {indicator.name} is performing",
            keywords=[indicator.code, "performance indicator"],
        ),
        sections=[
            _latest(page),
            _about(indicator),
            _figures(page),
            *_spc(page),
            *_commentary(page),
            _targets(page),
        ],
    )


def _fmt(indicator: Indicator, value: float | None, missing: str = "No data") -> str:
    return format_value(value, indicator.unit, indicator.decimals, missing=missing)


def _latest(page: IndicatorPage) -> Section:
    latest, judged = page.latest, page.latest_judgement
    if latest is None:
        return Section("Latest result", [Paragraph("There is no approved figure yet.")])
    against = "" if page.indicator.is_context else f" against a target of {latest.target_text}"
    facts = [
        Fact("Status", latest.rag_label),
        Fact("Change since the previous period", page.latest_direction_text or "Not known"),
    ]
    if judged and judged.forecast_text:
        forecast = f"{judged.forecast_label}: {judged.forecast_text}".lstrip(": ")
        if judged.forecast_range:
            forecast += f", likely range {judged.forecast_range}"
        facts.append(Fact("Year-end forecast", forecast))
    if page.spc:
        facts.append(Fact("Variation", page.spc.variation_words))
        if page.spc.assurance_words:
            assurance = page.spc.assurance_words.removeprefix("Assurance: ")
            facts.append(Fact("Assurance", assurance[:1].upper() + assurance[1:]))
    content = [
        Paragraph(f"{latest.period_label}: {latest.value_text}{against}."),
        Facts(facts),
    ]
    if judged and judged.explanation:
        content.append(Paragraph(judged.explanation))
    return Section("Latest result", content)


def _about(ind: Indicator) -> Section:
    unit = ind.get_unit_display()
    if ind.decimals:
        unit += ", 1 decimal place" if ind.decimals == 1 else f", {ind.decimals} decimal places"
    kind = (
        "Context indicator: no target and no status" if ind.is_context else "Performance indicator"
    )
    rows = [
        ("Definition", ind.definition or "Not recorded"),
        ("How it is calculated", ind.calculation_guidance or "Not recorded"),
        ("Data source", ind.data_source or "Not recorded"),
        ("Unit", unit),
        ("What good looks like", ind.get_polarity_display()),
        ("How often it is reported", ind.get_frequency_display()),
        ("How figures add up", ind.get_accumulation_display()),
        ("National or local", ind.get_scope_display()),
        ("Kind", kind),
        ("Accountable officer", str(ind.accountable_officer or "Not assigned")),
        ("Data owner", str(ind.data_owner or "Not assigned")),
        ("Lead member", str(ind.lead_member or "Not assigned")),
        ("On the Council Scorecard", "Yes" if ind.on_scorecard else "No"),
    ]
    return Section("About this indicator", [Facts([Fact(k, v) for k, v in rows])])


def _figures(page: IndicatorPage) -> Section:
    if not page.rows:
        return Section("Values against target", [Paragraph("There are no figures yet.")])
    header = ["Period", "Value", "Target", "Status", "Change since previous period"]
    if page.shows_unapproved:
        header.append("Figure")
    rows = []
    for row in reversed(page.rows):
        cells = [
            row.period_label,
            row.value_text,
            row.target_text,
            row.rag_label,
            row.direction_label,
        ]
        rows.append([*cells, row.state_label] if page.shows_unapproved else cells)
    caption = "Figures for each period, newest first"
    if page.shows_unapproved:
        caption += ", including figures not yet approved"
    table = Table(caption, header, rows, numeric_columns=[1, 2], row_headers=True)
    if not page.chart_svg:
        return Section("Values against target", [table])
    name = page.indicator.name
    chart = Chart(
        title=f"{name}: values against target",
        description="Each figure as a point on a line, with the target as a dashed line.",
        svg=str(page.chart_svg),
        table=table,
    )
    return Section("Values against target", [chart])


def _spc(page: IndicatorPage) -> list[Section]:
    spc = page.spc
    if spc is None:
        return []
    header = ["Period", "Value", "Average", "Lower limit", "Upper limit", "Signal"]
    rows = [
        [r.period_label, r.value_text, r.mean_text, r.lower_text, r.upper_text, r.signal]
        for r in spc.rows
    ]
    table = Table(
        "Values, average and process limits", header, rows, [1, 2, 3, 4], row_headers=True
    )
    content = [
        Paragraph(
            "This chart shows whether changes are more than the usual ups and downs. Points "
            "outside the dashed lines, or long runs on one side of the average, are unusual."
        ),
        Chart(
            title=f"{page.indicator.name}: statistical process control chart",
            description=f"{spc.variation_words}. {spc.assurance_words}.",
            svg=str(spc.chart),
            table=table,
        ),
    ]
    if spc.method_text:
        content.append(Paragraph(spc.method_text))
    content += [Note(warning, "warning") for warning in spc.warnings]
    return [Section("Statistical process control", content)]


def _commentary(page: IndicatorPage) -> list[Section]:
    written = [r for r in reversed(page.rows) if r.commentary.strip()][:COMMENTARY_PERIODS]
    if not written:
        return []
    facts = Facts([Fact(r.period_label, r.commentary) for r in written])
    return [Section("Commentary", [facts])]


def _targets(page: IndicatorPage) -> Section:
    if not page.targets:
        return Section("Targets", [Paragraph("No target has been set for this indicator.")])
    header = ["Year", "Version", "Annual target", "How it was set and why", "Who and when"]
    rows = [_target_row(page.indicator, t) for t in page.targets]
    table = Table("Every version of every target, newest first", header, rows, [1, 2])
    return Section("Targets", [table])


def _target_row(ind: Indicator, t: TargetVersion) -> list[str]:
    if t.band_lower is not None and t.band_upper is not None:
        target = f"{_fmt(ind, t.band_lower)} to {_fmt(ind, t.band_upper)}"
    else:
        target = _fmt(ind, t.annual_target, missing="No target")
    why = " ".join(
        part
        for part in [
            "Illustrative." if t.is_illustrative else "",
            t.basis,
            f"No target: {t.no_target_reason}" if t.no_target_reason else "",
            t.reason,
        ]
        if part
    )
    who = (
        f"{t.created_by or 'Loaded by the system'}, {govuk_date(timezone.localtime(t.created_at))}"
    )
    return [t.year_label, str(t.version), target, why, who]
