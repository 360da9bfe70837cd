"""The Excel collection template: one reporting month's figures for one data owner.

A reporting month (a "round") asks for each of the owner's indicators whose period ends in
that month: every monthly indicator, the quarterly ones at the end of a quarter, the annual
ones in March. Each row is pre-filled with what the owner needs beside them (indicator,
period, area, unit, the previous figure, the target, and the figure's state) and any figure
already stored, so the owner only fills in value (or numerator and denominator) and
commentary.

The workbook is read back by the ordinary import (`goldthread.imports.profiles.template`):
its headings are Goldthread's columns plus context columns the importer ignores, and rows left
blank mean "not yet". Cells carry Excel validation (numbers where numbers go, whole numbers for
counts, a list of codes in the spare rows) with plain-English prompts and errors; the context
columns and locked figures are protected against accidental edits. Protection has no password:
it stops slips, not people, and the importer checks everything again.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import partial

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.cell_range import MultiCellRange
from openpyxl.worksheet.datavalidation import DataValidation

from goldthread.analysis.periods import Frequency, Period, period_containing
from goldthread.analysis.targets import period_target
from goldthread.core.formatting import format_value
from goldthread.imports.profiles import template as layout
from goldthread.imports.validate import DEFAULT_MAX_COMMENTARY, NEVER_NEGATIVE_UNITS
from goldthread.indicators.models import Indicator, TargetVersion, Value, ValueState
from goldthread.indicators.services.judging import current_target_versions
from goldthread.structure.models import Area

SHEET = "Values"  # the importer reads the sheet called "values" in any case
SPARE_ROWS = 20
ROUNDS_OFFERED = 12
LOCKED_STATES = (ValueState.APPROVED, ValueState.PUBLISHED)
BIGGEST = 10**12

CODE, PERIOD, AREA = "Indicator code", "Period", "Area code"
VALUE, NUMERATOR, DENOMINATOR, COMMENTARY = "Value", "Numerator", "Denominator", "Commentary"
HEADINGS = (
    CODE,
    layout.INDICATOR_NAME,
    PERIOD,
    layout.PERIOD_NAME,
    AREA,
    layout.AREA_NAME,
    layout.UNIT,
    layout.PREVIOUS,
    layout.TARGET,
    layout.STATUS,
    VALUE,
    NUMERATOR,
    DENOMINATOR,
    COMMENTARY,
)
WIDTHS = (14, 40, 12, 20, 10, 18, 12, 14, 14, 24, 12, 13, 13, 60)
_COLUMN = {heading: get_column_letter(n) for n, heading in enumerate(HEADINGS, start=1)}
_GREY = PatternFill("solid", fgColor="F3F2F1")
_BOLD = Font(bold=True)
_OPEN = Protection(locked=False)


@dataclass(frozen=True)
class TemplateLine:
    """One row of the template: a figure asked for, with what the owner needs beside it."""

    indicator: Indicator
    period: Period
    area: Area | None
    figure: Value | None
    previous: Value | None
    target: str

    @property
    def locked(self) -> bool:
        return self.figure is not None and self.figure.state in LOCKED_STATES

    @property
    def status(self) -> str:
        if self.figure is None:
            return "Not started"
        if self.locked:
            return f"{self.figure.get_state_display()}: locked"
        if self.figure.state == ValueState.RETURNED and self.figure.returned_reason:
            return f"Returned: {self.figure.returned_reason}"
        return self.figure.get_state_display()


# --- Which figures a round asks for ---------------------------------------------------------


def rounds(today: date, count: int = ROUNDS_OFFERED) -> list[Period]:
    """The reporting months that have ended, newest first."""
    latest = period_containing(today, Frequency.MONTHLY).previous()
    return [latest.shift(-n) for n in range(count)]


def round_label(month: Period) -> str:
    """ "March 2026 (with quarter 4 and the year 2025/26)": what a round asks for."""
    extras = []
    quarter = month.to_frequency(Frequency.QUARTERLY)
    if quarter.end == month.end:
        extras.append(f"quarter {quarter.number}")
    if month.to_frequency(Frequency.ANNUAL).end == month.end:
        extras.append(f"the year {month.financial_year_label}")
    return f"{month.label} (with {' and '.join(extras)})" if extras else month.label


def period_in_round(indicator: Indicator, month: Period) -> Period | None:
    period = month.to_frequency(indicator.frequency)
    return period if period.end == month.end else None


def owned_indicators(owner) -> list[Indicator]:
    """What an owner enters figures for: live indicators with a target or trend to report."""
    queryset = Indicator.objects.filter(retired_at__isnull=True, is_context=False)
    if owner is not None:
        queryset = queryset.filter(data_owner=owner)
    return list(queryset.order_by("code"))


def template_lines(indicators: Sequence[Indicator], month: Period) -> list[TemplateLine]:
    wanted = [(i, p) for i in indicators if (p := period_in_round(i, month)) is not None]
    if not wanted:
        return []
    areas = list(Area.objects.order_by("kind", "name"))
    figures = _figures(wanted)
    versions = current_target_versions([i.pk for i, _ in wanted])
    lines = []
    for indicator, period in wanted:
        target = _target_text(indicator, period, versions.get((indicator.pk, period.year)))
        for area in [None, *(areas if indicator.has_area_breakdown else [])]:
            area_id = area.pk if area else None
            lines.append(
                TemplateLine(
                    indicator,
                    period,
                    area,
                    figures.get((indicator.pk, period.key, area_id)),
                    figures.get((indicator.pk, period.previous().key, area_id)),
                    target,
                )
            )
    return lines


def _figures(wanted: list[tuple[Indicator, Period]]) -> dict[tuple, Value]:
    keys = {key for _, p in wanted for key in (p.key, p.previous().key)}
    rows = Value.objects.filter(indicator__in=[i for i, _ in wanted], period__in=keys)
    return {(v.indicator_id, v.period, v.area_id): v for v in rows}


def _target_text(indicator: Indicator, period: Period, version: TargetVersion | None) -> str:
    if version is None or indicator.is_context:
        return "No target"
    fmt = partial(format_value, unit=indicator.unit, decimals=indicator.decimals)
    if version.band_lower is not None and version.band_upper is not None:
        return f"{fmt(version.band_lower)} to {fmt(version.band_upper)}"
    target = period_target(
        version.annual_target,
        period,
        profile=version.profile,
        accumulation=indicator.accumulation,
        aggregation=indicator.aggregation,
    )
    if target is None:
        return "No target"
    return fmt(target) + (" (illustrative)" if version.is_illustrative else "")


# --- The workbook ---------------------------------------------------------------------------


@dataclass(frozen=True)
class TemplateInfo:
    council: str
    owner: str  # "Bob Tester" or "every data owner"
    month: Period
    made_on: date
    upload_hint: str  # how the filled-in file gets back


def build_workbook(lines: Sequence[TemplateLine], info: TemplateInfo) -> bytes:
    workbook = Workbook()
    readme = workbook.active
    readme.title = "Read me"
    sheet = workbook.create_sheet(SHEET)
    lists = workbook.create_sheet("Lists")
    lists.sheet_state = "hidden"
    _write_readme(readme, info, len(lines))
    _write_values(sheet, lines, _write_lists(lists, lines))
    workbook.active = workbook.index(sheet)
    for each in (readme, lists):
        each.sheet_view.tabSelected = False
    workbook.properties.title = f"Figures for {info.month.label}"
    workbook.properties.creator = "Goldthread"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _text(cell, text: str) -> None:
    """Text that a spreadsheet must never run as a formula, kept exactly as written."""
    cell.value = ILLEGAL_CHARACTERS_RE.sub("", text)
    cell.data_type = "s"


def _write_lists(sheet, lines: Sequence[TemplateLine]) -> dict[str, str]:
    """Codes for the spare rows' drop-down lists; {heading: range} of each list."""
    codes = sorted({line.indicator.code for line in lines})
    areas = list(Area.objects.order_by("code").values_list("code", flat=True))
    ranges = {}
    for column, (heading, items) in enumerate(((CODE, codes), (AREA, areas)), start=1):
        letter = get_column_letter(column)
        _text(sheet.cell(1, column), heading)
        for row, item in enumerate(items, start=2):
            _text(sheet.cell(row, column), item)
        if items:
            ranges[heading] = f"Lists!${letter}$2:${letter}${len(items) + 1}"
    return ranges


