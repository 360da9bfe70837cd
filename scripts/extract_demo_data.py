"""Build the Stirling Council demo data set from the Scottish LGBF 2024 tables.

One-off extraction: reads the shared data folder (never used at run or test time) and writes
the subset the demo needs into ``goldthread/demo/data/``. Re-running gives identical files.

    .venv/bin/python scripts/extract_demo_data.py [PATH_TO_SHARED_DATA]

The council structure, people and targets are fictional arrangements around real data; see
``goldthread/demo/data/ATTRIBUTION.md`` and
``docs/adr/0002-demo-council-and-illustrative-targets.md``.
"""

from __future__ import annotations

import argparse
import csv
import json
import statistics
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "goldthread" / "demo" / "data"
LGBF = Path("raw") / "lgbf-scotland-2024"
HOME = "Stirling"
MIN_YEARS = 5

MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]

# --- Organisation -------------------------------------------------------------------------

DIRECTORATES = [
    (
        "CYPE",
        "Children, Young People and Education",
        [
            ("SCHL", "Schools and Learning"),
            ("EYRS", "Early Years and Early Intervention"),
            ("CHFM", "Children and Families"),
        ],
    ),
    (
        "ENVP",
        "Environment and Place",
        [
            ("WAST", "Waste Services"),
            ("ROAD", "Roads and Land Operations"),
            ("PLAN", "Planning and Building Standards"),
            ("REGS", "Regulatory Services"),
            ("SUST", "Sustainable Development and Net Zero"),
            ("HSNG", "Housing"),
        ],
    ),
    (
        "CED",
        "Communities and Economic Development",
        [
            ("ECGR", "Economic Growth, Culture, Tourism and Events"),
            ("INCL", "Regeneration and Inclusive Growth"),
        ],
    ),
    (
        "CORP",
        "Corporate Operations",
        [
            ("FINA", "Finance"),
            ("REVB", "Revenues and Benefits"),
            ("HROD", "Human Resources and Organisational Development"),
            ("PROP", "Corporate Property"),
            ("PROC", "Strategic Commissioning and Procurement"),
        ],
    ),
    (
        "HSCP",
        "Health and Social Care Partnership (adult social care)",
        [
            ("ADSC", "Adult Health and Care"),
            ("SPHI", "Strategic Planning and Health Improvement"),
        ],
    ),
]

# The second half of indicator_information.csv's `StirlingService` ("Service ; Team").
TEAM_TO_SERVICE = {
    "Waste Services": "WAST",
    "Roads & Land Operations": "ROAD",
    "Economic Growth, Culture, Tourism & Events": "ECGR",
    "Strategic Commissioning": "PROC",
    "Planning & Building Standards": "PLAN",
    "Corporate Property Assets": "PROP",
    "Regulatory Services": "REGS",
    "Accounting Operations": "FINA",
    "Revenue & Benefits": "REVB",
    "Human Resources": "HROD",
    "Regeneration & Inclusive Growth": "INCL",
    "Housing Management and Homelessness": "HSNG",
    "Housing Property and Asset Management": "HSNG",
    "Health & Care": "ADSC",
    "Strategic Planning & Health Improvement": "SPHI",
    "Children & Families": "CHFM",
    "Field Work": "CHFM",
    "Broad General Education": "SCHL",
    "Senior Phase Education and Youth Participation": "SCHL",
    "Early Years & Early Intervention": "EYRS",
    "Additional Support Needs (ASN), Health & Wellbeing": "SCHL",
    "Public Transport & Sustainable Development": "SUST",
}

WARDS = [
    ("W01", "Trossachs and Teith", "RURAL"),
    ("W02", "Forth and Endrick", "RURAL"),
    ("W03", "Dunblane and Bridge of Allan", "RURAL"),
    ("W04", "Stirling North", "CITY"),
    ("W05", "Stirling West", "CITY"),
    ("W06", "Stirling East", "CITY"),
    ("W07", "Bannockburn", "CITY"),
]
AREA_COMMITTEE_AREAS = [("RURAL", "Rural Stirling"), ("CITY", "Stirling City")]

# --- Golden thread: outcome -> priority -> objective (service) -> indicators ------------------

