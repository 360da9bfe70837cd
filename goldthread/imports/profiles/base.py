"""The part every mapping profile shares: from a publisher's figures to Goldthread's rows.

A profile reads a publisher's table and yields `Published` figures: where (the publisher's
area code and name), what (the publisher's measure), when (a period key already written the
Goldthread way), and the figure as text. This module then decides, the same way for every
publisher:

- **where**: the council's own ONS code or name is the whole council; a code or name listed
  in `Home.areas` is that area; anything else is another council, a region or the country.
  Those rows are comparators. Goldthread has no store for comparators yet, so they are
  **skipped and counted**, and the summary says so.
- **what**: a publisher's measure goes into the council's indicator named for it in
  `Settings.measures`, or else into the indicator with the same code (ignoring case and
  spaces, so LGBF's "CORP 07" is CORP07). Measures with no indicator are skipped and counted.
- **units**: a figure published as a proportion (0.584) goes into a percentage indicator as
  58.4, worked out in decimal so no binary rounding creeps in. Numerators and denominators
  are kept only for indicators that are rates.
- **no figure**: blank cells and publishers' markers ("-", ":", "..", "[x]") are skipped and
  counted, never stored as 0.
- **periods the council does not hold** are skipped and counted (ADR 12): history before the
  indicator's first period, periods before the `since` the person chose, and periods of
  another length (LGBF's annual table has a year's figure for measures councils collect each
  quarter).

The rows go through the same `validate` as a Goldthread file, so every rule is the same.
Problems name the publisher's own column headings, so a person can find the cell.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal, InvalidOperation

from goldthread.analysis.periods import PeriodError, parse_period
from goldthread.imports.columns import COLUMNS
from goldthread.imports.numbers import is_plain, plain
from goldthread.imports.problems import Problem, RawRow, join_words, quote
from goldthread.imports.validate import CleanRow, Context, IndicatorRule, validate

NO_FIGURE_MARKERS = frozenset(
    {"", "-", ":", "..", ".", "x", "[x]", "[c]", "[z]", "[low]", "n/a", "na", "*", "~"}
)
# ONS (GSS) code prefixes of electoral wards in England, Scotland, Wales and Northern Ireland.
WARD_CODES = ("E05", "S13", "W05", "N08")
# How many names a summary lists before it says "and N more".
NAMES_LISTED = 8

_SPACES = re.compile(r"[\s_]+")
_NAME_NOISE = re.compile(r"\b(?:council|borough|city|metropolitan|district|mbc|the|of)\b")


def measure_key(text: str) -> str:
    """ "CORP 07", "corp07" and " Corp 07 " are one measure; so are a code's case variants."""
    return _SPACES.sub("", text).lower()


def place_key(text: str) -> str:
    """Council names as publishers write them: "Stirling Council", "Stirling", "Argyll & Bute"."""
    text = text.lower().replace("&", " and ")
    text = _NAME_NOISE.sub(" ", text)
    return " ".join(re.sub(r"[^a-z0-9 ]+", " ", text).split())


@dataclass(frozen=True)
class Home:
    """Who "we" are in another publisher's table: the council and its areas."""

    name: str
    codes: frozenset[str]  # ONS codes, upper case
    names: frozenset[str]  # place_key of each name the council goes by
    areas: Mapping[str, str] = field(default_factory=dict)  # code or place_key → our area code

    @classmethod
    def of(
        cls,
        name: str,
        ons_code: str,
        *,
        other_names: Iterable[str] = (),
        areas: Mapping[str, str] | None = None,
    ) -> Home:
        names = {place_key(name), *(place_key(other) for other in other_names)}
        names.discard("")
        lookup = {}
        for key, code in (areas or {}).items():
            lookup[key.strip().upper()] = code
            lookup[place_key(key)] = code
        return cls(name, frozenset({ons_code.strip().upper()}), frozenset(names), lookup)

    def place(self, code: str, name: str) -> str | None:
        """ "" for the whole council, an area code for one of its areas, None for elsewhere."""
        code = code.strip().upper()
        if code and code in self.codes:
            return ""
        if code and code in self.areas:
            return self.areas[code]
        key = place_key(name)
        if not code and key in self.names:
            return ""
        # A ward is found by name too, since a council may code its areas its own way; a
        # council-level code never is, so a comparator named like one of our areas stays out.
        if key and key in self.areas and (not code or code.startswith(WARD_CODES)):
            return self.areas[key]
        return None


