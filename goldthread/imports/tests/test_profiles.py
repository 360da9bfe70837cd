"""Mapping profiles read real published tables (small extracts in data/) into checked rows.

Pure tests: no database. Each profile is run on an extract of the real file, then on broken
copies of it, and every problem must name the row and the publisher's own column heading.
"""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pytest

from goldthread.imports import CleanRow, Problem
from goldthread.imports.profiles import (
    PROFILES,
    Home,
    MappingError,
    Settings,
    file_reader,
    parse_mapping,
    profile_reader,
)
from goldthread.imports.profiles.base import measure_key, place_key
from goldthread.imports.profiles.lgbf import financial_year
from goldthread.imports.profiles.trafford import period_key
from goldthread.imports.validate import Context, IndicatorRule

DATA = Path(__file__).parent / "data"

STIRLING = Home.of("Stirling Council", "S12000030", other_names=["Stirling"])
TRAFFORD = Home.of("Trafford Council", "E08000009", areas={"E05015239": "ALT"})
PLANNING = (
    "Percentage of major planning applications decided within 13 weeks or agreed time (Percentage)"
)


def rule(frequency: str, unit: str = "percent", *, rate: bool = False, decimals: int = 1):
    return IndicatorRule(frequency, rate, unit, None, decimals)


SCOTTISH = Context(
    {
        "ENV06": rule("annual", rate=True),
        "CHN04": rule("annual"),
        "C&L01": rule("annual", "currency", decimals=2),
        "CORP09": rule("quarterly", rate=True),
        "ECON12a": rule("monthly", rate=True),
    },
    [],
    date(2026, 1, 15),
)
ENGLISH = Context(
    {
        "WST1": rule("annual"),
        "WST2": rule("annual", "number"),
        "PLN1": rule("quarterly", decimals=0),
        "CLM1": rule("monthly", "number", decimals=0),
        "CLM2": rule("monthly"),
    },
    ["ALT"],
    date(2026, 4, 30),
)


def run(profile: str, source, settings: Settings, context: Context):
    items = list(profile_reader(profile, settings)(source, context))
    rows = [item for item in items if isinstance(item, CleanRow)]
    problems = [item for item in items if isinstance(item, Problem)]
    return rows, problems


def errors(problems: list[Problem]) -> list[str]:
    return [str(problem) for problem in problems if problem.is_error]


def warnings(problems: list[Problem]) -> list[str]:
    return [str(problem) for problem in problems if not problem.is_error]


def edited(name: str, old: str, new: str, count: int = 1) -> io.BytesIO:
    text = (DATA / name).read_text(encoding="utf-8")
    assert old in text, old
    return io.BytesIO(text.replace(old, new, count).encode("utf-8"))


def figure(rows: list[CleanRow], code: str, period: str, area: str | None = None) -> CleanRow:
    (found,) = [
        r for r in rows if (r.indicator_code, r.period, r.area_code) == (code, period, area)
    ]
    return found


# --- LGBF -----------------------------------------------------------------------------------


def test_lgbf_annual_table_gives_stirlings_figures_with_proportions_as_percentages():
    rows, problems = run("lgbf", DATA / "lgbf_annual_real.csv", Settings(STIRLING), SCOTTISH)
    assert not errors(problems)
    recycling = figure(rows, "ENV06", "2021/22")
    assert recycling.value == pytest.approx(50.9)  # published as 0.509
    assert recycling.numerator is None
    assert figure(rows, "C&L01", "2016/17").value == pytest.approx(2.0375)  # £, not scaled
    assert {r.period for r in rows if r.indicator_code == "CHN04"} >= {"2016/17", "2021/22"}


def test_lgbf_cash_table_is_told_apart_by_its_headings():
    rows, problems = run("lgbf", DATA / "lgbf_annual_cash.csv", Settings(STIRLING), SCOTTISH)
    assert not errors(problems)
    assert figure(rows, "C&L01", "2022/23").value == pytest.approx(4.66)  # cash, not real
    assert figure(rows, "ENV06", "2022/23").value == pytest.approx(51)


