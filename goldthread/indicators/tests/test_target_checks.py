"""Target quality checks on the target page: errors stop a target, warnings need a tick."""

import pytest

from goldthread.indicators.models import TargetVersion, Value, ValueState
from goldthread.testing.world import add_values

TARGET_URL = "/indicators/ENV1/targets/2025/"
COMPLAINTS_URL = "/indicators/CMP1/targets/2025/"


def _post(client, url: str, **fields):
    data = {"tolerance_kind": "percent", "reason": "Agreed by cabinet", **fields}
    return client.post(url, data)


def _versions(indicator) -> int:
    return TargetVersion.objects.filter(indicator=indicator, year=2025).count()


@pytest.fixture
def recycling_history(world):
    """A year of recycling figures around 50%, enough history to judge a target by."""
    months = ["2024-04", "2024-05", "2024-06", "2024-07", "2024-08", "2024-09"]
    add_values(world.recycling, {m: 49.0 + n % 3 for n, m in enumerate(months)})
    return world


def test_a_percentage_target_over_100_is_refused_with_a_message_naming_the_field(world, login):
    page = _post(login(world.alice), TARGET_URL, annual_target="120").content.decode()

    assert "<title>Error:" in page
    assert "The annual target must be 100% or less" in page
    assert 'href="#id_annual_target"' in page
    assert _versions(world.recycling) == 1


def test_a_negative_count_is_refused(world, login):
    page = _post(login(world.alice), COMPLAINTS_URL, annual_target="-3").content.decode()

    assert "The annual target cannot be negative" in page
    assert not TargetVersion.objects.filter(indicator=world.complaints, year=2025).exists()


def test_a_band_end_outside_the_possible_range_names_that_end(world, login):
    page = _post(
        login(world.alice), "/indicators/HSG1/targets/2025/", band_lower="97", band_upper="101"
    ).content.decode()

    assert "The highest value in the band must be 100% or less" in page


def test_a_zero_target_where_zero_never_occurs_must_be_confirmed(world, login):
    client = login(world.alice)

    page = _post(client, TARGET_URL, annual_target="0").content.decode()

    assert "The annual target is 0. Check this is meant: the figure has never been 0." in page
    assert "Check the warnings about this target, then confirm it is right" in page
    assert _versions(world.recycling) == 1
    response = _post(client, TARGET_URL, annual_target="0", confirm_warnings="on")
    assert response.status_code == 302
    assert _versions(world.recycling) == 2


def test_a_target_far_out_of_line_with_history_warns_with_the_range(recycling_history, login):
    client = login(recycling_history.alice)

    page = _post(client, TARGET_URL, annual_target="5").content.decode()

    assert "The annual target of 5.0% is far from every figure so far (47.0% to 52.0%" in page
    assert _versions(recycling_history.recycling) == 1


def test_a_target_in_line_with_history_needs_no_confirmation(recycling_history, login):
    response = _post(login(recycling_history.alice), TARGET_URL, annual_target="53")

    assert response.status_code == 302
    assert _versions(recycling_history.recycling) == 2


def test_figures_not_yet_approved_are_not_history(world, login):
    Value.objects.filter(indicator=world.recycling).update(state=ValueState.DRAFT)

    response = _post(login(world.alice), TARGET_URL, annual_target="5")

    assert response.status_code == 302  # nothing approved: nothing to be out of line with
