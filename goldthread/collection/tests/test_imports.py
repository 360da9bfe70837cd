"""Importing figures from a file, by the command and through the upload pages."""

from __future__ import annotations

import io
import re
from datetime import date
from pathlib import Path

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.db import connection, transaction

from goldthread.audit.models import AuditEvent
from goldthread.collection.imports import ImportNotAllowed, ImportOutcome, import_values
from goldthread.core.freshness import current_generation
from goldthread.indicators.models import Judgement, Value, ValueState
from goldthread.structure.models import Area

HEADER = "indicator_code,period,area_code,value,numerator,denominator,commentary"
GOOD = [
    "ENV1,2025-09,,51.5,,,Garden waste collections restarted",
    "ENV1,2025-09,W01,49,,,",
    "ENV1,2025-08,,41,,,Checked and resubmitted",
    "CMP1,2025/26,,20,,,",
]
NOW = "2026-01-15 12:00"


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(NOW, tick=False):
        yield


def _file(tmp_path: Path, rows: list[str], name: str = "figures.csv") -> Path:
    path = tmp_path / name
    path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    return path


def _command(path: Path, *args: str, user: str = "alice") -> tuple[str, int]:
    out = io.StringIO()
    try:
        call_command("import-values", str(path), "--user", user, *args, stdout=out)
    except SystemExit as stop:
        return out.getvalue(), int(stop.code)
    return out.getvalue(), 0


def _values() -> list[tuple]:
    return list(
        Value.objects.order_by("pk").values_list(
            "indicator__code", "period", "area__code", "value", "commentary", "state", "revision"
        )
    )


def _history_count() -> int:
    return Value.history.count()


# --- The command and the service ----------------------------------------------------------


def test_the_command_imports_a_clean_file_as_submitted_figures(world, tmp_path):
    output, status = _command(_file(tmp_path, GOOD))
    assert status == 0
    assert "3 added, 1 changed, 0 unchanged, 0 rejected" in output
    september = Value.objects.get(indicator=world.recycling, period="2025-09", area=None)
    assert (september.value, september.state, september.revision) == (
        51.5,
        ValueState.SUBMITTED,
        1,
    )
    assert september.updated_by == world.alice
    area = Value.objects.get(indicator=world.recycling, period="2025-09", area__code="W01")
    assert area.value == 49
    draft = Value.objects.get(indicator=world.recycling, period="2025-08", area=None)
    assert (draft.value, draft.state, draft.revision) == (41, ValueState.SUBMITTED, 2)
    assert draft.commentary == "Checked and resubmitted"


def test_every_new_or_changed_figure_gets_a_history_row_naming_the_file(world, tmp_path):
    before = _history_count()
    _command(_file(tmp_path, GOOD))
    rows = Value.history.filter(history_change_reason="Imported from figures.csv")
    assert _history_count() - before == 4 == rows.count()
    assert sorted(rows.values_list("history_type", flat=True)) == ["+", "+", "+", "~"]
    assert set(rows.values_list("history_user", flat=True)) == {world.alice.pk}


def test_an_import_records_one_audit_event_with_the_file_name_and_counts(world, tmp_path):
    _command(_file(tmp_path, GOOD))
    event = AuditEvent.objects.get(verb="imported")
    assert event.actor == world.alice
    assert event.data["file_name"] == "figures.csv"
    assert (event.data["rows"], event.data["added"], event.data["changed"]) == (4, 3, 1)


def test_an_import_moves_the_data_generation_so_cached_pages_refresh(world, tmp_path):
    before = current_generation()
    _command(_file(tmp_path, GOOD))
    assert current_generation() != before


def test_a_dry_run_reports_the_counts_and_writes_nothing(world, tmp_path):
    before, history, generation = _values(), _history_count(), current_generation()
    output, status = _command(_file(tmp_path, GOOD), "--dry-run")
    assert status == 0
    assert "3 added, 1 changed, 0 unchanged, 0 rejected" in output
    assert "nothing was written" in output
    assert _values() == before
    assert _history_count() == history
    assert current_generation() == generation
    assert not AuditEvent.objects.filter(verb="imported").exists()