def _write_values(sheet, lines: Sequence[TemplateLine], lists: dict[str, str]) -> None:
    for column, (heading, width) in enumerate(zip(HEADINGS, WIDTHS, strict=True), start=1):
        cell = sheet.cell(1, column)
        _text(cell, heading)
        cell.font = _BOLD
        sheet.column_dimensions[get_column_letter(column)].width = width
    validations = _Validations()
    for row, line in enumerate(lines, start=2):
        _write_line(sheet, row, line, validations)
    first_spare = len(lines) + 2
    for row in range(first_spare, first_spare + SPARE_ROWS):
        for column in range(1, len(HEADINGS) + 1):
            sheet.cell(row, column).protection = _OPEN
        validations.spare(row)
    validations.add_to(sheet, lists)
    sheet.freeze_panes = "C2"
    sheet.protection.sheet = True
    sheet.protection.formatColumns = False
    sheet.protection.formatRows = False


def _write_line(sheet, row: int, line: TemplateLine, validations: _Validations) -> None:
    indicator, figure = line.indicator, line.figure
    context = {
        CODE: indicator.code,
        layout.INDICATOR_NAME: indicator.name,
        PERIOD: line.period.key,
        layout.PERIOD_NAME: line.period.label,
        AREA: line.area.code if line.area else "",
        layout.AREA_NAME: line.area.name if line.area else "Whole council",
        layout.UNIT: indicator.get_unit_display(),
        layout.TARGET: line.target,
        layout.STATUS: line.status,
    }
    for heading, text in context.items():
        _text(sheet[f"{_COLUMN[heading]}{row}"], text)
    previous = line.previous.value if line.previous else None
    _number(sheet, layout.PREVIOUS, row, previous, indicator.decimals)
    if figure is not None:
        _number(sheet, VALUE, row, figure.value if figure.numerator is None else None, None)
        _number(sheet, NUMERATOR, row, figure.numerator, None)
        _number(sheet, DENOMINATOR, row, figure.denominator, None)
        _text(sheet[f"{_COLUMN[COMMENTARY]}{row}"], figure.commentary)
    sheet[f"{_COLUMN[COMMENTARY]}{row}"].alignment = Alignment(wrap_text=True, vertical="top")
    for heading in HEADINGS:
        cell = sheet[f"{_COLUMN[heading]}{row}"]
        if heading in (VALUE, NUMERATOR, DENOMINATOR, COMMENTARY) and not line.locked:
            cell.protection = _OPEN
        else:
            cell.fill = _GREY
    if not line.locked:
        validations.line(row, indicator)


