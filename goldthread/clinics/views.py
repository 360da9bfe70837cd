"""Clinic pages. Each view asks access.py once, calls a service and shows a presenter."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from goldthread.clinics import access, presenters, services
from goldthread.clinics.forms import (
    ExitForm,
    OutcomeForm,
    PanelForm,
    ReasonForm,
    RequestForm,
    ScheduleForm,
)
from goldthread.clinics.models import ClinicKind, ClinicOutcome, ClinicState, PanelMember
from goldthread.indicators.access import indicators_for
from goldthread.structure.services import council


def _posted(request: HttpRequest):
    return request.POST if request.method == "POST" else None


def forums():
    """The council's ladder, lowest rung first (the interventions app's forums)."""
    from goldthread.interventions.models import Forum
    from goldthread.interventions.services import ladder

    found = council()
    return ladder(found) if found is not None else Forum.objects.none()


def _next_rung(clinic) -> dict:
    """Escalation goes to the rung above the one that asked for the clinic, unless changed."""
    from goldthread.interventions.services import next_forum

    found = council()
    above = next_forum(clinic.requested_from, found) if found else None
    return {"escalate_to": above.pk} if above else {}


def _fail(form, error: services.ClinicError) -> None:
    field = error.field if error.field in form.fields else None
    form.add_error(field, str(error))


def attempt(request: HttpRequest, form, step, success, to) -> HttpResponse | None:
    """Take a service step: its refusal becomes an error on the form (the page is shown again);
    success says so and goes to `to`. `success` may be a function of what the step returned."""
    try:
        done = step()
    except services.ClinicError as error:
        _fail(form, error)
        return None
    messages.success(request, success(done) if callable(success) else success)
    return redirect(to)


@login_required
@require_GET
def clinic_list(request: HttpRequest) -> HttpResponse:
    state, kind = request.GET.get("state", ""), request.GET.get("kind", "")
    clinics = presenters.filtered_clinics(request.user, state=state, kind=kind)
    context = {
        "lines": presenters.clinic_lines(clinics),
        "state": state,
        "kind": kind,
        "kinds": ClinicKind.choices,
        "states": ClinicState.choices,
        "can_request": access.can_request_any(request.user),
        "state_tag": presenters.state_tag,
    }
    return render(request, "clinics/list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def request_clinic(request: HttpRequest) -> HttpResponse:
    kinds = access.kinds_for(request.user)
    if not kinds:
        raise PermissionDenied
    visible = indicators_for(request.user).order_by("code")
    initial = {"indicators": visible.filter(code=request.GET.get("indicator", ""))}
    form = RequestForm(
        _posted(request), initial=initial, kinds=kinds, indicators=visible, forums=forums()
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        asked = services.ClinicRequest(
            kind=data["kind"],
            title=data["title"],
            reason=data["reason"],
            indicators=list(data["indicators"]),
            requested_from=data["requested_from"],
            committee=data["committee"],
        )
        try:
            clinic = services.request_clinic(asked, by=request.user)
        except services.ClinicError as error:
            _fail(form, error)
        else:
            messages.success(request, f"{clinic.reference} requested: {clinic.title}")
            return redirect(clinic)
    return render(request, "clinics/request.html", {"form": form, "indicators": visible})


@login_required
@require_GET
def detail(request: HttpRequest, reference: str) -> HttpResponse:
    clinic = access.get_clinic_for_user(request.user, reference)
    page = presenters.clinic_page(request.user, clinic, timezone.localdate())
    return render(
        request, "clinics/detail.html", {"page": page, "tag": presenters.state_tag(clinic)}
    )


def _clinic_for(request: HttpRequest, reference: str, allowed) -> services.Clinic:
    clinic = access.get_clinic_for_user(request.user, reference)
    if not allowed(request.user, clinic):
        raise PermissionDenied
    return clinic


@login_required
@require_http_methods(["GET", "POST"])
def schedule(request: HttpRequest, reference: str) -> HttpResponse:
    clinic = _clinic_for(request, reference, access.can_schedule)
    when = timezone.localtime(clinic.scheduled_for) if clinic.scheduled_for else None
    initial = {
        "location": clinic.location,
        "chair": clinic.chair_id,
        "facilitator": clinic.facilitator_id,
        "start": f"{when:%H:%M}" if when else "",
        **({"day_day": when.day, "day_month": when.month, "day_year": when.year} if when else {}),
    }
    form = ScheduleForm(_posted(request), initial=initial, clinic=clinic)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        plan = services.Schedule(data["when"], data["location"], data["chair"], data["facilitator"])
        done = attempt(
            request,
            form,
            lambda: services.schedule(clinic, plan, by=request.user),
            f"{clinic.reference} scheduled",
            clinic,
        )
        if done:
            return done
    return render(request, "clinics/schedule.html", {"clinic": clinic, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def add_panel_member(request: HttpRequest, reference: str) -> HttpResponse:
    clinic = _clinic_for(request, reference, access.can_organise)
    form = PanelForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done = attempt(
            request,
            form,
            lambda: services.add_panel_member(
                clinic, by=request.user, role=data["role"], user=data["user"], name=data["name"]
            ),
            lambda member: f"{member.display_name} added to the panel",
            clinic,
        )
        if done:
            return done
    return render(request, "clinics/panel_add.html", {"clinic": clinic, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def remove_panel_member(request: HttpRequest, reference: str, pk: int) -> HttpResponse:
    clinic = _clinic_for(request, reference, access.can_organise)
    member = get_object_or_404(PanelMember, clinic=clinic, pk=pk, removed_at__isnull=True)
    form = ReasonForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        services.remove_panel_member(member, by=request.user, reason=form.cleaned_data["reason"])
        messages.success(request, f"{member.display_name} removed from the panel")
        return redirect(clinic)
    context = {"clinic": clinic, "member": member, "form": form}
    return render(request, "clinics/panel_remove.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def exit_criteria(request: HttpRequest, reference: str) -> HttpResponse:
    clinic = _clinic_for(request, reference, access.can_organise)
    initial = {
        "improving_periods": clinic.exit_improving_periods,
        "actions_delivered": clinic.exit_actions_delivered,
        "notes": clinic.exit_notes,
        "update_frequency": clinic.update_frequency,
    }
    form = ExitForm(_posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        chosen = services.ExitCriteria(
            data["improving_periods"],
            data["actions_delivered"],
            data["notes"],
            data["update_frequency"],
        )
        step = lambda: services.set_exit_criteria(clinic, chosen, by=request.user)  # noqa: E731
        done = attempt(request, form, step, "Exit criteria saved", clinic)
        if done:
            return done
    return render(request, "clinics/exit_criteria.html", {"clinic": clinic, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def withdraw(request: HttpRequest, reference: str) -> HttpResponse:
    clinic = _clinic_for(request, reference, access.can_withdraw)
    form = ReasonForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        services.withdraw(clinic, by=request.user, reason=form.cleaned_data["reason"])
        messages.success(request, f"{clinic.reference} withdrawn")
        return redirect(clinic)
    return render(request, "clinics/withdraw.html", {"clinic": clinic, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def outcome(request: HttpRequest, reference: str) -> HttpResponse:
    clinic = _clinic_for(request, reference, access.can_decide)
    ladder = forums()
    form = OutcomeForm(_posted(request), initial=_next_rung(clinic), forums=ladder)
    indicators = list(clinic.indicators.all())
    assessment = presenters.exit_assessment(clinic, indicators)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        choice = services.OutcomeChoice(
            outcome=data["outcome"],
            summary=data["summary"],
            cabinet_recommendations=data["cabinet_recommendations"],
            escalate_to=data["escalate_to"],
            criteria_met=assessment.met,
        )
        step = lambda: services.record_outcome(clinic, choice, by=request.user)  # noqa: E731
        said = f"{clinic.reference}: {ClinicOutcome(choice.outcome).label}"
        done = attempt(request, form, step, said, clinic)
        if done:
            return done
    context = {"clinic": clinic, "form": form, "exit": assessment, "has_forums": ladder.exists()}
    return render(request, "clinics/outcome.html", context)


@login_required
@require_POST
def publish(request: HttpRequest, reference: str) -> HttpResponse:
    clinic = _clinic_for(request, reference, access.can_publish)
    services.publish(clinic, by=request.user)
    messages.success(request, f"{clinic.reference}: outcome published")
    return redirect(clinic)


@login_required
@require_GET
def my_actions(request: HttpRequest) -> HttpResponse:
    work = presenters.my_clinic_work(request.user, timezone.localdate())
    context = {"work": work, "today": timezone.localdate()}
    return render(request, "clinics/my_actions.html", context)


# Published outcomes of scrutiny's challenge events: public.


@require_GET
def published_list(request: HttpRequest) -> HttpResponse:
    clinics = access.published_clinics().order_by("-published_at")
    return render(request, "clinics/published_list.html", {"clinics": clinics})


@require_GET
def published_detail(request: HttpRequest, reference: str) -> HttpResponse:
    clinic = access.get_published_clinic(reference)
    actions = list(clinic.actions.all())
    return render(request, "clinics/published_detail.html", {"clinic": clinic, "actions": actions})
