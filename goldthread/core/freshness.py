"""Cached pages stay fresh: any change to the council's data moves a shared counter.

Pages such as the Council Scorecard are cached per (counter, who may see what, filters). The
counter lives in the database, so every web process sees a change at once: a published figure
or a new target can never leave a stale scorecard behind. Saves and deletes of any model in
Goldthread's apps move it through signals; bulk operations (which send no signals) call
`data_changed()` themselves.
"""

from __future__ import annotations

import secrets

from django.apps import apps
from django.db import connection
from django.db.models import F
from django.db.models.signals import m2m_changed, post_delete, post_save

from goldthread.core.models import DataGeneration

_TRACKED_PREFIX = "goldthread."


def current_generation() -> int:
    # Read on every cached page view, so it skips the ORM: one primary-key lookup.
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT value FROM {DataGeneration._meta.db_table} WHERE id = 1")
        row = cursor.fetchone()
    return row[0] if row else 0


def _bump() -> None:
    updated = DataGeneration.objects.filter(pk=1).update(value=F("value") + 1)
    if not updated:
        # A new or restored database starts at a random count, so pages cached from another
        # database by a long-running process can never be mistaken for this one's.
        DataGeneration.objects.get_or_create(pk=1, defaults={"value": secrets.randbits(48)})


def data_changed() -> None:
    """Call after any change that sends no model signal (bulk create, bulk update).

    The counter moves inside the caller's transaction: if it rolls back, so does the count;
    once it commits, every process sees the new count and the new data together.
    """
    _bump()


def _on_change(sender, **kwargs) -> None:
    if sender is DataGeneration or kwargs.get("raw"):
        return
    data_changed()


def connect_signals() -> None:
    for model in apps.get_models():
        if model.__module__.startswith(_TRACKED_PREFIX) and model is not DataGeneration:
            post_save.connect(_on_change, sender=model, dispatch_uid=f"fresh-save-{model}")
            post_delete.connect(_on_change, sender=model, dispatch_uid=f"fresh-del-{model}")
    m2m_changed.connect(_on_change, dispatch_uid="fresh-m2m")