OUTCOMES = [
    (
        "OC1",
        "Children and young people have the best start and reach their potential",
        [
            (
                "P1.1",
                "Raise attainment and close the poverty-related gap",
                "Every young person leaves school with the qualifications and support to move on "
                "to work, training or study, whatever their background.",
                [
                    (
                        "O1.1.1",
                        "Improve senior phase attainment for every young person",
                        "SCHL",
                        ["CHN04", "CHN05", "CHN12a", "CHN12c", "CHN12d", "CHN12e", "CHN12f"],
                    ),
                    (
                        "O1.1.2",
                        "Close the poverty-related attainment gap",
                        "SCHL",
                        ["CHN06", "CHN07", "CHN12b"],
                    ),
                    (
                        "O1.1.3",
                        "Support young people into positive destinations",
                        "SCHL",
                        ["CHN11", "CHN21"],
                    ),
                    (
                        "O1.1.4",
                        "Run schools efficiently and keep children learning in school",
                        "SCHL",
                        ["CHN01", "CHN02", "CHN19a", "CHN19b", "CHN20a", "CHN20b"],
                    ),
                ],
            ),
            (
                "P1.2",
                "Give every child the best start in the early years",
                "High-quality funded early learning and childcare, and support for families from "
                "the first years of a child's life.",
                [
                    (
                        "O1.2.1",
                        "Expand high-quality, good-value early learning and childcare",
                        "EYRS",
                        ["CHN03", "CHN17", "CHN18"],
                    ),
                ],
            ),
            (
                "P1.3",
                "Keep children safe and cared for in families and communities",
                "Children who cannot live at home are cared for close to their communities in "
                "stable placements, and are protected from harm.",
                [
                    (
                        "O1.3.1",
                        "Care for more looked-after children in family and community settings",
                        "CHFM",
                        ["CHN08a", "CHN08b", "CHN09", "CHN23"],
                    ),
                    ("O1.3.2", "Protect children from harm", "CHFM", ["CHN22"]),
                ],
            ),
        ],
    ),
    (
        "OC2",
        "A fair and thriving economy",
        [
            (
                "P2.1",
                "Support business growth and good jobs",
                "Help new businesses start and grow, bring forward land for employment, and make "
                "town centres and cultural venues places people want to visit.",
                [
                    (
                        "O2.1.1",
                        "Help new businesses start and grow",
                        "ECGR",
                        ["ECON05", "ECON06", "ECON08", "ECON10", "ECON11"],
                    ),
                    ("O2.1.2", "Help unemployed people into work", "ECGR", ["ECON01"]),
                    (
                        "O2.1.3",
                        "Deliver a fast, efficient planning service",
                        "PLAN",
                        ["ECON02", "ECON03"],
                    ),
                    (
                        "O2.1.4",
                        "Spend more of the council's procurement with local businesses",
                        "PROC",
                        ["ECON04"],
                    ),
                    (
                        "O2.1.5",
                        "Keep town centres, culture and leisure vibrant and good value",
                        "ECGR",
                        ["ECON09", "C&L01", "C&L02", "C&L03"],
                    ),
                ],
            ),
            (
                "P2.2",
                "Tackle poverty and inequality",
                "Get crisis support to people quickly and work with partners to reduce "
                "unemployment, low pay and child poverty.",
                [
                    (
                        "O2.2.1",
                        "Get crisis and community care grants to people quickly",
                        "INCL",
                        ["CORP09", "CORP10", "CORP11", "CORP12"],
                    ),
                    (
                        "O2.2.2",
                        "Understand and reduce unemployment, low pay and child poverty",
                        "INCL",
                        ["ECON12a", "ECON12b", "ECON07", "CHN24"],
                    ),
                ],
            ),
        ],
    ),
    (
        "OC3",
        "A clean, green and net-zero Stirling",
        [
            (
                "P3.1",
                "Reduce waste and recycle more",
                "Recycle more of Stirling's household waste while keeping the cost of collection "
                "and disposal down.",
                [
                    (
                        "O3.1.1",
                        "Increase recycling and keep waste costs down",
                        "WAST",
                        ["ENV06", "ENV01a", "ENV02a"],
                    ),
                ],
            ),
            (
                "P3.2",
                "Clean streets, safe roads and well-kept green spaces",
                "Streets that are clean, roads and parks maintained at a fair cost, and public "
                "health and consumers protected.",
                [
                    ("O3.2.1", "Keep streets clean", "ROAD", ["ENV03c", "ENV03a"]),
                    (
                        "O3.2.2",
                        "Maintain roads, parks and open spaces cost-effectively",
                        "ROAD",
                        ["ENV04a", "C&L04"],
                    ),
                    ("O3.2.3", "Protect public health and consumers", "REGS", ["ENV05a", "ENV05b"]),
                ],
            ),
            (
                "P3.3",
                "Lead the way to net zero",
                "Cut carbon emissions across the Stirling area, starting with the emissions the "
                "council can influence.",
                [
                    ("O3.3.1", "Cut area-wide carbon emissions", "SUST", ["CLIM01", "CLIM02"]),
                ],
            ),
        ],
    ),
    (
        "OC4",
        "People live healthy, independent lives in good homes",
        [
            (
                "P4.1",
                "Support people to live independently at home",
                "Working with NHS Forth Valley through the Health and Social Care Partnership, get "
                "people home from hospital without delay and give them good care and choice.",
                [
                    (
                        "O4.1.1",
                        "Get people home from hospital without delay",
                        "ADSC",
                        ["SW08", "SW06"],
                    ),
                    (
                        "O4.1.2",
                        "Provide high-quality, good-value care at home and in care homes",
                        "ADSC",
                        ["SW01", "SW03a", "SW05", "SW07", "SW04b", "SW04c", "SW04d", "SW04e"],
                    ),
                    (
                        "O4.1.3",
                        "Give people choice and control through self-directed support",
                        "SPHI",
                        ["SW02"],
                    ),
                ],
            ),
            (
                "P4.2",
                "Provide safe, warm, well-managed council homes",
                "Collect the rent that pays for council housing, re-let empty homes quickly and "
                "keep homes in good repair and energy efficient.",
                [
                    (
                        "O4.2.1",
                        "Maximise rent income and re-let empty homes quickly",
                        "HSNG",
                        ["HSN01b", "HSN02"],
                    ),
                    (
                        "O4.2.2",
                        "Keep council homes in good repair and energy efficient",
                        "HSNG",
                        ["HSN03", "HSN04b", "HSN05a"],
                    ),
                ],
            ),
        ],
    ),
    (
        "OC5",
        "A well-run, financially sustainable council",
        [
            (
                "P5.1",
                "Keep the council's finances sustainable",
                "Hold prudent reserves, keep borrowing affordable and spend within budget.",
                [
                    (
                        "O5.1.1",
                        "Maintain prudent reserves and manage the budget",
                        "FINA",
                        ["FINSUS01", "FINSUS02", "FINSUS03", "FINSUS04", "FINSUS05", "CORP01"],
                    ),
                ],
            ),
            (
                "P5.2",
                "Collect income and pay suppliers promptly",
                "Collect council tax efficiently and pay local suppliers on time.",
                [
                    ("O5.2.1", "Collect council tax efficiently", "REVB", ["CORP04", "CORP07"]),
                    ("O5.2.2", "Pay suppliers on time", "FINA", ["CORP08"]),
                ],
            ),
            (
                "P5.3",
                "A healthy, fair workforce in fit-for-purpose buildings",
                "Reduce sickness absence, close the gender pay gap and keep operational buildings "
                "suitable and in good condition.",
                [
                    ("O5.3.1", "Reduce sickness absence", "HROD", ["CORP06a", "CORP06b"]),
                    (
                        "O5.3.2",
                        "Close the gender pay gap and improve representation",
                        "HROD",
                        ["CORP03b", "CORP03c"],
                    ),
                    (
                        "O5.3.3",
                        "Keep operational buildings suitable and in good condition",
                        "PROP",
                        ["CORP-ASSET01", "CORP-ASSET02"],
                    ),
                ],
            ),
        ],
    ),
]