def test_an_error_on_the_last_row_writes_nothing_and_names_the_row_and_column(world, tmp_path):
    before, history = _values(), _history_count()
    output, status = _command(_file(tmp_path, [*GOOD, "ENV1,2025-10,,45%,,,"]))
    assert status == 1
    assert 'row 6, column value: Enter a number, like 45.5. "45%" has a % sign' in output
    assert "0 added, 0 changed, 0 unchanged, 1 rejected" in output
    assert "Nothing was imported" in output
    assert _values() == before
    assert _history_count() == history
    assert not AuditEvent.objects.filter(verb="imported").exists()


def test_an_error_on_the_first_row_writes_nothing_and_every_problem_is_listed(world, tmp_path):
    before = _values()
    rows = ["XYZ9,2025-09,,1,,,", *GOOD, "ENV1,2030-01,,5,,,"]
    output, status = _command(_file(tmp_path, rows))
    assert status == 1
    assert 'row 2, column indicator_code: There is no indicator with the code "XYZ9"' in output
    assert "row 7, column period: The period 2030-01 is in the future" in output
    assert "2 rejected" in output
    assert _values() == before


def test_importing_the_same_file_again_changes_nothing_and_records_nothing(world, tmp_path):
    path = _file(tmp_path, GOOD)
    _command(path)
    before, history, generation = _values(), _history_count(), current_generation()
    output, status = _command(path)
    assert status == 0
    assert "0 added, 0 changed, 4 unchanged, 0 rejected" in output
    assert "Nothing changed" in output
    assert _values() == before
    assert _history_count() == history
    assert current_generation() == generation
    assert AuditEvent.objects.filter(verb="imported").count() == 1


def test_a_published_figure_is_never_overwritten_by_a_file(world, tmp_path):
    before = _values()
    output, status = _command(_file(tmp_path, [*GOOD, "ENV1,2025-05,,60,,,"]))
    assert status == 1
    assert "row 6: The figure for ENV1, May 2025, is published" in output
    assert "A correction needs a reason" in output
    assert _values() == before


def test_an_approved_figure_is_protected_too_but_the_same_figure_is_unchanged(world, tmp_path):
    output, status = _command(_file(tmp_path, ["ENV1,2025-07,,47,,,"]))
    assert (status, "1 unchanged" in output) == (0, True)
    output, status = _command(_file(tmp_path, ["ENV1,2025-07,,47.5,,,"]))
    assert status == 1
    assert "is approved, so a file cannot change it" in output


def test_approve_stores_approved_figures_and_judges_them(world, tmp_path):
    output, status = _command(_file(tmp_path, ["ENV1,2025-09,,30,,,Crews were short"]), "--approve")
    assert status == 0, output
    figure = Value.objects.get(indicator=world.recycling, period="2025-09", area=None)
    assert figure.state == ValueState.APPROVED
    judgement = Judgement.objects.get(indicator=world.recycling, period="2025-09")
    assert (judgement.value, judgement.rag) == (30, "red")


def test_a_rate_given_as_numerator_and_denominator_gets_its_value_worked_out(world, tmp_path):
    world.recycling.is_rate = True
    world.recycling.save()
    _command(_file(tmp_path, ["ENV1,2025-09,,,12,25,"]))
    figure = Value.objects.get(indicator=world.recycling, period="2025-09", area=None)
    assert (figure.value, figure.numerator, figure.denominator) == (48, 12, 25)


def test_only_a_performance_officer_can_import(world, tmp_path):
    with pytest.raises(CommandError, match="not a performance officer"):
        _command(_file(tmp_path, GOOD), user="bob")
    with pytest.raises(ImportNotAllowed):
        import_values(
            _file(tmp_path, GOOD), fmt="csv", actor=world.fay, dry_run=True, file_name="x.csv"
        )


