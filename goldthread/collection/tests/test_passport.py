"""The passport on the indicator page: last validated (when, who, what was checked) and the
open data-quality issues, kept with their history."""

import pytest
from django.test import Client

from goldthread.audit.models import AuditEvent
from goldthread.collection.models import KnownIssue, Validation
from goldthread.indicators.models import Value

PAGE = "/indicators/ENV1/"
VALIDATE = "/indicators/ENV1/passport/validate/"
NEW_ISSUE = "/indicators/ENV1/issues/new/"


def test_an_indicator_never_validated_says_so(world):
    page = Client().get(PAGE).content.decode()

    assert "Last validated" in page and "Not validated yet" in page
    assert "No known issues" in page


def test_alice_records_a_validation_and_everyone_sees_when_and_who(world, login):
    response = login(world.alice).post(VALIDATE, {"text": "Checked the MRF returns for Q1"})

    assert response.status_code == 302
    assert response["Location"] == "/indicators/ENV1/#passport"
    page = Client().get(PAGE).content.decode()
    assert "by Alice Tester" in page and "Checked the MRF returns for Q1" in page
    validation = Validation.objects.get()
    assert validation.history.count() == 1
    assert AuditEvent.objects.filter(verb="validated").exists()


def test_a_validation_needs_a_note(world, login):
    page = login(world.alice).post(VALIDATE, {"text": "  "}).content.decode()

    assert "Enter what you checked" in page
    assert not Validation.objects.exists()


def test_a_known_issue_is_listed_until_it_is_resolved(world, login):
    alice = login(world.alice)
    alice.post(NEW_ISSUE, {"text": "Trade waste is double counted before May 2025"})
    issue = KnownIssue.objects.get()
    assert "Trade waste is double counted" in Client().get(PAGE).content.decode()

    alice.post(f"/indicators/ENV1/issues/{issue.pk}/resolve/", {"text": "Figures re-run"})

    issue.refresh_from_db()
    assert (issue.resolved_by, issue.resolution) == (world.alice, "Figures re-run")
    assert "Trade waste is double counted" not in Client().get(PAGE).content.decode()
    assert issue.history.count() == 2
    assert AuditEvent.objects.filter(verb="issue_resolved", reason="Figures re-run").exists()


def test_a_resolved_issue_cannot_be_resolved_again(world, login):
    alice = login(world.alice)
    alice.post(NEW_ISSUE, {"text": "Late returns"})
    issue = KnownIssue.objects.get()
    alice.post(f"/indicators/ENV1/issues/{issue.pk}/resolve/", {"text": "Done"})

    assert alice.get(f"/indicators/ENV1/issues/{issue.pk}/resolve/").status_code == 404


def test_figures_saved_with_warnings_are_listed_as_issues_for_those_who_see_them(world, login):
    Value.objects.filter(indicator=world.recycling, period="2025-06").update(
        quality_flags=["implausible_jump"]
    )
    Value.objects.filter(indicator=world.recycling, period="2025-08").update(
        quality_flags=["unexpected_zero"]
    )

    public = Client().get(PAGE).content.decode()
    bob = login(world.bob).get(PAGE).content.decode()

    assert "June 2025: 48.0% was saved with a data-quality warning (well outside" in public
    assert "August 2025" not in public.split("Known data issues")[1].split("</dl>")[0]
    assert "August 2025: 41.0% was saved with a data-quality warning (0, which" in bob


@pytest.mark.parametrize("persona", ["bob", "charlie", "dana", "ed", "fay"])
def test_only_the_performance_officer_changes_the_passport(world, login, persona):
    client = login(getattr(world, persona))

    assert client.post(VALIDATE, {"text": "x"}).status_code == 403
    assert client.post(NEW_ISSUE, {"text": "x"}).status_code == 403
    assert "Record a validation" not in client.get(PAGE).content.decode()
    assert not Validation.objects.exists() and not KnownIssue.objects.exists()