# Describe the area rather than the council's own performance: no polarity, no target.
CONTEXT = {"ECON12a", "ECON12b", "ECON11", "ECON07", "ECON08", "CHN24", "CLIM01"}

SCORECARD = {
    "CHN04",
    "CHN06",
    "CHN11",
    "CHN18",
    "CHN09",
    "CHN22",
    "ECON05",
    "ECON03",
    "ECON09",
    "CORP09",
    "CORP10",
    "ECON12a",
    "ENV06",
    "ENV03c",
    "ENV01a",
    "CLIM02",
    "SW08",
    "SW03a",
    "SW07",
    "HSN01b",
    "HSN03",
    "HSN04b",
    "FINSUS02",
    "FINSUS05",
    "CORP07",
    "CORP08",
    "CORP06b",
    "CORP03c",
}

# Year-end positions rather than flows over the year.
SNAPSHOT = {
    "ECON12a",
    "ECON12b",
    "ECON08",
    "ECON09",
    "ECON10",
    "HSN01b",
    "HSN03",
    "HSN05a",
    "CORP-ASSET01",
    "CORP-ASSET02",
    "FINSUS01",
    "FINSUS02",
    "CHN09",
    "CHN18",
    "SW03a",
    "SW07",
}

# Goldilocks bands (0-100 scale after normalisation), centred on Ranking_GoldilocksMidpoint.
BANDS = {
    "CORP03b": (40.0, 60.0, "a 40-60% share is the usual definition of gender balance"),
    "CORP03c": (-3.0, 3.0, "a gap within 3 percentage points either way of zero"),
    "CORP11": (95.0, 105.0, "spending within 5% of the Welfare Fund budget"),
    "CORP12": (95.0, 105.0, "spending within 5% of the Discretionary Housing Payment funding"),
}

# Aggregate or multi-year measures we leave out (their periods are rolling multi-year windows,
# or the unit in the source is unclear, or they double-count ENV05a + ENV05b).
EXCLUDED = {"ENV05", "CLIM03", "CLIM04", "CLIM05"}

SUB_ANNUAL = {
    "ECON12a": ("monthly", "snapshot", "mean of the 12 months"),
    "ECON12b": ("monthly", "snapshot", "mean of the 12 months"),
    "ECON05": ("monthly", "in_period", "sum of the 12 months"),
    "SW08": ("monthly", "in_period", "sum of the 12 months"),
    "CORP09": ("quarterly", "in_period", "mean of the 4 quarters"),
    "CORP10": ("quarterly", "in_period", "mean of the 4 quarters"),
}

UNIT_OVERRIDES = {"SW08": "rate", "ECON03": "number"}
NAME_SUFFIX = {"ECON03": " (weeks)", "CLIM01": " (tonnes)", "CLIM02": " (tonnes)"}

