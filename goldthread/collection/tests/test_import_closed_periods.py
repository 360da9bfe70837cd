"""A data owner's file held to the collection window: refused row by row, counted in the
database, so a large file is answered without loading its rows into Python (ADR 13)."""

from datetime import date

import pytest
import time_machine

from goldthread.collection import imports
from goldthread.indicators.models import Value, ValueState

TODAY = date(2026, 11, 23)
HEADER = "indicator_code,period,area_code,value,numerator,denominator,commentary\n"


@pytest.fixture(autouse=True)
def _on_a_monday_in_november_2026():
    """September 2025 to January 2026 closed long before this day; November 2026 is open."""
    with time_machine.travel("2026-11-23 10:00 +0000"):
        yield


def _import_as(actor, tmp_path, monkeypatch, rows: str):
    monkeypatch.setattr(imports, "may_import", lambda user: True)
    path = tmp_path / "figures.csv"
    path.write_text(HEADER + rows, encoding="utf-8")
    return imports.import_values(
        path, fmt="csv", actor=actor, dry_run=False, file_name=path.name, today=TODAY
    )


def test_every_closed_row_is_counted_though_only_the_first_are_listed(world, tmp_path, monkeypatch):
    monkeypatch.setattr(imports, "DEFAULT_MAX_PROBLEMS", 2)
    months = ("2025-09", "2025-10", "2025-11", "2025-12", "2026-01")
    closed = "".join(f"ENV1,{month},,50,,,\n" for month in months)

    outcome = _import_as(world.bob, tmp_path, monkeypatch, closed + "ENV1,2026-11,,52,,,\n")

    assert not outcome.written
    assert (outcome.error_count, outcome.rejected) == (5, 5)
    assert [(p.row, p.column) for p in outcome.problems] == [(2, "period"), (3, "period")]
    assert "September 2025 could be entered until" in outcome.problems[0].message
    assert "October 2025 could be entered until" in outcome.problems[1].message
    assert outcome.problems_not_shown == 3
    assert not Value.objects.filter(indicator=world.recycling, period="2026-11").exists()


def test_a_returned_figure_in_a_closed_period_is_answered_by_file(world, tmp_path, monkeypatch):
    august = Value.objects.get(indicator=world.recycling, period="2025-08")
    august.state = ValueState.RETURNED
    august.save()

    outcome = _import_as(world.bob, tmp_path, monkeypatch, "ENV1,2025-08,,61.5,,,Recounted\n")

    assert outcome.written and not outcome.problems
    august.refresh_from_db()
    assert (august.value, august.state) == (61.5, ValueState.SUBMITTED)


def test_a_closed_row_beside_a_returned_one_is_the_only_one_refused(world, tmp_path, monkeypatch):
    august = Value.objects.get(indicator=world.recycling, period="2025-08")
    august.state = ValueState.RETURNED
    august.save()

    outcome = _import_as(
        world.bob, tmp_path, monkeypatch, "ENV1,2025-08,,61.5,,,\nENV1,2025-09,,55,,,\n"
    )

    assert not outcome.written
    assert [(p.row, p.column) for p in outcome.problems] == [(3, "period")]
    assert outcome.rejected == 1
