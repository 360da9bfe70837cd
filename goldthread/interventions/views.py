"""Pages for the interventions hub, the queue, trigger rules, known risks and the ladder."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from goldthread.indicators import access as indicator_access
from goldthread.interventions import access, presenters, services
from goldthread.interventions.forms import AcceptForm, ReasonForm, RuleForm
from goldthread.interventions.models import TriggerRule


def posted(request: HttpRequest):
    return request.POST if request.method == "POST" else None


def refuse_unless(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


@login_required
@require_GET
def hub(request: HttpRequest) -> HttpResponse:
    refuse_unless(access.can_see_hub(request.user))
    page = presenters.build_hub(request.user)
    return render(request, "interventions/hub.html", {"page": page})


# --- the queue -----------------------------------------------------------------------------


@login_required
@require_GET
def queue(request: HttpRequest) -> HttpResponse:
    refuse_unless(access.can_see_queue(request.user))
    chosen = request.GET.get("rule", "")[:40]
    return render(request, "interventions/queue.html", {"queue": presenters.build_queue(chosen)})


@login_required
@require_GET
def recommendation(request: HttpRequest, pk: int) -> HttpResponse:
    rec = access.get_recommendation_for_user(request.user, pk)
    context = {
        "line": presenters.recommendation_line(rec),
        "can_decide": access.can_decide(request.user, rec) and rec.decision == "awaiting",
    }
    return render(request, "interventions/recommendation.html", context)


def _decidable(request: HttpRequest, pk: int):
    rec = access.get_recommendation_for_user(request.user, pk)
    refuse_unless(access.can_decide(request.user, rec))
    if rec.decision != "awaiting":
        messages.info(
            request, f"This recommendation was already {rec.get_decision_display().lower()}."
        )
        return rec, redirect(rec.get_absolute_url())
    return rec, None


@login_required
@require_http_methods(["GET", "POST"])
def accept(request: HttpRequest, pk: int) -> HttpResponse:
    rec, done = _decidable(request, pk)
    if done:
        return done
    form = AcceptForm(posted(request), initial={"opens": services.default_opens(rec.rule)})
    if request.method == "POST" and form.is_valid():
        try:
            opened = services.accept(
                rec,
                by=request.user,
                opens=form.cleaned_data["opens"],
                note=form.cleaned_data["note"],
            )
        except services.InterventionError as error:
            form.add_error("opens", str(error))
        else:
            if opened is None:
                messages.success(request, f"Recommendation accepted for {rec.indicator.code}")
                return redirect("interventions:queue")
            messages.success(request, f"Recommendation accepted: {opened} opened")
            return redirect(opened.get_absolute_url())
    context = {"line": presenters.recommendation_line(rec), "form": form}
    return render(request, "interventions/accept.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def dismiss(request: HttpRequest, pk: int) -> HttpResponse:
    rec, done = _decidable(request, pk)
    if done:
        return done
    form = ReasonForm(posted(request))
    if request.method == "POST" and form.is_valid():
        services.dismiss(rec, by=request.user, reason=form.cleaned_data["reason"])
        messages.success(request, f"Recommendation dismissed for {rec.indicator.code}")
        return redirect("interventions:queue")
    context = {"line": presenters.recommendation_line(rec), "form": form}
    return render(request, "interventions/dismiss.html", context)


# --- trigger rules -------------------------------------------------------------------------


@login_required
@require_GET
def rules(request: HttpRequest) -> HttpResponse:
    refuse_unless(access.can_see_rules(request.user))
    context = {
        "lines": presenters.rule_lines(),
        "can_change": access.can_change_rules(request.user),
    }
    return render(request, "interventions/rules.html", context)


def _rule_initial(rule: TriggerRule) -> dict:
    return {
        "threshold": rule.threshold,
        "for_periods": rule.for_periods,
        "recovery_periods": rule.recovery_periods,
        "period_unit": rule.period_unit,
        "is_active": "yes" if rule.is_active else "no",
    }


@login_required
@require_http_methods(["GET", "POST"])
def rule(request: HttpRequest, code: str) -> HttpResponse:
    refuse_unless(access.can_see_rules(request.user))
    found = TriggerRule.objects.filter(code=code).first()
    if found is None:
        raise Http404("No trigger rule with that name")
    refuse_unless(access.can_change_rules(request.user))
    uses = presenters.uses_threshold(found)
    form = RuleForm(posted(request), initial=_rule_initial(found), uses_threshold=uses)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        change = services.RuleChange(**{k: data[k] for k in services.RuleChange.__annotations__})
        try:
            services.change_rule(found, change, by=request.user)
        except services.InterventionError as error:
            form.add_error("reason", str(error))
        else:
            messages.success(request, f"{found.name} changed and every indicator re-evaluated")
            return redirect("interventions:rules")
    context = {
        "line": presenters.rule_line(found),
        "form": form,
        "uses_threshold": uses,
        "threshold_meaning": presenters.THRESHOLD_MEANING.get(found.kind, ""),
    }
    return render(request, "interventions/rule.html", context)


def indicator_or_404(request: HttpRequest, code: str):
    return indicator_access.get_indicator_for_user(request.user, code)
