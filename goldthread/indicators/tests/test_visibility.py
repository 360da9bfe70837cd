"""What each persona must not see: unapproved figures, indicators outside their scope."""

import pytest

from goldthread.indicators.models import Value, ValueState
from goldthread.testing.world import add_values

LISTING_PAGES = ["/", "/scorecard/", "/indicators/", "/golden-thread/"]
APPROVED_UNPUBLISHED = "47.0%"  # ENV1 2025-07
DRAFT = "41.0%"  # ENV1 2025-08


def _page(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("url", [*LISTING_PAGES, "/indicators/ENV1/"])
def test_the_public_never_sees_an_unapproved_or_unpublished_figure(world, client, url):
    body = _page(client, url)

    assert APPROVED_UNPUBLISHED not in body
    assert DRAFT not in body
    assert "Draft figure, not yet checked." not in body


@pytest.mark.parametrize("url", LISTING_PAGES)
def test_the_public_never_sees_an_indicator_that_is_not_public(world, client, url):
    body = _page(client, url)

    assert "INT1" not in body
    assert "Internal staffing measure" not in body


def test_the_public_sees_the_latest_published_figure(world, client):
    assert "48.0%" in _page(client, "/indicators/ENV1/")


def test_dana_sees_the_approved_figure_but_not_the_draft(world, login):
    body = _page(login(world.dana), "/indicators/ENV1/")

    assert APPROVED_UNPUBLISHED in body
    assert DRAFT not in body


@pytest.mark.parametrize("url", [*LISTING_PAGES, "/indicators/ENV1/"])
def test_eds_pages_never_show_indicators_outside_his_committees_scope(world, login, url):
    body = _page(login(world.ed), url)

    for hidden in ("CMP1", "Complaints upheld", "INT1", "Internal staffing measure", "HSG1"):
        assert hidden not in body


def test_ed_sees_approved_figures_in_his_scope_but_never_drafts(world, login):
    body = _page(login(world.ed), "/indicators/ENV1/")

    assert APPROVED_UNPUBLISHED in body
    assert DRAFT not in body


def test_bob_sees_the_draft_on_the_indicator_he_owns(world, login):
    body = _page(login(world.bob), "/indicators/ENV1/")

    assert DRAFT in body
    assert "including figures not yet approved" in body


def test_bob_does_not_see_drafts_on_indicators_he_does_not_own(world, login):
    add_values(world.rent, {"2025/26 Q2": 93.5}, state=ValueState.DRAFT)

    assert "93.5%" not in _page(login(world.bob), "/indicators/HSG1/")


def test_charlie_sees_drafts_in_his_directorate_only(world, login):
    add_values(world.rent, {"2025/26 Q2": 93.5}, state=ValueState.DRAFT)
    client = login(world.charlie)

    assert DRAFT in _page(client, "/indicators/ENV1/")
    assert "93.5%" not in _page(client, "/indicators/HSG1/")


def test_alice_sees_every_draft(world, login):
    add_values(world.rent, {"2025/26 Q2": 93.5}, state=ValueState.DRAFT)
    client = login(world.alice)

    assert DRAFT in _page(client, "/indicators/ENV1/")
    assert "93.5%" in _page(client, "/indicators/HSG1/")


def test_a_figure_corrected_before_approval_never_shows_its_draft_to_members(world, login):
    add_values(world.recycling, {"2025-09": 33.3}, state=ValueState.DRAFT)
    value = Value.objects.get(indicator=world.recycling, period="2025-09")
    value.value, value.state = 44.4, ValueState.APPROVED
    value.save()

    for member in (world.dana, world.ed):
        body = _page(login(member), "/indicators/ENV1/")
        assert "44.4" in body
        assert "33.3" not in body


def test_a_retired_indicator_is_gone_for_everyone(world, login):
    world.recycling.retired_at = "2025-01-01"
    world.recycling.save()

    for person in world.personas().values():
        assert login(person).get("/indicators/ENV1/").status_code == 404
