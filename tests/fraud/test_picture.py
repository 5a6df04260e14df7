"""A flag's evidence, drawn and told: every label in words of the page's language, no word
clipped by a box, and a picture that reads on a 390 px phone."""

import re
from xml.etree import ElementTree

import pytest

from contest.fraud.picture import evidence_label, evidence_lines, evidence_svg

SVG = "{http://www.w3.org/2000/svg}"
# A relative of a staff member who entered with the staff member's phone.
EDGES = [
    {"from": "entry:a1", "to": "phone:+79161234567", "label": "phone"},
    {"from": "phone:+79161234567", "to": "relative:S-7#2", "label": "phone"},
    {"from": "relative:S-7#2", "to": "staff:S-7", "label": "declared_relative"},
]
TWINS = [{"from": "entry:a1", "to": "entry:b2", "label": "same_person"}]
NAMES = {"entry:a1": "Ольга Сидорова", "relative:S-7#2": "Пётр Сидоров",
         "staff:S-7": "Анна Сидорова", "entry:b2": "Olga Sidorova"}
PHONE = 390  # CSS pixels across a phone's screen
MAIN_PADDING = 16  # the page's padding on each side


def drawn(edges: list[dict[str, str]], language: str) -> ElementTree.Element:
    return ElementTree.fromstring(evidence_svg(edges, NAMES, title="t", language=language))


def boxes(svg: ElementTree.Element) -> list[tuple[float, float, float, float]]:
    return [(float(r.get("x", 0)), float(r.get("y", 0)), float(r.get("width", 0)),
             float(r.get("height", 0))) for r in svg.iter(f"{SVG}rect")]


def edge_texts(svg: ElementTree.Element) -> list[ElementTree.Element]:
    return [t for t in svg.iter(f"{SVG}text") if t.get("class") == "edge"]


@pytest.mark.parametrize("language", ["en", "ru", "uk"])
@pytest.mark.parametrize("edges", [EDGES, TWINS])
def test_no_label_is_cut_short_or_covered_by_a_box(edges: list[dict[str, str]],
                                                   language: str) -> None:
    svg = drawn(edges, language)
    width = float(svg.get("viewBox", "0 0 0 0").split()[2])
    labels = edge_texts(svg)
    assert [t.text for t in labels] == [evidence_label(e["label"], language) for e in edges]
    for text in labels:
        assert text.text and "…" not in text.text and "_" not in text.text
        x, y = float(text.get("x", 0)), float(text.get("y", 0))
        # Wide letters of a 12 px sans-serif font are 0.62 em at most on average.
        right = x + 12 * 0.62 * len(text.text)
        assert right <= width, (text.text, right, width)
        for bx, by, bw, bh in boxes(svg):
            apart = right <= bx or x >= bx + bw or y <= by or y - 12 >= by + bh
            assert apart, (text.text, (x, y), (bx, by, bw, bh))


def test_the_picture_reads_at_390_pixels() -> None:
    svg = drawn(EDGES, "ru")
    width = float(svg.get("viewBox", "0 0 0 0").split()[2])
    room = PHONE - 2 * MAIN_PADDING
    font = float(svg.get("font-size", 0)) * min(1.0, room / width)
    assert font >= 11, f"a {width:g}-unit picture in {room} px draws {font:.1f} px letters"
    assert svg.get("width") == f"{width:g}"  # drawn at its size, not stretched on a desktop


def test_a_node_shows_its_whole_name() -> None:
    long_name = {"entry:a1": "Александра-Мария Константинопольская-Вишневецкая"}
    svg = ElementTree.fromstring(evidence_svg(TWINS, NAMES | long_name, title="t",
                                              language="ru"))
    texts = [t.text or "" for t in svg.iter(f"{SVG}text")]
    assert any("Константинопольская" in text for text in texts)


def test_the_evidence_is_told_in_sentences_of_the_language() -> None:
    russian = evidence_lines(EDGES, NAMES, "ru")
    assert russian == [
        "Участник Ольга Сидорова и заявленный родственник Пётр Сидоров указали один и тот же "
        "телефон: +79161234567.",
        "Сотрудник Анна Сидорова указывает в числе своих родственников: заявленный "
        "родственник Пётр Сидоров.",
    ]
    ukrainian = evidence_lines(TWINS, NAMES, "uk")
    assert not re.search(r"[a-z]", ukrainian[0].replace("Olga Sidorova", ""))
    english = evidence_lines(TWINS, NAMES, "en")
    assert english == ["Entrant Ольга Сидорова and entrant Olga Sidorova look like one person: "
                       "name, date of birth or address alike."]


@pytest.mark.parametrize("label", ["email", "phone", "device", "household",
                                   "declared_relative", "same_person", "related"])
def test_every_evidence_label_has_words(label: str) -> None:
    for language in ("ru", "uk"):
        words = evidence_label(label, language)
        assert not re.search(r"[A-Za-z_]", words), (label, language, words)
