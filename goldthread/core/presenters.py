"""What each role's home page shows: the few things that person needs first."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from goldthread.accounts.models import Role
from goldthread.committees.models import Meeting
from goldthread.indicators import access
from goldthread.indicators.models import Judgement, Rag, TargetVersion
from goldthread.indicators.presenters.lists import IndicatorLine, indicator_lines
from goldthread.structure.models import Directorate


@dataclass
class HomePage:
    template: str
    heading: str
    lines: list[IndicatorLine] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    extra: dict = field(default_factory=dict)


def _counts(lines: list[IndicatorLine]) -> dict[str, int]:
    counter = Counter(line.rag for line in lines)
    return {rag.value: counter.get(rag.value, 0) for rag in Rag}


def home_for(user) -> HomePage:
    role = getattr(user, "role", None) if user.is_authenticated else None
    builder = _BUILDERS[role]
    return builder(user)


def _public(user) -> HomePage:
    lines = indicator_lines(user, access.indicators_for(user).filter(on_scorecard=True))
    return HomePage("public", "How the council is performing", lines, _counts(lines))


def _performance_officer(user) -> HomePage:
    lines = indicator_lines(user, access.indicators_for(user))
    with_targets = TargetVersion.objects.values("indicator_id").distinct()
    missing_targets = (
        access.indicators_for(user)
        .filter(is_context=False)
        .exclude(pk__in=with_targets)
        .order_by("code")
    )
    off_target = [line for line in lines if line.rag == Rag.RED]
    return HomePage(
        "performance_officer",
        "Performance overview",
        off_target,
        _counts(lines),
        {"missing_targets": list(missing_targets[:50]), "total": len(lines)},
    )


def _data_owner(user) -> HomePage:
    lines = indicator_lines(user, access.indicators_for(user).filter(data_owner=user))
    return HomePage("data_owner", "Your indicators", lines, _counts(lines))


def _director(user) -> HomePage:
    directorates = list(Directorate.objects.filter(director=user))
    chosen = access.indicators_for(user).filter(service__directorate__in=directorates)
    lines = indicator_lines(user, chosen)
    return HomePage(
        "director",
        "Your directorate's performance",
        lines,
        _counts(lines),
        {"directorates": directorates},
    )


def _cabinet_member(user) -> HomePage:
    portfolio = access.indicators_for(user).filter(priorities__lead_member=user).distinct()
    lines = indicator_lines(user, portfolio)
    priorities = list(user.portfolio_priorities.all())
    return HomePage(
        "cabinet_member", "Your portfolio", lines, _counts(lines), {"priorities": priorities}
    )


def _committee_member(user) -> HomePage:
    lines = indicator_lines(user, access.indicators_for(user))
    memberships = list(user.committee_memberships.select_related("committee"))
    meetings = Meeting.objects.filter(
        committee__in=[m.committee for m in memberships]
    ).select_related("committee")
    return HomePage(
        "committee_member",
        "Your committees' performance",
        lines,
        _counts(lines),
        {"memberships": memberships, "meetings": list(meetings)},
    )


def _system_administrator(user) -> HomePage:
    return HomePage(
        "system_administrator",
        "Administration",
        extra={
            "judgements": Judgement.objects.count(),
        },
    )


_BUILDERS = {
    None: _public,
    Role.PERFORMANCE_OFFICER: _performance_officer,
    Role.DATA_OWNER: _data_owner,
    Role.DIRECTOR: _director,
    Role.CABINET_MEMBER: _cabinet_member,
    Role.COMMITTEE_MEMBER: _committee_member,
    Role.SYSTEM_ADMINISTRATOR: _system_administrator,
}
