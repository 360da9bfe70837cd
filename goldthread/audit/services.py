from __future__ import annotations

from typing import Any

from django.db import models

from goldthread.audit.models import AuditEvent


def record(
    actor: Any, verb: str, obj: models.Model, description: str, *, reason: str = "", **data: Any
) -> AuditEvent:
    """Write one audit event. Call it inside the same transaction as the change it records."""
    return AuditEvent.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        verb=verb,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        object_label=str(obj)[:300],
        description=description,
        reason=reason,
        data=data,
    )


def events_for(obj: models.Model) -> models.QuerySet[AuditEvent]:
    return AuditEvent.objects.filter(
        object_type=obj._meta.label_lower, object_id=str(obj.pk)
    ).select_related("actor")