def _number(sheet, heading: str, row: int, number: float | None, decimals: int | None) -> None:
    cell = sheet[f"{_COLUMN[heading]}{row}"]
    cell.value = number
    if decimals is not None:
        cell.number_format = "#,##0" + ("." + "0" * decimals if decimals else "")


class _Validations:
    """Excel's cell checks, grouped so each kind is one rule over many cells."""

    def __init__(self) -> None:
        self.cells: dict[str, list[str]] = {}

    def _add(self, kind: str, heading: str, row: int) -> None:
        self.cells.setdefault(kind, []).append(f"{_COLUMN[heading]}{row}")

    def line(self, row: int, indicator: Indicator) -> None:
        whole = indicator.unit == "number" and indicator.decimals == 0
        positive = indicator.unit in NEVER_NEGATIVE_UNITS
        self._add(
            f"{'whole' if whole else 'decimal'}-{'positive' if positive else 'any'}", VALUE, row
        )
        self._add("numerator", NUMERATOR, row)
        self._add("denominator", DENOMINATOR, row)
        self._add("commentary", COMMENTARY, row)

    def spare(self, row: int) -> None:
        self._add("decimal-any", VALUE, row)
        self._add("numerator", NUMERATOR, row)
        self._add("denominator", DENOMINATOR, row)
        self._add("commentary", COMMENTARY, row)
        self._add("code", CODE, row)
        self._add("area", AREA, row)
        self._add("period", PERIOD, row)

    def add_to(self, sheet, lists: dict[str, str]) -> None:
        for kind, cells in self.cells.items():
            rule = _rule(kind, lists)
            if rule is None:
                continue
            rule.sqref = MultiCellRange(_ranges(cells))
            sheet.add_data_validation(rule)


