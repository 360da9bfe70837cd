"""The SPC chart and icons: structure, colours, shapes and accessibility of the SVG."""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET

import pytest
from markupsafe import Markup

from goldthread.analysis.spc import LIMIT, xmr
from goldthread.charts.spc import (
    MARKER_COLOURS,
    assurance_icon,
    assurance_words,
    spc_chart,
    variation_icon,
    variation_words,
)

NS = "{http://www.w3.org/2000/svg}"
STEADY = [10, 12, 11, 13, 12, 11, 10, 12, 13, 11, 12, 11, 12]
# Steady, one high outlier, then a low outlier.
WITH_OUTLIERS = [*STEADY, 40, 11, 12, -20, 11]


def parse(svg: str) -> ET.Element:
    return ET.fromstring(str(svg))


def labels_for(values) -> list[str]:
    return [f"P{i}" for i in range(len(values))]


def chart(values, *, labels=None, **kwargs) -> ET.Element:
    spc_options = {k: kwargs.pop(k) for k in ("improvement", "rebase_at") if k in kwargs}
    result = xmr(values, **spc_options)
    kwargs.setdefault("title", "Invoices paid")
    kwargs.setdefault("description", "An SPC chart of invoices paid.")
    return parse(spc_chart(labels or labels_for(values), result, **kwargs))


def points(root: ET.Element) -> list[ET.Element]:
    return [e for e in root.iter() if "gt-spc__point" in e.get("class", "").split()]


def by_class(root: ET.Element, name: str) -> list[ET.Element]:
    return [e for e in root.iter() if name in e.get("class", "").split()]


def contrast_with_white(colour: str) -> float:
    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(int(colour[i : i + 2], 16) / 255) for i in (1, 3, 5))
    luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b
    return 1.05 / (luminance + 0.05)


def test_the_chart_is_markup_an_image_with_a_title_and_description():
    svg = spc_chart(labels_for(STEADY), xmr(STEADY), title="Paid", description="Desc.")
    assert isinstance(svg, Markup)
    root = parse(svg)
    assert root.get("role") == "img"
    title, desc = root.find(f"{NS}title"), root.find(f"{NS}desc")
    assert title.text == "Paid"
    assert desc.text == "Desc."
    assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"


def test_every_non_missing_value_has_one_marker():
    values = [10, None, 12, 11, float("nan"), 12, 11, 10, 12]
    root = chart(values)
    assert len(points(root)) == 7


def test_a_missing_value_leaves_a_gap_in_the_line():
    root = chart([10, 11, None, 12, 11])
    (line,) = by_class(root, "gt-spc__line")
    assert line.get("d").count("M") == 2


def test_markers_are_coloured_and_shaped_by_point_type():
    root = chart(WITH_OUTLIERS, improvement="increase")
    markers = points(root)
    kinds = [m.get("class").split("--")[1] for m in markers]
    assert kinds[13] == "improvement"  # the high outlier on a higher-is-better measure
    assert kinds[16] == "concern"
    assert kinds.count("common_cause") == len(kinds) - 2
    for marker, kind in zip(markers, kinds, strict=True):
        assert (marker.get("fill"), marker.get("stroke")) == MARKER_COLOURS[kind]
    shapes = {kind: marker for marker, kind in zip(markers, kinds, strict=True)}
    assert shapes["common_cause"].tag == f"{NS}circle"
    assert shapes["improvement"].get("d").endswith("l5.5 5.5l-5.5 5.5l-5.5-5.5z")  # diamond
    assert shapes["concern"].get("d").endswith("l5.5 9.5h-11z")  # triangle


def test_a_lower_is_better_measure_swaps_improvement_and_concern():
    kinds = [
        m.get("class").split("--")[1] for m in points(chart(WITH_OUTLIERS, improvement="decrease"))
    ]
    assert (kinds[13], kinds[16]) == ("concern", "improvement")


def test_a_neutral_measure_draws_special_cause_as_purple_squares_and_says_so():
    root = chart(WITH_OUTLIERS, improvement="neutral")
    neutral = [m for m in points(root) if m.get("class").endswith("--neutral")]
    assert len(neutral) == 2
    assert all(m.get("fill") == "#490092" and m.get("d").endswith("h9v9h-9z") for m in neutral)
    words = [t.text for t in root.iter(f"{NS}text")]
    assert "Special cause" in words
    assert "Improvement" not in words


def test_every_marker_outline_has_at_least_3_to_1_contrast_with_white():
    for _fill, outline in MARKER_COLOURS.values():
        assert contrast_with_white(outline) >= 3
    assert MARKER_COLOURS["common_cause"][0] == "#7B7D7D"
    assert MARKER_COLOURS["improvement"][0] == "#289DE0"
    assert MARKER_COLOURS["concern"][0] == "#FFB24C"
    assert MARKER_COLOURS["neutral"][0] == "#490092"


