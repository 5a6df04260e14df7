"""The published history of a contest's rules and the version a reader asks for, on SQLite
and PostgreSQL: what the public rules page and the marketer's preview show."""

from datetime import timedelta

import pytest
from sqlmodel import Session

from contest.errors import NotFound
from contest.models import Contest
from contest.rules.diff import Change
from contest.rules.history import rules_history
from contest.rules.publishing import create_contest, publish, save_draft
from tests.builders import OPENS, SIGNER, rules_document

BEFORE = OPENS - timedelta(days=3)


def contest_with_two_versions(session: Session) -> Contest:
    contest = create_contest(session, slug="winter-giveaway", language="en",
                             title="Winter giveaway", actor_id=None, now=BEFORE,
                             draft=rules_document().to_data())
    publish(session, contest=contest, actor_id=None, now=BEFORE, signer=SIGNER)
    save_draft(session, contest=contest, draft=rules_document(winners=4, alternates=3).to_data(),
               actor_id=None, now=BEFORE)
    publish(session, contest=contest, actor_id=None, now=BEFORE, signer=SIGNER,
            reason="more_prizes")
    session.commit()
    return contest


def test_the_history_is_newest_first_with_what_each_version_changed(session: Session) -> None:
    history = rules_history(session, contest_with_two_versions(session))
    assert [item.version.version for item in history.items] == [2, 1]
    newest, first = history.items
    assert newest.version.reason_code == "more_prizes"
    assert newest.changes == (Change("prizes.0.quantity", 3, 4), Change("winners", 3, 4),
                              Change("alternates", 2, 3))
    assert first.changes == ()


def test_the_version_asked_for_or_else_the_newest(session: Session) -> None:
    history = rules_history(session, contest_with_two_versions(session))
    assert history.version(None).version == 2
    assert history.version(1).version == 1
    with pytest.raises(NotFound, match="there is no version 3 of the rules of winter-giveaway"):
        history.version(3)


def test_a_contest_never_published_has_no_history_and_no_version(session: Session) -> None:
    contest = create_contest(session, slug="spring-2027", language="en", title="Spring",
                             actor_id=None, now=BEFORE)
    history = rules_history(session, contest)
    assert history.items == ()
    with pytest.raises(NotFound, match="no contest spring-2027"):
        history.version(None)