def _ranges(cells: list[str]) -> str:
    """Cells "K2 K3 K4 K7" as "K2:K4 K7": one rule over runs of rows keeps the file small."""
    runs: list[list[str]] = []
    for cell in cells:
        column, row = cell[0], int(cell[1:])
        if runs and runs[-1][0][0] == column and int(runs[-1][-1][1:]) == row - 1:
            runs[-1].append(cell)
        else:
            runs.append([cell])
    return " ".join(run[0] if len(run) == 1 else f"{run[0]}:{run[-1]}" for run in runs)


# Numerator and denominator: (Excel operator against 0, what it is, example, the least allowed).
_RATE_PARTS = {
    "numerator": ("greaterThanOrEqual", "the number counted", "412", "of 0 or more"),
    "denominator": ("greaterThan", "the number it is out of", "800", "more than 0"),
}


def _rule(kind: str, lists: dict[str, str]) -> DataValidation | None:
    if kind.startswith(("whole", "decimal")):
        number_kind, sign = kind.split("-")
        low = 0 if sign == "positive" else -BIGGEST
        return _check(
            DataValidation(
                type=number_kind, operator="between", formula1=str(low), formula2=str(BIGGEST)
            ),
            "Value",
            _value_prompt(number_kind, sign),
            _value_error(number_kind, sign),
        )
    if kind in _RATE_PARTS:
        operator, what, example, least = _RATE_PARTS[kind]
        return _check(
            DataValidation(type="decimal", operator=operator, formula1="0"),
            kind.capitalize(),
            f"For a rate, {what}, like {example}. Leave blank if you enter the value.",
            f"The {kind} must be a number {least}, like {example}, with no commas or symbols.",
        )
    if kind == "commentary":
        return _check(
            DataValidation(
                type="textLength", operator="lessThanOrEqual", formula1=str(DEFAULT_MAX_COMMENTARY)
            ),
            "Commentary",
            "Why the result is what it is. If it is near or off target, say what is being "
            "done about it and by when. Start with a word, not = + - or @.",
            f"Commentary must be {DEFAULT_MAX_COMMENTARY:,} characters or fewer.",
        )
    if kind in ("code", "area"):
        heading = CODE if kind == "code" else AREA
        if heading not in lists:
            return None
        what = "indicator" if kind == "code" else "area (leave blank for the whole council)"
        return _check(
            DataValidation(type="list", formula1=lists[heading], allow_blank=True),
            heading,
            f"To add a figure, choose the {what} from the list.",
            f"Choose the {what.split(' (')[0]} from the list.",
        )
    if kind == "period":
        return _check(
            DataValidation(type="textLength", operator="between", formula1="4", formula2="10"),
            "Period",
            "Type the period as text: 2025-10 for a month, 2025/26 Q2 for a quarter, 2025/26 "
            "for a year.",
            "Type the period like 2025-10, 2025/26 Q2 or 2025/26.",
        )
    return None


