"""Collection windows: data owners are shut out once a period closes, until a performance
officer reopens it with a reason; files obey the same rule."""

from datetime import date

import pytest
import time_machine

from goldthread.analysis.periods import parse_period
from goldthread.audit.models import AuditEvent
from goldthread.collection import imports, windows
from goldthread.collection.models import Reopening
from goldthread.indicators.models import Value, ValueState

ENTER = "/indicators/ENV1/figures/2025-09/"
REOPEN = "/reopened-periods/"
FIGURE = {"value": "55", "action": "draft"}
TODAY = date(2026, 11, 23)


@pytest.fixture(autouse=True)
def _on_a_monday_in_november_2026():
    """September 2025's window closed on 21 October 2025, long before this day."""
    with time_machine.travel("2026-11-23 10:00 +0000"):
        yield


def _saved(world) -> bool:
    return Value.objects.filter(indicator=world.recycling, period="2025-09").exists()


def _reopen(client, **fields):
    data = {"indicator": "ENV1", "period": "2025-09", "reason": "Late invoices from the MRF"}
    return client.post(REOPEN, {**data, **fields})


def test_after_the_window_closes_bob_is_told_why_and_who_to_ask(world, login):
    bob = login(world.bob)

    page = bob.get(ENTER).content.decode()
    bob.post(ENTER, FIGURE)

    assert "You cannot enter this figure." in page
    assert "Figures for September 2025 could be entered until 21 October 2025" in page
    assert "Ask a performance officer (Alice Tester) to reopen the period" in page
    assert 'name="value"' not in page
    assert not _saved(world)


def test_the_performance_officer_may_still_enter_a_closed_period_and_is_told(world, login):
    alice = login(world.alice)

    page = alice.get(ENTER).content.decode()
    response = alice.post(ENTER, FIGURE)

    assert "closed on 21 October 2025. As a performance officer you can still enter" in page
    assert "Reopen September 2025 for data owners" in page
    assert response.status_code == 302 and _saved(world)


def test_alice_reopens_the_period_and_bob_can_enter_it(world, login):
    response = _reopen(login(world.alice), until_day="4", until_month="12", until_year="2026")
    assert response.status_code == 302

    bob = login(world.bob)
    page = bob.get(ENTER).content.decode()
    assert "Reopened by Alice Tester on 23 November 2026 until 4 December 2026: Late" in page
    assert bob.post(ENTER, FIGURE).status_code == 302
    assert _saved(world)
    event = AuditEvent.objects.get(verb="reopened")
    assert event.reason == "Late invoices from the MRF"
    assert event.description == "September 2025 reopened until 4 December 2026"


def test_a_reopened_period_is_on_my_updates(world, login):
    _reopen(login(world.alice))

    page = login(world.bob).get("/my-updates/").content.decode()

    assert "September 2025" in page and "Reopened: Late invoices from the MRF" in page
    assert "No end date" in page


def test_reopening_every_indicator_for_a_period_lets_each_in(world, login):
    _reopen(login(world.alice), indicator="")

    assert login(world.bob).post(ENTER, FIGURE).status_code == 302
    reopening = Reopening.objects.get()
    assert (reopening.indicator, reopening.frequency) == (None, "monthly")


def test_a_reopening_ends_after_its_last_day(world, login):
    _reopen(login(world.alice), until_day="24", until_month="11", until_year="2026")

    with time_machine.travel("2026-11-25 09:00 +0000"):
        login(world.bob).post(ENTER, FIGURE)

    assert not _saved(world)


