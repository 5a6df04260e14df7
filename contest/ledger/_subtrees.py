"""RFC 6962 subtree hashing with nothing but hashlib, so a helper process starts quickly.

:func:`contest.ledger.merkle.records_merkle_root` runs this module as a child process
(``python -m contest.ledger._subtrees WIDTH RUN``): it reads fixed-width leaves on standard
input and writes the Merkle Tree Hash of every run of ``RUN`` leaves, 32 bytes each, in order.
A child process rather than :mod:`multiprocessing`, so callers need no ``__main__`` guard and
threaded servers are never forked.
"""

import sys
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


if __name__ == "__main__":
    sys.stdout.buffer.write(run_roots(sys.stdin.buffer.read(), int(sys.argv[1]),
                                      int(sys.argv[2])))
