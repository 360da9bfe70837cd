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


def test_solutions_say_which_factors_they_address_resourcing_and_lag(plan):
    table = next(
        b for b, _ in walk(presenters.plan_document(plan).sections) if isinstance(b, Table)
    )

    (solution, target_date, factors) = table.rows[0]
    assert table.header == ("Solutions", "Target date", "Factors addressed")
    assert factors == "E1, I1"
    assert target_date == "31 January 2026"
    assert "Resourcing: extra funding is being sought." in solution
    assert "£12,000 sought" in solution
    assert "Expected time before performance turns: One month." in solution


def test_section_one_facts_carry_each_score_with_its_date(plan):
    facts = presenters.plan_document(plan).sections[0].content[0]

    assert isinstance(facts, Facts)
    values = {f.key: f.value for f in facts.items}
    assert values["Score"] == "47.0% (as at 31 July 2025)"
    assert values["PI code"] == "ENV1"


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
