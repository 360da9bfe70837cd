"""Scrutiny recommendations: made by a review, answered by cabinet or officers, followed up.

Seed 000 7.3: "the Commission would make recommendations to Cabinet Members or senior manager
to support service improvement", and the outcomes "should be published". Each recommendation
gets a response (accepted, partly or not), actions with due dates, and a review six months on.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import transaction

from goldthread.audit.services import record
from goldthread.committees.models import Committee
from goldthread.improvement.checks import review_due
from goldthread.improvement.models import Acceptance, ScrutinyAction, ScrutinyRecommendation
from goldthread.improvement.services import ImprovementError
from goldthread.indicators.models import Indicator


@dataclass(frozen=True)
class RecommendationInput:
    committee: Committee
    source_kind: str
    review_title: str
    text: str
    addressed_to: str
    addressee: str
    made_on: date
    indicator: Indicator | None = None
    is_published: bool = False
    source_clinic: object | None = None


@transaction.atomic
def record_recommendation(data: RecommendationInput, *, by) -> ScrutinyRecommendation:
    fields = dict(data.__dict__)
    clinic = fields.pop("source_clinic")
    if clinic is not None:
        fields["source_clinic"] = clinic
    found = ScrutinyRecommendation.objects.create(
        recorded_by=by, review_due=review_due(data.made_on, None), **fields
    )
    record(by, "scrutiny_recommendation_made", found, f"Recommendation to {data.addressee}")
    return found


@dataclass(frozen=True)
class ResponseInput:
    response: str
    acceptance: str
    responded_on: date


@transaction.atomic
def record_response(found: ScrutinyRecommendation, data: ResponseInput, *, by) -> None:
    if data.responded_on < found.made_on:
        raise ImprovementError("The response date cannot be before the recommendation was made")
    found.response, found.acceptance, found.responded_on = (
        data.response,
        data.acceptance,
        data.responded_on,
    )
    found.review_due = review_due(found.made_on, data.responded_on)
    found.save(update_fields=["response", "acceptance", "responded_on", "review_due"])
    label = Acceptance(data.acceptance).label
    record(by, "scrutiny_response", found, f"Response recorded: {label.lower()}")


@transaction.atomic
def add_action(
    found: ScrutinyRecommendation, *, description: str, owner: str, due_on: date, by
) -> ScrutinyAction:
    action = ScrutinyAction.objects.create(
        recommendation=found, description=description, owner=owner, due_on=due_on
    )
    record(by, "scrutiny_action_added", found, f"Action for {owner}, due {due_on:%-d %B %Y}")
    return action


@transaction.atomic
def mark_action_done(action: ScrutinyAction, *, done_on: date, by) -> None:
    action.done_on = done_on
    action.save(update_fields=["done_on"])
    record(by, "scrutiny_action_done", action.recommendation, f"Action {action.pk} done")


@transaction.atomic
def record_review(
    found: ScrutinyRecommendation, *, reviewed_on: date, findings: str, publish: bool, by
) -> None:
    if reviewed_on < found.made_on:
        raise ImprovementError("The review date cannot be before the recommendation was made")
    found.reviewed_on, found.review_findings = reviewed_on, findings
    found.is_published = found.is_published or publish
    found.save(update_fields=["reviewed_on", "review_findings", "is_published"])
    record(by, "scrutiny_reviewed", found, "Six-month review recorded")


@transaction.atomic
def set_published(found: ScrutinyRecommendation, published: bool, *, by) -> None:
    found.is_published = published
    found.save(update_fields=["is_published"])
    verb = "Published" if published else "Taken off the public pages"
    record(by, "scrutiny_published", found, verb)
