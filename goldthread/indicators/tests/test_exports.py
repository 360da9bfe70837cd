"""Scorecard and indicator downloads: the same figures as the page, and safe to open."""

from __future__ import annotations

import csv
import io
import re

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from goldthread.indicators.exports import (
    Column,
    indicator_history_rows,
    neutralise,
    scorecard_rows,
    write_csv,
    write_xlsx,
)
from goldthread.indicators.models import Indicator, Value
from goldthread.indicators.presenters.scorecard import ScorecardFilters
from goldthread.testing.world import add_values

pytestmark = pytest.mark.django_db

SAFE_NAME = re.compile(r'^attachment; filename="[a-z0-9-]+\.(csv|xlsx)"$')


def _csv_lines(response) -> list[list[str]]:
    body = response.content
    assert body.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def _sheet_rows(content: bytes) -> list[tuple]:
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    return list(workbook.active.iter_rows(values_only=True))


# neutralise and the writers


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+1", "'+1"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("Garden waste", "Garden waste"),
        ("", ""),
        ("a=b", "a=b"),
    ],
)
def test_it_neutralises_text_that_a_spreadsheet_would_run(text, expected):
    assert neutralise(text) == expected


COLUMNS = [Column("name", "Name"), Column("value", "Value")]
HOSTILE = [{"name": '=HYPERLINK("http://evil.example","Click")', "value": -3.5}]


def test_csv_neutralises_formulas_but_keeps_negative_numbers():
    rows = list(csv.reader(io.StringIO(write_csv(HOSTILE, COLUMNS).decode("utf-8-sig"))))

    assert rows == [["Name", "Value"], ['\'=HYPERLINK("http://evil.example","Click")', "-3.5"]]


def test_xlsx_neutralises_formulas_and_writes_numbers_as_numbers():
    content = write_xlsx(HOSTILE, COLUMNS, "Test", preamble=["A title"])

    workbook = openpyxl.load_workbook(io.BytesIO(content))
    sheet = workbook.active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "A title"
    assert rows[2] == ("Name", "Value")
    assert rows[3] == ('\'=HYPERLINK("http://evil.example","Click")', -3.5)
    assert sheet.cell(row=4, column=1).data_type == "s"
    assert sheet.cell(row=4, column=2).data_type == "n"
    assert sheet.cell(row=3, column=1).font.bold
    assert sheet.column_dimensions["A"].width == COLUMNS[0].width


def test_xlsx_drops_control_characters_openpyxl_cannot_store():
    content = write_xlsx([{"name": "bell\x07here", "value": 1}], COLUMNS, "Bad/Title:[x]")

    workbook = openpyxl.load_workbook(io.BytesIO(content))
    assert workbook.active.title == "Bad Title  x"
    assert list(workbook.active.iter_rows(values_only=True))[1] == ("bellhere", 1)


# What each person's export holds


def test_public_history_export_never_contains_unapproved_figures(world, client):
    rows = indicator_history_rows(_anonymous(), world.recycling)

    values = [r["value"] for r in rows]
    assert values == [50.0, 52.0, 48.0]
    response = client.get("/indicators/ENV1/export.csv")
    text = response.content.decode("utf-8-sig")
    assert "Published figures only" in text
    assert "47" not in text and "41" not in text
    assert "Draft figure" not in text


def test_public_scorecard_export_never_contains_unapproved_figures(world, client):
    lines = _csv_lines(client.get("/scorecard/export.csv"))

    env1 = next(line for line in lines if "ENV1" in line)
    assert "48.0" in env1 and "June 2025" in env1
    flat = " ".join(" ".join(line) for line in lines)
    assert "Published figures only" in flat
    assert "47" not in flat and "41" not in flat


def test_public_xlsx_export_is_a_workbook_with_numeric_figures(world, client):
    response = client.get("/indicators/ENV1/export.xlsx")

    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = _sheet_rows(response.content)
    header = rows.index(
        ("Period", "Value", "Target", "Status", "Change since previous period", "Commentary")
    )
    values = [row[1] for row in rows[header + 1 :]]
    assert values == [50.0, 52.0, 48.0]
    assert all(isinstance(v, int | float) for v in values)
    assert "Published figures only." in [row[0] for row in rows[:4]]


def test_data_owner_history_export_includes_the_draft_and_says_so(world):
    rows = indicator_history_rows(world.bob, world.recycling)

    assert [r["value"] for r in rows] == [50.0, 52.0, 48.0, 47.0, 41.0]
    assert rows[-1]["state"] == "Draft"
    assert rows[-1]["commentary"] == "Draft figure, not yet checked."


