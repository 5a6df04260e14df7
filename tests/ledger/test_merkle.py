"""RFC 6962 / RFC 9162 Merkle trees: published vectors, transparency-dev/merkle's test data,
and every proof of many tree sizes checked against a literal transcription of the RFC."""

import base64
import json
import random
from collections.abc import Callable, Sequence
from functools import cache
from hashlib import sha256
from pathlib import Path
from typing import Any

import pytest

from contest.errors import OutOfRange, VerificationFailed
from contest.ledger.bulk import PARALLEL_FROM, records_merkle_root
from contest.ledger.merkle import (
    EMPTY_ROOT,
    MerkleTree,
    consistency_proof_length,
    inclusion_proof_length,
    leaf_hash,
    merkle_root,
    node_hash,
    root_from_leaf_hashes,
    verify_consistency,
    verify_inclusion,
)

VECTORS = Path(__file__).parent / "vectors"
RFC6962 = json.loads((VECTORS / "rfc6962.json").read_text())
LEAVES = [bytes.fromhex(leaf) for leaf in RFC6962["leaves_hex"]]
HASHES = [leaf_hash(leaf) for leaf in LEAVES]
ROOTS = {0: bytes.fromhex(RFC6962["empty_root"])} | {
    int(size): bytes.fromhex(root) for size, root in RFC6962["roots"].items()}


def _cases(kind: str) -> list[dict[str, Any]]:
    cases: list[dict[str, Any]] = json.loads(
        (VECTORS / f"transparency-dev-{kind}.json").read_text())["cases"]
    return cases


def _b64(text: str) -> bytes:
    return base64.b64decode(text)


class Reference:
    """RFC 9162 §2.1.1, §2.1.3.1 and §2.1.4.1 transcribed literally (recursive, slow)."""

    def __init__(self, hashes: Sequence[bytes]) -> None:
        self.hashes = list(hashes)
        self.mth = cache(self._mth)

    def _mth(self, start: int, end: int) -> bytes:
        n = end - start
        if n == 0:
            return sha256(b"").digest()
        if n == 1:
            return self.hashes[start]
        k = 1
        while k * 2 < n:
            k *= 2
        return node_hash(self.mth(start, start + k), self.mth(start + k, end))

    def path(self, m: int, start: int, end: int) -> list[bytes]:
        n = end - start
        if n <= 1:
            return []
        k = 1
        while k * 2 < n:
            k *= 2
        if m < k:
            return self.path(m, start, start + k) + [self.mth(start + k, end)]
        return self.path(m - k, start + k, end) + [self.mth(start, start + k)]

    def subproof(self, m: int, start: int, end: int, whole: bool) -> list[bytes]:
        n = end - start
        if m == n:
            return [] if whole else [self.mth(start, end)]
        k = 1
        while k * 2 < n:
            k *= 2
        if m <= k:
            return self.subproof(m, start, start + k, whole) + [self.mth(start + k, end)]
        return self.subproof(m - k, start + k, end, False) + [self.mth(start, start + k)]


def random_hashes(count: int, seed: int) -> list[bytes]:
    rng = random.Random(seed)
    return [leaf_hash(rng.randbytes(rng.randrange(0, 40))) for _ in range(count)]


def _fails(check: Callable[..., None], *arguments: Any) -> bool:
    try:
        check(*arguments)
    except VerificationFailed:
        return True
    return False


# --- RFC 6962 vectors --------------------------------------------------------------------

@pytest.mark.parametrize("size", range(9))
def test_roots_of_the_first_n_test_leaves_match_the_published_ones(size: int) -> None:
    assert merkle_root(LEAVES[:size]) == ROOTS[size]
    assert root_from_leaf_hashes(HASHES[:size]) == ROOTS[size]
    assert MerkleTree(HASHES[:size]).root() == ROOTS[size]
    assert MerkleTree(HASHES).root(size) == ROOTS[size]


