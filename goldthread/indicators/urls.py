from django.urls import path

from goldthread.indicators import export_views, views

app_name = "indicators"
urlpatterns = [
    path("scorecard/", views.scorecard, name="scorecard"),
    path(
        "scorecard/export.csv",
        export_views.scorecard_export,
        {"kind": "csv"},
        name="scorecard-csv",
    ),
    path(
        "scorecard/export.xlsx",
        export_views.scorecard_export,
        {"kind": "xlsx"},
        name="scorecard-xlsx",
    ),
    path("settings/judgement-rules/", views.judgement_rules, name="rules"),
    path("indicators/", views.indicator_list, name="list"),
    path(
        "indicators/<str:code>/export.csv",
        export_views.indicator_export,
        {"kind": "csv"},
        name="export-csv",
    ),
    path(
        "indicators/<str:code>/export.xlsx",
        export_views.indicator_export,
        {"kind": "xlsx"},
        name="export-xlsx",
    ),
    path("indicators/<str:code>/", views.indicator_detail, name="detail"),
    path("indicators/<str:code>/targets/<int:year>/", views.set_target, name="set-target"),
    path(
        "indicators/<str:code>/judgements/<str:period>/republish/",
        views.republish,
        name="republish",
    ),
]
