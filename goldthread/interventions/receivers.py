"""Evaluate the trigger rules whenever judgements are published."""

from __future__ import annotations

from goldthread.indicators.signals import judgements_published


def on_judgements_published(sender, judgements, actor=None, **kwargs) -> None:
    from goldthread.interventions.evaluation import evaluate_triggers

    evaluate_triggers({j.indicator_id for j in judgements})


def connect() -> None:
    judgements_published.connect(on_judgements_published, dispatch_uid="interventions-triggers")
