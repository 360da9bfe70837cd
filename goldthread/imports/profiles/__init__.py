"""Readers for files that are not in Goldthread's own layout: other publishers' tables.

A mapping profile turns a published table (the Scottish LGBF table, Defra's ENV18 waste
table, Trafford Data Lab's comparator CSV) into Goldthread's rows and checks them with the
same `validate` as any import, so the rules are the same. Pure Python, no Django: the caller
says who the council is and which indicator each measure goes into (`Settings`).

`Reader` is what the import service calls: (file, Context) → clean rows and problems.
`file_reader` reads Goldthread's own layout, including the Excel collection template;
`profile_reader` reads a publisher's layout.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from goldthread.imports.parse import Source, read_rows
from goldthread.imports.problems import Problem
from goldthread.imports.profiles import defra, lgbf, trafford
from goldthread.imports.profiles.base import Home, Profile, Settings, check_published
from goldthread.imports.profiles.mapping import MappingError, parse_mapping
from goldthread.imports.profiles.template import template_rows
from goldthread.imports.validate import CleanRow, Context, validate

__all__ = [
    "PROFILES",
    "Home",
    "MappingError",
    "Profile",
    "Reader",
    "Settings",
    "file_reader",
    "parse_mapping",
    "profile_reader",
]

Reader = Callable[[Source, Context], Iterator[CleanRow | Problem]]

PROFILES: dict[str, Profile] = {
    profile.name: profile for profile in (lgbf.PROFILE, defra.PROFILE, trafford.PROFILE)
}


def file_reader(fmt: str) -> Reader:
    """Goldthread's own columns, in CSV or .xlsx; the collection template's extra columns
    are ignored."""

    def read(source: Source, context: Context) -> Iterator[CleanRow | Problem]:
        return validate(template_rows(read_rows(source, format=fmt)), context)  # type: ignore[arg-type]

    return read


def profile_reader(name: str, settings: Settings) -> Reader:
    """A publisher's layout, mapped to the council's indicators and areas by `settings`."""
    profile = PROFILES[name]

    def read(source: Source, context: Context) -> Iterator[CleanRow | Problem]:
        rows = read_rows(source, format=profile.container)  # type: ignore[arg-type]
        return check_published(profile.figures(rows), settings, context)

    return read
