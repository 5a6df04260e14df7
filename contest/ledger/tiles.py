"""The public log as C2SP tlog-tiles (https://c2sp.org/tlog-tiles): hash tiles and entry bundles.

A *hash tile* ``tile/<L>/<N>`` holds 256 consecutive Merkle Tree Hashes (RFC 6962 §2.1) at
tree height ``8·L``: hash ``i`` is ``MTH(D[(N·256 + i)·256**L : (N·256 + i + 1)·256**L])``, 32
bytes each, concatenated. At level 0 they are the leaf hashes; above, each is the root of a
*full* tile of the level below. A *partial* tile ``tile/<L>/<N>.p/<W>`` holds only the first
``W`` (1 to 255) of them. An *entry bundle* ``tile/entries/<N>[.p/<W>]`` holds the leaves of
the level-0 tile with the same name, each as a big-endian uint16 length and the leaf's bytes.
``N`` is written in 3-digit groups, all but the last prefixed ``x``: 1234067 is
``x001/x234/067``.

Only what the latest signed checkpoint covers is served, never a leaf beyond it, so every
tile is fixed forever once it can be fetched. Computing one reads only the hashes it needs:
a level-0 tile is 256 stored leaf hashes; a hash at level ``L ≥ 1`` is the root of a full
tile of level ``L-1``, and those roots are remembered (:class:`TileRoots`, 32 bytes per full
tile), so the log is never rehashed whole for a request.

Paths come from people: one not in the spec's form raises :class:`Malformed` saying what was
expected; a tile the checkpoint does not cover raises :class:`NotFound`.
"""

import re
import threading
from dataclasses import dataclass

from sqlmodel import Session, col, select

from contest.errors import Malformed, NotFound
from contest.i18n import N_
from contest.ledger._subtrees import pair_up
from contest.ledger.merkle import HASH_SIZE
from contest.ledger.store import latest_checkpoint
from contest.models import LogEntry

TILE_HEIGHT = 8
TILE_WIDTH = 1 << TILE_HEIGHT
MAX_LEVEL = 63
"""The spec's largest level (a decimal from 0 to 63)."""
MAX_ENTRY_BYTES = 0xFFFF
"""An entry bundle's length prefix is a uint16."""

ENTRIES = "entries"
_BATCH = TILE_WIDTH  # full tiles computed together: 65,536 leaf hashes at level 0
_GROUP = re.compile(r"[0-9]{3}")
_NUMBER = re.compile(r"0|[1-9][0-9]*")


@dataclass(frozen=True)
class Tile:
    """A hash tile (``level`` 0 to 63) or, with ``level`` None, an entry bundle: the
    ``index``-th of its level, ``width`` hashes or entries wide (256 for a full one)."""

    level: int | None
    index: int
    width: int = TILE_WIDTH

    @property
    def full(self) -> bool:
        return self.width == TILE_WIDTH

    @property
    def needs_size(self) -> int:
        """The smallest tree size whose checkpoint covers every hash or entry of the tile."""
        scale = 1 << (TILE_HEIGHT * (self.level or 0))
        return (self.index * TILE_WIDTH + self.width) * scale

    def path(self) -> str:
        """The tile's path below the log's prefix, as the spec writes it."""
        level = ENTRIES if self.level is None else str(self.level)
        suffix = "" if self.full else f".p/{self.width}"
        return f"tile/{level}/{index_path(self.index)}{suffix}"


def index_path(index: int) -> str:
    """``N`` in 3-digit groups, all but the last prefixed ``x``: 1234067 → x001/x234/067."""
    digits = str(index)
    digits = "0" * (-len(digits) % 3) + digits
    groups = [digits[i:i + 3] for i in range(0, len(digits), 3)]
    return "/".join([*(f"x{group}" for group in groups[:-1]), groups[-1]])


