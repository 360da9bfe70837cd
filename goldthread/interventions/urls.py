"""Trigger rules, the recommendation queue, known risks and the escalation ladder."""

from __future__ import annotations

from django.urls import path

from goldthread.interventions import ladder_views, views

app_name = "interventions"
urlpatterns = [
    path("interventions/", views.hub, name="hub"),
    path("interventions/queue/", views.queue, name="queue"),
    path("interventions/recommendations/<int:pk>/", views.recommendation, name="recommendation"),
    path("interventions/recommendations/<int:pk>/accept/", views.accept, name="accept"),
    path("interventions/recommendations/<int:pk>/dismiss/", views.dismiss, name="dismiss"),
    path("interventions/trigger-rules/", views.rules, name="rules"),
    path("interventions/trigger-rules/<slug:code>/", views.rule, name="rule"),
    path(
        "interventions/indicators/<str:code>/known-risks/new/",
        ladder_views.record_known_risk,
        name="known-risk-new",
    ),
    path(
        "interventions/known-risks/<int:pk>/withdraw/",
        ladder_views.withdraw_known_risk,
        name="known-risk-withdraw",
    ),
    path(
        "interventions/indicators/<str:code>/escalate/",
        ladder_views.escalate,
        name="escalate",
    ),
    path("interventions/ladder/", ladder_views.ladder, name="ladder"),
    path("interventions/ladder/new/", ladder_views.add_forum, name="forum-new"),
    path("interventions/ladder/<int:pk>/", ladder_views.change_forum, name="forum"),
    path("interventions/ladder/<int:pk>/move/", ladder_views.move_forum, name="forum-move"),
    path("interventions/ladder/<int:pk>/retire/", ladder_views.retire_forum, name="forum-retire"),
    path("interventions/escalations/<int:pk>/", ladder_views.escalation, name="escalation"),
    path(
        "interventions/escalations/<int:pk>/decision/",
        ladder_views.escalation_decision,
        name="escalation-decision",
    ),
]
