"""Clinic pages through the test client: forms name the field that is wrong, never a 500,
and each step lands back on the clinic's page with what changed."""

from __future__ import annotations

import pytest
import time_machine

from goldthread.clinics.models import ActionStatus, Clinic, ClinicState
from goldthread.clinics.tests import helpers

pytestmark = pytest.mark.django_db


def _body(response) -> str:
    return response.content.decode()


def test_requesting_with_nothing_filled_in_names_every_missing_field(world, login):
    response = login(world.alice).post("/clinics/request/", {})

    body = _body(response)
    assert response.status_code == 200
    assert "There is a problem" in body
    for message in (
        "Choose the kind of clinic",
        "Enter a title",
        "Enter why a clinic is needed",
        "Choose at least one indicator the clinic is about",
    ):
        assert message in body
    assert not Clinic.objects.exists()


def test_requesting_a_clinic_opens_its_page(world, login):
    client = login(world.bob)
    form = client.get("/clinics/request/?indicator=ENV1")
    assert f'value="{world.recycling.pk}" checked' in _body(form)

    response = client.post(
        "/clinics/request/",
        {
            "kind": "managerial",
            "title": "Recycling",
            "reason": "Below target for three months",
            "indicators": [world.recycling.pk],
        },
        follow=True,
    )

    assert response.redirect_chain[-1][0] == "/clinics/PC-0001/"
    assert "PC-0001 requested: Recycling" in _body(response)


def test_a_data_owner_is_offered_only_the_kinds_they_may_request(world, login):
    body = _body(login(world.bob).get("/clinics/request/"))

    assert 'value="managerial"' in body
    assert 'value="planned_challenge"' not in body


def test_a_kind_the_person_may_not_request_is_refused_with_a_message(world, login):
    response = login(world.bob).post(
        "/clinics/request/",
        {
            "kind": "planned_challenge",
            "title": "t",
            "reason": "r",
            "indicators": [world.recycling.pk],
        },
    )

    assert response.status_code == 200
    assert "Choose a kind of clinic you may request" in _body(response)
    assert Clinic.objects.count() == 0


def test_scheduling_with_a_date_that_does_not_exist_says_so(world, login):
    clinic = helpers.managerial(world)

    response = login(world.alice).post(
        f"/clinics/{clinic.reference}/schedule/",
        {
            "day_day": "31",
            "day_month": "2",
            "day_year": "2026",
            "start": "25:00",
            "location": "Room 1",
            "chair": world.charlie.pk,
        },
    )

    body = _body(response)
    assert "The date of the clinic must be a real date" in body
    assert 'href="#id_day_day"' in body
    assert "Enter the start time in hours and minutes" in body
    clinic.refresh_from_db()
    assert clinic.state == ClinicState.REQUESTED


def test_scheduling_a_clinic_sets_its_date_and_chair(world, login):
    clinic = helpers.managerial(world)

    response = login(world.alice).post(
        f"/clinics/{clinic.reference}/schedule/",
        {
            "day_day": "10",
            "day_month": "9",
            "day_year": "2025",
            "start": "14:30",
            "location": "Room 1",
            "chair": world.charlie.pk,
        },
        follow=True,
    )

    clinic.refresh_from_db()
    assert (clinic.state, clinic.chair) == (ClinicState.SCHEDULED, world.charlie)
    assert "10 September 2025 at 2:30pm" in _body(response)


def test_a_member_chair_for_a_managerial_clinic_is_not_offered(world, login):
    clinic = helpers.managerial(world)

    body = _body(login(world.alice).get(f"/clinics/{clinic.reference}/schedule/"))

    assert f'value="{world.charlie.pk}"' in body
    assert f'value="{world.dana.pk}"' not in body


def _held(world) -> Clinic:
    return helpers.held(world, helpers.scheduled(world, helpers.managerial(world)))


def test_recording_minutes_in_the_future_is_refused(world, login):
    clinic = helpers.scheduled(world, helpers.managerial(world))

    response = login(world.alice).post(
        f"/clinics/{clinic.reference}/minutes/record/",
        {"held_on_day": "1", "held_on_month": "1", "held_on_year": "2099", "minutes": "x"},
    )

    assert "must be today or in the past" in _body(response)
    clinic.refresh_from_db()
    assert clinic.state == ClinicState.SCHEDULED


def test_the_chair_records_minutes_and_decisions(world, login):
    clinic = helpers.scheduled(world, helpers.managerial(world))
    answers = {f"answer_{item.pk}": "Yes" for item in clinic.agenda.all()}

    login(world.charlie).post(
        f"/clinics/{clinic.reference}/minutes/record/",
        {
            "held_on_day": "10",
            "held_on_month": "9",
            "held_on_year": "2025",
            "minutes": "Discussed.",
            "decisions": "Agree a plan\n\nReport monthly",
            **answers,
        },
    )

    clinic.refresh_from_db()
    assert clinic.state == ClinicState.HELD and clinic.minutes_by == world.charlie
    assert clinic.decisions.count() == 2


def test_adding_an_action_with_no_date_names_the_date(world, login):
    clinic = _held(world)

    response = login(world.alice).post(
        f"/clinics/{clinic.reference}/actions/add/",
        {"description": "Relaunch", "owner": world.bob.pk, "status": "not_started"},
    )

    assert "Enter the date it is due" in _body(response)
    assert not clinic.actions.exists()


def test_dropping_an_action_needs_a_reason(world, login):
    clinic = helpers.with_action(world, _held(world))
    fields = {
        "description": "Relaunch",
        "owner": world.bob.pk,
        "due_on_day": "1",
        "due_on_month": "12",
        "due_on_year": "2025",
        "status": "dropped",
    }

    response = login(world.alice).post(f"/clinics/{clinic.reference}/actions/1/", fields)

    assert "Enter why the panel dropped this action" in _body(response)
    assert clinic.actions.get().status == ActionStatus.NOT_STARTED


