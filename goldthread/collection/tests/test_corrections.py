"""Corrections after publication: a revision with a reason, checked and published like a
figure, while everyone keeps seeing the published version until it is published."""

import re

import pytest
from django.test import Client

from goldthread.audit.models import AuditEvent
from goldthread.collection.models import Correction, CorrectionState, PublishedVersion
from goldthread.indicators.models import Judgement, Value, ValueState

CORRECT = "/indicators/ENV1/figures/2025-06/correction/"
REASON = "The supplier re-sent the June tonnage"
CORRECTED = {"reason": REASON, "value": "51", "commentary": "Tonnage re-sent.", "action": "submit"}


def _june(world) -> Value:
    return Value.objects.get(indicator=world.recycling, period="2025-06", area__isnull=True)


def _correction(world) -> Correction:
    return Correction.objects.get(figure=_june(world))


def _revision(page: bytes) -> str:
    return re.search(r'name="revision" value="(\d*)"', page.decode())[1]


def _submitted(world, login) -> Correction:
    response = login(world.bob).post(CORRECT, CORRECTED)
    assert response.status_code == 302
    return _correction(world)


def _approved(world, login) -> Correction:
    correction = _submitted(world, login)
    login(world.alice).post(f"/approvals/corrections/{correction.pk}/approve/")
    correction.refresh_from_db()
    return correction


def _published(world, login) -> Correction:
    correction = _approved(world, login)
    login(world.alice).post(f"/approvals/corrections/{correction.pk}/publish/")
    correction.refresh_from_db()
    return correction


def test_bob_starts_a_correction_and_the_published_figure_is_untouched(world, login):
    correction = _submitted(world, login)

    assert (correction.state, correction.value, correction.reason) == ("submitted", 51, REASON)
    june = _june(world)
    assert (june.value, june.state) == (48.0, ValueState.PUBLISHED)
    event = AuditEvent.objects.get(verb="corrected")
    assert (event.reason, event.data["published"], event.data["proposed"]) == (REASON, 48, 51)


def test_a_correction_needs_a_reason(world, login):
    page = login(world.bob).post(CORRECT, {**CORRECTED, "reason": " "}).content.decode()

    assert "Enter why the published figure is being corrected" in page
    assert not Correction.objects.exists()


def test_the_correction_page_starts_from_the_published_figure(world, login):
    page = login(world.bob).get(CORRECT).content.decode()

    assert 'value="48.0"' in page
    assert "Start a correction" in page


@pytest.mark.parametrize("persona", ["dana", "ed", "public"])
def test_members_and_the_public_see_the_published_version_until_the_revision_is_published(
    world, login, persona
):
    _approved(world, login)
    client = login(None if persona == "public" else getattr(world, persona))

    page = client.get("/indicators/ENV1/").content.decode()
    export = client.get("/indicators/ENV1/export.csv").content.decode()

    assert "48.0%" in page and "51.0%" not in page
    assert "a correction is" not in page  # unapproved work is not shown to members
    assert "48" in export and "51" not in export


def test_publishing_the_correction_makes_revision_2_and_keeps_revision_1(world, login):
    _published(world, login)

    june = _june(world)
    assert (june.value, june.state, june.updated_by) == (51.0, ValueState.PUBLISHED, world.alice)
    versions = list(PublishedVersion.objects.filter(figure=june).values_list("number", "value"))
    assert versions == [(1, 48.0), (2, 51.0)]
    assert PublishedVersion.objects.get(figure=june, number=2).reason == REASON
    assert june.history.filter(history_change_reason__startswith="Revised (revision 2)").exists()
    export = Client().get("/indicators/ENV1/export.csv").content.decode()
    assert "51" in export and "48" not in export  # exports carry the current published version


def test_the_judgement_is_re_published_with_the_corrected_figure_and_the_reason(world, login):
    before = Judgement.objects.get(indicator=world.recycling, period="2025-06")
    assert (before.value, before.rag) == (48.0, "amber")

    _published(world, login)

    after = Judgement.objects.get(indicator=world.recycling, period="2025-06")
    assert (after.value, after.rag, after.is_published) == (51.0, "green", True)
    assert after.publish_reason == f"Figure revised: {REASON}"
    assert after.history.filter(value=48.0, is_published=True).exists()  # still on record
    revised = AuditEvent.objects.get(verb="revised")
    assert (revised.data["before"], revised.data["after"], revised.reason) == (48, 51, REASON)


def test_the_indicator_page_says_revised_on_with_the_reason_and_lists_earlier_versions(
    world, login
):
    _published(world, login)

    page = Client().get("/indicators/ENV1/").content.decode()

    assert re.search(r"Revised on \d+ \w+ \d{4}: " + REASON, page)
    assert "Revised figures, with every version that was published" in page
    assert "48.0%" in page and "51.0%" in page
    assert "First published on" in page


def test_approving_or_publishing_a_correction_is_for_the_performance_officer_only(world, login):
    correction = _submitted(world, login)

    bob = login(world.bob)
    assert bob.post(f"/approvals/corrections/{correction.pk}/approve/").status_code == 403
    assert bob.post(f"/approvals/corrections/{correction.pk}/publish/").status_code == 403
    correction.refresh_from_db()
    assert correction.state == CorrectionState.SUBMITTED


