"""The plan's rules as pure functions (run with -p no:django)."""

from datetime import date

import pytest

from goldthread.analysis.periods import parse_period
from goldthread.improvement.checks import (
    FactorRef,
    SolutionRef,
    completion_problems,
    coverage_problems,
    due_periods,
    months_after,
    review_due,
)

SNOW = FactorRef(1, "Heavy snow")
POST = FactorRef(2, "Vacant post")


def test_a_plan_where_every_factor_has_a_solution_and_every_solution_a_factor_is_valid():
    solutions = [SolutionRef(10, "Extra crews", frozenset({1})), SolutionRef(11, "Recruit", {2})]

    assert coverage_problems([SNOW, POST], solutions) == []


def test_it_names_each_factor_no_solution_addresses():
    problems = coverage_problems([SNOW, POST], [SolutionRef(10, "Extra crews", frozenset({1}))])

    assert problems == ["No solution addresses “Vacant post”: is still to be covered"]


def test_it_names_each_solution_that_addresses_no_factor():
    solutions = [
        SolutionRef(10, "Extra crews", frozenset({1, 2})),
        SolutionRef(11, "New vans", frozenset()),
        SolutionRef(12, "Posters", frozenset({99})),
    ]

    problems = coverage_problems([SNOW, POST], solutions)

    assert problems == ["Say which factors “New vans” and “Posters” address"]


def test_an_empty_plan_needs_factors_and_solutions():
    assert coverage_problems([], []) == [
        "Add at least one external or internal factor (sections 2 and 3)",
        "Add at least one proposed solution (section 4)",
    ]


@pytest.mark.parametrize(
    ("raised", "latest", "recorded", "expected"),
    [
        ("2025-07", "2025-07", [], []),
        ("2025-07", "2025-10", [], ["2025-08", "2025-09", "2025-10"]),
        ("2025-07", "2025-10", ["2025-09"], ["2025-08", "2025-10"]),
        ("2025/26 Q1", "2025/26 Q3", [], ["2025/26 Q2", "2025/26 Q3"]),
        ("2024/25", "2025/26", ["2025/26"], []),
    ],
)
def test_progress_is_due_each_period_after_the_plan_was_raised(raised, latest, recorded, expected):
    due = due_periods(
        parse_period(raised), parse_period(latest), [parse_period(p) for p in recorded]
    )

    assert [p.key for p in due] == expected


def test_the_plan_cannot_be_completed_while_a_solution_is_still_proposed():
    assert completion_problems([]) == []
    assert completion_problems(["Recruit"]) == [
        "The plan cannot be completed until every solution is in place or marked not chosen. "
        "Still proposed: “Recruit”"
    ]


@pytest.mark.parametrize(
    ("start", "expected"),
    [
        (date(2025, 1, 15), date(2025, 7, 15)),
        (date(2025, 8, 31), date(2026, 2, 28)),
        (date(2023, 8, 31), date(2024, 2, 29)),
    ],
)
def test_six_months_later_keeps_the_day_or_takes_the_last_of_the_month(start, expected):
    assert months_after(start, 6) == expected


def test_the_review_is_six_months_after_the_response_or_after_the_recommendation_until_then():
    assert review_due(date(2025, 9, 1), None) == date(2026, 3, 1)
    assert review_due(date(2025, 9, 1), date(2025, 11, 10)) == date(2026, 5, 10)
