"""Every whole number and amount in the rules has a documented range, the title is one line,
and nothing beyond them reaches canonicalisation (RFC 8785 refuses integers beyond 2^53)."""

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import Session

from contest.errors import InvalidInput, RulesInvalid
from contest.rules.parse import parse_rules, rules_errors
from contest.rules.publishing import create_contest, publish, save_draft
from contest.rules.versions import load_rules
from tests.builders import OPENS, SIGNER, make_contest, rules_document
from tests.fixtures import run_cli

# The ranges docs/RULES.md documents: (path, smallest, largest).
DOCUMENTED = [
    ("eligibility.legal_min_age", 0, 150),
    ("eligibility.min_age", 0, 150),
    ("eligibility.max_age", 0, 150),
    ("limits.per_person", 1, 1_000_000),
    ("limits.per_household", 1, 1_000_000),
    ("limits.per_day", 1, 1_000_000),
    ("prizes.0.quantity", 1, 1_000_000),
    ("winners", 1, 1_000_000),
    ("alternates", 0, 1_000_000),
    ("announcement.notify_within_days", 0, 365),
    ("announcement.claim_days", 1, 730),
    ("complaints.response_business_days", 1, 60),
]
UNSAFE = 2**53 + 1  # 9007199254740993: what RFC 8785 refuses to canonicalise


def data() -> dict[str, Any]:
    return rules_document().to_data()


def put(rules: dict[str, Any], path: str, value: object) -> dict[str, Any]:
    """``rules`` with ``path`` set to ``value``, and the numbers that must agree with it
    (prize quantities and winners; the ages) moved along so that only ``path`` is wrong."""
    changed = copy.deepcopy(rules)
    if path.startswith("eligibility."):
        changed["eligibility"].update(legal_min_age=0, min_age=0, max_age=None)
    node: Any = changed
    *parents, last = path.split(".")
    for part in parents:
        node = node[int(part)] if isinstance(node, list) else node[part]
    node[last] = value
    if path in ("winners", "prizes.0.quantity"):
        changed["winners"] = changed["prizes"][0]["quantity"] = value
    return changed


def field_errors(rules: dict[str, Any]) -> dict[str, tuple[str, str]]:
    return {e.field: (e.code, e.text()) for e in rules_errors(rules)}


@pytest.mark.parametrize(("path", "smallest", "largest"), DOCUMENTED)
def test_a_whole_number_beyond_its_range_is_named_with_the_range(
        path: str, smallest: int, largest: int) -> None:
    for value, code in ((largest + 1, "too_large"), (UNSAFE, "too_large"),
                        (smallest - 1, "too_small"), (-UNSAFE, "too_small")):
        errors = field_errors(put(data(), path, value))
        assert errors[path] == (
            code, f"must be a whole number from {smallest} to {largest}, got {value}")


@pytest.mark.parametrize(("path", "smallest", "largest"), DOCUMENTED)
def test_both_ends_of_a_range_are_accepted(path: str, smallest: int, largest: int) -> None:
    for value in (smallest, largest):
        assert path not in field_errors(put(data(), path, value)), value


def test_a_number_too_long_to_print_is_still_reported() -> None:
    errors = field_errors(put(data(), "alternates", 10**5000))
    assert errors["alternates"] == (
        "too_large", "must be a whole number from 0 to 1000000, got 1.000e+5000")


@pytest.mark.parametrize(("amount", "code"), [
    ("1000000000000", "amount_too_large"),
    ("1000000000000.00", "amount_too_large"),
    ("00000000000000000001.00", None),
    ("999999999999.99", None),
    ("9" * 5000, "amount_too_large"),
])
def test_money_amounts_have_at_most_twelve_digits_before_the_point(amount: str,
                                                                   code: str | None) -> None:
    rules = data()
    rules["prizes"][0]["retail_value"]["amount"] = amount
    errors = field_errors(rules)
    if code is None:
        assert errors == {}
    else:
        assert errors["prizes.0.retail_value.amount"][0] == code
        assert "at most 12 digits before the decimal point" in errors[
            "prizes.0.retail_value.amount"][1]


@pytest.mark.parametrize("title", ["Winter\r\ngiveaway", "Winter\ngiveaway",
                                   "Winter\u2028giveaway", "Winter\x00giveaway",
                                   "Winter\tgiveaway", "Winter\x85giveaway"])