def test_the_empty_tree_hashes_to_sha256_of_nothing() -> None:
    assert EMPTY_ROOT.hex() == RFC6962["empty_root"] == sha256(b"").hexdigest()
    assert MerkleTree().root() == merkle_root([]) == EMPTY_ROOT


def test_leaves_and_nodes_are_domain_separated() -> None:
    assert leaf_hash(b"") == sha256(b"\x00").digest()
    assert node_hash(b"L" * 32, b"R" * 32) == sha256(b"\x01" + b"L" * 32 + b"R" * 32).digest()
    assert merkle_root([b"a", b"b"]) != leaf_hash(b"a" + b"b")


@pytest.mark.parametrize(("count", "workers"), [
    (0, 2), (1, 2), (7, 1), (PARALLEL_FROM - 1, 2), (PARALLEL_FROM, 2),
    (PARALLEL_FROM + 12_345, 2), (PARALLEL_FROM * 2 + 1, 3)])
def test_fixed_width_leaves_give_the_same_root_on_several_processes(count: int,
                                                                     workers: int) -> None:
    draw = random.Random(count)
    leaves = [f"{draw.getrandbits(128):032x}".encode("ascii") for _ in range(count)]
    assert records_merkle_root(b"".join(leaves), 32, workers=workers) == merkle_root(leaves)


def test_leaves_of_another_width_are_a_bug() -> None:
    """The records are tickets our own code has checked: a width that does not fit is a bug
    (a 500, logged), not a person's malformed request."""
    with pytest.raises(AssertionError, match="33 bytes do not split into leaves of 32 bytes"):
        records_merkle_root(b"x" * 33, 32)


@pytest.mark.parametrize("vector", RFC6962["inclusion_proofs"],
                         ids=lambda v: f"leaf{v['leaf_index']}-of-{v['tree_size']}")
def test_inclusion_proofs_are_the_published_ones_and_verify(vector: dict[str, Any]) -> None:
    index, size = vector["leaf_index"], vector["tree_size"]
    proof = MerkleTree(HASHES).inclusion_proof(index, size)
    assert [h.hex() for h in proof] == vector["proof"]
    verify_inclusion(HASHES[index], index, size, proof, ROOTS[size])


@pytest.mark.parametrize("vector", RFC6962["consistency_proofs"],
                         ids=lambda v: f"{v['size1']}-to-{v['size2']}")
def test_consistency_proofs_are_the_published_ones_and_verify(vector: dict[str, Any]) -> None:
    size1, size2 = vector["size1"], vector["size2"]
    proof = MerkleTree(HASHES).consistency_proof(size1, size2)
    assert [h.hex() for h in proof] == vector["proof"]
    verify_consistency(size1, size2, proof, ROOTS[size1], ROOTS[size2])


# --- transparency-dev/merkle test data ----------------------------------------------------

@pytest.mark.parametrize("case", _cases("inclusion"), ids=lambda c: c["file"][18:])
def test_transparency_dev_inclusion_vectors(case: dict[str, Any]) -> None:
    proof = [_b64(h) for h in case["proof"] or []]
    failed = _fails(verify_inclusion, _b64(case["leafHash"]), case["leafIdx"],
                    case["treeSize"], proof, _b64(case["root"]))
    assert failed == case["wantErr"]


@pytest.mark.parametrize("case", _cases("consistency"), ids=lambda c: c["file"][20:])
def test_transparency_dev_consistency_vectors(case: dict[str, Any]) -> None:
    proof = [_b64(h) for h in case["proof"] or []]
    failed = _fails(verify_consistency, case["size1"], case["size2"], proof,
                    _b64(case["root1"]), _b64(case["root2"]))
    assert failed == case["wantErr"]


def test_transparency_dev_vectors_cover_both_outcomes() -> None:
    for kind in ("inclusion", "consistency"):
        cases = _cases(kind)
        assert len(cases) > 90
        assert sum(not case["wantErr"] for case in cases) >= 5


