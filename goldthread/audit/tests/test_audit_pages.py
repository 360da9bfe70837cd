"""The audit trail of an indicator and the council-wide audit log."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re

import pytest
import time_machine
from django.utils import timezone

from goldthread.audit.models import AuditEvent
from goldthread.audit.presenters import LogFilters, indicator_trail, log_events
from goldthread.audit.services import record
from goldthread.indicators.models import Value

pytestmark = pytest.mark.django_db

TRAIL = "/indicators/ENV1/audit/"


def _persona(world, name):
    return None if name == "public" else getattr(world, name)


@pytest.mark.parametrize(
    ("who", "url", "status"),
    [
        ("public", TRAIL, 302),
        ("alice", TRAIL, 200),
        ("bob", TRAIL, 200),
        ("charlie", TRAIL, 200),
        ("dana", TRAIL, 403),
        ("ed", TRAIL, 403),
        ("fay", TRAIL, 200),
        ("dana", "/indicators/INT1/audit/", 404),
        ("ed", "/indicators/CMP1/audit/", 404),
        ("alice", "/indicators/NOPE/audit/", 404),
        ("public", "/audit/", 302),
        ("alice", "/audit/", 200),
        ("bob", "/audit/", 403),
        ("charlie", "/audit/", 403),
        ("dana", "/audit/", 403),
        ("ed", "/audit/", 403),
        ("fay", "/audit/", 200),
        ("bob", "/audit/export.csv", 403),
        ("fay", "/audit/export.csv", 200),
    ],
)
def test_each_role_gets_the_audit_pages_it_should(world, login, who, url, status):
    assert login(_persona(world, who)).get(url).status_code == status


def test_the_indicator_page_links_to_the_trail_for_officers_only(world, login):
    for who, shown in (("alice", True), ("bob", True), ("dana", False), ("public", False)):
        body = login(_persona(world, who)).get("/indicators/ENV1/").content.decode()

        assert (f'href="{TRAIL}"' in body) is shown, who


def test_the_performance_officer_home_links_to_the_log(world, login):
    assert 'href="/audit/"' in login(world.alice).get("/").content.decode()


def _rows(response) -> list[list[str]]:
    """The cells of each row of the page's table body, as text."""
    body = response.content.decode().split('<tbody class="govuk-table__body">', 1)[-1]
    rows = re.findall(r'<tr class="govuk-table__row">(.*?)</tr>', body.split("</tbody>")[0], re.S)
    return [
        [
            re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", cell)).strip()
            for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
        ]
        for row in rows
    ]


def _texts(response) -> list[str]:
    return [row[2] for row in _rows(response)]


def test_the_trail_merges_events_and_history_newest_first(world, login):
    with time_machine.travel(dt.datetime(2030, 1, 5, 12, tzinfo=dt.UTC)):
        record(world.alice, "approved", world.recycling, "Figure for July 2025 approved")
    with time_machine.travel(dt.datetime(2030, 1, 6, 12, tzinfo=dt.UTC)):
        figure = Value.objects.get(indicator=world.recycling, period="2025-06")
        figure.value, figure._change_reason = 48.5, "Corrected a typing error"
        figure.save()

    rows = _rows(login(world.alice).get(TRAIL))

    assert rows[0][1:] == [
        "Changes to figures",
        "Figure for June 2025 changed: 48.5%, published",
        "The system",
        "Corrected a typing error",
    ]
    assert rows[1][1:4] == ["Actions", "Figure for July 2025 approved", "Alice Tester"]
    assert rows[0][0] == "6 January 2030 at midday"
    assert {row[1] for row in rows} == {
        "Actions",
        "Changes to figures",
        "Targets",
        "Published judgements",
        "Indicator details",
    }


def test_the_trail_is_in_time_order(world):
    entries = indicator_trail(world.alice, world.recycling)

    assert [e.at for e in entries] == sorted((e.at for e in entries), reverse=True)


def test_the_trail_shows_draft_history_only_to_those_who_see_drafts(world, login):
    bob = _texts(login(world.bob).get(TRAIL + "?kind=figures"))
    fay = _texts(login(world.fay).get(TRAIL + "?kind=figures"))
    charlie = _texts(login(world.charlie).get("/indicators/HSG1/audit/?kind=figures"))

    assert "Figure for August 2025 created: 41.0%, draft" in bob
    assert "Figure for August 2025 created: 41.0%, draft" in fay
    assert charlie == ["Figure for Q1 2025/26 created: 98.0%, published"]


def test_the_trail_filters_by_kind(world, login):
    response = login(world.alice).get(TRAIL + "?kind=targets")

    assert _texts(response) == ["Target for 2025/26 set to 50.0% (version 1)"]
    assert 'value="targets" selected' in response.content.decode()


def test_the_trail_is_paginated_with_the_filter_kept(world, login):
    # The world already holds a few actions (publication, triggers raised by it): count them.
    already = len(_rows(login(world.alice).get(TRAIL + "?kind=actions")))
    for number in range(30):
        record(world.alice, "saved", world.recycling, f"Figure saved {number}")

    first = login(world.alice).get(TRAIL + "?kind=actions")
    last = login(world.alice).get(TRAIL + "?kind=actions&page=2")

    assert len(_rows(first)) == 25
    assert len(_rows(last)) == already + 30 - 25
    body = first.content.decode()
    assert 'class="govuk-pagination' in body
    assert 'href="?kind=actions&amp;page=2"' in body


