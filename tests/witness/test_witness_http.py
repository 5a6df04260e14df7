"""The witness over real HTTP, in its own process (``contest witness serve`` on a loopback port
it picks): C2SP tlog-witness ``add-checkpoint`` with checkpoints and proofs made by the log's
own code. Truncating or rewriting the log is refused with the status the spec names."""

import subprocess
import urllib.error
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from hashlib import sha256
from pathlib import Path

import pytest

from contest.errors import WitnessUnavailable
from contest.ledger.merkle import EMPTY_ROOT, MerkleTree, leaf_hash
from contest.ledger.note import Checkpoint, Signer, sign_checkpoint
from contest.witness.client import request_cosignature
from contest.witness.cosignature import CosignatureVerifier, verify_cosignatures
from contest.witness.witness import AddCheckpoint
from tests.witness.process import CONTEST, WitnessKey, make_witness_key, serve_witness

ORIGIN = "contest.test/log"
LOG = Signer(ORIGIN, bytes([7]) * 32)


@dataclass(frozen=True)
class Reply:
    status: int
    content_type: str
    body: str


@dataclass(frozen=True)
class RunningWitness:
    url: str
    verifier: CosignatureVerifier

    def post(self, body: bytes, path: str = "/add-checkpoint") -> Reply:
        request = urllib.request.Request(self.url + path, data=body, method="POST")
        return _reply(request)

    def get(self, path: str) -> Reply:
        return _reply(urllib.request.Request(self.url + path))

    def add(self, tree: MerkleTree, size: int, old: int, *, signer: Signer = LOG,
            proof: list[bytes] | None = None) -> Reply:
        note = sign_checkpoint(Checkpoint(signer.name, size, tree.root(size)), signer)
        if proof is None:
            proof = tree.consistency_proof(old, size) if old <= size else []
        return self.post(AddCheckpoint(old, tuple(proof), note).body())


def _reply(request: urllib.request.Request) -> Reply:
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return Reply(response.status, response.headers["Content-Type"],
                         response.read().decode())
    except urllib.error.HTTPError as error:
        with error:
            return Reply(error.code, error.headers["Content-Type"], error.read().decode())


def make_tree(size: int, *, changed: int | None = None) -> MerkleTree:
    """The log's tree of ``size`` entries; ``changed`` rewrites one of them."""
    return MerkleTree(leaf_hash(f"entry {i}{' rewritten' if i == changed else ''}".encode())
                      for i in range(size))


@pytest.fixture(scope="module")
def witness_key(tmp_path_factory: pytest.TempPathFactory) -> WitnessKey:
    """One key for the module's witnesses (``contest witness init``); each test's witness has
    a store of its own."""
    return make_witness_key(tmp_path_factory.mktemp("witness"))


@contextmanager
def running_witness(key: WitnessKey, state: Path) -> Iterator[RunningWitness]:
    """``contest witness serve`` in its own process on a free loopback port, until the end of
    the ``with`` block."""
    with serve_witness(key, state, logs=[LOG]) as served:
        yield RunningWitness(served.url, served.verifier)


@pytest.fixture
def witness(tmp_path: Path, witness_key: WitnessKey) -> Iterator[RunningWitness]:
    with running_witness(witness_key, tmp_path / "witness.sqlite3") as running:
        yield running


def cosigned_note(tree: MerkleTree, size: int, reply: Reply) -> str:
    return sign_checkpoint(Checkpoint(ORIGIN, size, tree.root(size)), LOG) + reply.body


def test_a_first_checkpoint_is_cosigned(witness: RunningWitness) -> None:
    tree = make_tree(5)
    reply = witness.add(tree, 5, 0)
    assert reply.status == 200, reply.body
    assert reply.body.startswith("\u2014 auditor.test/witness ") and reply.body.endswith("\n")
    (cosignature,) = verify_cosignatures(cosigned_note(tree, 5, reply), [witness.verifier])
    assert cosignature.witness == "auditor.test/witness"
    assert cosignature.key_id == witness.verifier.key_id
    assert cosignature.timestamp > 0