# --- precise messages --------------------------------------------------------------------

def test_inclusion_failures_say_expected_and_got() -> None:
    proof = MerkleTree(HASHES).inclusion_proof(5, 8)
    with pytest.raises(VerificationFailed, match="inclusion proof has 2 hashes, expected 3"):
        verify_inclusion(HASHES[5], 5, 8, proof[:2], ROOTS[8])
    with pytest.raises(VerificationFailed, match="index 9 is beyond tree size 8"):
        verify_inclusion(HASHES[5], 9, 8, proof, ROOTS[8])
    with pytest.raises(VerificationFailed,
                       match=f"computed root {ROOTS[8].hex()} does not match the expected root "
                             f"{ROOTS[7].hex()}"):
        verify_inclusion(HASHES[5], 5, 8, proof, ROOTS[7])
    with pytest.raises(VerificationFailed, match="proof hash 1 has 31 bytes, expected 32"):
        verify_inclusion(HASHES[5], 5, 8, [proof[0], proof[1][:31], proof[2]], ROOTS[8])
    with pytest.raises(VerificationFailed, match="leaf hash has 5 bytes, expected 32"):
        verify_inclusion(b"hello", 5, 8, proof, ROOTS[8])


def test_consistency_failures_say_expected_and_got() -> None:
    proof = MerkleTree(HASHES).consistency_proof(6, 8)
    with pytest.raises(VerificationFailed, match="consistency proof has 4 hashes, expected 3"):
        verify_consistency(6, 8, [*proof, ROOTS[8]], ROOTS[6], ROOTS[8])
    with pytest.raises(VerificationFailed, match="earlier tree size 8 is beyond the later 6"):
        verify_consistency(8, 6, proof, ROOTS[8], ROOTS[6])
    with pytest.raises(VerificationFailed,
                       match=f"computed root {ROOTS[6].hex()} of the tree of size 6 does not "
                             f"match its expected root {ROOTS[5].hex()}"):
        verify_consistency(6, 8, proof, ROOTS[5], ROOTS[8])
    with pytest.raises(VerificationFailed, match="of the tree of size 8 does not match"):
        verify_consistency(6, 8, proof, ROOTS[6], ROOTS[7])


def test_edges_of_consistency() -> None:
    verify_consistency(8, 8, [], ROOTS[8], ROOTS[8])
    verify_consistency(0, 0, [], EMPTY_ROOT, EMPTY_ROOT)
    verify_consistency(0, 8, [], EMPTY_ROOT, ROOTS[8])
    with pytest.raises(VerificationFailed, match="same size 8 have different roots"):
        verify_consistency(8, 8, [], ROOTS[8], ROOTS[7])
    with pytest.raises(VerificationFailed, match="from size 8 to 8 has 1 hashes, expected 0"):
        verify_consistency(8, 8, [ROOTS[8]], ROOTS[8], ROOTS[8])
    with pytest.raises(VerificationFailed, match="the empty tree's root is e3b0c442"):
        verify_consistency(0, 8, [], ROOTS[1], ROOTS[8])
    with pytest.raises(VerificationFailed, match="root hash has 3 bytes, expected 32"):
        verify_consistency(0, 8, [], EMPTY_ROOT, b"abc")
    with pytest.raises(VerificationFailed, match="from size 0 to 8 has 1 hashes, expected 0"):
        verify_consistency(0, 8, [ROOTS[8]], EMPTY_ROOT, ROOTS[8])
    assert MerkleTree(HASHES).consistency_proof(0, 8) == []
    assert MerkleTree(HASHES).consistency_proof(8, 8) == []


