import json
import socket
from datetime import UTC, date, datetime

import holidays
import pytest
from hypothesis import given
from hypothesis import strategies as st

from goldthread.analysis.calendar import (
    DEFAULT_RULES,
    CalendarError,
    CalendarRules,
    CollectionWindow,
    FrequencyRules,
    Region,
    WindowStatus,
    bank_holidays,
    collection_anchor,
    is_working_day,
    periods_due,
    reminder_dates,
    status_on,
    window_for,
    working_days_after,
    working_days_between,
)
from goldthread.analysis.periods import Frequency, parse_period, uk_local_date

M, Q, A = Frequency.MONTHLY, Frequency.QUARTERLY, Frequency.ANNUAL
ENGLAND, SCOTLAND, NI = Region.ENGLAND_AND_WALES, Region.SCOTLAND, Region.NORTHERN_IRELAND
SCOTTISH_RULES = CalendarRules(region=SCOTLAND)


def d(text: str) -> date:
    return date.fromisoformat(text)


def keys(windows: list[CollectionWindow]) -> list[str]:
    return [window.period.key for window in windows]


# --- Bank holidays -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "region", "working"),
    [
        pytest.param("2026-04-03", ENGLAND, False, id="good-friday-2026"),
        pytest.param("2026-04-06", ENGLAND, False, id="easter-monday-2026"),
        pytest.param("2026-04-02", ENGLAND, True, id="maundy-thursday-is-a-working-day"),
        pytest.param("2027-12-27", ENGLAND, False, id="2027-christmas-on-saturday-moves-to-monday"),
        pytest.param("2027-12-28", ENGLAND, False, id="2027-boxing-day-on-sunday-moves-to-tuesday"),
        pytest.param("2027-12-29", ENGLAND, True, id="29-december-2027-is-a-working-day"),
        pytest.param("2022-12-27", ENGLAND, False, id="2022-christmas-on-sunday-moves-to-tuesday"),
        pytest.param("2026-05-04", ENGLAND, False, id="early-may-first-monday"),
        pytest.param("2026-05-25", ENGLAND, False, id="spring-bank-holiday-last-monday-of-may"),
        pytest.param("2020-05-08", ENGLAND, False, id="2020-early-may-moved-to-ve-day-friday"),
        pytest.param("2020-05-04", ENGLAND, True, id="2020-first-monday-of-may-was-worked"),
        pytest.param("2022-06-02", ENGLAND, False, id="2022-spring-bank-holiday-moved-for-jubilee"),
        pytest.param("2022-06-03", ENGLAND, False, id="2022-platinum-jubilee"),
        pytest.param("2023-05-08", ENGLAND, False, id="2023-coronation"),
        pytest.param("2026-08-31", ENGLAND, False, id="england-summer-last-monday-of-august"),
        pytest.param("2026-01-02", ENGLAND, True, id="2-january-is-worked-in-england"),
        pytest.param("2026-01-02", SCOTLAND, False, id="2-january-is-a-holiday-in-scotland"),
        pytest.param("2027-01-04", SCOTLAND, False, id="scotland-2-january-on-saturday-moves"),
        pytest.param("2026-11-30", SCOTLAND, False, id="st-andrews-day-in-scotland"),
        pytest.param("2026-11-30", ENGLAND, True, id="st-andrews-day-is-worked-in-england"),
        pytest.param("2025-12-01", SCOTLAND, False, id="st-andrews-day-on-sunday-moves"),
        pytest.param("2026-04-06", SCOTLAND, True, id="easter-monday-is-worked-in-scotland"),
        pytest.param("2026-08-03", SCOTLAND, False, id="scotland-summer-first-monday-of-august"),
        pytest.param("2026-08-31", SCOTLAND, True, id="scotland-works-england-summer-holiday"),
        pytest.param("2026-03-17", NI, False, id="st-patricks-day-in-northern-ireland"),
        pytest.param("2026-07-13", NI, False, id="twelfth-of-july-on-sunday-moves-in-ni"),
        pytest.param("2026-03-17", ENGLAND, True, id="st-patricks-day-is-worked-in-england"),
        pytest.param("2026-03-07", ENGLAND, False, id="saturday"),
        pytest.param("2026-03-08", ENGLAND, False, id="sunday"),
        pytest.param("2026-03-09", ENGLAND, True, id="ordinary-monday"),
    ],
)
def test_it_knows_which_days_are_working_days(day, region, working):
    assert is_working_day(d(day), region=region) is working


