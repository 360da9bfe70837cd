"""Turn Django's bare error responses into pages people can read."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse

from goldthread.core.views import method_not_allowed


def friendly_method_not_allowed(get_response):
    """require_GET and friends answer 405 with an empty body: give it the service's error page."""

    def middleware(request: HttpRequest) -> HttpResponse:
        response = get_response(request)
        if response.status_code != 405 or response.streaming or response.content:
            return response
        page = method_not_allowed(request)
        if "Allow" in response:
            page["Allow"] = response["Allow"]
        return page

    return middleware
