"""Pure rules for clinics: update due dates, exit criteria and the ladder's rungs."""

from __future__ import annotations

from datetime import date

import pytest

from goldthread.clinics import criteria
from goldthread.clinics.criteria import Point

GREEN_UP = Point("Oct 2025", "green", "improving")


@pytest.mark.parametrize(
    ("held_on", "every", "until", "expected"),
    [
        (date(2025, 9, 10), 1, date(2025, 10, 9), []),
        (date(2025, 9, 10), 1, date(2025, 10, 10), [date(2025, 10, 10)]),
        (
            date(2025, 9, 10),
            1,
            date(2025, 12, 31),
            [date(2025, 10, 10), date(2025, 11, 10), date(2025, 12, 10)],
        ),
        (date(2025, 1, 31), 1, date(2025, 3, 31), [date(2025, 2, 28), date(2025, 3, 31)]),
        (date(2025, 9, 10), 3, date(2026, 3, 10), [date(2025, 12, 10), date(2026, 3, 10)]),
    ],
)
def test_updates_fall_due_each_interval_after_the_clinic(held_on, every, until, expected):
    assert criteria.update_due_dates(held_on, every, until) == expected


def test_a_month_end_clinic_keeps_its_updates_at_month_ends():
    dates = criteria.update_due_dates(date(2025, 1, 31), 1, date(2025, 5, 31))

    assert dates[-1] == date(2025, 5, 31)


def test_the_next_update_is_the_first_due_date_after_the_day_given():
    assert criteria.next_due_date(date(2025, 9, 10), 1, date(2025, 10, 10)) == date(2025, 11, 10)
    assert criteria.next_due_date(date(2025, 9, 10), 1, date(2025, 9, 10)) == date(2025, 10, 10)


def test_updates_cannot_be_due_less_than_monthly():
    with pytest.raises(ValueError, match="every month"):
        criteria.update_due_dates(date(2025, 9, 10), 0, date(2026, 1, 1))


@pytest.mark.parametrize(
    ("setting", "frequencies", "months"),
    [
        ("monthly", ["quarterly"], 1),
        ("indicator", ["quarterly"], 3),
        ("indicator", ["quarterly", "monthly"], 1),
        ("indicator", ["annual"], 12),
        ("indicator", [], 1),
    ],
)
def test_updates_follow_the_most_frequent_indicator_when_asked(setting, frequencies, months):
    assert criteria.update_interval(setting, frequencies) == months


@pytest.mark.parametrize(
    ("points", "needed", "met"),
    [
        ([], 3, False),
        ([GREEN_UP] * 3, 3, True),
        ([Point("Aug", "red", "improving"), Point("Sep", "amber", "improving")], 2, True),
        ([Point("Aug", "green", "worsening"), Point("Sep", "green", "no_change")], 2, True),
        ([GREEN_UP, Point("Sep", "red", "worsening"), GREEN_UP], 3, False),
        ([Point("Aug", "red", "no_change"), GREEN_UP, GREEN_UP], 2, True),
        ([GREEN_UP], 0, True),
    ],
)
def test_consistent_improvement_counts_the_latest_run_on_target_or_improving(points, needed, met):
    assert criteria.improvement_check("ENV1", points, needed).met is met


def test_an_unmet_improvement_check_says_how_far_it_has_got():
    points = [Point("August 2025", "red", "worsening"), Point("September 2025", "red", "improving")]

    check = criteria.improvement_check("ENV1", points, 3)

    assert check.because == (
        "1 of the 3 periods needed so far; the latest, September 2025, is not on target and "
        "improving."
    )


def test_a_met_improvement_check_says_since_when():
    points = [Point(f"Month {n}", "green", "improving") for n in range(1, 5)]

    check = criteria.improvement_check("ENV1", points, 2)

    assert "since Month 3" in check.because


@pytest.mark.parametrize(
    ("statuses", "met", "because"),
    [
        ([], False, "The action plan has no actions yet."),
        (["delivered", "dropped"], True, "All 2 actions are delivered or dropped."),
        (["delivered", "in_progress"], False, "1 of 2 actions are still to be delivered."),
    ],
)
def test_actions_are_delivered_when_none_is_left_open(statuses, met, because):
    check = criteria.actions_check(statuses, ("delivered", "dropped"))

    assert (check.met, check.because) == (met, because)


@pytest.mark.parametrize(
    ("position", "kinds"),
    [
        (1, ("managerial",)),
        (2, ("managerial", "ad_hoc_challenge")),
        (3, ("ad_hoc_challenge",)),
        (4, ("ad_hoc_challenge",)),
        (5, ("ad_hoc_challenge", "planned_challenge", "spotlight_review")),
    ],
)
def test_each_rung_of_the_default_ladder_asks_for_the_clinics_seed_000_gives_it(position, kinds):
    assert criteria.kinds_requestable_from(position, 5) == kinds