def test_it_lists_a_years_bank_holidays_with_their_names():
    found = bank_holidays(2027)
    assert found[d("2027-12-27")] == "Christmas Day (observed)"
    assert list(found) == sorted(found)
    assert len([day for day in found if day.weekday() < 5]) == 8


def test_it_accepts_region_names_as_text():
    assert bank_holidays(2026, "scotland") == bank_holidays(2026, SCOTLAND)


def test_it_treats_england_and_wales_as_one_region():
    wales = holidays.country_holidays("GB", subdiv="WLS", years=2026)
    assert dict(bank_holidays(2026, ENGLAND)) == dict(wales)


def test_it_caches_each_year():
    assert bank_holidays(2031) is bank_holidays(2031)


def test_it_gives_a_read_only_list():
    with pytest.raises(TypeError):
        bank_holidays(2026)[d("2026-03-09")] = "Not a holiday"  # type: ignore[index]


def test_it_rejects_an_unknown_region():
    with pytest.raises(CalendarError, match='"wales-only" is not a bank holiday region'):
        bank_holidays(2026, "wales-only")


def test_it_needs_no_network_for_bank_holidays(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("the calendar tried to use the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    with pytest.raises(AssertionError):
        socket.create_connection(("example.org", 80))
    uncached = bank_holidays.__wrapped__
    assert d("2041-12-25") in uncached(2041, ENGLAND)
    assert d("2041-01-02") in uncached(2041, SCOTLAND)


# --- Counting working days ------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        pytest.param("2026-03-09", 0, "2026-03-09", id="zero-on-a-working-day-is-that-day"),
        pytest.param("2026-03-07", 0, "2026-03-09", id="zero-on-saturday-is-monday"),
        pytest.param("2026-03-08", 0, "2026-03-09", id="zero-on-sunday-is-monday"),
        pytest.param("2026-04-04", 0, "2026-04-07", id="zero-on-easter-saturday-is-tuesday"),
        pytest.param("2026-03-06", 1, "2026-03-09", id="one-after-friday-is-monday"),
        pytest.param("2026-03-07", 1, "2026-03-09", id="one-after-saturday-is-monday"),
        pytest.param("2026-04-02", 1, "2026-04-07", id="one-after-maundy-thursday-skips-easter"),
        pytest.param("2027-12-24", 1, "2027-12-29", id="one-after-christmas-eve-2027"),
        pytest.param("2026-03-09", -1, "2026-03-06", id="minus-one-from-monday-is-friday"),
        pytest.param("2026-03-08", -1, "2026-03-06", id="minus-one-from-sunday-is-friday"),
        pytest.param("2026-04-07", -1, "2026-04-02", id="minus-one-over-easter"),
        pytest.param("2026-04-16", -10, "2026-03-31", id="minus-ten-undoes-plus-ten"),
        pytest.param("2026-12-31", 1, "2027-01-04", id="over-new-year-into-the-next-year"),
        pytest.param("2027-01-04", -1, "2026-12-31", id="back-over-new-year"),
        pytest.param("2024-02-28", 1, "2024-02-29", id="leap-day-2024-is-a-working-day"),
        pytest.param("2028-02-28", 2, "2028-03-01", id="counts-over-leap-day-2028"),
        pytest.param("2027-02-26", 1, "2027-03-01", id="no-leap-day-in-2027"),
    ],
)
def test_it_counts_working_days_in_england(start, n, expected):
    assert working_days_after(d(start), n) == d(expected)


