"""Setting a target and re-publishing a judgement through the pages, valid and invalid."""

import re

from goldthread.indicators.models import Judgement, TargetVersion

TARGET_URL = "/indicators/ENV1/targets/2025/"
REPUBLISH_URL = "/indicators/ENV1/judgements/2025-06/republish/"


def _title(response) -> str:
    return re.search(r"<title>(.*?)</title>", response.content.decode(), re.S)[1].strip()


def test_alice_setting_a_target_makes_version_2_with_her_reason(world, login):
    response = login(world.alice).post(
        TARGET_URL, {"annual_target": "55", "tolerance_kind": "percent", "reason": "Cabinet 3 Oct"}
    )

    assert response.status_code == 302
    latest = TargetVersion.objects.filter(indicator=world.recycling, year=2025).latest("version")
    assert (latest.version, latest.annual_target, latest.reason) == (2, 55.0, "Cabinet 3 Oct")
    assert latest.created_by == world.alice


def test_alice_sees_the_new_version_on_the_indicator_page(world, login):
    client = login(world.alice)
    client.post(TARGET_URL, {"annual_target": "55", "tolerance_kind": "percent", "reason": "Why"})

    assert "saved as version 2" in client.get("/indicators/ENV1/").content.decode()


def test_the_form_starts_from_the_current_target(world, login):
    body = login(world.alice).get(TARGET_URL).content.decode()

    assert 'value="50.0"' in body


def test_bob_cannot_set_a_target_even_on_his_own_indicator(world, login):
    response = login(world.bob).post(
        TARGET_URL, {"annual_target": "1", "tolerance_kind": "percent", "reason": "Mine"}
    )

    assert response.status_code == 403
    assert TargetVersion.objects.filter(indicator=world.recycling, year=2025).count() == 1


def test_the_public_posting_a_target_is_sent_to_sign_in(world, client):
    response = client.post(TARGET_URL, {"annual_target": "1", "reason": "x"})

    assert response.status_code == 302
    assert TargetVersion.objects.filter(indicator=world.recycling, year=2025).count() == 1


def test_an_invalid_target_shows_the_error_summary_linking_to_each_field(world, login):
    response = login(world.alice).post(
        TARGET_URL, {"annual_target": "lots", "tolerance_kind": "percent", "reason": ""}
    )

    body = response.content.decode()
    assert response.status_code == 200
    assert _title(response).startswith("Error: ")
    assert "govuk-error-summary" in body
    assert 'href="#id_annual_target"' in body
    assert "Annual target must be a number, like 55 or 12.5" in body
    assert 'href="#id_reason"' in body
    assert "Enter why you are changing the target" in body
    assert TargetVersion.objects.filter(indicator=world.recycling, year=2025).count() == 1


def test_a_valid_form_page_has_no_error_prefix(world, login):
    assert not _title(login(world.alice).get(TARGET_URL)).startswith("Error")


def test_an_infinite_target_is_refused_not_saved(world, login):
    response = login(world.alice).post(
        TARGET_URL, {"annual_target": "1e999", "tolerance_kind": "percent", "reason": "x"}
    )

    assert response.status_code == 200
    assert _title(response).startswith("Error: ")


def test_a_band_needs_both_ends_in_order(world, login):
    response = login(world.alice).post(
        "/indicators/HSG1/targets/2025/",
        {"band_lower": "99", "band_upper": "97", "tolerance_kind": "percent", "reason": "x"},
    )

    assert 'href="#id_band_upper"' in response.content.decode()


def test_an_unknown_tolerance_kind_is_an_error_not_a_500(world, login):
    response = login(world.alice).post(
        TARGET_URL, {"annual_target": "5", "tolerance_kind": "<b>", "reason": "x"}
    )

    assert response.status_code == 200
    assert "<b>" not in response.content.decode().split("govuk-error-summary")[1][:2000]


def test_republishing_needs_a_reason(world, login):
    response = login(world.alice).post(REPUBLISH_URL, {"reason": "  "})

    body = response.content.decode()
    assert response.status_code == 200
    assert _title(response).startswith("Error: ")
    assert 'href="#id_reason"' in body
    assert "Enter why you are re-publishing this judgement" in body


def test_alice_republishes_a_judgement_with_her_reason(world, login):
    response = login(world.alice).post(REPUBLISH_URL, {"reason": "Target corrected"})

    judgement = Judgement.objects.get(indicator=world.recycling, period="2025-06")
    assert response.status_code == 302
    assert (judgement.publish_reason, judgement.published_by) == ("Target corrected", world.alice)


def test_dana_cannot_republish(world, login):
    response = login(world.dana).post(REPUBLISH_URL, {"reason": "Because"})

    assert response.status_code == 403
    assert Judgement.objects.get(indicator=world.recycling, period="2025-06").publish_reason == ""


def test_a_nul_character_in_a_reason_is_a_form_error_not_a_500(world, login):
    response = login(world.alice).post(REPUBLISH_URL, {"reason": "bad\x00reason"})

    assert response.status_code == 200
    assert _title(response).startswith("Error: ")
