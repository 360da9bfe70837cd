"""Performance Improvement Plans and scrutiny recommendations."""

from __future__ import annotations

from django.urls import path

from goldthread.improvement import scrutiny_views, views

app_name = "improvement"

_PLAN = "improvement-plans/<int:pk>/"

urlpatterns = [
    path("improvement-plans/", views.plan_list, name="plans"),
    path("improvement-plans/new/", views.start, name="start"),
    path(_PLAN, views.plan, name="plan"),
    path(_PLAN + "print/", views.plan_download, {"fmt": "html"}, name="print"),
    path(_PLAN + "plan.pdf", views.plan_download, {"fmt": "pdf"}, name="pdf"),
    path(_PLAN + "plan.docx", views.plan_download, {"fmt": "docx"}, name="docx"),
    path(_PLAN + "comments/", views.comments, name="comments"),
    path(_PLAN + "validate/", views.validate, name="validate"),
    path(_PLAN + "withdraw/", views.withdraw, name="withdraw"),
    path(_PLAN + "factors/new/", views.factor_add, name="factor-add"),
    path(_PLAN + "factors/<int:factor_pk>/", views.factor_edit, name="factor-edit"),
    path(
        _PLAN + "factors/<int:factor_pk>/withdraw/",
        views.factor_withdraw,
        name="factor-withdraw",
    ),
    path(_PLAN + "solutions/new/", views.solution_add, name="solution-add"),
    path(_PLAN + "solutions/<int:solution_pk>/", views.solution_edit, name="solution-edit"),
    path(
        _PLAN + "solutions/<int:solution_pk>/progress/",
        views.solution_state,
        name="solution-state",
    ),
    path(
        _PLAN + "solutions/<int:solution_pk>/withdraw/",
        views.solution_withdraw,
        name="solution-withdraw",
    ),
    path(_PLAN + "management-comments/new/", views.management_comment, name="comment-add"),
    path(_PLAN + "progress/new/", views.progress, name="progress-add"),
    path(_PLAN + "turn-the-curve/", views.turn_the_curve, name="curve"),
    path(_PLAN + "turn-the-curve/edit/", views.turn_the_curve_edit, name="curve-edit"),
    path(_PLAN + "refer/", views.refer, name="refer"),
    path(_PLAN + "referrals/<int:referral_pk>/decision/", views.decision, name="decision"),
    path("scrutiny-recommendations/", scrutiny_views.recommendation_list, name="recommendations"),
    path("scrutiny-recommendations/new/", scrutiny_views.new, name="recommendation-new"),
    path(
        "scrutiny-recommendations/<int:pk>/",
        scrutiny_views.recommendation,
        name="recommendation",
    ),
    path(
        "scrutiny-recommendations/<int:pk>/response/",
        scrutiny_views.response,
        name="recommendation-response",
    ),
    path(
        "scrutiny-recommendations/<int:pk>/actions/new/",
        scrutiny_views.action_add,
        name="recommendation-action",
    ),
    path(
        "scrutiny-recommendations/<int:pk>/actions/<int:action_pk>/done/",
        scrutiny_views.action_done,
        name="recommendation-action-done",
    ),
    path(
        "scrutiny-recommendations/<int:pk>/review/",
        scrutiny_views.review,
        name="recommendation-review",
    ),
]