PEOPLE = [
    ("officer", "Morag Lennox", "performance_officer", "Performance and Intelligence Officer", {}),
    ("officer2", "Sanjay Patel", "performance_officer", "Senior Performance Analyst", {}),
    (
        "owner",
        "Eilidh Buchanan",
        "data_owner",
        "Service Manager, Schools and Learning",
        {"services": ["SCHL", "EYRS"]},
    ),
    (
        "owner2",
        "Callum Rennie",
        "data_owner",
        "Service Manager, Children and Families",
        {"services": ["CHFM"]},
    ),
    (
        "owner3",
        "Aileen Murray",
        "data_owner",
        "Service Manager, Waste, Roads and Regulatory",
        {"services": ["WAST", "ROAD", "REGS"]},
    ),
    (
        "owner4",
        "Graham Sutherland",
        "data_owner",
        "Service Manager, Housing and Planning",
        {"services": ["HSNG", "PLAN", "SUST"]},
    ),
    (
        "owner5",
        "Priya Nair",
        "data_owner",
        "Service Manager, Economic Development",
        {"services": ["ECGR", "INCL"]},
    ),
    (
        "owner6",
        "Kenneth Baird",
        "data_owner",
        "Finance and Resources Business Partner",
        {"services": ["FINA", "REVB", "HROD", "PROP", "PROC"]},
    ),
    (
        "owner7",
        "Rachel Kerr",
        "data_owner",
        "Service Manager, Adult Health and Care",
        {"services": ["ADSC", "SPHI"]},
    ),
    (
        "director",
        "Alison Hay",
        "director",
        "Director of Children, Young People and Education",
        {"directorate": "CYPE"},
    ),
    (
        "director2",
        "Stuart MacRae",
        "director",
        "Director of Environment and Place",
        {"directorate": "ENVP"},
    ),
    (
        "director3",
        "Joanne Whyte",
        "director",
        "Director of Communities and Economic Development",
        {"directorate": "CED"},
    ),
    ("director4", "Iain Forsyth", "director", "Chief Operating Officer", {"directorate": "CORP"}),
    (
        "director5",
        "Lesley Campbell",
        "director",
        "Chief Officer, Health and Social Care Partnership",
        {"directorate": "HSCP"},
    ),
    (
        "cabinet",
        "Douglas Grant",
        "cabinet_member",
        "Councillor; Convener, Finance and Economy (portfolio: economy, finance and performance)",
        {
            "priorities": ["P2.1", "P2.2", "P5.1", "P5.2", "P5.3"],
            "committees": [("PRC", True), ("FEC", True)],
        },
    ),
    (
        "cabinet2",
        "Heather Boyd",
        "cabinet_member",
        "Councillor; Convener, Children and Young People "
        "(portfolio: children, education and adult care)",
        {
            "priorities": ["P1.1", "P1.2", "P1.3", "P4.1"],
            "committees": [("PRC", False), ("CYPC", True)],
        },
    ),
    (
        "cabinet3",
        "Neil Robertson",
        "cabinet_member",
        "Councillor; Convener, Environment and Housing "
        "(portfolio: environment, housing and net zero)",
        {
            "priorities": ["P3.1", "P3.2", "P3.3", "P4.2"],
            "committees": [("PRC", False), ("EHC", True)],
        },
    ),
    (
        "councillor",
        "Shona Blair",
        "committee_member",
        "Councillor",
        {"committees": [("OSC", True), ("APC", False)]},
    ),
    (
        "councillor2",
        "Martin Gow",
        "committee_member",
        "Councillor",
        {"committees": [("APC", True), ("OSC", False), ("CPRC", True)]},
    ),
    (
        "councillor3",
        "Yvonne Millar",
        "committee_member",
        "Councillor",
        {"committees": [("RSAC", True), ("OSC", False), ("EHC", False)]},
    ),
    (
        "councillor4",
        "Alan Crawford",
        "committee_member",
        "Councillor",
        {"committees": [("SCAC", True), ("CYPC", False), ("APC", False)]},
    ),
    ("admin", "Tom Reid", "system_administrator", "Business Systems Administrator", {}),
]

ALL_PRIORITIES = [p[0] for o in OUTCOMES for p in o[2]]
PLACE_INDICATORS = ["ENV03c", "ENV06", "ECON05", "ECON09", "ECON12a", "ECON12b", "HSN04b"]

# LGBF's own `Committee` column (the Stirling analyst's mapping) -> policy committee.
LGBF_COMMITTEE = {
    "Children and Young People": "CYPC",
    "Environment and Housing": "EHC",
    "Finance and Economy": "FEC",
    "Community Planning and Regeneration": "CPRC",
}

COMMITTEES = [
    ("OSC", "Overview and Scrutiny Committee", "scrutiny", ALL_PRIORITIES, [], []),
    (
        "APC",
        "Audit and Performance Committee",
        "audit_performance",
        ["P5.1", "P5.2", "P5.3"],
        "SCORECARD",
        [],
    ),
    ("PRC", "Policy and Resources Committee", "cabinet", ALL_PRIORITIES, [], []),
    ("CYPC", "Children and Young People Committee", "policy", ["P1.1", "P1.2", "P1.3"], "LGBF", []),
    (
        "EHC",
        "Environment and Housing Committee",
        "policy",
        ["P3.1", "P3.2", "P3.3", "P4.2"],
        "LGBF",
        [],
    ),
    ("FEC", "Finance and Economy Committee", "policy", ["P2.1", "P5.1", "P5.2"], "LGBF", []),
    ("CPRC", "Community Planning and Regeneration Committee", "policy", ["P2.2"], "LGBF", []),
    ("RSAC", "Rural Stirling Area Committee", "area", [], PLACE_INDICATORS, ["RURAL"]),
    ("SCAC", "Stirling City Area Committee", "area", [], PLACE_INDICATORS, ["CITY"]),
]

# Four meetings each across 2025/26 and 2026/27 (today in the demo: 23 November 2026).
MEETING_DATES = {
    "OSC": ["2025-09-11", "2026-02-12", "2026-09-10", "2027-02-11"],
    "APC": ["2025-11-27", "2026-03-19", "2026-11-26", "2027-03-18"],
    "PRC": ["2025-10-09", "2026-03-05", "2026-10-08", "2027-03-04"],
    "CYPC": ["2025-11-06", "2026-05-28", "2026-12-03", "2027-03-25"],
    "EHC": ["2025-10-30", "2026-06-04", "2026-12-10", "2027-03-11"],
    "FEC": ["2025-12-04", "2026-06-11", "2026-11-12", "2027-02-25"],
    "CPRC": ["2025-12-11", "2026-06-18", "2026-12-17"],
    "RSAC": ["2025-10-22", "2026-04-22", "2026-10-21"],
    "SCAC": ["2025-10-29", "2026-04-29", "2026-10-28", "2027-01-27"],
}

BASKETS = [
    (
        "OC1",
        "Attainment and the poverty-related gap",
        ["CHN04", "CHN06", "CHN12a", "CHN12b", "CHN11", "CHN21"],
    ),
    ("OC1", "Looked-after children and child protection", ["CHN09", "CHN23", "CHN22", "CHN19b"]),
    ("OC2", "Jobs and business growth", ["ECON05", "ECON01", "ECON09", "ECON10", "ECON11"]),
    (
        "OC2",
        "Poverty and crisis support",
        ["ECON12a", "ECON12b", "ECON07", "CHN24", "CORP09", "CORP10"],
    ),
    ("OC3", "Clean and green places", ["ENV06", "ENV03c", "ENV01a", "CLIM01", "CLIM02"]),
    ("OC4", "Care closer to home", ["SW08", "SW06", "SW03a", "SW02", "SW07"]),
    ("OC4", "Council homes", ["HSN01b", "HSN02", "HSN03", "HSN04b", "HSN05a"]),
    ("OC5", "Sound finances", ["FINSUS01", "FINSUS02", "FINSUS05", "CORP07", "CORP08"]),
    ("OC5", "A healthy, fair workforce", ["CORP06a", "CORP06b", "CORP03b", "CORP03c"]),
]


