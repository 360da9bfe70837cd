from __future__ import annotations

from django.db import transaction

from goldthread.analysis.status import JudgementRules
from goldthread.analysis.status import ToleranceKind as AnalysisToleranceKind
from goldthread.audit.services import record
from goldthread.indicators.models import RuleSet


def current_rules() -> RuleSet:
    """The newest judgement rule version, creating version 1 with the defaults if none exists."""
    found = RuleSet.objects.order_by("-version").first()
    if found is not None:
        return found
    defaults = JudgementRules()
    return RuleSet.objects.create(
        version=1,
        default_tolerance=defaults.default_tolerance,
        default_tolerance_kind=str(defaults.default_tolerance_kind),
        direction_threshold=defaults.direction_threshold,
        reason="The default rules Goldthread ships with.",
    )


def as_analysis_rules(rule_set: RuleSet) -> JudgementRules:
    return JudgementRules(
        default_tolerance=rule_set.default_tolerance,
        default_tolerance_kind=AnalysisToleranceKind(rule_set.default_tolerance_kind),
        direction_threshold=rule_set.direction_threshold,
    )


@transaction.atomic
def change_rules(
    *,
    actor,
    reason: str,
    default_tolerance: float,
    default_tolerance_kind: str,
    direction_threshold: float,
) -> RuleSet:
    """Make a new rule version. Published judgements keep the version they were made with."""
    previous = current_rules()
    rule_set = RuleSet.objects.create(
        version=previous.version + 1,
        default_tolerance=default_tolerance,
        default_tolerance_kind=default_tolerance_kind,
        direction_threshold=direction_threshold,
        reason=reason,
        created_by=actor,
    )
    record(
        actor,
        "rules_changed",
        rule_set,
        f"Judgement rules changed to version {rule_set.version}",
        reason=reason,
    )
    return rule_set
