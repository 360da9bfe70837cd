"""Improvement plans and scrutiny recommendations in the permission matrix.

Columns: public, Alice (performance officer), Bob (data owner), Charlie (director),
Dana (cabinet member), Ed (committee member), Fay (system administrator).

Plan 9001 is ENV1's validated plan, written by Bob (ENV1 is public and in Ed's scope), with
factor 9101, solution 9201 and referral 9301 waiting for a decision. Plan 9002 is CMP1's plan
still being written: only the people who may write or sign it off see it. Recommendation 9401
is published and made to cabinet (action 9501); 9402 is not published and made to officers.
"""

from __future__ import annotations

import datetime

from goldthread.committees.models import Committee, CommitteeKind
from goldthread.improvement.models import (
    Addressee,
    Duration,
    Factor,
    FactorKind,
    ImprovementPlan,
    PlanStatus,
    Referral,
    Resourcing,
    ScrutinyAction,
    ScrutinyRecommendation,
    Solution,
    SourceKind,
)

_P = "/improvement-plans/9001/"
_WRITE = (302, 200, 200, 200, 403, 403, 403)
_TEAM_ONLY = (302, 200, 403, 403, 403, 403, 403)
_SEE = (302, 200, 200, 200, 200, 200, 200)

# fmt: off
ROWS = {
    "/improvement-plans/":                               _SEE,
    # Data owners and directors start plans for their own indicators; members do not.
    "/improvement-plans/new/":                           (302, 200, 200, 200, 403, 403, 403),
    _P:                                                  _SEE,
    _P + "turn-the-curve/":                              _SEE,
    # The plan's print page, PDF and Word file say what the page says, to the same people.
    _P + "print/":                                       _SEE,
    _P + "plan.pdf":                                     _SEE,
    _P + "plan.docx":                                    _SEE,
    "/improvement-plans/9002/plan.docx":                 (302, 200, 200, 200, 404, 404, 200),
    # A plan being written is seen only by those who write it or sign it off.
    "/improvement-plans/9002/":                          (302, 200, 200, 200, 404, 404, 200),
    "/improvement-plans/9002/comments/":                 (302, 200, 200, 200, 404, 404, 403),
    "/improvement-plans/9999/":                          (302, 404, 404, 404, 404, 404, 404),
    _P + "comments/":                                    _WRITE,
    _P + "factors/new/":                                 _WRITE,
    _P + "factors/9101/":                                _WRITE,
    _P + "factors/9101/withdraw/":                       _WRITE,
    _P + "factors/9999/":                                (302, 404, 404, 404, 403, 403, 403),
    _P + "solutions/new/":                               _WRITE,
    _P + "solutions/9201/":                              _WRITE,
    _P + "solutions/9201/progress/":                     _WRITE,
    _P + "solutions/9201/withdraw/":                     _WRITE,
    _P + "management-comments/new/":                     _WRITE,
    _P + "progress/new/":                                _WRITE,
    _P + "turn-the-curve/edit/":                         _WRITE,
    # Validation is a button (POST only).
    _P + "validate/":                                    (302, 405, 405, 405, 405, 405, 405),
    # Referrals and the committee's decision are clerked by the performance team.
    _P + "refer/":                                       _TEAM_ONLY,
    _P + "referrals/9301/decision/":                     _TEAM_ONLY,
    _P + "withdraw/":                                    _TEAM_ONLY,
    # Scrutiny recommendations: the public sees published ones.
    "/scrutiny-recommendations/":                        (200, 200, 200, 200, 200, 200, 200),
    "/scrutiny-recommendations/new/":                    (302, 200, 403, 403, 403, 200, 403),
    "/scrutiny-recommendations/9401/":                   (200, 200, 200, 200, 200, 200, 200),
    "/scrutiny-recommendations/9402/":                   (404, 200, 200, 200, 200, 200, 200),
    # Cabinet answers what is made to cabinet; directors what is made to officers.
    "/scrutiny-recommendations/9401/response/":          (302, 200, 403, 403, 200, 403, 403),
    "/scrutiny-recommendations/9402/response/":          (302, 200, 403, 200, 403, 403, 403),
    "/scrutiny-recommendations/9401/actions/new/":       (302, 200, 403, 403, 200, 403, 403),
    "/scrutiny-recommendations/9401/actions/9501/done/": (302, 200, 403, 403, 200, 403, 403),
    # The committee that made it reviews it.
    "/scrutiny-recommendations/9401/review/":            (302, 200, 403, 403, 403, 200, 403),
}
# fmt: on


def arrange(world) -> None:
    audit = Committee.objects.create(
        code="ap", name="Audit and Performance Committee", kind=CommitteeKind.AUDIT_PERFORMANCE
    )
    policy = Committee.objects.create(
        code="env", name="Environment Committee", kind=CommitteeKind.POLICY
    )
    plan = ImprovementPlan.objects.create(
        pk=9001,
        indicator=world.recycling,
        raised_period="2025-07",
        author=world.bob,
        status=PlanStatus.OPEN,
    )
    ImprovementPlan.objects.create(
        pk=9002, indicator=world.complaints, raised_period="2024/25", author=world.bob
    )
    factor = Factor.objects.create(
        pk=9101,
        plan=plan,
        kind=FactorKind.EXTERNAL,
        duration=Duration.TEMPORARY,
        description="Garden waste season ended early",
    )
    solution = Solution.objects.create(
        pk=9201,
        plan=plan,
        description="Extend the garden waste round",
        target_date=datetime.date(2026, 3, 31),
        resourcing=Resourcing.WITHIN_SERVICE,
    )
    solution.factors.add(factor)
    Referral.objects.create(
        pk=9301,
        plan=plan,
        referred_by_committee=audit,
        to_committee=policy,
        referred_on=datetime.date(2025, 10, 1),
        reason="Target not achievable",
        recorded_by=world.alice,
    )
    _recommendations(world)


def _recommendations(world) -> None:
    common = {
        "committee": world.committee,
        "source_kind": SourceKind.SPOTLIGHT,
        "made_on": datetime.date(2025, 9, 1),
        "recorded_by": world.ed,
    }
    published = ScrutinyRecommendation.objects.create(
        pk=9401,
        review_title="Spotlight review of recycling",
        text="Publish collection calendars",
        addressed_to=Addressee.CABINET,
        addressee="Cabinet Member for Environment",
        is_published=True,
        **common,
    )
    ScrutinyRecommendation.objects.create(
        pk=9402,
        review_title="Spotlight review of recycling",
        text="Review crew rotas",
        addressed_to=Addressee.OFFICERS,
        addressee="Director of Place",
        **common,
    )
    ScrutinyAction.objects.create(
        pk=9501,
        recommendation=published,
        description="Print calendars",
        owner="Waste team",
        due_on=datetime.date(2025, 12, 1),
    )
