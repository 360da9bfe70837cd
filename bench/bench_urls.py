"""The product's URLs plus a minimal view, for bench/scorecard_bench.py only.

The minimal view runs through the same middleware, server process and settings as the
scorecard, so their throughputs compare the work each view does, not the serving around it.
"""

from django.http import HttpRequest, HttpResponse
from django.urls import include, path

from goldthread.urls import handler400, handler403, handler404, handler500  # noqa: F401


def minimal(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok")


urlpatterns = [
    path("bench/minimal/", minimal),
    path("", include("goldthread.urls")),
]
