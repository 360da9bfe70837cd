"""The Excel collection template: made for an owner and a month, filled in, imported back."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import openpyxl
import pytest
import time_machine
from django.core.management import call_command

from goldthread.analysis.periods import parse_period
from goldthread.collection.imports import import_values
from goldthread.collection.templates_xlsx import (
    HEADINGS,
    SPARE_ROWS,
    TemplateInfo,
    build_workbook,
    owned_indicators,
    round_label,
    rounds,
    template_lines,
)
from goldthread.indicators.models import Value, ValueState

NOW = "2026-04-15 12:00"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(NOW, tick=False):
        yield


TODAY = date(2026, 4, 15)


def make(world, month: str, owner=None) -> openpyxl.Workbook:
    period = parse_period(month)
    lines = template_lines(owned_indicators(owner or world.bob), period)
    info = TemplateInfo("Testshire Council", "Bob Tester", period, TODAY, "Send it back.")
    return openpyxl.load_workbook(io.BytesIO(build_workbook(lines, info)))


def rows(book) -> list[dict[str, object]]:
    sheet = book["Values"]
    found = []
    for cells in sheet.iter_rows(min_row=2, values_only=True):
        if any(cell not in (None, "") for cell in cells):
            found.append(dict(zip(HEADINGS, cells, strict=True)))
    return found


def row_of(book, code: str, period: str) -> int:
    for number, cells in enumerate(book["Values"].iter_rows(min_row=2, values_only=True), 2):
        if cells[0] == code and cells[2] == period:
            return number
    raise AssertionError(f"no row for {code} {period}")


def fill(book, row: int, **cells) -> None:
    sheet = book["Values"]
    for heading, value in cells.items():
        sheet.cell(row, HEADINGS.index(heading.capitalize()) + 1, value)


def save(book, tmp_path: Path, name: str = "figures.xlsx") -> Path:
    path = tmp_path / name
    book.save(path)
    return path


def run(world, path: Path, **options):
    with path.open("rb") as file:
        return import_values(
            file,
            fmt="xlsx",
            actor=world.alice,
            dry_run=options.get("dry_run", False),
            file_name=path.name,
        )


# --- What the template holds ----------------------------------------------------------------


def test_a_template_asks_for_the_owners_figures_ending_in_the_month(world):
    september = rows(make(world, "2025-09"))
    assert [(r["Indicator code"], r["Period"]) for r in september] == [("ENV1", "2025-09")]
    march = rows(make(world, "2026-03"))
    assert {(r["Indicator code"], r["Period"]) for r in march} == {
        ("CMP1", "2025/26"),
        ("ENV1", "2026-03"),
    }


def test_each_row_gives_the_previous_figure_target_and_state(world):
    (line,) = rows(make(world, "2025-09"))
    assert line["Indicator name"] == "Household waste recycled"
    assert line["Period name"] == "September 2025"
    assert line["Area name"] == "Whole council"
    assert line["Unit"] == "Percentage"
    assert line["Previous figure"] == 41.0  # August's draft
    assert line["Target"] == "50.0%"
    assert line["Status"] == "Not started"
    assert line["Value"] is None and line["Commentary"] is None


def test_an_indicator_broken_down_by_area_has_a_row_for_each_area(world):
    world.recycling.has_area_breakdown = True
    world.recycling.save()
    lines = rows(make(world, "2025-09"))
    assert [(r["Area code"] or "", r["Area name"]) for r in lines] == [
        ("", "Whole council"),
        ("W01", "North ward"),
    ]


def test_a_stored_figure_is_filled_in_and_a_locked_one_is_marked(world):
    (line,) = rows(make(world, "2025-07"))
    assert (line["Value"], line["Status"]) == (47.0, "Approved: locked")
    book = make(world, "2025-07")
    sheet = book["Values"]
    value_cell = sheet.cell(2, HEADINGS.index("Value") + 1)
    assert value_cell.protection.locked


def test_the_sheet_is_protected_except_where_figures_go(world):
    book = make(world, "2025-09")
    sheet = book["Values"]
    assert sheet.protection.sheet
    locked = {h: sheet.cell(2, n).protection.locked for n, h in enumerate(HEADINGS, 1)}
    assert [h for h, is_locked in locked.items() if not is_locked] == [
        "Value",
        "Numerator",
        "Denominator",
        "Commentary",
    ]
    spare = sheet.cell(3, 1)
    assert not spare.protection.locked  # spare rows are for adding figures


def test_cells_check_numbers_and_explain_themselves_in_plain_english(world):
    book = make(world, "2026-03")
    sheet = book["Values"]
    rules = {str(rule.sqref): rule for rule in sheet.data_validations.dataValidation}

    cmp_row, env_row = row_of(book, "CMP1", "2025/26"), row_of(book, "ENV1", "2026-03")
    whole = next(r for r in rules.values() if f"K{cmp_row}" in r.sqref)
    decimal = next(r for r in rules.values() if f"K{env_row}" in r.sqref)
    assert (whole.type, decimal.type) == ("whole", "decimal")
    assert "whole number" in whole.error and "no commas" in whole.error
    assert decimal.showInputMessage and "like 45.5" in decimal.prompt
    denominator = next(r for r in rules.values() if f"M{env_row}" in r.sqref)
    assert (denominator.operator, denominator.formula1) == ("greaterThan", "0")
    assert denominator.error.startswith("The denominator must be a number more than 0")
    listed = next(r for r in rules.values() if r.type == "list")
    assert listed.formula1.startswith("Lists!$A$2")
    assert book["Lists"].sheet_state == "hidden"
    assert sum(cells.size["rows"] for cells in listed.sqref.ranges) == SPARE_ROWS


def test_the_read_me_explains_how_to_fill_it_in(world):
    text = " ".join(
        str(c) for (c,) in make(world, "2025-09")["Read me"].iter_rows(values_only=True) if c
    )
    assert "Testshire Council: figures for September 2025" in text
    assert "no commas" in text.lower() or "Do not add commas" in text
    assert "what is being done about it and by when" in text


def test_a_name_that_looks_like_a_formula_is_written_as_text(world):
    world.recycling.name = '=HYPERLINK("http://example.org")'
    world.recycling.save()
    book = make(world, "2025-09")
    cell = book["Values"].cell(2, HEADINGS.index("Indicator name") + 1)
    assert cell.data_type == "s"


def test_reporting_months_offered_end_before_today_and_say_what_they_hold():
    months = rounds(TODAY)
    assert months[0].key == "2026-03"
    assert (
        round_label(parse_period("2026-03")) == "March 2026 (with quarter 4 and the year 2025/26)"
    )
    assert round_label(parse_period("2025-09")) == "September 2025 (with quarter 2)"


# --- Filled in and imported ------------------------------------------------------------------


def test_a_filled_in_template_is_imported_and_rows_left_blank_are_not(world, tmp_path):
    book = make(world, "2026-03")
    fill(book, row_of(book, "ENV1", "2026-03"), value=52.5, commentary="Garden waste back.")
    outcome = run(world, save(book, tmp_path))
    assert outcome.ok, [str(p) for p in outcome.problems]
    assert (outcome.added, outcome.changed) == (1, 0)
    figure = Value.objects.get(indicator=world.recycling, period="2026-03", area=None)
    assert (figure.value, figure.commentary, figure.state) == (
        52.5,
        "Garden waste back.",
        ValueState.SUBMITTED,
    )
    assert not Value.objects.filter(indicator=world.complaints, period="2025/26").exists()


def test_a_rate_can_be_given_as_numerator_and_denominator(world, tmp_path):
    world.recycling.is_rate = True
    world.recycling.save()
    book = make(world, "2025-10")
    fill(book, 2, numerator=412, denominator=800)
    outcome = run(world, save(book, tmp_path))
    assert outcome.ok, [str(p) for p in outcome.problems]
    figure = Value.objects.get(indicator=world.recycling, period="2025-10", area=None)
    assert (figure.value, figure.numerator, figure.denominator) == (51.5, 412, 800)


def test_a_spare_row_adds_a_figure_for_another_period(world, tmp_path):
    book = make(world, "2025-10")
    spare = 3
    fill(book, spare, value=44)
    sheet = book["Values"]
    sheet.cell(spare, 1, "ENV1")
    sheet.cell(spare, 3, "2025-11")
    outcome = run(world, save(book, tmp_path))
    assert outcome.ok, [str(p) for p in outcome.problems]
    assert Value.objects.get(indicator=world.recycling, period="2025-11").value == 44


def test_mistakes_are_reported_by_row_and_column_and_nothing_is_stored(world, tmp_path):
    book = make(world, "2026-03")
    env, cmp = row_of(book, "ENV1", "2026-03"), row_of(book, "CMP1", "2025/26")
    fill(book, env, value="45%", commentary="Fewer collections.")
    fill(book, cmp, numerator=3)
    sheet = book["Values"]
    for row, period, commentary in ((4, "March 2026", ""), (5, "2026-02", "=SUM(A1)")):
        sheet.cell(row, 1, "ENV1")
        sheet.cell(row, 3, period)
        fill(book, row, value=40, commentary=commentary)
    before = Value.objects.count()
    outcome = run(world, save(book, tmp_path))
    said = [str(p) for p in outcome.problems if p.is_error]
    assert said == [
        f"row {cmp}, column denominator: Enter the denominator as well as the numerator, or "
        "leave both blank.",
        f'row {env}, column value: Enter a number, like 45.5. "45%" has a % sign: write 45.',
        'row 4, column period: Period "March 2026" is not valid: expected a financial year like '
        "2025/26, a quarter like 2025/26 Q2 or a month like 2025-10. It looks like a date: for "
        "March 2026, write 2026-03.",
        'row 5, column commentary: This cell has a formula ("=SUM(A1)"). Replace it with its '
        'result: copy the cells and use "Paste values".',
    ]
    assert Value.objects.count() == before
    assert not outcome.written


def test_a_changed_locked_figure_is_refused(world, tmp_path):
    book = make(world, "2025-07")
    book["Values"].protection.sheet = False  # someone unprotected the sheet
    fill(book, 2, value=99)
    outcome = run(world, save(book, tmp_path))
    assert any(
        "is approved, so a file cannot change it" in str(p)
        for p in [p for p in outcome.problems if p.is_error]
    )
    assert Value.objects.get(indicator=world.recycling, period="2025-07").value == 47


def test_a_template_downloaded_and_sent_back_untouched_changes_nothing(world, tmp_path):
    outcome = run(world, save(make(world, "2025-06"), tmp_path))
    assert outcome.ok and (outcome.added, outcome.changed, outcome.unchanged) == (0, 0, 1)
    assert not outcome.written


def test_a_template_with_no_figures_filled_in_says_so(world, tmp_path):
    outcome = run(world, save(make(world, "2025-10"), tmp_path))
    assert [str(p) for p in [p for p in outcome.problems if p.is_error]] == [
        "row 2: There are no figures in this file. Add a row for each figure under the headings."
    ]


def test_the_command_imports_a_filled_in_template(world, tmp_path):
    book = make(world, "2025-10")
    fill(book, 2, value=48.5)
    out = io.StringIO()
    call_command("import-values", str(save(book, tmp_path)), "--user", "alice", stdout=out)
    assert "1 added, 0 changed, 0 unchanged, 0 rejected" in out.getvalue()


# --- The pages ---------------------------------------------------------------------------------


def test_bob_downloads_his_template_from_my_updates(client, world):
    client.force_login(world.bob)
    page = client.get("/my-updates/template/")
    assert page.status_code == 200
    assert "September 2025 (with quarter 2)" in page.content.decode()
    download = client.get("/my-updates/template/", {"month": "2025-09"})
    assert download["Content-Type"] == XLSX
    assert (
        download["Content-Disposition"] == 'attachment; filename="figures-2025-09-bob-tester.xlsx"'
    )
    book = openpyxl.load_workbook(io.BytesIO(download.content))
    assert [r["Indicator code"] for r in rows(book)] == ["ENV1"]


def test_a_month_not_offered_gets_an_error_message_not_a_file(client, world):
    client.force_login(world.bob)
    page = client.get("/my-updates/template/", {"month": "2031-01"})
    assert page.status_code == 200
    assert "There is a problem" in page.content.decode()
    assert "Select the month" in page.content.decode()


def test_an_officer_who_owns_nothing_is_told_so(client, world):
    client.force_login(world.charlie)
    page = client.get("/my-updates/template/", {"month": "2025-09"})
    assert page["Content-Type"].startswith("text/html")
    assert "You are not the data owner of any indicators" in page.content.decode()


def test_alice_downloads_a_template_for_any_owner(client, world):
    client.force_login(world.alice)
    assert client.get("/imports/template/").status_code == 200
    download = client.get("/imports/template/", {"owner": world.bob.pk, "month": "2026-03"})
    assert download["Content-Type"] == XLSX
    codes = {
        r["Indicator code"] for r in rows(openpyxl.load_workbook(io.BytesIO(download.content)))
    }
    assert codes == {"ENV1", "CMP1"}
    everyone = client.get("/imports/template/", {"owner": "all", "month": "2025/26 Q1"})
    assert "Select the month" in everyone.content.decode()


def test_only_the_performance_team_downloads_other_peoples_templates(client, world):
    client.force_login(world.bob)
    assert client.get("/imports/template/", {"owner": "all", "month": "2025-09"}).status_code == 403
    client.force_login(world.dana)
    assert client.get("/my-updates/template/").status_code == 403


def test_a_month_that_asks_for_nothing_says_so_instead_of_giving_an_empty_file(client, world):
    world.recycling.data_owner = world.alice
    world.recycling.save()
    client.force_login(world.bob)
    page = client.get("/my-updates/template/", {"month": "2025-09"})
    assert page["Content-Type"].startswith("text/html")
    assert "There are no figures to give for September 2025" in page.content.decode()
