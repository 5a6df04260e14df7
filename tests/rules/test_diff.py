"""rules_diff: field-by-field changes between two versions' JSON data."""

from datetime import timedelta
from decimal import Decimal

from contest.rules.diff import Change, rules_diff
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
        Change("eligibility.countries.2", "US", None),
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
