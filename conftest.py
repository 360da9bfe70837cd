import os

import pytest

os.environ.setdefault("GOLDTHREAD_MODE", "test")
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Cached pages are keyed by the data generation, which restarts with every test database."""
    from django.conf import settings

    if not settings.configured:  # pure tests run with -p no:django
        yield
        return
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def world(db):
    from goldthread.testing.world import build_world

    return build_world()


@pytest.fixture
def login(client):
    """login(user) signs the test client in as that persona (None stays anonymous)."""

    def sign_in(user):
        client.logout()
        if user is not None:
            client.force_login(user)
        return client

    return sign_in
