"""RFC 6962 subtree hashing with nothing but hashlib, so a helper process starts quickly.

:mod:`contest.ledger.bulk` runs this module as a child process
(``python -m contest.ledger._subtrees WIDTH RUN``): it reads fixed-width leaves on standard
input and writes the Merkle Tree Hash of every run of ``RUN`` leaves, 32 bytes each, in order,
hashing each run as soon as it has arrived.
"""

import sys

# CPython's own SHA-256 costs less per call than OpenSSL's for inputs of 33 and 65 bytes
# (about a quarter less: bench/merkle.py); the digests are the same, of course.
try:
    from _sha256 import sha256  # CPython 3.11
except ImportError:
    try:
        from _sha2 import sha256  # CPython 3.12 and later
    except ImportError:
        from hashlib import sha256


def pair_up(level: list[bytes]) -> bytes:
    """The root over node hashes: pair neighbours level by level, carrying an odd last node
    up unchanged, which equals RFC 6962's recursive split (the tree is filled from the left)."""
    hash_ = sha256
    while len(level) > 1:
        upper = [hash_(b"\x01" + level[i] + level[i + 1]).digest()
                 for i in range(0, len(level) - 1, 2)]
        if len(level) & 1:
            upper.append(level[-1])
        level = upper
    return level[0]


def records_root(blob: bytes, width: int) -> bytes:
    """The Merkle Tree Hash over the leaves ``blob[0:width]``, ``blob[width:2*width]``, …"""
    hash_ = sha256
    return pair_up([hash_(b"\x00" + blob[i:i + width]).digest()
                    for i in range(0, len(blob), width)])


def run_roots(blob: bytes, width: int, run: int) -> bytes:
    """The roots of each run of ``run`` leaves (the last may be shorter), concatenated."""
    step = width * run
    return b"".join(records_root(blob[start:start + step], width)
                    for start in range(0, len(blob), step))


def main() -> None:
    width, run = int(sys.argv[1]), int(sys.argv[2])
    while block := sys.stdin.buffer.read(width * run):
        sys.stdout.buffer.write(records_root(block, width))


if __name__ == "__main__":
    main()
