from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from goldthread.analysis.periods import (
    Frequency,
    Period,
    PeriodError,
    financial_year_label,
    financial_year_of,
    parse_period,
    period_containing,
    period_range,
    periods_between,
)

M, Q, A = Frequency.MONTHLY, Frequency.QUARTERLY, Frequency.ANNUAL


def month(key: str) -> Period:
    return parse_period(key)


# --- Financial years ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "year"),
    [
        pytest.param(date(2025, 3, 31), 2024, id="31-march-is-the-old-year"),
        pytest.param(date(2025, 4, 1), 2025, id="1-april-starts-the-new-year"),
        pytest.param(date(2025, 12, 31), 2025, id="31-december-mid-year"),
        pytest.param(date(2026, 1, 1), 2025, id="1-january-mid-year"),
        pytest.param(date(2028, 2, 29), 2027, id="leap-day-2028-is-in-2027-28"),
    ],
)
def test_it_finds_the_financial_year_of_a_date(day, year):
    assert financial_year_of(day) == year


def test_it_puts_31_march_in_the_old_financial_year():
    assert period_containing(date(2026, 3, 31), A).key == "2025/26"


@pytest.mark.parametrize(
    ("year", "label"),
    [
        pytest.param(2025, "2025/26", id="ordinary"),
        pytest.param(1999, "1999/00", id="millennium-wrap"),
        pytest.param(2099, "2099/00", id="century-wrap"),
        pytest.param(2009, "2009/10", id="leading-zero"),
    ],
)
def test_it_labels_a_financial_year_with_both_calendar_years(year, label):
    assert financial_year_label(year) == label


# --- Keys, labels and dates --------------------------------------------------------------


@pytest.mark.parametrize(
    ("period", "key", "label", "long_label"),
    [
        pytest.param(
            Period(A, 2025),
            "2025/26",
            "2025/26",
            "Financial year 2025/26 (April 2025 to March 2026)",
            id="year",
        ),
        pytest.param(
            Period(Q, 2025, 2),
            "2025/26 Q2",
            "Q2 2025/26",
            "Quarter 2, July to September 2025",
            id="quarter-2",
        ),
        pytest.param(
            Period(Q, 2025, 4),
            "2025/26 Q4",
            "Q4 2025/26",
            "Quarter 4, January to March 2026",
            id="quarter-4-next-calendar-year",
        ),
        pytest.param(
            Period(M, 2025, 7),
            "2025-10",
            "October 2025",
            "October 2025 (month 7 of 2025/26)",
            id="october",
        ),
        pytest.param(
            Period(M, 2025, 12),
            "2026-03",
            "March 2026",
            "March 2026 (month 12 of 2025/26)",
            id="march-is-month-12",
        ),
        pytest.param(
            Period(M, 2025, 1),
            "2025-04",
            "April 2025",
            "April 2025 (month 1 of 2025/26)",
            id="april",
        ),
    ],
)
def test_it_names_a_period_for_machines_and_people(period, key, label, long_label):
    assert (period.key, period.label, period.long_label) == (key, label, long_label)
    assert str(period) == key


@pytest.mark.parametrize(
    ("period", "start", "end"),
    [
        pytest.param(Period(A, 2025), date(2025, 4, 1), date(2026, 3, 31), id="year"),
        pytest.param(Period(Q, 2025, 1), date(2025, 4, 1), date(2025, 6, 30), id="q1"),
        pytest.param(Period(Q, 2025, 3), date(2025, 10, 1), date(2025, 12, 31), id="q3"),
        pytest.param(Period(Q, 2027, 4), date(2028, 1, 1), date(2028, 3, 31), id="q4-leap"),
        pytest.param(Period(M, 2027, 11), date(2028, 2, 1), date(2028, 2, 29), id="feb-leap"),
        pytest.param(Period(M, 2026, 11), date(2027, 2, 1), date(2027, 2, 28), id="feb-plain"),
        pytest.param(Period(M, 2099, 11), date(2100, 2, 1), date(2100, 2, 28), id="feb-2100"),
        pytest.param(Period(M, 2099, 10), date(2100, 1, 1), date(2100, 1, 31), id="jan-2100"),
    ],
)
def test_it_knows_the_first_and_last_day_of_a_period(period, start, end):
    assert (period.start, period.end) == (start, end)


