from django.urls import path

from goldthread.documents import views

app_name = "documents"
urlpatterns = [
    path(
        "indicators/<str:code>/report/",
        views.indicator_report_page,
        name="indicator-report",
    ),
    # fmt is html (the print page), pdf or docx; anything else is a 404.
    path(
        "indicators/<str:code>/report.<str:fmt>",
        views.indicator_report_file,
        name="indicator-report-file",
    ),
]