def test_the_legend_names_each_marker_and_line_in_words():
    root = chart(STEADY, target=11)
    words = [t.text for t in root.iter(f"{NS}text")]
    for expected in ("Common cause", "Improvement", "Concern", "Mean", "Process limits"):
        assert expected in words
    assert words.count("Target") == 2  # in the legend and on the line


def test_each_rebased_section_has_its_own_mean_and_limits_and_a_separator():
    values = [*STEADY, *(v + 20 for v in STEADY)]
    result = xmr(values, rebase_at=[13])
    root = parse(spc_chart(labels_for(values), result, title="T", description="D"))
    means, upls, lpls = (by_class(root, c) for c in ("gt-spc__mean", "gt-spc__upl", "gt-spc__lpl"))
    assert len(means) == len(upls) == len(lpls) == 2
    assert len(by_class(root, "gt-spc__rebase")) == 1
    # The second section's limits start right of the separator and sit higher.
    separator = float(by_class(root, "gt-spc__rebase")[0].get("x1"))
    assert float(means[0].get("x2")) < separator < float(means[1].get("x1"))
    assert float(upls[1].get("y1")) < float(upls[0].get("y1"))  # SVG y grows downwards


def test_limits_are_drawn_dashed_and_the_mean_solid():
    root = chart(STEADY)
    (mean,) = by_class(root, "gt-spc__mean")
    (upl,) = by_class(root, "gt-spc__upl")
    assert mean.get("stroke-dasharray") is None
    assert upl.get("stroke-dasharray")


def test_limits_sit_where_the_engine_puts_them():
    result = xmr(STEADY)
    root = parse(spc_chart(labels_for(STEADY), result, title="T", description="D"))
    mean = float(by_class(root, "gt-spc__mean")[0].get("y1"))
    upl = float(by_class(root, "gt-spc__upl")[0].get("y1"))
    lpl = float(by_class(root, "gt-spc__lpl")[0].get("y1"))
    assert math.isclose(mean - upl, lpl - mean, abs_tol=0.15)
    assert math.isclose(result.upl[0] - result.mean[0], LIMIT * result.segment_amr[0])


def test_the_2_sigma_lines_are_off_unless_asked_for():
    assert by_class(chart(STEADY), "gt-spc__near-upl") == []
    root = chart(STEADY, show_2sigma=True)
    assert len(by_class(root, "gt-spc__near-upl")) == len(by_class(root, "gt-spc__near-lpl")) == 1


def test_the_target_line_is_drawn_only_with_a_target():
    assert by_class(chart(STEADY), "gt-spc__target") == []
    (line,) = by_class(chart(STEADY, target=15), "gt-spc__target")
    assert line.get("stroke-dasharray") == "10 3 2 3"


def test_the_target_defaults_to_the_one_the_result_was_calculated_with():
    result = xmr(STEADY, target=15)
    root = parse(spc_chart(labels_for(STEADY), result, title="T", description="D"))
    assert len(by_class(root, "gt-spc__target")) == 1


def test_y_ticks_use_the_value_format():
    root = chart(STEADY, value_format=lambda v: f"{v:.0f}%")
    ticks = [t.text for t in root.iter(f"{NS}text") if t.get("text-anchor") == "end"]
    assert ticks and all(t.endswith("%") for t in ticks)


def test_x_labels_are_thinned_but_the_latest_is_always_shown():
    values = list(range(60))
    labels = [f"Month {i}" for i in range(60)]
    root = chart(values, labels=labels)
    shown = [t.text for t in root.iter(f"{NS}text") if t.text and t.text.startswith("Month")]
    assert 3 <= len(shown) < 20
    assert "Month 59" in shown


def test_text_is_escaped():
    svg = spc_chart(
        ["<b>Apr</b>", *labels_for(STEADY)[1:]],
        xmr(STEADY),
        title='Paid <script>alert("x")</script> & more',
        description="A < B",
        value_format=lambda v: f"<{v}>",
    )
    assert "<script>" not in svg and "<b>" not in svg
    root = parse(svg)  # still well formed
    assert root.find(f"{NS}title").text == 'Paid <script>alert("x")</script> & more'


def test_ids_use_the_prefix_so_two_charts_on_a_page_do_not_clash():
    first = chart(STEADY, id_prefix="chart-a")
    second = chart(STEADY, id_prefix="chart-b")
    ids = [e.get("id") for root in (first, second) for e in root.iter() if e.get("id")]
    assert len(ids) == len(set(ids)) == 4
    assert all(i.startswith(("chart-a-", "chart-b-")) for i in ids)


def test_default_ids_differ_between_charts_with_different_words():
    first = chart(STEADY, title="One")
    second = chart(STEADY, title="Two")
    assert first.find(f"{NS}title").get("id") != second.find(f"{NS}title").get("id")


def test_an_unsafe_id_prefix_is_refused():
    with pytest.raises(ValueError, match="id_prefix"):
        chart(STEADY, id_prefix='x" onload="alert(1)')


