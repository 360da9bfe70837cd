from __future__ import annotations

from functools import lru_cache

from django.conf import settings

from goldthread.structure.models import Council


def council() -> Council | None:
    return Council.objects.order_by("pk").first()


@lru_cache(maxsize=1)
def _cached_council_name() -> str:
    found = council()
    return found.name if found else settings.GOLDTHREAD_COUNCIL_NAME_FALLBACK


def council_name() -> str:
    """The council's name for page headers, read once per process (it changes almost never)."""
    name = _cached_council_name()
    if name == settings.GOLDTHREAD_COUNCIL_NAME_FALLBACK:
        _cached_council_name.cache_clear()
    return name
