"""Setting targets: every change is a new version with who, when and why."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Max

from goldthread.analysis.quality import QualityIssue, check_target, comparable_history
from goldthread.audit.services import record
from goldthread.core.formatting import format_value
from goldthread.indicators.models import APPROVED_STATES, Indicator, TargetVersion
from goldthread.indicators.services.judging import rejudge


@dataclass(frozen=True)
class TargetChange:
    year: int
    annual_target: float | None
    reason: str
    tolerance: float | None = None
    tolerance_kind: str = "percent"
    band_lower: float | None = None
    band_upper: float | None = None
    profile: dict[str, float] = field(default_factory=dict)
    no_target_reason: str = ""
    is_illustrative: bool = False
    basis: str = ""


def target_issues(indicator: Indicator, target: float, label: str) -> list[QualityIssue]:
    """Errors and warnings for a proposed annual target (or band end), against the approved
    figures it is comparable with (whole years for counts that add up, year ends for
    year-to-date figures)."""
    figures = indicator.values.filter(area__isnull=True, state__in=APPROVED_STATES)
    series = [
        (figure.period_obj, figure.value)
        for figure in figures.order_by("period_start").only("period", "value")
    ]
    history = comparable_history(
        series, accumulation=indicator.accumulation, aggregation=indicator.aggregation
    )

    def fmt(number: float) -> str:
        return format_value(number, indicator.unit, indicator.decimals)

    return check_target(target, history, unit=indicator.unit, label=label, fmt=fmt)


def current_target(indicator: Indicator, year: int) -> TargetVersion | None:
    return indicator.targets.filter(year=year).order_by("-version").first()


@transaction.atomic
def set_target(indicator: Indicator, change: TargetChange, *, actor) -> TargetVersion:
    """Record a new target version and re-judge the indicator's unpublished periods."""
    latest = indicator.targets.filter(year=change.year).aggregate(v=Max("version"))["v"] or 0
    version = TargetVersion.objects.create(
        indicator=indicator,
        year=change.year,
        version=latest + 1,
        annual_target=change.annual_target,
        tolerance=change.tolerance,
        tolerance_kind=change.tolerance_kind,
        band_lower=change.band_lower,
        band_upper=change.band_upper,
        profile=change.profile,
        no_target_reason=change.no_target_reason,
        is_illustrative=change.is_illustrative,
        basis=change.basis,
        reason=change.reason,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    record(
        actor,
        "target_set",
        indicator,
        f"Target for {version.year_label} set (version {version.version})",
        reason=change.reason,
        year=version.year,
        version=version.version,
        annual_target=change.annual_target,
    )
    rejudge([indicator])
    return version