def test_it_counts_29_february_2028_in_the_2027_28_financial_year():
    leap_day = date(2028, 2, 29)
    assert period_containing(leap_day, M).key == "2028-02"
    assert period_containing(leap_day, Q).key == "2027/28 Q4"
    assert Period(A, 2027).contains(leap_day)


# --- Which period a moment falls in ------------------------------------------------------


@pytest.mark.parametrize(
    ("moment", "month_key", "year_key"),
    [
        pytest.param(
            datetime(2025, 3, 31, 23, 30, tzinfo=UTC), "2025-04", "2025/26", id="bst-31-march-late"
        ),
        pytest.param(
            datetime(2025, 3, 31, 22, 59, tzinfo=UTC), "2025-03", "2024/25", id="bst-31-march-23-59"
        ),
        pytest.param(
            datetime(2025, 3, 31, 23, 0, tzinfo=UTC),
            "2025-04",
            "2025/26",
            id="bst-midnight-exactly",
        ),
        pytest.param(
            datetime(2026, 3, 31, 23, 30, tzinfo=UTC), "2026-04", "2026/27", id="bst-2026"
        ),
        pytest.param(
            datetime(2025, 9, 30, 23, 30, tzinfo=UTC), "2025-10", "2025/26", id="bst-into-october"
        ),
        pytest.param(
            datetime(2025, 10, 31, 23, 30, tzinfo=UTC), "2025-10", "2025/26", id="gmt-after-change"
        ),
        pytest.param(
            datetime(2025, 10, 26, 0, 59, tzinfo=UTC), "2025-10", "2025/26", id="last-bst-minute"
        ),
        pytest.param(
            datetime(2025, 12, 31, 23, 59, tzinfo=UTC), "2025-12", "2025/26", id="gmt-new-year-eve"
        ),
        pytest.param(
            datetime(2026, 1, 1, 0, 0, tzinfo=UTC), "2026-01", "2025/26", id="gmt-midnight"
        ),
        pytest.param(
            datetime(2025, 4, 1, 3, 0, tzinfo=timezone(timedelta(hours=5))),
            "2025-03",
            "2024/25",
            id="other-zone-is-converted",
        ),
        pytest.param(datetime(2025, 3, 31, 23, 30), "2025-03", "2024/25", id="naive-is-uk-local"),
        pytest.param(datetime(2025, 4, 1, 0, 0), "2025-04", "2025/26", id="naive-midnight"),
        pytest.param(date(2025, 4, 1), "2025-04", "2025/26", id="plain-date"),
    ],
)
def test_it_places_a_moment_by_uk_local_time(moment, month_key, year_key):
    assert period_containing(moment, M).key == month_key
    assert period_containing(moment, A).key == year_key


@pytest.mark.parametrize(
    ("day", "quarter"),
    [
        pytest.param(date(2025, 4, 1), "2025/26 Q1", id="april"),
        pytest.param(date(2025, 6, 30), "2025/26 Q1", id="end-of-june"),
        pytest.param(date(2025, 7, 1), "2025/26 Q2", id="july"),
        pytest.param(date(2025, 12, 31), "2025/26 Q3", id="december"),
        pytest.param(date(2026, 1, 1), "2025/26 Q4", id="january"),
        pytest.param(date(2026, 3, 31), "2025/26 Q4", id="end-of-march"),
    ],
)
def test_it_finds_the_quarter_containing_a_date(day, quarter):
    assert period_containing(day, Q).key == quarter


def test_a_period_contains_its_first_and_last_days_only():
    q2 = Period(Q, 2025, 2)
    assert q2.contains(date(2025, 7, 1)) and q2.contains(date(2025, 9, 30))
    assert not q2.contains(date(2025, 6, 30)) and not q2.contains(date(2025, 10, 1))


def test_a_period_contains_an_aware_moment_by_uk_time():
    assert Period(A, 2025).contains(datetime(2025, 3, 31, 23, 30, tzinfo=UTC))


# --- Moving between periods --------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "previous", "following"),
    [
        pytest.param("2025-04", "2025-03", "2025-05", id="month-across-year-start"),
        pytest.param("2026-03", "2026-02", "2026-04", id="month-across-year-end"),
        pytest.param("2025-12", "2025-11", "2026-01", id="month-across-new-year"),
        pytest.param("2025/26 Q1", "2024/25 Q4", "2025/26 Q2", id="q1"),
        pytest.param("2025/26 Q4", "2025/26 Q3", "2026/27 Q1", id="q4"),
        pytest.param("2099/00", "2098/99", "2100/01", id="year-across-century"),
    ],
)
def test_it_steps_to_the_previous_and_next_period(key, previous, following):
    period = parse_period(key)
    assert period.previous().key == previous
    assert period.next().key == following