def test_a_single_leaf_is_its_own_root_with_an_empty_proof() -> None:
    tree = MerkleTree(HASHES[:1])
    assert tree.inclusion_proof(0, 1) == []
    verify_inclusion(HASHES[0], 0, 1, [], ROOTS[1])
    with pytest.raises(VerificationFailed, match="index 0 is beyond tree size 0"):
        verify_inclusion(HASHES[0], 0, 0, [], EMPTY_ROOT)
    with pytest.raises(VerificationFailed, match="must not be negative"):
        verify_inclusion(HASHES[0], -1, 1, [], ROOTS[1])


# --- the tree ------------------------------------------------------------------------------

def test_appending_gives_the_same_tree_as_building_at_once() -> None:
    hashes = random_hashes(140, seed=1)
    grown = MerkleTree()
    for size, value in enumerate(hashes, start=1):
        assert grown.append(value) == size - 1
        assert grown.size == size
        assert grown.root() == MerkleTree(hashes[:size]).root() == root_from_leaf_hashes(
            hashes[:size])
    built = MerkleTree(hashes)
    for size in (1, 2, 3, 63, 64, 65, 140):
        assert grown.root(size) == built.root(size)
        assert grown.inclusion_proof(size - 1, size) == built.inclusion_proof(size - 1, size)
        assert grown.consistency_proof(size // 3, size) == built.consistency_proof(size // 3,
                                                                                   size)


def test_out_of_range_requests_are_refused() -> None:
    tree = MerkleTree(HASHES)
    with pytest.raises(OutOfRange, match="tree size 9 is beyond the 8 leaves held"):
        tree.root(9)
    with pytest.raises(OutOfRange, match="need 0 ≤ index < size, got index 8, size 8"):
        tree.inclusion_proof(8, 8)
    with pytest.raises(OutOfRange, match="need 0 ≤ size1 ≤ size2, got size1 5, size2 4"):
        tree.consistency_proof(5, 4)


def test_a_leaf_hash_of_another_size_is_a_bug() -> None:
    """Leaf hashes come from :func:`leaf_hash` (or the log's own rows), never from a person:
    a wrong size is our mistake (a 500, logged), not a 422."""
    with pytest.raises(AssertionError, match="leaf hash 1 has 3 bytes, expected 32"):
        MerkleTree([HASHES[0], b"abc"])
    with pytest.raises(AssertionError, match="leaf hash has 0 bytes, expected 32"):
        MerkleTree(HASHES).append(b"")


@pytest.mark.parametrize("size", range(0, 70))
def test_proof_lengths_follow_from_index_and_size(size: int) -> None:
    reference = Reference(random_hashes(size, seed=size))
    for index in range(size):
        assert inclusion_proof_length(index, size) == len(reference.path(index, 0, size))
    for size1 in range(1, size):
        assert consistency_proof_length(size1, size) == len(
            reference.subproof(size1, 0, size, True))


def test_every_proof_between_sizes_up_to_64_matches_the_rfc_and_verifies() -> None:
    hashes = random_hashes(64, seed=64)
    tree, reference = MerkleTree(hashes), Reference(hashes)
    for size2 in range(0, 65):
        root2 = reference.mth(0, size2)
        assert tree.root(size2) == root2
        for index in range(size2):
            proof = tree.inclusion_proof(index, size2)
            assert proof == reference.path(index, 0, size2)
            verify_inclusion(hashes[index], index, size2, proof, root2)
        for size1 in range(0, size2 + 1):
            proof = tree.consistency_proof(size1, size2)
            expected = [] if size1 in (0, size2) else reference.subproof(size1, 0, size2, True)
            assert proof == expected
            verify_consistency(size1, size2, proof, reference.mth(0, size1), root2)


# --- property: random sizes, every proof verifies, every corruption fails -----------------

SIZES = sorted({1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 32, 33, 255, 256, 257, 300}
               | set(random.Random(6962).sample(range(1, 301), 8)))


def _flip(value: bytes) -> bytes:
    return bytes([value[0] ^ 0x08]) + value[1:]