def test_the_title_is_one_line_without_control_characters(session: Session, title: str) -> None:
    errors = field_errors(dict(data(), title=title))
    assert errors["title"][0] == "not_one_line"
    assert "position 7" in errors["title"][1]
    with pytest.raises(InvalidInput) as refused:
        create_contest(session, slug="winter-giveaway", language="en", title=title,
                       actor_id=None, now=OPENS)
    assert [(e.field, e.code) for e in refused.value.errors] == [("title", "not_one_line")]


def test_a_draft_with_a_broken_title_does_not_rename_the_contest(session: Session) -> None:
    contest, _ = make_contest(session, published=False)
    problems = save_draft(session, contest=contest, draft=dict(data(), title="Two\nlines"),
                          actor_id=None, now=OPENS)
    assert [(p.field, p.code) for p in problems] == [("title", "not_one_line")]
    assert contest.title == "Winter giveaway"


def test_a_count_rfc_8785_cannot_canonicalise_never_reaches_it(session: Session) -> None:
    contest, _ = make_contest(session, published=False)
    save_draft(session, contest=contest, draft=put(data(), "winners", UNSAFE), actor_id=None,
               now=OPENS)
    with pytest.raises(RulesInvalid) as refused:
        publish(session, contest=contest, actor_id=None, now=OPENS, signer=SIGNER)
    assert {e.field for e in refused.value.errors} == {"winners", "prizes.0.quantity"}


def test_versions_published_before_the_ranges_are_read_as_published(session: Session) -> None:
    old = put(put(data(), "complaints.response_business_days", 3_000_000), "winners", 2_000_000)
    old["title"] = "Winter\r\ngiveaway"
    with pytest.raises(RulesInvalid):
        parse_rules(old)
    contest, version = make_contest(session, rules=parse_rules(old, published=True))
    assert version is not None
    rules = load_rules(version)
    assert rules.complaints.response_business_days == 3_000_000
    assert rules.title == "Winter\r\ngiveaway" and rules.winners == 2_000_000


def test_the_documentation_shows_every_range() -> None:
    table = (Path(__file__).parents[2] / "docs" / "RULES.md").read_text(encoding="utf-8")
    for path, smallest, largest in DOCUMENTED:
        documented = path.replace(".0.", ".N.")
        assert f"| `{documented}` | {smallest:,} | {largest:,} |" in table, documented
    assert "| `…amount` | 0 | 999,999,999,999.99 |" in table


# -- at the terminal --------------------------------------------------------------------------

def test_the_terminal_names_the_range_and_publishes_nothing_out_of_it(cli_env: Path) -> None:
    rules_file = cli_env / "rules.json"
    rules_file.write_text(json.dumps(put(data(), "winners", UNSAFE)), encoding="utf-8")
    created = run_cli("contests", "create", "winter-giveaway", "--title", "Winter giveaway")
    assert created.exit_code == 0
    edited = run_cli("rules", "edit", "winter-giveaway", str(rules_file))
    assert edited.exit_code == 0
    assert f"winners: must be a whole number from 1 to 1000000, got {UNSAFE}" in edited.stderr
    published = run_cli("rules", "publish", "winter-giveaway")
    assert published.exit_code == 2
    assert "winners: must be a whole number from 1 to 1000000" in published.stderr


def test_a_number_json_cannot_read_is_a_clear_error_at_the_terminal(cli_env: Path) -> None:
    rules_file = cli_env / "rules.json"
    rules_file.write_text(json.dumps(data()).replace('"winners": 3', '"winners": ' + "9" * 5000),
                          encoding="utf-8")
    assert run_cli("contests", "create", "winter-giveaway", "--title", "W").exit_code == 0
    edited = run_cli("rules", "edit", "winter-giveaway", str(rules_file))
    assert edited.exit_code == 2
    assert (f"{rules_file}: holds a whole number of 5000 digits, which cannot be read"
            in edited.stderr), edited.stderr


def test_a_title_with_a_line_break_is_refused_at_the_terminal(cli_env: Path) -> None:
    created = run_cli("contests", "create", "winter-giveaway", "--title", "Winter\ngiveaway")
    assert created.exit_code == 2
    assert "title: must be one line" in created.stderr


def test_the_documentation_shows_the_years_of_every_moment() -> None:
    from contest.rules.ranges import MOMENT_YEARS

    table = (Path(__file__).parents[2] / "docs" / "RULES.md").read_text(encoding="utf-8")
    assert (MOMENT_YEARS.minimum, MOMENT_YEARS.maximum) == (2000, 2999)
    assert ("| `period.opens_at`, `period.closes_at`, `period.draw_at` | year 2000 | "
            "year 2999 |") in table
