from __future__ import annotations

from dataclasses import astuple

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from goldthread.collection.passport import build_passport, build_revisions
from goldthread.committees.models import Committee
from goldthread.core.page_cache import cached_page
from goldthread.core.periods_url import period_from_slug
from goldthread.indicators import access
from goldthread.indicators.forms import RepublishForm, RulesForm, TargetForm
from goldthread.indicators.models import Judgement, Rag, RuleSet
from goldthread.indicators.presenters.detail import build_indicator_page
from goldthread.indicators.presenters.lists import indicator_lines
from goldthread.indicators.presenters.scorecard import ScorecardFilters, build_scorecard
from goldthread.indicators.services.judging import rejudge
from goldthread.indicators.services.judging import republish as republish_judgement
from goldthread.indicators.services.rules import change_rules, current_rules
from goldthread.indicators.services.targets import TargetChange, current_target, target_issues
from goldthread.indicators.services.targets import set_target as save_target
from goldthread.structure.models import Directorate

MIN_YEAR, MAX_YEAR = 2000, 2100


def _posted(request: HttpRequest):
    """The form data of a POST, even an empty one (`request.POST or None` leaves it unbound)."""
    return request.POST if request.method == "POST" else None


def _filters(request: HttpRequest) -> ScorecardFilters:
    status = request.GET.get("status", "")
    return ScorecardFilters(
        directorate=request.GET.get("directorate", "")[:32],
        committee=request.GET.get("committee", "")[:32],
        status=status if status in Rag.values else "",
    )


@require_GET
def scorecard(request: HttpRequest) -> HttpResponse:
    filters = _filters(request)

    def context() -> dict:
        return {
            "scorecard": build_scorecard(request.user, filters),
            "filters": filters,
            "directorates": Directorate.objects.order_by("name"),
            "committees": Committee.objects.order_by("name"),
            "statuses": Rag.choices,
        }

    return cached_page(
        request,
        "indicators/scorecard.html",
        scope=access.scope_key(request.user),
        extra="|".join(astuple(filters)),
        context=context,
    )


@require_GET
def indicator_list(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:100]
    chosen = access.indicators_for(request.user)
    if query:
        chosen = chosen.filter(name__icontains=query) | chosen.filter(code__iexact=query)
    lines = indicator_lines(request.user, chosen)
    return render(request, "indicators/list.html", {"lines": lines, "query": query})


@require_GET
def indicator_detail(request: HttpRequest, code: str) -> HttpResponse:
    indicator = access.get_indicator_for_user(request.user, code)
    page = build_indicator_page(request.user, indicator)
    context = {
        "page": page,
        "passport": build_passport(request.user, indicator),
        "revisions": build_revisions(request.user, indicator),
    }
    return render(request, "indicators/detail.html", context)


def _target_initial(indicator, year: int) -> dict:
    current = current_target(indicator, year)
    if current is None:
        return {}
    return {
        "annual_target": current.annual_target,
        "tolerance": current.tolerance,
        "tolerance_kind": current.tolerance_kind,
        "band_lower": current.band_lower,
        "band_upper": current.band_upper,
        "no_target_reason": current.no_target_reason,
    }


@login_required
@require_http_methods(["GET", "POST"])
def set_target(request: HttpRequest, code: str, year: int) -> HttpResponse:
    indicator = access.get_indicator_for_user(request.user, code)
    if not access.can_set_targets(request.user):
        raise PermissionDenied
    if not MIN_YEAR <= year <= MAX_YEAR or indicator.is_context:
        raise Http404("No target can be set for that year")
    form = TargetForm(
        _posted(request),
        polarity=indicator.polarity,
        initial=_target_initial(indicator, year),
        check=lambda target, label: target_issues(indicator, target, label),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        version = save_target(indicator, TargetChange(year=year, **data), actor=request.user)
        messages.success(
            request, f"Target for {version.year_label} saved as version {version.version}"
        )
        return redirect("indicators:detail", code=indicator.code)
    year_label = f"{year}/{(year + 1) % 100:02d}"
    return render(
        request,
        "indicators/set_target.html",
        {"indicator": indicator, "form": form, "year": year, "year_label": year_label},
    )


@login_required
@require_http_methods(["GET", "POST"])
def republish(request: HttpRequest, code: str, period: str) -> HttpResponse:
    indicator = access.get_indicator_for_user(request.user, code)
    if not access.can_republish(request.user):
        raise PermissionDenied
    found = period_from_slug(period)
    judgement = Judgement.objects.filter(
        indicator=indicator, period=found.key, is_published=True
    ).first()
    if judgement is None:
        raise Http404("No published judgement for that period")
    form = RepublishForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        republish_judgement(
            indicator, found.key, actor=request.user, reason=form.cleaned_data["reason"]
        )
        messages.success(request, f"Judgement for {found.label} re-published")
        return redirect("indicators:detail", code=indicator.code)
    context = {"indicator": indicator, "judgement": judgement, "period": found, "form": form}
    return render(request, "indicators/republish.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def judgement_rules(request: HttpRequest) -> HttpResponse:
    if not access.can_change_rules(request.user):
        raise PermissionDenied
    current = current_rules()
    initial = {
        "default_tolerance": current.default_tolerance,
        "default_tolerance_kind": current.default_tolerance_kind,
        "direction_threshold": current.direction_threshold,
    }
    form = RulesForm(_posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        rule_set = change_rules(actor=request.user, **form.cleaned_data)
        summary = rejudge()
        messages.success(
            request,
            f"Rules version {rule_set.version} saved. {summary.updated} unpublished judgements "
            f"changed; {summary.kept_published} published judgements kept as published.",
        )
        return redirect("indicators:rules")
    versions = RuleSet.objects.select_related("created_by").order_by("-version")
    return render(
        request,
        "indicators/rules.html",
        {"form": form, "current": current, "versions": versions},
    )