def proof_corruptions(proof: list[bytes], garbage: bytes) -> list[tuple[str, list[bytes]]]:
    """One hash changed, one omitted, one extra: each should make the proof fail."""
    cases = [(f"hash {i} changed", proof[:i] + [_flip(h)] + proof[i + 1:])
             for i, h in enumerate(proof)]
    cases += [(f"hash {i} omitted", proof[:i] + proof[i + 1:]) for i in range(len(proof))]
    cases += [("extra hash at the end", [*proof, garbage]),
              ("extra hash at the start", [garbage, *proof])]
    return cases


@pytest.mark.parametrize("size", SIZES)
def test_every_inclusion_proof_verifies_and_every_corruption_fails(size: int) -> None:
    hashes = random_hashes(size, seed=size)
    tree, reference = MerkleTree(hashes), Reference(hashes)
    root = tree.root()
    assert root == reference.mth(0, size)
    bigger = MerkleTree(hashes + random_hashes(size, seed=-size))
    accepted: list[str] = []
    for index in range(size):
        proof = tree.inclusion_proof(index, size)
        assert proof == reference.path(index, 0, size)
        verify_inclusion(hashes[index], index, size, proof, root)
        if size > 40 and index % 7:
            continue  # corruptions of a sample are enough for big trees
        cases = [(name, index, size, bad, root)
                 for name, bad in proof_corruptions(proof, garbage=root)]
        cases += [(f"index {other}", other, size, proof, root)
                  for other in {index - 1, index + 1, index ^ 2} - {index} if 0 <= other < size]
        # A wrong size is caught against that size's root, as a verifier takes both from the
        # same signed checkpoint; with the root of the right size, a wrong size can pass.
        cases += [(f"size {other}", index, other, proof, bigger.root(other))
                  for other in {size - 1, size + 1, size * 2, size // 2} if other > index]
        cases += [("other leaf", index, size, proof, root)]
        for name, at, of, bad, expected_root in cases:
            leaf = _flip(hashes[index]) if name == "other leaf" else hashes[index]
            if not _fails(verify_inclusion, leaf, at, of, bad, expected_root):
                accepted.append(f"leaf {index}: {name}")
    assert accepted == []


@pytest.mark.parametrize("size2", SIZES)
def test_every_consistency_proof_verifies_and_every_corruption_fails(size2: int) -> None:
    hashes = random_hashes(size2, seed=size2)
    tree, reference = MerkleTree(hashes), Reference(hashes)
    bigger = MerkleTree(hashes + random_hashes(size2, seed=-size2))
    root2 = tree.root()
    accepted: list[str] = []
    for size1 in range(0, size2 + 1):
        root1 = tree.root(size1)
        proof = tree.consistency_proof(size1, size2)
        if 0 < size1 < size2:
            assert proof == reference.subproof(size1, 0, size2, True)
        verify_consistency(size1, size2, proof, root1, root2)
        if size1 in (0, size2) or (size2 > 40 and size1 % 7):
            continue
        cases = [(name, size1, size2, bad, root1, root2)
                 for name, bad in proof_corruptions(proof, garbage=root2)]
        cases += [("size1 - 1", size1 - 1, size2, proof, bigger.root(size1 - 1), root2),
                  ("size1 + 1", size1 + 1, size2, proof, bigger.root(size1 + 1), root2),
                  ("size2 + 1", size1, size2 + 1, proof, root1, bigger.root(size2 + 1)),
                  ("size2 * 2", size1, size2 * 2, proof, root1, bigger.root(size2 * 2)),
                  ("swapped roots", size1, size2, proof, root2, root1),
                  ("other root1", size1, size2, proof, _flip(root1), root2),
                  ("other root2", size1, size2, proof, root1, _flip(root2))]
        for name, first, second, bad, expected1, expected2 in cases:
            if not _fails(verify_consistency, first, second, bad, expected1, expected2):
                accepted.append(f"{size1} to {size2}: {name}")
    assert accepted == []
