"""Trigger rules: when the council's framework says an intervention should be considered.

Triggers recommend; people decide. Each rule tests one condition per published period and
behaves like an alerting rule:

- While the condition holds for fewer periods in a row than the rule's "for" count, the rule
  is *pending*. Once it has held for that many periods it is *firing*, and it stays firing
  until the condition has stopped holding for the rule's recovery count in a row; then it is
  *resolved*. A pending rule whose condition stops holding simply lapses.
- A period that cannot be judged (no figure, no target, a context indicator) neither
  continues nor breaks a run: it tells us nothing either way.
- Counts are in the indicator's own periods, or in quarters: "two quarters" is six monthly
  periods, two quarterly periods or one annual period.

The conditions, in the words of the councils' frameworks (seeds 000 and 003):

- Managerial performance clinic: below target now (near or off target) and forecast to miss
  the year-end target; or on target now, but a known event or risk (recorded by the owner or
  from a linked risk) is forecast to make it miss.
- Ad hoc challenge event (member-led): underperformance on a corporate priority that a
  managerial clinic's action plan has not improved: the indicator serves a corporate priority,
  is below target, a managerial clinic agreed an action plan before the period began, and the
  figure is no better than it was when the plan was agreed.
- Planned challenge event (scrutiny): off target ("red") with no sign of improvement (no
  improving special cause variation or trend); or below target after a member-led clinic has
  been held, so that long-term issues persist. The rule's "for" count (two quarters by
  default) makes both "long-standing".
- Performance Improvement Plan: below target, or expected not to reach the year-end target.
- Recognition: on target, not forecast to miss, and either improving special cause variation
  or better than the target by at least the rule's threshold (a percentage of the target).

Nothing here touches the database: the same facts always give the same states.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from goldthread.analysis.periods import Frequency, parse_period


class Kind(StrEnum):
    MANAGERIAL_CLINIC = "managerial_clinic"
    AD_HOC_CHALLENGE = "ad_hoc_challenge"
    PLANNED_CHALLENGE = "planned_challenge"
    IMPROVEMENT_PLAN = "improvement_plan"
    RECOGNITION = "recognition"


class State(StrEnum):
    INACTIVE = "inactive"
    PENDING = "pending"
    FIRING = "firing"
    RESOLVED = "resolved"


BELOW_TARGET = frozenset({"amber", "red"})
JUDGED = frozenset({"green", "amber", "red"})
IMPROVING_POINT = "special_cause_improvement"
RAG_WORDS = {"green": "on target", "amber": "near target", "red": "off target"}


@dataclass(frozen=True)
class Rule:
    code: str
    kind: Kind
    for_periods: int = 1
    recovery_periods: int = 1
    in_quarters: bool = False
    threshold: float | None = None


@dataclass(frozen=True)
class PeriodFacts:
    """One published judgement, and what was known about the indicator at the time."""

    period: str
    rag: str
    value: float | None = None
    target: float | None = None
    forecast_rag: str = ""
    spc_point_type: str = ""
    spc_label: str = ""
    known_risks: tuple[str, ...] = ()
    value_text: str = ""
    target_text: str = ""

    @property
    def judged(self) -> bool:
        return self.rag in JUDGED

    @property
    def below_target(self) -> bool:
        return self.rag in BELOW_TARGET

    @property
    def forecast_to_miss(self) -> bool:
        return self.forecast_rag in BELOW_TARGET

    @property
    def improving(self) -> bool:
        return self.spc_point_type == IMPROVING_POINT


@dataclass(frozen=True)
class IndicatorFacts:
    """An indicator's published periods, oldest first, and its intervention history."""

    key: str
    frequency: Frequency
    polarity: str = "higher"
    corporate_priority: bool = False
    periods: tuple[PeriodFacts, ...] = ()
    managerial_plans_agreed: tuple[date, ...] = ()
    member_clinics_held: tuple[date, ...] = ()


