"""The audit trail of one indicator and the council-wide audit log, ready for the templates.

An indicator's trail merges the explicit events (what happened and why) with the field history
kept by django-simple-history (what changed), newest first. The council-wide log lists the
explicit events only: field history is per object and belongs on each object's trail.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from urllib.parse import urlencode

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet

from goldthread.analysis.periods import PeriodError, parse_period
from goldthread.audit.models import AuditEvent
from goldthread.audit.services import events_for
from goldthread.core.formatting import format_value
from goldthread.indicators import access
from goldthread.indicators.models import Indicator, Judgement, Rag, Value, ValueState

PER_PAGE = 25

KINDS = {
    "actions": "Actions",
    "figures": "Changes to figures",
    "targets": "Targets",
    "judgements": "Published judgements",
    "details": "Indicator details",
}

VERBS = {
    "saved": "Figure saved as a draft",
    "submitted": "Figure submitted",
    "approved": "Figure approved",
    "returned": "Figure returned for changes",
    "published": "Figure published",
    "imported": "Figures imported",
    "target_set": "Target set",
    "judgement_republished": "Judgement re-published",
    "rules_changed": "Judgement rules changed",
    "demo_loaded": "Demo data loaded",
}

_HISTORY_WORDS = {"+": "created", "~": "changed", "-": "removed"}
_NOT_DETAILS = {"id"}


def verb_label(verb: str) -> str:
    return VERBS.get(verb) or verb.replace("_", " ").capitalize()


def _who(user) -> str:
    if user is None:
        return "The system"
    return user.get_full_name() or user.get_username()


def _period_label(key: str) -> str:
    try:
        return parse_period(key).label
    except PeriodError:
        return key


@dataclass(frozen=True)
class Entry:
    at: dt.datetime
    kind: str
    what: str
    who: str
    why: str = ""

    @property
    def kind_label(self) -> str:
        return KINDS[self.kind]


# One indicator's trail


def _event_entries(indicator: Indicator) -> list[Entry]:
    return [
        Entry(e.at, "actions", e.description, _who(e.actor), e.reason)
        for e in events_for(indicator)
    ]


def _figure_entries(user, indicator: Indicator) -> list[Entry]:
    # Each history row keeps the state it had then: only the states this person may see.
    states = access.visible_value_states(user, indicator)
    rows = (
        Value.history.filter(indicator_id=indicator.pk, state__in=states)
        .select_related("history_user", "area")
        .order_by("history_date")
    )
    return [_figure_entry(indicator, row) for row in rows]


def _figure_entry(indicator: Indicator, row) -> Entry:
    place = f" ({row.area.name})" if row.area_id else ""
    figure = format_value(row.value, indicator.unit, indicator.decimals, missing="blank")
    state = ValueState(row.state).label.lower()
    what = (
        f"Figure for {_period_label(row.period)}{place} {_HISTORY_WORDS[row.history_type]}: "
        f"{figure}, {state}"
    )
    return Entry(row.history_date, "figures", what, _who(row.history_user), _reason(row))


def _reason(row) -> str:
    return row.history_change_reason or ""


def _target_entries(indicator: Indicator) -> list[Entry]:
    entries = []
    for target in indicator.targets.select_related("created_by").order_by("created_at"):
        entries.append(
            Entry(
                target.created_at,
                "targets",
                f"Target for {target.year_label} set to {_target_words(indicator, target)} "
                f"(version {target.version})",
                _who(target.created_by),
                target.reason,
            )
        )
    return entries


def _target_words(indicator: Indicator, target) -> str:
    def fmt(value):
        return format_value(value, indicator.unit, indicator.decimals)

    if target.band_lower is not None and target.band_upper is not None:
        return f"{fmt(target.band_lower)} to {fmt(target.band_upper)}"
    if target.annual_target is None:
        return "no target"
    return fmt(target.annual_target)


def _judgement_entries(indicator: Indicator) -> list[Entry]:
    rows = (
        Judgement.history.filter(indicator_id=indicator.pk, is_published=True)
        .select_related("history_user")
        .order_by("history_date")
    )
    return [
        Entry(
            row.history_date,
            "judgements",
            f"Published judgement for {_period_label(row.period)}: {Rag(row.rag).label}",
            _who(row.history_user),
            row.history_change_reason or row.publish_reason,
        )
        for row in rows
    ]


def _detail_entries(indicator: Indicator) -> list[Entry]:
    fields = [f for f in Indicator._meta.fields if f.name not in _NOT_DETAILS]
    rows = list(
        Indicator.history.filter(id=indicator.pk)
        .select_related("history_user")
        .order_by("history_date")
    )
    entries, previous = [], None
    for row in rows:
        changed = [
            str(f.verbose_name)
            for f in fields
            if previous is not None and getattr(row, f.attname) != getattr(previous, f.attname)
        ]
        what = "Indicator created" if previous is None else "Indicator details changed"
        if changed:
            what += ": " + ", ".join(changed)
        who = _who(row.history_user)
        entries.append(Entry(row.history_date, "details", what, who, _reason(row)))
        previous = row
    return entries


def indicator_trail(user, indicator: Indicator, kind: str = "") -> list[Entry]:
    """Everything that happened to this indicator, newest first."""
    sources = {
        "actions": lambda: _event_entries(indicator),
        "figures": lambda: _figure_entries(user, indicator),
        "targets": lambda: _target_entries(indicator),
        "judgements": lambda: _judgement_entries(indicator),
        "details": lambda: _detail_entries(indicator),
    }
    chosen = [kind] if kind in sources else list(sources)
    entries = [entry for name in chosen for entry in sources[name]()]
    return sorted(entries, key=lambda e: e.at, reverse=True)


# Pagination


def page_of(items, number: str | None, per_page: int = PER_PAGE) -> Page:
    """The page asked for; a page number that is not a number, or too big, gives a real page."""
    return Paginator(items, per_page).get_page(number)


def pagination(page: Page, query: dict[str, str]) -> dict | None:
    """Arguments for govukPagination, keeping the filters in every link."""
    if page.paginator.num_pages <= 1:
        return None

    def href(number: int) -> str:
        return "?" + urlencode({**query, "page": number})

    items = []
    for number in page.paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1):
        if number == Paginator.ELLIPSIS:
            items.append({"ellipsis": True})
        else:
            items.append({"number": number, "href": href(number), "current": number == page.number})
    links: dict = {"items": items}
    if page.has_previous():
        links["previous"] = {"href": href(page.previous_page_number())}
    if page.has_next():
        links["next"] = {"href": href(page.next_page_number())}
    return links


# The council-wide log


@dataclass(frozen=True)
class LogFilters:
    verb: str = ""
    person: int | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None


@dataclass(frozen=True)
class LogLine:
    event: AuditEvent
    verb_label: str
    who: str
    indicator_code: str

    @property
    def at(self) -> dt.datetime:
        return self.event.at


def log_events(filters: LogFilters) -> QuerySet[AuditEvent]:
    events = AuditEvent.objects.select_related("actor").order_by("-at", "-id")
    if filters.verb:
        events = events.filter(verb=filters.verb)
    if filters.person is not None:
        events = events.filter(actor_id=filters.person)
    if filters.date_from:
        events = events.filter(at__date__gte=filters.date_from)
    if filters.date_to:
        events = events.filter(at__date__lte=filters.date_to)
    return events


def log_lines(events) -> list[LogLine]:
    """Lines for one page of events, with a link to each indicator's trail in one query."""
    events = list(events)
    ids = [e.object_id for e in events if e.object_type == "indicators.indicator"]
    codes = {
        str(pk): code for pk, code in Indicator.objects.filter(pk__in=ids).values_list("pk", "code")
    }
    return [
        LogLine(
            event=e,
            verb_label=verb_label(e.verb),
            who=_who(e.actor),
            indicator_code=codes.get(e.object_id, "")
            if e.object_type == "indicators.indicator"
            else "",
        )
        for e in events
    ]


def verb_choices() -> list[tuple[str, str]]:
    used = AuditEvent.objects.order_by().values_list("verb", flat=True).distinct()
    return sorted(((v, verb_label(v)) for v in used), key=lambda c: c[1])
