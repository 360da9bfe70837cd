from __future__ import annotations

import math
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from goldthread.imports.numbers import NumberError, decimal_places, is_plain, parse_number, plain

PLAIN = [
    ("45", 45.0),
    ("45.5", 45.5),
    ("-3", -3.0),
    ("0", 0.0),
    (".5", 0.5),
    ("5.", 5.0),
    ("-0.25", -0.25),
    ("00012", 12.0),
]

REFUSED = [
    ("1,234", '"1,234" has commas: write 1234.'),
    ("1,234,567.5", "has commas: write 1234567.5."),
    ("45%", '"45%" has a % sign: write 45.'),
    ("£3.2m", '"£3.2m" has a £ sign and "m" for million: write 3200000.'),
    ("£1,234.50", "has commas and a £ sign: write 1234.5."),
    ("-£5", "has a £ sign: write -5."),
    ("5k", 'has "k" for thousand: write 5000.'),
    ("2.5bn", 'has "bn" for billion: write 2500000000.'),
    ("12 345", "has spaces: write 12345."),
    ("3.2e5", "is in scientific notation: write 320000."),
    ("1E-3", "is in scientific notation: write 0.001."),
    ("1e400", "scientific notation: write the number in full."),
    ("45,5", "use a full stop for the decimal point, as 45.5."),
    ("(120)", "brackets for a negative number: write -120."),
    ("+5", '"+5" has a + sign: write 5.'),
    ("\u22125", "type it with the hyphen key, as -5."),
    ("NaN", '"NaN" is not a figure.'),
    ("-inf", '"-inf" is not a figure.'),
    ("N/A", "If there is no figure yet, leave this row out."),
    ("#DIV/0!", "is an Excel error."),
    ("=A1*2", "looks like a formula"),
    ("@SUM(A1)", "looks like a formula"),
    ("abc", '"abc" is not a number.'),
    ("1.2.3", '"1.2.3" is not a number.'),
    ("9" * 400, "This number is too big."),
]


@pytest.mark.parametrize(("text", "number"), PLAIN)
def test_it_reads_plain_decimals(text, number):
    assert parse_number(text) == number


@pytest.mark.parametrize(("text", "expected"), REFUSED)
def test_it_refuses_anything_else_and_says_what_to_write(text, expected):
    with pytest.raises(NumberError) as raised:
        parse_number(text)

    assert expected in str(raised.value)


def test_it_starts_every_refusal_of_text_with_the_same_instruction():
    with pytest.raises(NumberError, match=r"^Enter a number, like 45\.5\. "):
        parse_number("45%")


def test_it_shortens_long_text_in_a_message():
    with pytest.raises(NumberError) as raised:
        parse_number("x" * 500)

    assert len(str(raised.value)) < 100


@pytest.mark.parametrize(("text", "places"), [("45", 0), ("45.5", 1), ("0.125", 3), ("5.", 0)])
def test_it_counts_decimal_places(text, places):
    assert decimal_places(text) == places


@given(st.text(max_size=40))
def test_it_only_ever_raises_a_number_error(text):
    try:
        number = parse_number(text.strip())
    except NumberError as error:
        assert str(error).endswith(".")
    else:
        assert math.isfinite(number)


@given(st.floats(allow_nan=False, allow_infinity=False))
def test_it_reads_back_any_finite_float_written_out_in_full(number):
    text = plain(Decimal(repr(number)))

    assert is_plain(text)
    assert parse_number(text) == number
