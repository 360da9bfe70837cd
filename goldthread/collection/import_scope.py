"""What a data owner may upload: the figures they may enter, and nothing else (ADR 18).

A data owner uploads their filled-in collection template (or a CSV in Goldthread's columns)
through the same import as the performance team, so every rule is the same. Two things
differ, and both are decided here:

- Which rows: only figures for indicators this person may enter on the figure's own page
  (`indicators.access.can_enter_values`, and never a context indicator). The file is still
  checked against every indicator, so a row for someone else's indicator gets one clear
  error naming the row, the column and the code, instead of "there is no such indicator".
- Who may run the import: `imports.import_values` admits someone who is not a performance
  officer only when it is given their `OwnerScope` (`owner_import` does that, and nothing
  else), and then refuses `approve`. The command and the performance team's pages pass no
  scope, so a data owner can never reach the whole-council import, its `approve` option or
  the published-table profiles.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from goldthread.imports import CleanRow, Context, Problem
from goldthread.imports.columns import INDICATOR_CODE
from goldthread.imports.parse import Source
from goldthread.imports.profiles import Reader
from goldthread.indicators import access


@dataclass(frozen=True)
class OwnerScope:
    """The indicator codes a person may upload figures for, and why others are refused."""

    codes: frozenset[str]
    context_codes: frozenset[str]  # context indicators they own: figures come from the team

    def reader(self, inner: Reader) -> Reader:
        """`inner`, with rows for indicators outside the scope turned into errors."""

        def read(source: Source, context: Context) -> Iterator[CleanRow | Problem]:
            return self.keep_own(inner(source, context))

        return read

    def keep_own(self, items: Iterator[CleanRow | Problem]) -> Iterator[CleanRow | Problem]:
        codes = self.codes
        for item in items:
            if type(item) is CleanRow and item.indicator_code not in codes:
                yield Problem(item.row, INDICATOR_CODE, self.refusal(item.indicator_code))
            else:
                yield item

    def refusal(self, code: str) -> str:
        if code in self.context_codes:
            return (
                f"{code} is a context indicator, so its figures come from the performance "
                "team rather than a data owner. Delete the row, or ask the performance team."
            )
        return (
            f"You are not the data owner for {code}, so you cannot upload its figures. "
            "Delete the row, or ask the performance team."
        )


def scope_for(user) -> OwnerScope:
    """What this person may enter, by the rule of the figure entry page."""
    if not getattr(user, "is_officer", False):
        return OwnerScope(frozenset(), frozenset())
    visible = access.indicators_for(user)
    if not access.can_approve(user):
        visible = visible.filter(data_owner=user)
    indicators = list(visible.only("id", "code", "is_context", "data_owner_id"))
    return OwnerScope(
        frozenset(
            i.code for i in indicators if not i.is_context and access.can_enter_values(user, i)
        ),
        frozenset(i.code for i in indicators if i.is_context),
    )


def may_upload_own(user) -> bool:
    """Anyone who may enter figures for at least one indicator may upload them."""
    return bool(scope_for(user).codes)
