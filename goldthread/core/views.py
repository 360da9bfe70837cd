from __future__ import annotations

from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from goldthread.core.presenters import home_for


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    page = home_for(request.user)
    return render(request, f"core/home_{page.template}.html", {"page": page})


@require_GET
def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "core/accessibility.html")


@require_GET
def data_sources(request: HttpRequest) -> HttpResponse:
    return render(request, "core/data_sources.html")


@require_GET
def spc_help(request: HttpRequest) -> HttpResponse:
    return render(request, "core/spc_help.html")


@require_GET
def feedback(request: HttpRequest) -> HttpResponse:
    return render(request, "core/feedback.html")


@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("OK", content_type="text/plain")


def _error(request: HttpRequest, status: int, title: str, body: str) -> HttpResponse:
    return render(request, "core/error.html", {"title": title, "body": body}, status=status)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(
        request,
        400,
        "Sorry, there is a problem with that request",
        "Check the web address or the form you sent, then try again.",
    )


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(
        request,
        403,
        "You do not have permission to see this page",
        "Sign in with an account that has access, or ask your performance team.",
    )


def method_not_allowed(request: HttpRequest) -> HttpResponse:
    return _error(
        request,
        405,
        "Sorry, that page cannot be used like that",
        "Go back to the page you came from and use its buttons or links.",
    )


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(
        request,
        404,
        "Page not found",
        "If you typed the web address, check it is correct. "
        "If you pasted the web address, check you copied the entire address.",
    )


def server_error(request: HttpRequest) -> HttpResponse:
    return _error(
        request,
        500,
        "Sorry, there is a problem with the service",
        "Try again later. Nothing you entered has been lost or partly saved.",
    )
