"""A small, complete council for tests: every role, every kind of indicator, every state.

Personas: Alice (performance officer), Bob (data owner), Charlie (director), Dana (cabinet
member), Ed (committee member), Fay (system administrator). The public is not signed in.
"""

from __future__ import annotations

from dataclasses import dataclass

from goldthread.accounts.models import Role, User
from goldthread.analysis.periods import parse_period
from goldthread.committees.models import Committee, CommitteeKind, CommitteeMembership, Meeting
from goldthread.indicators.models import Indicator, Value, ValueState
from goldthread.indicators.services.judging import publish, rejudge
from goldthread.indicators.services.targets import TargetChange, set_target
from goldthread.structure.models import (
    Area,
    AreaKind,
    Council,
    Directorate,
    Objective,
    Outcome,
    Priority,
    Service,
)

PASSWORD = "correct-horse-battery"


@dataclass
class World:
    alice: User
    bob: User
    charlie: User
    dana: User
    ed: User
    fay: User
    recycling: Indicator  # monthly, higher is better, on the scorecard, in Ed's committee scope
    complaints: Indicator  # annual, lower is better, owned by Bob, not in Ed's scope
    rent: Indicator  # quarterly, band, other directorate
    population: Indicator  # context indicator
    hidden: Indicator  # not public
    committee: Committee

    def personas(self) -> dict[str, User | None]:
        return {
            "performance_officer": self.alice,
            "data_owner": self.bob,
            "director": self.charlie,
            "cabinet_member": self.dana,
            "committee_member": self.ed,
            "system_administrator": self.fay,
            "public": None,
        }


def make_user(username: str, role: Role, first: str, **extra) -> User:
    user = User.objects.create_user(
        username=username,
        password=PASSWORD,
        role=role,
        first_name=first,
        last_name="Tester",
        email=f"{username}@example.org",
        **extra,
    )
    return user


def add_values(
    indicator: Indicator, values: dict[str, float], state=ValueState.PUBLISHED, commentary: str = ""
) -> None:
    for key, value in values.items():
        Value.objects.create(
            indicator=indicator,
            period=key,
            period_start=parse_period(key).start,
            value=value,
            state=state,
            commentary=commentary,
        )


def build_world() -> World:
    Council.objects.create(name="Testshire Council", short_name="Testshire", ons_code="E06000999")
    alice = make_user("alice", Role.PERFORMANCE_OFFICER, "Alice", is_staff=True)
    bob = make_user("bob", Role.DATA_OWNER, "Bob")
    charlie = make_user("charlie", Role.DIRECTOR, "Charlie")
    dana = make_user("dana", Role.CABINET_MEMBER, "Dana")
    ed = make_user("ed", Role.COMMITTEE_MEMBER, "Ed")
    fay = make_user("fay", Role.SYSTEM_ADMINISTRATOR, "Fay", is_staff=True, is_superuser=True)

    place = Directorate.objects.create(code="place", name="Place", director=charlie)
    people = Directorate.objects.create(code="people", name="People")
    waste = Service.objects.create(directorate=place, code="waste", name="Waste")
    housing = Service.objects.create(directorate=people, code="housing", name="Housing")
    Area.objects.create(code="W01", name="North ward", kind=AreaKind.WARD)
    green = Outcome.objects.create(code="green", name="A greener place", order=1)
    recycle_more = Priority.objects.create(
        outcome=green, code="recycle", name="Recycle more", lead_member=dana, order=1
    )
    homes = Outcome.objects.create(code="homes", name="Good homes", order=2)
    fair_rents = Priority.objects.create(outcome=homes, code="rents", name="Fair rents", order=1)
    Objective.objects.create(
        priority=recycle_more, service=waste, code="kerb", name="Kerbside recycling"
    )

    recycling = Indicator.objects.create(
        code="ENV1",
        name="Household waste recycled",
        unit="percent",
        decimals=1,
        polarity="higher",
        frequency="monthly",
        accumulation="in_period",
        aggregation="average",
        service=waste,
        data_owner=bob,
        on_scorecard=True,
    )
    recycling.priorities.add(recycle_more)
    recycling.outcomes.add(green)
    complaints = Indicator.objects.create(
        code="CMP1",
        name="Complaints upheld",
        unit="number",
        polarity="lower",
        frequency="annual",
        accumulation="in_period",
        aggregation="sum",
        service=waste,
        data_owner=bob,
        on_scorecard=True,
    )
    rent = Indicator.objects.create(
        code="HSG1",
        name="Rent collected",
        unit="percent",
        decimals=1,
        polarity="band",
        frequency="quarterly",
        accumulation="in_period",
        service=housing,
        on_scorecard=True,
    )
    rent.priorities.add(fair_rents)
    population = Indicator.objects.create(
        code="CTX1",
        name="Population",
        unit="number",
        polarity="none",
        frequency="annual",
        is_context=True,
        on_scorecard=True,
    )
    hidden = Indicator.objects.create(
        code="INT1",
        name="Internal staffing measure",
        unit="number",
        polarity="higher",
        frequency="annual",
        is_public=False,
        service=housing,
    )

    committee = Committee.objects.create(
        code="osc", name="Overview and Scrutiny", kind=CommitteeKind.SCRUTINY
    )
    committee.scope_priorities.add(recycle_more)
    CommitteeMembership.objects.create(committee=committee, user=ed, is_chair=True)
    Meeting.objects.create(committee=committee, date=parse_period("2025-10").start)

    add_values(
        recycling,
        {"2025-04": 50.0, "2025-05": 52.0, "2025-06": 48.0},
        commentary="Garden waste season ended early.",
    )
    add_values(recycling, {"2025-07": 47.0}, state=ValueState.APPROVED)
    add_values(
        recycling,
        {"2025-08": 41.0},
        state=ValueState.DRAFT,
        commentary="Draft figure, not yet checked.",
    )
    add_values(complaints, {"2023/24": 30, "2024/25": 25})
    add_values(rent, {"2025/26 Q1": 98.0})
    add_values(population, {"2023/24": 90000, "2024/25": 91000})
    add_values(hidden, {"2024/25": 12})

    set_target(
        recycling,
        TargetChange(year=2025, annual_target=50.0, tolerance=5.0, reason="Agreed by cabinet"),
        actor=alice,
    )
    set_target(
        complaints, TargetChange(year=2024, annual_target=28, reason="Corporate plan"), actor=alice
    )
    set_target(
        rent,
        TargetChange(
            year=2025, annual_target=None, band_lower=97.0, band_upper=99.0, reason="Budget"
        ),
        actor=alice,
    )
    rejudge()
    publish(
        [j for j in recycling.judgements.all() if j.period != "2025-07"]
        + list(complaints.judgements.all())
        + list(rent.judgements.all())
        + list(population.judgements.all())
        + list(hidden.judgements.all()),
        actor=alice,
    )
    return World(
        alice,
        bob,
        charlie,
        dana,
        ed,
        fay,
        recycling,
        complaints,
        rent,
        population,
        hidden,
        committee,
    )
