"""canonical_json against published RFC 8785 vectors, and the stability of the rules hash."""

import dataclasses
import json
from decimal import Decimal
from pathlib import Path

import pytest

from contest.canonical import canonical_json
from contest.rules.canonical import rules_sha256
from contest.rules.document import Money, Party, Prize
from contest.rules.parse import parse_rules
from tests.builders import rules_document

VECTORS = Path(__file__).parent / "vectors"
CASES = sorted(
    path.relative_to(VECTORS) for path in VECTORS.glob("*/input/*.json")
)


def test_every_vector_set_is_present() -> None:
    names = {str(case) for case in CASES}
    assert names == {
        f"cyberphone/input/{name}.json"
        for name in ("arrays", "french", "structures", "unicode", "values", "weird")
    } | {"rfc8785/input/section-3.2.2.json", "rfc8785/input/section-3.2.3.json"}


@pytest.mark.parametrize("case", CASES, ids=str)
def test_canonical_json_matches_the_published_output_byte_for_byte(case: Path) -> None:
    source = VECTORS / case
    expected = (VECTORS / case.parent.parent / "output" / case.name).read_bytes()
    assert canonical_json(json.loads(source.read_text(encoding="utf-8"))) == expected


# The identity of the builder's rules; if this changes, every published hash would too.
KNOWN_SHA256 = "dcfcfdba3592d82d897b5c01d47757448049d6b68721039bc9c1dc043d075fe8"


def test_a_known_document_has_a_stable_hash() -> None:
    assert rules_sha256(rules_document()) == KNOWN_SHA256
    assert rules_sha256(parse_rules(rules_document().to_data())) == KNOWN_SHA256


def test_the_hash_does_not_depend_on_key_order() -> None:
    data = rules_document().to_data()
    reordered = dict(reversed(list(data.items())))
    assert canonical_json(reordered) == canonical_json(data)


@pytest.mark.parametrize(
    "change",
    [
        {"title": "Winter giveaway!"},
        {"min_age": 21},
        {"countries": ("RU", "US")},
        {"winners": 4, "alternates": 2},
        {"alternates": 3},
        {"per_day": 1},
        {"sponsor": Party("Snowfall Foods LLC", "1 Main St, Springfield", "")},
        {"prizes": (Prize("Gift card", 3, Money(Decimal("100.01"), "USD")),)},
        {"prizes": (Prize("Gift card", 3, Money(Decimal("100.00"), "EUR")),)},
        {"language": "ru"},
    ],
    ids=lambda change: ",".join(change),
)
def test_changing_any_field_changes_the_hash(change: dict[str, object]) -> None:
    assert rules_sha256(rules_document(**change)) != KNOWN_SHA256


def test_changing_a_nested_moment_changes_the_hash() -> None:
    rules = rules_document()
    period = dataclasses.replace(rules.period, timezone="Europe/Moscow")
    assert rules_sha256(dataclasses.replace(rules, period=period)) != KNOWN_SHA256
