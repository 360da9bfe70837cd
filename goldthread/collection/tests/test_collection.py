"""Entering, submitting, checking and publishing figures, as each persona would."""

import re

import pytest
import time_machine
from django.test import Client

from goldthread.audit.models import AuditEvent
from goldthread.indicators.models import Judgement, Value, ValueState

ENTER = "/indicators/ENV1/figures/2025-09/"
ON_TARGET = {"value": "55", "action": "draft"}
OFF_TARGET = {
    "value": "30",
    "commentary": "Crews were short after the depot fire.",
    "action": "submit",
}
ACTION = {
    "action_commentary": "Two agency crews hired.",
    "action_due_day": "31",
    "action_due_month": "3",
    "action_due_year": "2027",
}


@pytest.fixture(autouse=True)
def _during_septembers_collection_window():
    """September 2025's window is open from 1 to 21 October 2025; these tests enter figures
    as they would then. Closed windows are tested in test_windows.py."""
    with time_machine.travel("2025-10-08 10:00 +0100"):
        yield


def _figure(world, period="2025-09") -> Value:
    return Value.objects.get(indicator=world.recycling, period=period, area__isnull=True)


def _revision(page: bytes) -> str:
    return re.search(r'name="revision" value="(\d*)"', page.decode())[1]


def test_bob_saves_a_draft_that_is_on_target_without_an_action(world, login):
    response = login(world.bob).post(ENTER, ON_TARGET)
    assert response.status_code == 302
    figure = _figure(world)
    assert (figure.value, figure.state, figure.updated_by) == (55, ValueState.DRAFT, world.bob)
    assert AuditEvent.objects.filter(verb="saved", object_id=str(world.recycling.pk)).exists()


def test_an_off_target_figure_must_say_what_is_being_done_and_by_when(world, login):
    page = login(world.bob).post(ENTER, OFF_TARGET).content.decode()
    assert "<title>Error:" in page
    assert "Enter what is being done to bring the result back on target" in page
    assert "Enter the date the action is due" in page
    assert not Value.objects.filter(indicator=world.recycling, period="2025-09").exists()


def test_an_off_target_figure_with_its_action_is_submitted(world, login):
    response = login(world.bob).post(ENTER, {**OFF_TARGET, **ACTION})
    assert response.status_code == 302
    figure = _figure(world)
    assert figure.state == ValueState.SUBMITTED
    assert figure.action_due.isoformat() == "2027-03-31"


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("1,234", "Value must be a number, like 45 or 45.5, with no commas"),
        ("45%", "Value must be a number"),
        ("", "Enter the value, or the numerator and denominator"),
    ],
)
def test_a_value_that_is_not_a_plain_number_is_refused(world, login, value, message):
    page = login(world.bob).post(ENTER, {"value": value, "action": "draft"}).content.decode()
    assert message in page


def test_the_second_of_two_people_editing_at_once_is_told_and_nothing_is_lost(world, login):
    first = login(world.bob)
    first.post(ENTER, ON_TARGET)
    revision = _revision(first.get(ENTER).content)
    alice = Client()
    alice.force_login(world.alice)
    alice.post(ENTER, {"value": "56", "revision": revision, "action": "draft"})
    page = first.post(ENTER, {"value": "57", "revision": revision, "action": "draft"})
    assert "Someone else changed this figure" in page.content.decode()
    assert _figure(world).value == 56


def test_a_submitted_figure_is_locked_and_the_page_says_why(world, login):
    client = login(world.bob)
    client.post(ENTER, {**OFF_TARGET, **ACTION})
    page = client.get(ENTER).content.decode()
    assert "waiting for a performance officer to check it" in page
    client.post(ENTER, {"value": "99", "action": "draft"})
    assert _figure(world).value == 30


def test_alice_approves_then_publishes_and_the_public_sees_it_only_then(world, login):
    login(world.bob).post(ENTER, {**OFF_TARGET, **ACTION})
    figure = _figure(world)
    alice = login(world.alice)
    alice.post(f"/approvals/{figure.pk}/approve/")
    judgement = Judgement.objects.get(indicator=world.recycling, period="2025-09")
    assert (judgement.rag, judgement.is_published) == ("red", False)
    assert "30.0%" not in Client().get("/indicators/ENV1/").content.decode()
    alice.post(f"/approvals/{figure.pk}/publish/")
    judgement.refresh_from_db()
    assert judgement.is_published
    assert "30.0%" in Client().get("/indicators/ENV1/").content.decode()


