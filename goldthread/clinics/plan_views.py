"""Holding the clinic and monitoring its plan: minutes, actions and progress updates."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from goldthread.clinics import access, plans, services
from goldthread.clinics.forms import ActionForm, MinutesForm, UpdateForm
from goldthread.clinics.models import Action, ActionStatus, Clinic
from goldthread.clinics.views import _clinic_for, _posted, attempt


def _minutes_initial(clinic: Clinic, panel, agenda) -> dict:
    initial: dict = {"minutes": clinic.minutes}
    if clinic.held_on:
        held = clinic.held_on
        initial |= {"held_on_day": held.day, "held_on_month": held.month, "held_on_year": held.year}
    elif clinic.scheduled_for:
        day = timezone.localtime(clinic.scheduled_for).date()
        initial |= {"held_on_day": day.day, "held_on_month": day.month, "held_on_year": day.year}
    for member in panel:
        initial[f"attended_{member.pk}"] = member.attended is not False
    for item in agenda:
        initial[f"answer_{item.pk}"] = item.answer
    return initial


@login_required
@require_http_methods(["GET", "POST"])
def minutes(request: HttpRequest, reference: str) -> HttpResponse:
    clinic = _clinic_for(request, reference, access.can_minute)
    panel = list(clinic.panel.filter(removed_at__isnull=True).select_related("user"))
    agenda = list(clinic.agenda.all())
    form = MinutesForm(
        _posted(request),
        initial=_minutes_initial(clinic, panel, agenda),
        clinic=clinic,
        panel=panel,
        agenda=agenda,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        recorded = services.Minutes(
            held_on=data["held_on"],
            text=data["minutes"],
            attended={m.pk: data[f"attended_{m.pk}"] for m in panel},
            answers={i.pk: data[f"answer_{i.pk}"] for i in agenda},
            decisions=data["decision_lines"],
        )
        step = lambda: services.record_minutes(clinic, recorded, by=request.user)  # noqa: E731
        done = attempt(request, form, step, f"Minutes of {clinic.reference} saved", clinic)
        if done:
            return done
    context = {"clinic": clinic, "form": form, "panel": panel, "agenda": agenda}
    return render(request, "clinics/minutes_form.html", context)


def _action_change(data: dict) -> plans.ActionChange:
    return plans.ActionChange(
        description=data["description"],
        owner=data["owner"],
        due_on=data["due_on"],
        indicators=list(data["indicators"]),
        factors=data["factors"],
        status=data["status"],
    )


@login_required
@require_http_methods(["GET", "POST"])
def add_action(request: HttpRequest, reference: str) -> HttpResponse:
    clinic = _clinic_for(request, reference, access.can_manage_plan)
    form = ActionForm(_posted(request), clinic=clinic)
    if request.method == "POST" and form.is_valid():
        change = _action_change(form.cleaned_data)
        done = attempt(
            request,
            form,
            lambda: plans.add_action(clinic, change, by=request.user),
            lambda action: f"Action {action.number} added to the plan",
            clinic,
        )
        if done:
            return done
    context = {"clinic": clinic, "form": form, "action": None}
    return render(request, "clinics/action_form.html", context)


def _action_initial(action: Action) -> dict:
    due = action.due_on
    return {
        "description": action.description,
        "owner": action.owner_id,
        "indicators": list(action.indicators.values_list("pk", flat=True)),
        "factors": action.factors,
        "status": action.status,
        "due_on_day": due.day,
        "due_on_month": due.month,
        "due_on_year": due.year,
    }


@login_required
@require_http_methods(["GET", "POST"])
def change_action(request: HttpRequest, reference: str, number: int) -> HttpResponse:
    clinic = _clinic_for(request, reference, access.can_manage_plan)
    action = get_object_or_404(Action, clinic=clinic, number=number)
    form = ActionForm(_posted(request), initial=_action_initial(action), clinic=clinic)
    if request.method == "POST" and form.is_valid():
        change, reason = _action_change(form.cleaned_data), form.cleaned_data["reason"]
        step = lambda: plans.change_action(action, change, by=request.user, reason=reason)  # noqa: E731
        done = attempt(request, form, step, f"Action {action.number} changed", clinic)
        if done:
            return done
    context = {"clinic": clinic, "form": form, "action": action}
    return render(request, "clinics/action_form.html", context)


def _due_choices(clinic: Clinic) -> list:
    today = timezone.localdate()
    due = plans.updates_due(clinic, today)
    upcoming = plans.next_update_due(clinic, today)
    if upcoming is not None and upcoming not in due:
        due.append(upcoming)
    return due


@login_required
@require_http_methods(["GET", "POST"])
def write_update(request: HttpRequest, reference: str) -> HttpResponse:
    clinic = _clinic_for(request, reference, access.can_write_update)
    due = _due_choices(clinic)
    if not due:
        raise Http404("No progress update is due")
    actions = list(clinic.actions.exclude(status=ActionStatus.DROPPED).select_related("owner"))
    initial = {"due_on": due[0].isoformat()} | {f"status_{a.pk}": a.status for a in actions}
    form = UpdateForm(_posted(request), initial=initial, due_dates=due, actions=actions)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        lines = [plans.ActionLine(a, data[f"status_{a.pk}"], data[f"note_{a.pk}"]) for a in actions]
        done = attempt(
            request,
            form,
            lambda: plans.write_update(
                clinic, by=request.user, due_on=data["due_on"], summary=data["summary"], lines=lines
            ),
            f"Progress update for {clinic.reference} saved",
            clinic,
        )
        if done:
            return done
    context = {"clinic": clinic, "form": form, "actions": actions}
    return render(request, "clinics/update_form.html", context)
