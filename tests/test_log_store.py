"""The log in the database: append, checkpoint, verify; never changed in place."""

from datetime import UTC, datetime

import pytest
from sqlalchemy import text
from sqlmodel import Session, select

from contest.errors import LogTampered
from contest.ledger.note import open_checkpoint
from contest.ledger.store import append_event, issue_checkpoint, verify_log
from contest.models import LogEntry
from tests.builders import SIGNER

NOW = datetime(2026, 12, 1, tzinfo=UTC)


def _fill(session: Session, count: int) -> None:
    for number in range(count):
        append_event(session, event={"type": "test", "n": number}, now=NOW)
        issue_checkpoint(session, signer=SIGNER, now=NOW)
    session.commit()


def test_leaves_are_canonical_json_and_checkpoints_verify(session: Session) -> None:
    _fill(session, 5)
    leaves = session.exec(select(LogEntry)).all()
    assert [leaf.leaf_index for leaf in leaves] == [0, 1, 2, 3, 4]
    assert leaves[2].leaf == '{"n":2,"type":"test"}'
    report = verify_log(session, [SIGNER.verifier()])
    assert (report.size, report.checkpoints) == (5, 5)


def test_an_event_without_a_type_is_a_bug_not_bad_input(session: Session) -> None:
    """Events are built by :mod:`contest.ledger.events`, never sent by a person: one without
    a type is our mistake (a 500, logged), not a 422 for whoever clicked."""
    with pytest.raises(AssertionError, match="a log event needs a type, got fields"):
        append_event(session, event={"contest": "spring"}, now=NOW)
    assert session.exec(select(LogEntry)).all() == []


def test_the_orm_refuses_to_change_a_leaf(session: Session) -> None:
    _fill(session, 1)
    leaf = session.exec(select(LogEntry)).one()
    leaf.leaf = '{"n":9,"type":"test"}'
    session.add(leaf)
    with pytest.raises(LogTampered, match="append-only"):
        session.flush()


def test_an_edit_behind_the_apps_back_is_caught(session: Session) -> None:
    _fill(session, 4)
    session.execute(text("UPDATE log_entries SET leaf = :leaf WHERE leaf_index = 2"),
                    {"leaf": '{"n":7,"type":"test"}'})
    session.commit()
    with pytest.raises(LogTampered, match="leaf 2 was changed"):
        verify_log(session, [SIGNER.verifier()])


def test_a_checkpoint_names_the_signers_origin(session: Session) -> None:
    _fill(session, 2)
    latest = issue_checkpoint(session, signer=SIGNER, now=NOW)
    checkpoint = open_checkpoint(latest.note, [SIGNER.verifier()])
    assert (checkpoint.origin, checkpoint.size) == ("contest.test/log", 2)
