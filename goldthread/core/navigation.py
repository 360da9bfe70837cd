"""The service navigation: the same few links for everyone, with what each role needs."""

from __future__ import annotations

from functools import lru_cache

from django.http import HttpRequest
from django.urls import reverse

from goldthread.accounts.models import Role


def _items_for(user) -> list[tuple[str, str]]:
    items = [
        ("core:home", "Home"),
        ("indicators:scorecard", "Council Scorecard"),
        ("structure:golden-thread", "Golden thread"),
    ]
    if user.is_authenticated and user.is_officer:
        items.append(("collection:my-updates", "My updates"))
    if user.is_authenticated and user.role == Role.PERFORMANCE_OFFICER:
        items.append(("collection:approvals", "Figures to check"))
    if user.is_authenticated and user.role != Role.SYSTEM_ADMINISTRATOR:
        items.append(("interventions:hub", "Interventions"))
    if user.is_authenticated and user.role in (Role.PERFORMANCE_OFFICER, Role.SYSTEM_ADMINISTRATOR):
        items.append(("admin:index", "Settings"))
    return items


def nav_key(user) -> str:
    """Names which navigation this person gets: pages cached for one key suit everyone in it."""
    return ",".join(name for name, _text in _items_for(user))


@lru_cache(maxsize=32)
def href(name: str) -> str:
    # Addresses do not change while the process runs; reversing them costs on every page.
    return reverse(name)


def nav_items(request: HttpRequest) -> list[dict]:
    path = request.path
    result = []
    for name, text in _items_for(request.user):
        url = href(name)
        active = path == url if url == "/" else path.startswith(url)
        result.append({"href": url, "text": text, "active": active})
    return result