def test_lgbf_rows_for_other_councils_and_unlinked_measures_are_counted_not_imported():
    rows, problems = run("lgbf", DATA / "lgbf_annual_real.csv", Settings(STIRLING), SCOTTISH)
    said = " ".join(warnings(problems))
    assert '48 rows for other councils or places ("Falkirk") were not imported' in said
    assert "comparators, not Stirling Council's own figures" in said
    assert "measures not linked to any of your indicators" in said
    assert '"CORP01"' in said
    assert all(row.area_code is None for row in rows)


def test_lgbf_years_are_never_read_as_months():
    assert financial_year("2011-12") == "2011/12"
    assert financial_year("2019-22") is None
    assert financial_year("2018") == "2018"


def test_lgbf_sub_annual_table_reads_months_and_quarters_and_skips_the_total_line():
    rows, problems = run("lgbf", DATA / "lgbf_sub_annual.csv", Settings(STIRLING), SCOTTISH)
    assert not errors(problems)
    assert figure(rows, "CORP09", "2021/22 Q1").value == pytest.approx(89)
    assert figure(rows, "ECON12a", "2023-03").value == pytest.approx(2.4)
    assert "1 row was not imported: the table's total line." in " ".join(warnings(problems))


def test_lgbf_value_that_its_numerator_and_denominator_do_not_give_is_imported_alone():
    rows, problems = run("lgbf", DATA / "lgbf_sub_annual.csv", Settings(STIRLING), SCOTTISH)
    q2 = figure(rows, "CORP09", "2021/22 Q2")  # published 0.92; 790 / 860 is 91.86%
    assert (q2.value, q2.numerator, q2.denominator) == (92.0, None, None)
    matching = figure(rows, "CORP09", "2021/22 Q1")  # 805 / 905 is 88.95%, published 0.89
    assert (matching.numerator, matching.denominator) == (805.0, 905.0)
    assert any("only the published value was imported" in text for text in warnings(problems))


def test_lgbf_multi_year_periods_are_counted_and_left_out():
    source = edited("lgbf_annual_real.csv", "C&L01,Stirling,2016-17", "C&L01,Stirling,2016-19")
    rows, problems = run("lgbf", source, Settings(STIRLING), SCOTTISH)
    assert "2016/17" not in {r.period for r in rows if r.indicator_code == "C&L01"}
    assert any("periods of more than one year" in text for text in warnings(problems))


def test_a_mapping_sends_an_lgbf_code_to_the_councils_own_indicator():
    context = Context({"RECYCLE": rule("annual", rate=True)}, [], date(2026, 1, 15))
    settings = Settings(STIRLING, {"ENV 06": "RECYCLE"})
    rows, problems = run("lgbf", DATA / "lgbf_annual_real.csv", settings, context)
    assert not errors(problems)
    assert figure(rows, "RECYCLE", "2021/22").value == pytest.approx(50.9)


# --- Defra ENV18 ----------------------------------------------------------------------------


def test_defra_table_gives_traffords_recycling_rate_as_a_percentage():
    settings = Settings(TRAFFORD, {"NI192": "WST1", "NI191": "WST2"})
    rows, problems = run("defra-env18", DATA / "defra_env18_table3.csv", settings, ENGLISH)
    assert not errors(problems)
    assert figure(rows, "WST1", "2022/23").value == pytest.approx(58.4)  # published 0.584
    assert figure(rows, "WST2", "2022/23").value == pytest.approx(305.2)
    assert {r.period for r in rows} == {f"{y}/{(y + 1) % 100:02d}" for y in range(2016, 2023)}
    said = " ".join(warnings(problems))
    assert "Stockport MBC" in said and "comparators" in said
    assert '"NI193" and "BVPI84a"' in said


def test_defra_problems_name_the_published_column():
    heading = "Percentage of household waste sent for reuse, recycling or composting (Ex NI192)"
    source = edited(
        "defra_env18_table3.csv",
        "Trafford MBC,Collection,327,0.613",
        "Trafford MBC,Collection,327,61.3%",
    )
    settings = Settings(TRAFFORD, {"NI192": "WST1"})
    _, problems = run("defra-env18", source, settings, ENGLISH)
    assert errors(problems) == [
        f'row 4, column {heading}: Enter a number, like 45.5. "61.3%" has a % sign: write 61.3.'
    ]


