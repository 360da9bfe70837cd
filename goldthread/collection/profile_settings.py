"""What a mapping profile needs from the database: who the council is, and its areas.

The pure profiles (`goldthread.imports.profiles`) know publishers' layouts; this module tells
them the council's ONS code and names (so its own rows are found) and its areas' codes and
names (so ward rows land in the right area), and checks a person's measure-to-indicator
links against the council's indicator codes.
"""

from __future__ import annotations

from goldthread.analysis.periods import parse_period
from goldthread.imports.profiles import (
    PROFILES,
    Home,
    Reader,
    Settings,
    parse_mapping,
    profile_reader,
)
from goldthread.indicators.models import Indicator
from goldthread.structure.models import Area
from goldthread.structure.services import council


class NoCouncil(Exception):
    """The council (its name and ONS code) is not set up, so its rows cannot be found."""


def home() -> Home:
    found = council()
    if found is None:
        raise NoCouncil(
            "Set up the council, with its name and ONS code, before importing a published table."
        )
    areas: dict[str, str] = {}
    for code, name in Area.objects.values_list("code", "name"):
        areas[name] = code
        areas[code] = code
    return Home.of(found.name, found.ons_code, other_names=[found.short_name], areas=areas)


def indicator_codes() -> list[str]:
    return list(Indicator.objects.filter(retired_at__isnull=True).values_list("code", flat=True))


def check_mapping(mapping_text: str) -> dict[str, str]:
    """The measure links, each naming one of the council's indicators; or MappingError."""
    return parse_mapping(mapping_text, indicator_codes())


def check_since(text: str) -> str | None:
    """The first period to import, as a key; None for all; PeriodError when it is not one."""
    return parse_period(text).key if text.strip() else None


def reader_for(profile: str, mapping_text: str = "", since: str = "") -> Reader:
    """The profile's reader for this council (NoCouncil when there is none set up).

    The links were checked when the person gave them (`check_mapping`); a code that has gone
    since is reported by the import on each row that uses it.
    """
    if profile not in PROFILES:
        raise KeyError(profile)
    settings = Settings(home(), parse_mapping(mapping_text, None), check_since(since))
    return profile_reader(profile, settings)
