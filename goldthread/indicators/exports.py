"""Scorecards and indicator histories as CSV and Excel files.

Exports are built from the same presenters as the pages, called with the same person, so a file
can never hold a figure the page would not show. Every text cell is neutralised against formula
injection (OWASP "CSV injection"): a spreadsheet must not run a commentary as a formula. Real
numbers are written as numbers and never neutralised, so -3.5 stays a number.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django.utils.text import slugify
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from goldthread.indicators import access
from goldthread.indicators.models import Indicator
from goldthread.indicators.presenters.detail import build_indicator_page
from goldthread.indicators.presenters.lists import JudgementPoint, judgement_series
from goldthread.indicators.presenters.scorecard import ScorecardFilters, build_scorecard
from goldthread.structure.services import council_name

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
SHEET_TITLE_LIMIT = 31  # Excel's own limit
_SHEET_TITLE_FORBIDDEN = str.maketrans({c: " " for c in "[]:*?/\\"})

Cell = str | int | float | None


@dataclass(frozen=True)
class Column:
    key: str
    heading: str
    width: int = 14


@dataclass
class Export:
    """A table ready to write: what it is, for whom, its columns and its rows."""

    title: str
    notes: list[str]
    columns: list[Column]
    rows: list[dict[str, Cell]]
    file_stem: str

    @property
    def preamble(self) -> list[str]:
        return [self.title, *self.notes]


def neutralise(text: str) -> str:
    """A leading apostrophe stops a spreadsheet reading text as a formula."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _cell(value: Any) -> Cell:
    if value is None or _is_number(value):
        return value
    return neutralise(str(value))


def _rounded(value: float | None, decimals: int) -> float | None:
    """Numbers as the page shows them, so the file and the page agree."""
    return None if value is None else round(value, decimals)


# Writing


def write_csv(
    rows: Iterable[Mapping[str, Any]], columns: Sequence[Column], *, preamble: Sequence[str] = ()
) -> bytes:
    """UTF-8 with a byte order mark, which is how Excel knows the file is UTF-8."""
    out = io.StringIO()
    writer = csv.writer(out)
    for line in preamble:
        writer.writerow([_cell(line)])
    if preamble:
        writer.writerow([])
    writer.writerow([_cell(c.heading) for c in columns])
    for row in rows:
        writer.writerow(["" if (v := _cell(row.get(c.key))) is None else v for c in columns])
    return out.getvalue().encode("utf-8-sig")


def _xlsx_text(value: Cell) -> Cell:
    # openpyxl refuses control characters; neutralise first so a leading tab still counts.
    return ILLEGAL_CHARACTERS_RE.sub("", value) if isinstance(value, str) else value


def _safe_sheet_title(text: str) -> str:
    cleaned = text.translate(_SHEET_TITLE_FORBIDDEN).strip(" '")
    return cleaned[:SHEET_TITLE_LIMIT] or "Export"


def _bold_cell(sheet, text: str, font: Font) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=_xlsx_text(_cell(text)))
    cell.font = font
    return cell


def write_xlsx(
    rows: Iterable[Mapping[str, Any]],
    columns: Sequence[Column],
    sheet_title: str,
    *,
    preamble: Sequence[str] = (),
) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_safe_sheet_title(sheet_title))
    for index, column in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    bold = Font(bold=True)
    for number, line in enumerate(preamble):
        title = number == 0
        sheet.append([_bold_cell(sheet, line, bold) if title else _xlsx_text(_cell(line))])
    if preamble:
        sheet.append([])
    sheet.append([_bold_cell(sheet, c.heading, bold) for c in columns])
    for row in rows:
        sheet.append([_xlsx_text(_cell(row.get(c.key))) for c in columns])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


# What is exported


def _audience(user) -> str:
    if not user.is_authenticated:
        return "Published figures only."
    return "Approved figures, as shown to you in Goldthread."


def _exported_on(today: dt.date) -> str:
    return f"Exported on {today.day} {today:%B} {today.year}."


def _file_stem(*parts: str) -> str:
    words = [slugify(p) for p in parts]
    return "-".join(w for w in words if w) or "export"


SCORECARD_COLUMNS = [
    Column("priority", "Priority", 24),
    Column("outcome", "Outcome", 24),
    Column("code", "Code", 10),
    Column("measure", "Measure", 40),
    Column("period", "Period", 16),
    Column("value", "Value", 12),
    Column("unit", "Unit", 12),
    Column("target", "Target", 12),
    Column("band_lower", "Target band lowest", 12),
    Column("band_upper", "Target band highest", 12),
    Column("status", "Status", 14),
    Column("forecast", "Year-end forecast", 20),
    Column("forecast_value", "Forecast value", 12),
    Column("direction", "Direction of travel", 20),
    Column("variation", "Variation", 30),
    Column("assurance", "Assurance", 30),
    Column("commentary", "Commentary", 60),
]


