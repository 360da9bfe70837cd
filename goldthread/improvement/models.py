"""Performance Improvement Plans and scrutiny recommendations."""

from __future__ import annotations
