"""Scrutiny recommendation pages: the list (the public sees published ones), recording, the
response, actions and the six-month review."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from goldthread.improvement import access, forms, scrutiny
from goldthread.improvement.models import ScrutinyRecommendation
from goldthread.improvement.web import form_step, input_from, posted
from goldthread.indicators import access as indicator_access

GET_POST = require_http_methods(["GET", "POST"])


def _on(found: ScrutinyRecommendation, title: str) -> dict:
    return {"title": title, "caption": f"Scrutiny recommendation {found.pk}", "back": found}


@require_GET
def recommendation_list(request: HttpRequest) -> HttpResponse:
    context = {
        "recommendations": access.recommendations_for(request.user),
        "today": timezone.localdate(),
        "can_record": access.can_record_recommendations(request.user),
    }
    return render(request, "improvement/recommendation_list.html", context)


def _clinics() -> list:
    from goldthread.clinics.models import Clinic

    return list(Clinic.objects.order_by("-pk")[:200])


@login_required
@GET_POST
def new(request: HttpRequest) -> HttpResponse:
    if not access.can_record_recommendations(request.user):
        raise PermissionDenied
    form = forms.RecommendationForm(
        posted(request),
        committees=list(access.committees_user_records_for(request.user)),
        indicators=list(indicator_access.indicators_for(request.user)),
        clinics=_clinics(),
    )
    return form_step(
        request,
        form,
        success="Recommendation recorded",
        step=lambda data: scrutiny.record_recommendation(
            input_from(data, scrutiny.RecommendationInput), by=request.user
        ),
        title="Record a scrutiny recommendation",
        caption="Scrutiny recommendations",
        intro=[
            "Record a recommendation from a spotlight review or challenge event to cabinet or "
            "officers. Its review falls due six months after the response."
        ],
        back_url="improvement:recommendations",
    )


@require_GET
def recommendation(request: HttpRequest, pk: int) -> HttpResponse:
    found = access.get_recommendation_for_user(request.user, pk)
    context = {
        "found": found,
        "actions": list(found.actions.all()),
        "today": timezone.localdate(),
        "can_respond": access.can_respond(request.user, found),
        "can_review": access.can_review(request.user, found),
    }
    return render(request, "improvement/recommendation.html", context)


def _for(request: HttpRequest, pk: int, check) -> ScrutinyRecommendation:
    found = access.get_recommendation_for_user(request.user, pk)
    if not check(request.user, found):
        raise PermissionDenied
    return found


@login_required
@GET_POST
def response(request: HttpRequest, pk: int) -> HttpResponse:
    found = _for(request, pk, access.can_respond)
    initial = {"acceptance": found.acceptance, "response": found.response}
    form = forms.ResponseForm(posted(request), initial=initial)
    form.set_date("responded_on", found.responded_on)
    return form_step(
        request,
        form,
        success="Response recorded",
        step=lambda data: scrutiny.record_response(
            found, input_from(data, scrutiny.ResponseInput), by=request.user
        ),
        then=found,
        **_on(found, "Record the response"),
    )


@login_required
@GET_POST
def action_add(request: HttpRequest, pk: int) -> HttpResponse:
    found = _for(request, pk, access.can_respond)
    return form_step(
        request,
        forms.ActionForm(posted(request)),
        success="Action added",
        step=lambda data: scrutiny.add_action(
            found,
            description=data["description"],
            owner=data["owner"],
            due_on=data["due_on"],
            by=request.user,
        ),
        then=found,
        **_on(found, "Add an action"),
    )


@login_required
@GET_POST
def action_done(request: HttpRequest, pk: int, action_pk: int) -> HttpResponse:
    found = _for(request, pk, access.can_respond)
    action = get_object_or_404(found.actions, pk=action_pk, done_on__isnull=True)
    form = forms.DoneForm(posted(request))
    form.set_date("done_on", timezone.localdate())
    return form_step(
        request,
        form,
        success="Action marked as done",
        step=lambda data: scrutiny.mark_action_done(
            action, done_on=data["done_on"], by=request.user
        ),
        then=found,
        intro=[action.description],
        **_on(found, "Mark an action as done"),
    )


@login_required
@GET_POST
def review(request: HttpRequest, pk: int) -> HttpResponse:
    found = _for(request, pk, access.can_review)
    form = forms.ReviewForm(posted(request), initial={"findings": found.review_findings})
    form.set_date("reviewed_on", found.reviewed_on or timezone.localdate())
    return form_step(
        request,
        form,
        success="Review recorded",
        step=lambda data: scrutiny.record_review(
            found,
            reviewed_on=data["reviewed_on"],
            findings=data["findings"],
            publish=data["publish"],
            by=request.user,
        ),
        then=found,
        **_on(found, "Record the six-month review"),
    )
