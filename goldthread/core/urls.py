from django.urls import path

from goldthread.core import views

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("data-sources/", views.data_sources, name="data-sources"),
    path("help/spc/", views.spc_help, name="spc-help"),
    path("feedback/", views.feedback, name="feedback"),
    path("healthz/", views.healthz, name="healthz"),
]
