"""The clinic pack and the clinic's minutes as documents (goldthread.documents.model).

One presenter each feeds the page, its print version, the tagged PDF and the Word file, so all
four say the same thing. The pack is built automatically from the indicators in scope: for
each, its latest stored judgement, a chart of values against target with the figures in a
table, the owner's commentary, known risks, open trigger recommendations and improvement
plans. It shows only what the reader may see (members see approved figures only).
"""

from __future__ import annotations

from django.utils import timezone

from goldthread.charts.svg import line_chart
from goldthread.clinics.models import Clinic, ClinicOutcome
from goldthread.clinics.presenters import exit_assessment
from goldthread.clinics.services import period_label
from goldthread.documents.model import (
    BulletList,
    Chart,
    Document,
    Fact,
    Facts,
    Link,
    Metadata,
    Note,
    Paragraph,
    Section,
    Table,
)
from goldthread.indicators.models import Indicator
from goldthread.indicators.presenters.detail import build_indicator_page
from goldthread.indicators.presenters.lists import judgement_series, line_for
from goldthread.jinja2env import govuk_date, govuk_datetime
from goldthread.structure.services import council_name

RECENT_COMMENTARY = 3
MARKING = "OFFICIAL"


def _metadata(clinic: Clinic, subject: str) -> Metadata:
    return Metadata(
        author="Performance team",
        date=clinic.held_on or timezone.localdate(),
        protective_marking=MARKING,
        organisation=council_name(),
        subject=subject,
        keywords=("performance clinic", clinic.reference),
    )


def _about(clinic: Clinic) -> Facts:
    when = govuk_datetime(clinic.scheduled_for, none="Not yet set")
    items = [
        Fact("Kind of clinic", clinic.get_kind_display()),
        Fact("Why it is being held", clinic.reason),
        Fact("Requested by", f"{clinic.requested_by}, {govuk_date(clinic.requested_at)}"),
    ]
    if clinic.requested_from_id:
        items.append(Fact("Asked for by", str(clinic.requested_from)))
    if clinic.committee_id:
        items.append(Fact("Scrutiny committee", str(clinic.committee)))
    items += [
        Fact("When", when),
        Fact("Where", clinic.location or "Not yet set"),
        Fact("Chair", str(clinic.chair) if clinic.chair else "Not yet chosen"),
    ]
    return Facts(items)


def _panel(clinic: Clinic) -> Section:
    rows = [
        [member.display_name, member.get_role_display()]
        for member in clinic.panel.filter(removed_at__isnull=True).select_related("user")
    ]
    if clinic.chair:
        rows.insert(0, [str(clinic.chair), "Chair"])
    table = Table(caption="Panel and attendees", header=["Name", "Role"], rows=rows)
    return Section("Panel and attendees", [table], id="panel")


def _agenda(clinic: Clinic) -> Section:
    questions = [item.question for item in clinic.agenda.all()]
    intro = Paragraph(
        "The accountable service manager presents progress towards the targets and the actions "
        "proposed. The panel may ask:"
    )
    return Section("Agenda", [intro, BulletList(questions, ordered=True)], id="agenda")


# The pack ----------------------------------------------------------------------------------


def clinic_pack(user, clinic: Clinic) -> Document:
    indicators = list(clinic.indicators.select_related("service", "data_owner"))
    series = judgement_series(user, [i.pk for i in indicators])
    sections = [
        Section("About this clinic", [_about(clinic)], id="about"),
        _panel(clinic),
        _agenda(clinic),
    ]
    sections += [
        _indicator_section(user, i, series.get(i.pk, []), n) for n, i in enumerate(indicators, 1)
    ]
    return Document(
        title=f"Clinic pack: {clinic.title}",
        subtitle=clinic.get_kind_display(),
        reference=clinic.reference,
        metadata=_metadata(clinic, f"Clinic pack for {clinic.reference}"),
        intro=[
            Paragraph(
                "This pack was put together automatically from the stored judgements, figures "
                f"and commentary for the {len(indicators)} indicator"
                f"{'' if len(indicators) == 1 else 's'} the clinic is about."
            )
        ],
        sections=sections,
        show_contents=True,
    )


