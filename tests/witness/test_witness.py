"""The witness without HTTP: the ``add-checkpoint`` body as the spec's example writes it, and
the store's compare-and-swap, which keeps two concurrent requests from both winning."""

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from contest.errors import Malformed
from contest.ledger.merkle import MerkleTree, leaf_hash
from contest.ledger.note import Checkpoint, Signer, read_note, sign_checkpoint
from contest.witness.state import CosignedCheckpoint, WitnessState
from contest.witness.witness import AddCheckpoint

VECTORS = json.loads((Path(__file__).parent / "vectors" / "cosignature.json").read_text())
NOW = datetime(2026, 12, 7, 12, 0, 0, tzinfo=UTC)


def test_the_spec_s_example_request_reads_and_writes_back_byte_for_byte() -> None:
    example = VECTORS["spec_add_checkpoint_request"]
    request = AddCheckpoint.from_body(example["body"].encode())
    assert request.old_size == example["old_size"]
    assert len(request.proof) == example["proof_lines"]
    assert all(len(hash_) == 32 for hash_ in request.proof)
    checkpoint = Checkpoint.from_text(read_note(request.note)[0])
    assert (checkpoint.origin, checkpoint.size) == (example["origin"], example["size"])
    assert request.body() == example["body"].encode()


def test_a_request_made_by_the_log_reads_back() -> None:
    log = Signer("contest.test/log", bytes([7]) * 32)
    tree = MerkleTree(leaf_hash(bytes([i])) for i in range(11))
    note = sign_checkpoint(Checkpoint(log.name, 11, tree.root()), log)
    request = AddCheckpoint(4, tuple(tree.consistency_proof(4, 11)), note)
    assert AddCheckpoint.from_body(request.body()) == request


@pytest.mark.parametrize(("body", "message"), [
    (b"old 3\n", "an old size line, the proof lines, a blank line"),
    (b"old -1\n\nx\n", "'old' and a size without leading zeros"),
    (b"old 3\nAAAA\n\nx\n", "line 1 should be a 32-byte hash in base64"),
    (b"old 3\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAB=\n\nx\n", "line 1 should be"),
])
def test_a_malformed_body_says_what_is_wrong(body: bytes, message: str) -> None:
    with pytest.raises(Malformed, match=message):
        AddCheckpoint.from_body(body)


def stored(size: int, root: int) -> CosignedCheckpoint:
    return CosignedCheckpoint("contest.test/log", size, bytes([root]) * 32, f"note {size}\n",
                              int(NOW.timestamp()))


def test_the_store_swaps_only_from_what_was_read(tmp_path: Path) -> None:
    state = WitnessState(tmp_path / "witness.sqlite3")
    assert state.latest("contest.test/log") is None
    first = stored(5, 1)
    assert state.swap(None, first)
    assert not state.swap(None, stored(6, 2))  # a row appeared since "none" was read
    assert state.swap(first, stored(9, 3))
    assert not state.swap(first, stored(7, 4))  # stale: the witness is at 9 now
    assert not state.swap(stored(9, 8), stored(12, 5))  # same size, another root
    assert state.latest("contest.test/log") == stored(9, 3)


def test_the_store_outlives_the_process_that_wrote_it(tmp_path: Path) -> None:
    WitnessState(tmp_path / "witness.sqlite3").swap(None, stored(5, 1))
    again = WitnessState(tmp_path / "witness.sqlite3")
    assert again.latest("contest.test/log") == stored(5, 1)
    assert (tmp_path / "witness.sqlite3").stat().st_mode & 0o777 == 0o600