def test_a_consistent_larger_checkpoint_is_cosigned(witness: RunningWitness) -> None:
    tree = make_tree(12)
    assert witness.add(tree, 5, 0).status == 200
    reply = witness.add(tree, 12, 5)
    assert reply.status == 200, reply.body
    assert verify_cosignatures(cosigned_note(tree, 12, reply), [witness.verifier])
    assert witness.add(tree, 12, 12).status == 200  # the same tree again: nothing to prove


def test_a_truncated_log_is_refused(witness: RunningWitness) -> None:
    tree = make_tree(12)
    assert witness.add(tree, 12, 0).status == 200
    claims_witness_size = witness.add(tree, 8, 12, proof=[])
    assert claims_witness_size.status == 400
    assert "old size 12 is beyond the checkpoint's size 8" in claims_witness_size.body
    own_size = witness.add(tree, 8, 8)
    assert (own_size.status, own_size.content_type, own_size.body) == (
        409, "text/x.tlog.size", "12\n")


def test_a_rewritten_log_of_the_same_size_is_refused(witness: RunningWitness) -> None:
    assert witness.add(make_tree(5), 5, 0).status == 200
    reply = witness.add(make_tree(5, changed=3), 5, 5)
    assert reply.status == 422
    assert "trees of the same size 5 have different roots" in reply.body


def test_a_rewritten_log_that_grew_is_refused(witness: RunningWitness) -> None:
    honest = make_tree(9)
    assert witness.add(honest, 5, 0).status == 200
    rewritten = make_tree(9, changed=2)
    reply = witness.add(rewritten, 9, 5)  # the rewritten log's own proof from 5
    assert reply.status == 422
    assert "does not match its expected root" in reply.body
    # The refusal changed nothing: the witness still holds size 5 of the honest log.
    assert witness.add(honest, 9, 5).status == 200


def test_an_inconsistent_proof_is_refused(witness: RunningWitness) -> None:
    tree = make_tree(9)
    assert witness.add(tree, 5, 0).status == 200
    proof = tree.consistency_proof(5, 9)
    proof[0] = sha256(b"forged").digest()
    assert witness.add(tree, 9, 5, proof=proof).status == 422
    assert witness.add(tree, 9, 5, proof=proof[:-1]).status == 422


def test_an_unknown_log_is_refused(witness: RunningWitness) -> None:
    other = Signer("other.test/log", bytes([8]) * 32)
    reply = witness.add(make_tree(3), 3, 0, signer=other)
    assert reply.status == 404
    assert "does not witness log other.test/log" in reply.body


def test_a_bad_log_signature_is_refused(witness: RunningWitness) -> None:
    impostor = Signer(ORIGIN, bytes([9]) * 32)  # the log's name, another key
    assert witness.add(make_tree(3), 3, 0, signer=impostor).status == 403
    note = sign_checkpoint(Checkpoint(ORIGIN, 3, make_tree(3).root()), LOG)
    altered = note.replace("\n3\n", "\n4\n", 1)  # signed by the log's key, text changed
    reply = witness.post(AddCheckpoint(0, (), altered).body())
    assert reply.status == 403
    assert "does not verify" in reply.body


def test_a_stale_old_size_gets_409_with_the_current_size(witness: RunningWitness) -> None:
    tree = make_tree(9)
    assert witness.add(tree, 5, 0).status == 200
    reply = witness.add(tree, 9, 0)
    assert (reply.status, reply.content_type, reply.body) == (409, "text/x.tlog.size", "5\n")
    assert witness.add(tree, 9, 3).body == "5\n"


def test_the_spec_s_422s_for_the_empty_tree(witness: RunningWitness) -> None:
    assert witness.add(make_tree(3), 3, 0, proof=[EMPTY_ROOT]).status == 422
    empty = sign_checkpoint(Checkpoint(ORIGIN, 0, sha256(b"not empty").digest()), LOG)
    assert witness.post(AddCheckpoint(0, (), empty).body()).status == 422
    zero = sign_checkpoint(Checkpoint(ORIGIN, 0, EMPTY_ROOT), LOG)
    assert witness.post(AddCheckpoint(0, (), zero).body()).status == 200


@pytest.mark.parametrize("body", [
    b"",
    b"old 01\n\n",
    b"old 3\nnot base64\n\n",
    b"old 0\n" + b"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n" * 64 + b"\n",
    b"old 0\n\ncontest.test/log\n3\n",
    b"\xff\n\n",
])
def test_a_malformed_request_gets_400(witness: RunningWitness, body: bytes) -> None:
    assert witness.post(body).status == 400