def _indicator_section(user, indicator: Indicator, points, number: int) -> Section:
    line = line_for(indicator, points)
    page = build_indicator_page(user, indicator)
    content = [_latest_facts(indicator, line)]
    if page.latest_judgement and page.latest_judgement.explanation:
        content.append(Paragraph(page.latest_judgement.explanation))
    chart = _chart(indicator, page.rows, number)
    if chart:
        content.append(chart)
    content += _commentary(page.rows)
    content += _known_risks(indicator)
    content += _recommendations(indicator)
    content += _plans(indicator)
    return Section(f"{indicator.code} {indicator.name}", content, id=f"indicator-{indicator.code}")


def _latest_facts(indicator: Indicator, line) -> Facts:
    officer, owner = indicator.accountable_officer, indicator.data_owner
    items = [
        Fact("Service", str(indicator.service) if indicator.service else "Not set"),
        Fact("Accountable officer", str(officer) if officer else "Not set"),
        Fact("Service manager (data owner)", str(owner) if owner else "Not set"),
        Fact("Collected", indicator.get_frequency_display()),
        Fact("Which way is better", indicator.get_polarity_display()),
        Fact("Latest result", f"{line.value_text} ({line.period_label or 'no period'})"),
        Fact("Target", line.target_text),
        Fact("Status", line.rag_label),
        Fact("Direction of travel", line.direction_text),
    ]
    if line.forecast_label:
        items.append(Fact("Year-end forecast", f"{line.forecast_label}: {line.forecast_text}"))
    if line.variation_words:
        items.append(Fact("Variation", line.variation_words))
    return Facts(items, title="Latest judgement")


def _chart(indicator: Indicator, rows, number: int) -> Chart | None:
    if not rows:
        return None
    labels = [row.period_label for row in rows]
    title = f"{indicator.name}: values against target"
    description = (
        f"Line chart of {len(rows)} values from {labels[0]} to {labels[-1]}, with the target "
        "as a dashed line. The same figures are in the table after the chart."
    )
    svg = line_chart(
        labels,
        [row.value for row in rows],
        [row.target for row in rows],
        title=title,
        description=description,
        id_prefix=f"pack-chart-{number}",
    )
    if not svg:
        return None
    table = Table(
        caption=f"{indicator.code} values against target",
        header=["Period", "Value", "Target", "Status"],
        rows=[[r.period_label, r.value_text, r.target_text, r.rag_label] for r in rows],
        numeric_columns=[1, 2],
        row_headers=True,
    )
    return Chart(title=title, description=description, svg=str(svg), table=table)


def _commentary(rows) -> list:
    recent = [r for r in rows if r.commentary][-RECENT_COMMENTARY:]
    if not recent:
        return [Paragraph("There is no commentary on the recent figures.")]
    table = Table(
        caption="Commentary on the latest figures",
        header=["Period", "Commentary"],
        rows=[[r.period_label, r.commentary] for r in reversed(recent)],
        row_headers=True,
    )
    return [table]


def _known_risks(indicator: Indicator) -> list:
    risks = [r for r in indicator.known_risks.all() if r.is_current]
    if not risks:
        return [Paragraph("No known events or risks are recorded against this indicator.")]
    table = Table(
        caption="Known events and risks",
        header=["Event or risk", "Expected effect", "Expected by"],
        rows=[[r.description, r.expected_effect, govuk_date(r.expected_by)] for r in risks],
    )
    return [table]


def _recommendations(indicator: Indicator) -> list:
    live = indicator.recommendations.exclude(state="resolved").select_related("rule")
    items = [
        f"{r.rule.name} (since {period_label(r.since_period)}): {' '.join(r.evidence or [])}"
        for r in live
    ]
    if not items:
        return []
    return [Paragraph("Trigger recommendations open for this indicator:"), BulletList(items)]


def _plans(indicator: Indicator) -> list:
    try:
        plans = list(indicator.improvement_plans.all())
    except AttributeError:  # improvement plans not installed
        return []
    if not plans:
        return [Paragraph("There is no Performance Improvement Plan for this indicator.")]
    items = [
        [Link(f"Improvement plan {p.pk}", p.get_absolute_url()), f": {p.get_status_display()}"]
        for p in plans
    ]
    return [Paragraph("Performance Improvement Plans:"), BulletList(items)]


# The minutes -------------------------------------------------------------------------------