@time_machine.travel("2025-11-01 09:00", tick=False)
def test_the_action_owner_writes_the_monthly_update(world, login):
    clinic = helpers.with_action(world, _held(world))
    action = clinic.actions.get()
    client = login(world.bob)
    assert "Write the update" in _body(client.get("/clinics/my-actions/"))

    client.post(
        f"/clinics/{clinic.reference}/updates/new/",
        {
            "due_on": "2025-10-10",
            "summary": "Relaunched in two wards",
            f"status_{action.pk}": "in_progress",
            f"note_{action.pk}": "Half done",
        },
    )

    update = clinic.updates.get()
    assert (update.written_by, update.due_on.isoformat()) == (world.bob, "2025-10-10")
    action.refresh_from_db()
    assert action.status == ActionStatus.IN_PROGRESS


def test_an_update_for_a_date_not_due_is_refused(world, login):
    clinic = helpers.with_action(world, _held(world))

    response = login(world.bob).post(
        f"/clinics/{clinic.reference}/updates/new/", {"due_on": "2031-01-01", "summary": "x"}
    )

    assert "Choose an update date from the list" in _body(response)
    assert not clinic.updates.exists()


def test_the_outcome_page_warns_when_exit_criteria_are_not_met(world, login):
    clinic = helpers.with_action(world, _held(world))

    body = _body(login(world.alice).get(f"/clinics/{clinic.reference}/outcome/"))

    assert "The exit criteria are not all met" in body


def test_recording_that_the_panel_is_satisfied_closes_the_clinic(world, login):
    clinic = _held(world)

    login(world.alice).post(
        f"/clinics/{clinic.reference}/outcome/",
        {"outcome": "satisfied", "summary": "Recycling is back on target for three months now."},
    )

    clinic.refresh_from_db()
    assert clinic.state == ClinicState.CLOSED


def test_publishing_shows_the_outcome_to_the_public(world, login, client):
    clinic = helpers.planned_challenge(world)
    helpers.held(world, helpers.scheduled(world, clinic, chair=world.ed))
    login(world.alice).post(
        f"/clinics/{clinic.reference}/outcome/",
        {
            "outcome": "referred_to_cabinet",
            "summary": "Red for two quarters.",
            "cabinet_recommendations": "Fund a relaunch.",
        },
    )
    assert login(None).get(f"/challenge-events/{clinic.reference}/").status_code == 404

    login(world.alice).post(f"/clinics/{clinic.reference}/publish/")

    body = _body(login(None).get(f"/challenge-events/{clinic.reference}/"))
    assert "Fund a relaunch." in body


def test_the_pack_shows_the_indicator_chart_table_and_commentary(world, login):
    clinic = helpers.managerial(world)

    body = _body(login(world.alice).get(f"/clinics/{clinic.reference}/pack/"))

    assert "ENV1 Household waste recycled" in body
    assert 'id="pack-chart-1-title"' in body
    assert "ENV1 values against target" in body
    assert "Garden waste season ended early." in body
    assert "Have targets been met?" in body


def test_members_see_only_approved_figures_in_a_pack(world, login):
    clinic = helpers.planned_challenge(world)

    body = _body(login(world.ed).get(f"/clinics/{clinic.reference}/pack/"))

    assert "Draft figure, not yet checked." not in body
    assert "Garden waste season ended early." in body


def test_the_pack_downloads_as_word_and_pdf(world, login):
    clinic = helpers.managerial(world)
    client = login(world.alice)

    word = client.get(f"/clinics/{clinic.reference}/pack.docx")
    pdf = client.get(f"/clinics/{clinic.reference}/pack.pdf")

    assert word.status_code == 200 and word.content[:2] == b"PK"
    assert "pc-0001-clinic-pack.docx" in word["Content-Disposition"]
    assert pdf.status_code == 200 and pdf.content[:5] == b"%PDF-"


def test_the_clinic_page_shows_officers_its_history_with_reasons(world, login):
    clinic = helpers.managerial(world)

    body = _body(login(world.bob).get(f"/clinics/{clinic.reference}/"))

    assert "History" in body
    assert "Managerial performance clinic requested: Household waste recycled" in body
    assert "Reason: Below target since June" in body


def test_a_cabinet_member_is_not_shown_internal_managerial_clinics_in_the_list(world, login):
    managerial = helpers.managerial(world)
    planned = helpers.planned_challenge(world)

    body = _body(login(world.dana).get("/clinics/"))

    assert f"({planned.reference})" in body
    assert f"({managerial.reference})" not in body


def test_a_held_challenge_event_offers_to_record_its_scrutiny_recommendations(world, login):
    clinic = helpers.planned_challenge(world)
    helpers.held(world, helpers.scheduled(world, clinic, chair=world.ed))

    body = _body(login(world.ed).get(f"/clinics/{clinic.reference}/"))

    assert "Record a recommendation from this event" in body
    assert "No recommendations have been recorded from this event yet." in body


def test_the_minutes_download_as_word_and_pdf_with_the_action_plan(world, login):
    clinic = helpers.with_action(world, _held(world))
    client = login(world.charlie)

    page = _body(client.get(f"/clinics/{clinic.reference}/minutes/"))
    word = client.get(f"/clinics/{clinic.reference}/minutes.docx")
    pdf = client.get(f"/clinics/{clinic.reference}/minutes.pdf")

    assert "Relaunch garden waste collections" in page
    assert "Agree the recovery plan" in page
    assert word.status_code == 200 and word.content[:2] == b"PK"
    assert pdf.status_code == 200 and pdf.content[:5] == b"%PDF-"