# --- Helpers ------------------------------------------------------------------------------


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def write_csv(path: Path, header: list[str], rows: list[list[object]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)


def num(text: str) -> float | None:
    text = text.strip()
    return float(text) if text and text not in ("-", ":") else None


def fmt(x: float | None, places: int = 6) -> str:
    """Fixed, short decimal text so re-runs are byte-identical."""
    if x is None:
        return ""
    s = f"{round(x, places):.{places}f}".rstrip("0").rstrip(".")
    return "0" if s in ("-0", "") else s


def fy_label(lgbf_year: str) -> str:
    start, end = lgbf_year.split("-")
    return f"{start}/{end}"


# The LGBF number formats round some small rates to whole numbers, which hides the change
# from month to month (ECON05 is about 2 per 10,000) and makes statuses look arbitrary.
DECIMAL_OVERRIDES = {"ECON05": 2, "CHN20a": 1, "HSN02": 2, "CORP03c": 2}


def decimals_of(number_format: str) -> int:
    after = number_format.split(".", 1)
    return len(after[1]) - len(after[1].lstrip("0")) if len(after) == 2 else 0


def unit_of(code: str, info: dict[str, str]) -> str:
    if code in UNIT_OVERRIDES:
        return UNIT_OVERRIDES[code]
    nf, mt = info["NumberFormat"], info["MeasureType"]
    if "%" in nf:
        return "percent"
    if "£" in nf:
        return "currency"
    if mt.startswith("Rate"):
        return "rate"
    if mt == "Days":
        return "days"
    if mt == "Score":
        return "score"
    return "number"


def clean(text: str, limit: int = 600) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


def display(value: float, unit: str, decimals: int) -> str:
    body = f"{value:,.{decimals}f}"
    return {"percent": f"{body}%", "currency": f"£{body}"}.get(unit, body)


# --- Extraction ---------------------------------------------------------------------------


def family_groups(src: Path) -> dict[str, dict[str, object]]:
    groups: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for r in read_csv(src / "family_groups.csv"):
        groups[r["Type"]][r["Family_Group"]].append(r["Local_Authority"])
    out = {}
    for kind, by_group in sorted(groups.items()):
        name, members = next((g, m) for g, m in sorted(by_group.items()) if HOME in m)
        out[kind] = {"name": name, "members": sorted(members)}
    return out


def annual_rows(src: Path, codes: set[str]) -> dict[str, dict[str, dict[str, str]]]:
    """Stirling's annual rows by code and LGBF year, single years only."""
    by: dict[str, dict[str, dict[str, str]]] = defaultdict(dict)
    for r in read_csv(src / "LGBF_ScotDataReal_ISSpatialHub.csv"):
        start, _, end = r["Year"].partition("-")
        single = len(start) == 4 and len(end) == 2 and int(end) == (int(start) + 1) % 100
        wanted = r["LocalAuthority"] == HOME and r["Code"] in codes and single
        if wanted and num(r["LA_IndicatorReal"]) is not None:
            by[r["Code"]][r["Year"]] = r
    return by


def sub_annual_rows(src: Path, fg_members: dict[str, list[str]]):
    """Stirling's monthly/quarterly rows keyed by canonical period, with comparators.

    The file has no family-group column, so the family-group average is computed here as
    the mean of the member councils' published values (as the annual table's average is).
    """
    rows = [
        r for r in read_csv(src / "LGBF_Data_Table_Monthly_Data.csv") if r["Code"] in SUB_ANNUAL
    ]
    peers: dict[tuple[str, str], list[float]] = defaultdict(list)
    home: dict[str, dict[str, dict[str, str]]] = defaultdict(dict)
    for r in rows:
        period = sub_period(r)
        if r["LocalAuthority"] == HOME:
            assert period not in home[r["Code"]], (r["Code"], period)
            home[r["Code"]][period] = r
        value = num(r["LA_IndicatorReal"])
        if r["LocalAuthority"] in fg_members[r["Code"]] and value is not None:
            peers[(r["Code"], period)].append(value)
    fg_avg = {k: statistics.fmean(v) for k, v in peers.items() if len(v) >= 6}
    return home, fg_avg


def sub_period(r: dict[str, str]) -> str:
    if r["Month"].startswith("Q"):
        assert r["Year"] == r["LGBF Year"], r
        return f"{fy_label(r['LGBF Year'])} {r['Month']}"
    month = MONTHS.index(r["Month"]) + 1
    start = int(r["LGBF Year"][:4])
    assert int(r["Year"]) == (start if month >= 4 else start + 1), r
    return f"{r['Year']}-{month:02d}"


def financial_year(period: str) -> str:
    if "Q" in period:
        return period.split(" ")[0]
    if "/" in period:
        return period
    year, month = (int(x) for x in period.split("-"))
    start = year if month >= 4 else year - 1
    return f"{start}/{(start + 1) % 100:02d}"


def ratio_multiplier(rows: list[tuple[float, float | None, float | None]]) -> float | None:
    """The k in value = k * numerator / denominator, if one power of ten fits every row."""
    ks = [v / (n / d) for v, n, d in rows if n and d and v]
    if len(ks) < 3:
        return None
    k = statistics.median(ks)
    for power in range(-3, 9):
        if abs(k - 10**power) / 10**power < 0.005:
            k = float(10**power)
            break
    else:
        return None
    ok = all(abs(x - k) / k < 0.02 for x in ks)
    return k if ok else None


def build(src_root: Path) -> dict[str, object]:
    src = src_root / LGBF
    info = {r["Code"]: r for r in read_csv(src / "indicator_information.csv")}
    fams = family_groups(src)
    objective_of = {
        code: (outcome[0], priority[0], objective[0])
        for outcome in OUTCOMES
        for priority in outcome[2]
        for objective in priority[3]
        for code in objective[3]
    }
    fg_members = {c: fams[info[c]["FamilyGrouping"]]["members"] for c in info}
    annual = annual_rows(src, set(info))
    sub, sub_fg = sub_annual_rows(src, fg_members)

    codes = [c for c in objective_of if c not in EXCLUDED]
    assert not set(codes) - set(info), set(codes) - set(info)
    for c in codes:
        periods = sub[c] if c in SUB_ANNUAL else annual[c]
        assert (
            len(
                {financial_year(sub_period(r)) for r in sub[c].values()}
                if c in SUB_ANNUAL
                else periods
            )
            >= MIN_YEARS
        ), c

    service_of = {
        c: TEAM_TO_SERVICE[info[c]["StirlingService"].split(";")[1].strip()] for c in codes
    }
    directorate_of = {s: d[0] for d in DIRECTORATES for s, _ in d[2]}
    director_of = {p[4]["directorate"]: p[0] for p in PEOPLE if p[2] == "director"}
    owner_of = {s: p[0] for p in PEOPLE if p[2] == "data_owner" for s in p[4]["services"]}
    lead_of = {pr: p[0] for p in PEOPLE if p[2] == "cabinet_member" for pr in p[4]["priorities"]}

    committee_scope = committee_scopes(codes, info, objective_of)

    values, comparators, indicators, latest = [], [], [], {}
    history: dict[str, list[tuple[str, float]]] = {}
    for c in codes:
        meta = info[c]
        unit = unit_of(c, meta)
        scale = 100.0 if "%" in meta["NumberFormat"] else 1.0
        frequency, accumulation, _ = SUB_ANNUAL.get(c, ("annual", "in_period", ""))
        if c in SNAPSHOT:
            accumulation = "snapshot"
        if c in SUB_ANNUAL:
            series = [
                (p, r, num(r["Scotland_Indicator_Real"]), sub_fg.get((c, p)))
                for p, r in sub[c].items()
                if num(r["LA_IndicatorReal"]) is not None
            ]
        else:
            series = [
                (fy_label(y), r, num(r["Scotland_Indicator_Real"]), num(r["FG_Avg_Indicator_Real"]))
                for y, r in annual[c].items()
            ]
        series.sort(key=lambda t: t[0])
        triples = []
        for period, r, scot, fg in series:
            value = num(r["LA_IndicatorReal"]) * scale
            n, d = num(r["LA_Numerator_real"]), num(r["LA_Den_Real"])
            triples.append((value, n, d))
            values.append([c, period, fmt(value), fmt(n), fmt(d)])
            if scot is not None:
                comparators.append([c, period, "Scotland", fmt(scot * scale)])
            if fg is not None:
                comparators.append([c, period, "Family group average", fmt(fg * scale)])
        history[c] = [(p, num(r["LA_IndicatorReal"]) * scale) for p, r, _, _ in series]
        latest[c] = series[-1][0]
        k = ratio_multiplier(triples)
        has_nd = bool(meta["Numerator_Correct"].strip() and meta["Denominator_Correct"].strip())
        is_context = c in CONTEXT
        rtype = meta["Ranking_Type"].strip()
        polarity = (
            "none"
            if is_context
            else {"Ascending": "lower", "Descending": "higher", "Goldilocks": "band"}[rtype]
        )
        band = BANDS.get(c, (None, None, ""))
        assert (polarity == "band") == (c in BANDS), c
        outcome, priority, objective = objective_of[c]
        service = service_of[c]
        indicators.append(
            {
                "code": c,
                "name": clean(meta["Title"], 200) + NAME_SUFFIX.get(c, ""),
                "definition": definition(c, meta, frequency),
                "calculation_guidance": guidance(c, meta, k, scale, has_nd, frequency),
                "data_source": "Improvement Service, Local Government Benchmarking Framework "
                "(LGBF) data tables 2024. " + clean(meta["Source"], 400),
                "unit": unit,
                "decimals": DECIMAL_OVERRIDES.get(c, decimals_of(meta["NumberFormat"])),
                "polarity": polarity,
                "frequency": frequency,
                "accumulation": accumulation,
                "is_rate": str(is_rate(c, unit, k)).lower(),
                "numerator_label": clean(meta["Numerator_Correct"], 200) if has_nd else "",
                "denominator_label": clean(meta["Denominator_Correct"], 200) if has_nd else "",
                "national_or_local": "national",
                "is_context": str(is_context).lower(),
                "band_lower": fmt(band[0]),
                "band_upper": fmt(band[1]),
                "service_code": service,
                "data_owner_username": owner_of[service],
                "accountable_officer_username": director_of[directorate_of[service]],
                "lead_member_username": lead_of[priority],
                "priority_codes": priority,
                "objective_codes": objective,
                "outcome_codes": outcome,
                "committee_codes": ";".join(k2 for k2, s in committee_scope.items() if c in s),
                "on_scorecard": str(c in SCORECARD).lower(),
                "has_area_breakdown": "false",
            }
        )

    targets = build_targets(indicators, history, annual, info)
    council = build_council(fams, service_of, committee_scope)
    return {
        "indicators": indicators,
        "values": values,
        "comparators": comparators,
        "targets": targets,
        "council": council,
        "latest": latest,
    }


def is_rate(code: str, unit: str, k: float | None) -> bool:
    """A ratio: aggregate through numerator and denominator, never sum the values."""
    return k is not None or (unit in ("percent", "rate") and code != "CORP03c")


def definition(code: str, meta: dict[str, str], frequency: str) -> str:
    text = clean(meta["Title"], 300) + "."
    if frequency != "annual":
        text += f" Reported {frequency} in the LGBF sub-annual table."
    if meta["ReportingPeriod"] != "Annual":
        text += f" LGBF reporting period: {meta['ReportingPeriod'].lower()}."
    return text


def guidance(code, meta, k, scale, has_nd, frequency) -> str:
    parts = []
    if has_nd:
        parts.append(f"Numerator: {clean(meta['Numerator_Correct'], 200)}.")
        parts.append(f"Denominator: {clean(meta['Denominator_Correct'], 200)}.")
    if k is not None:
        parts.append(f"Value = numerator / denominator x {fmt(k)} (as published).")
    elif has_nd:
        parts.append("Numerator and denominator as published; the value is not their plain ratio.")
    if scale == 100.0:
        parts.append("Published as a proportion; shown here as a percentage (x 100).")
    if "£" in meta["NumberFormat"]:
        parts.append("Real terms (inflation-adjusted) as published by the Improvement Service.")
    if code in SUB_ANNUAL:
        parts.append(f"The LGBF annual figure is the {SUB_ANNUAL[code][2]}.")
    return " ".join(parts)


def committee_scopes(codes, info, objective_of) -> dict[str, set[str]]:
    scopes = {}
    for code, _name, _kind, priorities, indicator_rule, _areas in COMMITTEES:
        scope = {c for c in codes if objective_of[c][1] in priorities}
        if indicator_rule == "SCORECARD":
            scope |= SCORECARD & set(codes)
        elif indicator_rule == "LGBF":
            scope |= {c for c in codes if LGBF_COMMITTEE.get(info[c]["Committee"]) == code}
        else:
            scope |= set(indicator_rule)
        scopes[code] = scope
    return scopes


def build_targets(indicators, history, annual, info) -> list[list[str]]:
    rows = []
    for ind in indicators:
        c, polarity = ind["code"], ind["polarity"]
        if polarity == "none":
            continue
        unit, dp = ind["unit"], int(ind["decimals"])
        scale = 100.0 if "%" in info[c]["NumberFormat"] else 1.0
        years = sorted({financial_year(p) for p, _ in history[c]})
        annual_years = sorted(fy_label(y) for y in annual[c])
        for year in years[-3:]:
            if polarity == "band":
                lo, hi = float(ind["band_lower"]), float(ind["band_upper"])
                basis = (
                    f"Illustrative target, not set by Stirling Council: between "
                    f"{display(lo, unit, dp)} and {display(hi, unit, dp)}: "
                    f"{BANDS[c][2]}. Amber within 2 points outside the band."
                )
                rows.append([c, year, fmt((lo + hi) / 2), "2", "absolute", basis])
                continue
            prior = [y for y in annual_years if y < year]
            assert prior, (c, year)
            prev = prior[-1]
            r = annual[c][prev.replace("/", "-")]
            own = num(r["LA_IndicatorReal"]) * scale
            scot = num(r["Scotland_Indicator_Real"])
            scot = scot * scale if scot is not None else None
            pick = min if polarity == "lower" else max
            target = pick(own, scot) if scot is not None else own
            whole = " full-year" if c in SUB_ANNUAL else ""
            if scot is None:
                basis = (
                    f"Illustrative target, not set by Stirling Council: Stirling's {prev}"
                    f"{whole} result ({display(own, unit, dp)}), held."
                )
            else:
                basis = (
                    f"Illustrative target, not set by Stirling Council: the better of "
                    f"Stirling's {prev}{whole} result ({display(own, unit, dp)}) and the "
                    f"Scotland figure for {prev} ({display(scot, unit, dp)})."
                )
            if c in SUB_ANNUAL:
                basis += f" The annual figure is the {SUB_ANNUAL[c][2]}."
            rows.append([c, year, fmt(target), "5", "percent", basis])
    return rows


def build_council(fams, service_of, committee_scope) -> dict[str, object]:
    committees_of: dict[str, list[dict[str, object]]] = defaultdict(list)
    people = []
    for username, name, role, title, extra in PEOPLE:
        person: dict[str, object] = {
            "username": username,
            "full_name": name,
            "email": f"{username}@example.org",
            "role": role,
            "job_title": title,
        }
        if "directorate" in extra:
            person["directorate"] = extra["directorate"]
        if "services" in extra:
            person["services"] = extra["services"]
        if "priorities" in extra:
            person["portfolio_priorities"] = extra["priorities"]
        if "committees" in extra:
            person["committees"] = [{"code": k, "chair": ch} for k, ch in extra["committees"]]
            for k, ch in extra["committees"]:
                committees_of[k].append({"username": username, "chair": ch})
        people.append(person)
    labels = {
        "Environmental, Culture & Leisure, Economic Development, Corporate and Property "
        "indicators": "environment_economy_corporate",
        "Children, Social Work and Housing indicators": "children_social_work_housing",
    }
    return {
        "council": {
            "name": "Stirling Council",
            "short_name": "Stirling",
            "ons_code": "S12000030",
            "lgbf_name": HOME,
            "family_groups": [
                {"key": labels[kind], "applies_to": kind, **group} for kind, group in fams.items()
            ],
        },
        "directorates": [
            {"code": code, "name": name, "services": [{"code": s, "name": n} for s, n in services]}
            for code, name, services in DIRECTORATES
        ],
        "areas": [
            {"code": c, "name": n, "kind": "area_committee", "parent": None}
            for c, n in AREA_COMMITTEE_AREAS
        ]
        + [{"code": c, "name": n, "kind": "ward", "parent": p} for c, n, p in WARDS],
        "outcomes": [
            {
                "code": oc,
                "name": on,
                "priorities": [
                    {
                        "code": pc,
                        "name": pn,
                        "description": pd,
                        "objectives": [
                            {"code": obc, "name": obn, "service_code": svc}
                            for obc, obn, svc, _ in objectives
                        ],
                    }
                    for pc, pn, pd, objectives in priorities
                ],
            }
            for oc, on, priorities in OUTCOMES
        ],
        "baskets": [
            {"outcome_code": oc, "name": name, "indicator_codes": codes}
            for oc, name, codes in BASKETS
        ],
        "committees": [
            {
                "code": code,
                "name": name,
                "kind": kind,
                "scope": {
                    "priority_codes": priorities,
                    "indicator_codes": sorted(committee_scope[code] - scoped_by(priorities)),
                    "area_codes": areas,
                },
                "members": committees_of.get(code, []),
                "meetings": [{"date": d} for d in MEETING_DATES[code]],
            }
            for code, name, kind, priorities, _rule, areas in COMMITTEES
        ],
        "people": people,
    }


def scoped_by(priorities: list[str]) -> set[str]:
    return {c for o in OUTCOMES for p in o[2] if p[0] in priorities for obj in p[3] for c in obj[3]}


# --- Output and checks --------------------------------------------------------------------

INDICATOR_COLUMNS = [
    "code",
    "name",
    "definition",
    "calculation_guidance",
    "data_source",
    "unit",
    "decimals",
    "polarity",
    "frequency",
    "accumulation",
    "is_rate",
    "numerator_label",
    "denominator_label",
    "national_or_local",
    "is_context",
    "band_lower",
    "band_upper",
    "service_code",
    "data_owner_username",
    "accountable_officer_username",
    "lead_member_username",
    "priority_codes",
    "objective_codes",
    "outcome_codes",
    "committee_codes",
    "on_scorecard",
    "has_area_breakdown",
]


def write(data: dict[str, object], out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    inds = data["indicators"]
    write_csv(
        out / "indicators.csv", INDICATOR_COLUMNS, [[i[k] for k in INDICATOR_COLUMNS] for i in inds]
    )
    write_csv(
        out / "values.csv",
        ["indicator_code", "period", "value", "numerator", "denominator"],
        data["values"],
    )
    write_csv(
        out / "comparators.csv", ["indicator_code", "period", "group", "value"], data["comparators"]
    )
    write_csv(
        out / "targets.csv",
        ["indicator_code", "year", "annual_target", "tolerance", "tolerance_kind", "basis"],
        data["targets"],
    )
    text = json.dumps(data["council"], indent=2, ensure_ascii=False) + "\n"
    (out / "council.json").write_text(text, encoding="utf-8")


def check(data: dict[str, object], out: Path) -> None:
    inds = data["indicators"]
    codes = {i["code"] for i in inds}
    freq = defaultdict(list)
    for i in inds:
        freq[i["frequency"]].append(i["code"])
    per = defaultdict(int)
    for v in data["values"]:
        per[v[0]] += 1
    council = data["council"]
    scorecard = [i for i in inds if i["on_scorecard"] == "true"]
    assert len(inds) >= 60, len(inds)
    assert sorted(freq["monthly"]) == ["ECON05", "ECON12a", "ECON12b", "SW08"], freq["monthly"]
    assert sorted(freq["quarterly"]) == ["CORP09", "CORP10"], freq["quarterly"]
    assert 20 <= len(scorecard) <= 30, len(scorecard)
    assert {i["outcome_codes"] for i in scorecard} == {o[0] for o in OUTCOMES}
    assert {i["priority_codes"] for i in inds} == set(ALL_PRIORITIES)
    assert all(per[c] >= MIN_YEARS for c in codes)
    for b in council["baskets"]:
        assert set(b["indicator_codes"]) <= codes, b
    for c in council["committees"]:
        assert set(c["scope"]["indicator_codes"]) <= codes, c["code"]
    owners = {i["data_owner_username"] for i in inds}
    assert owners == {p[0] for p in PEOPLE if p[2] == "data_owner"}, owners
    targeted = {t[0] for t in data["targets"]}
    assert targeted == {i["code"] for i in inds if i["is_context"] == "false"}
    size = sum(f.stat().st_size for f in out.iterdir() if f.is_file())
    assert size < 2_000_000, size

    n_context = sum(i["is_context"] == "true" for i in inds)
    print(
        f"indicators: {len(inds)} (annual {len(freq['annual'])}, monthly "
        f"{len(freq['monthly'])}, quarterly {len(freq['quarterly'])}), "
        f"scorecard {len(scorecard)}, context {n_context}"
    )
    print(
        f"values: {len(data['values'])}, comparators: {len(data['comparators'])}, "
        f"targets: {len(data['targets'])}, total size {size:,} bytes"
    )
    for c in freq["monthly"] + freq["quarterly"]:
        print(f"  {c}: {per[c]} periods, latest {data['latest'][c]}")
    annual_counts = sorted(per[c] for c in freq["annual"])
    print(
        f"  annual periods per indicator: min {annual_counts[0]}, "
        f"median {statistics.median(annual_counts)}, max {annual_counts[-1]}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", nargs="?", type=Path, default=REPO.parent / "shared" / "data")
    args = parser.parse_args()
    data = build(args.data)
    write(data, OUT)
    check(data, OUT)


if __name__ == "__main__":
    main()