def test_defra_missing_markers_are_skipped_not_stored_as_zero():
    settings = Settings(TRAFFORD, {"NI193": "WST1"})
    rows, problems = run("defra-env18", DATA / "defra_env18_table3.csv", settings, ENGLISH)
    assert rows == []
    assert any("had no figure" in text for text in warnings(problems))


def test_a_file_with_no_rows_for_the_council_says_so():
    settings = Settings(Home.of("Bolton Council", "E08000001"), {"NI192": "WST1"})
    rows, problems = run("defra-env18", DATA / "defra_env18_table3.csv", settings, ENGLISH)
    assert rows == []
    assert errors(problems)[0].startswith(
        "row 1: There are no figures for Bolton Council in this file."
    )


# --- Trafford Data Lab ----------------------------------------------------------------------


def test_trafford_quarterly_table_gives_the_councils_own_figures():
    settings = Settings(TRAFFORD, {PLANNING: "PLN1"})
    rows, problems = run("trafford", DATA / "trafford_planning_major.csv", settings, ENGLISH)
    assert not errors(problems)
    assert figure(rows, "PLN1", "2022/23 Q3").value == 100
    assert len(rows) == 13
    assert any('"England" and "Stockport"' in text for text in warnings(problems))


def test_trafford_monthly_table_fills_wards_that_are_the_councils_areas():
    settings = Settings(
        TRAFFORD,
        {
            "Claimant count (Count)": "CLM1",
            "claimants as a proportion of residents aged 16-64 (percentage)": "CLM2",
        },
    )
    rows, problems = run("trafford", DATA / "trafford_claimant_count.csv", settings, ENGLISH)
    assert not errors(problems)
    assert figure(rows, "CLM1", "2025-03").value == 4585
    assert figure(rows, "CLM1", "2026-03", "ALT").value == 160
    assert figure(rows, "CLM2", "2026-03", "ALT").value == pytest.approx(2.2)  # already 0-100
    assert "2026-04" not in {r.period for r in rows}
    assert any('"Ashton upon Mersey"' in text for text in warnings(problems))


def test_one_indicator_published_as_a_percentage_and_as_tonnes_is_two_measures():
    source = DATA / "trafford_household_waste_recycling.csv"
    name = "Household waste sent for reuse, recycling or composting"
    settings = Settings(TRAFFORD, {f"{name} (Percentage)": "WST1"})
    rows, problems = run("trafford", source, settings, ENGLISH)
    assert not errors(problems)
    assert figure(rows, "WST1", "2014/15").value == pytest.approx(61.9)
    assert any(f'"{name} (Frequency)"' in text for text in warnings(problems))


def test_trafford_months_are_written_the_goldthread_way():
    assert period_key("March 2025") == "2025-03"
    assert period_key("2024/25 Q1") == "2024/25 Q1"
    assert period_key("Smarch 2025") == "Smarch 2025"


def test_published_figures_of_another_length_than_the_indicators_are_counted_not_refused():
    settings = Settings(TRAFFORD, {PLANNING: "CLM1"})
    rows, problems = run("trafford", DATA / "trafford_planning_major.csv", settings, ENGLISH)
    assert rows == []
    assert errors(problems) == [
        "row 1: None of the figures for Trafford Council in this file can be imported: the "
        "notes say why."
    ]
    assert any(
        "13 rows for periods of another length than the indicator's" in text
        and '"CLM1 is monthly"' in text
        for text in warnings(problems)
    )


def test_only_periods_from_the_chosen_one_are_imported():
    settings = Settings(TRAFFORD, {PLANNING: "PLN1"}, since="2025/26 Q1")
    rows, problems = run("trafford", DATA / "trafford_planning_major.csv", settings, ENGLISH)
    assert [r.period for r in rows] == ["2025/26 Q1", "2025/26 Q2", "2025/26 Q3"]
    assert any("before the first period you chose" in text for text in warnings(problems))


