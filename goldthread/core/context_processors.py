from __future__ import annotations

from django.http import HttpRequest

from goldthread.core.navigation import href, nav_items
from goldthread.structure.services import council_name


def layout(request: HttpRequest) -> dict:
    return {
        "council_name": council_name(),
        "nav_items": nav_items(request),
        "user": request.user,
        "sign_in_url": href("accounts:sign-in"),
        "sign_out_url": href("accounts:sign-out"),
        "feedback_url": href("core:feedback"),
    }