@dataclass(frozen=True)
class Settings:
    """What a council tells a profile: who it is, and which indicator each measure fills."""

    home: Home
    measures: Mapping[str, str] = field(default_factory=dict)  # publisher measure → our code
    since: str | None = None  # a period key: rows for earlier periods are left out

    def indicator_for(self, measure: str, context: Context) -> str | None:
        key = measure_key(measure)
        for wanted, code in self.measures.items():
            if measure_key(wanted) == key:
                return code
        for code in context.indicators:
            if measure_key(code) == key:
                return code
        return None


@dataclass(frozen=True, slots=True)
class Published:
    """One figure as a publisher gave it, with the period already in Goldthread's notation."""

    row: int
    place_code: str
    place_name: str
    measure: str
    period: str
    value: str
    numerator: str = ""
    denominator: str = ""
    is_fraction: bool = False  # a proportion, 0.584 for 58.4%
    columns: Mapping[str, str] = field(default_factory=dict)  # our column → their heading
    problems: tuple[Problem, ...] = ()


@dataclass(frozen=True, slots=True)
class Skip:
    """A row the profile leaves out on its own account (a total line, a multi-year period)."""

    row: int
    reason: str  # what the rows are, as a phrase: "the table's total line"


Figure = Published | Skip | Problem


@dataclass(frozen=True)
class Profile:
    """A publisher's layout: its name on the command line, its title, how to read it."""

    name: str
    title: str
    publisher: str
    description: str
    container: str  # the file format it comes in: "csv"
    figures: Callable[[Iterator[RawRow | Problem]], Iterator[Figure]]


@dataclass
class _Tally:
    """What was left out and why, for the summary at the end."""

    first_row: dict[str, int] = field(default_factory=dict)
    counts: Counter = field(default_factory=Counter)
    names: dict[str, dict[str, None]] = field(default_factory=dict)
    mapped: int = 0
    ours: int = 0  # rows for the council or its areas, whether or not they were kept
    # The columns of the figure `validate` is checking now (see `_relabel`).
    row: int = 0
    columns: Mapping[str, str] = field(default_factory=dict)

    def skip(self, reason: str, row: int, name: str = "") -> None:
        self.counts[reason] += 1
        self.first_row.setdefault(reason, row)
        if name:
            self.names.setdefault(reason, {})[name] = None


OTHER_PLACES = "other places"
NOT_MAPPED = "not mapped"
NO_FIGURE = "no figure"
ROUNDED = "rounded"
BEFORE_FIRST = "before first"
BEFORE_SINCE = "before since"
OTHER_FREQUENCY = "other frequency"


def check_published(
    figures: Iterable[Figure], settings: Settings, context: Context
) -> Iterator[CleanRow | Problem]:
    """Map a publisher's figures to Goldthread's rows and check them: the profile's reader."""
    tally = _Tally()
    rows = _canonical(figures, settings, context, tally)
    yield from _relabel(validate(rows, context), tally, settings)
    yield from _summary(tally, settings)


def _canonical(
    figures: Iterable[Figure], settings: Settings, context: Context, tally: _Tally
) -> Iterator[RawRow | Problem]:
    yield RawRow(1, list(COLUMNS))
    for figure in figures:
        if isinstance(figure, Problem):
            yield figure
        elif isinstance(figure, Skip):
            tally.skip(figure.reason, figure.row)
        else:
            row = _row(figure, settings, context, tally)
            if row is not None:
                tally.mapped += 1
                tally.row, tally.columns = figure.row, figure.columns
                yield row


