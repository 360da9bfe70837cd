"""A counter that moves whenever the council's data changes, so cached pages know they are old."""

from __future__ import annotations

from django.db import models


class DataGeneration(models.Model):
    """One row. Every change to business data adds one to `value` (see core.freshness)."""

    value = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"Data generation {self.value}"
