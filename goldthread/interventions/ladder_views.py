"""Pages for known events and risks, the escalation ladder and escalations."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from goldthread.interventions import access, presenters, services
from goldthread.interventions.forms import (
    DecisionForm,
    EscalateForm,
    ForumForm,
    KnownRiskForm,
    ReasonForm,
)
from goldthread.interventions.models import Forum
from goldthread.interventions.views import indicator_or_404, posted, refuse_unless
from goldthread.structure.services import council


def _indicator_page(code: str):
    return redirect("indicators:detail", code=code)


# --- known events and risks ----------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def record_known_risk(request: HttpRequest, code: str) -> HttpResponse:
    indicator = indicator_or_404(request, code)
    refuse_unless(access.can_record_known_risk(request.user, indicator))
    form = KnownRiskForm(posted(request), initial={"forecast_to_miss": "yes", "source": "owner"})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        entry = services.RiskEntry(
            description=data["description"],
            expected_effect=data["expected_effect"],
            expected_by=form.dates["expected_by"],
            forecast_to_miss=data["forecast_to_miss"],
            source=data["source"],
            risk_reference=data["risk_reference"],
        )
        services.record_known_risk(indicator, entry, by=request.user)
        messages.success(request, "Known event or risk recorded")
        return _indicator_page(indicator.code)
    return render(request, "interventions/known_risk.html", {"indicator": indicator, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def withdraw_known_risk(request: HttpRequest, pk: int) -> HttpResponse:
    risk = access.get_known_risk_for_user(request.user, pk)
    refuse_unless(access.can_record_known_risk(request.user, risk.indicator))
    if risk.withdrawn_at is not None:
        raise Http404("That known risk was already withdrawn")
    form = ReasonForm(posted(request))
    if request.method == "POST" and form.is_valid():
        services.withdraw_known_risk(risk, by=request.user, reason=form.cleaned_data["reason"])
        messages.success(request, "Known event or risk withdrawn")
        return _indicator_page(risk.indicator.code)
    return render(request, "interventions/withdraw_risk.html", {"risk": risk, "form": form})


# --- the ladder ----------------------------------------------------------------------------


@login_required
@require_GET
def ladder(request: HttpRequest) -> HttpResponse:
    refuse_unless(access.can_see_ladder(request.user))
    context = {
        "rungs": presenters.ladder_rungs(),
        "can_change": access.can_change_ladder(request.user),
    }
    return render(request, "interventions/ladder.html", context)


def _forum_or_404(pk: int) -> Forum:
    forum = Forum.objects.filter(pk=pk, is_active=True).select_related("council").first()
    if forum is None:
        raise Http404("No forum with that number")
    return forum


def _entry(form: ForumForm) -> services.ForumEntry:
    data = form.cleaned_data
    return services.ForumEntry(data["name"], data["composition"], data["responsibilities"])


@login_required
@require_http_methods(["GET", "POST"])
def add_forum(request: HttpRequest) -> HttpResponse:
    refuse_unless(access.can_change_ladder(request.user))
    found = council()
    if found is None:
        raise Http404("Set up the council first")
    form = ForumForm(posted(request))
    if request.method == "POST" and form.is_valid():
        services.ladder(found)
        forum = services.add_forum(found, _entry(form), by=request.user)
        messages.success(request, f"{forum.name} added to the top of the ladder")
        return redirect("interventions:ladder")
    return render(request, "interventions/forum.html", {"form": form, "forum": None})


@login_required
@require_http_methods(["GET", "POST"])
def change_forum(request: HttpRequest, pk: int) -> HttpResponse:
    refuse_unless(access.can_change_ladder(request.user))
    forum = _forum_or_404(pk)
    initial = {
        "name": forum.name,
        "composition": forum.composition,
        "responsibilities": forum.responsibilities,
    }
    form = ForumForm(posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        services.change_forum(forum, _entry(form), by=request.user)
        messages.success(request, f"{forum.name} changed")
        return redirect("interventions:ladder")
    return render(request, "interventions/forum.html", {"form": form, "forum": forum})


@login_required
@require_POST
def move_forum(request: HttpRequest, pk: int) -> HttpResponse:
    refuse_unless(access.can_change_ladder(request.user))
    forum = _forum_or_404(pk)
    try:
        higher = request.POST.get("direction") == "up"
        services.move_forum(forum, higher=higher, by=request.user)
    except services.InterventionError as error:
        messages.info(request, str(error))
    else:
        messages.success(request, f"{forum.name} moved")
    return redirect("interventions:ladder")


@login_required
@require_http_methods(["GET", "POST"])
def retire_forum(request: HttpRequest, pk: int) -> HttpResponse:
    refuse_unless(access.can_change_ladder(request.user))
    forum = _forum_or_404(pk)
    form = ReasonForm(posted(request))
    if request.method == "POST" and form.is_valid():
        services.retire_forum(forum, by=request.user, reason=form.cleaned_data["reason"])
        messages.success(request, f"{forum.name} taken off the ladder")
        return redirect("interventions:ladder")
    return render(request, "interventions/retire_forum.html", {"forum": forum, "form": form})


# --- escalations ---------------------------------------------------------------------------


def _open_clinics(indicator):
    try:
        from goldthread.clinics.models import OPEN_STATES
    except ImportError:
        return []
    return list(indicator.clinics.filter(state__in=OPEN_STATES).order_by("reference"))


@login_required
@require_http_methods(["GET", "POST"])
def escalate(request: HttpRequest, code: str) -> HttpResponse:
    indicator = indicator_or_404(request, code)
    refuse_unless(access.can_escalate(request.user, indicator))
    found = council()
    if found is None:
        raise Http404("Set up the council first")
    forums = services.ladder(found)
    last = indicator.escalations.select_related("to_forum").first()
    start = last.to_forum if last else None
    suggested = services.next_forum(start, found)
    initial = {
        "from_forum": start.pk if start else None,
        "to_forum": suggested.pk if suggested else None,
    }
    if request.GET.get("clinic"):
        initial["clinic"] = request.GET["clinic"]
    form = EscalateForm(
        posted(request), initial=initial, forums=forums, clinics=_open_clinics(indicator)
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        entry = services.EscalationEntry(
            to_forum=data["to_forum"],
            from_forum=data["from_forum"],
            reason=data["reason"],
            clinic=data["clinic_obj"],
        )
        escalation = services.escalate(indicator, entry, by=request.user)
        messages.success(request, f"{indicator.code} escalated to {escalation.to_forum.name}")
        return redirect(escalation.get_absolute_url())
    context = {"indicator": indicator, "form": form, "forums": forums}
    return render(request, "interventions/escalate.html", context)


@login_required
@require_GET
def escalation(request: HttpRequest, pk: int) -> HttpResponse:
    found = access.get_escalation_for_user(request.user, pk)
    context = {
        "line": presenters.escalation_line(found),
        "can_decide": access.can_record_escalation_decision(request.user, found),
    }
    return render(request, "interventions/escalation.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def escalation_decision(request: HttpRequest, pk: int) -> HttpResponse:
    found = access.get_escalation_for_user(request.user, pk)
    refuse_unless(access.can_record_escalation_decision(request.user, found))
    form = DecisionForm(posted(request), initial={"decision": found.decision})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        entry = services.EscalationDecision(
            decision=data["decision"],
            decision_date=form.dates["decision_date"],
            decision_reference=data["decision_reference"],
        )
        services.record_escalation_decision(found, entry, by=request.user)
        messages.success(request, f"Decision of {found.to_forum.name} recorded")
        return redirect(found.get_absolute_url())
    context = {"line": presenters.escalation_line(found), "form": form}
    return render(request, "interventions/escalation_decision.html", context)
