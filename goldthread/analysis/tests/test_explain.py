import itertools
import re

import pytest

from goldthread.analysis.explain import (
    ForecastFacts,
    JudgementFacts,
    explain,
    format_value,
    number_word,
)

MISSES = ForecastFacts(value=51.0, low=49.0, high=53.0, probability=0.1, meets_target=False)
MEETS = ForecastFacts(value=58.0, low=56.0, high=60.0, probability=0.9, meets_target=True)
NO_TARGET = ForecastFacts(value=58.0, low=56.0, high=60.0)


def test_it_writes_the_golden_example_for_a_red_indicator():
    facts = JudgementFacts(
        rag="red",
        periods_in_current_status=3,
        value=52.0,
        target=55.0,
        unit="%",
        forecast=ForecastFacts(value=51.0, low=49.0, high=53.0, meets_target=False),
        spc_label="7 Points Below CL",
        variation_icon="concern_low",
    )
    assert explain(facts) == (
        "Below target for three months (52% against a target of 55%). "
        "Forecast to miss the year-end target of 55% (forecast 51%, likely range 49% to 53%). "
        "Special cause for concern (an unusual change, not chance): "
        "seven months in a row below the average."
    )


def test_it_writes_the_golden_sentence_for_a_green_improving_quarterly_indicator():
    facts = JudgementFacts(
        rag="green",
        periods_in_current_status=1,
        period_noun="quarter",
        value=12.5,
        target=14.0,
        unit="days",
        decimals=1,
        polarity="lower",
        direction="improving",
        forecast=ForecastFacts(
            value=12.0, low=11.0, high=13.5, probability=0.93, meets_target=True
        ),
        assurance="consistent_pass",
    )
    assert explain(facts) == (
        "On target this quarter and improving (12.5 days against a target of 14.0 days). "
        "Forecast to meet the year-end target of 14.0 days (forecast 12.0 days, likely range "
        "11.0 days to 13.5 days, about a 9 in 10 chance of meeting it). "
        "If nothing changes, it will meet the target every time."
    )


def test_it_writes_the_golden_sentence_for_an_amber_lower_is_better_indicator():
    facts = JudgementFacts(
        rag="amber",
        periods_in_current_status=2,
        value=1250.0,
        target=1200.0,
        unit="£",
        polarity="lower",
        direction="worsening",
        spc_label="Above UCL",
        variation_icon="concern_high",
        assurance="inconsistent",
    )
    assert explain(facts) == (
        "Slightly above target for two months and getting worse "
        "(£1,250 against a target of £1,200). "
        "Special cause for concern (an unusual change, not chance): "
        "the latest month is above the usual range. "
        "It will meet the target some of the time and miss it at other times, by chance alone."
    )


def test_it_explains_a_context_indicator_without_judging_it():
    facts = JudgementFacts(
        rag="context",
        value=3.4,
        unit="%",
        decimals=1,
        polarity="none",
        spc_label="7 Point Trend (Increasing)",
        variation_icon="neutral_high",
    )
    assert explain(facts) == (
        "Context indicator with no target: latest value 3.4%. "
        "Special cause variation (an unusual change, not chance): seven months in a row rising."
    )


def test_it_says_when_there_is_no_data():
    assert explain(JudgementFacts(rag="no_data", period_noun="quarter")) == (
        "No data for the latest quarter."
    )


def test_it_describes_a_band_target_as_a_range():
    facts = JudgementFacts(
        rag="red",
        periods_in_current_status=12,
        value=30.0,
        unit="%",
        polarity="band",
        band=(40.0, 50.0),
        forecast=MISSES,
    )
    text = explain(facts)
    assert text.startswith("Outside the target range for 12 months (30% against a target range")
    assert "miss the year-end target range of 40% to 50%" in text


@pytest.mark.parametrize(
    ("label", "words"),
    [
        ("Below LCL", "the latest month is below the usual range"),
        ("7 Point Trend (Decreasing)", "seven months in a row falling"),
        ("2 in 3 Below CL", "two of the last three months near the bottom of the usual range"),
        ("2 in 3 Above CL", "two of the last three months near the top of the usual range"),
        ("8 Points Above CL", "eight months in a row above the average"),
    ],
)
def test_it_translates_every_mdc_label_into_plain_english(label, words):
    facts = JudgementFacts(rag="green", spc_label=label, variation_icon="improvement_high")
    assert f"Special cause for improvement (an unusual change, not chance): {words}." in (
        explain(facts)
    )


def test_it_uses_words_for_one_to_nine_and_numerals_from_ten():
    assert [number_word(n) for n in (1, 9, 10, 1200)] == ["one", "nine", "10", "1,200"]


@pytest.mark.parametrize(
    ("value", "unit", "decimals", "text"),
    [
        (55.0, "%", 0, "55%"),
        (-1234.5, "£", 2, "-£1,234.50"),
        (1.0, "days", 0, "1 day"),
        (12345.0, "number", 0, "12,345"),
        (0.5, lambda v: f"{v:.0%}", 0, "50%"),
    ],
)
def test_it_formats_values_in_their_unit(value, unit, decimals, text):
    assert format_value(value, unit, decimals) == text


def test_it_says_chance_in_tenths_without_claiming_certainty():
    low = ForecastFacts(value=1.0, probability=0.01, meets_target=False)
    high = ForecastFacts(value=1.0, probability=0.99, meets_target=True)
    facts = JudgementFacts(rag="red", target=2.0, forecast=low)
    assert "less than a 1 in 10 chance" in explain(facts)
    assert "more than a 9 in 10 chance" in explain(
        JudgementFacts(rag="green", target=0.5, forecast=high)
    )


RAGS = ["green", "amber", "red", "no_data", "no_target", "context"]
FORECASTS = {"absent": None, "meets": MEETS, "misses": MISSES, "no_target": NO_TARGET}
SPC = {
    "none": (None, None),
    "common": ("Common Cause", "common_cause"),
    "concern": ("7 Points Below CL", "concern_low"),
    "improvement": ("Above UCL", "improvement_high"),
    "neutral": ("2 in 3 Above CL", "neutral_high"),
}
ASSURANCE = [None, "consistent_pass", "consistent_fail", "inconsistent"]
TABLE = list(itertools.product(RAGS, FORECASTS, SPC, ASSURANCE))


@pytest.mark.parametrize(("rag", "forecast", "spc", "assurance"), TABLE)
def test_it_explains_every_combination_of_facts_in_plain_sentences(rag, forecast, spc, assurance):
    label, icon = SPC[spc]
    facts = JudgementFacts(
        rag=rag,
        periods_in_current_status=3,
        value=52.0,
        target=None if rag in ("no_target", "context") else 55.0,
        unit="%",
        direction="worsening",
        forecast=FORECASTS[forecast],
        spc_label=label,
        variation_icon=icon,
        assurance=assurance,
    )
    text = explain(facts)
    sentences = re.split(r"(?<=\.) ", text)
    assert all(s[0].isupper() and s.endswith(".") for s in sentences)
    assert not re.search(r"None|nan|_|\b[1-9] months\b", text)
    assert ("Forecast to miss" in text) == (forecast == "misses" and facts.target is not None)
    assert ("Forecast to meet" in text) == (forecast == "meets" and facts.target is not None)
    assert ("likely range 49% to 53%" in text) == (forecast == "misses")
    assert ("Special cause for concern" in text) == (spc == "concern")
    assert ("common cause" in text) == (spc == "common")
    assert ("every time" in text) == (assurance == "consistent_pass")
    assert ("keep missing" in text) == (assurance == "consistent_fail")
    if rag in ("green", "amber", "red"):
        assert "for three months" in text