@dataclass(frozen=True)
class Outcome:
    """The state of one rule for one indicator after its latest published period."""

    indicator: str
    rule: str
    state: State
    since_period: str = ""
    firing_period: str = ""
    resolved_period: str = ""
    last_period: str = ""
    evidence: tuple[str, ...] = field(default_factory=tuple)

    @property
    def is_open(self) -> bool:
        return self.state in (State.PENDING, State.FIRING)


# A condition says whether it holds (None: cannot tell) and, if it does, why.
Test = tuple[bool | None, tuple[str, ...]]


def evaluate(facts: Iterable[IndicatorFacts], rules: Sequence[Rule]) -> list[Outcome]:
    """Every rule for every indicator, in input order."""
    return [evaluate_one(item, rule) for item in facts for rule in rules]


def evaluate_one(facts: IndicatorFacts, rule: Rule) -> Outcome:
    need_for = periods_needed(rule.for_periods, rule.in_quarters, facts.frequency)
    need_recovery = periods_needed(rule.recovery_periods, rule.in_quarters, facts.frequency)
    condition = CONDITIONS[rule.kind]
    run = _Run(facts.key, rule.code)
    for index, period in enumerate(facts.periods):
        holds, evidence = condition(facts, index, rule)
        run.step(period.period, holds, evidence, need_for, need_recovery)
    return run.outcome()


def periods_needed(count: int, in_quarters: bool, frequency: Frequency) -> int:
    """How many of the indicator's periods make `count` periods (or quarters)."""
    if not in_quarters:
        return max(1, count)
    return max(1, math.ceil(count * 3 / frequency.months_per_period))


@dataclass
class _Run:
    indicator: str
    rule: str
    state: State = State.INACTIVE
    held: int = 0
    cleared: int = 0
    since: str = ""
    firing: str = ""
    resolved: str = ""
    last: str = ""
    evidence: tuple[str, ...] = ()

    def step(self, period: str, holds, evidence, need_for: int, need_recovery: int) -> None:
        if holds is None:
            return
        self.last = period
        if holds:
            self._holds(period, evidence, need_for)
        else:
            self._stops(period, need_recovery)

    def _holds(self, period: str, evidence: tuple[str, ...], need_for: int) -> None:
        if self.state in (State.INACTIVE, State.RESOLVED):
            self.state, self.held, self.since = State.PENDING, 0, period
            self.firing = self.resolved = ""
        self.held, self.cleared, self.evidence = self.held + 1, 0, evidence
        if self.state is State.PENDING and self.held >= need_for:
            self.state, self.firing = State.FIRING, period

    def _stops(self, period: str, need_recovery: int) -> None:
        if self.state is State.PENDING:
            self.state, self.held, self.since, self.evidence = State.INACTIVE, 0, "", ()
        elif self.state is State.FIRING:
            self.cleared += 1
            if self.cleared >= need_recovery:
                self.state, self.resolved = State.RESOLVED, period

    def outcome(self) -> Outcome:
        return Outcome(
            self.indicator,
            self.rule,
            self.state,
            self.since,
            self.firing,
            self.resolved,
            self.last,
            self.evidence,
        )


# --- the conditions ----------------------------------------------------------------------


def _status(p: PeriodFacts) -> str:
    words = RAG_WORDS.get(p.rag, p.rag.replace("_", " "))
    figure = p.value_text or _number(p.value)
    target = p.target_text or _number(p.target)
    if figure and target:
        return f"{p.period}: {words} ({figure} against a target of {target})."
    return f"{p.period}: {words}."


def _number(x: float | None) -> str:
    return "" if x is None else f"{x:g}"


def managerial_clinic(facts: IndicatorFacts, index: int, rule: Rule) -> Test:
    p = facts.periods[index]
    if not p.judged:
        return None, ()
    if p.below_target and p.forecast_to_miss:
        forecast = f"Forecast to miss the year-end target ({RAG_WORDS[p.forecast_rag]})."
        return True, (_status(p), forecast)
    if p.rag == "green" and p.known_risks:
        risks = tuple(f"Known event or risk: {text}" for text in p.known_risks)
        return True, (_status(p), *risks)
    return False, ()


