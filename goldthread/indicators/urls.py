from django.urls import path

from goldthread.indicators import views

app_name = "indicators"
urlpatterns = [
    path("scorecard/", views.scorecard, name="scorecard"),
    path("settings/judgement-rules/", views.judgement_rules, name="rules"),
    path("indicators/", views.indicator_list, name="list"),
    path("indicators/<str:code>/", views.indicator_detail, name="detail"),
    path("indicators/<str:code>/targets/<int:year>/", views.set_target, name="set-target"),
    path(
        "indicators/<str:code>/judgements/<str:period>/republish/",
        views.republish,
        name="republish",
    ),
]