def test_a_returned_figure_goes_back_to_bob_with_the_reason(world, login):
    login(world.bob).post(ENTER, {**OFF_TARGET, **ACTION})
    figure = _figure(world)
    login(world.alice).post(f"/approvals/{figure.pk}/return/", {"reason": "Check the tonnage"})
    figure.refresh_from_db()
    assert (figure.state, figure.returned_reason) == (ValueState.RETURNED, "Check the tonnage")
    bob = login(world.bob)
    assert "Check the tonnage" in bob.get(ENTER).content.decode()
    assert "Returned for changes" in bob.get("/my-updates/").content.decode()


def test_returning_needs_a_reason(world, login):
    login(world.bob).post(ENTER, {**OFF_TARGET, **ACTION})
    figure = _figure(world)
    page = login(world.alice).post(f"/approvals/{figure.pk}/return/", {"reason": ""})
    assert "Enter why you are returning this figure" in page.content.decode()
    figure.refresh_from_db()
    assert figure.state == ValueState.SUBMITTED


@pytest.mark.parametrize(
    ("persona", "url", "status"),
    [
        ("charlie", ENTER, 403),  # a director, not the data owner
        ("dana", ENTER, 403),
        ("ed", ENTER, 403),
        ("bob", "/indicators/CTX1/figures/fy2025-26/", 403),  # context: nothing to enter here
        ("bob", "/indicators/ENV1/figures/fy2025-26/", 404),  # wrong frequency
        ("bob", "/indicators/ENV1/figures/2099-01/", 404),  # in the future
        ("dana", "/my-updates/", 403),
        ("ed", "/my-updates/", 403),
        ("bob", "/my-updates/", 200),
        ("bob", "/approvals/", 403),
        ("fay", "/approvals/", 403),
        ("alice", "/approvals/", 200),
    ],
)
def test_only_the_right_people_enter_and_check_figures(world, login, persona, url, status):
    assert login(getattr(world, persona)).get(url).status_code == status


def test_the_public_is_asked_to_sign_in_before_entering_figures(world, client):
    assert client.get(ENTER).status_code == 302


def test_my_updates_lists_what_bob_must_enter_now(world, login):
    # October 2026's figures open on 2 November and are due ten working days later.
    with time_machine.travel("2026-11-05 12:00 +0000"):
        page = login(world.bob).get("/my-updates/").content.decode()
    assert "Household waste recycled" in page and "October 2026" in page
    assert "Population" not in page  # context indicators are not collected here


def test_my_updates_is_empty_between_collection_windows(world, login):
    with time_machine.travel("2026-11-27 12:00 +0000"):
        page = login(world.bob).get("/my-updates/").content.decode()
    assert "You have nothing to enter at the moment" in page


def test_an_implausible_figure_must_be_confirmed_and_is_flagged(world, login):
    client = login(world.bob)
    # The world has four months of figures; a jump needs at least six to judge by.
    for n, month in enumerate(["2024-10", "2024-11", "2024-12", "2025-01", "2025-02", "2025-03"]):
        Value.objects.create(
            indicator=world.recycling,
            period=month,
            period_start=f"{month}-01",
            value=50.0 + n % 2,
            state=ValueState.PUBLISHED,
        )
    jump = {"value": "95", "action": "draft"}
    page = client.post(ENTER, jump).content.decode()
    assert "well outside the usual range" in page
    assert "Check the warnings about this figure, then confirm it is right" in page
    assert not Value.objects.filter(indicator=world.recycling, period="2025-09").exists()
    response = client.post(ENTER, {**jump, "confirm_warnings": "on"})
    assert response.status_code == 302
    assert _figure(world).quality_flags == ["implausible_jump"]


def test_negative_days_are_refused_outright(world, login):
    world.recycling.unit = "days"
    world.recycling.save()
    page = login(world.bob).post(ENTER, {"value": "-2", "action": "draft"}).content.decode()
    assert "A number of days cannot be negative" in page


def test_a_percentage_from_numerator_and_denominator_is_the_ratio_times_100(world, login):
    world.recycling.is_rate = True
    world.recycling.save()
    response = login(world.bob).post(
        ENTER, {"numerator": "55", "denominator": "100", "action": "draft"}
    )
    assert response.status_code == 302
    assert _figure(world).value == 55.0
