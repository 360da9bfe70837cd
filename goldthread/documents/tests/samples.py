"""A document with one of every kind of block, shared by the documents tests."""

from __future__ import annotations

import datetime

from goldthread.charts.svg import line_chart
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
    Strong,
    Table,
)

MONTHS = ["July 2025", "August 2025", "September 2025", "October 2025"]
RATES = [51.2, 49.8, 48.1, 47.3]


def rate_table() -> Table:
    return Table(
        caption="Recycling rate by month",
        header=["Month", "Rate (%)", "Target (%)"],
        rows=[[m, f"{r:.1f}", "52.0"] for m, r in zip(MONTHS, RATES, strict=True)],
        numeric_columns=[1, 2],
        row_headers=True,
    )


def rate_chart() -> Chart:
    svg = line_chart(
        MONTHS,
        RATES,
        [52.0] * 4,
        title="Recycling rate against target",
        description="The rate has fallen every month since July and is below target.",
        id_prefix="recycling",
    )
    return Chart(
        title="Recycling rate against target",
        description="The rate has fallen every month since July and is below target.",
        svg=str(svg),
        table=rate_table(),
    )


def sample_document(**changes) -> Document:
    fields = dict(
        title="Performance clinic pack: ENV1 Household waste recycled",
        subtitle="Managerial clinic, 14 January 2026",
        reference="CLINIC-2026-004",
        metadata=Metadata(
            author="Performance and Intelligence team",
            date=datetime.date(2026, 1, 7),
            protective_marking="OFFICIAL",
            organisation="Stirling Council",
            subject="Why recycling is below target and what will bring it back",
            keywords=["recycling", "performance clinic"],
        ),
        show_contents=True,
        intro=[Paragraph("This pack is for the panel of the managerial clinic.")],
        sections=[
            Section(
                "Indicator details",
                [
                    Facts([Fact("Target", "52.0%"), Fact("Latest", "47.3% (October 2025)")]),
                    Paragraph(
                        [
                            "Recycling has been ",
                            Strong("below target for four months"),
                            ". See the ",
                            Link("national figures", "https://www.gov.uk/recycling"),
                            ".",
                        ]
                    ),
                    Note("Figures for November are not yet approved.", "warning"),
                ],
            ),
            Section(
                "Trend",
                [
                    rate_chart(),
                    Section(
                        "Causes",
                        [
                            BulletList(["Contamination at the depot", "Crew shortages"]),
                            Note("The depot reopened on 3 November."),
                        ],
                    ),
                ],
            ),
            Section(
                "Questions for the panel",
                [BulletList(["Is the target realistic?", "What support is needed?"], True)],
            ),
            Section(
                "Actions agreed",
                [BulletList(["Retrain crews", "Audit contamination"], ordered=True)],
            ),
        ],
    )
    fields.update(changes)
    return Document(**fields)
