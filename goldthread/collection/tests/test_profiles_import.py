"""Importing published tables through a mapping profile, by the command and on the upload page."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from goldthread.indicators.models import Indicator, Value, ValueState
from goldthread.structure.models import Area, AreaKind, Council

DATA = Path(__file__).parents[2] / "imports" / "tests" / "data"
DEFRA = DATA / "defra_env18_table3.csv"
PLANNING = (
    "Percentage of major planning applications decided within 13 weeks or agreed time (Percentage)"
)


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel("2026-04-15 12:00", tick=False):
        yield


@pytest.fixture
def trafford(world):
    """The test council as Trafford, with a recycling rate, planning speed and claimants."""
    Council.objects.update(name="Trafford Council", short_name="Trafford", ons_code="E08000009")
    Area.objects.create(code="E05015239", name="Altrincham", kind=AreaKind.WARD)
    for code, name, frequency, unit in (
        ("WST1", "Household waste recycled", "annual", "percent"),
        ("PLN1", "Major planning applications in time", "quarterly", "percent"),
        ("CLM1", "Claimants", "monthly", "number"),
    ):
        Indicator.objects.create(
            code=code,
            name=name,
            frequency=frequency,
            unit=unit,
            decimals=1 if unit == "percent" else 0,
            has_area_breakdown=code == "CLM1",
        )
    return world


def command(*args: str) -> tuple[str, int]:
    out = io.StringIO()
    try:
        call_command("import-values", *args, "--user", "alice", stdout=out)
    except SystemExit as stop:
        return out.getvalue(), int(stop.code)
    return out.getvalue(), 0


def stored(code: str) -> dict[tuple[str, str | None], float]:
    rows = Value.objects.filter(indicator__code=code).values_list("period", "area__code", "value")
    return {(period, area): value for period, area, value in rows}


def test_the_command_imports_the_councils_rows_of_defras_table(trafford):
    out, status = command(str(DEFRA), "--format", "defra-env18", "--map", "NI192=WST1")
    assert status == 0, out
    assert "defra_env18_table3.csv: 7 added, 0 changed, 0 unchanged, 0 rejected." in out
    assert "warning: row 2: " in out and "comparators, not Trafford Council's own figures" in out
    figures = stored("WST1")
    assert figures[("2022/23", None)] == pytest.approx(58.4)
    assert figures[("2016/17", None)] == pytest.approx(61.3)
    assert Value.objects.filter(indicator__code="WST1", state=ValueState.SUBMITTED).count() == 7


def test_importing_the_same_table_again_changes_nothing(trafford):
    command(str(DEFRA), "--format", "defra-env18", "--map", "NI192=WST1")
    history = Value.history.count()
    out, status = command(str(DEFRA), "--format", "defra-env18", "--map", "NI192=WST1")
    assert status == 0
    assert "0 added, 0 changed, 7 unchanged" in out
    assert Value.history.count() == history


def test_a_mapping_file_links_measures_by_their_published_names(trafford, tmp_path):
    links = tmp_path / "links.txt"
    links.write_text(f"# Trafford Data Lab\n{PLANNING} = PLN1\n", encoding="utf-8")
    source = DATA / "trafford_planning_major.csv"
    out, status = command(str(source), "--format", "trafford", "--mapping", str(links))
    assert status == 0, out
    assert "13 added" in out
    assert stored("PLN1")[("2022/23 Q3", None)] == 100


def test_since_leaves_out_the_years_already_stored(trafford):
    args = (str(DEFRA), "--format", "defra-env18", "--map", "NI192=WST1", "--since", "2021/22")
    out, status = command(*args)
    assert status == 0, out
    assert "2 added" in out and "before the first period you chose" in out
    assert sorted(stored("WST1")) == [("2021/22", None), ("2022/23", None)]


def test_ward_rows_go_into_the_councils_areas(trafford):
    source = DATA / "trafford_claimant_count.csv"
    out, status = command(
        str(source), "--format", "trafford", "--map", "Claimant count (Count)=CLM1"
    )
    assert status == 0, out
    figures = stored("CLM1")
    assert figures[("2026-03", "E05015239")] == 160
    assert figures[("2025-03", None)] == 4585


def test_a_broken_table_is_refused_with_row_and_column_and_nothing_is_written(trafford, tmp_path):
    broken = tmp_path / "table3.csv"
    text = DEFRA.read_text(encoding="utf-8")
    broken.write_text(
        text.replace("Trafford MBC,Collection,327,0.613", "Trafford MBC,Collection,327,61%")
    )
    out, status = command(str(broken), "--format", "defra-env18", "--map", "NI192=WST1")
    assert status == 1
    heading = "Percentage of household waste sent for reuse, recycling or composting (Ex NI192)"
    assert (
        f'row 4, column {heading}: Enter a number, like 45.5. "61%" has a % sign: write 61.' in out
    )
    assert "Nothing was imported: 1 error to put right." in out
    assert not Value.objects.filter(indicator__code="WST1").exists()


def test_the_lgbf_table_finds_the_council_by_name(world, tmp_path):
    Council.objects.update(name="Stirling Council", short_name="Stirling", ons_code="S12000030")
    Indicator.objects.create(
        code="CORP09",
        name="Welfare fund",
        frequency="quarterly",
        unit="percent",
        decimals=1,
        is_rate=True,
    )
    out, status = command(str(DATA / "lgbf_sub_annual.csv"), "--format", "lgbf", "--dry-run")
    assert status == 0, out
    assert "8 added" in out and "Dry run: nothing was written." in out
    assert "only the published value was imported" in out
    assert not Value.objects.filter(indicator__code="CORP09").exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--format", "defra-env18", "--map", "NI192=NOPE"], 'no indicator with the code "NOPE"'),
        (["--format", "defra-env18", "--map", "NI192"], "Line 1: write the measure"),
        (["--format", "csv", "--map", "NI192=WST1"], "--map, --mapping and --since go with"),
        (["--format", "defra-env18", "--since", "2022"], 'Period "2022" is not valid'),
        (["--format", "trafford", "--mapping", "/nowhere.txt"], "There is no mapping file"),
        (["--format", "ons"], 'Unknown format "ons". The formats are: csv, xlsx, defra-env18'),
    ],
)
def test_the_command_refuses_a_mapping_it_cannot_use(trafford, args, message):
    with pytest.raises(CommandError, match=message):
        command(str(DEFRA), *args)


def test_a_profile_needs_the_council_set_up(world):
    Council.objects.all().delete()
    with pytest.raises(CommandError, match="Set up the council"):
        command(str(DEFRA), "--format", "defra-env18")


# --- The upload page ------------------------------------------------------------------------


def upload(client, path: Path, layout: str, mapping: str = "", since: str = ""):
    file = SimpleUploadedFile(path.name, path.read_bytes(), content_type="text/csv")
    form = {"file": file, "layout": layout, "mapping": mapping, "since": since}
    return client.post("/imports/", form)


def test_alice_uploads_a_published_table_checks_it_and_imports_it(
    client, trafford, settings, tmp_path
):
    settings.GOLDTHREAD_UPLOAD_DIR = tmp_path / "uploads"
    client.force_login(trafford.alice)
    form = client.get("/imports/").content.decode()
    assert "Defra waste table (ENV18)" in form and "Download a collection template" in form
    sent = upload(client, DEFRA, "defra-env18", "NI192 = WST1", since="2016/17")
    assert sent.status_code == 302
    check = client.get(sent["Location"]).content.decode()
    assert "Check the import" in check
    assert "comparators, not Trafford Council&#39;s own figures" in check
    done = client.post(sent["Location"] + "confirm/")
    assert done.status_code == 302
    assert stored("WST1")[("2022/23", None)] == pytest.approx(58.4)


def test_the_upload_page_names_what_is_wrong_with_the_choice(client, trafford, settings, tmp_path):
    settings.GOLDTHREAD_UPLOAD_DIR = tmp_path / "uploads"
    client.force_login(trafford.alice)
    workbook = tmp_path / "table3.xlsx"
    shutil.copy(DEFRA, workbook)
    page = upload(client, workbook, "defra-env18").content.decode()
    assert "The selected file must be a CSV file" in page
    page = upload(client, DEFRA, "defra-env18", "NI192 = NOPE").content.decode()
    assert "Line 1: there is no indicator with the code &#34;NOPE&#34;." in page
    page = upload(client, DEFRA, "ons").content.decode()
    assert "Select what kind of file it is" in page
    page = upload(client, DEFRA, "defra-env18", since="March").content.decode()
    assert "Enter the period like 2025-10, 2025/26 Q2 or 2025/26" in page


def test_a_published_table_uploaded_as_goldthreads_own_layout_is_refused_by_its_headings(
    client, trafford, settings, tmp_path
):
    settings.GOLDTHREAD_UPLOAD_DIR = tmp_path / "uploads"
    client.force_login(trafford.alice)
    sent = upload(client, DEFRA, "own")
    check = client.get(sent["Location"]).content.decode()
    assert "The file has problems" in check
    assert "The first row must be the column headings: indicator_code, period" in check


BROKEN = [
    # (profile, file, text, broken text, ONS code, council, indicator, frequency, link, says)
    (
        "lgbf",
        "lgbf_annual_real.csv",
        "ENV06,Stirling,2021-22,0.509",
        "ENV06,Stirling,2021-22,0.5O9",
        "S12000030",
        "Stirling",
        "annual",
        "ENV06=WST1",
        'row 82, column LA_IndicatorReal: Enter a number, like 45.5. "0.5O9" is not a number.',
    ),
    (
        "trafford",
        "trafford_planning_major.csv",
        "E08000009,Trafford,2023/24 Q1",
        "E08000009,Trafford,2023/24 Q5",
        "E08000009",
        "Trafford",
        "quarterly",
        f"{PLANNING}=WST1",
        'row 10, column period: Period "2023/24 Q5" is not valid: the quarter must be 1 to 4',
    ),
]


@pytest.mark.parametrize(
    ("profile", "name", "old", "new", "ons", "council", "frequency", "link", "says"), BROKEN
)
def test_a_broken_published_table_writes_nothing(
    world, tmp_path, profile, name, old, new, ons, council, frequency, link, says
):
    Council.objects.update(name=f"{council} Council", short_name=council, ons_code=ons)
    Indicator.objects.create(code="WST1", name="Measure", frequency=frequency, unit="percent")
    broken = tmp_path / name
    broken.write_text((DATA / name).read_text(encoding="utf-8").replace(old, new, 1))
    before = (Value.objects.count(), Value.history.count())
    out, status = command(str(broken), "--format", profile, "--map", link)
    assert status == 1
    assert says in out
    assert (Value.objects.count(), Value.history.count()) == before