def test_cabinet_member_history_export_has_approved_but_not_draft_figures(world):
    rows = indicator_history_rows(world.dana, world.recycling)

    assert [r["value"] for r in rows] == [50.0, 52.0, 48.0, 47.0]
    assert all(r["state"] is None for r in rows)


def test_committee_member_scorecard_export_has_only_his_scope(world, login):
    rows = scorecard_rows(world.ed, ScorecardFilters())
    lines = _csv_lines(login(world.ed).get("/scorecard/export.csv"))

    assert [r["code"] for r in rows] == ["ENV1"]
    codes = {line[2] for line in lines if len(line) > 2}
    assert codes == {"Code", "ENV1"}


def test_scorecard_export_follows_the_page_filters(world, client):
    lines = _csv_lines(client.get("/scorecard/export.csv?directorate=people"))

    codes = {line[2] for line in lines if len(line) > 2} - {"Code"}
    assert codes == {"HSG1"}
    assert any("Filtered by directorate people" in line[0] for line in lines if line)


def test_scorecard_export_writes_a_band_target_as_two_numbers(world, client):
    lines = _csv_lines(client.get("/scorecard/export.csv"))

    header = next(line for line in lines if line and line[0] == "Priority")
    hsg1 = dict(zip(header, next(line for line in lines if "HSG1" in line), strict=True))
    assert (hsg1["Target band lowest"], hsg1["Target band highest"]) == ("97.0", "99.0")


def test_commentary_formulas_are_neutralised_in_both_formats(world, client):
    Value.objects.filter(indicator=world.recycling, period="2025-06").update(
        commentary='=HYPERLINK("http://evil.example","Click")'
    )
    Value.objects.filter(indicator=world.recycling, period="2025-05").update(value=-3.5)

    csv_text = client.get("/indicators/ENV1/export.csv").content.decode("utf-8-sig")
    rows = _sheet_rows(client.get("/indicators/ENV1/export.xlsx").content)

    assert '"\'=HYPERLINK(""http://evil.example"",""Click"")"' in csv_text
    assert ",-3.5," in csv_text
    cells = [cell for row in rows for cell in row]
    assert '\'=HYPERLINK("http://evil.example","Click")' in cells
    assert -3.5 in cells


def test_file_names_are_safe_and_dated(world, client):
    for url in (
        "/scorecard/export.csv",
        "/scorecard/export.xlsx",
        "/indicators/ENV1/export.csv",
        "/indicators/ENV1/export.xlsx",
    ):
        disposition = client.get(url)["Content-Disposition"]

        assert SAFE_NAME.match(disposition), disposition
        assert disposition.startswith('attachment; filename="testshire-council-')


@pytest.mark.parametrize(
    ("who", "url"),
    [
        (None, "/indicators/INT1/export.csv"),
        ("dana", "/indicators/INT1/export.xlsx"),
        ("ed", "/indicators/CMP1/export.csv"),
        ("alice", "/indicators/NOPE/export.csv"),
    ],
)
def test_indicators_a_person_may_not_see_are_not_found(world, login, who, url):
    response = login(getattr(world, who) if who else None).get(url)

    assert response.status_code == 404


def test_officers_may_download_internal_indicators(world, login):
    response = login(world.alice).get("/indicators/INT1/export.csv")

    assert response.status_code == 200
    assert "Includes figures that are not yet approved." in response.content.decode("utf-8-sig")


def test_downloads_refuse_posts(world, client):
    assert client.post("/scorecard/export.csv").status_code == 405


def test_pages_link_to_the_downloads_with_the_filters(world, client):
    scorecard = client.get("/scorecard/?status=green&directorate=place").content.decode()
    detail = client.get("/indicators/ENV1/").content.decode()

    assert 'href="/scorecard/export.csv?directorate=place&amp;status=green"' in scorecard
    assert 'href="/scorecard/export.xlsx?directorate=place&amp;status=green"' in scorecard
    assert 'href="/indicators/ENV1/export.csv"' in detail
    assert 'href="/indicators/ENV1/export.xlsx"' in detail


def test_scorecard_export_queries_do_not_grow_with_indicators(world, login):
    client = login(world.alice)
    with CaptureQueriesContext(connection) as few:
        client.get("/scorecard/export.xlsx")
    for number in range(5):
        extra = Indicator.objects.create(
            code=f"EXT{number}",
            name=f"Extra {number}",
            unit="number",
            frequency="annual",
            on_scorecard=True,
        )
        add_values(extra, {"2024/25": number})
    with CaptureQueriesContext(connection) as many:
        client.get("/scorecard/export.xlsx")

    assert len(many) == len(few)


def _anonymous():
    from django.contrib.auth.models import AnonymousUser

    return AnonymousUser()
