"""The indicator page: passport, chart and table of values against target, and history."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import timezone

from goldthread.analysis.periods import financial_year_of, parse_period
from goldthread.analysis.targets import period_target
from goldthread.audit.access import can_see_indicator_audit
from goldthread.audit.services import events_for
from goldthread.charts.svg import line_chart
from goldthread.core.formatting import format_value
from goldthread.indicators import access
from goldthread.indicators.models import (
    Direction,
    Indicator,
    Judgement,
    Rag,
    TargetVersion,
    Value,
)
from goldthread.indicators.presenters.lists import direction_text
from goldthread.indicators.presenters.spc import (
    LatestJudgement,
    SpcSection,
    build_latest,
    build_spc_section,
)


@dataclass
class TableRow:
    period: str
    period_label: str
    value_text: str
    target_text: str
    rag: str
    rag_label: str
    direction: str
    direction_label: str
    state: str
    state_label: str
    commentary: str
    rules_version: int | None
    target_version: int | None
    is_published: bool
    # The figures themselves, for exports that write numbers as numbers.
    value: float | None = None
    target: float | None = None


@dataclass
class IndicatorPage:
    indicator: Indicator
    rows: list[TableRow]
    latest: TableRow | None
    chart_svg: str
    targets: list[TargetVersion]
    value_history: list
    judgement_history: list
    events: list
    can_set_targets: bool
    can_republish: bool
    can_see_audit: bool
    shows_unapproved: bool
    target_years: list[int]
    spc: SpcSection | None
    latest_judgement: LatestJudgement | None

    @property
    def latest_direction_text(self) -> str:
        return direction_text(Direction(self.latest.direction)) if self.latest else ""


def _fmt(indicator: Indicator, value: float | None, missing: str = "No data") -> str:
    return format_value(value, indicator.unit, indicator.decimals, missing=missing)


def _current_targets(indicator: Indicator) -> dict[int, TargetVersion]:
    latest: dict[int, TargetVersion] = {}
    for version in indicator.targets.order_by("version"):
        latest[version.year] = version
    return latest


def _profiled(indicator: Indicator, version: TargetVersion | None, key: str) -> float | None:
    if version is None:
        return None
    return period_target(
        version.annual_target,
        parse_period(key),
        profile=version.profile,
        accumulation=indicator.accumulation,
        aggregation=indicator.aggregation,
    )


def _visible_judgements(user, indicator: Indicator) -> list[Judgement]:
    return list(
        Judgement.objects.filter(access.judgements_q(user), indicator=indicator)
        .select_related("rules", "target_version")
        .order_by("period_start")
    )


def _rows(
    indicator: Indicator, values: list[Value], judgements: list[Judgement], targets: dict
) -> list[TableRow]:
    by_period = {j.period: j for j in judgements}
    return [_row(indicator, v, by_period.get(v.period), targets) for v in values]


def _row(
    indicator: Indicator, value: Value, judgement: Judgement | None, targets: dict
) -> TableRow:
    period = parse_period(value.period)
    target = (
        judgement.target
        if judgement
        else _profiled(indicator, targets.get(period.year), value.period)
    )
    rag = Rag(judgement.rag) if judgement else None
    direction = Direction(judgement.direction_previous) if judgement else None
    return TableRow(
        period=value.period,
        period_label=period.label,
        value_text=_fmt(indicator, value.value),
        target_text=_fmt(indicator, target, missing="None"),
        rag=rag.value if rag else "",
        rag_label=rag.label if rag else "Not judged until approved",
        direction=direction.value if direction else "",
        direction_label=direction.label if direction else "",
        state=value.state,
        state_label=value.get_state_display(),
        commentary=value.commentary,
        rules_version=judgement.rules.version if judgement else None,
        target_version=judgement.target_version.version
        if judgement and judgement.target_version
        else None,
        is_published=bool(judgement and judgement.is_published),
        value=value.value,
        target=target,
    )


def _chart(indicator: Indicator, values: list[Value], targets: dict) -> str:
    labels = [parse_period(v.period).label for v in values]
    series = [v.value for v in values]
    profile = [
        _profiled(indicator, targets.get(parse_period(v.period).year), v.period) for v in values
    ]
    if not values:
        return ""
    return line_chart(
        labels,
        series,
        profile,
        title=f"{indicator.name}: values against target",
        description=(
            f"Line chart of {len(values)} values from {labels[0]} to {labels[-1]}, "
            "with the target as a dashed line. The same figures are in the table below."
        ),
    )


def build_indicator_page(user, indicator: Indicator) -> IndicatorPage:
    values = list(access.values_for(user, indicator))
    targets = _current_targets(indicator)
    judgements = _visible_judgements(user, indicator)
    rows = _rows(indicator, values, judgements, targets)
    judged = [r for r in rows if r.rag]
    shows_unapproved = access.sees_unapproved(user, indicator)
    states = access.visible_value_states(user, indicator)
    history_values = indicator.values.filter(state__in=states, area__isnull=True)
    return IndicatorPage(
        indicator=indicator,
        rows=rows,
        latest=judged[-1] if judged else None,
        chart_svg=_chart(indicator, values, targets),
        targets=list(indicator.targets.select_related("created_by").order_by("-year", "-version")),
        value_history=list(
            # Each history row keeps the state it had then: a figure approved today may have
            # draft rows in its past, and members must not see those.
            Value.history.filter(id__in=history_values.values("pk"), state__in=states)
            .select_related("history_user")
            .order_by("-history_date")[:50]
        )
        if user.is_authenticated
        else [],
        judgement_history=list(
            Judgement.history.filter(indicator_id=indicator.pk, is_published=True)
            .select_related("history_user")
            .order_by("-history_date")[:50]
        ),
        events=list(events_for(indicator)[:50]) if user.is_authenticated else [],
        can_set_targets=access.can_set_targets(user),
        can_republish=access.can_republish(user),
        can_see_audit=can_see_indicator_audit(user),
        shows_unapproved=shows_unapproved,
        target_years=_target_years(values),
        spc=build_spc_section(indicator, judgements),
        latest_judgement=build_latest(indicator, judgements[-1] if judgements else None),
    )


def _target_years(values: list[Value]) -> list[int]:
    """The year of the latest figure and the current financial year: the years people set."""
    today = financial_year_of(timezone.localdate())
    latest = parse_period(values[-1].period).year if values else today
    return sorted({latest, today})