def test_an_unknown_format_is_refused_with_the_formats_there_are(world, tmp_path):
    with pytest.raises(
        CommandError, match=re.escape('Unknown format "ons". The formats are: csv, xlsx')
    ):
        _command(_file(tmp_path, GOOD), "--format", "ons")


def test_a_missing_file_is_refused_plainly(world, tmp_path):
    with pytest.raises(CommandError, match="There is no file at"):
        _command(tmp_path / "nope.csv")


def test_an_excel_workbook_is_imported_like_a_csv_file(world, tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(HEADER.split(","))
    sheet.append(["ENV1", "2025-09", None, 51.5, None, None, None])
    path = tmp_path / "figures.xlsx"
    book.save(path)
    output, status = _command(path)
    assert (status, "1 added" in output) == (0, True), output


def test_the_service_reports_progress_and_a_diff_of_what_changes(world, tmp_path):
    seen = []
    outcome = import_values(
        _file(tmp_path, GOOD),
        fmt="csv",
        actor=world.alice,
        dry_run=True,
        file_name="figures.csv",
        progress=seen.append,
    )
    assert seen == [4]
    assert [
        (d.row, d.indicator_code, d.period, d.area_code, d.stored, d.new, d.is_new)
        for d in outcome.diff
    ] == [
        (2, "ENV1", "2025-09", None, None, 51.5, True),
        (3, "ENV1", "2025-09", "W01", None, 49, True),
        (4, "ENV1", "2025-08", None, 41, 41, False),
        (5, "CMP1", "2025/26", None, None, 20, True),
    ]
    assert outcome.diff[2].commentary_changed


# --- PostgreSQL: references checked once each, never a council's own trigger skipped -------

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the bulk reference check is PostgreSQL's"
)


def _import(path: Path, actor) -> ImportOutcome:
    return import_values(path, fmt="csv", actor=actor, dry_run=False, file_name=path.name)


def _one(sql: str) -> object:
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return cursor.fetchone()[0]


@postgres_only
def test_after_an_import_postgresql_checks_every_row_of_every_table_again(world, tmp_path):
    outcome = _import(_file(tmp_path, GOOD), world.alice)
    assert (outcome.added, outcome.changed) == (3, 1)
    assert _one("SHOW session_replication_role") == "origin"


@postgres_only
def test_a_trigger_a_council_adds_to_the_figures_table_fires_for_every_figure(world, tmp_path):
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE gt_test_trigger_log (figure_id bigint)")
        cursor.execute(
            "CREATE FUNCTION gt_test_log_figure() RETURNS trigger LANGUAGE plpgsql AS "
            "$$ BEGIN INSERT INTO gt_test_trigger_log VALUES (NEW.id); RETURN NEW; END $$"
        )
        cursor.execute(
            "CREATE TRIGGER gt_test_log AFTER INSERT OR UPDATE ON indicators_value "
            "FOR EACH ROW EXECUTE FUNCTION gt_test_log_figure()"
        )
    outcome = _import(_file(tmp_path, GOOD), world.alice)
    assert outcome.written
    assert _one("SELECT COUNT(*) FROM gt_test_trigger_log") == 4


@postgres_only
def test_a_database_role_that_may_not_skip_row_checks_still_imports_everything(world, tmp_path):
    with connection.cursor() as cursor:
        cursor.execute("CREATE ROLE gt_test_importer NOSUPERUSER")
        cursor.execute("GRANT ALL ON ALL TABLES IN SCHEMA public TO gt_test_importer")
        cursor.execute("GRANT ALL ON ALL SEQUENCES IN SCHEMA public TO gt_test_importer")
        cursor.execute("SET LOCAL ROLE gt_test_importer")
    outcome = _import(_file(tmp_path, GOOD), world.alice)
    assert (outcome.added, outcome.changed, outcome.written) == (3, 1, True)
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # the row checks PostgreSQL queued
    assert Value.history.filter(history_change_reason="Imported from figures.csv").count() == 4


