from __future__ import annotations

from django.contrib.auth import login, logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from goldthread.accounts.forms import SignInForm


def _posted(request: HttpRequest):
    """The form data of a POST, even an empty one (`request.POST or None` leaves it unbound)."""
    return request.POST if request.method == "POST" else None


def _next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or "/"
    safe = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if safe else "/"


@require_http_methods(["GET", "POST"])
def sign_in(request: HttpRequest) -> HttpResponse:
    form = SignInForm(_posted(request), request=request)
    if request.method == "POST" and form.is_valid():
        login(request, form.user)
        return redirect(_next(request))
    return render(request, "accounts/sign_in.html", {"form": form, "next": _next(request)})


@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    logout(request)
    return redirect("core:home")
