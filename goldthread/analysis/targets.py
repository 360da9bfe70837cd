"""Target profiles: what the target is for one period of the year.

An annual target says where the year should end. Councils profile it across the year so that a
monthly figure can be judged fairly: a year-to-date count due to reach 1,200 by March should be
about 300 by June, while a percentage or a snapshot has the same target in every period.
A profile the council sets for a period always wins over the default.
"""

from __future__ import annotations

from collections.abc import Mapping

from goldthread.analysis.periods import Frequency, Period

PERIODS_PER_YEAR = {Frequency.MONTHLY: 12, Frequency.QUARTERLY: 4, Frequency.ANNUAL: 1}


def default_period_target(
    annual_target: float, period: Period, *, accumulation: str, aggregation: str
) -> float:
    """The target for one period when the council has not profiled it.

    accumulation: in_period, ytd, snapshot or rolling12; aggregation: sum, average or last.
    """
    periods = PERIODS_PER_YEAR[period.frequency]
    return default_target_at(
        annual_target, period.index_in_year, periods, accumulation, aggregation
    )


def default_target_at(
    annual_target: float, index_in_year: int, periods: int, accumulation: str, aggregation: str
) -> float:
    """default_period_target for the period at `index_in_year` of a year of `periods`."""
    if accumulation == "ytd" and aggregation == "sum":
        # A cumulative count grows evenly towards the annual figure.
        return annual_target * (index_in_year + 1) / periods
    if accumulation == "in_period" and aggregation == "sum":
        return annual_target / periods
    return annual_target


def period_target(
    annual_target: float | None,
    period: Period,
    *,
    profile: Mapping[str, float] | None,
    accumulation: str,
    aggregation: str,
) -> float | None:
    """The profiled target for a period, or None when there is no target."""
    if profile and period.key in profile and profile[period.key] is not None:
        return float(profile[period.key])
    if annual_target is None:
        return None
    return default_period_target(
        annual_target, period, accumulation=accumulation, aggregation=aggregation
    )
