from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("goldthread.core.urls")),
    path("", include("goldthread.accounts.urls")),
    path("", include("goldthread.indicators.urls")),
    path("", include("goldthread.structure.urls")),
    path("", include("goldthread.collection.urls")),
    path("", include("goldthread.audit.urls")),
    path("", include("goldthread.interventions.urls")),
    path("", include("goldthread.clinics.urls")),
    path("", include("goldthread.improvement.urls")),
    path("", include("goldthread.documents.urls")),
    path("admin/", admin.site.urls),
]

handler400 = "goldthread.core.views.bad_request"
handler403 = "goldthread.core.views.permission_denied"
handler404 = "goldthread.core.views.page_not_found"
handler500 = "goldthread.core.views.server_error"
