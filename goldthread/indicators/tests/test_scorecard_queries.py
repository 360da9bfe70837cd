"""The scorecard's query count does not grow with the number of indicators."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from goldthread.analysis.periods import parse_period
from goldthread.indicators.models import Indicator, TargetVersion, Value, ValueState
from goldthread.indicators.services.judging import publish, rejudge
from goldthread.structure.models import Priority

PERIODS = ["2025-04", "2025-05", "2025-06"]


def add_scorecard_indicators(count: int, prefix: str, priority: Priority, service) -> None:
    """`count` monthly scorecard indicators, each with three published figures and a target."""
    indicators = Indicator.objects.bulk_create(
        Indicator(
            code=f"{prefix}{n:04d}",
            name=f"Bulk measure {prefix}{n}",
            unit="percent",
            frequency="monthly",
            service=service,
            on_scorecard=True,
        )
        for n in range(count)
    )
    Indicator.priorities.through.objects.bulk_create(
        Indicator.priorities.through(indicator=i, priority=priority) for i in indicators
    )
    Value.objects.bulk_create(
        Value(
            indicator=i,
            period=key,
            period_start=parse_period(key).start,
            value=40 + n,
            state=ValueState.PUBLISHED,
            commentary="Steady.",
        )
        for i in indicators
        for n, key in enumerate(PERIODS)
    )
    TargetVersion.objects.bulk_create(
        TargetVersion(indicator=i, year=2025, version=1, annual_target=41, reason="Bulk")
        for i in indicators
    )
    rejudge(indicators)
    publish([j for i in indicators for j in i.judgements.all()], actor=None)


def _scorecard(client) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/scorecard/")
    assert response.status_code == 200
    return len(queries), response.content.decode()


@pytest.mark.parametrize("persona", ["public", "alice", "ed"])
def test_the_scorecard_query_count_is_the_same_at_20_and_200_indicators(world, login, persona):
    priority, service = world.recycling.priorities.get(), world.recycling.service
    client = login(None if persona == "public" else getattr(world, persona))
    client.get("/scorecard/")  # the council's name is cached after the first page

    add_scorecard_indicators(20, "A", priority, service)
    at_20, body_20 = _scorecard(client)
    add_scorecard_indicators(180, "B", priority, service)
    at_200, body_200 = _scorecard(client)

    assert sum(f"/indicators/A{n:04d}/" in body_20 for n in range(20)) == 20
    assert sum(f"/indicators/B{n:04d}/" in body_200 for n in range(180)) == 180
    assert at_200 == at_20


def test_the_scorecard_reads_stored_judgements_and_never_writes(world, client):
    with CaptureQueriesContext(connection) as queries:
        client.get("/scorecard/")

    writes = [q["sql"] for q in queries if q["sql"].split()[0] in ("INSERT", "UPDATE", "DELETE")]
    assert writes == []