def test_trafford_figures_for_the_future_are_refused_by_row():
    settings = Settings(TRAFFORD, {PLANNING: "PLN1"})
    old, new = "E08000009,Trafford,2023/24 Q1", "E08000009,Trafford,2029/30 Q1"
    _, problems = run(
        "trafford", edited("trafford_planning_major.csv", old, new), settings, ENGLISH
    )
    assert errors(problems) == [
        "row 10, column period: The period 2029/30 Q1 is in the future. Check the period."
    ]


# --- Every profile: broken files -----------------------------------------------------------

BROKEN = [
    (
        "lgbf",
        "lgbf_annual_real.csv",
        ",Code,LocalAuthority,Year,",
        ",Indicator,LocalAuthority,Year,",
        'This does not look like the LGBF data table (real terms): the first row has no "Code"',
    ),
    (
        "lgbf",
        "lgbf_annual_real.csv",
        "ENV06,Stirling,2021-22,0.509",
        "ENV06,Stirling,2021-22,0·509",
        'column LA_IndicatorReal: Enter a number, like 45.5. "0·509" is not a number.',
    ),
    (
        "lgbf",
        "lgbf_annual_real.csv",
        "ENV06,Stirling,2021-22",
        "ENV06,Stirling,21/22",
        'column Year: Period "21/22" is not valid',
    ),
    (
        "defra-env18",
        "defra_env18_table3.csv",
        "Year,Region,ONS code",
        "Year,Region,GSS",
        "row 1: This does not look like Defra's waste table (ENV18, Table 3): the first row has no",
    ),
    (
        "defra-env18",
        "defra_env18_table3.csv",
        "2022-23,North West,E08000009",
        "2022-33,North West,E08000009",
        "column Year:",
    ),
    (
        "trafford",
        "trafford_planning_major.csv",
        "area_code,area_name,period",
        "area,area_name,period",
        "row 1: This does not look like Trafford Data Lab's tidy table: the first row has no",
    ),
    (
        "trafford",
        "trafford_planning_major.csv",
        "Trafford,2022/23 Q3,",
        "Trafford,Q3 2022,",
        "column period: ",
    ),
]


@pytest.mark.parametrize(("profile", "name", "old", "new", "expected"), BROKEN)
def test_a_broken_published_file_gets_a_message_naming_row_and_column(
    profile, name, old, new, expected
):
    settings = Settings(
        STIRLING if profile == "lgbf" else TRAFFORD, {"NI192": "WST1", PLANNING: "PLN1"}
    )
    context = SCOTTISH if profile == "lgbf" else ENGLISH
    _, problems = run(profile, edited(name, old, new), settings, context)
    assert any(expected in text for text in errors(problems)), errors(problems)


def test_bytes_that_are_not_utf8_are_reported_on_their_row():
    text = (DATA / "trafford_planning_major.csv").read_bytes()
    broken = text.replace(b"Trafford,2022/23 Q3", b"Traff\xa3rd,2022/23 Q3")
    settings = Settings(TRAFFORD, {PLANNING: "PLN1"})
    _, problems = run("trafford", io.BytesIO(broken), settings, ENGLISH)
    assert any(
        t.startswith("row 4, column area_name: This row has a character that is not UTF-8")
        for t in errors(problems)
    )


def test_an_empty_file_is_refused():
    _, problems = run("trafford", io.BytesIO(b""), Settings(TRAFFORD), ENGLISH)
    assert errors(problems)


def test_the_profiles_are_named_for_the_command_line():
    assert sorted(PROFILES) == ["defra-env18", "lgbf", "trafford"]


# --- Names and mappings ---------------------------------------------------------------------


def test_codes_and_place_names_match_as_publishers_write_them():
    assert measure_key("CORP 07") == measure_key("corp07")
    assert place_key("Argyll & Bute Council") == place_key("Argyll and Bute")
    assert STIRLING.place("", "Stirling") == ""
    assert STIRLING.place("", "Falkirk") is None
    assert TRAFFORD.place("E08000009", "Trafford") == ""
    assert TRAFFORD.place("E05015239", "Altrincham") == "ALT"


