"""The log in the database: append, checkpoint, verify; never changed in place."""

from datetime import UTC, datetime

import pytest
from sqlalchemy import func, text
from sqlmodel import Session, select

from contest.errors import LogTampered
from contest.ledger.merkle import leaf_hash
from contest.ledger.note import Checkpoint, Signer, open_checkpoint, sign_checkpoint
from contest.ledger.seal import is_sealed, seal
from contest.ledger.store import (
    append_event,
    issue_checkpoint,
    tree,
    unsealed_leaves,
    verify_log,
)
from contest.models import LogCheckpoint, LogEntry
from tests.builders import SIGNER

NOW = datetime(2026, 12, 1, tzinfo=UTC)


def _fill(session: Session, count: int) -> None:
    for number in range(count):
        append_event(session, event={"type": "test", "n": number}, now=NOW, signer=SIGNER)
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
        append_event(session, event={"contest": "spring"}, now=NOW, signer=SIGNER)
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
    assert (checkpoint.origin, checkpoint.size) == (SIGNER.name, 2)


def _write_behind_the_apps_back(session: Session, event: str, seal: str | None = None) -> int:
    """Insert a leaf as a database administrator would: the next index, a leaf hash that
    matches its text, and no seal (or one they made up)."""
    index = session.exec(select(func.count()).select_from(LogEntry)).one()
    session.execute(text("INSERT INTO log_entries (leaf_index, leaf, leaf_hash, appended_at, "
                         "seal) VALUES (:index, :leaf, :hash, :at, :seal)"),
                    {"index": index, "leaf": event,
                     "hash": leaf_hash(event.encode()).hex(), "at": NOW, "seal": seal})
    session.commit()
    return index


@pytest.mark.parametrize("seal", [None, "0" * 64])
def test_a_forged_winner_replaced_leaf_is_refused_not_signed(session: Session,
                                                             seal: str | None) -> None:
    """Issue 18's insider: a forged ``winner.replaced`` leaf appended to the table; the next
    public action made the server sign a checkpoint over it, and both verifiers passed."""
    _fill(session, 3)
    forged = _write_behind_the_apps_back(session, '{"contest":"spring","reason":"declined",'
                                         '"replacement":"b","ticket":"a",'
                                         '"type":"winner.replaced"}', seal)
    checkpoints = session.exec(select(func.count()).select_from(LogCheckpoint)).one()
    with pytest.raises(LogTampered, match=f"did not append \\({forged}\\)"):
        append_event(session, event={"type": "test", "n": 9}, now=NOW, signer=SIGNER)
        issue_checkpoint(session, signer=SIGNER, now=NOW)
    session.rollback()
    assert session.exec(select(func.count()).select_from(LogCheckpoint)).one() == checkpoints
    assert unsealed_leaves(session, SIGNER) == [forged]


def test_the_log_check_reads_the_leaves_after_the_last_checkpoint(session: Session) -> None:
    """``contest log verify`` ignored leaves no checkpoint covers yet."""
    _fill(session, 2)
    forged = _write_behind_the_apps_back(session, '{"n":5,"type":"test"}')
    verify_log(session, [SIGNER.verifier()])  # the public check sees a consistent log...
    with pytest.raises(LogTampered, match=f"leaf {forged} was not appended by this app"):
        verify_log(session, [SIGNER.verifier()], SIGNER)  # ...the server's sees the forgery


def test_leaves_from_before_seals_are_vouched_for_by_their_checkpoint(session: Session) -> None:
    """Leaves appended before the seal existed have none: a signed checkpoint covers them."""
    for number in range(3):
        _write_behind_the_apps_back(session, f'{{"n":{number},"type":"test"}}')
    issue_old = tree(session)  # as the app signed them then
    session.add(LogCheckpoint(size=3, root_hash=issue_old.root().hex(), issued_at=NOW,
                              note=sign_checkpoint(Checkpoint(SIGNER.name, 3, issue_old.root()),
                                                   SIGNER)))
    session.commit()
    assert unsealed_leaves(session, SIGNER) == []
    append_event(session, event={"type": "test", "n": 3}, now=NOW, signer=SIGNER)
    issue_checkpoint(session, signer=SIGNER, now=NOW)
    session.commit()
    assert verify_log(session, [SIGNER.verifier()], SIGNER).size == 4


def test_a_seal_is_the_leafs_own_under_the_logs_key() -> None:
    leaf = b'{"n":1,"type":"test"}'
    assert is_sealed(leaf, seal(leaf, SIGNER), SIGNER)
    assert not is_sealed(b'{"n":2,"type":"test"}', seal(leaf, SIGNER), SIGNER)
    assert not is_sealed(leaf, seal(leaf, Signer.generate(SIGNER.name)), SIGNER)
    assert not is_sealed(leaf, None, SIGNER)