def ad_hoc_challenge(facts: IndicatorFacts, index: int, rule: Rule) -> Test:
    p = facts.periods[index]
    if not p.judged:
        return None, ()
    start = parse_period(p.period).start
    plans = [d for d in facts.managerial_plans_agreed if d < start]
    if not (facts.corporate_priority and p.below_target and plans):
        return False, ()
    baseline = _baseline(facts, max(plans))
    if baseline is None or _better(p, baseline, facts.polarity):
        return False, ()
    return True, (
        "The indicator serves a corporate priority.",
        f"A managerial clinic agreed an action plan on {max(plans):%d %B %Y}.",
        _status(p),
        f"No better than {baseline.period}, the last figure before the plan "
        f"({baseline.value_text or _number(baseline.value)}).",
    )


def _baseline(facts: IndicatorFacts, agreed: date) -> PeriodFacts | None:
    """The last judged figure for a period that ended on or before the plan was agreed."""
    earlier = [
        p for p in facts.periods if p.value is not None and parse_period(p.period).end <= agreed
    ]
    return earlier[-1] if earlier else None


def _better(now: PeriodFacts, then: PeriodFacts, polarity: str) -> bool:
    if now.value is None or then.value is None:
        return False
    if polarity == "lower":
        return now.value < then.value
    if polarity == "higher":
        return now.value > then.value
    if now.target is None or then.target is None:
        return False
    return abs(now.value - now.target) < abs(then.value - then.target)


def planned_challenge(facts: IndicatorFacts, index: int, rule: Rule) -> Test:
    p = facts.periods[index]
    if not p.judged:
        return None, ()
    if p.rag == "red" and not p.improving:
        return True, (_status(p), "No sign of improvement: no improving special cause or trend.")
    start = parse_period(p.period).start
    held = [d for d in facts.member_clinics_held if d < start]
    if held and p.below_target:
        return True, (
            f"A member-led performance clinic was held on {max(held):%d %B %Y}.",
            _status(p),
        )
    return False, ()


def improvement_plan(facts: IndicatorFacts, index: int, rule: Rule) -> Test:
    p = facts.periods[index]
    if not p.judged:
        return None, ()
    if p.below_target:
        return True, (_status(p),)
    if p.forecast_to_miss:
        return True, (
            _status(p),
            f"Expected not to reach the year-end target ({RAG_WORDS[p.forecast_rag]}).",
        )
    return False, ()


def recognition(facts: IndicatorFacts, index: int, rule: Rule) -> Test:
    p = facts.periods[index]
    if not p.judged:
        return None, ()
    if p.rag != "green" or p.forecast_to_miss:
        return False, ()
    if p.improving:
        return True, (_status(p), "Improving special cause variation.")
    margin = _margin(p, facts.polarity)
    threshold = rule.threshold if rule.threshold is not None else 10.0
    if margin is not None and margin >= threshold:
        return True, (_status(p), f"Better than the target by {margin:.0f}%.")
    return False, ()


def _margin(p: PeriodFacts, polarity: str) -> float | None:
    """How far better than the target, as a percentage of the target's size."""
    if p.value is None or not p.target or polarity not in ("higher", "lower"):
        return None
    ahead = p.value - p.target if polarity == "higher" else p.target - p.value
    return ahead / abs(p.target) * 100


CONDITIONS: dict[Kind, Callable[[IndicatorFacts, int, Rule], Test]] = {
    Kind.MANAGERIAL_CLINIC: managerial_clinic,
    Kind.AD_HOC_CHALLENGE: ad_hoc_challenge,
    Kind.PLANNED_CHALLENGE: planned_challenge,
    Kind.IMPROVEMENT_PLAN: improvement_plan,
    Kind.RECOGNITION: recognition,
}
