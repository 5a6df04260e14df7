"""Merkle trees of the public log and of a draw's frozen tickets: RFC 6962 §2.1 (= RFC 9162 §2.1).

The Merkle Tree Hash of n leaves splits at the largest power of two strictly less than n;
leaves are hashed as SHA-256(0x00 || leaf) and interior nodes as SHA-256(0x01 || left ||
right); the empty tree's hash is SHA-256 of the empty string.

:class:`MerkleTree` produces audit paths (RFC 9162 §2.1.3.1, ``PATH``) and consistency proofs
(§2.1.4.1, ``PROOF``/``SUBPROOF``) that match Certificate Transparency's byte for byte.
:func:`verify_inclusion` and :func:`verify_consistency` check them without a tree
(§2.1.3.2, §2.1.4.2) and say precisely what does not add up, so that anyone holding a signed
checkpoint can audit the log without trusting the server.
"""

from collections.abc import Iterable, Sequence
from hashlib import sha256

from contest.errors import OutOfRange, VerificationFailed
from contest.i18n import N_
from contest.ledger._subtrees import pair_up

HASH_SIZE = 32
EMPTY_ROOT = sha256(b"").digest()

_LEAF_PREFIX = b"\x00"
_NODE_PREFIX = b"\x01"


def leaf_hash(data: bytes) -> bytes:
    """SHA-256(0x00 || data): the hash of one leaf."""
    return sha256(_LEAF_PREFIX + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    """SHA-256(0x01 || left || right): the hash of an interior node."""
    return sha256(_NODE_PREFIX + left + right).digest()


def root_from_leaf_hashes(hashes: Sequence[bytes]) -> bytes:
    """The Merkle Tree Hash over leaves whose hashes are given, in order."""
    return pair_up(list(hashes)) if hashes else EMPTY_ROOT


def merkle_root(leaves: Iterable[bytes]) -> bytes:
    """The Merkle Tree Hash over ``leaves`` (their data, not their hashes)."""
    hash_ = sha256
    return root_from_leaf_hashes([hash_(b"\x00" + leaf).digest() for leaf in leaves])


def _largest_power_of_two_below(n: int) -> int:
    return 1 << ((n - 1).bit_length() - 1)


class MerkleTree:
    """An append-only Merkle tree over leaf hashes, with every complete subtree's hash cached.

    ``_levels[h][i]`` is the hash of the perfect subtree over leaves ``[i * 2**h, (i+1) * 2**h)``,
    so the hash of any subtree the RFC's recursion asks for costs O(log n) and a proof
    O(log² n) hashes at most, whatever the size.

    Leaf hashes come from :func:`leaf_hash` or the log's own rows, never from a person: one of
    another size is a bug and raises ``AssertionError`` (a 500, logged). What a person does
    ask for, a proof's index and sizes, is checked with :class:`OutOfRange`.
    """

    def __init__(self, leaf_hashes: Iterable[bytes] = ()) -> None:
        level = list(leaf_hashes)
        wrong = next((i for i, h in enumerate(level) if len(h) != HASH_SIZE), None)
        if wrong is not None:
            raise AssertionError(f"leaf hash {wrong} has {len(level[wrong])} bytes, "
                                 f"expected {HASH_SIZE}")
        self._levels: list[list[bytes]] = [level]
        hash_ = sha256
        while len(level) > 1:
            level = [hash_(b"\x01" + level[i] + level[i + 1]).digest()
                     for i in range(0, len(level) - 1, 2)]
            self._levels.append(level)

    @property
    def size(self) -> int:
        """The number of leaves."""
        return len(self._levels[0])

    def append(self, leaf_hash: bytes) -> int:
        """Add a leaf hash at the end; returns its index."""
        if len(leaf_hash) != HASH_SIZE:
            raise AssertionError(f"leaf hash has {len(leaf_hash)} bytes, expected {HASH_SIZE}")
        levels = self._levels
        levels[0].append(leaf_hash)
        height = 0
        while len(levels[height]) % 2 == 0:
            below = levels[height]
            if height + 1 == len(levels):
                levels.append([])
            levels[height + 1].append(node_hash(below[-2], below[-1]))
            height += 1
        return self.size - 1

    def leaf_hash(self, index: int) -> bytes:
        return self._levels[0][index]

    def root(self, size: int | None = None) -> bytes:
        """The Merkle Tree Hash of the first ``size`` leaves (default: all of them)."""
        size = self.size if size is None else size
        self._check_size(size)
        return self._subtree(0, size)

    def inclusion_proof(self, index: int, size: int) -> list[bytes]:
        """The audit path of leaf ``index`` in the tree of the first ``size`` leaves
        (RFC 9162 §2.1.3.1 ``PATH(m, D[n])``), nearest the leaf first."""
        self._check_size(size)
        if not 0 <= index < size:
            raise OutOfRange(N_("need 0 ≤ index < size, got index {index}, size {size}"),
                             {"index": index, "size": size})
        path: list[bytes] = []
        start, end = 0, size
        while end - start > 1:
            k = _largest_power_of_two_below(end - start)
            if index < start + k:
                path.append(self._subtree(start + k, end))
                end = start + k
            else:
                path.append(self._subtree(start, start + k))
                start += k
        path.reverse()
        return path

    def consistency_proof(self, size1: int, size2: int) -> list[bytes]:
        """The proof that the tree of ``size1`` leaves is a prefix of the tree of ``size2``
        (RFC 9162 §2.1.4.1 ``PROOF(m, D[n])``); empty when there is nothing to prove
        (``size1`` is 0 or equals ``size2``)."""
        self._check_size(size2)
        if not 0 <= size1 <= size2:
            raise OutOfRange(N_("need 0 ≤ size1 ≤ size2, got size1 {size1}, size2 {size2}"),
                             {"size1": size1, "size2": size2})
        if size1 == 0 or size1 == size2:
            return []
        proof: list[bytes] = []
        start, end, whole = 0, size2, True
        m = size1
        # SUBPROOF(m, D[start:end], whole), unrolled: each step adds one sibling.
        while m != end - start:
            k = _largest_power_of_two_below(end - start)
            if m <= k:
                proof.append(self._subtree(start + k, end))
                end = start + k
            else:
                proof.append(self._subtree(start, start + k))
                start += k
                m -= k
                whole = False
        if not whole:
            proof.append(self._subtree(start, end))
        proof.reverse()
        return proof

    def _check_size(self, size: int) -> None:
        if not 0 <= size <= self.size:
            raise OutOfRange(N_("tree size {size} is beyond the {leaves} leaves held"),
                             {"size": size, "leaves": self.size})

    def _subtree(self, start: int, end: int) -> bytes:
        """MTH(D[start:end]) for a range the RFC's recursion visits: ``start`` is a multiple
        of the smallest power of two not below ``end - start``."""
        n = end - start
        if n == 0:
            return EMPTY_ROOT
        if n & (n - 1) == 0:
            height = n.bit_length() - 1
            return self._levels[height][start >> height]
        k = _largest_power_of_two_below(n)
        return node_hash(self._subtree(start, start + k), self._subtree(start + k, end))


def inclusion_proof_length(index: int, size: int) -> int:
    """How many hashes the audit path of leaf ``index`` in a tree of ``size`` leaves has."""
    inner = (index ^ (size - 1)).bit_length()
    return inner + (index >> inner).bit_count()


def consistency_proof_length(size1: int, size2: int) -> int:
    """How many hashes a consistency proof from ``size1`` to ``size2`` has (0 < size1 < size2)."""
    fork = ((size1 - 1) ^ (size2 - 1)).bit_length()
    border = ((size1 - 1) >> fork).bit_count()
    shift = (size1 & -size1).bit_length() - 1
    seed = 0 if size1 == 1 << shift else 1
    return seed + fork - shift + border


def verify_inclusion(leaf_hash: bytes, index: int, size: int, proof: Sequence[bytes],
                     root: bytes) -> None:
    """Check that ``leaf_hash`` is leaf ``index`` of the tree of ``size`` leaves whose hash is
    ``root`` (RFC 9162 §2.1.3.2); raises :class:`VerificationFailed` saying what is wrong."""
    if index < 0 or size < 0:
        raise VerificationFailed(N_("index {index} and size {size} must not be negative"),
                                 {"index": index, "size": size})
    if index >= size:
        raise VerificationFailed(N_("index {index} is beyond tree size {size}"),
                                 {"index": index, "size": size})
    _check_hash(N_("leaf hash has {got} bytes, expected {expected}"), leaf_hash)
    expected = inclusion_proof_length(index, size)
    if len(proof) != expected:
        raise VerificationFailed(N_("inclusion proof has {got} hashes, expected {expected}"),
                                 {"got": len(proof), "expected": expected})
    _check_proof_hashes(proof)
    fn, sn, r = index, size - 1, leaf_hash
    for p in proof:
        if sn == 0:  # pragma: no cover - the length check above rules this out
            raise VerificationFailed(N_("inclusion proof is longer than the path to the root"))
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            while fn and not fn & 1:
                fn >>= 1
                sn >>= 1
        else:
            r = node_hash(r, p)
        fn >>= 1
        sn >>= 1
    if r != root:
        raise VerificationFailed(
            N_("computed root {computed} does not match the expected root {expected}"),
            {"computed": r.hex(), "expected": root.hex()})


def verify_consistency(size1: int, size2: int, proof: Sequence[bytes], root1: bytes,
                       root2: bytes) -> None:
    """Check that the tree of ``size1`` leaves with hash ``root1`` is a prefix of the tree of
    ``size2`` leaves with hash ``root2`` (RFC 9162 §2.1.4.2).

    RFC 9162 assumes 0 < size1 < size2; the edges are settled here as follows. Equal sizes
    need an empty proof and equal roots. Every tree extends the empty one, so from size 0
    the proof must be empty, ``root1`` must be the empty tree's hash and ``root2`` a hash.
    """
    if size1 < 0 or size2 < 0:
        raise VerificationFailed(N_("tree sizes {size1} and {size2} must not be negative"),
                                 {"size1": size1, "size2": size2})
    if size1 > size2:
        raise VerificationFailed(N_("the earlier tree size {size1} is beyond the later {size2}"),
                                 {"size1": size1, "size2": size2})
    if size1 == 0 or size1 == size2:
        if proof:
            raise VerificationFailed(
                N_("consistency proof from size {size1} to {size2} has {got} hashes, "
                   "expected 0"), {"size1": size1, "size2": size2, "got": len(proof)})
        if size1 == 0 and root1 != EMPTY_ROOT:
            raise VerificationFailed(
                N_("the empty tree's root is {expected}, got {got}"),
                {"expected": EMPTY_ROOT.hex(), "got": root1.hex()})
        if size1 == 0 and size2 > 0:
            _check_hash(N_("root hash has {got} bytes, expected {expected}"), root2)
        elif root1 != root2:
            raise VerificationFailed(
                N_("trees of the same size {size} have different roots {root1} and {root2}"),
                {"size": size1, "root1": root1.hex(), "root2": root2.hex()})
        return
    expected = consistency_proof_length(size1, size2)
    if len(proof) != expected:
        raise VerificationFailed(N_("consistency proof has {got} hashes, expected {expected}"),
                                 {"got": len(proof), "expected": expected})
    _check_proof_hashes(proof)
    path = list(proof)
    if size1 & (size1 - 1) == 0:
        path.insert(0, root1)
    fn, sn = size1 - 1, size2 - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:  # pragma: no cover - the length check above rules this out
            raise VerificationFailed(N_("consistency proof is longer than the path to the root"))
        if fn & 1 or fn == sn:
            fr = node_hash(c, fr)
            sr = node_hash(c, sr)
            while fn and not fn & 1:
                fn >>= 1
                sn >>= 1
        else:
            sr = node_hash(sr, c)
        fn >>= 1
        sn >>= 1
    if fr != root1:
        raise VerificationFailed(
            N_("computed root {computed} of the tree of size {size} does not match its "
               "expected root {expected}"),
            {"computed": fr.hex(), "size": size1, "expected": root1.hex()})
    if sr != root2:
        raise VerificationFailed(
            N_("computed root {computed} of the tree of size {size} does not match its "
               "expected root {expected}"),
            {"computed": sr.hex(), "size": size2, "expected": root2.hex()})


def _check_hash(message: str, value: bytes) -> None:
    if len(value) != HASH_SIZE:
        raise VerificationFailed(message, {"got": len(value), "expected": HASH_SIZE})


def _check_proof_hashes(proof: Sequence[bytes]) -> None:
    for position, value in enumerate(proof):
        if len(value) != HASH_SIZE:
            raise VerificationFailed(
                N_("proof hash {position} has {got} bytes, expected {expected}"),
                {"position": position, "got": len(value), "expected": HASH_SIZE})


class CompactRange:
    """The right edge of an RFC 6962 tree: the roots of its perfect subtrees, largest (the
    leftmost) first — one for each bit set in its size. Enough to append leaves and compute
    the root without the leaves before (what the log keeps with each checkpoint so that a
    batch of new leaves costs O(batch + log n) hashes, not a rebuild of the tree).
    """

    def __init__(self, size: int = 0, edge: Sequence[bytes] = ()) -> None:
        if len(edge) != size.bit_count():
            raise AssertionError(f"a tree of {size} leaves has {size.bit_count()} subtree "
                                 f"roots on its edge, got {len(edge)}")
        _check_proof_hashes(edge)
        self.size = size
        self.edge = list(edge)

    def append(self, leaf_hash: bytes) -> None:
        """Add one leaf (its hash): merge the equal-sized subtrees it completes."""
        node, size = leaf_hash, self.size
        while size & 1:
            node = node_hash(self.edge.pop(), node)
            size >>= 1
        self.edge.append(node)
        self.size += 1

    def root(self) -> bytes:
        """The Merkle Tree Hash of the tree (RFC 6962 splits at the largest power of two, so
        the edge folds from the right)."""
        if not self.edge:
            return EMPTY_ROOT
        node = self.edge[-1]
        for left in reversed(self.edge[:-1]):
            node = node_hash(left, node)
        return node

    def text(self) -> str:
        """The edge as stored: the roots in hex, space-separated."""
        return " ".join(node.hex() for node in self.edge)

    @classmethod
    def parse(cls, size: int, text: str) -> "CompactRange":
        """The edge :meth:`text` stored for a tree of ``size`` leaves. Stored text is read
        back by the log's own code: text that does not parse is a fault of ours or of someone
        who wrote to the database (``ValueError``; the caller rebuilds from the leaves)."""
        nodes = [bytes.fromhex(part) for part in text.split()]
        if len(nodes) != size.bit_count() or any(len(node) != HASH_SIZE for node in nodes):
            raise ValueError(f"not the edge of a tree of {size} leaves")
        return cls(size, nodes)
