"""Recognising free-text prizes: three languages, typos, extra words, and unknowns."""

import pytest

from contest.prizes.catalogue import default_catalogue
from contest.prizes.matching import MATCH_THRESHOLD, Matcher, match_prize, normalise

CATALOGUE = default_catalogue()


def type_of(text: str) -> str | None:
    found = match_prize(text).prize_type
    return None if found is None else found.id


def test_no_word_belongs_to_two_types() -> None:
    assert Matcher(CATALOGUE).conflicts == ()


def test_every_name_is_recognised_as_its_own_type() -> None:
    wrong = [(name, prize_type.id, type_of(name))
             for prize_type in CATALOGUE for name in prize_type.names.values()
             if type_of(name) != prize_type.id]
    assert wrong == []


@pytest.mark.parametrize(("text", "expected"), [
    ("Skateboard", "skateboard"),
    ("wireless headphones", "headphones"),
    ("$100 gift card", "gift_card"),
    ("Mountain bike", "bicycle"),
    ("2 tickets to the concert", "concert_tickets"),
    ("Cookware set", "cookware"),
])
def test_english(text: str, expected: str) -> None:
    assert type_of(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("Скейтборд", "skateboard"),
    ("Беспроводные наушники", "headphones"),
    ("Велик", "bicycle"),
    ("Новый айфон", "smartphone"),
    ("Билеты на концерт", "concert_tickets"),
    ("Набор посуды", "cookware"),
    ("Денежный приз", "cash"),
    ("Игрушки для детей", "toys"),
    ("Набор косметики", "cosmetics"),
])
def test_russian(text: str, expected: str) -> None:
    assert type_of(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("Навушники", "headphones"),
    ("Подарунковий сертифікат", "gift_card"),
    ("Квитки на концерт", "concert_tickets"),
    ("Грошовий приз", "cash"),
    ("Іграшки", "toys"),
    ("М'яч футбольний", "sports_gear"),
])
def test_ukrainian(text: str, expected: str) -> None:
    assert type_of(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("скейтбрд", "skateboard"),
    ("hedphones", "headphones"),
    ("велосипедд", "bicycle"),
    ("наушнеки", "headphones"),
    ("смартфн", "smartphone"),
    ("bicylce", "bicycle"),
    ("Скейт борд", "skateboard"),
    ("gift crad", "gift_card"),  # two letters swapped in a short word
    ("подарочная крата", "gift_card"),
])
def test_typos_and_split_words(text: str, expected: str) -> None:
    found = match_prize(text)
    assert found.prize_type is not None and found.prize_type.id == expected
    assert MATCH_THRESHOLD <= found.confidence < 1.0


@pytest.mark.parametrize(("text", "expected"), [
    ("Apple iPhone 15 Pro 256GB", "smartphone"),
    ("Сертификат в магазин на 5000 руб.", "gift_card"),
    ("Смартфон Samsung Galaxy A55, 8/256 ГБ", "smartphone"),
    ("Розыгрыш велосипеда для всей семьи", "bicycle"),
    ("Главный приз: беспроводные наушники JBL!", "headphones"),
    ("iphone15", "smartphone"),
])
def test_extra_words_around_the_prize(text: str, expected: str) -> None:
    assert type_of(text) == expected


@pytest.mark.parametrize("text", [
    "Мешок цемента", "Трактор МТЗ-82", "Meet and greet with the band", "Право назвать улицу",
    "Корова", "", "   ", "12345", "!!!",
])
def test_unknown_prizes_stay_unknown(text: str) -> None:
    found = match_prize(text)
    assert found.prize_type is None
    assert 0.0 <= found.confidence < MATCH_THRESHOLD
    assert found.to_data()["type"] is None


def test_a_certificate_for_something_specific_is_that_thing() -> None:
    assert type_of("Подарочный сертификат") == "gift_card"
    assert type_of("Подарочный сертификат на велосипед") == "bicycle"
    assert type_of("Gift card for a spa day") == "spa"
    assert type_of("Билеты на мюзикл") == "theatre_tickets"
    assert type_of("Билеты") == "event_tickets"


def test_a_brand_gives_way_to_the_product_named() -> None:
    assert type_of("Nike") == "sneakers"
    assert type_of("Adidas футболка") == "clothing"
    assert type_of("LEGO") == "construction_set"


def test_confidence_falls_with_typos_and_unexplained_words() -> None:
    exact = match_prize("наушники").confidence
    typo = match_prize("наушнеки").confidence
    padded = match_prize("наушники и много других непонятных слов").confidence
    assert exact == 1.0
    assert 0 < typo < exact
    assert 0 < padded < exact


def test_normalise_folds_case_punctuation_and_scripts() -> None:
    assert normalise("  Ёлка — НОВАЯ!! ") == "елка новая"
    assert normalise("М'ЯЧ") == "мяч"
    assert normalise("aйфон") == "айфон"  # a Latin "a" typed in a Cyrillic word
    assert normalise("iPhоne") == "iphone"  # a Cyrillic "о" typed in a Latin word
    assert type_of("aйфон") == "smartphone"


def test_the_json_form_has_exactly_five_keys() -> None:
    known = match_prize("велик").to_data()
    assert list(known) == ["text", "type", "age_min", "age_max", "confidence"]
    bicycle = CATALOGUE["bicycle"]
    assert known == {"text": "велик", "type": "bicycle", "age_min": bicycle.age_min,
                     "age_max": bicycle.age_max, "confidence": 1.0}
    unknown = match_prize("Трактор").to_data()
    assert unknown == {"text": "Трактор", "type": None, "age_min": None, "age_max": None,
                       "confidence": unknown["confidence"]}


def test_a_weak_match_is_unknown_with_its_guess_kept_apart() -> None:
    alone = match_prize("велосепедд")  # two typos
    assert alone.prize_type is not None and alone.prize_type.id == "bicycle"
    drowned = match_prize("велосепедд для бабушкиного огородного хозяйства непонятного "
                          "назначения")
    assert drowned.prize_type is None
    assert drowned.guess is not None and drowned.guess.id == "bicycle"
    assert drowned.confidence < MATCH_THRESHOLD <= alone.confidence


def test_a_long_insertion_is_not_a_typo() -> None:
    assert match_prize("Трансфер в аэропорт").prize_type is None  # not "трансформер"
    assert type_of("Трансформер") == "toys"