def _row(figure: Published, settings: Settings, context: Context, tally: _Tally) -> RawRow | None:
    area = settings.home.place(figure.place_code, figure.place_name)
    if area is None:
        tally.skip(OTHER_PLACES, figure.row, figure.place_name or figure.place_code)
        return None
    tally.ours += 1
    code = settings.indicator_for(figure.measure, context)
    if code is None:
        tally.skip(NOT_MAPPED, figure.row, figure.measure)
        return None
    rule = _rule(context, code)
    if rule is not None and (reason := _period_skip(figure.period, rule, settings.since)):
        tally.skip(reason[0], figure.row, f"{code} {reason[1]}")
        return None
    figures = _figures(figure, rule, tally)
    if figures is None:
        tally.skip(NO_FIGURE, figure.row)
        return None
    return RawRow(figure.row, [code, figure.period, area, *figures, ""], figure.problems)


def _figures(
    figure: Published, rule: IndicatorRule | None, tally: _Tally
) -> tuple[str, str, str] | None:
    """(value, numerator, denominator) as text to store, or None when there is no figure."""
    value, numerator, denominator = (
        text.strip() for text in (figure.value, figure.numerator, figure.denominator)
    )
    value = "" if _missing(value) else value
    if figure.is_fraction and rule is not None and rule.unit == "percent":
        value = _times_100(value)
    if rule is None or not rule.is_rate or _missing(numerator) or _missing(denominator):
        numerator = denominator = ""
    elif not _agree(value, numerator, denominator, rule):
        tally.skip(ROUNDED, figure.row)
        numerator = denominator = ""
    if not (value or numerator or figure.problems):
        return None
    return value, numerator, denominator


def _period_skip(text: str, rule: IndicatorRule, since: str | None) -> tuple[str, str] | None:
    """Why a published period is left out for this indicator, or None to keep it.

    A published table carries years of history and figures at several frequencies; the
    council's series may start later and be collected more often (ADR 12). Goldthread's own
    files are refused for these instead (validate), because there they are mistakes.
    """
    try:
        period = parse_period(text)
    except PeriodError:
        return None  # validate explains the period
    if period.frequency != rule.frequency:
        return OTHER_FREQUENCY, f"is {rule.frequency}"
    if rule.first_period and period.start < parse_period(rule.first_period).start:
        return BEFORE_FIRST, f"from {rule.first_period}"
    if since and period.start < parse_period(since).start:
        return BEFORE_SINCE, f"from {since}"
    return None


def _agree(value: str, numerator: str, denominator: str, rule: IndicatorRule) -> bool:
    """Whether the published value is what its numerator and denominator work out to, at
    the indicator's decimal places (times 100 for a percentage; otherwise a plain ratio or a
    rate per 1,000 to 100,000). Text that is not a number is left for validate to explain."""
    if _missing(value) or not all(is_plain(text) for text in (value, numerator, denominator)):
        return True
    figure, top, bottom = float(value), float(numerator), float(denominator)
    if bottom <= 0:
        return True
    tolerance = 0.5 * 10**-rule.decimals + 1e-9 * abs(figure)
    scales = (100,) if rule.unit == "percent" else (1, 1000, 10_000, 100_000)
    return any(abs(figure - top / bottom * scale) <= tolerance for scale in scales)


def _missing(text: str) -> bool:
    return text.strip().lower() in NO_FIGURE_MARKERS


def _rule(context: Context, code: str) -> IndicatorRule | None:
    rule = context.indicators.get(code)
    if rule is None or isinstance(rule, IndicatorRule):
        return rule
    return IndicatorRule(*rule)