@pytest.mark.parametrize(
    ("key", "last_year", "year_end", "last_year_end"),
    [
        pytest.param("2025-10", "2024-10", "2026-03", "2025-03", id="month"),
        pytest.param("2026-03", "2025-03", "2026-03", "2025-03", id="march-is-its-own-year-end"),
        pytest.param("2025-04", "2024-04", "2026-03", "2025-03", id="april"),
        pytest.param("2025/26 Q2", "2024/25 Q2", "2025/26 Q4", "2024/25 Q4", id="quarter"),
        pytest.param("2025/26", "2024/25", "2025/26", "2024/25", id="year"),
    ],
)
def test_it_finds_the_comparison_periods(key, last_year, year_end, last_year_end):
    period = parse_period(key)
    assert period.same_period_last_year().key == last_year
    assert period.year_end().key == year_end
    assert period.last_year_end().key == last_year_end


def test_it_lists_the_periods_in_a_financial_year_in_order():
    months = Period(M, 2025, 5).periods_in_year()
    assert [p.key for p in months[:2] + months[-2:]] == ["2025-04", "2025-05", "2026-02", "2026-03"]
    assert [p.index_in_year for p in months] == list(range(12))
    assert [p.key for p in Period(Q, 2025, 1).periods_in_year()][-1] == "2025/26 Q4"


@pytest.mark.parametrize(
    ("key", "frequency", "expected"),
    [
        pytest.param("2025-04", Q, "2025/26 Q1", id="april-to-quarter"),
        pytest.param("2025-09", Q, "2025/26 Q2", id="september-to-quarter"),
        pytest.param("2026-03", Q, "2025/26 Q4", id="march-to-quarter"),
        pytest.param("2026-01", A, "2025/26", id="january-to-year"),
        pytest.param("2025/26 Q3", A, "2025/26", id="quarter-to-year"),
        pytest.param("2025/26 Q3", Q, "2025/26 Q3", id="same-frequency"),
    ],
)
def test_it_finds_the_longer_period_that_contains_a_period(key, frequency, expected):
    assert parse_period(key).to_frequency(frequency).key == expected


@pytest.mark.parametrize(
    ("key", "frequency"),
    [
        pytest.param("2025/26", M, id="year-to-month"),
        pytest.param("2025/26", Q, id="year-to-quarter"),
        pytest.param("2025/26 Q1", M, id="quarter-to-month"),
    ],
)
def test_it_refuses_to_turn_a_period_into_a_shorter_one(key, frequency):
    with pytest.raises(ValueError, match="longer one"):
        parse_period(key).to_frequency(frequency)


def test_it_sorts_periods_chronologically():
    keys = ["2026-01", "2025-04", "2026-03", "2025-12"]
    assert [p.key for p in sorted(map(parse_period, keys))] == [
        "2025-04",
        "2025-12",
        "2026-01",
        "2026-03",
    ]
    assert parse_period("2024/25 Q4") < parse_period("2025/26 Q1")


def test_it_lists_a_range_of_periods_inclusive():
    keys = [p.key for p in period_range(month("2025-11"), month("2026-02"))]
    assert keys == ["2025-11", "2025-12", "2026-01", "2026-02"]
    assert period_range(month("2026-02"), month("2025-11")) == []
    assert periods_between(month("2025-11"), month("2026-02")) == 3
    assert periods_between(month("2026-02"), month("2025-11")) == -3


def test_it_refuses_to_count_between_different_frequencies():
    with pytest.raises(ValueError, match="monthly and a quarterly"):
        periods_between(month("2025-11"), parse_period("2025/26 Q3"))


@given(st.sampled_from(list(Frequency)), st.integers(1900, 2200), st.integers(-500, 500), st.data())
def test_shifting_by_n_moves_the_ordinal_by_exactly_n(frequency, year, n, data):
    number = data.draw(st.integers(1, frequency.periods_per_year))
    period = Period(frequency, year, number)
    shifted = period.shift(n)
    assert shifted.ordinal - period.ordinal == n
    assert periods_between(period, shifted) == n
    assert (shifted > period) == (n > 0)
    assert shifted.previous().next() == shifted


