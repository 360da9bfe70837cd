"""The one GOV.UK date input every form reads its day, month and year boxes through."""

from __future__ import annotations

import datetime as dt

import pytest

from goldthread.core.date_input import date_input_params, read_date

LABEL = "the date the action is due"
TODAY = dt.date(2026, 3, 27)
ALL = ("day", "month", "year")


@pytest.mark.parametrize(
    ("parts", "value", "message", "wrong"),
    [
        (("27", "3", "2026"), dt.date(2026, 3, 27), "", ()),
        (("01", "04", "2026"), dt.date(2026, 4, 1), "", ()),
        ((" 27 ", "3 ", " 2026"), dt.date(2026, 3, 27), "", ()),
        (("29", "2", "2028"), dt.date(2028, 2, 29), "", ()),
        (("29", "2", "2027"), None, "The date the action is due must be a real date", ("day",)),
        (("31", "6", "2026"), None, "The date the action is due must be a real date", ("day",)),
        (("1", "13", "2026"), None, "The date the action is due must be a real date", ("month",)),
        (("0", "1", "2026"), None, "The date the action is due must be a real date", ("day",)),
        (("aa", "1", "2026"), None, "The date the action is due must be a real date", ALL),
        (("1", "March", "2026"), None, "The date the action is due must be a real date", ALL),
        (("-1", "1", "2026"), None, "The date the action is due must be a real date", ALL),
        (("1.5", "1", "2026"), None, "The date the action is due must be a real date", ALL),
        (("", "", ""), None, "Enter the date the action is due", ()),
        (("  ", " ", ""), None, "Enter the date the action is due", ()),
        (("", "3", "2026"), None, "The date the action is due must include a day", ("day",)),
        (("27", "", "2026"), None, "The date the action is due must include a month", ("month",)),
        (("27", "3", ""), None, "The date the action is due must include a year", ("year",)),
        (
            ("27", "", ""),
            None,
            "The date the action is due must include a month and year",
            ("month", "year"),
        ),
        (
            ("", "", "2026"),
            None,
            "The date the action is due must include a day and month",
            ("day", "month"),
        ),
        (
            ("27", "3", "26"),
            None,
            "The date the action is due must include a year with 4 numbers",
            ("year",),
        ),
        (
            ("27", "3", "20266"),
            None,
            "The date the action is due must include a year with 4 numbers",
            ("year",),
        ),
        (("27", "3", "1066"), None, "The date the action is due must be a real date", ("year",)),
    ],
)
def test_it_reads_three_boxes_into_a_date_or_one_message(parts, value, message, wrong):
    found = read_date(parts, LABEL, today=TODAY)
    assert (found.value, found.message, found.wrong) == (value, message, wrong)


def test_an_optional_date_left_blank_is_no_date_and_no_error():
    found = read_date(("", " ", ""), LABEL, required=False, today=TODAY)
    assert (found.value, found.message) == (None, "")


def test_an_optional_date_half_filled_in_still_says_what_is_missing():
    found = read_date(("1", "", "2026"), LABEL, required=False, today=TODAY)
    assert found.message == "The date the action is due must include a month"


@pytest.mark.parametrize(
    ("when", "date", "message"),
    [
        ("future", ("28", "3", "2026"), ""),
        ("future", ("27", "3", "2026"), "The date the action is due must be in the future"),
        ("past", ("26", "3", "2026"), ""),
        ("past", ("27", "3", "2026"), "The date the action is due must be in the past"),
        ("today_or_past", ("27", "3", "2026"), ""),
        (
            "today_or_past",
            ("28", "3", "2026"),
            "The date the action is due must be today or in the past",
        ),
        ("today_or_future", ("27", "3", "2026"), ""),
        (
            "today_or_future",
            ("26", "3", "2026"),
            "The date the action is due must be today or in the future",
        ),
        ("any", ("1", "1", "1990"), ""),
    ],
)
def test_it_holds_a_date_to_the_past_or_the_future_when_asked(when, date, message):
    found = read_date(date, LABEL, when=when, today=TODAY)
    assert found.message == message
    assert (found.value is None) == bool(message)


def test_a_wrong_date_marks_only_the_wrong_boxes_and_keeps_what_was_typed():
    params = date_input_params(
        "due_on",
        "When is it due?",
        {"day": "31", "month": "6", "year": "2026"},
        error="The date it is due must be a real date",
        wrong=("day",),
    )
    classes = {item["name"]: item["classes"] for item in params["items"]}
    assert classes == {
        "due_on_day": "govuk-input--width-2 govuk-input--error",
        "due_on_month": "govuk-input--width-2",
        "due_on_year": "govuk-input--width-4",
    }
    assert params["items"][0]["id"] == "id_due_on_day"
    assert [item["value"] for item in params["items"]] == ["31", "6", "2026"]
    assert params["errorMessage"] == {"text": "The date it is due must be a real date"}


def test_an_error_with_no_box_named_marks_all_three_and_dashed_names_are_kept():
    params = date_input_params(
        "decision_date", "When?", {}, error="Enter it", sep="-", id_prefix=""
    )
    assert [item["id"] for item in params["items"]] == [
        "decision_date-day",
        "decision_date-month",
        "decision_date-year",
    ]
    assert all("govuk-input--error" in item["classes"] for item in params["items"])
