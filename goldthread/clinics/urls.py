"""Performance clinics: panel, agenda, clinic pack, minutes, decisions and action plans."""

from __future__ import annotations

from django.urls import path

from goldthread.clinics import document_views, plan_views, views

app_name = "clinics"
urlpatterns = [
    path("clinics/", views.clinic_list, name="list"),
    path("clinics/request/", views.request_clinic, name="request"),
    path("clinics/my-actions/", views.my_actions, name="my-actions"),
    path("clinics/<str:reference>/", views.detail, name="detail"),
    path("clinics/<str:reference>/schedule/", views.schedule, name="schedule"),
    path("clinics/<str:reference>/panel/add/", views.add_panel_member, name="panel-add"),
    path(
        "clinics/<str:reference>/panel/<int:pk>/remove/",
        views.remove_panel_member,
        name="panel-remove",
    ),
    path("clinics/<str:reference>/exit-criteria/", views.exit_criteria, name="exit-criteria"),
    path("clinics/<str:reference>/withdraw/", views.withdraw, name="withdraw"),
    path("clinics/<str:reference>/outcome/", views.outcome, name="outcome"),
    path("clinics/<str:reference>/publish/", views.publish, name="publish"),
    path("clinics/<str:reference>/minutes/record/", plan_views.minutes, name="minutes-record"),
    path("clinics/<str:reference>/actions/add/", plan_views.add_action, name="action-add"),
    path(
        "clinics/<str:reference>/actions/<int:number>/",
        plan_views.change_action,
        name="action-change",
    ),
    path("clinics/<str:reference>/updates/new/", plan_views.write_update, name="update-write"),
    path("clinics/<str:reference>/pack/", document_views.pack, name="pack"),
    path("clinics/<str:reference>/pack.<str:fmt>", document_views.pack, name="pack-download"),
    path("clinics/<str:reference>/minutes/", document_views.minutes, name="minutes"),
    path(
        "clinics/<str:reference>/minutes.<str:fmt>",
        document_views.minutes,
        name="minutes-download",
    ),
    path("challenge-events/", views.published_list, name="published-list"),
    path("challenge-events/<str:reference>/", views.published_detail, name="published-detail"),
]
