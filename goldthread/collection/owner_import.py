"""A data owner imports their own figures: the collection template or Goldthread's columns.

The same `import_values` as the performance team's import, so a file is checked, previewed
and stored by the same rules (all or nothing, collection windows, approved and published
figures refused). What a data owner cannot do is decided in `import_scope` (ADR 18): figures
for other people's indicators are errors, and figures are always stored as "submitted".
"""

from __future__ import annotations

from datetime import date

from goldthread.collection.import_scope import scope_for
from goldthread.collection.imports import ImportNotAllowed, ImportOutcome, import_values
from goldthread.imports.parse import Source


def import_own_figures(
    source: Source,
    *,
    fmt: str,
    actor,
    dry_run: bool,
    file_name: str,
    today: date | None = None,
) -> ImportOutcome:
    """Check (and unless `dry_run`, store) a file of this person's own figures."""
    scope = scope_for(actor)
    if not scope.codes:
        raise ImportNotAllowed("Only people who enter figures for an indicator can upload them.")
    return import_values(
        source,
        fmt=fmt,
        actor=actor,
        dry_run=dry_run,
        file_name=file_name,
        today=today,
        scope=scope,  # their indicators only, and never approved
    )