def _value_prompt(number_kind: str, sign: str) -> str:
    example = "1250" if number_kind == "whole" else "45.5"
    text = f"The figure for this period, like {example}. No commas, % or £ signs."
    if sign == "positive":
        text += " It cannot be negative."
    return text + " For a rate you can enter the numerator and denominator instead."


def _value_error(number_kind: str, sign: str) -> str:
    what = "a whole number, like 1250" if number_kind == "whole" else "a number, like 45.5"
    minimum = " of 0 or more" if sign == "positive" else ""
    return f"The value must be {what}{minimum}, with no commas, % or £ signs."


def _check(rule: DataValidation, title: str, prompt: str, error: str) -> DataValidation:
    rule.showInputMessage = True
    rule.showErrorMessage = True
    rule.promptTitle = title[:32]
    rule.prompt = prompt[:255]
    rule.errorTitle = f"Check the {title.lower()}"[:32]
    rule.error = error[:255]
    rule.errorStyle = "stop"
    rule.allow_blank = True
    return rule


# --- The read me sheet -----------------------------------------------------------------------


def _write_readme(sheet, info: TemplateInfo, count: int) -> None:
    sheet.column_dimensions["A"].width = 110
    for row, (text, bold) in enumerate(_readme_lines(info, count), start=1):
        cell = sheet.cell(row, 1)
        _text(cell, text)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        if bold:
            cell.font = Font(bold=True, size=14 if row == 1 else 11)
    sheet.protection.sheet = True


def _readme_lines(info: TemplateInfo, count: int) -> Iterable[tuple[str, bool]]:
    figures = "1 figure" if count == 1 else f"{count:,} figures"
    yield f"{info.council}: figures for {round_label(info.month)}", True
    yield f"For {info.owner}. Made on {info.made_on:%-d %B %Y}. It asks for {figures}.", False
    yield "", False
    yield "How to fill it in", True
    for step in (
        'Go to the "Values" sheet. Each row is one figure: an indicator, a period and an area.',
        "Type the figure in the Value column, like 45.5. Do not add commas, % signs or £ signs, "
        "and do not type a formula.",
        "For a rate, you can enter the Numerator and Denominator instead of the value; the "
        "value is worked out from them.",
        "Write a Commentary saying why the result is what it is. If it is near or off target, "
        "say what is being done about it and by when.",
        "Leave a row blank if you do not have the figure yet. Blank rows are not imported.",
        "To add a figure that is not listed, use an empty row at the end: choose the indicator "
        "code from the list, type the period (2025-10, 2025/26 Q2 or 2025/26) and leave the "
        "area code blank for the whole council.",
        "The grey columns are for information and are locked, so they cannot be changed by "
        "mistake. Figures that have been approved or published are locked too: ask the "
        "performance team if one needs correcting.",
        "Do not add, remove or rename columns, or change the sheet names.",
    ):
        yield f"•  {step}", False
    yield "", False
    yield "When you have finished", True
    yield info.upload_hint, False
    yield (
        "Every row is checked when the file is imported. If anything is wrong, nothing is "
        "imported and each problem is listed by row and column, so it can be put right.",
        False,
    )
    yield "", False
    yield "The columns", True
    for heading, meaning in (
        (
            PERIOD,
            "2025-10 is October 2025; 2025/26 Q2 is July to September 2025; 2025/26 is "
            "the financial year April 2025 to March 2026.",
        ),
        (layout.PREVIOUS, "The figure for the period before, as stored now."),
        (layout.TARGET, "The target for this period. Illustrative targets are marked."),
        (
            layout.STATUS,
            "Not started, draft, submitted, returned (with the reason), approved or published.",
        ),
    ):
        yield f"{heading}: {meaning}", False
