"""Trigger rules, the recommendation queue and the escalation ladder."""

from __future__ import annotations
