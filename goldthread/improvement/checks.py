"""The rules a plan is checked against, as pure functions (no Django), so they are table-tested.

Seed 003, section 4: "It should be explicitly stated how each solution relates to each
factor." A plan is valid only when every factor is addressed by at least one solution and every
solution addresses at least one factor. Section 6: the plan is updated at the indicator's
frequency while it is open, even after the indicator is back on target, until the solutions are
in place; the last entry formally states the plan is complete.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from goldthread.analysis.calendar import add_months as months_after
from goldthread.analysis.periods import Period, period_range


@dataclass(frozen=True)
class FactorRef:
    id: int
    label: str


@dataclass(frozen=True)
class SolutionRef:
    id: int
    label: str
    factor_ids: frozenset[int]


def _names(labels: Sequence[str]) -> str:
    quoted = [f"“{label}”" for label in labels]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " and " + quoted[-1]


def coverage_problems(factors: Sequence[FactorRef], solutions: Sequence[SolutionRef]) -> list[str]:
    """What stops the plan being validated, each naming the factors or solutions concerned."""
    problems = []
    if not factors:
        problems.append("Add at least one external or internal factor (sections 2 and 3)")
    if not solutions:
        problems.append("Add at least one proposed solution (section 4)")
    known = {f.id for f in factors}
    addressed = set().union(*(s.factor_ids for s in solutions)) if solutions else set()
    unaddressed = [f.label for f in factors if f.id not in addressed]
    if unaddressed:
        verb = "is" if len(unaddressed) == 1 else "are"
        problems.append(f"No solution addresses {_names(unaddressed)}: {verb} still to be covered")
    idle = [s.label for s in solutions if not s.factor_ids & known]
    if idle:
        problems.append(f"Say which factors {_names(idle)} address")
    return problems


def due_periods(raised: Period, latest: Period, recorded: Sequence[Period]) -> list[Period]:
    """Periods after the one the plan was raised at, up to the latest, with no progress entry."""
    if latest <= raised:
        return []
    done = set(recorded)
    return [p for p in period_range(raised.next(), latest) if p not in done]


def completion_problems(unfinished_solutions: Sequence[str]) -> list[str]:
    """The plan may be completed only once every chosen solution is in place."""
    if not unfinished_solutions:
        return []
    return [
        "The plan cannot be completed until every solution is in place or marked not chosen. "
        f"Still proposed: {_names(unfinished_solutions)}"
    ]


REVIEW_AFTER_MONTHS = 6


def review_due(made_on: date, responded_on: date | None) -> date:
    """Scrutiny reviews a recommendation six months after the response (or after it was made,
    while no response has come), so a slow response does not push the review back unseen."""
    return months_after(responded_on or made_on, REVIEW_AFTER_MONTHS)