def test_it_counts_scottish_working_days_over_easter():
    assert working_days_after(d("2026-04-02"), 1, region=SCOTLAND) == d("2026-04-06")


def test_it_skips_the_councils_own_closure_days():
    closures = {d("2026-12-29"), d("2026-12-30"), d("2026-12-31")}
    assert working_days_after(d("2026-12-24"), 1) == d("2026-12-29")
    assert working_days_after(d("2026-12-24"), 1, closures=closures) == d("2027-01-04")


@pytest.mark.parametrize(
    ("start", "end", "count"),
    [
        pytest.param("2026-04-13", "2026-04-16", 3, id="monday-to-thursday"),
        pytest.param("2026-04-16", "2026-04-16", 0, id="the-same-day"),
        pytest.param("2026-04-02", "2026-04-07", 1, id="over-easter"),
        pytest.param("2026-04-07", "2026-04-02", -1, id="backwards-over-easter"),
        pytest.param("2026-03-07", "2026-03-09", 1, id="from-a-weekend"),
    ],
)
def test_it_counts_working_days_between_two_dates(start, end, count):
    assert working_days_between(d(start), d(end)) == count


@given(st.dates(date(2000, 1, 1), date(2060, 12, 31)), st.integers(1, 60))
def test_counting_forward_lands_on_a_working_day_n_working_days_away(start, n):
    end = working_days_after(start, n)
    assert is_working_day(end)
    assert working_days_between(start, end) == n
    assert working_days_after(end, -n) <= start


def test_it_rejects_a_datetime_so_bst_cannot_move_a_date():
    midnight_bst = datetime(2026, 4, 2, 23, 30, tzinfo=UTC)  # 00:30 on 3 April in London
    with pytest.raises(TypeError, match="uk_local_date"):
        is_working_day(midnight_bst)
    with pytest.raises(TypeError, match="uk_local_date"):
        working_days_after(midnight_bst, 1)
    assert is_working_day(uk_local_date(midnight_bst)) is False  # Good Friday


def test_it_rejects_a_number_of_days_that_is_not_whole():
    with pytest.raises(TypeError, match="whole number"):
        working_days_after(d("2026-03-09"), 1.5)  # type: ignore[arg-type]


# --- Collection windows --------------------------------------------------------------


@pytest.mark.parametrize(
    ("period", "rules", "opens", "due", "closes"),
    [
        pytest.param(
            "2026-03",
            DEFAULT_RULES,
            "2026-04-01",
            "2026-04-16",
            "2026-04-23",
            id="march-2026-due-date-counted-over-easter",
        ),
        pytest.param(
            "2026-03",
            SCOTTISH_RULES,
            "2026-04-01",
            "2026-04-15",
            "2026-04-22",
            id="march-2026-in-scotland-works-easter-monday",
        ),
        pytest.param(
            "2025/26 Q4",
            DEFAULT_RULES,
            "2026-04-01",
            "2026-04-23",
            "2026-04-30",
            id="quarter-4-due-15-working-days-after-31-march",
        ),
        pytest.param(
            "2025/26",
            DEFAULT_RULES,
            "2026-04-01",
            "2026-04-30",
            "2026-05-08",
            id="annual-due-20-working-days-after-quarter-4-closing-over-early-may",
        ),
        pytest.param(
            "2026-12",
            DEFAULT_RULES,
            "2027-01-04",
            "2027-01-15",
            "2027-01-22",
            id="december-opens-after-new-year",
        ),
        pytest.param(
            "2028-02",
            DEFAULT_RULES,
            "2028-03-01",
            "2028-03-14",
            "2028-03-21",
            id="february-2028-ends-on-leap-day",
        ),
        pytest.param(
            "2027-02",
            DEFAULT_RULES,
            "2027-03-01",
            "2027-03-12",
            "2027-03-19",
            id="february-2027-ends-on-a-sunday",
        ),
    ],
)
def test_it_sets_each_periods_window(period, rules, opens, due, closes):
    window = window_for(parse_period(period), rules)
    assert (window.opens, window.due, window.closes) == (d(opens), d(due), d(closes))


