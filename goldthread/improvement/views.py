"""Performance Improvement Plan pages. Every view asks improvement.access, then a service."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from goldthread.analysis.periods import financial_year_of, parse_period, period_containing
from goldthread.committees.models import Committee, Meeting
from goldthread.documents.render import render_document
from goldthread.improvement import access, curve, forms, presenters, services
from goldthread.improvement.models import Factor, ImprovementPlan, PlanStatus, Solution
from goldthread.improvement.web import form_step, input_from, posted
from goldthread.indicators import access as indicator_access
from goldthread.indicators.models import Polarity

GET_POST = require_http_methods(["GET", "POST"])


def _writable(request: HttpRequest, pk: int) -> ImprovementPlan:
    plan = access.get_plan_for_user(request.user, pk)
    if not access.can_write(request.user, plan):
        raise PermissionDenied
    return plan


def _on(plan: ImprovementPlan, title: str) -> dict:
    """The page arguments of a question about one plan: caption, title, back to the plan."""
    return {"title": title, "caption": f"{plan.indicator.code} · Plan {plan.pk}", "back": plan}


# Lists and starting -----------------------------------------------------------------------


@login_required
@require_GET
def plan_list(request: HttpRequest) -> HttpResponse:
    plans = access.plans_for(request.user).order_by("-created_at")
    today = timezone.localdate()
    # Live plans first (in progress, then being written), closed ones after.
    rank = {PlanStatus.OPEN: 0, PlanStatus.DRAFT: 1, PlanStatus.COMPLETE: 2}
    ordered = sorted(plans, key=lambda plan: rank.get(plan.status, 3))
    rows = [(plan, len(services.progress_due(plan, today))) for plan in ordered]
    context = {"rows": rows, "can_start": bool(_startable(request.user))}
    return render(request, "improvement/plan_list.html", context)


def _startable(user) -> list:
    if not user.is_authenticated or not user.is_officer:
        return []
    shown = indicator_access.indicators_for(user).filter(is_context=False)
    shown = shown.select_related("service__directorate")
    return [i for i in shown if access.can_start_plan(user, i)]


@login_required
@GET_POST
def start(request: HttpRequest) -> HttpResponse:
    indicators = _startable(request.user)
    if not indicators:
        raise PermissionDenied
    initial = {"indicator": request.GET.get("indicator")}
    form = forms.StartForm(posted(request), indicators=indicators, initial=initial)
    return form_step(
        request,
        form,
        success="Improvement plan started",
        step=lambda data: services.start_plan(data["indicator"], by=request.user),
        title="Start a Performance Improvement Plan",
        caption="Improvement plans",
        intro=[
            "A plan says why performance is below target (or expected not to reach it), what "
            "will be done about it, and records senior management's response and the progress "
            "made until the solutions are in place.",
            "Section 1 is filled in from the indicator's latest approved figure and its target.",
        ],
        button="Start the plan",
        back_url="improvement:plans",
    )


# The plan ---------------------------------------------------------------------------------


@login_required
@require_GET
def plan(request: HttpRequest, pk: int) -> HttpResponse:
    found = access.get_plan_for_user(request.user, pk)
    page = presenters.plan_page(request.user, found, timezone.localdate())
    document = render_document(presenters.plan_document(found), include_title=False)
    context = {"page": page, "plan": found, "document": document, "downloads": _links(found)}
    return render(request, "improvement/plan.html", context)


_FORMAT_URLS = {"html": "improvement:print", "pdf": "improvement:pdf", "docx": "improvement:docx"}


def _links(plan: ImprovementPlan, exclude: str = "") -> list[tuple[str, str]]:
    from goldthread.documents.responses import format_links

    return format_links(lambda fmt: reverse(_FORMAT_URLS[fmt], args=[plan.pk]), exclude=exclude)


@login_required
@require_GET
def plan_download(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    from goldthread.documents.responses import document_response

    found = access.get_plan_for_user(request.user, pk)
    if fmt not in ("html", "pdf", "docx"):
        raise Http404("No such format")
    filename = f"improvement-plan-{found.pk}-{found.indicator.code}"
    document = presenters.plan_document(found)
    alternatives = _links(found, exclude=fmt)
    return document_response(
        request, document, fmt=fmt, filename=filename, alternatives=alternatives
    )


@login_required
@GET_POST
def comments(request: HttpRequest, pk: int) -> HttpResponse:
    found = _writable(request, pk)
    form = forms.CommentsForm(posted(request), initial={"comments": found.comments})
    return form_step(
        request,
        form,
        success="Section 1 comments saved",
        step=lambda data: services.update_comments(found, data["comments"], by=request.user),
        then=found,
        **_on(found, "Section 1 comments"),
    )


@login_required
@require_POST
def validate(request: HttpRequest, pk: int) -> HttpResponse:
    found = access.get_plan_for_user(request.user, pk)
    if not access.can_validate(request.user, found):
        raise PermissionDenied
    try:
        services.validate(found, by=request.user)
    except services.ImprovementError as error:
        for problem in error.problems:
            messages.error(request, problem)
    else:
        messages.success(request, "Plan validated: its progress can now be tracked")
    return redirect(found)


@login_required
@GET_POST
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    found = access.get_plan_for_user(request.user, pk)
    if not access.can_withdraw(request.user, found):
        raise PermissionDenied
    form = forms.ReasonForm(posted(request), label="Why is the plan being withdrawn?")
    return form_step(
        request,
        form,
        success="Plan withdrawn",
        step=lambda data: services.withdraw_plan(found, data["reason"], by=request.user),
        then=found,
        button="Withdraw the plan",
        **_on(found, "Withdraw this plan"),
    )


# Sections 2 and 3: factors ----------------------------------------------------------------

FACTOR_EXAMPLES = (
    "A temporary external factor might be heavy snow disrupting bin collections; a long-term "
    "one, economic decline raising demand for homelessness services. A temporary internal factor "
    "might be a change of IT system; a long-term one, a post that cannot be filled."
)


@login_required
@GET_POST
def factor_add(request: HttpRequest, pk: int) -> HttpResponse:
    found = _writable(request, pk)
    form = forms.FactorForm(posted(request), initial={"kind": request.GET.get("kind")})
    return form_step(
        request,
        form,
        success="Factor added",
        step=lambda data: services.add_factor(
            found, input_from(data, services.FactorInput), by=request.user
        ),
        then=found,
        intro=[FACTOR_EXAMPLES],
        **_on(found, "Add a factor impacting performance"),
    )


def _factor(request: HttpRequest, pk: int, factor_pk: int) -> Factor:
    found = _writable(request, pk)
    return get_object_or_404(found.factors, pk=factor_pk, withdrawn_at__isnull=True)


@login_required
@GET_POST
def factor_edit(request: HttpRequest, pk: int, factor_pk: int) -> HttpResponse:
    factor = _factor(request, pk, factor_pk)
    initial = {"kind": factor.kind, "duration": factor.duration, "description": factor.description}
    return form_step(
        request,
        forms.FactorForm(posted(request), initial=initial),
        success="Factor changed",
        step=lambda data: services.change_factor(
            factor, input_from(data, services.FactorInput), by=request.user
        ),
        then=factor.plan,
        **_on(factor.plan, "Change a factor"),
    )


def _withdraw_page(request: HttpRequest, item: Factor | Solution, noun: str, step) -> HttpResponse:
    form = forms.ReasonForm(posted(request), label=f"Why is this {noun} being withdrawn?")
    return form_step(
        request,
        form,
        success=f"{noun.capitalize()} withdrawn",
        step=lambda data: step(item, data["reason"], by=request.user),
        then=item.plan,
        warns=True,
        intro=[item.description],
        button="Withdraw",
        **_on(item.plan, f"Withdraw a {noun}"),
    )


@login_required
@GET_POST
def factor_withdraw(request: HttpRequest, pk: int, factor_pk: int) -> HttpResponse:
    factor = _factor(request, pk, factor_pk)
    return _withdraw_page(request, factor, "factor", services.withdraw_factor)


# Section 4: solutions ---------------------------------------------------------------------


def _solution_form(request: HttpRequest, plan: ImprovementPlan, **kwargs) -> forms.SolutionForm:
    names = presenters.factor_names(plan)
    choices = [(f.pk, f"{names[f.pk]}: {f.description}") for f in services.current_factors(plan)]
    return forms.SolutionForm(posted(request), factor_choices=choices, **kwargs)


@login_required
@GET_POST
def solution_add(request: HttpRequest, pk: int) -> HttpResponse:
    found = _writable(request, pk)
    if not services.current_factors(found).exists():
        messages.error(request, "Add the factors impacting performance first")
        return redirect(found)
    return form_step(
        request,
        _solution_form(request, found),
        success="Solution added",
        step=lambda data: services.add_solution(
            found, input_from(data, services.SolutionInput), by=request.user
        ),
        then=found,
        intro=[
            "State how the solution relates to each factor it addresses. If performance will "
            "take a while to turn after the solution is in place, say how long."
        ],
        **_on(found, "Add a proposed solution"),
    )


def _solution(request: HttpRequest, pk: int, solution_pk: int) -> Solution:
    found = _writable(request, pk)
    return get_object_or_404(found.solutions, pk=solution_pk, withdrawn_at__isnull=True)


_SOLUTION_FIELDS = (
    "description",
    "resourcing",
    "resourcing_notes",
    "expected_lag",
    "is_alternative",
    "strengths",
    "weaknesses",
)


@login_required
@GET_POST
def solution_edit(request: HttpRequest, pk: int, solution_pk: int) -> HttpResponse:
    solution = _solution(request, pk, solution_pk)
    initial = {name: getattr(solution, name) for name in _SOLUTION_FIELDS}
    initial["factors"] = [str(f.pk) for f in solution.factors.all()]
    form = _solution_form(request, solution.plan, initial=initial)
    form.set_date("target_date", solution.target_date)
    return form_step(
        request,
        form,
        success="Solution changed",
        step=lambda data: services.change_solution(
            solution, input_from(data, services.SolutionInput), by=request.user
        ),
        then=solution.plan,
        warns=True,
        **_on(solution.plan, "Change a solution"),
    )


@login_required
@GET_POST
def solution_state(request: HttpRequest, pk: int, solution_pk: int) -> HttpResponse:
    solution = _solution(request, pk, solution_pk)
    form = forms.SolutionStateForm(posted(request), initial={"state": solution.state})
    form.set_date("in_place_on", solution.in_place_on)
    return form_step(
        request,
        form,
        success="Solution updated",
        step=lambda data: services.set_solution_state(
            solution, data["state"], on=data["in_place_on"], by=request.user
        ),
        then=solution.plan,
        intro=[solution.description],
        **_on(solution.plan, "Is this solution in place?"),
    )


@login_required
@GET_POST
def solution_withdraw(request: HttpRequest, pk: int, solution_pk: int) -> HttpResponse:
    solution = _solution(request, pk, solution_pk)
    return _withdraw_page(request, solution, "solution", services.withdraw_solution)


# Section 5: management comment ------------------------------------------------------------


@login_required
@GET_POST
def management_comment(request: HttpRequest, pk: int) -> HttpResponse:
    found = _writable(request, pk)
    meetings = Meeting.objects.select_related("committee").order_by("-date")[:200]
    return form_step(
        request,
        forms.ManagementCommentForm(posted(request), meetings=meetings),
        success="Management comment added",
        step=lambda data: services.add_management_comment(
            found, input_from(data, services.CommentInput), by=request.user
        ),
        then=found,
        intro=[
            "Capture the rationale for approving the solutions, so it can be revisited if they "
            "do not bring the expected results. Say which meeting the comment was made at."
        ],
        **_on(found, "Add a management comment"),
    )


# Section 6: progress ----------------------------------------------------------------------


def _period_choices(plan: ImprovementPlan, today) -> list[tuple[str, str]]:
    latest = period_containing(today, plan.indicator.frequency).previous()
    periods = services.progress_due(plan, today) or [latest]
    return [("", "Choose a period")] + [(p.key, p.label) for p in periods]


@login_required
@GET_POST
def progress(request: HttpRequest, pk: int) -> HttpResponse:
    found = _writable(request, pk)
    if found.status != PlanStatus.OPEN:
        messages.error(request, "Validate the plan before tracking its progress")
        return redirect(found)
    today = timezone.localdate()
    form = forms.ProgressForm(posted(request), periods=_period_choices(found, today))
    form.set_date("entry_date", today)
    final = request.method == "POST" and request.POST.get("final")
    return form_step(
        request,
        form,
        success="Plan completed" if final else "Progress recorded",
        step=lambda data: services.add_progress(
            found,
            period=data["period"],
            comment=data["comment"],
            entry_date=data["entry_date"],
            final=data["final"],
            by=request.user,
        ),
        then=found,
        intro=[
            "Update the plan every period while performance is under target, and even after it "
            "is back on target until the solutions are in place. The score is filled in from the "
            "approved figure for the period."
        ],
        **_on(found, "Record progress"),
    )


# Turn the curve ---------------------------------------------------------------------------


@login_required
@require_GET
def turn_the_curve(request: HttpRequest, pk: int) -> HttpResponse:
    found = access.get_plan_for_user(request.user, pk)
    view = curve.build(request.user, found)
    context = {"plan": found, "curve": view, "can_write": access.can_write(request.user, found)}
    return render(request, "improvement/curve.html", context)


@login_required
@GET_POST
def turn_the_curve_edit(request: HttpRequest, pk: int) -> HttpResponse:
    found = _writable(request, pk)
    names = ("baseline_story", "partners", "what_works")
    form = forms.CurveForm(posted(request), initial={n: getattr(found, n) for n in names})
    return form_step(
        request,
        form,
        success="Turn the curve saved",
        step=lambda data: services.update_turn_the_curve(
            found,
            story=data["baseline_story"],
            partners=data["partners"],
            works=data["what_works"],
            by=request.user,
        ),
        then=found.get_absolute_url() + "turn-the-curve/",
        **_on(found, "Turn the curve"),
    )


# Referral to a policy committee -----------------------------------------------------------


@login_required
@GET_POST
def refer(request: HttpRequest, pk: int) -> HttpResponse:
    found = access.get_plan_for_user(request.user, pk)
    if not access.can_refer(request.user, found):
        raise PermissionDenied
    form = forms.ReferralForm(posted(request), committees=list(Committee.objects.all()))
    return form_step(
        request,
        form,
        success="Referral recorded",
        step=lambda data: services.refer(
            found, input_from(data, services.ReferralInput), by=request.user
        ),
        then=found,
        intro=[
            "When the Audit and Performance Committee thinks a target cannot be met with the "
            "resources the service has, it may refer the plan to the relevant policy committee."
        ],
        button="Record the referral",
        **_on(found, "Refer this plan to a policy committee"),
    )


def _target_years(plan: ImprovementPlan) -> tuple[list[int], int]:
    """The years a committee may amend (the plan's, the latest figure's and the current one),
    and the one it most likely means: the year of the latest figure, which is off target."""
    latest = services.latest_judgement(plan.indicator)
    likely = parse_period(latest.period if latest else plan.raised_period).year
    years = {parse_period(plan.raised_period).year, financial_year_of(timezone.localdate())}
    return sorted(years | {likely}), likely


@login_required
@GET_POST
def decision(request: HttpRequest, pk: int, referral_pk: int) -> HttpResponse:
    found = access.get_plan_for_user(request.user, pk)
    if not access.can_record_decision(request.user):
        raise PermissionDenied
    referral = get_object_or_404(found.referrals, pk=referral_pk, decision="")
    years, likely = _target_years(found)
    form = forms.DecisionForm(
        posted(request),
        meetings=referral.to_committee.meetings.order_by("-date"),
        years=years,
        is_band=found.indicator.polarity == Polarity.BAND,
        initial={"target_year": likely},
    )
    return form_step(
        request,
        form,
        success="Decision recorded",
        step=lambda data: services.record_decision(
            referral, input_from(data, services.DecisionInput), by=request.user
        ),
        then=found,
        intro=[
            f"{referral.to_committee} may amend the target to a level it considers achievable, "
            "allocate additional resources, decide the target is still achievable within the "
            "current budget, or decide something else. An amended target applies to every period "
            "judged from now on; published periods keep the target they were published with."
        ],
        button="Record the decision",
        **_on(found, f"Record the decision of {referral.to_committee}"),
    )
