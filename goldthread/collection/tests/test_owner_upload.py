"""Data owners upload their own figures: the template or a CSV, limited to their indicators."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from goldthread.audit.models import AuditEvent
from goldthread.collection import imports
from goldthread.collection.import_scope import may_upload_own, scope_for
from goldthread.collection.imports import ImportNotAllowed, import_values, may_import
from goldthread.collection.owner_import import import_own_figures
from goldthread.indicators.models import Value, ValueState

HEADER = "indicator_code,period,area_code,value,numerator,denominator,commentary"
NOW = "2026-04-15 12:00"  # March 2026 and the year 2025/26 are open; October 2025 has closed


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def uploads(settings, tmp_path):
    settings.GOLDTHREAD_UPLOAD_DIR = tmp_path / "uploads"
    return settings.GOLDTHREAD_UPLOAD_DIR


def _csv(rows: list[str]) -> bytes:
    return ("\n".join([HEADER, *rows]) + "\n").encode()


def _import(actor, rows: list[str], *, dry_run: bool = False):
    return import_own_figures(
        io.BytesIO(_csv(rows)), fmt="csv", actor=actor, dry_run=dry_run, file_name="mine.csv"
    )


def _errors(outcome) -> list[str]:
    return [str(p) for p in outcome.problems if p.is_error]


# --- Who may upload what ---------------------------------------------------------------------


def test_a_data_owner_may_upload_the_figures_they_may_enter_and_no_others(world):
    assert scope_for(world.bob).codes == {"ENV1", "CMP1"}
    assert may_upload_own(world.bob)
    for persona in (world.charlie, world.dana, world.ed, world.fay):
        assert not may_upload_own(persona), persona.username


def test_a_context_indicator_is_never_in_a_data_owners_scope(world):
    world.population.data_owner = world.bob
    world.population.save()
    scope = scope_for(world.bob)
    assert "CTX1" not in scope.codes and "CTX1" in scope.context_codes


def test_a_data_owner_reaches_the_import_only_with_their_scope_and_never_to_approve(
    world, tmp_path
):
    path = tmp_path / "figures.csv"
    path.write_text(f"{HEADER}\nENV1,2026-03,,52,,,\n", encoding="utf-8")
    assert not may_import(world.bob) and may_import(world.alice)
    with pytest.raises(ImportNotAllowed):
        import_values(path, fmt="csv", actor=world.bob, dry_run=True, file_name="f.csv")
    scope = scope_for(world.bob)
    with pytest.raises(ImportNotAllowed, match="never approved"):
        import_values(
            path,
            fmt="csv",
            actor=world.bob,
            dry_run=False,
            file_name="f.csv",
            scope=scope,
            approve=True,
        )
    outcome = import_values(
        path, fmt="csv", actor=world.bob, dry_run=True, file_name="f.csv", scope=scope
    )
    assert outcome.ok and outcome.added == 1


def test_someone_who_enters_no_figures_cannot_upload_any(world):
    for persona in (world.charlie, world.dana):
        with pytest.raises(ImportNotAllowed):
            _import(persona, ["ENV1,2026-03,,52,,,"])
    assert not Value.objects.filter(period="2026-03").exists()


# --- What an upload does ---------------------------------------------------------------------


def test_bobs_figures_are_stored_as_submitted_and_the_audit_event_names_him(world):
    outcome = _import(world.bob, ["ENV1,2026-03,,52.5,,,Garden waste back", "CMP1,2025/26,,21,,,"])

    assert outcome.ok and outcome.written, _errors(outcome)
    assert not outcome.approve
    stored = Value.objects.filter(period__in=("2026-03", "2025/26"), area=None)
    assert {(v.indicator.code, v.value, v.state, v.updated_by) for v in stored} == {
        ("ENV1", 52.5, ValueState.SUBMITTED, world.bob),
        ("CMP1", 21, ValueState.SUBMITTED, world.bob),
    }
    event = AuditEvent.objects.get(verb="imported")
    assert event.actor == world.bob
    assert "mine.csv" in event.description and "submitted for approval" in event.description


def test_a_row_for_someone_elses_indicator_names_the_row_column_and_code_and_stores_nothing(
    world,
):
    before = Value.objects.count()
    outcome = _import(
        world.bob, ["ENV1,2026-03,,52.5,,,", "HSG1,2025/26 Q4,,98,,,", "CMP1,2025/26,,21,,,"]
    )

    assert _errors(outcome) == [
        "row 3, column indicator_code: You are not the data owner for HSG1, so you cannot "
        "upload its figures. Delete the row, or ask the performance team."
    ]
    assert (outcome.rejected, outcome.written) == (1, False)
    assert Value.objects.count() == before


def test_a_code_written_in_lower_case_is_still_recognised_as_someone_elses(world):
    outcome = _import(world.bob, ["hsg1,2025/26 Q4,,98,,,"])
    assert "You are not the data owner for HSG1" in _errors(outcome)[0]


def test_a_context_indicator_row_says_its_figures_come_from_the_performance_team(world):
    world.population.data_owner = world.bob
    world.population.save()
    outcome = _import(world.bob, ["CTX1,2025/26,,92000,,,"])
    assert _errors(outcome) == [
        "row 2, column indicator_code: CTX1 is a context indicator, so its figures come from "
        "the performance team rather than a data owner. Delete the row, or ask the "
        "performance team."
    ]


def test_an_unknown_code_is_still_told_there_is_no_such_indicator(world):
    outcome = _import(world.bob, ["NOPE1,2026-03,,1,,,"])
    assert "There is no indicator with the code" in _errors(outcome)[0]


def test_a_closed_collection_window_refuses_bobs_row_and_stores_nothing(world):
    outcome = _import(world.bob, ["ENV1,2026-03,,52.5,,,", "ENV1,2025-10,,44,,,"])

    [error] = [p for p in outcome.problems if p.is_error]
    assert (error.row, error.column) == (3, "period")
    assert "October 2025 could be entered until" in error.message
    assert not Value.objects.filter(period__in=("2026-03", "2025-10")).exists()


def test_a_figure_returned_to_bob_in_a_closed_period_can_be_answered_by_upload(world):
    Value.objects.filter(indicator=world.recycling, period="2025-08").update(
        state=ValueState.RETURNED
    )
    outcome = _import(world.bob, ["ENV1,2025-08,,61.5,,,Recounted"])
    assert outcome.written, _errors(outcome)
    figure = Value.objects.get(indicator=world.recycling, period="2025-08", area=None)
    assert (figure.value, figure.state) == (61.5, ValueState.SUBMITTED)


def test_a_reopened_period_accepts_bobs_upload(world):
    from goldthread.analysis.periods import parse_period
    from goldthread.collection.windows import ReopenRequest, reopen

    request = ReopenRequest(parse_period("2025-10"), "Late tickets", indicator=world.recycling)
    reopen(request, actor=world.alice, today=parse_period("2026-04").start.replace(day=15))
    outcome = _import(world.bob, ["ENV1,2025-10,,44,,,"])
    assert outcome.written, _errors(outcome)


def test_the_same_closed_period_is_open_to_the_performance_team(world):
    outcome = imports.import_values(
        io.BytesIO(_csv(["ENV1,2025-10,,44,,,"])),
        fmt="csv",
        actor=world.alice,
        dry_run=True,
        file_name="team.csv",
    )
    assert outcome.ok, _errors(outcome)


def test_an_approved_figure_is_refused_and_a_published_one_too(world):
    outcome = _import(world.bob, ["ENV1,2025-07,,49,,,", "ENV1,2025-06,,49,,,"])
    said = " ".join(_errors(outcome))
    assert "is approved, so a file cannot change it" in said
    assert "is published, so a file cannot change it" in said
    assert Value.objects.get(indicator=world.recycling, period="2025-07").value == 47


def test_a_dry_run_checks_but_writes_nothing(world):
    outcome = _import(world.bob, ["ENV1,2026-03,,52.5,,,"], dry_run=True)
    assert outcome.ok and outcome.added == 1 and not outcome.written
    assert not Value.objects.filter(period="2026-03").exists()


def test_bobs_own_template_is_read_back_and_blank_rows_are_left_alone(world, tmp_path):
    from goldthread.analysis.periods import parse_period
    from goldthread.collection.templates_xlsx import (
        HEADINGS,
        TemplateInfo,
        build_workbook,
        owned_indicators,
        template_lines,
    )

    month = parse_period("2026-03")
    info = TemplateInfo("Testshire Council", "Bob Tester", month, month.end, "Upload it.")
    book = openpyxl.load_workbook(
        io.BytesIO(build_workbook(template_lines(owned_indicators(world.bob), month), info))
    )
    sheet = book["Values"]
    row = next(
        n
        for n, cells in enumerate(sheet.iter_rows(min_row=2, values_only=True), 2)
        if cells[0] == "ENV1" and cells[2] == "2026-03"
    )
    sheet.cell(row, HEADINGS.index("Value") + 1, 53)
    path = Path(tmp_path, "march.xlsx")
    book.save(path)

    with path.open("rb") as file:
        outcome = import_own_figures(
            file, fmt="xlsx", actor=world.bob, dry_run=False, file_name=path.name
        )

    assert outcome.ok, _errors(outcome)
    assert (outcome.added, outcome.changed) == (1, 0)
    assert Value.objects.get(indicator=world.recycling, period="2026-03", area=None).value == 53


# --- The pages -------------------------------------------------------------------------------


def _post(client, content: bytes, name: str = "mine.csv"):
    return client.post("/my-updates/upload/", {"file": SimpleUploadedFile(name, content)})


def test_bob_uploads_checks_and_submits_his_figures(world, login, uploads):
    bob = login(world.bob)
    response = _post(bob, _csv(["ENV1,2026-03,,52.5,,,Garden waste back"]))
    assert response.status_code == 302
    check = response["Location"]
    assert check.startswith("/my-updates/upload/")

    page = bob.get(check).content.decode()
    assert "Check your figures" in page and "March 2026" in page
    assert "will be submitted for approval to the performance team" in page
    assert "Submit these figures" in page
    assert not Value.objects.filter(period="2026-03").exists()

    done = bob.post(check + "confirm/")
    assert done["Location"] == "/my-updates/upload/done/"
    page = bob.get("/my-updates/upload/done/").content.decode()
    assert "Figures submitted" in page
    assert "1 new figure and 0 changed figures were submitted for approval" in page
    assert 'href="/my-updates/"' in page
    figure = Value.objects.get(indicator=world.recycling, period="2026-03", area=None)
    assert figure.state == ValueState.SUBMITTED
    assert list(uploads.iterdir()) == []
    assert bob.get(check).status_code == 404


def test_bobs_check_page_lists_a_row_for_someone_elses_indicator_and_offers_no_submit(
    world, login, uploads
):
    bob = login(world.bob)
    check = _post(bob, _csv(["ENV1,2026-03,,52.5,,,", "HSG1,2025/26 Q4,,98,,,"]))["Location"]
    page = bob.get(check).content.decode()
    assert "<title>Error:" in page
    assert "row 3, column indicator_code" in page
    assert "You are not the data owner for HSG1" in page
    assert "Submit these figures" not in page
    assert bob.post(check + "confirm/").status_code == 200
    assert not Value.objects.filter(period="2026-03").exists()


def test_an_indicator_handed_to_someone_else_before_confirming_is_refused(world, login, uploads):
    bob = login(world.bob)
    check = _post(bob, _csv(["ENV1,2026-03,,52.5,,,"]))["Location"]
    assert "Submit these figures" in bob.get(check).content.decode()
    world.recycling.data_owner = world.charlie
    world.recycling.save()

    page = bob.post(check + "confirm/").content.decode()

    assert "You are not the data owner for ENV1" in page
    assert not Value.objects.filter(period="2026-03").exists()


def test_an_upload_is_private_to_the_person_and_the_route_it_was_made_on(world, login, uploads):
    from goldthread.accounts.models import Role
    from goldthread.testing.world import make_user

    check = _post(login(world.bob), _csv(["ENV1,2026-03,,52.5,,,"]))["Location"]
    token = check.rstrip("/").rsplit("/", 1)[-1]
    other = make_user("gail", Role.DATA_OWNER, "Gail")
    world.rent.data_owner = other
    world.rent.save()
    gail = login(other)
    assert gail.get(check).status_code == 404
    assert gail.post(check + "confirm/").status_code == 404
    alice = login(world.alice)
    assert alice.get(check).status_code == 404
    assert alice.get(f"/imports/{token}/").status_code == 404
    bob = login(world.bob)
    assert bob.get(f"/imports/{token}/").status_code == 403


def test_a_team_upload_cannot_be_opened_on_the_owners_route(world, login, uploads):
    alice = login(world.alice)
    response = alice.post(
        "/imports/", {"file": SimpleUploadedFile("t.csv", _csv(["ENV1,2026-03,,1,,,"]))}
    )
    token = response["Location"].rstrip("/").rsplit("/", 1)[-1]
    assert alice.get(f"/my-updates/upload/{token}/").status_code == 404


def test_a_performance_officer_following_the_link_gets_the_whole_import(world, login):
    response = login(world.alice).get("/my-updates/upload/")
    assert (response.status_code, response["Location"]) == (302, "/imports/")


def test_an_officer_who_owns_nothing_is_told_so_and_cannot_post(world, login, uploads):
    charlie = login(world.charlie)
    page = charlie.get("/my-updates/upload/").content.decode()
    assert "You are not the data owner for any indicators" in page
    assert 'type="file"' not in page
    assert _post(charlie, _csv(["ENV1,2026-03,,1,,,"])).status_code == 403
    assert not uploads.exists() or list(uploads.iterdir()) == []


@pytest.mark.parametrize("persona", ["dana", "ed"])
def test_members_cannot_upload_figures(world, login, uploads, persona):
    client = login(getattr(world, persona))
    assert client.get("/my-updates/upload/").status_code == 403
    assert _post(client, _csv(["ENV1,2026-03,,1,,,"])).status_code == 403


def test_the_upload_page_guides_bob_and_checks_the_file_field(world, login, uploads):
    bob = login(world.bob)
    page = bob.get("/my-updates/upload/").content.decode()
    assert 'href="/my-updates/template/"' in page
    assert "only give figures for indicators you are the data owner for" in page
    assert "Published tables" not in page and 'name="layout"' not in page
    page = bob.post("/my-updates/upload/", {}).content.decode()
    assert "Select your completed spreadsheet or CSV file" in page
    assert 'href="#id_file"' in page
    page = _post(bob, b"not a spreadsheet", "figures.txt").content.decode()
    assert "must be a CSV or an Excel (.xlsx) file" in page


def test_my_updates_and_the_template_page_link_to_the_upload(world, login):
    bob = login(world.bob)
    assert 'href="/my-updates/upload/"' in bob.get("/my-updates/").content.decode()
    assert 'href="/my-updates/upload/"' in bob.get("/my-updates/template/").content.decode()


def test_the_done_page_without_an_upload_goes_back_to_the_upload_page(world, login):
    response = login(world.bob).get("/my-updates/upload/done/")
    assert (response.status_code, response["Location"]) == (302, "/my-updates/upload/")


def test_figures_bob_submitted_stay_on_my_updates_until_the_team_answers(world, login):
    _import(world.bob, ["ENV1,2026-03,,52.5,,,", "CMP1,2025/26,,21,,,"])
    page = login(world.bob).get("/my-updates/").content.decode()
    section = page[page.index('id="submitted"') :]
    assert "2 figures with the performance team" in section
    assert "March 2026" in section and "52.5%" in section and "2025/26" in section
    assert "15 April 2026" in section
    Value.objects.filter(period="2026-03").update(state=ValueState.APPROVED)
    page = login(world.bob).get("/my-updates/").content.decode()
    assert "1 figure with the performance team" in page
