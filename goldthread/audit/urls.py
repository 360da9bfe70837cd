from django.urls import path

from goldthread.audit import views

app_name = "audit"
urlpatterns = [
    path("indicators/<str:code>/audit/", views.indicator_trail, name="indicator"),
    path("audit/", views.audit_log, name="log"),
    path("audit/export.csv", views.audit_log_export, name="log-csv"),
]
