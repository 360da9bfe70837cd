"""The indicator page offers to start a plan or ask for a clinic only to those who may, as the
improvement and clinics apps' access decisions say."""

from __future__ import annotations

import re

import pytest

from goldthread.improvement import services

pytestmark = pytest.mark.django_db

START = 'href="/improvement-plans/new/?indicator=ENV1"'
REQUEST = 'href="/clinics/request/?indicator=ENV1"'


@pytest.mark.parametrize(
    ("persona", "starts_plan", "requests_clinic"),
    [
        ("alice", True, True),
        ("bob", True, True),
        ("charlie", True, True),
        ("dana", False, True),
        ("ed", False, True),
        ("fay", False, False),
    ],
)
def test_the_indicator_page_links_to_a_plan_and_a_clinic_for_those_who_may(
    world, login, persona, starts_plan, requests_clinic
):
    page = login(getattr(world, persona)).get("/indicators/ENV1/").content.decode()

    assert (START in page) is starts_plan
    assert (REQUEST in page) is requests_clinic


def test_the_start_link_goes_once_a_plan_is_under_way(world, login):
    services.start_plan(world.recycling, by=world.bob)

    page = login(world.alice).get("/indicators/ENV1/").content.decode()

    assert START not in page
    assert REQUEST in page


def test_the_links_open_their_forms_with_the_indicator_chosen(world, login):
    client = login(world.bob)

    plan_form = client.get("/improvement-plans/new/?indicator=ENV1").content.decode()
    clinic_form = client.get("/clinics/request/?indicator=ENV1").content.decode()

    assert '<option value="ENV1" selected>' in plan_form
    ticked = re.search(r'value="(\d+)" checked>\s*<label[^>]*>\s*ENV1 ', clinic_form)
    assert ticked and ticked.group(1) == str(world.recycling.pk)


def test_the_public_sees_neither_link(world, login):
    page = login(None).get("/indicators/ENV1/").content.decode()

    assert START not in page and REQUEST not in page