def test_closing_it_again_shuts_bob_out_and_is_audited(world, login):
    alice = login(world.alice)
    _reopen(alice)
    reopening = Reopening.objects.get()
    alice.post(f"/reopened-periods/{reopening.pk}/close/", {"reason": "All in"})

    login(world.bob).post(ENTER, FIGURE)

    assert not _saved(world)
    reopening.refresh_from_db()
    assert (reopening.closed_by, reopening.closed_reason) == (world.alice, "All in")
    assert AuditEvent.objects.filter(verb="closed", reason="All in").exists()
    assert "Earlier reopenings" in login(world.alice).get(REOPEN).content.decode()


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"reason": ""}, "Enter why you are reopening this period"),
        ({"period": ""}, "Enter the period to reopen"),
        ({"period": "Sept"}, "Enter the period like 2025-09 (a month)"),
        ({"period": "2025/26 Q2"}, "ENV1 is collected monthly: enter a month like 2025-09"),
        ({"period": "2026-11"}, "November 2026 is still open until"),
        (
            {"until_day": "1", "until_month": "11", "until_year": "2026"},
            "The last day must be today or later",
        ),
        ({"until_day": "31", "until_month": "2", "until_year": "2027"}, "must be a real date"),
    ],
)
def test_a_reopening_that_cannot_be_made_says_why(world, login, fields, message):
    page = _reopen(login(world.alice), **fields).content.decode()

    assert message in page
    assert not Reopening.objects.exists()


def test_a_figure_returned_after_the_window_closed_can_still_be_changed(world, login):
    august = Value.objects.get(indicator=world.recycling, period="2025-08")
    august.state = ValueState.RETURNED
    august.save()

    response = login(world.bob).post("/indicators/ENV1/figures/2025-08/", FIGURE)

    assert response.status_code == 302


def test_the_entry_page_for_alice_links_to_reopen_with_the_period_filled_in(world, login):
    page = login(world.alice).get(f"{REOPEN}?indicator=ENV1&period=2025-09").content.decode()

    assert 'value="2025-09"' in page
    assert '<option value="ENV1" selected>' in page


def test_imported_rows_for_a_closed_period_are_refused_for_data_owners(world):
    indicator = world.recycling.pk
    rows = [
        (2, indicator, "2025-09", ""),
        (3, indicator, "2026-11", ""),
        (4, indicator, "2025-08", "returned"),
    ]

    problems = windows.closed_problems(world.bob, rows, TODAY)

    assert [row for row, _message in problems] == [2]
    assert "could be entered until 21 October 2025" in problems[0][1]
    assert windows.closed_problems(world.alice, rows, TODAY) == []


def test_imported_rows_for_a_reopened_period_are_accepted(world, login):
    _reopen(login(world.alice))

    rows = [(2, world.recycling.pk, "2025-09", "")]

    assert windows.closed_problems(world.bob, rows, TODAY) == []


def test_reopened_periods_are_found_for_each_indicator_in_one_go(world, login):
    _reopen(login(world.alice))
    _reopen(login(world.alice), indicator="", period="2025/26 Q1", reason="Rent audit")

    found = windows.reopened_periods([world.recycling, world.rent, world.complaints], TODAY)

    assert list(found[world.recycling.pk]) == [parse_period("2025-09")]
    assert list(found[world.rent.pk]) == [parse_period("2025/26 Q1")]
    assert found[world.complaints.pk] == {}


def _import_as(actor, tmp_path, monkeypatch, rows: str):
    """Import a file as this person, as if data owners could upload their own template."""
    monkeypatch.setattr(imports, "may_import", lambda user: True)
    path = tmp_path / "figures.csv"
    header = "indicator_code,period,area_code,value,numerator,denominator,commentary\n"
    path.write_text(header + rows, encoding="utf-8")
    return imports.import_values(
        path, fmt="csv", actor=actor, dry_run=False, file_name=path.name, today=TODAY
    )


def test_a_data_owners_file_for_a_closed_period_is_refused_whole(world, tmp_path, monkeypatch):
    outcome = _import_as(
        world.bob, tmp_path, monkeypatch, "ENV1,2025-09,,55,,,\nENV1,2026-11,,52,,,\n"
    )

    assert not outcome.written
    assert [(p.row, p.column) for p in outcome.problems] == [(2, "period")]
    assert "could be entered until 21 October 2025" in outcome.problems[0].message
    assert not Value.objects.filter(indicator=world.recycling, period="2025-09").exists()


def test_a_data_owners_file_for_a_reopened_period_is_stored(world, login, tmp_path, monkeypatch):
    _reopen(login(world.alice))

    outcome = _import_as(world.bob, tmp_path, monkeypatch, "ENV1,2025-09,,55,,,\n")

    assert outcome.written and not outcome.problems
    assert _saved(world)