def _filter_words(filters: ScorecardFilters) -> str:
    chosen = [
        f"{name} {value}"
        for name, value in (
            ("directorate", filters.directorate),
            ("committee", filters.committee),
            ("status", filters.status),
        )
        if value
    ]
    return "Filtered by " + ", ".join(chosen) + "." if chosen else "All scorecard measures."


def _scorecard_row(group, line, point: JudgementPoint | None) -> dict[str, Cell]:
    indicator = line.indicator
    decimals = indicator.decimals
    has_point = point is not None and point.period == line.period
    value = _rounded(point.value, decimals) if has_point else None
    return {
        "priority": group.heading,
        "outcome": group.outcome,
        "code": indicator.code,
        "measure": indicator.name,
        "period": line.period_label,
        "value": value,
        "unit": indicator.get_unit_display(),
        "target": _rounded(point.target, decimals) if has_point else None,
        "band_lower": _rounded(point.band_lower, decimals) if has_point else None,
        "band_upper": _rounded(point.band_upper, decimals) if has_point else None,
        "status": line.rag_label,
        "forecast": line.forecast_label,
        "forecast_value": _rounded(point.forecast_value, decimals) if has_point else None,
        "direction": line.direction_label,
        "variation": line.variation_words,
        "assurance": line.assurance_words,
        "commentary": line.commentary,
    }


def scorecard_rows(user, filters: ScorecardFilters) -> list[dict[str, Cell]]:
    """The scorecard page's rows, in its order, with the figures as numbers."""
    scorecard = build_scorecard(user, filters)
    lines = [(g, line) for g in scorecard.groups for line in g.rows]
    # The same access-checked series the page was built from, for the unformatted numbers.
    series = judgement_series(user, [line.indicator.pk for _g, line in lines])
    latest = {ind: points[-1] for ind, points in series.items() if points}
    return [_scorecard_row(g, line, latest.get(line.indicator.pk)) for g, line in lines]


def scorecard_export(user, filters: ScorecardFilters, today: dt.date | None = None) -> Export:
    today = today or timezone.localdate()
    council = council_name()
    return Export(
        title=f"{council}: Council Scorecard",
        notes=[_filter_words(filters), _audience(user), _exported_on(today)],
        columns=SCORECARD_COLUMNS,
        rows=scorecard_rows(user, filters),
        file_stem=_file_stem(council, "scorecard", today.isoformat()),
    )


def history_columns(shows_unapproved: bool) -> list[Column]:
    columns = [
        Column("period", "Period", 16),
        Column("value", "Value", 12),
        Column("target", "Target", 12),
        Column("status", "Status", 24),
        Column("direction", "Change since previous period", 22),
    ]
    if shows_unapproved:
        columns.append(Column("state", "Figure", 20))
    return [*columns, Column("commentary", "Commentary", 60)]


def indicator_history_rows(user, indicator: Indicator) -> list[dict[str, Cell]]:
    """The indicator page's table of figures, oldest first, with the figures as numbers."""
    page = build_indicator_page(user, indicator)
    decimals = indicator.decimals
    return [
        {
            "period": row.period_label,
            "value": _rounded(row.value, decimals),
            "target": _rounded(row.target, decimals),
            "status": row.rag_label,
            "direction": row.direction_label,
            "state": row.state_label if page.shows_unapproved else None,
            "commentary": row.commentary,
        }
        for row in page.rows
    ]


def _history_audience(user, indicator: Indicator) -> str:
    if access.sees_unapproved(user, indicator):
        return "Includes figures that are not yet approved."
    return _audience(user)


def indicator_history_export(user, indicator: Indicator, today: dt.date | None = None) -> Export:
    today = today or timezone.localdate()
    council = council_name()
    unit = indicator.get_unit_display()
    return Export(
        title=f"{council}: {indicator.code} {indicator.name}",
        notes=[
            f"Figures for each period. Unit: {unit}.",
            _history_audience(user, indicator),
            _exported_on(today),
        ],
        columns=history_columns(access.sees_unapproved(user, indicator)),
        rows=indicator_history_rows(user, indicator),
        file_stem=_file_stem(council, indicator.code, "history", today.isoformat()),
    )
