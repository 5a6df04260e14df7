"""rules_diff: field-by-field changes between two versions' JSON data."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest

from contest.rules.diff import Change, field_label, rules_diff
from contest.rules.document import Money, Prize
from tests.builders import OPENS, rules_document


def test_identical_rules_have_no_changes() -> None:
    assert rules_diff(rules_document().to_data(), rules_document().to_data()) == []


def test_changed_scalars_are_listed_by_dotted_path_in_document_order() -> None:
    before = rules_document().to_data()
    after = rules_document(
        min_age=21, closes_at=OPENS + timedelta(days=40), title="Winter giveaway 2"
    ).to_data()
    assert rules_diff(before, after) == [
        Change("title", "Winter giveaway", "Winter giveaway 2"),
        Change("period.closes_at", "2026-12-31T09:00:00+00:00", "2027-01-10T09:00:00+00:00"),
        Change("period.draw_at", "2027-01-02T09:00:00+00:00", "2027-01-12T09:00:00+00:00"),
        Change("eligibility.min_age", 18, 21),
    ]


def test_added_and_removed_list_items_show_none_on_the_other_side() -> None:
    mug = Prize("Mug", 1, Money(Decimal("5.00"), "USD"))
    card = Prize("Gift card", 3, Money(Decimal("100.00"), "USD"))
    before = rules_document().to_data()
    after = rules_document(winners=4, prizes=(card, mug), countries=("RU", "UA")).to_data()
    assert rules_diff(before, after) == [
        Change("eligibility.countries", ["RU", "UA", "US"], ["RU", "UA"]),
        Change("prizes.1", None, after["prizes"][1]),
        Change("winners", 3, 4),
    ]
    assert rules_diff(after, before)[1] == Change("prizes.1", after["prizes"][1], None)


def test_added_and_removed_keys_and_type_changes() -> None:
    assert rules_diff({"a": 1, "b": {"c": 1}}, {"b": 2, "d": [1]}) == [
        Change("a", 1, None),
        Change("b", {"c": 1}, 2),
        Change("d", None, [1]),
    ]
    assert rules_diff({"flag": 1}, {"flag": True}) == [Change("flag", 1, True)]


def test_a_list_of_plain_values_changes_as_a_whole() -> None:
    before = rules_document(countries=("RU", "UA")).to_data()
    after = rules_document(countries=("RU", "KZ", "UA")).to_data()
    assert rules_diff(before, after) == [
        Change("eligibility.countries", ["RU", "UA"], ["RU", "KZ", "UA"])]


@pytest.mark.parametrize(("path", "language", "words"), [
    ("prizes.0.quantity", "en", "Prize 1: quantity"),
    ("prizes.1.retail_value.amount", "en", "Prize 2: retail value: amount"),
    ("prizes.0.quantity", "ru", "Приз 1: количество"),
    ("prizes.0.quantity", "uk", "Приз 1: кількість"),
    ("period.closes_at", "en", "Entry period: entries close"),
    ("winners", "uk", "Кількість переможців"),
    ("eligibility.countries", "ru", "Кто может участвовать: страны"),
])
def test_a_changed_field_is_named_in_words(path: str, language: str, words: str) -> None:
    assert field_label(path, language) == words


def test_every_field_of_the_rules_has_a_name_in_words() -> None:
    full = rules_document(max_age=65, per_household=2, per_day=1).to_data()
    for path in paths_of(full):
        words = field_label(path, "ru")
        assert not re.search(r"[a-z_]{3,}", words), (path, words)


def paths_of(data: object, prefix: str = "") -> list[str]:
    if isinstance(data, dict):
        return [path for key, value in data.items()
                for path in paths_of(value, f"{prefix}.{key}" if prefix else key)]
    if isinstance(data, list) and data and isinstance(data[0], dict):
        return [path for index, value in enumerate(data)
                for path in paths_of(value, f"{prefix}.{index}")]
    return [prefix]