def _times_100(text: str) -> str:
    """0.584 → 58.4 exactly; anything that is not a plain number is left for validate."""
    if not is_plain(text):
        return text
    try:
        return plain(Decimal(text) * 100)
    except InvalidOperation:
        return text


def _relabel(
    items: Iterable[CleanRow | Problem], tally: _Tally, settings: Settings
) -> Iterator[CleanRow | Problem]:
    """Name the publisher's columns in problems, and explain an import that found nothing.

    `validate` reports a row's problems straight after reading the row, before it asks for the
    next one, so the figure most recently handed to it is the one a problem is about. A wide
    table (Defra's) has several figures on one row, each from its own column.
    """
    failed = False
    for item in items:
        if type(item) is CleanRow:
            yield item
            continue
        if item.row == tally.row and item.column in tally.columns:
            item = replace(item, column=tally.columns[item.column])
        if tally.mapped == 0 and item.row == 2 and item.message.startswith("There are no"):
            if failed:
                continue  # the file could not be read: that problem says it already
            item = Problem(1, None, _nothing_found(tally, settings))
        failed = failed or item.is_error
        yield item


def _nothing_found(tally: _Tally, settings: Settings) -> str:
    name = settings.home.name
    if tally.ours == 0:
        return (
            f"There are no figures for {name} in this file. Check the file is the right one, "
            f"and that {name}'s ONS code ({join_words(sorted(settings.home.codes))}) or name "
            "is in it."
        )
    if set(tally.counts) - {OTHER_PLACES} == {NOT_MAPPED}:
        return (
            "None of the measures in this file is linked to one of your indicators. Say which "
            "indicator each measure goes into, like: measure = INDICATOR_CODE."
        )
    return f"None of the figures for {name} in this file can be imported: the notes say why."


def _summary(tally: _Tally, settings: Settings) -> Iterator[Problem]:
    """One warning per reason rows were left out, so nothing is dropped without a word."""
    for reason, count in sorted(tally.counts.items(), key=lambda item: tally.first_row[item[0]]):
        rows = "1 row" if count == 1 else f"{count:,} rows"
        yield Problem(
            tally.first_row[reason],
            None,
            _skip_message(reason, rows, tally.names.get(reason, {}), settings),
            "warning",
        )


def _skip_message(reason: str, rows: str, names: dict[str, None], settings: Settings) -> str:
    listed = _listed(list(names))
    were = "was" if rows == "1 row" else "were"
    if reason == OTHER_PLACES:
        return (
            f"{rows} for other councils or places ({listed}) {were} not imported. They are "
            f"comparators, not {settings.home.name}'s own figures."
        )
    if reason == NOT_MAPPED:
        return (
            f"{rows} for measures not linked to any of your indicators ({listed}) {were} not "
            "imported. To import one, say which indicator it goes into."
        )
    if reason == NO_FIGURE:
        return f"{rows} had no figure (blank, or marked as not available) and {were} skipped."
    if reason == OTHER_FREQUENCY:
        return (
            f"{rows} for periods of another length than the indicator's ({listed}) {were} not "
            "imported, such as a year's figure for an indicator collected each quarter."
        )
    if reason == BEFORE_SINCE:
        return f"{rows} for periods before the first period you chose ({listed}) {were} skipped."
    if reason == BEFORE_FIRST:
        return (
            f"{rows} for periods before an indicator's first figure ({listed}) {were} not "
            "imported. Figures before an indicator's first period are not taken."
        )
    if reason == ROUNDED:
        return (
            f"In {rows}, the published value is not what the published numerator and "
            "denominator work out to (the publisher rounds it, or works it out another way), "
            "so only the published value was imported."
        )
    return f"{rows} {were} not imported: {reason}."


def _listed(names: list[str]) -> str:
    shown = [quote(name, 120) for name in names[:NAMES_LISTED]]
    if len(names) > NAMES_LISTED:
        shown.append(f"{len(names) - NAMES_LISTED:,} more")
    return join_words(shown)