def test_annual_indicators_are_collected_with_quarter_4():
    year, q4 = parse_period("2025/26"), parse_period("2025/26 Q4")
    assert collection_anchor(year) == collection_anchor(q4) == d("2026-03-31")
    assert (
        window_for(year).opens == window_for(q4).opens == window_for(parse_period("2026-03")).opens
    )


def test_a_council_can_collect_annual_indicators_with_the_next_quarter_1():
    rules = CalendarRules(annual_collected_with="next_q1")
    window = window_for(parse_period("2025/26"), rules)
    assert collection_anchor(parse_period("2025/26"), rules) == d("2026-06-30")
    assert (window.opens, window.due) == (d("2026-07-01"), d("2026-07-28"))


def test_annual_collection_must_be_a_known_choice():
    with pytest.raises(CalendarError, match='"q4" or "next_q1"'):
        CalendarRules(annual_collected_with="q3")


def test_a_window_can_open_on_the_last_day_of_the_period():
    rules = CalendarRules(monthly=FrequencyRules(0, 10, 5))
    assert window_for(parse_period("2026-03"), rules).opens == d("2026-03-31")


def test_a_window_opening_on_a_weekend_period_end_rolls_to_monday():
    rules = CalendarRules(monthly=FrequencyRules(0, 10, 5))
    assert window_for(parse_period("2026-02"), rules).opens == d("2026-03-02")


@pytest.mark.parametrize(
    ("counts", "message"),
    [
        pytest.param((11, 10, 5), "open on or before its due date", id="opens-after-due"),
        pytest.param((1, -1, 5), "due before the period ends", id="due-before-period-end"),
        pytest.param((1, 10, -1), "close before its due date", id="closes-before-due"),
        pytest.param((1, 10.0, 5), "whole number", id="not-whole-days"),
    ],
)
def test_it_rejects_windows_that_cannot_work(counts, message):
    with pytest.raises(CalendarError, match=message):
        FrequencyRules(*counts)


def test_it_rejects_a_window_whose_dates_are_out_of_order():
    with pytest.raises(CalendarError, match="open"):
        CollectionWindow(parse_period("2026-03"), d("2026-04-16"), d("2026-04-01"), d("2026-04-23"))


# --- Statuses -----------------------------------------------------------------------------

MARCH_2026 = window_for(parse_period("2026-03"))  # opens 1 April, due 16 April, closes 23 April


@pytest.mark.parametrize(
    ("today", "reopened", "status"),
    [
        pytest.param("2026-03-31", False, "not_open", id="the-day-the-period-ends"),
        pytest.param("2026-04-01", False, "open", id="the-day-it-opens"),
        pytest.param("2026-04-10", False, "open", id="four-working-days-before-due"),
        pytest.param("2026-04-12", False, "open", id="the-sunday-before-due-soon"),
        pytest.param("2026-04-13", False, "due_soon", id="three-working-days-before-due"),
        pytest.param("2026-04-16", False, "due_soon", id="the-due-date"),
        pytest.param("2026-04-17", False, "overdue", id="the-day-after-due"),
        pytest.param("2026-04-23", False, "overdue", id="the-closing-day"),
        pytest.param("2026-04-24", False, "closed", id="the-day-after-closing"),
        pytest.param("2026-04-24", True, "reopened", id="reopened-after-closing"),
        pytest.param("2026-04-01", True, "open", id="reopening-an-open-window-changes-nothing"),
        pytest.param("2026-03-31", True, "not_open", id="reopening-cannot-open-it-early"),
    ],
)
def test_it_gives_a_windows_status_on_each_day(today, reopened, status):
    assert status_on(MARCH_2026, d(today), reopened=reopened) == status


