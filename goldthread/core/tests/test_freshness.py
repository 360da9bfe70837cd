"""Cached pages never outlive the data they show."""

from goldthread.core.freshness import current_generation
from goldthread.indicators.models import Indicator
from goldthread.indicators.services.judging import republish
from goldthread.indicators.services.targets import TargetChange, set_target


def test_saving_any_business_record_moves_the_generation(world):
    before = current_generation()
    Indicator.objects.filter(pk=world.recycling.pk).first().save()
    assert current_generation() > before


def _cells(page: bytes) -> str:
    return "".join(page.decode().split())


def test_a_new_target_shows_on_the_cached_scorecard_at_once(world, client):
    assert 'numeric">28</td>' in _cells(client.get("/scorecard/").content)
    set_target(
        world.complaints,
        TargetChange(year=2024, annual_target=20, reason="Cabinet raised the bar"),
        actor=world.alice,
    )
    republish(world.complaints, "2024/25", actor=world.alice, reason="New target agreed")
    cells = _cells(client.get("/scorecard/").content)
    assert 'numeric">20</td>' in cells
    assert 'numeric">28</td>' not in cells


def test_people_who_see_different_things_never_share_a_cached_scorecard(world, login):
    public = login(None).get("/scorecard/").content.decode()
    alice = login(world.alice).get("/scorecard/").content.decode()
    ed = login(world.ed).get("/scorecard/").content.decode()
    assert "47.0%" in alice and "47.0%" not in public
    assert "Complaints upheld" not in ed and "Complaints upheld" in alice