def parse_tile_path(path: str) -> Tile:
    """The tile named by ``path`` (what follows ``<prefix>/tile/``): ``<L>/<N>[.p/<W>]`` or
    ``entries/<N>[.p/<W>]``; raises :class:`Malformed` saying what is wrong."""
    parts = path.split("/")
    if len(parts) < 2:
        raise Malformed(N_("a tile path is <level>/<index>[.p/<width>] or "
                           "entries/<index>[.p/<width>], got {path}"), {"path": _shown(path)})
    first, groups = parts[0], parts[1:]
    level: int | None = None
    if first != ENTRIES:
        if not _NUMBER.fullmatch(first) or int(first) > MAX_LEVEL:
            raise Malformed(N_("a tile level is {kind} or a whole number from 0 to {largest} "
                               "without leading zeros, got {got}"),
                            {"kind": ENTRIES, "largest": MAX_LEVEL, "got": _shown(first)})
        level = int(first)
    width = TILE_WIDTH
    if len(groups) >= 2 and groups[-2].endswith(".p"):
        written = groups[-1]
        if not _NUMBER.fullmatch(written) or not 1 <= int(written) < TILE_WIDTH:
            raise Malformed(N_("a partial tile's width is a whole number from 1 to {largest} "
                               "without leading zeros, got {got}"),
                            {"largest": TILE_WIDTH - 1, "got": _shown(written)})
        width = int(written)
        groups = [*groups[:-2], groups[-2].removesuffix(".p")]
    return Tile(level, _parse_index(groups), width)


def _parse_index(groups: list[str]) -> int:
    heads, last = groups[:-1], groups[-1]
    if not (_GROUP.fullmatch(last) and all(
            head.startswith("x") and _GROUP.fullmatch(head[1:]) for head in heads)):
        raise Malformed(N_("a tile index is written in 3-digit groups, all but the last "
                           "starting with x (1234067 is x001/x234/067), got {got}"),
                        {"got": _shown("/".join(groups))})
    if heads and heads[0] == "x000":
        raise Malformed(N_("a tile index has no leading group of zeros, got {got}"),
                        {"got": _shown("/".join(groups))})
    return int("".join(head[1:] for head in heads) + last)


def _shown(text: str) -> str:
    return text if len(text) <= 40 else text[:40] + "…"


class TileRoots:
    """The roots of full tiles once computed, by (level, index): 32 bytes each, fixed forever
    since the log is append-only. One per log (the web app keeps one); safe across threads
    (at worst two compute the same root)."""

    def __init__(self, limit: int = 1 << 20) -> None:
        self._roots: dict[tuple[int, int], bytes] = {}
        self._limit = limit
        self._lock = threading.Lock()

    def get(self, level: int, index: int) -> bytes | None:
        return self._roots.get((level, index))

    def put(self, level: int, index: int, root: bytes) -> None:
        with self._lock:
            if len(self._roots) >= self._limit:
                self._roots.clear()  # a bound on memory; the roots can be computed again
            self._roots[(level, index)] = root


def served_size(session: Session) -> int:
    """The tree size the tiles are served for: the latest signed checkpoint's (0 without one)."""
    row = latest_checkpoint(session)
    return 0 if row is None else row.size


def read_tile(session: Session, tile: Tile, *, size: int, roots: TileRoots | None = None) -> bytes:
    """The bytes of ``tile`` in the tree of ``size`` leaves (a signed checkpoint's size).

    Raises :class:`NotFound` when the tree does not cover it."""
    if tile.needs_size > size:
        raise NotFound(N_("{path} needs a tree of {needed} leaves; the latest checkpoint "
                          "has {size}"), {"path": tile.path(), "needed": tile.needs_size,
                                          "size": size})
    if tile.level is None:
        return _entry_bundle(session, tile)
    roots = roots if roots is not None else TileRoots()
    first = tile.index * TILE_WIDTH
    if tile.level == 0:
        return b"".join(_leaf_hashes(session, first, tile.width))
    return b"".join(_tile_roots(session, tile.level - 1, first, tile.width, roots))


