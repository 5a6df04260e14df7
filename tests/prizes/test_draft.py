"""The prize advisor on a working draft: advice for the draft's prizes, a prize tried without
storing anything, and a suggestion put in a prize's place in the draft only."""

from datetime import timedelta

import pytest
from sqlmodel import Session, select

from contest.errors import InvalidInput, RulesInvalid
from contest.models import Contest, RulesVersion
from contest.prizes.advice import AdviceLevel
from contest.prizes.audience import AudienceSource, audience_of_rules
from contest.prizes.draft import (
    PRIZE_TEXT_MAX,
    draft_advice,
    prize_text,
    replace_prize,
    try_prize,
)
from contest.rules.publishing import draft_data, save_draft
from tests.builders import OPENS
from tests.prizes.builders import prize, prize_contest, prize_rules

NOW = OPENS - timedelta(days=1)
RULES = prize_rules(prize("Skateboard", "60.00"), prize("Gift card"), min_age=0,
                    countries=("RU",))


def test_the_draft_is_advised_on_for_the_people_it_admits(session: Session) -> None:
    contest, _ = prize_contest(session, RULES, published=False)
    report = draft_advice(session, contest=contest)
    assert report.audience.source is AudienceSource.RULES
    assert [a.prize for a in report.advice] == ["Skateboard", "Gift card"]
    assert [a.level for a in report.advice] == [AdviceLevel.WARNING, AdviceLevel.OK]


def test_a_broken_draft_is_not_advised_on(session: Session) -> None:
    contest, _ = prize_contest(session, RULES, published=False)
    save_draft(session, contest=contest, draft={**draft_data(contest), "winners": 0},
               actor_id=None, now=NOW)
    with pytest.raises(RulesInvalid):
        draft_advice(session, contest=contest)


def test_a_prize_to_try_is_neither_blank_nor_too_long() -> None:
    assert prize_text("  bicycle \n") == "bicycle"
    with pytest.raises(InvalidInput) as blank:
        prize_text(" \t ")
    assert [(e.field, e.text()) for e in blank.value.errors] == [("prize", "must not be empty")]
    with pytest.raises(InvalidInput) as long:
        prize_text("x" * (PRIZE_TEXT_MAX + 1))
    assert long.value.errors[0].text() == (
        f"must be at most {PRIZE_TEXT_MAX} characters, got {PRIZE_TEXT_MAX + 1}")
    advice = try_prize(" headphones ", audience_of_rules(0, None, ["RU"]))
    assert advice.prize == "headphones" and advice.prize_type is not None


def test_a_suggestion_replaces_the_prize_in_the_draft_only(session: Session) -> None:
    contest, version = prize_contest(session, RULES, published=True)
    assert version is not None
    assert replace_prize(session, contest=contest, number=1, current="Skateboard",
                         type_id="gift_card", actor_id=None, now=NOW) == (
        "Skateboard", "Gift card")
    session.commit()
    stored = session.exec(select(Contest)).one()
    prizes = draft_data(stored)["prizes"]
    assert [p["name"] for p in prizes] == ["Gift card", "Gift card"]
    assert prizes[0]["retail_value"] == {"amount": "60.00", "currency": "USD"}
    assert [v.sha256 for v in session.exec(select(RulesVersion))] == [version.sha256]


@pytest.mark.parametrize(("number", "current", "type_id", "message"), [
    (3, "Skateboard", "cash", "the draft has no prize 3; its prizes are numbered 1 to 2"),
    (1, "Bicycle", "cash", "the draft changed: prize 1 is now Skateboard, not Bicycle"),
    (1, "Skateboard", "kick_scooter",
     "kick_scooter is not one of the alternatives suggested for Skateboard"),
    (2, "Gift card", "cash", "cash is not one of the alternatives suggested for Gift card"),
])
def test_only_a_suggestion_for_the_prize_as_seen_replaces_it(
        session: Session, number: int, current: str, type_id: str, message: str) -> None:
    contest, _ = prize_contest(session, RULES, published=False)
    before = contest.draft_json
    with pytest.raises(InvalidInput) as refused:
        replace_prize(session, contest=contest, number=number, current=current,
                      type_id=type_id, actor_id=None, now=NOW)
    assert [e.text() for e in refused.value.errors] == [message]
    assert contest.draft_json == before
