"""Corrections after publication: a revision of a published figure, with a reason.

A performance officer or the figure's data owner starts a correction with a reason. It is
saved, submitted, approved (or returned) and published like a new figure, but it lives in its
own row: the published figure, its judgement, the scorecard, exports and every report keep the
published version until the correction itself is published. Publishing it writes the new
figures onto the published figure as its next revision, re-publishes the period's judgement
with the reason, and keeps every published version (`PublishedVersion`), so what earlier
reports said stays on record. Each step is audited (`corrected` when started, `revised` when
published).
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from goldthread.audit.services import record
from goldthread.collection.models import (
    OPEN_CORRECTION_STATES,
    Correction,
    CorrectionState,
    PublishedVersion,
)
from goldthread.collection.services import CollectionError, Entry, StaleEdit
from goldthread.indicators.models import Judgement, Value, ValueState
from goldthread.indicators.services.judging import publish, rejudge, republish

EDITABLE = (CorrectionState.DRAFT, CorrectionState.RETURNED)


def open_correction(figure: Value) -> Correction | None:
    return (
        figure.corrections.filter(state__in=OPEN_CORRECTION_STATES)
        .select_related("started_by", "updated_by")
        .first()
    )


def waiting_corrections() -> dict[str, list[Correction]]:
    """Corrections for the approvals page: submitted ones to check, approved ones to publish."""
    found = Correction.objects.filter(
        state__in=(CorrectionState.SUBMITTED, CorrectionState.APPROVED)
    ).select_related("figure__indicator", "started_by", "updated_by")
    ordered = list(found.order_by("figure__period_start", "pk"))
    return {
        "submitted": [c for c in ordered if c.state == CorrectionState.SUBMITTED],
        "approved": [c for c in ordered if c.state == CorrectionState.APPROVED],
    }


def correction_locked_reason(correction: Correction) -> str:
    """Why this correction cannot be edited now, or "" when it can."""
    if correction.state in EDITABLE:
        return ""
    if correction.state == CorrectionState.SUBMITTED:
        return "It has been submitted and is waiting for a performance officer to check it."
    if correction.state == CorrectionState.APPROVED:
        return (
            "It was approved and is waiting to be published. Ask a performance officer to "
            "return it if it needs to change."
        )
    return f"It was {correction.get_state_display().lower()}."


def _label(figure: Value) -> str:
    return f"{figure.indicator.name}, {figure.period_obj.label}"


def _fill(correction: Correction, entry: Entry, reason: str, actor, submit: bool) -> None:
    correction.value = entry.resolved_value(correction.figure.indicator.unit)
    correction.numerator, correction.denominator = entry.numerator, entry.denominator
    correction.commentary = entry.commentary
    correction.action_commentary = entry.action_commentary
    correction.action_due = entry.action_due
    correction.quality_flags = list(entry.quality_flags)
    correction.reason = reason.strip()
    correction.state = CorrectionState.SUBMITTED if submit else CorrectionState.DRAFT
    correction.updated_by = actor
    correction._change_reason = "Submitted" if submit else "Saved as a draft"


@transaction.atomic
def save_correction(
    figure: Value, entry: Entry, *, reason: str, actor, revision: int | None, submit: bool
) -> Correction:
    """Start a correction of a published figure, or save the one already started."""
    if not reason.strip():
        raise CollectionError("Enter why the published figure is being corrected")
    figure = Value.objects.select_for_update().select_related("indicator").get(pk=figure.pk)
    if figure.state != ValueState.PUBLISHED:
        raise CollectionError("Only a published figure can be corrected.")
    correction = open_correction(figure)
    started = correction is None
    if started:
        correction = Correction(figure=figure, started_by=actor)
    else:
        correction = Correction.objects.select_for_update().get(pk=correction.pk)
        _check_editable(correction, revision)
        correction.revision += 1
    _fill(correction, entry, reason, actor, submit)
    try:
        with transaction.atomic():
            correction.save()
    except IntegrityError as error:  # someone started one in the same moment
        raise StaleEdit(
            "Someone else started a correction of this figure while you were editing. Your "
            "changes have not been saved: check their correction below."
        ) from error
    _audit(correction, actor, started, submit)
    return correction


def _check_editable(correction: Correction, revision: int | None) -> None:
    reason = correction_locked_reason(correction)
    if reason:
        raise CollectionError(f"This correction cannot be changed now. {reason}")
    if revision is not None and revision != correction.revision:
        raise StaleEdit(
            "Someone else changed this correction while you were editing it. Your changes have "
            "not been saved: check their version below, then make your changes again."
        )


def _audit(correction: Correction, actor, started: bool, submit: bool) -> None:
    figure = correction.figure
    if started:
        record(
            actor,
            "corrected",
            figure.indicator,
            f"Correction of the published figure for {figure.period_obj.label} started",
            reason=correction.reason,
            period=figure.period,
            published=figure.value,
            proposed=correction.value,
        )
    verb = "submitted" if submit else "saved"
    record(
        actor,
        verb,
        figure.indicator,
        f"Correction of the figure for {figure.period_obj.label} "
        f"{'submitted' if submit else 'saved as a draft'}",
        period=figure.period,
        value=correction.value,
        correction=correction.pk,
    )


def _step(correction: Correction, to: str, *, actor, verb: str, reason: str = "") -> None:
    correction.state = to
    correction.revision += 1
    correction.updated_by = actor
    correction._change_reason = reason or verb.capitalize()
    correction.save()
    figure = correction.figure
    record(
        actor,
        verb,
        figure.indicator,
        f"Correction of the figure for {figure.period_obj.label} {verb}",
        reason=reason,
        period=figure.period,
        correction=correction.pk,
    )


def _locked(correction: Correction) -> Correction:
    return (
        Correction.objects.select_for_update()
        .select_related("figure__indicator")
        .get(pk=correction.pk)
    )


def _require(correction: Correction, states: tuple[str, ...], action: str) -> None:
    if correction.state not in states:
        state = correction.get_state_display().lower()
        raise CollectionError(f"This correction cannot be {action}: it is {state}.")


@transaction.atomic
def approve_correction(correction: Correction, *, actor) -> None:
    correction = _locked(correction)
    _require(correction, (CorrectionState.SUBMITTED,), "approved")
    _step(correction, CorrectionState.APPROVED, actor=actor, verb="approved")


@transaction.atomic
def return_correction(correction: Correction, *, actor, reason: str) -> None:
    if not reason.strip():
        raise CollectionError("Enter why you are returning this correction")
    correction = _locked(correction)
    _require(correction, (CorrectionState.SUBMITTED, CorrectionState.APPROVED), "returned")
    correction.returned_reason = reason.strip()
    _step(correction, CorrectionState.RETURNED, actor=actor, verb="returned", reason=reason)


@transaction.atomic
def withdraw_correction(correction: Correction, *, actor) -> None:
    """Abandon a correction: the published figure stays as it is. Kept, never deleted."""
    correction = _locked(correction)
    _require(correction, OPEN_CORRECTION_STATES, "withdrawn")
    _step(correction, CorrectionState.WITHDRAWN, actor=actor, verb="withdrawn")


@transaction.atomic
def publish_correction(correction: Correction, *, actor) -> PublishedVersion:
    """Make the correction the published figure's next revision, and re-publish its judgement."""
    correction = _locked(correction)
    _require(correction, (CorrectionState.APPROVED,), "published")
    figure = (
        Value.objects.select_for_update().select_related("indicator").get(pk=correction.figure_id)
    )
    if figure.state != ValueState.PUBLISHED:
        raise CollectionError("The figure is no longer published, so it cannot be revised.")
    record_publication(figure, actor=None)  # the version reports issued so far have shown
    before = figure.value
    number = figure.published_versions.aggregate(n=Max("number"))["n"] + 1
    _apply(figure, correction, actor, number)
    judgement = _judge_again(figure, actor, correction.reason)
    version = _version(figure, number, judgement, actor, correction)
    correction.published_revision = number
    _step(correction, CorrectionState.PUBLISHED, actor=actor, verb="published")
    record(
        actor,
        "revised",
        figure.indicator,
        f"Figure for {figure.period_obj.label} revised (revision {number})",
        reason=correction.reason,
        period=figure.period,
        before=before,
        after=figure.value,
        revision=number,
    )
    return version


