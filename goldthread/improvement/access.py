"""Who may see and do what with improvement plans and scrutiny recommendations.

The one permission decision for this app; every view asks it.

Improvement plans (seed 003) are management documents reported to Audit & Performance:
- Officers see every plan once it is validated; a plan being written is seen only by the people
  who may write it (its author, the indicator's data owner, the directorate's director and the
  performance team). Members see validated plans on indicators they may see. The public sees none.
- The author, the data owner, the director and performance officers write a plan, add comments
  and progress; performance officers and the directorate's director validate it (sign it off).
- Referrals to a policy committee and its decision are recorded by performance officers, who
  clerk the committees' performance business.

Scrutiny recommendations (seed 000 7.3): everyone signed in sees them (members of other
committees included: they are committee business); the public sees published ones.
Performance officers and members of the committee that made them record and review them;
officers and cabinet members record the response.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet
from django.http import Http404

from goldthread.accounts.models import Role, User
from goldthread.improvement.models import (
    Addressee,
    ImprovementPlan,
    PlanStatus,
    ScrutinyRecommendation,
)
from goldthread.indicators import access as indicator_access
from goldthread.indicators.models import Indicator

AnyUser = User | AnonymousUser

_TEAM = {Role.PERFORMANCE_OFFICER, Role.SYSTEM_ADMINISTRATOR}


def _role(user: AnyUser) -> str | None:
    return getattr(user, "role", None) if user.is_authenticated else None


def _directs(user: AnyUser, indicator: Indicator) -> bool:
    service = indicator.service
    return (
        _role(user) == Role.DIRECTOR
        and service is not None
        and service.directorate.director_id == user.pk
    )


# Improvement plans ------------------------------------------------------------------------


def _writers_q(user: AnyUser) -> Q:
    return (
        Q(author=user)
        | Q(indicator__data_owner=user)
        | Q(indicator__service__directorate__director=user)
    )


def plans_for(user: AnyUser) -> QuerySet[ImprovementPlan]:
    """The plans this person may see at all."""
    role = _role(user)
    plans = ImprovementPlan.objects.select_related("indicator", "author")
    if role is None:
        return plans.none()
    if role in _TEAM:
        return plans
    shown = plans.filter(indicator__in=indicator_access.indicators_for(user))
    if user.is_officer:
        return shown.filter(~Q(status=PlanStatus.DRAFT) | _writers_q(user))
    return shown.exclude(status=PlanStatus.DRAFT)


def get_plan_for_user(user: AnyUser, pk: int) -> ImprovementPlan:
    plan = plans_for(user).select_related("indicator__service__directorate").filter(pk=pk).first()
    if plan is None:
        raise Http404("No improvement plan with that number")
    return plan


def can_start_plan(user: AnyUser, indicator: Indicator) -> bool:
    if indicator.is_context:
        return False
    role = _role(user)
    return role == Role.PERFORMANCE_OFFICER or (
        role is not None and (indicator.data_owner_id == user.pk or _directs(user, indicator))
    )


def can_write(user: AnyUser, plan: ImprovementPlan) -> bool:
    """Change the plan's factors, solutions, comments and progress while it is live."""
    if not plan.is_live:
        return False
    role = _role(user)
    if role == Role.PERFORMANCE_OFFICER:
        return True
    if role is None:
        return False
    indicator = plan.indicator
    return (
        plan.author_id == user.pk or indicator.data_owner_id == user.pk or _directs(user, indicator)
    )


def can_validate(user: AnyUser, plan: ImprovementPlan) -> bool:
    if plan.status != PlanStatus.DRAFT:
        return False
    return _role(user) == Role.PERFORMANCE_OFFICER or _directs(user, plan.indicator)


def can_refer(user: AnyUser, plan: ImprovementPlan) -> bool:
    return plan.status == PlanStatus.OPEN and _role(user) == Role.PERFORMANCE_OFFICER


def can_record_decision(user: AnyUser) -> bool:
    return _role(user) == Role.PERFORMANCE_OFFICER


def can_withdraw(user: AnyUser, plan: ImprovementPlan) -> bool:
    return plan.is_live and _role(user) == Role.PERFORMANCE_OFFICER


# Scrutiny recommendations -----------------------------------------------------------------


def recommendations_for(user: AnyUser) -> QuerySet[ScrutinyRecommendation]:
    found = ScrutinyRecommendation.objects.select_related("committee", "indicator")
    if _role(user) is None:
        return found.filter(is_published=True)
    return found


def get_recommendation_for_user(user: AnyUser, pk: int) -> ScrutinyRecommendation:
    found = recommendations_for(user).filter(pk=pk).first()
    if found is None:
        raise Http404("No scrutiny recommendation with that number")
    return found


def committees_user_records_for(user: AnyUser):
    """Committees whose recommendations this person records: all for the performance team."""
    from goldthread.committees.models import Committee

    role = _role(user)
    if role == Role.PERFORMANCE_OFFICER:
        return Committee.objects.all()
    if role == Role.COMMITTEE_MEMBER:
        return Committee.objects.filter(memberships__user=user)
    return Committee.objects.none()


def can_record_recommendations(user: AnyUser) -> bool:
    return _role(user) in (Role.PERFORMANCE_OFFICER, Role.COMMITTEE_MEMBER)


def can_review(user: AnyUser, recommendation: ScrutinyRecommendation) -> bool:
    """Scrutiny follows up its own recommendations; the performance team helps it to."""
    role = _role(user)
    if role == Role.PERFORMANCE_OFFICER:
        return True
    return (
        role == Role.COMMITTEE_MEMBER
        and recommendation.committee.memberships.filter(user=user).exists()
    )


def can_respond(user: AnyUser, recommendation: ScrutinyRecommendation) -> bool:
    """Cabinet answers recommendations made to it; officers answer those made to officers."""
    role = _role(user)
    if role == Role.PERFORMANCE_OFFICER:
        return True
    if recommendation.addressed_to == Addressee.CABINET:
        return role == Role.CABINET_MEMBER
    return role == Role.DIRECTOR
