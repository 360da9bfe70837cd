from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from goldthread.structure.presenters import build_golden_thread


@require_GET
def golden_thread(request: HttpRequest) -> HttpResponse:
    return render(
        request, "structure/golden_thread.html", {"tree": build_golden_thread(request.user)}
    )
