"""contest-draw/1 against a second, deliberately naive reading of the protocol text."""

import hashlib
import random

import pytest

from contest.draw.protocol import (
    PROTOCOL,
    draw,
    draw_seed,
    entries_root,
    integers,
    sorted_entries_root,
    uniform,
)
from contest.ledger.merkle import merkle_root


def reference_draw(tickets: list[str], seed: bytes, w: int, a: int) -> list[str]:
    """The protocol read literally from docs/PROTOCOL.md, sharing no code with the module."""
    words: list[int] = []
    block = 0

    def next_word() -> int:
        nonlocal block
        if not words:
            digest = hashlib.sha256(seed + block.to_bytes(8, "big")).digest()
            words.extend(int(digest[i * 8:(i + 1) * 8].hex(), 16) for i in range(4))
            block += 1
        return words.pop(0)

    def uniform_n(n: int) -> int:
        while True:
            x = next_word()
            if x < 2**64 - (2**64 % n):
                return x % n

    t = list(tickets)
    for k in range(min(w + a, len(t))):
        j = k + uniform_n(len(t) - k)
        t[k], t[j] = t[j], t[k]
    return t[: min(w + a, len(t))]


def tickets(count: int, seed: int = 0) -> list[str]:
    rng = random.Random(seed)
    return sorted(f"{rng.getrandbits(128):032x}" for _ in range(count))


def test_seed_is_sha256_of_the_protocol_name_and_the_three_digests() -> None:
    rules, root, value = b"\x01" * 32, b"\x02" * 32, b"\x03" * 32
    expected = hashlib.sha256(b"contest-draw/1" + rules + root + value).digest()
    assert PROTOCOL == "contest-draw/1"
    assert draw_seed(rules, root, value) == expected


def test_the_stream_reads_each_block_as_four_big_endian_words() -> None:
    seed = b"s" * 32
    first = hashlib.sha256(seed + bytes(8)).digest()
    second = hashlib.sha256(seed + (1).to_bytes(8, "big")).digest()
    stream = integers(seed)
    got = [next(stream) for _ in range(5)]
    assert got[:4] == [int.from_bytes(first[i:i + 8], "big") for i in (0, 8, 16, 24)]
    assert got[4] == int.from_bytes(second[:8], "big")


def test_uniform_discards_the_biased_top_of_the_range() -> None:
    n = 3
    limit = 2**64 - (2**64 % n)
    stream = iter([limit, limit + 1, 2**64 - 1, 7])
    assert uniform(stream, n) == 7 % 3
    with pytest.raises(ValueError, match="n >= 1"):
        uniform(iter([1]), 0)


@pytest.mark.parametrize(("count", "w", "a"), [(1, 1, 0), (5, 3, 2), (7, 10, 5), (1000, 10, 10)])
def test_draw_matches_the_literal_reading(count: int, w: int, a: int) -> None:
    pool = tickets(count, seed=count)
    seed = hashlib.sha256(f"seed-{count}".encode()).digest()
    result = draw(pool, seed, w, a)
    expected = reference_draw(pool, seed, w, a)
    assert list(result.winners) + list(result.alternates) == expected
    assert len(result.winners) == min(w, count)
    assert len(set(expected)) == len(expected)


def test_a_different_value_gives_a_different_draw() -> None:
    pool = tickets(500)
    one = draw(pool, draw_seed(b"r" * 32, b"e" * 32, b"v1"), 5, 5)
    two = draw(pool, draw_seed(b"r" * 32, b"e" * 32, b"v2"), 5, 5)
    assert one.winners != two.winners


def test_every_ticket_is_equally_likely_to_win() -> None:
    pool = tickets(4)
    wins = {t: 0 for t in pool}
    for i in range(4000):
        wins[draw(pool, hashlib.sha256(i.to_bytes(4, "big")).digest(), 1, 0).winners[0]] += 1
    assert all(850 < count < 1150 for count in wins.values()), wins


def batches_of(items: list[str], size: int) -> list[list[str]]:
    return [items[start:start + size] for start in range(0, len(items), size)]


@pytest.mark.parametrize("count", [0, 1, 1_000, 70_000])
def test_tickets_in_order_are_hashed_as_they_arrive(count: int) -> None:
    sorted_tickets = tickets(count, seed=count)
    got, root = sorted_entries_root(batches_of(sorted_tickets, 4_096), expected=count)
    assert got == sorted_tickets
    assert root == entries_root(sorted_tickets)


@pytest.mark.parametrize("disorder", ["swapped", "another width"])
def test_tickets_out_of_order_or_odd_are_sorted_first(disorder: str) -> None:
    sorted_tickets = tickets(70_000, seed=3)
    arriving = list(sorted_tickets)
    if disorder == "swapped":
        arriving[40_000], arriving[40_001] = arriving[40_001], arriving[40_000]
    else:
        arriving[50_000] = arriving[50_000][:31]
    got, root = sorted_entries_root(batches_of(arriving, 4_096), expected=len(arriving))
    assert got == sorted(arriving)
    assert root == merkle_root(ticket.encode() for ticket in sorted(arriving))