def _apply(figure: Value, correction: Correction, actor, number: int) -> None:
    for name in ("value", "numerator", "denominator", "commentary", "action_commentary"):
        setattr(figure, name, getattr(correction, name))
    figure.action_due = correction.action_due
    figure.quality_flags = list(correction.quality_flags)
    figure.revision += 1
    figure.updated_by = actor
    figure._change_reason = f"Revised (revision {number}): {correction.reason}"
    figure.save()


def _judge_again(figure: Value, actor, reason: str) -> Judgement | None:
    """Re-publish the period's judgement with the corrected figure, then re-judge the rest."""
    if figure.area_id is not None:
        return None
    indicator, key = figure.indicator, figure.period
    found = Judgement.objects.filter(indicator=indicator, period=key).first()
    if found is not None and found.is_published:
        judgement = republish(indicator, key, actor=actor, reason=f"Figure revised: {reason}")
        rejudge([indicator])
        return judgement
    rejudge([indicator])
    publish(
        list(Judgement.objects.filter(indicator=indicator, period=key)),
        actor=actor,
        reason=f"Figure revised: {reason}",
    )
    return Judgement.objects.filter(indicator=indicator, period=key).first()


def _version(
    figure: Value,
    number: int,
    judgement: Judgement | None,
    actor,
    correction: Correction | None = None,
    published_at=None,
) -> PublishedVersion:
    return PublishedVersion.objects.create(
        figure=figure,
        number=number,
        value=figure.value,
        numerator=figure.numerator,
        denominator=figure.denominator,
        commentary=figure.commentary,
        rag=judgement.rag if judgement else "",
        target=judgement.target if judgement else None,
        reason=correction.reason if correction else "",
        correction=correction,
        published_by=actor if getattr(actor, "is_authenticated", False) else None,
        published_at=published_at or timezone.now(),
    )


def record_publication(figure: Value, *, actor) -> PublishedVersion | None:
    """Keep revision 1, the figure as first published (once; later ones are corrections).

    Figures published before versions were kept get theirs when first corrected, dated when
    their judgement was published.
    """
    if figure.published_versions.exists():
        return None
    judgement = None
    if figure.area_id is None:
        judgement = Judgement.objects.filter(
            indicator=figure.indicator, period=figure.period
        ).first()
    when = judgement.published_at if judgement and judgement.published_at else None
    by = actor if actor is not None else (judgement.published_by if judgement else None)
    return _version(figure, 1, judgement, by, published_at=when or figure.updated_at)
