"""The draw protocol ``contest-draw/1``, byte for byte as ``docs/PROTOCOL.md`` states it.

Given the rules' SHA-256, the entries root (RFC 6962 over the sorted eligible tickets) and
the public random value, everything else is determined::

    seed     = SHA-256("contest-draw/1" || rules_sha256 || entries_root || value)
    block j  = SHA-256(seed || uint64_be(j)), read as four big-endian uint64, in order
    uniform(n): next x; while x >= 2^64 - (2^64 mod n): next x; return x mod n
    for k in 0 .. W+A-1:  j = k + uniform(N - k); swap tickets[k], tickets[j]
    winners = tickets[0:W], alternates = tickets[W:W+A]

With fewer eligible tickets than W + A, the loop stops at N: every ticket is placed.
"""

import hashlib
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import islice
from operator import lt

from contest.ledger.bulk import records_merkle_root, streamed_merkle_root
from contest.ledger.merkle import merkle_root

PROTOCOL = "contest-draw/1"
TICKET = re.compile(r"[0-9a-f]{32}")
TICKET_WIDTH = 32
_TWO_64 = 1 << 64


def entries_root(tickets: Sequence[str]) -> bytes:
    """The RFC 6962 root over the ASCII bytes of each ticket, in the order given.

    Tickets of one width (as :data:`TICKET`'s always are) go to
    :func:`~contest.ledger.bulk.records_merkle_root`, which spreads a million of them over
    the machine's cores.
    """
    widths = {len(ticket) for ticket in tickets}
    if len(widths) == 1:
        return records_merkle_root("".join(tickets).encode("ascii"), widths.pop())
    return merkle_root(ticket.encode("ascii") for ticket in tickets)


def sorted_entries_root(batches: Iterable[Sequence[str]], *,
                        expected: int) -> tuple[list[str], bytes]:
    """The tickets, sorted, and their entries root, hashing while batches arrive.

    ``batches`` should come in ascending order already (as a database index gives them), about
    ``expected`` tickets in all, so the root is computed while they are read. Should a batch
    be out of order or a ticket not :data:`TICKET`'s width, the tickets are sorted once all
    have come and hashed afterwards: the answer is the same, only later.
    """
    tickets: list[str] = []
    batches = iter(batches)
    in_order = True

    def blobs() -> Iterator[bytes]:
        nonlocal in_order
        last = ""
        for batch in batches:
            tickets.extend(batch)
            if not batch:
                continue
            joined = "".join(batch)
            in_order = (joined.isascii() and len(joined) == TICKET_WIDTH * len(batch)
                        and max(map(len, batch)) == TICKET_WIDTH
                        and last < batch[0] and all(map(lt, batch, islice(batch, 1, None))))
            if not in_order:
                return
            last = batch[-1]
            yield joined.encode("ascii")

    root = streamed_merkle_root(blobs(), TICKET_WIDTH, expected=expected)
    for batch in batches:
        tickets.extend(batch)
    if in_order:
        return tickets, root
    tickets.sort()
    return tickets, entries_root(tickets)


def draw_seed(rules_sha256: bytes, entries_root: bytes, value: bytes) -> bytes:
    """``SHA-256("contest-draw/1" || rules_sha256 || entries_root || value)``."""
    if len(rules_sha256) != 32 or len(entries_root) != 32:
        raise ValueError("rules_sha256 and entries_root are raw 32-byte digests")
    return hashlib.sha256(PROTOCOL.encode("ascii") + rules_sha256 + entries_root + value).digest()


def integers(seed: bytes) -> Iterator[int]:
    """The stream of unsigned 64-bit integers: four per block ``SHA-256(seed || uint64_be(j))``."""
    j = 0
    while True:
        block = hashlib.sha256(seed + j.to_bytes(8, "big")).digest()
        for offset in range(0, 32, 8):
            yield int.from_bytes(block[offset:offset + 8], "big")
        j += 1


def uniform(stream: Iterator[int], n: int) -> int:
    """An unbiased integer in ``[0, n)``: integers at or above the largest multiple of ``n``
    that fits in 64 bits are discarded."""
    if n < 1:
        raise ValueError(f"uniform needs n >= 1, got {n}")
    limit = _TWO_64 - (_TWO_64 % n)
    for x in stream:
        if x < limit:
            return x % n
    raise AssertionError("the stream is infinite")


@dataclass(frozen=True)
class DrawResult:
    seed: bytes
    winners: tuple[str, ...]
    alternates: tuple[str, ...]


def draw(tickets: Sequence[str], seed: bytes, winners: int, alternates: int) -> DrawResult:
    """Winners and alternates from the sorted eligible ``tickets`` (a partial Fisher–Yates)."""
    order = list(tickets)
    stream = integers(seed)
    places = min(winners + alternates, len(order))
    for k in range(places):
        j = k + uniform(stream, len(order) - k)
        order[k], order[j] = order[j], order[k]
    return DrawResult(seed, tuple(order[:winners]), tuple(order[winners:places]))