@postgres_only
def test_each_referenced_row_is_checked_once_and_a_missing_one_is_counted(world):
    from types import SimpleNamespace

    from goldthread.collection.import_staging import Staging
    from goldthread.collection.import_writing import _missing_references

    row = (2, world.recycling.pk, "2025-10", date(2025, 10, 1), None, 50.0, None, None, "")
    with transaction.atomic():
        stage = Staging()
        ward = Area.objects.get(code="W01").pk
        stage.add_batch([row, (3, *row[1:4], ward, *row[5:])], [])
        assert stage.counts() == {"added": 2}
        assert _missing_references(stage, world.alice) == 0
        assert _missing_references(stage, SimpleNamespace(pk=999_999)) == 1
        stage.close()


# --- The upload pages ------------------------------------------------------------------------

CORPUS = Path(__file__).resolve().parents[2] / "imports" / "tests" / "corpus"


@pytest.fixture
def uploads(settings, tmp_path):
    settings.GOLDTHREAD_UPLOAD_DIR = tmp_path / "uploads"
    return settings.GOLDTHREAD_UPLOAD_DIR


def _csv_upload(rows: list[str], name: str = "figures.csv"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    content = ("\n".join([HEADER, *rows]) + "\n").encode()
    return SimpleUploadedFile(name, content, content_type="text/csv")


def _upload(client, upload) -> str:
    response = client.post("/imports/", {"file": upload})
    assert response.status_code == 302, response.content.decode()[:2000]
    return response["Location"]


def test_alice_uploads_checks_previews_and_confirms_an_import(world, login, uploads):
    alice = login(world.alice)
    check = _upload(alice, _csv_upload(GOOD))
    page = alice.get(check).content.decode()
    assert "Check the import" in page
    assert "New figures" in page and "Changed figures" in page
    assert "September 2025" in page and "W01" in page
    assert "Confirm import" in page
    assert not Value.objects.filter(period="2025-09").exists()

    done = alice.post(check + "confirm/")
    assert done["Location"] == "/imports/done/"
    page = alice.get("/imports/done/").content.decode()
    assert "Figures imported" in page
    assert "3 new figures and 1 changed figure were submitted for approval" in page
    assert Value.objects.filter(period="2025-09").count() == 2
    assert AuditEvent.objects.filter(verb="imported").count() == 1
    assert list(uploads.iterdir()) == []
    assert alice.get(check).status_code == 404


def test_a_file_with_an_error_shows_the_row_and_column_and_imports_nothing(world, login, uploads):
    alice = login(world.alice)
    before = _values()
    check = _upload(alice, _csv_upload([*GOOD, "ENV1,2025-10,,1,234,,"]))
    page = alice.get(check).content.decode()
    assert "<title>Error:" in page
    assert "The file has problems" in page
    assert "row 6, column" in page
    assert "Confirm import" not in page
    assert alice.post(check + "confirm/").status_code == 200
    assert _values() == before


def test_a_file_that_changes_nothing_says_so_and_offers_no_confirm(world, login, uploads):
    alice = login(world.alice)
    page = alice.get(_upload(alice, _csv_upload(["ENV1,2025-07,,47,,,"]))).content.decode()
    assert "Every figure in this file is already stored" in page
    assert "Confirm import" not in page


def test_the_approvals_page_links_to_the_import(world, login):
    page = login(world.alice).get("/approvals/").content.decode()
    assert 'href="/imports/"' in page and "Import figures from a file" in page


@pytest.mark.parametrize("persona", ["bob", "charlie", "dana", "ed", "fay"])
def test_only_performance_officers_can_import_through_the_pages(world, login, uploads, persona):
    client = login(getattr(world, persona))
    assert client.get("/imports/").status_code == 403
    assert client.post("/imports/", {"file": _csv_upload(GOOD)}).status_code == 403
    assert not uploads.exists() or list(uploads.iterdir()) == []


def test_the_public_is_asked_to_sign_in(world, login):
    response = login(None).get("/imports/")
    assert response.status_code == 302
    assert "sign-in" in response["Location"]


def test_another_officer_cannot_see_or_confirm_someone_elses_upload(world, login, uploads):
    from goldthread.accounts.models import Role
    from goldthread.testing.world import make_user

    check = _upload(login(world.alice), _csv_upload(GOOD))
    other = login(make_user("gina", Role.PERFORMANCE_OFFICER, "Gina"))
    assert other.get(check).status_code == 404
    assert other.post(check + "confirm/").status_code == 404
    assert other.get("/imports/not*a*token/").status_code == 404


def test_an_upload_expires(world, login, uploads):
    alice = login(world.alice)
    check = _upload(alice, _csv_upload(GOOD))
    with time_machine.travel("2026-01-15 13:01", tick=False):
        assert alice.get(check).status_code == 404


def test_a_file_that_is_too_big_is_refused_before_it_is_checked(world, login, uploads, settings):
    settings.GOLDTHREAD_IMPORT_MAX_BYTES = 1024 * 1024
    big = _csv_upload(["ENV1,2025-09,,51.5,,," + "x" * 100] * 12_000)
    page = login(world.alice).post("/imports/", {"file": big}).content.decode()
    assert "<title>Error:" in page
    assert "The selected file must be smaller than 1 MB" in page
    assert not uploads.exists() or list(uploads.iterdir()) == []


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("figures.txt", "must be a CSV or an Excel (.xlsx) file"),
        ("figures", "must be a CSV or an Excel (.xlsx) file"),
    ],
)
def test_a_file_that_is_not_csv_or_excel_is_refused(world, login, uploads, name, message):
    page = login(world.alice).post("/imports/", {"file": _csv_upload(GOOD, name)}).content.decode()
    assert message in page


