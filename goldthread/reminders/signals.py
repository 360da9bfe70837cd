"""A figure returned for changes emails its data owner once the return is committed.

The collection workflow writes a "returned" audit event in the same transaction as the
return; listening for that event keeps the workflow free of email concerns, and on_commit
means a return that is rolled back sends nothing.
"""

from __future__ import annotations

from functools import partial

from django.db import transaction
from django.db.models.signals import post_save

from goldthread.audit.models import AuditEvent


def connect() -> None:
    post_save.connect(returned_figure, sender=AuditEvent, dispatch_uid="reminders.returned_figure")


def returned_figure(sender, instance: AuditEvent, created: bool, **kwargs) -> None:
    if not created or instance.verb != "returned":
        return
    if instance.object_type != "indicators.indicator" or kwargs.get("raw"):
        return
    from goldthread.reminders.tasks import enqueue_returned

    transaction.on_commit(partial(enqueue_returned, instance.pk))
