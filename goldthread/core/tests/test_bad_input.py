"""Malformed addresses and junk input give 404 or a page, never a 500."""

import pytest
from django.http import Http404

from goldthread.analysis.periods import parse_period
from goldthread.core.periods_url import period_from_slug, period_slug

NOT_FOUND = [
    "/indicators/%00/",
    "/indicators/ENV1%00/",
    "/indicators/" + "X" * 5000 + "/",
    "/indicators/%F0%9F%92%A9/",
    "/indicators/ENV1/targets/99999/",
    "/indicators/ENV1/targets/1999/",
    "/indicators/ENV1/targets/99999999999999999999999/",
    "/indicators/ENV1/judgements/not-a-period/republish/",
    "/indicators/ENV1/judgements/fy2025-27/republish/",
    "/indicators/ENV1/judgements/2025-13/republish/",
    "/indicators/ENV1/judgements/fy2025-26-q5/republish/",
    "/indicators/ENV1/judgements/2024-06/republish/",
    "/indicators/ENV1/judgements/%00/republish/",
    "/no-such-page/",
]


@pytest.mark.parametrize("url", NOT_FOUND)
def test_a_malformed_address_is_a_friendly_404_for_alice(world, login, url):
    response = login(world.alice).get(url)

    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


@pytest.mark.parametrize("url", ["/indicators/%00/", "/indicators/" + "X" * 5000 + "/"])
def test_a_malformed_indicator_address_is_a_404_for_the_public(world, client, url):
    assert client.get(url).status_code == 404


@pytest.mark.parametrize(
    "query",
    [
        "?status=purple&directorate=<script>alert(1)</script>",
        "?committee=<script>alert(1)</script>",
        "?status=&directorate=&committee=",
        "?directorate=" + "x" * 5000,
        "?status=red&status=green",
    ],
)
def test_the_scorecard_shrugs_off_junk_filters(world, client, query):
    response = client.get("/scorecard/" + query)

    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in response.content.decode()


def test_junk_in_the_scorecard_filter_comes_back_escaped(world, client):
    body = client.get("/scorecard/?directorate=<script>x</script>").content.decode()

    assert "<script>x</script>" not in body


@pytest.mark.parametrize("query", ["?q=<script>alert(1)</script>", "?q=" + "y" * 5000])
def test_the_indicator_search_shrugs_off_junk(world, client, query):
    response = client.get("/indicators/" + query)

    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in response.content.decode()


@pytest.mark.parametrize(
    "url", ["/scorecard/?directorate=%00", "/indicators/?q=%00", "/indicators/?%00=1", "/?x=a%00b"]
)
def test_a_nul_character_in_the_query_is_a_friendly_400_on_every_database(world, client, url):
    response = client.get(url)

    assert response.status_code == 400
    assert "Sorry, there is a problem with that request" in response.content.decode()


def test_a_nul_character_in_a_form_is_an_error_not_a_500(world, client):
    response = client.post("/sign-in/", {"username": "ali\x00ce", "password": "x"})

    assert response.status_code == 200
    assert "govuk-error-summary" in response.content.decode()


@pytest.mark.parametrize(
    ("slug", "key"),
    [
        ("2025-10", "2025-10"),
        ("2026-03", "2026-03"),
        ("fy2025-26", "2025/26"),
        ("fy1999-00", "1999/00"),
        ("fy2025-26-q1", "2025/26 Q1"),
        ("fy2025-26-q4", "2025/26 Q4"),
    ],
)
def test_a_period_slug_names_its_period_and_back(slug, key):
    period = period_from_slug(slug)

    assert period.key == key
    assert period_slug(parse_period(key)) == slug


@pytest.mark.parametrize(
    "slug",
    [
        "",
        "not-a-period",
        "fy2025-27",
        "fy2025-26-q0",
        "fy2025-26-q5",
        "2025-13",
        "2025-00",
        "2025/26",
        "fy2025-26-Q1",
        "2025-1",
        "\x00",
    ],
)
def test_a_malformed_period_slug_is_a_404(slug):
    with pytest.raises(Http404):
        period_from_slug(slug)