def test_no_file_chosen_is_an_error_on_the_field(world, login, uploads):
    page = login(world.alice).post("/imports/", {}).content.decode()
    assert "Select a CSV or Excel file of figures" in page
    assert 'href="#id_file"' in page


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("windows1252_pound.csv", "column commentary"),
        ("excel_saved_as_csv_name.csv", "This is an Excel workbook, not a CSV file"),
        ("utf16_le_bom.csv", "saved as UTF-16"),
        ("semicolon_delimited.csv", "separated by semicolons"),
        ("thousands_commas.csv", "column value"),
        ("formula_injection_equals.csv", "column commentary"),
        ("period_as_uk_date.csv", "column period"),
        ("merged_cells.xlsx", "row "),
        ("formula.xlsx", "row "),
        ("zip_bomb_ratio.xlsx", "row 1"),
        ("not_a_zip.xlsx", "row 1"),
        ("old_xls.xlsx", "row 1"),
        ("empty.csv", "The file is empty"),
    ],
)
def test_malformed_files_from_the_corpus_get_messages_not_errors(
    world, login, uploads, name, expected
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    alice = login(world.alice)
    upload = SimpleUploadedFile(name, (CORPUS / name).read_bytes())
    response = alice.post("/imports/", {"file": upload})
    if response.status_code == 200:  # refused by the form (an empty file)
        page = response.content.decode()
        assert "The selected file is empty" in page
        return
    page = alice.get(response["Location"]).content.decode()
    assert "The file has problems" in page
    assert re.search(r"row \d+", page)
    assert html_unescape(expected) in html_unescape(page)
    assert alice.post(response["Location"] + "confirm/").status_code == 200


def html_unescape(text: str) -> str:
    import html

    return html.unescape(text)
