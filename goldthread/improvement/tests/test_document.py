"""The plan as one document in the seed's layout: the same presenter feeds page, print, PDF and
Word, so what each says is checked once here and the Word file is read back."""

from __future__ import annotations

import datetime
import io

import pytest
from docx import Document as WordFile

from goldthread.documents.model import Facts, Table, walk
from goldthread.improvement import presenters, services
from goldthread.improvement.models import SolutionState

pytestmark = pytest.mark.django_db

SEED_SECTIONS = [
    "Section 1 Performance indicator details",
    "Section 2 External factors impacting performance",
    "Section 3 Internal factors impacting performance",
    "Section 4 Proposed solutions",
    "Section 5 Management comment",
    "Section 6 Progress tracking",
]


@pytest.fixture
def plan(world):
    plan = services.start_plan(world.recycling, by=world.bob)
    snow = services.add_factor(
        plan, services.FactorInput("external", "temporary", "Heavy snow"), by=world.bob
    )
    post = services.add_factor(
        plan, services.FactorInput("internal", "long_term", "Vacant driver post"), by=world.bob
    )
    services.add_solution(
        plan,
        services.SolutionInput(
            "Hire agency drivers",
            datetime.date(2026, 1, 31),
            "extra_funding",
            frozenset({snow.pk, post.pk}),
            resourcing_notes="£12,000 sought through the budget process.",
            expected_lag="One month",
        ),
        by=world.bob,
    )
    return plan


def test_the_document_has_the_seeds_six_sections_in_order(plan):
    document = presenters.plan_document(plan)

    assert [s.heading for s in document.sections] == SEED_SECTIONS
    assert document.reference == f"PIP-{plan.pk}"


def _table(document, caption: str) -> Table:
    return next(b for b, _ in walk(document.sections) if getattr(b, "caption", "") == caption)


def test_solutions_say_which_factors_they_address_resourcing_and_lag(plan):
    table = _table(presenters.plan_document(plan), "Proposed solutions")

    (solution, target_date, factors) = table.rows[0]
    assert table.header == ("Solutions", "Target date", "Factors addressed")
    assert factors == "E1, I1"
    assert target_date == "31 January 2026"
    assert "Resourcing: extra funding is being sought." in solution
    assert "£12,000 sought" in solution
    assert "Expected time before performance turns: One month." in solution


def test_section_one_lays_target_and_scores_out_as_the_seeds_grid(plan):
    about, grid, comments = presenters.plan_document(plan).sections[0].content

    assert isinstance(about, Facts) and about.items[0].value == "ENV1"
    assert isinstance(grid, Table) and grid.row_headers
    assert grid.header == ("Measure", "Value", "As at")
    rows = {row[0]: row[1:] for row in grid.rows}
    assert list(rows) == ["Target", "Score", "Last year end score", "Score 12 months ago"]
    assert rows["Score"] == ("47.0%", "31 July 2025")
    assert rows["Target"][1] == "1 July 2025"
    assert [f.key for f in comments.items] == ["Comments"]


def test_the_author_and_date_are_said_once_in_the_documents_metadata(plan, world):
    document = presenters.plan_document(plan)
    words = " ".join(
        str(getattr(b, "items", "")) + str(getattr(b, "rows", ""))
        for b, _ in walk(document.sections)
    )

    assert document.metadata.author == str(world.bob)
    assert document.metadata.date == plan.created_at.date()
    assert not document.intro
    assert str(world.bob) not in document.subtitle
    assert "'Author'" not in words and "'Date'" not in words


def test_the_print_page_and_pdf_carry_the_section_one_grid(plan, world):
    from pypdf import PdfReader

    from goldthread.documents.pdf import render_pdf
    from goldthread.documents.render import render_print_page

    document = presenters.plan_document(plan)
    page = render_print_page(document)
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(render_pdf(document))).pages)

    assert '<th scope="col" class="govuk-table__header">As at</th>' in page
    assert '<th scope="row" class="govuk-table__header">Score 12 months ago</th>' in page
    assert page.count(f">{world.bob}<") == 1
    assert "Score 12 months ago" in text and "31 July 2024" in text


def test_the_word_file_says_what_the_page_says(plan, world):
    from goldthread.documents.word import render_docx

    services.validate(plan, by=world.alice)
    solution = services.current_solutions(plan).get()
    services.set_solution_state(
        solution, SolutionState.IN_PLACE, on=datetime.date(2026, 1, 20), by=world.bob
    )
    services.add_progress(
        plan,
        period="2025-07",
        comment="Drivers in post; the plan is complete.",
        entry_date=datetime.date(2026, 2, 1),
        final=True,
        by=world.bob,
    )

    word = WordFile(io.BytesIO(render_docx(presenters.plan_document(plan))))

    headings = [p.text for p in word.paragraphs if p.style.name.startswith("Heading")]
    cells = " ".join(c.text for t in word.tables for row in t.rows for c in row.cells)
    assert all(section in headings for section in SEED_SECTIONS)
    assert "This is the final entry: the plan has been completed." in cells
    grid = next(t for t in word.tables if t.rows[0].cells[0].text == "Measure")
    assert [c.text for c in grid.rows[0].cells] == ["Measure", "Value", "As at"]
    assert [c.text for c in grid.rows[2].cells] == ["Score", "47.0%", "31 July 2025"]