def clinic_minutes(clinic: Clinic) -> Document:
    sections = [
        Section("About this clinic", [_about(clinic)], id="about"),
        _attendance(clinic),
        _discussion(clinic),
        Section("Minutes", _paragraphs(clinic.minutes, "No minutes recorded."), id="minutes"),
        _decisions(clinic),
        _action_plan(clinic),
        _monitoring(clinic),
    ]
    if clinic.outcome:
        sections.append(_outcome(clinic))
    held = govuk_date(clinic.held_on, none="not yet held")
    return Document(
        title=f"Minutes: {clinic.title}",
        subtitle=f"{clinic.get_kind_display()}, held {held}",
        reference=clinic.reference,
        metadata=_metadata(clinic, f"Minutes of {clinic.reference}"),
        sections=sections,
    )


def _paragraphs(text: str, empty: str) -> list:
    parts = [p.strip() for p in text.split("\n\n") if p.strip()]
    return [Paragraph(p) for p in parts] or [Paragraph(empty)]


def _attendance(clinic: Clinic) -> Section:
    members = list(clinic.panel.filter(removed_at__isnull=True).select_related("user"))
    present = [f"{m.display_name}, {m.get_role_display()}" for m in members if m.attended]
    if clinic.chair:
        present.insert(0, f"{clinic.chair}, Chair")
    apologies = [
        f"{m.display_name}, {m.get_role_display()}" for m in members if m.attended is False
    ]
    content = [Paragraph("Present:"), BulletList(present or ["Not recorded"])]
    if apologies:
        content += [Paragraph("Apologies:"), BulletList(apologies)]
    return Section("Attendance", content, id="attendance")


def _discussion(clinic: Clinic) -> Section:
    items = [
        Section(item.question, _paragraphs(item.answer, "Not discussed."))
        for item in clinic.agenda.all()
    ]
    return Section("The panel's questions", items, id="questions")


def _decisions(clinic: Clinic) -> Section:
    decisions = [d.text for d in clinic.decisions.all()]
    body = BulletList(decisions, ordered=True) if decisions else Paragraph("No decisions recorded.")
    return Section("Decisions", [body], id="decisions")


def action_table(clinic: Clinic, *, with_owner: bool = True) -> Table:
    header = ["No.", "Action", "Owner", "Due", "Status", "Indicators", "Causes it addresses"]
    rows = []
    for action in clinic.actions.select_related("owner").prefetch_related("indicators"):
        codes = ", ".join(i.code for i in action.indicators.all())
        rows.append(
            [
                str(action.number),
                action.description,
                str(action.owner),
                govuk_date(action.due_on),
                action.get_status_display(),
                codes,
                action.factors,
            ]
        )
    if not with_owner:
        header.pop(2)
        rows = [row[:2] + row[3:] for row in rows]
    return Table(caption="Action plan", header=header, rows=rows, row_headers=True)


def _action_plan(clinic: Clinic) -> Section:
    if not clinic.actions.exists():
        return Section("Action plan", [Paragraph("No actions agreed yet.")], id="actions")
    return Section("Action plan", [action_table(clinic)], id="actions")


def _monitoring(clinic: Clinic) -> Section:
    assessment = exit_assessment(clinic, list(clinic.indicators.all()))
    rows = [[c.name, "Met" if c.met else "Not met", c.because] for c in assessment.checks]
    content: list = [
        Paragraph(
            f"Progress updates are due {clinic.get_update_frequency_display().lower()} until the "
            "panel is satisfied."
        ),
        Table(caption="Exit criteria", header=["Criterion", "Met?", "Why"], rows=rows),
    ]
    if clinic.exit_notes:
        content.append(Paragraph(f"Other exit criteria: {clinic.exit_notes}"))
    updates = [[govuk_date(u.due_on), u.summary, str(u.written_by)] for u in clinic.updates.all()]
    if updates:
        content.append(
            Table(caption="Progress updates", header=["Due", "Summary", "Written by"], rows=updates)
        )
    return Section("Monitoring", content, id="monitoring")


def _outcome(clinic: Clinic) -> Section:
    content: list = [
        Note(ClinicOutcome(clinic.outcome).label),
        *_paragraphs(clinic.outcome_summary, ""),
    ]
    if clinic.cabinet_recommendations:
        content.append(
            Section("Recommendations to cabinet", _paragraphs(clinic.cabinet_recommendations, ""))
        )
    return Section("Outcome", content, id="outcome")
