"""Benchmark of the RFC 6962 Merkle tree on a large draw: prints figures, asserts nothing.

Run: ``.venv/bin/python bench/merkle.py [tickets]`` (default 1,000,000 tickets of 32
lowercase hex characters, sorted, as a frozen draw holds them).
"""

import secrets
import sys
import time
from hashlib import sha256

from contest.ledger.merkle import MerkleTree, leaf_hash, merkle_root, verify_inclusion


def main(count: int = 1_000_000) -> None:
    tickets = sorted(secrets.token_hex(16).encode("ascii") for _ in range(count))

    # The floor on this machine: the SHA-256 calls alone (n leaves + n - 1 nodes, 65 bytes).
    started = time.perf_counter()
    for ticket in tickets:
        sha256(ticket).digest()
    pair = bytes(65)
    for _ in range(count - 1):
        sha256(pair).digest()
    floor = time.perf_counter() - started
    print(f"{2 * count - 1:,} bare hashlib.sha256 calls {floor:.3f} s")

    started = time.perf_counter()
    root = merkle_root(tickets)
    hashed = time.perf_counter() - started
    print(f"{count:,} tickets: leaf hashing + root {hashed:.3f} s  root {root.hex()}")

    started = time.perf_counter()
    tree = MerkleTree([leaf_hash(ticket) for ticket in tickets])
    built = time.perf_counter() - started
    assert tree.root() == root
    print(f"MerkleTree (leaf hashing + every subtree cached) {built:.3f} s")

    index = count * 2 // 3
    started = time.perf_counter()
    proof = tree.inclusion_proof(index, count)
    proved = time.perf_counter() - started
    started = time.perf_counter()
    verify_inclusion(tree.leaf_hash(index), index, count, proof, root)
    verified = time.perf_counter() - started
    print(f"inclusion proof of leaf {index:,} ({len(proof)} hashes) {proved * 1000:.2f} ms, "
          f"verification {verified * 1000:.2f} ms")

    started = time.perf_counter()
    consistency = tree.consistency_proof(count // 3 + 1, count)
    print(f"consistency proof {count // 3 + 1:,} -> {count:,} ({len(consistency)} hashes) "
          f"{(time.perf_counter() - started) * 1000:.2f} ms")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000)
