"""RFC 6962 roots over a million fixed-width records, on every core, while the records arrive.

A draw freezes up to a million tickets: two million SHA-256 calls, more than one core does
in the freeze's time. The tree is cut into aligned runs of a power of two leaves (each a
perfect subtree, but for the last); child processes hash the first runs and this process the
rest, and the run roots are paired up as the tree's upper levels (RFC 6962 fills the tree from
the left, so that is the same root).

Records may be streamed (from a database cursor): the children take their runs as they come,
so reading and hashing overlap. The expected count only sets how the work is shared; the root
is right whatever arrives.

The children run :mod:`contest.ledger._subtrees` (``python -m``), not :mod:`multiprocessing`,
so callers need no ``__main__`` guard and threaded servers are never forked.

Nothing here comes from a person: the records are tickets our own code has checked. A record
of another width is a bug (``AssertionError``) and a child that dies is a failure of ours
(``ChildProcessError``); both are a 500, logged, not a 4xx or a promise that trying again helps.
"""

import os
import queue
import subprocess
import sys
import threading
from collections.abc import Iterable

from contest.ledger._subtrees import pair_up, records_root, run_roots
from contest.ledger.merkle import EMPTY_ROOT, HASH_SIZE

# Below this many leaves starting child processes costs more than it saves.
PARALLEL_FROM = 1 << 16

# What producing one record costs against hashing it, so the children (which hash while
# this process reads) take the larger share. Set by timing the freeze of a million tickets
# (bench/draw.py on SQLite), where this value finishes both processes together.
READ_COST = 0.2

# A run is at most this share of the tree, so the shares can be set finely.
_RUNS_AT_LEAST = 16


def records_merkle_root(blob: bytes, width: int, *, workers: int | None = None) -> bytes:
    """The Merkle Tree Hash over fixed-width leaves ``blob[0:width]``, ``blob[width:2*width]``…"""
    _check_width(blob, width)
    return streamed_merkle_root([blob], width, expected=len(blob) // width, read_cost=0.0,
                                workers=workers)


def streamed_merkle_root(blobs: Iterable[bytes], width: int, *, expected: int,
                         read_cost: float = READ_COST, workers: int | None = None) -> bytes:
    """The Merkle Tree Hash over the fixed-width leaves in ``blobs``, taken in order.

    ``expected`` is how many leaves will come and ``read_cost`` what producing one costs
    against hashing it; both only share out the work. ``workers`` is the number of processes
    (default: the cores this process may use).
    """
    workers = workers or len(os.sched_getaffinity(0))
    if workers < 2 or expected < PARALLEL_FROM:
        blob = b"".join(blobs)
        _check_width(blob, width)
        return records_root(blob, width) if blob else EMPTY_ROOT
    run = 1 << ((expected // _RUNS_AT_LEAST).bit_length() - 1)
    quotas = _children_quotas(expected, run, workers, read_cost)
    children = [_Child(width, run, quota) for quota in quotas]
    mine: list[bytes] = []
    try:
        taking = iter(children)
        child = next(taking, None)
        for blob in blobs:
            _check_width(blob, width)
            while blob and child is not None:
                blob = child.take(blob)
                if child.full:
                    child = next(taking, None)
            if blob:
                mine.append(blob)
        for child in children:
            child.close()
        own = run_roots(b"".join(mine), width, run)  # while the children finish theirs
        roots = [child.finish() for child in children]
    except BaseException:
        for child in children:
            child.kill()
        raise
    joined = b"".join([*roots, own])
    if not joined:
        return EMPTY_ROOT
    return pair_up([joined[i:i + HASH_SIZE] for i in range(0, len(joined), HASH_SIZE)])


def _children_quotas(expected: int, run: int, workers: int, read_cost: float) -> list[int]:
    """How many leaves (whole runs) each child takes; this process keeps the rest.

    With c children each taking a share f and this process p, the children finish when
    ``f·H`` is spent and this process after ``R + p·H`` (reading everything, hashing its
    part), where R = read_cost·H; equal when ``f = read_cost + p`` and ``c·f + p = 1``.
    """
    helpers = workers - 1
    mine = max(0.0, (1 - helpers * read_cost) / workers)
    share = (1 - mine) / helpers
    runs = round(share * expected / run)
    return [max(1, runs) * run] * helpers


class _Child:
    """A child process hashing its quota of leaves, fed through a pipe by a writer thread so
    that this process can go on reading while the pipe is full."""

    def __init__(self, width: int, run: int, quota: int) -> None:
        self._width = width
        self._left = quota * width
        self._process = subprocess.Popen(
            [sys.executable, "-m", "contest.ledger._subtrees", str(width), str(run)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        self._blobs: queue.SimpleQueue[bytes | None] = queue.SimpleQueue()
        self._writer = threading.Thread(target=self._write, daemon=True)
        self._writer.start()

    @property
    def pid(self) -> int:
        return self._process.pid

    @property
    def full(self) -> bool:
        return self._left == 0

    def take(self, blob: bytes) -> bytes:
        """Send what fits of ``blob`` to the child; return the rest."""
        piece, rest = blob[:self._left], blob[self._left:]
        self._left -= len(piece)
        self._blobs.put(piece)
        return rest

    def close(self) -> None:
        """No more leaves: the child hashes what it holds and stops."""
        self._blobs.put(None)

    def finish(self) -> bytes:
        """Wait for the child and return its run roots, concatenated."""
        self._writer.join()
        assert self._process.stdout is not None
        with self._process.stdout:
            output = self._process.stdout.read()
        status = self._process.wait()
        if status != 0 or len(output) % HASH_SIZE:
            raise ChildProcessError(f"the hashing process {self.pid} ended with status "
                                    f"{status} after {len(output)} bytes of run roots")
        return output

    def kill(self) -> None:
        self._blobs.put(None)
        self._process.kill()
        self._writer.join()
        self._process.wait()
        assert self._process.stdout is not None
        self._process.stdout.close()

    def _write(self) -> None:
        stream = self._process.stdin
        assert stream is not None
        try:
            with stream:
                while (blob := self._blobs.get()) is not None:
                    stream.write(blob)
        except BrokenPipeError:
            pass  # the child died; finish() reports its status


def _check_width(blob: bytes, width: int) -> None:
    if width <= 0 or len(blob) % width:
        raise AssertionError(f"{len(blob)} bytes do not split into leaves of {width} bytes")
