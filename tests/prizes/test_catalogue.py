"""The shipped prize catalogue: complete, sane, and checked on load."""

import tomllib
from decimal import Decimal
from pathlib import Path

import pytest

from contest.prizes.catalogue import (
    CATALOGUE_PATH,
    LANGUAGES,
    OPEN_AGE,
    CatalogueInvalid,
    ValueRange,
    default_catalogue,
    load_catalogue,
    parse_catalogue,
)

CATALOGUE = default_catalogue()


def catalogue_data() -> dict[str, object]:
    return tomllib.loads(CATALOGUE_PATH.read_text(encoding="utf-8"))


def test_the_catalogue_has_at_least_60_types_with_unique_ids() -> None:
    ids = [prize_type.id for prize_type in CATALOGUE]
    assert len(ids) >= 60
    assert len(set(ids)) == len(ids)


def test_every_type_is_named_in_english_russian_and_ukrainian() -> None:
    for prize_type in CATALOGUE:
        assert set(prize_type.names) == set(LANGUAGES), prize_type.id
        assert all(name.strip() for name in prize_type.names.values()), prize_type.id


def test_age_ranges_are_sane_and_explained() -> None:
    for prize_type in CATALOGUE:
        assert 0 <= prize_type.age_min < prize_type.age_max <= OPEN_AGE, prize_type.id
        assert all(0 <= age < prize_type.age_max
                   for age in prize_type.age_min_by_country.values()), prize_type.id
        assert len(prize_type.reason) >= 15, prize_type.id
        assert 0 <= prize_type.value.low <= prize_type.value.high, prize_type.id
        assert prize_type.value.currency == "USD"


def test_universal_kinds_are_there_with_wide_ranges() -> None:
    for type_id in ("cash", "gift_card"):
        assert (CATALOGUE[type_id].age_min, CATALOGUE[type_id].age_max) == (0, OPEN_AGE)
    wide = {t.category for t in CATALOGUE if t.age_max - t.age_min >= 85 and not t.precondition}
    assert {"universal", "experience", "electronics"} <= wide


def test_the_issue_examples_are_catalogue_words() -> None:
    words = {word.casefold() for t in CATALOGUE
             for word in (*t.names.values(), *t.synonyms, *t.brands)}
    assert {"скейтборд", "айфон", "iphone", "наушники", "навушники", "airpods", "велик"} <= words


def test_legal_preconditions_name_their_rule() -> None:
    alcohol = CATALOGUE["alcohol"]
    assert alcohol.precondition is not None and alcohol.precondition.kind == "legal"
    assert alcohol.age_min == 18 and alcohol.min_age_in("US") == 21
    assert CATALOGUE["car"].precondition is not None
    assert CATALOGUE["skateboard"].precondition is not None
    assert CATALOGUE["skateboard"].precondition.kind == "physical"
    for language in LANGUAGES:
        assert alcohol.precondition.text(language) != ""


def test_a_broken_catalogue_lists_every_problem(tmp_path: Path) -> None:
    data = catalogue_data()
    types = data["types"]
    assert isinstance(types, list)
    types[0] = {**types[0], "age_min": 50, "age_max": 10}
    types[1] = {**types[1], "names": {"en": "gift card", "ru": "сертификат"}}
    types[2] = {**types[2], "precondition": "flying"}
    types[3] = {**types[3], "id": types[4]["id"]}
    with pytest.raises(CatalogueInvalid, match="the prize catalogue has 4 errors") as raised:
        parse_catalogue(data)
    assert [(e.field, e.code) for e in raised.value.errors] == [
        ("types.0.age_max", "age_range_reversed"),
        ("types.1.names.uk", "required"),
        ("types.2.precondition", "unknown_precondition"),
        ("types.4.id", "duplicate_id"),
    ]
    path = tmp_path / "broken.toml"
    path.write_text("schema = [", encoding="utf-8")
    with pytest.raises(CatalogueInvalid, match="has 1 error:"):
        load_catalogue(path)


def test_the_value_range_has_a_typical_value_inside_it() -> None:
    for prize_type in CATALOGUE:
        value = prize_type.value
        assert value.low <= value.typical <= value.high, prize_type.id


def test_only_a_range_wide_enough_to_say_nothing_is_any_amount() -> None:
    assert {t.id for t in CATALOGUE if t.value.any_amount} == {"cash", "gift_card"}
    usd = "USD"
    assert ValueRange(Decimal("0"), Decimal("1000"), usd).any_amount
    assert not ValueRange(Decimal("0"), Decimal("999"), usd).any_amount
    assert ValueRange(Decimal("5"), Decimal("5000"), usd).any_amount
    assert not ValueRange(Decimal("5"), Decimal("4999.99"), usd).any_amount