def _entry_bundle(session: Session, tile: Tile) -> bytes:
    first = tile.index * TILE_WIDTH
    leaves = session.exec(select(LogEntry.leaf_index, LogEntry.leaf).where(
        LogEntry.leaf_index >= first, LogEntry.leaf_index < first + tile.width).order_by(
        col(LogEntry.leaf_index))).all()
    if [index for index, _ in leaves] != list(range(first, first + tile.width)):
        _leaves_missing(session, first, tile.width)
    parts: list[bytes] = []
    for index, text in leaves:
        leaf = text.encode("utf-8")
        if len(leaf) > MAX_ENTRY_BYTES:
            raise NotFound(N_("entry bundle {path} cannot hold leaf {index}: it has {got} "
                              "bytes, an entry bundle's entries at most {largest}; read it at "
                              "/log/entries?start={index}&end={end}"),
                           {"path": tile.path(), "index": index, "got": len(leaf),
                            "largest": MAX_ENTRY_BYTES, "end": index + 1})
        parts.append(len(leaf).to_bytes(2, "big"))
        parts.append(leaf)
    return b"".join(parts)


def _leaf_hashes(session: Session, first: int, count: int) -> list[bytes]:
    # Core rows, not ORM ones: a level-1 tile reads 65,536 hashes, and the ORM's row
    # handling would cost more than the query and the hashing together.
    table = LogEntry.__table__  # type: ignore[attr-defined]
    stored: list[str] = list(session.connection().execute(
        select(table.c.leaf_hash).where(table.c.leaf_index >= first,
                                        table.c.leaf_index < first + count)
        .order_by(table.c.leaf_index)).scalars())
    if len(stored) != count:
        _leaves_missing(session, first, count)
    joined = bytes.fromhex("".join(stored))
    if len(joined) != count * HASH_SIZE:
        raise AssertionError(f"the stored hashes of leaves {first}..{first + count - 1} are "
                             f"{len(joined)} bytes, expected {count * HASH_SIZE}")
    return [joined[i:i + HASH_SIZE] for i in range(0, len(joined), HASH_SIZE)]


def _leaves_missing(session: Session, first: int, count: int) -> None:
    """A checkpoint signed over leaves the database no longer holds is a broken log (a 500,
    logged), never a tile quietly short of hashes."""
    held = set(session.exec(select(LogEntry.leaf_index).where(
        LogEntry.leaf_index >= first, LogEntry.leaf_index < first + count)).all())
    missing = sorted(set(range(first, first + count)) - held)
    raise AssertionError(f"the log lacks leaves {missing[:5]} of {first}..{first + count - 1} "
                         "that a checkpoint covers")


def _tile_roots(session: Session, level: int, first: int, count: int,
                roots: TileRoots) -> list[bytes]:
    """The roots of the full tiles ``first`` to ``first + count - 1`` of ``level``, computing
    the missing ones from the level below, 256 tiles at a time (at level 0 one query of at
    most 65,536 leaf hashes each), so memory stays small however large the log."""
    found = [roots.get(level, first + i) for i in range(count)]
    missing = [i for i, root in enumerate(found) if root is None]
    if missing:
        for start in range(first + missing[0], first + missing[-1] + 1, _BATCH):
            end = min(start + _BATCH, first + missing[-1] + 1)
            if level == 0:
                hashes = _leaf_hashes(session, start * TILE_WIDTH, (end - start) * TILE_WIDTH)
            else:
                hashes = _tile_roots(session, level - 1, start * TILE_WIDTH,
                                     (end - start) * TILE_WIDTH, roots)
            for index in range(start, end):
                offset = (index - start) * TILE_WIDTH
                root = pair_up(hashes[offset:offset + TILE_WIDTH])
                roots.put(level, index, root)
                found[index - first] = root
    done = [root for root in found if root is not None]
    if len(done) != count:
        raise AssertionError(f"{count - len(done)} of {count} tile roots were not computed")
    return done
