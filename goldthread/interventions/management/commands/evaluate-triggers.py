"""goldthread evaluate-triggers: evaluate the trigger rules against published judgements.

    goldthread evaluate-triggers [--json] [--indicator CODE ...]

Prints each new, continuing and cleared recommendation with its indicator, rule, the period
since which the rule has held and the evidence. Publishing figures evaluates the rules too;
this command is for a schedule, after changing a rule, or to see where things stand.
"""

from __future__ import annotations

import json
from argparse import ArgumentParser

from django.core.management.base import BaseCommand, CommandError

from goldthread.indicators.models import Indicator
from goldthread.interventions.evaluation import EvaluationReport, evaluate_triggers
from goldthread.interventions.models import Recommendation

SECTIONS = (("new", "New"), ("continuing", "Continuing"), ("cleared", "Cleared"))


class Command(BaseCommand):
    help = "Evaluate the trigger rules and print new, continuing and cleared recommendations."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--json", action="store_true", help="Print JSON instead of text.")
        parser.add_argument(
            "--indicator",
            action="append",
            metavar="CODE",
            help="Only this indicator (may be given more than once).",
        )

    def handle(self, *args, **options) -> None:
        report = evaluate_triggers(_indicator_ids(options["indicator"]))
        if options["json"]:
            self.stdout.write(json.dumps(as_json(report), indent=2))
        else:
            self._write_text(report)

    def _write_text(self, report: EvaluationReport) -> None:
        for key, title in SECTIONS:
            items = getattr(report, key)
            self.stdout.write(f"{title}: {len(items)}")
            for rec in items:
                self.stdout.write(f"  {_line(rec)}")
                for sentence in rec.evidence:
                    self.stdout.write(f"    - {sentence}")


def _indicator_ids(codes: list[str] | None) -> list[int] | None:
    if not codes:
        return None
    found = dict(Indicator.objects.filter(code__in=codes).values_list("code", "pk"))
    missing = sorted(set(codes) - set(found))
    if missing:
        raise CommandError(f"No indicator with the code {', '.join(missing)}.")
    return list(found.values())


def _line(rec: Recommendation) -> str:
    text = f"{rec.indicator.code} {rec.indicator.name}: {rec.rule.name}, since {rec.since_period}"
    if rec.resolved_period:
        text += f", cleared in {rec.resolved_period}"
    return f"{text} ({rec.get_state_display().lower()}, {rec.get_decision_display().lower()})"


def as_json(report: EvaluationReport) -> dict:
    return {key: [_json_item(rec) for rec in getattr(report, key)] for key, _title in SECTIONS}


def _json_item(rec: Recommendation) -> dict:
    return {
        "id": rec.pk,
        "indicator": rec.indicator.code,
        "indicator_name": rec.indicator.name,
        "rule": rec.rule.code,
        "rule_name": rec.rule.name,
        "state": rec.state,
        "since_period": rec.since_period,
        "firing_period": rec.firing_period or None,
        "resolved_period": rec.resolved_period or None,
        "last_period": rec.last_period,
        "decision": rec.decision,
        "evidence": list(rec.evidence),
    }
