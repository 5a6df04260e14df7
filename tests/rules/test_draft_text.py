"""A rules draft holds text only: a string that is not text (a lone surrogate, a control
character, a non-character: contest.text) cannot be stored or hashed, so ``create_contest``
and ``save_draft`` refuse the draft, naming the dotted path of the string, and store nothing."""

import copy
from datetime import timedelta
from typing import Any

import pytest
from sqlmodel import Session, select

from contest.errors import InvalidInput
from contest.models import Contest
from contest.rules.publishing import create_contest, draft_data, save_draft
from contest.text import draft_text_error
from tests.builders import OPENS, make_contest, rules_document

BEFORE = OPENS - timedelta(days=7)


def data() -> dict[str, Any]:
    return rules_document().to_data()


def put(path: str, value: object) -> dict[str, Any]:
    rules = copy.deepcopy(data())
    node: Any = rules
    *parents, last = path.split(".")
    for part in parents:
        node = node[int(part)] if isinstance(node, list) else node[part]
    node[int(last) if isinstance(node, list) else last] = value
    return rules


CASES = [
    ("title", "Winter \ud800 giveaway", "U+D800", 8),
    ("sections.0.text", "Free\x00 to enter", "U+0000", 5),
    ("prizes.0.name", "Gift \udfff card", "U+DFFF", 6),
    ("eligibility.countries.1", "R\ufffe", "U+FFFE", 2),
    ("prizes.0.retail_value.currency", "\U0010ffff", "U+10FFFF", 1),
]


@pytest.mark.parametrize(("path", "value", "character", "position"), CASES)
def test_a_draft_whose_text_is_not_text_is_refused_at_its_path(
    session: Session, path: str, value: str, character: str, position: int
) -> None:
    draft = put(path, value)
    contest, _ = make_contest(session, published=False)
    before = contest.draft_json
    with pytest.raises(InvalidInput) as refused:
        save_draft(session, contest=contest, draft=draft, actor_id=None, now=BEFORE)
    [error] = refused.value.errors
    assert (error.field, error.code) == (path, "not_text")
    assert f"{character} at position {position}" in error.text("en")
    assert value not in str(refused.value)
    assert contest.draft_json == before
    with pytest.raises(InvalidInput) as refused:
        create_contest(session, slug="spring-giveaway", language="en", title="Spring",
                       actor_id=None, now=BEFORE, draft=draft)
    assert [(e.field, e.code) for e in refused.value.errors] == [(path, "not_text")]
    assert session.exec(select(Contest).where(Contest.slug == "spring-giveaway")).first() is None


def test_a_field_name_that_is_not_text_is_named_without_its_character(
    session: Session
) -> None:
    draft = data()
    draft["prizes"][0]["na\ud800me"] = "x"
    contest, _ = make_contest(session, published=False)
    with pytest.raises(InvalidInput) as refused:
        save_draft(session, contest=contest, draft=draft, actor_id=None, now=BEFORE)
    [error] = refused.value.errors
    assert (error.field, error.code) == ("prizes.0.na\\ud800me", "not_text")
    assert "U+D800 at position 3" in error.text("en") and "name" in error.text("en")
    assert "\ud800" not in error.field + error.text("en") + error.text("ru")


def test_white_space_is_text_and_such_a_draft_is_kept(session: Session) -> None:
    draft = put("sections.0.text", "Free to enter.\r\n\tNo purchase necessary.")
    contest, _ = make_contest(session, published=False)
    assert save_draft(session, contest=contest, draft=draft, actor_id=None, now=BEFORE) == []
    assert draft_data(contest) == draft


def test_the_first_string_that_is_not_text_is_found_however_deep() -> None:
    deep: Any = "\x07"
    for level in range(5000):
        deep = [deep] if level % 2 else {"k": deep}
    error = draft_text_error({"a": ["fine", {"b": deep}]})
    assert error is not None and error.field.startswith("a.1.b.0.k.0.k.")
    assert error.field.endswith(".0.k") and error.field.count(".") == 5002
    assert "U+0007 at position 1" in error.text()
    assert draft_text_error(data()) is None
