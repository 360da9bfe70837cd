"""Pure rules for clinics: when progress updates fall due, whether exit criteria are met, and
which rungs of the escalation ladder may ask for which kind of clinic.

No Django here (like goldthread/analysis/): the views and services load rows, call these and
store or show the answer, and these are table-tested on their own.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from goldthread.analysis.calendar import add_months

# Kinds as plain strings, so this module needs no models.
MANAGERIAL = "managerial"
AD_HOC_CHALLENGE = "ad_hoc_challenge"
PLANNED_CHALLENGE = "planned_challenge"
SPOTLIGHT_REVIEW = "spotlight_review"

# "On target" and "getting better than the period before", as stored on judgements.
ON_TARGET = "green"
IMPROVING = "improving"


def update_due_dates(held_on: date, every_months: int, until: date) -> list[date]:
    """Every date a progress update falls due after the clinic, up to and including `until`.

    Seed 004: "update reports on a monthly basis ... until the panel are satisfied". The first
    is due one interval after the clinic; each date counts from the clinic, not from the last
    due date, so a 31st-of-the-month clinic stays at month ends.
    """
    if every_months < 1:
        raise ValueError("Updates must fall due at least every month")
    dates, n = [], 1
    while (due := add_months(held_on, every_months * n)) <= until:
        dates.append(due)
        n += 1
    return dates


def next_due_date(held_on: date, every_months: int, after: date) -> date:
    """The first due date after `after` (the day an update is next owed)."""
    n = 1
    while (due := add_months(held_on, every_months * n)) <= after:
        n += 1
    return due


MONTHS_PER_PERIOD = {"monthly": 1, "quarterly": 3, "annual": 12}


def update_interval(frequency_setting: str, indicator_frequencies: Sequence[str]) -> int:
    """Months between updates: monthly, or the most frequent of the indicators' own periods."""
    if frequency_setting == "monthly" or not indicator_frequencies:
        return 1
    return min(MONTHS_PER_PERIOD.get(f, 1) for f in indicator_frequencies)


@dataclass(frozen=True)
class Point:
    """One stored judgement, as exit criteria read it."""

    period_label: str
    rag: str
    direction: str


@dataclass(frozen=True)
class Check:
    """One exit criterion: met or not, and a sentence saying why."""

    name: str
    met: bool
    because: str


def improvement_check(name: str, points: Sequence[Point], needed: int) -> Check:
    """Consistent improvement: each of the latest `needed` judgements is on target or better
    than the period before. Points are oldest first and come from after the clinic."""
    if needed < 1:
        return Check(name, True, "No run of improving periods is asked for.")
    run = 0
    for point in reversed(points):
        if point.rag != ON_TARGET and point.direction != IMPROVING:
            break
        run += 1
    periods = "period" if needed == 1 else "periods"
    if run >= needed:
        since = points[-needed].period_label
        return Check(
            name,
            True,
            f"On target or improving in each of the last {needed} {periods}, since {since}.",
        )
    if not points:
        return Check(name, False, f"No figures judged since the clinic; {needed} {periods} needed.")
    latest = points[-1]
    return Check(
        name,
        False,
        f"{run} of the {needed} {periods} needed so far; the latest, {latest.period_label}, "
        f"is {_words(latest)}.",
    )


def _words(point: Point) -> str:
    status = "on target" if point.rag == ON_TARGET else "not on target"
    change = "improving" if point.direction == IMPROVING else "not improving"
    return f"{status} and {change}"


def actions_check(statuses: Sequence[str], finished: Sequence[str]) -> Check:
    """Actions delivered: every action in the plan is delivered (or dropped by the panel)."""
    name = "Actions delivered"
    if not statuses:
        return Check(name, False, "The action plan has no actions yet.")
    left = sum(1 for status in statuses if status not in finished)
    if left == 0:
        return Check(name, True, f"All {len(statuses)} actions are delivered or dropped.")
    return Check(name, False, f"{left} of {len(statuses)} actions are still to be delivered.")


def all_met(checks: Sequence[Check]) -> bool:
    return all(check.met for check in checks)


def kinds_requestable_from(position: int, rungs: int) -> tuple[str, ...]:
    """Which kinds of clinic a rung of the ladder may ask for (seed 000 §7, seed 002 §3.3).

    The lowest two rungs are officers' forums (the Performance and Intelligence Group, the
    Performance Board of directors): they ask for managerial clinics, and the board, as the
    senior leadership team, may also recommend a member-led challenge. Rungs above are
    cabinet members' forums, which recommend ad hoc challenge events. The top rung is
    scrutiny, whose work programme holds planned challenge events and spotlight reviews.
    """
    kinds: list[str] = []
    if position <= 2:
        kinds.append(MANAGERIAL)
    if position >= 2:
        kinds.append(AD_HOC_CHALLENGE)
    if position == rungs and rungs > 2:
        kinds.extend([PLANNED_CHALLENGE, SPOTLIGHT_REVIEW])
    return tuple(kinds)
