"""A data owner imports their own figures: the collection template or Goldthread's columns.

The same `import_values` as the performance team's import, so a file is checked, previewed
and stored by the same rules (all or nothing, collection windows, approved and published
figures refused). What a data owner cannot do is decided in `import_scope` (ADR 18): figures
for other people's indicators are errors, and figures are always stored as "submitted".
"""

from __future__ import annotations

from datetime import date

from goldthread.collection.import_scope import may_upload_own, owner_upload
from goldthread.collection.imports import ImportNotAllowed, ImportOutcome, import_values
from goldthread.imports.parse import Source
from goldthread.imports.profiles import file_reader


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
    if not may_upload_own(actor):
        raise ImportNotAllowed("Only people who enter figures for an indicator can upload them.")
    with owner_upload(actor) as scope:
        return import_values(
            source,
            fmt=fmt,
            actor=actor,
            dry_run=dry_run,
            file_name=file_name,
            approve=False,  # a data owner's figures are checked by the performance team
            reader=scope.reader(file_reader(fmt)),
            today=today,
        )
