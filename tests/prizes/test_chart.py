"""The audience's age chart: histogram data, the accessible SVG and the text bars."""

import xml.etree.ElementTree as ET

import pytest

from contest.prizes.audience import OLDEST, audience_of_entrants, audience_of_rules
from contest.prizes.chart import age_histogram, render_age_bars, render_age_chart

SVG = "{http://www.w3.org/2000/svg}"


def test_the_histogram_has_5_year_bins_from_youngest_to_oldest() -> None:
    histogram = age_histogram(audience_of_entrants([20, 22, 37]))
    assert [(low, high) for low, high, _ in histogram] == [(20, 24), (25, 29), (30, 34),
                                                            (35, 39)]
    assert [share for _, _, share in histogram] == pytest.approx([2 / 3, 0, 0, 1 / 3])


def test_a_population_histogram_covers_the_rules_range_and_sums_to_one() -> None:
    histogram = age_histogram(audience_of_rules(18, 65, ["RU"]))
    assert (histogram[0][0], histogram[-1][1]) == (15, 69)
    assert sum(share for _, _, share in histogram) == pytest.approx(1.0)
    everyone = age_histogram(audience_of_rules(0, None, ["RU"]))
    assert everyone[-1][0] == OLDEST


def test_bins_of_other_widths_and_bad_widths() -> None:
    audience = audience_of_entrants([20, 29])
    assert [(a, b) for a, b, _ in age_histogram(audience, width=10)] == [(20, 29)]
    with pytest.raises(ValueError, match="bin width must be at least 1, got 0"):
        age_histogram(audience, width=0)
    assert age_histogram(audience_of_entrants([])) == []


def test_the_svg_is_well_formed_accessible_and_has_no_script() -> None:
    histogram = age_histogram(audience_of_rules(0, None, ["RU"]))
    svg = render_age_chart(histogram, (5, 35), title="Ages & <prizes>", element_id="chart-1")
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    title = root.find(f"{SVG}title")
    desc = root.find(f"{SVG}desc")
    assert title is not None and title.text == "Ages & <prizes>"
    assert desc is not None and desc.text and "5 to 35" in desc.text
    assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    assert not [e for e in root.iter() if e.tag.endswith("script")]
    assert not [name for e in root.iter() for name in e.attrib if name.startswith("on")]
    bars = [rect for rect in root.iter(f"{SVG}rect") if rect.find(f"{SVG}title") is not None]
    assert len(bars) == len(histogram)
    first = bars[0].find(f"{SVG}title")
    assert first is not None and first.text == f"0–4: {histogram[0][2] * 100:.1f}%"
    labels = [text.text for text in root.iter(f"{SVG}text")]
    assert "5–35" in labels


def test_bars_inside_the_range_stand_out() -> None:
    histogram = age_histogram(audience_of_entrants([10, 20, 50]))
    root = ET.fromstring(render_age_chart(histogram, (18, 30), title="t"))
    bars = [rect for rect in root.iter(f"{SVG}rect") if rect.find(f"{SVG}title") is not None]
    fills = {age_bin[0]: bar.get("fill") for age_bin, bar in zip(histogram, bars, strict=True)}
    assert fills[20] == fills[25] != fills[10] == fills[50]


def test_an_empty_chart_is_still_valid_svg() -> None:
    root = ET.fromstring(render_age_chart([], None, title="Nobody yet", description="Empty."))
    desc = root.find(f"{SVG}desc")
    assert desc is not None and desc.text == "Empty."


def test_text_bars_mark_the_groups_the_prize_suits() -> None:
    histogram = age_histogram(audience_of_entrants([10, 20, 20, 33]))
    lines = render_age_bars(histogram, (18, 32), width=10)
    assert len(lines) == len(histogram)
    marks = {line[:7].strip(): line[8] for line in lines}
    assert marks == {"10–14": " ", "15–19": "~", "20–24": "*", "25–29": "*", "30–34": "~"}
    assert lines[2].endswith(" 50.0%") and "█" * 10 in lines[2]
