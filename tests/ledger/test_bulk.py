"""Roots over many fixed-width records, hashed on several processes while they arrive."""

import os
import random
import signal
from collections.abc import Iterator

import pytest

from contest.ledger.bulk import PARALLEL_FROM, _Child, streamed_merkle_root
from contest.ledger.merkle import EMPTY_ROOT, merkle_root


def leaves(count: int) -> list[bytes]:
    draw = random.Random(count)
    return [f"{draw.getrandbits(128):032x}".encode("ascii") for _ in range(count)]


def in_blobs(records: list[bytes], size: int) -> Iterator[bytes]:
    for start in range(0, len(records), size):
        yield b"".join(records[start:start + size])


@pytest.mark.parametrize(("count", "expected", "blob", "workers"), [
    (PARALLEL_FROM * 2 + 5, PARALLEL_FROM * 2 + 5, 16_384, 2),  # the count was right
    (PARALLEL_FROM * 2 + 5, PARALLEL_FROM * 4, 1_000, 2),  # fewer came than expected
    (PARALLEL_FROM + 7, PARALLEL_FROM, 3_333, 2),  # more came than expected
    (PARALLEL_FROM * 2, PARALLEL_FROM * 2, 7, 3),  # blobs straddle every quota
    (1_000, PARALLEL_FROM * 2, 100, 2),  # far fewer: only the first child gets any
])
def test_a_streamed_root_equals_the_plain_root(count: int, expected: int, blob: int,
                                               workers: int) -> None:
    records = leaves(count)
    assert streamed_merkle_root(in_blobs(records, blob), 32, expected=expected,
                                workers=workers) == merkle_root(records)


def test_nothing_streamed_is_the_empty_tree() -> None:
    assert streamed_merkle_root(iter(()), 32, expected=PARALLEL_FROM * 2,
                                workers=2) == EMPTY_ROOT


def test_a_blob_of_another_width_stops_the_stream_and_its_children() -> None:
    def blobs() -> Iterator[bytes]:
        yield from in_blobs(leaves(PARALLEL_FROM), 4_096)
        yield b"x" * 33

    with pytest.raises(AssertionError, match="33 bytes do not split into leaves of 32 bytes"):
        streamed_merkle_root(blobs(), 32, expected=PARALLEL_FROM * 2, workers=2)


def test_a_hashing_process_that_dies_is_an_error_of_ours_not_a_try_again() -> None:
    """A child that dies (killed, out of memory, a bug in it) is no fault of the person who
    asked for the freeze and no promise that sending it again helps: a 500, logged."""
    child = _Child(32, 1_024, 1_024)
    child.take(b"".join(leaves(100)))
    os.kill(child.pid, signal.SIGKILL)
    child.close()
    with pytest.raises(ChildProcessError, match="hashing process .* ended with status -9"):
        child.finish()


def test_a_reader_that_fails_midway_leaves_no_child_behind() -> None:
    def blobs() -> Iterator[bytes]:
        yield from in_blobs(leaves(PARALLEL_FROM), 4_096)
        raise OSError("the database went away")

    with pytest.raises(OSError, match="the database went away"):
        streamed_merkle_root(blobs(), 32, expected=PARALLEL_FROM * 2, workers=2)
