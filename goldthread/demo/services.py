"""Load the demo council (Stirling, from real LGBF figures) into an empty database.

Everything comes from `goldthread/demo/data/` beside this file, never from the shared data
folder, so the demo and the tests load exactly what is committed. The whole load is one
transaction: a failure part way leaves the database as it was.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from django.contrib.auth.hashers import make_password
from django.db import models, transaction
from simple_history.utils import bulk_create_with_history

from goldthread.accounts.models import Role, User
from goldthread.analysis.periods import parse_period
from goldthread.audit.services import record
from goldthread.clinics import demo as clinics_demo
from goldthread.committees.models import Committee, CommitteeMembership, Meeting
from goldthread.improvement import demo as improvement_demo
from goldthread.indicators.models import (
    Aggregation,
    Basket,
    Indicator,
    Judgement,
    Polarity,
    TargetVersion,
    Value,
    ValueState,
)
from goldthread.indicators.services.judging import publish, rejudge
from goldthread.interventions import demo as interventions_demo
from goldthread.structure.models import (
    Area,
    Council,
    Directorate,
    Objective,
    Outcome,
    Priority,
    Service,
)

DATA_DIR = Path(__file__).resolve().parent / "data"
DEFAULT_PASSWORD = "demo-password-1"
LOAD_REASON = "Loaded with the demo council"
TARGET_REASON = "Illustrative target loaded with the demo council"
PUBLISH_REASON = "Published with the demo council"

Row = dict[str, str]


class AlreadyLoaded(Exception):
    """The database already holds a council; loading again would duplicate or clash."""


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: str
    name: str


@dataclass
class LoadSummary:
    indicators: int = 0
    values: int = 0
    judgements: int = 0
    people: int = 0
    logins: list[DemoLogin] = field(default_factory=list)


@dataclass
class Lookups:
    """Rows already created, by their code in the demo data, for linking later rows."""

    users: dict[str, User] = field(default_factory=dict)
    services: dict[str, Service] = field(default_factory=dict)
    areas: dict[str, Area] = field(default_factory=dict)
    outcomes: dict[str, Outcome] = field(default_factory=dict)
    priorities: dict[str, Priority] = field(default_factory=dict)
    objectives: dict[str, Objective] = field(default_factory=dict)
    indicators: dict[str, Indicator] = field(default_factory=dict)


# -- reading the files ------------------------------------------------------------------------


def read_council(data_dir: Path = DATA_DIR) -> dict[str, Any]:
    return json.loads((data_dir / "council.json").read_text(encoding="utf-8"))


def read_csv(name: str, data_dir: Path = DATA_DIR) -> list[Row]:
    with (data_dir / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _codes(text: str) -> list[str]:
    return [code for code in text.split(";") if code]


def _flag(text: str) -> bool:
    return text.strip().lower() == "true"


def _number(text: str) -> float | None:
    return float(text) if text.strip() else None


# -- the load ---------------------------------------------------------------------------------


def is_loaded() -> bool:
    return Council.objects.exists()


@transaction.atomic
def load_demo(password: str = DEFAULT_PASSWORD, data_dir: Path = DATA_DIR) -> LoadSummary:
    """Load the whole demo council, or nothing. Raises AlreadyLoaded if a council exists."""
    if is_loaded():
        raise AlreadyLoaded("The demo council is already loaded.")
    data = read_council(data_dir)
    indicator_rows = read_csv("indicators.csv", data_dir)
    council = load_council(data["council"])
    found = Lookups(users=load_people(data["people"], password))
    load_organisation(data["directorates"], data["people"], found)
    load_areas(data["areas"], found)
    load_golden_thread(data["outcomes"], data["people"], found)
    load_indicators(indicator_rows, found)
    load_baskets(data["baskets"], found)
    load_committees(data["committees"], found)
    load_targets(read_csv("targets.csv", data_dir), indicator_rows, found)
    values = load_values(read_csv("values.csv", data_dir), found)
    judgements = judge_and_publish()
    interventions_demo.load_demo()
    improvement_demo.load_demo()
    clinics_demo.load_demo()
    record(None, "demo_loaded", council, f"{council.name} demo data loaded", reason=LOAD_REASON)
    return LoadSummary(
        indicators=len(found.indicators),
        values=values,
        judgements=judgements,
        people=len(found.users),
        logins=demo_logins(found.users.values()),
    )


def _create(model: type[models.Model], objs: list) -> list:
    """Bulk create with history rows, so the audit trail starts with the loaded data."""
    return bulk_create_with_history(objs, model, default_change_reason=LOAD_REASON)


def load_council(council: dict[str, Any]) -> Council:
    row = Council(
        name=council["name"],
        short_name=council["short_name"],
        ons_code=council["ons_code"],
        # Stirling is a Scottish council: Scottish bank holidays set its due dates.
        bank_holiday_region=council.get("bank_holiday_region", "scotland"),
    )
    return _create(Council, [row])[0]


def _split_name(full_name: str) -> tuple[str, str]:
    first, _, last = full_name.partition(" ")
    return first, last


def load_people(people: list[dict[str, Any]], password: str) -> dict[str, User]:
    # One hash for everyone: they share the printed demo password anyway, and hashing 22
    # times with the production hasher would take seconds.
    hashed = make_password(password)
    users = []
    for person in people:
        first, last = _split_name(person["full_name"])
        role = Role(person["role"])
        users.append(
            User(
                username=person["username"],
                first_name=first,
                last_name=last,
                email=person["email"],
                role=role,
                job_title=person.get("job_title", ""),
                password=hashed,
                # Performance officers keep reference data through the Django admin.
                is_staff=role in (Role.PERFORMANCE_OFFICER, Role.SYSTEM_ADMINISTRATOR),
                is_superuser=role == Role.SYSTEM_ADMINISTRATOR,
            )
        )
    return {user.username: user for user in _create(User, users)}


def load_organisation(
    directorates: list[dict[str, Any]], people: list[dict[str, Any]], found: Lookups
) -> None:
    directors = {p["directorate"]: p["username"] for p in people if p.get("directorate")}
    made = _create(
        Directorate,
        [
            Directorate(
                code=d["code"],
                name=d["name"],
                director=found.users.get(directors.get(d["code"], "")),
            )
            for d in directorates
        ],
    )
    by_code = {directorate.code: directorate for directorate in made}
    services = [
        Service(directorate=by_code[d["code"]], code=s["code"], name=s["name"])
        for d in directorates
        for s in d["services"]
    ]
    found.services = {service.code: service for service in _create(Service, services)}


def load_areas(areas: list[dict[str, Any]], found: Lookups) -> None:
    # Parents first: wards point at the area committee areas made before them.
    for wanted_parent in (False, True):
        batch = [
            Area(
                code=a["code"],
                name=a["name"],
                kind=a["kind"],
                parent=found.areas.get(a["parent"] or ""),
            )
            for a in areas
            if bool(a["parent"]) == wanted_parent
        ]
        found.areas.update({area.code: area for area in _create(Area, batch)})


def load_golden_thread(
    outcomes: list[dict[str, Any]], people: list[dict[str, Any]], found: Lookups
) -> None:
    portfolio = {
        code: found.users[p["username"]]
        for p in people
        for code in p.get("portfolio_priorities", [])
    }
    made = _create(
        Outcome, [Outcome(code=o["code"], name=o["name"], order=i) for i, o in enumerate(outcomes)]
    )
    found.outcomes = {outcome.code: outcome for outcome in made}
    priorities = [
        Priority(
            outcome=found.outcomes[o["code"]],
            code=p["code"],
            name=p["name"],
            description=p.get("description", ""),
            order=i,
            lead_member=portfolio.get(p["code"]),
        )
        for o in outcomes
        for i, p in enumerate(o["priorities"])
    ]
    found.priorities = {priority.code: priority for priority in _create(Priority, priorities)}
    objectives = [
        Objective(
            priority=found.priorities[p["code"]],
            service=found.services.get(ob.get("service_code") or ""),
            code=ob["code"],
            name=ob["name"],
        )
        for o in outcomes
        for p in o["priorities"]
        for ob in p["objectives"]
    ]
    found.objectives = {objective.code: objective for objective in _create(Objective, objectives)}


def aggregation_for(row: Row) -> Aggregation:
    """How the periods of a year make the year-end figure.

    The data states the LGBF roll-up for every sub-annual indicator in its calculation guidance
    ("The LGBF annual figure is the sum of the 12 months"); that wins. Otherwise a position
    (snapshot, year to date, rolling 12 months) is read at the year end and anything else
    is averaged.
    """
    guidance = row["calculation_guidance"].lower()
    if "annual figure is the sum" in guidance:
        return Aggregation.SUM
    if "annual figure is the mean" in guidance:
        return Aggregation.AVERAGE
    if row["accumulation"] in ("snapshot", "ytd", "rolling12"):
        return Aggregation.LAST
    return Aggregation.AVERAGE


def _indicator(row: Row, found: Lookups) -> Indicator:
    users = found.users
    return Indicator(
        code=row["code"],
        name=row["name"],
        definition=row["definition"],
        calculation_guidance=row["calculation_guidance"],
        data_source=row["data_source"],
        unit=row["unit"],
        decimals=int(row["decimals"] or 0),
        polarity=row["polarity"],
        frequency=row["frequency"],
        accumulation=row["accumulation"],
        aggregation=aggregation_for(row),
        is_rate=_flag(row["is_rate"]),
        numerator_label=row["numerator_label"],
        denominator_label=row["denominator_label"],
        scope=row["national_or_local"],
        is_context=_flag(row["is_context"]),
        service=found.services.get(row["service_code"]),
        data_owner=users.get(row["data_owner_username"]),
        accountable_officer=users.get(row["accountable_officer_username"]),
        lead_member=users.get(row["lead_member_username"]),
        on_scorecard=_flag(row["on_scorecard"]),
        has_area_breakdown=_flag(row["has_area_breakdown"]),
    )


def _link(relation: Any, owner_field: str, target_field: str, pairs: Iterable[tuple]) -> None:
    """Fill a many-to-many table in one insert (M2M links carry no history here)."""
    through = relation.through
    through.objects.bulk_create(
        [through(**{f"{owner_field}_id": a.pk, f"{target_field}_id": b.pk}) for a, b in pairs]
    )


def load_indicators(rows: list[Row], found: Lookups) -> None:
    made = _create(Indicator, [_indicator(row, found) for row in rows])
    found.indicators = {indicator.code: indicator for indicator in made}
    links = (
        ("outcomes", "outcome", "outcome_codes", found.outcomes),
        ("priorities", "priority", "priority_codes", found.priorities),
        ("objectives", "objective", "objective_codes", found.objectives),
    )
    for relation, target_field, column, lookup in links:
        pairs = [
            (found.indicators[row["code"]], lookup[code])
            for row in rows
            for code in _codes(row[column])
        ]
        _link(getattr(Indicator, relation), "indicator", target_field, pairs)


def load_baskets(baskets: list[dict[str, Any]], found: Lookups) -> None:
    made = _create(
        Basket, [Basket(outcome=found.outcomes[b["outcome_code"]], name=b["name"]) for b in baskets]
    )
    pairs = [
        (basket, found.indicators[code])
        for basket, b in zip(made, baskets, strict=True)
        for code in b["indicator_codes"]
    ]
    _link(Basket.indicators, "basket", "indicator", pairs)


def load_committees(committees: list[dict[str, Any]], found: Lookups) -> None:
    """Committees, their scope, members and meetings.

    indicators.csv's committee_codes column is not loaded separately: it is derived from
    these scopes (priorities plus named indicators), and a test checks the two agree.
    """
    made = _create(
        Committee,
        [
            Committee(
                code=c["code"],
                name=c["name"],
                kind=c["kind"],
                area=found.areas.get(next(iter(c["scope"]["area_codes"]), "")),
            )
            for c in committees
        ],
    )
    pairs = list(zip(made, committees, strict=True))
    _link(
        Committee.scope_priorities,
        "committee",
        "priority",
        [(m, found.priorities[code]) for m, c in pairs for code in c["scope"]["priority_codes"]],
    )
    _link(
        Committee.scope_indicators,
        "committee",
        "indicator",
        [(m, found.indicators[code]) for m, c in pairs for code in c["scope"]["indicator_codes"]],
    )
    memberships = [
        CommitteeMembership(committee=m, user=found.users[p["username"]], is_chair=p["chair"])
        for m, c in pairs
        for p in c["members"]
    ]
    _create(CommitteeMembership, memberships)
    meetings = [
        Meeting(committee=m, date=date.fromisoformat(meeting["date"]))
        for m, c in pairs
        for meeting in c["meetings"]
    ]
    _create(Meeting, meetings)


def _target(row: Row, indicator_row: Row, indicator: Indicator) -> TargetVersion:
    is_band = indicator_row["polarity"] == Polarity.BAND
    return TargetVersion(
        indicator=indicator,
        year=parse_period(row["year"]).year,
        version=1,
        annual_target=_number(row["annual_target"]),
        tolerance=_number(row["tolerance"]),
        tolerance_kind=row["tolerance_kind"],
        # The judgement of a band indicator reads the band from its target version.
        band_lower=_number(indicator_row["band_lower"]) if is_band else None,
        band_upper=_number(indicator_row["band_upper"]) if is_band else None,
        is_illustrative=True,
        basis=row["basis"],
        reason=TARGET_REASON,
    )


def load_targets(rows: list[Row], indicator_rows: list[Row], found: Lookups) -> None:
    # TargetVersion keeps no simple_history table: its versions are its history.
    by_code = {row["code"]: row for row in indicator_rows}
    TargetVersion.objects.bulk_create(
        [
            _target(row, by_code[row["indicator_code"]], found.indicators[row["indicator_code"]])
            for row in rows
        ]
    )


def load_values(rows: list[Row], found: Lookups) -> int:
    values = [
        Value(
            indicator=found.indicators[row["indicator_code"]],
            period=row["period"],
            period_start=parse_period(row["period"]).start,
            value=_number(row["value"]),
            numerator=_number(row["numerator"]),
            denominator=_number(row["denominator"]),
            state=ValueState.PUBLISHED,
        )
        for row in rows
    ]
    return len(
        bulk_create_with_history(values, Value, batch_size=1000, default_change_reason=LOAD_REASON)
    )


def judge_and_publish() -> int:
    """Judge every indicator, then publish: the demo's figures are already public."""
    rejudge()
    # No person published these, so no actor: the reason says where they came from.
    return publish(Judgement.objects.all(), actor=None, reason=PUBLISH_REASON)


def demo_logins(users: Iterable[User] | None = None) -> list[DemoLogin]:
    """The demo's people in role order (everyone in the database when not given)."""
    users = User.objects.all() if users is None else users
    order = {role: i for i, role in enumerate(Role)}
    chosen = sorted(users, key=lambda u: (order[Role(u.role)], u.username))
    return [DemoLogin(u.username, Role(u.role).label, u.get_full_name()) for u in chosen]


def login_table(logins: Iterable[DemoLogin], password: str) -> list[str]:
    """The demo logins as aligned text lines, for the terminal."""
    rows = [("Username", "Role", "Name")]
    rows += [(login.username, login.role, login.name) for login in logins]
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    lines = [f"Demo logins (every password is {password}):"]
    for row in rows:
        line = "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True))
        lines.append(f"  {line}".rstrip())
    return lines