def test_a_correction_cannot_be_published_before_it_is_approved(world, login):
    correction = _submitted(world, login)

    alice = login(world.alice)
    response = alice.post(f"/approvals/corrections/{correction.pk}/publish/", follow=True)

    assert "This correction cannot be published: it is submitted." in response.content.decode()
    assert _june(world).value == 48.0


def test_the_approvals_page_lists_corrections_with_both_figures(world, login):
    _submitted(world, login)

    page = login(world.alice).get("/approvals/").content.decode()

    assert "Corrections waiting for approval" in page
    assert REASON in page and "48.0" in page and "51.0" in page


def test_a_returned_correction_goes_back_with_the_reason_and_can_be_changed(world, login):
    correction = _submitted(world, login)
    login(world.alice).post(
        f"/approvals/corrections/{correction.pk}/return/", {"reason": "Which supplier?"}
    )

    bob = login(world.bob)
    page = bob.get(CORRECT)
    assert "Returned for changes: Which supplier?" in page.content.decode()
    bob.post(CORRECT, {**CORRECTED, "value": "50.5", "revision": _revision(page.content)})
    correction.refresh_from_db()
    assert (correction.state, correction.value) == (CorrectionState.SUBMITTED, 50.5)


def test_a_returned_or_unsubmitted_correction_is_on_bobs_updates(world, login):
    correction = _submitted(world, login)
    login(world.alice).post(
        f"/approvals/corrections/{correction.pk}/return/", {"reason": "Which supplier?"}
    )

    page = login(world.bob).get("/my-updates/").content.decode()

    assert "Correction returned" in page and "Which supplier?" in page
    assert 'href="/indicators/ENV1/figures/2025-06/correction/"' in page


def test_returning_a_correction_needs_a_reason(world, login):
    correction = _submitted(world, login)

    page = login(world.alice).post(f"/approvals/corrections/{correction.pk}/return/", {})

    assert "Enter why you are returning this correction" in page.content.decode()


def test_the_second_of_two_people_editing_a_correction_is_told_and_nothing_is_lost(world, login):
    bob = login(world.bob)
    bob.post(CORRECT, {**CORRECTED, "action": "draft"})
    revision = _revision(bob.get(CORRECT).content)
    alice = Client()
    alice.force_login(world.alice)
    alice.post(CORRECT, {**CORRECTED, "value": "52", "revision": revision, "action": "draft"})

    page = bob.post(CORRECT, {**CORRECTED, "value": "53", "revision": revision, "action": "draft"})

    assert "Someone else changed this correction" in page.content.decode()
    assert _correction(world).value == 52


def test_a_submitted_correction_is_locked_and_the_page_says_why(world, login):
    _submitted(world, login)

    bob = login(world.bob)
    page = bob.get(CORRECT).content.decode()
    bob.post(CORRECT, {**CORRECTED, "value": "99"})

    assert "waiting for a performance officer to check it" in page
    assert _correction(world).value == 51


def test_withdrawing_a_correction_leaves_the_published_figure_as_it_was(world, login):
    _submitted(world, login)

    response = login(world.bob).post(CORRECT, {"action": "withdraw"})

    assert response.status_code == 302
    assert _correction(world).state == CorrectionState.WITHDRAWN
    assert _june(world).value == 48.0
    assert login(world.bob).get(CORRECT).status_code == 200  # a new one can be started


@pytest.mark.parametrize(
    ("persona", "url", "status"),
    [
        ("charlie", CORRECT, 403),
        ("dana", CORRECT, 403),
        ("fay", CORRECT, 403),
        ("bob", "/indicators/ENV1/figures/2025-08/correction/", 404),  # a draft, not published
        ("bob", "/indicators/ENV1/figures/2025-07/correction/", 404),  # approved, not published
        ("alice", CORRECT, 200),
    ],
)
def test_only_the_data_owner_and_performance_officer_correct_published_figures(
    world, login, persona, url, status
):
    assert login(getattr(world, persona)).get(url).status_code == status


def test_publishing_a_figure_keeps_it_as_revision_1(world, login):
    july = Value.objects.get(indicator=world.recycling, period="2025-07")

    login(world.alice).post(f"/approvals/{july.pk}/publish/")

    [version] = PublishedVersion.objects.filter(figure=july)
    assert (version.number, version.value, version.rag, version.published_by) == (
        1,
        47.0,
        "red",
        world.alice,
    )


@pytest.mark.parametrize(
    ("persona", "offered"), [("bob", True), ("alice", True), ("charlie", False)]
)
def test_the_indicator_page_offers_a_correction_to_those_who_may_make_one(
    world, login, persona, offered
):
    page = login(getattr(world, persona)).get("/indicators/ENV1/").content.decode()

    link = 'href="/indicators/ENV1/figures/2025-06/correction/"'
    assert (link in page) is offered
    assert 'href="/indicators/ENV1/figures/2025-08/correction/"' not in page  # a draft


def test_the_entry_page_of_a_published_figure_offers_a_correction(world, login):
    page = login(world.bob).get("/indicators/ENV1/figures/2025-06/").content.decode()

    assert "If it is wrong, start a correction" in page
    assert 'href="/indicators/ENV1/figures/2025-06/correction/"' in page