@given(st.dates(date(1901, 1, 1), date(2199, 12, 31)), st.sampled_from(list(Frequency)))
def test_every_date_is_contained_by_the_period_containing_it(day, frequency):
    period = period_containing(day, frequency)
    assert period.contains(day)
    assert period.start <= day <= period.end
    assert parse_period(period.key) == period
    assert period.next().start == period.end + timedelta(days=1)


# --- Parsing -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("2025/26", Period(A, 2025), id="year"),
        pytest.param("2025-26", Period(A, 2025), id="year-with-dash"),
        pytest.param("2025/2026", Period(A, 2025), id="year-four-digits"),
        pytest.param("2025-2026", Period(A, 2025), id="year-four-digits-dash"),
        pytest.param("1999/00", Period(A, 1999), id="millennium-wrap"),
        pytest.param("2099/2100", Period(A, 2099), id="century-four-digits"),
        pytest.param("  2025 / 26 ", Period(A, 2025), id="spaces"),
        pytest.param("2025/26 Q2", Period(Q, 2025, 2), id="quarter"),
        pytest.param("2025/26 q2", Period(Q, 2025, 2), id="quarter-lower-case"),
        pytest.param("2025/26Q2", Period(Q, 2025, 2), id="quarter-no-space"),
        pytest.param(" 2025/26   Q 4 ", Period(Q, 2025, 4), id="quarter-spaces"),
        pytest.param("Q3 2025/26", Period(Q, 2025, 3), id="quarter-label"),
        pytest.param("2025-10", Period(M, 2025, 7), id="month"),
        pytest.param("2026-03", Period(M, 2025, 12), id="march"),
        pytest.param("2025-4", Period(M, 2025, 1), id="month-one-digit"),
        pytest.param("2011-12", Period(M, 2011, 9), id="ambiguous-dash-is-a-month"),
    ],
)
def test_it_reads_period_keys(text, expected):
    assert parse_period(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        pytest.param("2025/27", "the second year must follow the first, as in 2025/26", id="gap"),
        pytest.param("2025/2027", "the second year must follow the first", id="gap-four-digit"),
        pytest.param("2025/25", "the second year must follow the first", id="same-year"),
        pytest.param("1999/20", "as in 1999/00", id="wrap-wrong"),
        pytest.param("2025-13", "a month from 01 to 12, as in 2025-10", id="month-13"),
        pytest.param("2025-00", "a month from 01 to 12", id="month-0"),
        pytest.param("2025-27", "or a financial year, as in 2025-26", id="dash-wrong-year"),
        pytest.param("2025/26 Q5", "the quarter must be 1 to 4, as in 2025/26 Q2", id="q5"),
        pytest.param("2025/26 Q0", "the quarter must be 1 to 4", id="q0"),
        pytest.param("2025/27 Q1", "the second year must follow the first", id="quarter-gap"),
        pytest.param("October 2025", "expected a financial year like 2025/26", id="words"),
        pytest.param("", "expected a financial year like 2025/26", id="empty"),
        pytest.param("2025", "a quarter like 2025/26 Q2 or a month like 2025-10", id="bare-year"),
        pytest.param("0000-05", "the year is out of range", id="year-zero"),
    ],
)
def test_it_rejects_periods_that_do_not_exist_and_says_what_it_expected(text, message):
    with pytest.raises(PeriodError, match=message) as caught:
        parse_period(text)
    assert str(caught.value).startswith(f'Period "{text}" is not valid: ')


def test_a_period_error_is_a_value_error():
    assert issubclass(PeriodError, ValueError)


@pytest.mark.parametrize(
    ("frequency", "year", "number"),
    [
        pytest.param(M, 2025, 13, id="month-13"),
        pytest.param(M, 2025, 0, id="month-0"),
        pytest.param(Q, 2025, 5, id="quarter-5"),
        pytest.param(A, 2025, 2, id="year-2"),
        pytest.param(M, 99, 1, id="two-digit-year"),
        pytest.param("weekly", 2025, 1, id="unknown-frequency"),
    ],
)
def test_it_refuses_to_build_a_period_that_does_not_exist(frequency, year, number):
    with pytest.raises(PeriodError):
        Period(frequency, year, number)


def test_it_accepts_a_frequency_given_as_text():
    assert Period("quarterly", 2025, 1).frequency is Q
