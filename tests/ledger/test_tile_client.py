"""The log read back as C2SP tlog-tiles over real HTTP by :mod:`contest.ledger.tile_client`:
every leaf a checkpoint covers, each entry bundle checked against its level-0 tile and the
tiles against the checkpoint's root."""

import hashlib

import pytest
from sqlalchemy import text
from sqlmodel import Session

from contest.errors import LogUnavailable, VerificationFailed
from contest.ledger.note import Checkpoint, open_checkpoint
from contest.ledger.store import append_event, issue_checkpoint, read_entries
from contest.ledger.tile_client import read_log
from tests.builders import OPENS, SIGNER, fill_log


def signed(db: Session) -> Checkpoint:
    row = issue_checkpoint(db, signer=SIGNER, now=OPENS)
    db.commit()
    return open_checkpoint(row.note, [SIGNER.verifier()])


def stored(db: Session, size: int) -> list[bytes]:
    return [entry.leaf.encode() for entry in read_entries(db, 0, size)]


@pytest.mark.parametrize("size", [1, 255, 256, 257, 600])
def test_every_leaf_a_checkpoint_covers_is_read(db: Session, live_server: str,
                                                size: int) -> None:
    fill_log(db, size)
    assert read_log(live_server + "/log", signed(db)) == stored(db, size)


def test_an_older_checkpoint_is_read_from_a_log_that_grew(db: Session,
                                                          live_server: str) -> None:
    fill_log(db, 300)
    older = signed(db)
    fill_log(db, 700, start=300)
    signed(db)
    assert read_log(live_server + "/log/", older) == stored(db, 300)


def test_a_leaf_too_large_for_an_entry_bundle_is_read_all_the_same(db: Session,
                                                                    live_server: str) -> None:
    """An entry bundle's length prefix is 16 bits: a freeze's long excluded list does not fit,
    and the server answers 404; the leaf is read from the JSON API and checked the same."""
    fill_log(db, 3)
    append_event(db, event={"type": "test.big", "pad": "x" * 70_000}, now=OPENS, signer=SIGNER)
    fill_log(db, 5, start=4)
    assert read_log(live_server + "/log", signed(db)) == stored(db, 5)


def test_a_rewritten_leaf_is_named(db: Session, live_server: str) -> None:
    fill_log(db, 10)
    checkpoint = signed(db)
    db.connection().execute(text("UPDATE log_entries SET leaf = :leaf WHERE leaf_index = 7"),
                            {"leaf": '{"n":77,"type":"test.filler"}'})
    db.commit()
    with pytest.raises(VerificationFailed, match="leaf 7 of entry bundle tile/entries/000.p/10 "
                                                 "hashes to [0-9a-f]{64}, its level-0 tile "
                                                 "says [0-9a-f]{64}"):
        read_log(live_server + "/log", checkpoint)


def test_tiles_that_do_not_give_the_checkpoints_root_are_refused(db: Session,
                                                                 live_server: str) -> None:
    """The insider rewrote a leaf and its stored hash: the tiles agree with each other, not
    with the signed checkpoint."""
    fill_log(db, 10)
    checkpoint = signed(db)
    db.connection().execute(text(
        "UPDATE log_entries SET leaf = :leaf, leaf_hash = :hash WHERE leaf_index = 7"),
        {"leaf": '{"n":77,"type":"test.filler"}',
         "hash": hashlib.sha256(b'\x00{"n":77,"type":"test.filler"}').hexdigest()})
    db.commit()
    with pytest.raises(VerificationFailed, match=f"the tiles of {live_server}/log give root "
                                                 "[0-9a-f]{64} for 10 leaves, the checkpoint "
                                                 f"signed {checkpoint.root_hash.hex()}"):
        read_log(live_server + "/log", checkpoint)


def test_a_log_that_serves_fewer_leaves_is_refused(db: Session, live_server: str) -> None:
    fill_log(db, 10)
    checkpoint = signed(db)
    bigger = Checkpoint(checkpoint.origin, 20, checkpoint.root_hash)
    with pytest.raises(LogUnavailable, match="tile/0/000.p/20: 404"):
        read_log(live_server + "/log", bigger)


def test_no_server_is_a_clear_error() -> None:
    with pytest.raises(LogUnavailable, match="http://127.0.0.1:9/log/tile/0/000.p/1"):
        read_log("http://127.0.0.1:9/log", Checkpoint("o", 1, b"\0" * 32))