def test_a_ward_is_found_by_name_but_a_council_named_like_an_area_is_not():
    home = Home.of("Trafford Council", "E08000009", areas={"ALT": "ALT", "Stockport": "STK"})
    assert home.place("E05015239", "Altrincham ") is None
    assert home.place("E05999999", "Stockport") == "STK"
    assert home.place("E08000007", "Stockport") is None


def test_a_mapping_is_read_a_line_at_a_time():
    text = "# Defra\nNI192 = wst1\n\nHousehold waste, recycled = a = WST2\n"
    assert parse_mapping(text, ["WST1", "WST2"]) == {
        "NI192": "WST1",
        "Household waste, recycled = a": "WST2",
    }


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("NI192 ENV1", "Line 1: write the measure, an equals sign and your indicator code"),
        ("NI192 = NOPE", 'Line 1: there is no indicator with the code "NOPE".'),
        ("NI192 = WST1\nni 192 = WST2", 'Line 2: "ni 192" is already linked on line 1.'),
        ("= WST1", "Line 1: write the measure"),
    ],
)
def test_a_mapping_that_cannot_be_used_names_its_line(text, message):
    with pytest.raises(MappingError, match=message):
        parse_mapping(text, ["WST1", "WST2"])


def test_published_history_before_an_indicators_first_period_is_counted_not_refused():
    context = Context(
        {"WST1": IndicatorRule("annual", False, "percent", "2020/21", 1)}, [], date(2026, 4, 30)
    )
    settings = Settings(TRAFFORD, {"NI192": "WST1"})
    rows, problems = run("defra-env18", DATA / "defra_env18_table3.csv", settings, context)
    assert not errors(problems)
    assert sorted(r.period for r in rows) == ["2020/21", "2021/22", "2022/23"]
    assert any(
        text.startswith("row 4: 4 rows for periods before an indicator's first figure")
        and '"WST1 from 2020/21"' in text
        for text in warnings(problems)
    )


# --- The collection template's layout ------------------------------------------------------


def test_a_template_saved_as_csv_reads_its_figures_and_ignores_its_context_columns():
    text = (
        "Indicator code,Indicator name,Period,Period name,Area code,Area name,Unit,"
        "Previous figure,Target,Status,Value,Numerator,Denominator,Commentary\n"
        "CLM1,Claimants,2026-03,March 2026,,Whole council,Number,4585,=1+1,Draft,4600,,,Up\n"
        "CLM2,Claimant rate,2026-03,March 2026,,Whole council,Percentage,3.1,3,Not started,,,,\n"
    )
    items = list(file_reader("csv")(io.BytesIO(text.encode()), ENGLISH))
    assert [str(i) for i in items if isinstance(i, Problem)] == []
    (row,) = [i for i in items if isinstance(i, CleanRow)]
    assert (row.row, row.indicator_code, row.value, row.commentary) == (2, "CLM1", 4600, "Up")


def test_a_file_with_goldthreads_columns_only_still_refuses_a_row_without_a_figure():
    text = "indicator_code,period,value\nCLM1,2026-03,\n"
    items = list(file_reader("csv")(io.BytesIO(text.encode()), ENGLISH))
    assert [str(i) for i in items] == [
        "row 2, column value: Enter a value, or a numerator and a denominator."
    ]


def test_a_row_with_only_a_numerator_for_an_indicator_that_is_not_a_rate_has_no_figure():
    old = "C&L01,Stirling,2017-18,2.2743,"
    rows, problems = run(
        "lgbf",
        edited("lgbf_annual_real.csv", old, "C&L01,Stirling,2017-18,,"),
        Settings(STIRLING),
        SCOTTISH,
    )
    assert not errors(problems)
    assert "2017/18" not in {r.period for r in rows if r.indicator_code == "C&L01"}
    assert any(t.startswith("row 10: 1 row had no figure") for t in warnings(problems))