def test_labels_must_match_the_values():
    with pytest.raises(ValueError, match="labels"):
        spc_chart(["A"], xmr(STEADY), title="T", description="D")


def test_legend_swatches_are_not_counted_as_points():
    root = chart(WITH_OUTLIERS)
    (legend,) = by_class(root, "gt-spc__legend")
    assert points(legend) == []
    swatches = [e.get("class").split("--")[1] for e in by_class(legend, "gt-spc__swatch")]
    assert swatches == ["common_cause", "improvement", "concern"]


def test_a_series_with_no_values_says_so_instead_of_drawing():
    root = chart([None, None, None])
    assert root.find(f"{NS}title").text == "Invoices paid"
    assert points(root) == []
    assert any("No values" in (t.text or "") for t in root.iter(f"{NS}text"))


def test_a_single_value_draws_one_marker_and_its_mean():
    root = chart([5])
    assert len(points(root)) == 1
    assert len(by_class(root, "gt-spc__mean")) == 1
    assert by_class(root, "gt-spc__upl") == []


def test_a_flat_series_draws_its_limits_on_the_mean():
    root = chart([7] * 13)
    mean = by_class(root, "gt-spc__mean")[0].get("y1")
    assert by_class(root, "gt-spc__upl")[0].get("y1") == mean


def test_everything_is_drawn_with_presentation_attributes_not_css():
    svg = str(
        spc_chart(
            labels_for(WITH_OUTLIERS), xmr(WITH_OUTLIERS, target=15), title="T", description="D"
        )
    )
    assert "style=" not in svg and "<style" not in svg
    root = parse(svg)
    for element in root.iter():
        tag = element.tag.removeprefix(NS)
        if tag in ("line", "path", "circle"):
            assert element.get("stroke") or element.get("fill"), ET.tostring(element)
        if tag == "text":
            assert element.get("fill") and element.get("font-size")


ICONS = [
    "common_cause",
    "improvement_high",
    "improvement_low",
    "concern_high",
    "concern_low",
    "neutral_high",
    "neutral_low",
]


@pytest.mark.parametrize("icon", ICONS)
def test_each_variation_icon_is_an_image_titled_with_its_words(icon):
    svg = variation_icon(icon)
    assert isinstance(svg, Markup)
    root = parse(svg)
    assert root.get("role") == "img"
    assert root.find(f"{NS}title").text == variation_words(icon)
    assert root.get("aria-label") == variation_words(icon)


def test_variation_icons_show_h_or_l_in_the_mdc_colour():
    for icon, letter, colour in [
        ("improvement_high", "H", "#289DE0"),
        ("concern_low", "L", "#FFB24C"),
        ("neutral_high", "H", "#490092"),
    ]:
        root = parse(variation_icon(icon))
        assert root.find(f"{NS}text").text == letter
        assert root.find(f"{NS}circle").get("stroke") == colour
    common = parse(variation_icon("common_cause"))
    assert common.find(f"{NS}text") is None
    assert common.find(f"{NS}circle").get("stroke") == "#7B7D7D"


def test_variation_words_are_plain_english():
    assert variation_words("improvement_high") == "Special cause variation: improvement (high)"
    assert variation_words("concern_low") == "Special cause variation: concern (low)"
    assert variation_words("common_cause").startswith("Common cause variation")
    with pytest.raises(ValueError):
        variation_words("sideways")


@pytest.mark.parametrize(
    ("assurance", "letter", "colour", "words"),
    [
        ("consistent_pass", "P", "#289DE0", "consistently met"),
        ("consistent_fail", "F", "#FFB24C", "consistently missed"),
        ("inconsistent", "?", "#7B7D7D", "hit and miss"),
    ],
)
def test_assurance_icons_show_their_letter_colour_and_words(assurance, letter, colour, words):
    root = parse(assurance_icon(assurance))
    assert root.get("role") == "img"
    assert root.find(f"{NS}text").text == letter
    assert root.find(f"{NS}circle").get("stroke") == colour
    assert words in root.find(f"{NS}title").text
    assert words in assurance_words(assurance)


def test_no_assurance_has_no_icon_but_says_why():
    assert assurance_icon(None) == Markup("")
    assert "no target" in assurance_words(None)
    with pytest.raises(ValueError):
        assurance_words("maybe")


def test_icon_letters_are_dark_enough_to_read():
    for icon in ICONS[1:]:
        letter = parse(variation_icon(icon)).find(f"{NS}text")
        assert contrast_with_white(letter.get("fill")) >= 4.5


def test_the_latest_period_label_fits_inside_the_chart():
    labels = [f"September {2000 + i}" for i in range(24)]
    root = chart(list(range(24)), labels=labels, width=600)
    (latest,) = [t for t in root.iter(f"{NS}text") if t.text == "September 2023"]
    half_width = len("September 2023") * 7 / 2
    assert float(latest.get("x")) + half_width <= 600
