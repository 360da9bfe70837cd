from __future__ import annotations

from django.http import HttpRequest

from goldthread.core.navigation import nav_items
from goldthread.structure.services import council_name


def layout(request: HttpRequest) -> dict:
    return {
        "council_name": council_name(),
        "nav_items": nav_items(request),
        "user": request.user,
    }