def test_due_soon_follows_the_councils_setting_and_region():
    rules = CalendarRules(due_soon_working_days=1, region=SCOTLAND)
    window = window_for(parse_period("2026-03"), rules)  # due 15 April in Scotland
    assert status_on(window, d("2026-04-13"), rules=rules) == "open"
    assert status_on(window, d("2026-04-14"), rules=rules) == "due_soon"


def test_a_window_that_opens_close_to_its_due_date_is_due_soon_at_once():
    rules = CalendarRules(monthly=FrequencyRules(9, 10, 5))
    window = window_for(parse_period("2026-03"), rules)
    assert status_on(window, window.opens, rules=rules) == "due_soon"


def test_each_status_has_a_plain_english_label():
    assert [status.label for status in WindowStatus] == [
        "Not open yet",
        "Open",
        "Due soon",
        "Overdue",
        "Closed",
        "Reopened",
    ]


def test_only_open_overdue_and_reopened_windows_accept_data():
    accepting = {status for status in WindowStatus if status.accepts_data}
    assert accepting == {"open", "due_soon", "overdue", "reopened"}


def test_the_status_needs_a_date_not_a_datetime():
    with pytest.raises(TypeError, match="uk_local_date"):
        status_on(MARCH_2026, datetime(2026, 4, 1, 9, 0))


# --- Periods due ("My updates") -----------------------------------------------------------


@pytest.mark.parametrize(
    ("frequency", "today", "expected"),
    [
        pytest.param(M, "2026-12-31", [], id="nothing-due-between-november-closing-and-january"),
        pytest.param(M, "2027-01-04", ["2026-12"], id="december-opens-in-the-new-year"),
        pytest.param(M, "2027-01-20", ["2026-12"], id="december-overdue-in-january"),
        pytest.param(M, "2027-01-25", [], id="december-closed"),
        pytest.param(Q, "2027-01-06", ["2026/27 Q3"], id="quarter-3-in-january"),
        pytest.param(M, "2026-04-20", ["2026-03"], id="march-overdue-in-the-new-financial-year"),
        pytest.param(A, "2026-04-20", ["2025/26"], id="annual-open-in-april"),
        pytest.param(A, "2026-03-31", [], id="annual-not-open-on-31-march"),
    ],
)
def test_it_finds_the_windows_accepting_data_on_a_day(frequency, today, expected):
    assert keys(periods_due(frequency, d(today), DEFAULT_RULES)) == expected


def test_it_lists_overlapping_windows_oldest_first_across_the_financial_year_end():
    rules = CalendarRules(monthly=FrequencyRules(1, 10, 20))  # February closes 14 April
    due = periods_due(M, d("2026-04-02"), rules)
    assert keys(due) == ["2026-02", "2026-03"]
    assert [status_on(w, d("2026-04-02"), rules=rules) for w in due] == ["overdue", "open"]


def test_lookback_limits_how_far_back_it_searches():
    rules = CalendarRules(monthly=FrequencyRules(1, 10, 20))
    assert keys(periods_due(M, d("2026-04-02"), rules, lookback=1)) == ["2026-03"]
    assert keys(periods_due(M, d("2026-04-02"), rules, lookback=0)) == []


def test_it_finds_windows_that_open_before_their_period_ends():
    rules = CalendarRules(monthly=FrequencyRules(-2, 10, 5))
    assert keys(periods_due(M, d("2026-03-30"), rules)) == ["2026-03"]


def test_it_adds_reopened_periods_of_the_same_frequency():
    reopened = [parse_period("2026-06"), parse_period("2026/27 Q1"), parse_period("2027-03")]
    due = periods_due(M, d("2027-01-06"), DEFAULT_RULES, reopened=reopened)
    assert keys(due) == ["2026-06", "2026-12"]


def test_it_rejects_a_negative_lookback():
    with pytest.raises(CalendarError, match="Look back"):
        periods_due(M, d("2027-01-06"), lookback=-1)


