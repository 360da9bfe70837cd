"""Row rules: judge each row of an import file against what the council has set up.

`validate` takes the rows a reader produced and yields a `CleanRow` for every row that can be
stored and a `Problem` for everything wrong, in file order, without ever raising on bad data.
It keeps only what it must between rows: the identity of each row seen (to find duplicates)
and small caches of periods already judged. The caller writes nothing if any problem is an
error; warnings (a percentage over 100, more decimal places than the indicator shows) are for
a person to look at and do not stop the import.

Decisions:
- Headings may be in any order and any case; "Indicator code" matches indicator_code. The
  file needs indicator_code, period and either value or both numerator and denominator;
  area_code and commentary may be left out. A heading that is not one of ours is an error.
- Indicator and area codes match in any case and are stored as the council wrote them.
- When a row has value, numerator and denominator, the value must be what they work out to,
  to the indicator's decimal places: times 100 for a percentage, otherwise as a plain ratio
  or a rate per 1,000, 10,000 or 100,000.
- A row the reader could not read (a formula, bytes that are not UTF-8) is reported and not
  checked further: its other problems will show once that is fixed.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import NamedTuple

from goldthread.analysis.periods import (
    MONTH_NAMES,
    Frequency,
    Period,
    PeriodError,
    parse_period,
    period_containing,
)
from goldthread.imports.columns import (
    AREA_CODE,
    COLUMNS,
    COMMENTARY,
    DENOMINATOR,
    HEADINGS,
    INDICATOR_CODE,
    NUMERATOR,
    PERIOD,
    VALUE,
    column_letter,
    normalise_heading,
)
from goldthread.imports.numbers import decimal_places, explain, is_plain
from goldthread.imports.problems import Problem, RawRow, join_words, quote

DEFAULT_MAX_ROWS = 100_000
DEFAULT_MAX_COMMENTARY = 2_000
NEVER_NEGATIVE_UNITS = frozenset({"days", "rate", "ratio"})
# Spreadsheets run text that starts with these as a formula (OWASP "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_RATE_SCALES = (1, 1000, 10_000, 100_000)
_CACHE_LIMIT = 100_000
_KIND = {"monthly": "a month", "quarterly": "a quarter", "annual": "a financial year"}


@dataclass(frozen=True, slots=True)
class IndicatorRule:
    """What the import needs to know about one indicator."""

    frequency: str  # "monthly", "quarterly" or "annual"
    is_rate: bool = False
    unit: str = "number"
    first_period: str | None = None  # a period key, like "2024-04"
    decimals: int = 0


class _Indicator(NamedTuple):
    id: int
    code: str
    rule: IndicatorRule
    frequency: Frequency
    first: Period | None
    can_be_negative: bool


@dataclass(frozen=True)
class Context:
    """What the database says, filled in by the caller: codes, areas, today and limits.

    `indicators` maps each code to an IndicatorRule (or a tuple of its fields, in order).
    """

    indicators: Mapping[str, IndicatorRule | tuple]
    areas: Collection[str]
    today: date
    max_rows: int = DEFAULT_MAX_ROWS
    max_commentary: int = DEFAULT_MAX_COMMENTARY
    _indicators: dict[str, _Indicator] = field(init=False, repr=False, compare=False)
    _areas: dict[str, tuple[int, str]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        lookup: dict[str, _Indicator] = {}
        for number, (code, rule) in enumerate(sorted(self.indicators.items()), start=1):
            rule = rule if isinstance(rule, IndicatorRule) else IndicatorRule(*rule)
            first = parse_period(rule.first_period) if rule.first_period else None
            unit_ok = rule.unit not in NEVER_NEGATIVE_UNITS
            entry = _Indicator(number, code, rule, Frequency(rule.frequency), first, unit_ok)
            lookup.setdefault(code.lower(), entry)
            lookup[code] = entry
        areas: dict[str, tuple[int, str]] = {}
        for number, code in enumerate(sorted(self.areas), start=1):
            areas.setdefault(code.lower(), (number, code))
            areas[code] = (number, code)
        object.__setattr__(self, "_indicators", lookup)
        object.__setattr__(self, "_areas", areas)


class CleanRow(NamedTuple):
    """A row that passed every check, ready to store."""

    row: int
    indicator_code: str
    period: str  # the canonical key
    period_start: date
    area_code: str | None  # None for the whole council
    value: float | None
    numerator: float | None
    denominator: float | None
    commentary: str


# CleanRow(...) without its Python-level __new__, which costs more than the tuple, once a row.
_clean_row = tuple.__new__


class _Layout(NamedTuple):
    index: dict[str, int]
    width: int
    unnamed: list[int]


def validate(rows: Iterable[RawRow | Problem], context: Context) -> Iterator[CleanRow | Problem]:
    """Judge every row; yield clean rows and problems in file order. Never raises on bad data."""
    return _Validator(context).run(rows)


class _Validator:
    def __init__(self, context: Context) -> None:
        self.context = context
        self.periods: dict[tuple[int, str], tuple[int, str, date] | str] = {}
        self.period_ids: dict[str, int] = {}
        self.seen: dict[int, int] = {}

    def run(self, rows: Iterable[RawRow | Problem]) -> Iterator[CleanRow | Problem]:
        items = iter(rows)
        reader_failed = False
        for item in items:
            if isinstance(item, Problem):
                reader_failed = True
                yield item
                continue
            if not _is_blank(item.cells):
                yield from item.problems
                layout = yield from self.header(item)
                if layout is not None:
                    yield from self.check_rows(items, layout)
                return
            yield _first_row_blank(items)
            return
        if not reader_failed:
            yield Problem(
                1, None, f"The file is empty. The first row must be the headings: {HEADINGS}."
            )

    # --- The headings -------------------------------------------------------------------

    def header(self, header: RawRow) -> Iterator[Problem]:
        index: dict[str, int] = {}
        unnamed: list[int] = []
        extras: list[tuple[int, str]] = []
        for position, text in enumerate(header.cells):
            name = normalise_heading(text)
            if not name:
                unnamed.append(position)
            elif name not in COLUMNS:
                extras.append((position, text.replace("\ufeff", "").strip()))
            elif name in index:
                yield Problem(1, name, f"There are two {name} columns. Delete one of them.")
            else:
                index[name] = position
        if not index:
            yield Problem(1, None, self._no_headings_message(header.cells))
            return None
        for position, text in extras:
            yield Problem(
                1,
                text[:40] or column_letter(position),
                f"There is no column called {quote(text)}. Delete the column or correct its "
                f"heading. The headings are: {HEADINGS}.",
            )
        missing = [name for name in (INDICATOR_CODE, PERIOD) if name not in index]
        if VALUE not in index and not (NUMERATOR in index and DENOMINATOR in index):
            missing.append("value (or numerator and denominator)")
        if missing:
            word = "column" if len(missing) == 1 else "columns"
            yield Problem(
                1,
                None,
                f"The file is missing the {join_words(missing)} {word}. The first row must "
                f"have these headings: {HEADINGS}.",
            )
            return None
        return _Layout(index, len(header.cells), unnamed)

    def _no_headings_message(self, cells: list[str]) -> str:
        message = f"The first row must be the column headings: {HEADINGS}."
        first = cells[0].strip() if cells else ""
        for separator, name in ((";", "semicolons"), ("\t", "tabs"), ("|", "bars (|)")):
            if len(cells) == 1 and separator in first:
                return (
                    f"The columns in this file are separated by {name}, not commas. "
                    'In Excel, choose "Save as" and "CSV UTF-8 (Comma delimited)".'
                )
        if first in self.context._indicators or first.lower() in self.context._indicators:
            message += " Row 1 looks like a row of values: add the headings above it."
        return message

    # --- The rows -----------------------------------------------------------------------

    def check_rows(self, items: Iterator[RawRow | Problem], layout: _Layout):
        context = self.context
        indicators = context._indicators
        areas = context._areas
        max_rows = context.max_rows
        max_commentary = context.max_commentary
        periods = self.periods
        seen = self.seen
        width = layout.width
        unnamed = layout.unnamed
        get = layout.index.get
        ic, ip = get(INDICATOR_CODE), get(PERIOD)
        ia, iv, inum, iden, im = (
            get(name, -1) for name in (AREA_CODE, VALUE, NUMERATOR, DENOMINATOR, COMMENTARY)
        )
        value_column = VALUE if iv >= 0 else NUMERATOR
        data_rows = 0
        for raw in items:
            if type(raw) is not RawRow:
                yield raw
                continue
            cells = raw.cells
            if not cells:
                continue
            n = raw.row
            problems: list[Problem] = []
            if raw.problems:
                problems.extend(raw.problems)
            if len(cells) != width or unnamed:
                cells = _fit(cells, n, width, unnamed, problems)
            code = cells[ic].strip()
            period_text = cells[ip].strip()
            area_text = cells[ia].strip() if ia >= 0 else ""
            value_text = cells[iv].strip() if iv >= 0 else ""
            num_text = cells[inum].strip() if inum >= 0 else ""
            den_text = cells[iden].strip() if iden >= 0 else ""
            comment = cells[im] if im >= 0 else ""
            if not (
                problems
                or code
                or period_text
                or area_text
                or value_text
                or num_text
                or den_text
                or comment.strip()
            ):
                continue
            data_rows += 1
            if data_rows > max_rows:
                yield Problem(
                    n,
                    None,
                    f"The file has more than {max_rows:,} rows of figures. Split it into files "
                    f"of {max_rows:,} rows or fewer. Rows from here on were not checked.",
                )
                return
            if raw.problems:
                yield from problems
                continue

            # Which figure this row is for.
            indicator = indicators.get(code)
            if indicator is None and code:
                indicator = indicators.get(code.lower())
            if indicator is None:
                problems.append(Problem(n, INDICATOR_CODE, _indicator_message(code)))
            period = periods.get((indicator.id if indicator else 0, period_text))
            if period is None:
                period = self._judge_period(indicator, period_text)
            if type(period) is str:
                problems.append(Problem(n, PERIOD, period))
                period = None
            area_id, area_code = 0, None
            if area_text:
                area = areas.get(area_text) or areas.get(area_text.lower())
                if area is None:
                    problems.append(Problem(n, AREA_CODE, _area_message(area_text)))
                else:
                    area_id, area_code = area

            # The figures. A plain, finite number is read here; `_number` explains the rest.
            errors_before = len(problems)
            value = numerator = denominator = None
            if value_text:
                if is_plain(value_text) and (value := float(value_text)) - value == 0:
                    pass
                else:
                    value = _number(value_text, n, VALUE, problems)
            if num_text:
                numerator = _number(num_text, n, NUMERATOR, problems)
            if den_text:
                denominator = _number(den_text, n, DENOMINATOR, problems)
            if len(problems) == errors_before:
                if numerator is None and denominator is None and value is not None and indicator:
                    _check_value(n, indicator, value, value_text, problems)
                else:
                    _check_figures(
                        n,
                        indicator,
                        value,
                        numerator,
                        denominator,
                        value_text,
                        value_column,
                        problems,
                    )
            if comment:
                # A leading tab or return is checked before stripping: OWASP lists both.
                leading = comment[0]
                comment = comment.strip()
                if leading in "\t\r":
                    problems.append(Problem(n, COMMENTARY, _formula_message(leading)))
                elif comment.startswith(FORMULA_STARTS):
                    problems.append(Problem(n, COMMENTARY, _formula_message(comment)))
                if len(comment) > max_commentary:
                    problems.append(
                        Problem(
                            n,
                            COMMENTARY,
                            f"Commentary must be {max_commentary:,} characters or fewer. "
                            f"This has {len(comment):,}.",
                        )
                    )

            # One figure per indicator, period and area in a file.
            if indicator is not None and period is not None and (area_code or not area_text):
                first = seen.setdefault((indicator.id << 42) | (period[0] << 21) | area_id, n)
                if first != n:
                    problems.append(
                        Problem(
                            n,
                            None,
                            f"This row has the same indicator, period and area as row {first}. "
                            "Delete one of them.",
                        )
                    )
            if problems:
                yield from problems
                if any(problem.severity == "error" for problem in problems):
                    continue
            yield _clean_row(
                CleanRow,
                (
                    n,
                    indicator.code,
                    period[1],
                    period[2],
                    area_code,
                    value,
                    numerator,
                    denominator,
                    comment,
                ),
            )
        if data_rows == 0:
            yield Problem(
                2,
                None,
                "There are no figures in this file. Add a row for each figure under the headings.",
            )

    def _judge_period(self, indicator: _Indicator | None, text: str) -> tuple[int, str, date] | str:
        """(id, key, start) of a period this indicator can have, or the message saying why not."""
        if len(self.periods) > _CACHE_LIMIT:
            self.periods.clear()
        verdict = self._period_verdict(indicator, text)
        self.periods[(indicator.id if indicator else 0, text)] = verdict
        return verdict

    def _period_verdict(self, indicator: _Indicator | None, text: str):
        if not text:
            return "Enter the period, like 2025/26, 2025/26 Q2 or 2025-10."
        try:
            period = parse_period(text)
        except PeriodError as error:
            return _period_message(text, str(error))
        if indicator is not None:
            wanted = indicator.frequency
            if period.frequency is not wanted:
                example = period_containing(period.start, wanted).key
                return (
                    f"{indicator.code} is a {wanted} indicator, so enter {_KIND[wanted]}, like "
                    f"{example}. {quote(text)} is {_KIND[period.frequency]}."
                )
            if indicator.first is not None and period.start < indicator.first.start:
                return (
                    f"{indicator.code} starts in {indicator.first.key}, so it has no figures "
                    f"for {period.key}. Check the period."
                )
        if period.start > self.context.today:
            return f"The period {period.key} is in the future. Check the period."
        key = period.key
        period_id = self.period_ids.setdefault(key, len(self.period_ids) + 1)
        return (period_id, key, period.start)


def _is_blank(cells: list[str]) -> bool:
    return not any(cell.strip() for cell in cells)


def _first_row_blank(items: Iterator[RawRow | Problem]) -> Problem:
    if any(isinstance(item, RawRow) and not _is_blank(item.cells) for item in items):
        return Problem(1, None, f"Row 1 is blank. The first row must be the headings: {HEADINGS}.")
    return Problem(1, None, f"The file is empty. The first row must be the headings: {HEADINGS}.")


def _fit(cells: list[str], n: int, width: int, unnamed: list[int], problems: list[Problem]):
    """Pad a short row; report figures in columns that have no heading."""
    for position in unnamed:
        if position < len(cells) and cells[position].strip():
            problems.append(_no_heading(n, position))
    if len(cells) < width:
        return cells + [""] * (width - len(cells))
    for position in range(width, len(cells)):
        if cells[position].strip():
            problems.append(_no_heading(n, position))
    return cells


def _no_heading(n: int, position: int) -> Problem:
    return Problem(
        n,
        column_letter(position),
        "There is something in a column with no heading. Delete it, or move it into the "
        "right column.",
    )


def _number(text: str, n: int, column: str, problems: list[Problem]) -> float | None:
    if is_plain(text):
        number = float(text)
        if number - number == 0:  # finite
            return number
        problems.append(Problem(n, column, "This number is too big. Check the figure."))
        return None
    problems.append(Problem(n, column, explain(text)))
    return None


def _check_figures(
    n: int,
    indicator: _Indicator | None,
    value: float | None,
    numerator: float | None,
    denominator: float | None,
    value_text: str,
    value_column: str,
    problems: list[Problem],
) -> None:
    if numerator is None and denominator is None:
        if value is None:
            problems.append(
                Problem(n, value_column, "Enter a value, or a numerator and a denominator.")
            )
        elif indicator is not None:
            _check_value(n, indicator, value, value_text, problems)
        return
    if numerator is None or denominator is None:
        has, lacks = (NUMERATOR, DENOMINATOR) if denominator is None else (DENOMINATOR, NUMERATOR)
        problems.append(
            Problem(n, lacks, f"Enter the {lacks} as well as the {has}, or leave both blank.")
        )
        return
    if indicator is not None and not indicator.rule.is_rate:
        problems.append(
            Problem(
                n,
                NUMERATOR,
                f"{indicator.code} is not a rate, so leave the numerator and denominator blank "
                "and enter the value.",
            )
        )
        return
    if numerator < 0:
        problems.append(Problem(n, NUMERATOR, "The numerator must not be negative."))
    if denominator <= 0:
        word = "0" if denominator == 0 else "negative"
        problems.append(
            Problem(n, DENOMINATOR, f"The denominator must be more than 0. This one is {word}.")
        )
        return
    if indicator is None:
        return
    ratio = numerator / denominator
    if value is not None:
        _check_value_matches(n, indicator, value, numerator, denominator, ratio, problems)
        _check_value(n, indicator, value, value_text, problems)
    elif indicator.rule.unit == "percent" and ratio > 1:
        problems.append(
            Problem(
                n,
                NUMERATOR,
                "The numerator is bigger than the denominator, so this percentage is over 100. "
                "Check the figures.",
                "warning",
            )
        )


def _check_value(
    n: int, indicator: _Indicator, value: float, value_text: str, problems: list[Problem]
) -> None:
    rule = indicator.rule
    if value < 0 and not indicator.can_be_negative:
        problems.append(
            Problem(
                n,
                VALUE,
                f"{indicator.code} is measured in {rule.unit}, which cannot be negative. "
                "Check the figure.",
            )
        )
    if rule.unit == "percent" and value > 100:
        problems.append(
            Problem(n, VALUE, "This percentage is over 100. Check the figure.", "warning")
        )
    if "." in value_text and decimal_places(value_text) > rule.decimals:
        places = "decimal place" if rule.decimals == 1 else "decimal places"
        problems.append(
            Problem(
                n,
                VALUE,
                f"{indicator.code} is shown to {rule.decimals} {places}, so "
                f"{value_text} will be rounded when it is shown.",
                "warning",
            )
        )


def _check_value_matches(
    n: int,
    indicator: _Indicator,
    value: float,
    numerator: float,
    denominator: float,
    ratio: float,
    problems: list[Problem],
) -> None:
    tolerance = 0.5 * 10**-indicator.rule.decimals + 1e-9 * abs(value)
    scales = (100,) if indicator.rule.unit == "percent" else _RATE_SCALES
    if any(abs(value - ratio * scale) <= tolerance for scale in scales):
        return
    worked = ratio * scales[0]
    problems.append(
        Problem(
            n,
            VALUE,
            f"The value does not match the numerator and denominator "
            f"({_short(numerator)} divided by {_short(denominator)}"
            f"{', times 100,' if scales[0] == 100 else ''} is {_short(worked)}). "
            "Correct the figures, or leave the value blank and enter only the numerator and "
            "denominator.",
        )
    )


def _short(number: float) -> str:
    return f"{number:.6g}" if abs(number) < 1e15 else f"{number:.0f}"


def _indicator_message(code: str) -> str:
    if not code:
        return "Enter the indicator code."
    if code.startswith(FORMULA_STARTS[:4]):
        return f"{quote(code)} looks like a formula. Enter the indicator code."
    return f"There is no indicator with the code {quote(code)}. Check the code."


def _area_message(code: str) -> str:
    if code.startswith(FORMULA_STARTS[:4]):
        return f"{quote(code)} looks like a formula. Enter the area code."
    return (
        f"There is no area with the code {quote(code)}. Check the code, or leave it blank for "
        "the whole council."
    )


def _formula_message(text: str) -> str:
    first = text[0]
    what = {"\t": "a tab", "\r": "a return"}.get(first, f'"{first}"')
    return (
        f"Commentary must not start with {what}, because spreadsheets treat that as the start "
        "of a formula. Start it with a word."
    )


# --- Periods written as dates ------------------------------------------------------------

_MONTH_NUMBERS = {name.lower(): number for number, name in enumerate(MONTH_NAMES, start=1)}
_MONTH_NUMBERS.update({name[:3]: number for name, number in list(_MONTH_NUMBERS.items())})
_MONTH_NUMBERS["sept"] = 9
_DAY_MONTH_YEAR = re.compile(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4}|\d{2})")
_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[t ][\d:.]+z?)?")
_MONTH_YEAR = re.compile(r"([a-z]+)[\s\-/.']*(\d{4}|\d{2})")
_YEAR_ONLY = re.compile(r"(?:fy\s*)?(\d{4})")
_QUARTER_ONLY = re.compile(r"q\s*([1-4])")


def _period_message(text: str, error: str) -> str:
    hint = _period_hint(" ".join(text.lower().split()))
    return f"{error}." + (f" {hint}" if hint else "")


def _period_hint(text: str) -> str:
    year = month = None
    if match := _DAY_MONTH_YEAR.fullmatch(text):
        month, year = int(match[2]), _full_year(match[3])
    elif match := _ISO_DATE.fullmatch(text):
        year, month = int(match[1]), int(match[2])
    elif (match := _MONTH_YEAR.fullmatch(text)) and match[1] in _MONTH_NUMBERS:
        month, year = _MONTH_NUMBERS[match[1]], _full_year(match[2])
    elif match := _YEAR_ONLY.fullmatch(text):
        first = int(match[1])
        return (
            f"Write the financial year in full: {first}/{(first + 1) % 100:02d} runs from "
            f"April {first} to March {first + 1}."
        )
    elif match := _QUARTER_ONLY.fullmatch(text):
        return f"Add the financial year, like 2025/26 Q{match[1]}."
    if year is None or month is None or not 1 <= month <= 12 or not 1000 < year < 9999:
        return ""
    return (
        f"It looks like a date: for {MONTH_NAMES[month - 1]} {year}, write {year:04d}-{month:02d}."
    )


def _full_year(text: str) -> int:
    return int(text) if len(text) == 4 else 2000 + int(text)
