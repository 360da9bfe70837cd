"""Whole-page caching for pages that depend only on the data and on who may see it.

A cached page is rendered once per (data generation, page, scope, navigation, extra) with
placeholders where the signed-in person's name and CSRF token go, and those two holes are
filled on every request. Scopes come from `access.scope_key`; the generation from
`core.freshness`, so a cached page is never older than the data it shows.
"""

from __future__ import annotations

from collections.abc import Callable

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.template.backends.utils import csrf_input
from django.template.loader import render_to_string
from django.utils.html import escape
from markupsafe import Markup

from goldthread.core.context_processors import layout
from goldthread.core.freshness import current_generation
from goldthread.core.navigation import nav_key

PAGE_CACHE_SECONDS = 24 * 60 * 60
NAME_HOLE = "\x1egoldthread-name\x1e"
CSRF_HOLE = "\x1egoldthread-csrf\x1e"


class _Person:
    """Stands in for the signed-in person while the shared page is rendered."""

    is_authenticated = True
    is_anonymous = False

    def __init__(self, role: str) -> None:
        self.role = role

    def get_full_name(self) -> str:
        return NAME_HOLE

    def get_username(self) -> str:
        return NAME_HOLE


def _render(request: HttpRequest, template: str, context: dict) -> str:
    shared = {**layout(request), **context}
    if request.user.is_authenticated:
        shared |= {"user": _Person(request.user.role), "csrf_input": Markup(CSRF_HOLE)}
    return render_to_string(template, shared)


def _fill_holes(request: HttpRequest, page: str) -> str:
    if not request.user.is_authenticated:
        return page
    name = request.user.get_full_name() or request.user.get_username()
    return page.replace(NAME_HOLE, str(escape(name))).replace(CSRF_HOLE, csrf_input(request))


def cached_page(
    request: HttpRequest, template: str, *, scope: str, extra: str, context: Callable[[], dict]
) -> HttpResponse:
    """The page from the cache, or rendered with `context()` and cached."""
    key = f"page:{current_generation()}:{request.path}:{scope}:{nav_key(request.user)}:{extra}"
    page = cache.get(key)
    if page is None:
        page = _render(request, template, context())
        cache.set(key, page, PAGE_CACHE_SECONDS)
    response = HttpResponse(_fill_holes(request, page))
    if request.user.is_authenticated:
        response["Cache-Control"] = "private"
    return response