@pytest.mark.parametrize(
    "query", ["?page=abc", "?page=99999", "?page=-1", "?kind=nonsense", "?kind=%00", "?page=1.5"]
)
def test_bad_query_parameters_on_the_trail_still_give_a_page(world, login, query):
    # A null character is refused as a bad request before it reaches the view.
    assert login(world.alice).get(TRAIL + query).status_code in (200, 400)


# The council-wide log


def _events(response) -> list[str]:
    """What each listed event was about and what happened, in order."""
    return [row[2] for row in _rows(response)]


def test_the_log_lists_every_event_newest_first(world, login):
    with time_machine.travel(dt.datetime(2030, 1, 5, 12, tzinfo=dt.UTC)):
        record(world.bob, "submitted", world.complaints, "The newest thing")

    events = _events(login(world.alice).get("/audit/"))

    assert events[0] == "CMP1 Complaints upheld The newest thing"
    assert len(events) == AuditEvent.objects.count()
    times = list(log_events(LogFilters()).values_list("at", flat=True))
    assert times == sorted(times, reverse=True)


def test_the_log_filters_by_verb_person_and_dates(world, login):
    with time_machine.travel(dt.datetime(2030, 1, 5, 12, tzinfo=dt.UTC)):
        record(world.bob, "submitted", world.complaints, "Submitted in January")
    with time_machine.travel(dt.datetime(2030, 2, 5, 12, tzinfo=dt.UTC)):
        record(world.bob, "saved", world.complaints, "Saved in February")
    by_bob, later = (
        "CMP1 Complaints upheld Submitted in January",
        "CMP1 Complaints upheld Saved in February",
    )
    client = login(world.alice)

    assert _events(client.get("/audit/?verb=submitted")) == [by_bob]
    assert _events(client.get(f"/audit/?person={world.bob.pk}")) == [later, by_bob]
    dates = "from_day=1&from_month=1&from_year=2030&to_day=31&to_month=1&to_year=2030"
    assert _events(client.get(f"/audit/?{dates}")) == [by_bob]
    assert _events(client.get("/audit/?from_day=1&from_month=2&from_year=2030")) == [later]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("from_day=31&from_month=2&from_year=2025", "Date from must be a real date"),
        ("to_day=1&to_month=13&to_year=2025", "Date to must be a real date"),
        ("from_day=1&from_year=2025", "Date from must include a month"),
        ("from_day=aa&from_month=1&from_year=2025", "Date from must be a real date"),
        ("from_year=20251", "Date from must include a day and month"),
        (
            "from_day=2&from_month=1&from_year=2025&to_day=1&to_month=1&to_year=2025",
            "Date to must be the same as or after date from",
        ),
        ("verb=nonsense", "Choose an action from the list"),
        ("person=abc", "Choose a person from the list"),
    ],
)
def test_the_log_explains_bad_filters_in_an_error_summary(world, login, query, message):
    response = login(world.alice).get(f"/audit/?{query}")

    body = response.content.decode()
    assert response.status_code == 400
    assert "<title>Error: Audit log" in body
    assert "govuk-error-summary" in body
    assert message in body


@pytest.mark.parametrize("query", ["?page=abc", "?page=99999", "?page=", "?unknown=1"])
def test_bad_page_numbers_on_the_log_still_give_a_page(world, login, query):
    assert login(world.alice).get(f"/audit/{query}").status_code == 200


def test_the_log_is_paginated_with_the_filters_kept(world, login):
    for number in range(60):
        record(world.alice, "saved", world.recycling, f"Figure saved {number}")

    response = login(world.alice).get("/audit/?verb=saved&page=3")

    assert len(_rows(response)) == 10
    assert 'href="?verb=saved&amp;page=2"' in response.content.decode()
    assert 'href="/audit/export.csv?verb=saved"' in response.content.decode()


def test_the_log_links_each_indicator_to_its_trail(world, login):
    body = login(world.fay).get("/audit/").content.decode()

    assert f'href="{TRAIL}"' in body


def _csv(response) -> list[list[str]]:
    assert response.content.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_the_log_export_is_filtered_and_neutralised(world, login):
    record(
        world.alice,
        "returned",
        world.recycling,
        "Figure for July 2025 returned",
        reason='=HYPERLINK("http://evil.example","Click")',
    )

    response = login(world.alice).get("/audit/export.csv?verb=returned")

    rows = _csv(response)
    assert rows[0] == ["Testshire Council: audit log"]
    header = rows.index(["When", "Action", "About", "What happened", "Who", "Reason"])
    data = rows[header + 1 :]
    assert len(data) == 1
    assert data[0][1] == "Figure returned for changes"
    assert data[0][5] == '\'=HYPERLINK("http://evil.example","Click")'
    today = timezone.localdate().isoformat()
    assert response["Content-Disposition"] == (
        f'attachment; filename="testshire-council-audit-log-{today}.csv"'
    )


def test_the_log_export_refuses_bad_filters(world, login):
    assert login(world.alice).get("/audit/export.csv?to_month=13").status_code == 400
