"""Turn Django's bare error responses into pages people can read."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse

from goldthread.core.views import bad_request, method_not_allowed, page_not_found


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


def refuse_nul_characters(get_response):
    """PostgreSQL cannot compare text holding a NUL byte and raises; no real address holds one."""

    def middleware(request: HttpRequest) -> HttpResponse:
        if "\x00" in request.path:
            return page_not_found(request)
        if any("\x00" in key + "".join(values) for key, values in request.GET.lists()):
            return bad_request(request)
        return get_response(request)

    return middleware
