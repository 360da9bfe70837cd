"""The judgement rules page: only performance officers change thresholds, and published
judgements keep the rules they were published with."""

import pytest

from goldthread.indicators.models import Judgement, RuleSet

URL = "/settings/judgement-rules/"
NEW_RULES = {
    "default_tolerance": "50",
    "default_tolerance_kind": "percent",
    "direction_threshold": "0",
    "reason": "Audit committee asked for a wider amber band",
}


@pytest.mark.parametrize("persona", ["bob", "charlie", "dana", "ed", "fay"])
def test_only_a_performance_officer_may_open_the_rules(world, login, persona):
    assert login(getattr(world, persona)).get(URL).status_code == 403


def test_the_public_is_asked_to_sign_in(world, client):
    response = client.get(URL)
    assert response.status_code == 302 and "/sign-in/" in response["Location"]


def test_alice_makes_a_new_version_with_her_reason(world, login):
    response = login(world.alice).post(URL, NEW_RULES)
    assert response.status_code == 302
    newest = RuleSet.objects.order_by("-version").first()
    assert (newest.version, newest.default_tolerance, newest.created_by) == (2, 50, world.alice)
    assert newest.reason == NEW_RULES["reason"]


def test_new_rules_leave_published_judgements_alone(world, login):
    published = {j.pk: (j.rag, j.rules_id) for j in Judgement.objects.filter(is_published=True)}
    login(world.alice).post(URL, NEW_RULES)
    for judgement in Judgement.objects.filter(pk__in=published):
        assert (judgement.rag, judgement.rules_id) == published[judgement.pk]


def test_new_rules_apply_to_unpublished_judgements(world, login):
    login(world.alice).post(URL, NEW_RULES)
    july = Judgement.objects.get(indicator=world.recycling, period="2025-07")
    assert july.rules.version == 2


def test_a_missing_reason_is_shown_in_the_error_summary(world, login):
    response = login(world.alice).post(URL, {**NEW_RULES, "reason": ""})
    page = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error:" in page and 'href="#id_reason"' in page
    assert RuleSet.objects.count() == 1


def test_a_tolerance_that_is_not_a_number_is_refused(world, login):
    response = login(world.alice).post(URL, {**NEW_RULES, "default_tolerance": "five"})
    assert "Default tolerance must be a number" in response.content.decode()