def test_only_add_checkpoint_is_posted_to(witness: RunningWitness) -> None:
    assert witness.post(b"old 0\n\n", path="/add-checkpoints").status == 404


def test_concurrent_requests_cannot_both_win(witness: RunningWitness) -> None:
    tree = make_tree(40)
    assert witness.add(tree, 5, 0).status == 200
    with ThreadPoolExecutor(max_workers=8) as pool:
        replies = list(pool.map(lambda size: witness.add(tree, size, 5), range(10, 40, 3)))
    winners = [size for size, reply in zip(range(10, 40, 3), replies, strict=True)
               if reply.status == 200]
    assert len(winners) == 1, [reply.status for reply in replies]
    assert {reply.body for reply in replies if reply.status != 200} == {f"{winners[0]}\n"}


def test_monitors_read_the_latest_cosigned_checkpoint(witness: RunningWitness) -> None:
    path = f"/{sha256(ORIGIN.encode()).hexdigest()}/checkpoint"
    assert witness.get(path).status == 404
    tree = make_tree(7)
    reply = witness.add(tree, 7, 0)
    served = witness.get(path)
    assert served.status == 200
    assert served.body == cosigned_note(tree, 7, reply)


def test_the_client_follows_a_409_to_the_witness_size(witness: RunningWitness) -> None:
    tree = make_tree(20)
    assert witness.add(tree, 6, 0).status == 200
    note = sign_checkpoint(Checkpoint(ORIGIN, 20, tree.root()), LOG)
    cosigned = request_cosignature(witness.url, note, old_size=0,
                                   consistency_proof=lambda old: tree.consistency_proof(old, 20),
                                   witness=witness.verifier)
    assert cosigned.cosignature.witness == "auditor.test/witness"
    assert verify_cosignatures(note + cosigned.lines, [witness.verifier])


def test_the_client_says_when_the_log_lost_entries(witness: RunningWitness) -> None:
    tree = make_tree(20)
    assert witness.add(tree, 20, 0).status == 200
    note = sign_checkpoint(Checkpoint(ORIGIN, 15, tree.root(15)), LOG)
    with pytest.raises(WitnessUnavailable, match="cosigned size 20 .* beyond this "
                                                 "checkpoint's size 15"):
        request_cosignature(witness.url, note, old_size=15,
                            consistency_proof=lambda old: tree.consistency_proof(old, 15),
                            witness=witness.verifier)


def test_init_refuses_to_replace_a_key(tmp_path: Path) -> None:
    key_file = tmp_path / "key"
    command = [str(CONTEST), "witness", "init", "--name", "w.test/1", "--key-file",
               str(key_file)]
    first = subprocess.run(command, capture_output=True, text=True, check=True)
    assert CosignatureVerifier.from_key(first.stdout.strip()).name == "w.test/1"
    assert key_file.stat().st_mode & 0o777 == 0o600
    second = subprocess.run(command, capture_output=True, text=True)
    assert second.returncode == 1
    assert "exists already" in second.stderr


def test_a_restarted_witness_remembers_what_it_cosigned(tmp_path: Path,
                                                        witness_key: WitnessKey) -> None:
    tree = make_tree(9)
    state = tmp_path / "witness.sqlite3"
    with running_witness(witness_key, state) as first:
        assert first.add(tree, 9, 0).status == 200
    with running_witness(witness_key, state) as second:
        assert second.add(make_tree(4), 4, 0).body == "9\n"  # no rollback after a restart
        assert second.add(tree, 9, 9).status == 200


def test_serve_refuses_a_malformed_log_key(tmp_path: Path, witness_key: WitnessKey) -> None:
    result = subprocess.run(
        [str(CONTEST), "witness", "serve", "--bind", "127.0.0.1:0", "--key-file",
         str(witness_key.path), "--state", str(tmp_path / "w.sqlite3"),
         "--log", f"{ORIGIN}={LOG.verifier_key()[:-4]}"], capture_output=True, text=True)
    assert result.returncode == 1
    assert "should hold 0x01 and a 32-byte Ed25519 key, got 30 bytes" in result.stderr
    assert "Traceback" not in result.stderr