# --- Reminders ----------------------------------------------------------------------------


def test_it_reminds_as_the_window_turns_due_soon_and_the_day_it_is_overdue():
    assert reminder_dates(MARCH_2026, DEFAULT_RULES) == {
        "before_due": d("2026-04-13"),
        "overdue": d("2026-04-17"),
    }


def test_the_overdue_reminder_skips_bank_holidays():
    # Due on Christmas Eve: 25 and 28 December are bank holidays, with a weekend between.
    window = CollectionWindow(
        parse_period("2026-11"), d("2026-12-01"), d("2026-12-24"), d("2027-01-08")
    )
    assert reminder_dates(window)["overdue"] == d("2026-12-29")


def test_the_before_due_reminder_never_comes_before_the_window_opens():
    rules = CalendarRules(monthly=FrequencyRules(9, 10, 5))
    window = window_for(parse_period("2026-03"), rules)
    assert reminder_dates(window, rules)["before_due"] == window.opens


# --- Settings -------------------------------------------------------------------------------


def test_the_default_settings():
    assert DEFAULT_RULES.to_dict() == {
        "monthly": {
            "opens_working_days_after_period_end": 1,
            "due_working_days_after_period_end": 10,
            "closes_working_days_after_due": 5,
        },
        "quarterly": {
            "opens_working_days_after_period_end": 1,
            "due_working_days_after_period_end": 15,
            "closes_working_days_after_due": 5,
        },
        "annual": {
            "opens_working_days_after_period_end": 1,
            "due_working_days_after_period_end": 20,
            "closes_working_days_after_due": 5,
        },
        "annual_collected_with": "q4",
        "region": "england-and-wales",
        "due_soon_working_days": 3,
        "closures": [],
    }


def test_settings_survive_a_round_trip_through_json():
    rules = CalendarRules(
        quarterly=FrequencyRules(2, 12, 3),
        annual_collected_with="next_q1",
        region=SCOTLAND,
        due_soon_working_days=2,
        closures={d("2026-12-30"), d("2026-12-29")},
    )
    restored = CalendarRules.from_dict(json.loads(json.dumps(rules.to_dict())))
    assert restored == rules
    assert rules.to_dict()["closures"] == ["2026-12-29", "2026-12-30"]


def test_missing_settings_take_their_defaults():
    rules = CalendarRules.from_dict(
        {"region": "scotland", "monthly": {"due_working_days_after_period_end": 8}}
    )
    assert rules.region is SCOTLAND
    assert rules.monthly == FrequencyRules(1, 8, 5)
    assert rules.quarterly == DEFAULT_RULES.quarterly


@pytest.mark.parametrize(
    ("data", "message"),
    [
        pytest.param({"regoin": "scotland"}, "Unknown calendar settings: regoin", id="typo"),
        pytest.param(
            {"monthly": {"due": 8}}, "Unknown monthly settings: due", id="typo-in-frequency"
        ),
        pytest.param({"region": "wales-only"}, "not a bank holiday region", id="bad-region"),
        pytest.param({"closures": ["29/12/2026"]}, "not a date like", id="bad-closure-day"),
        pytest.param({"due_soon_working_days": -1}, "Due soon", id="negative-due-soon"),
    ],
)
def test_it_rejects_settings_that_cannot_work(data, message):
    with pytest.raises(CalendarError, match=message):
        CalendarRules.from_dict(data)


def test_rules_are_immutable_and_hashable():
    assert hash(CalendarRules()) == hash(CalendarRules())
    with pytest.raises(AttributeError):
        DEFAULT_RULES.region = SCOTLAND  # type: ignore[misc]


def test_the_rules_give_each_frequency_its_own_counts():
    assert DEFAULT_RULES.for_frequency("quarterly") is DEFAULT_RULES.quarterly
    assert DEFAULT_RULES.for_frequency(A) is DEFAULT_RULES.annual
