"""Reading a public log served as C2SP tlog-tiles (https://c2sp.org/tlog-tiles), as a monitor
or a verifier does: every leaf a checkpoint covers, trusting nothing the server says.

For each level-0 tile of the checkpoint's tree this fetches the hash tile and the entry
bundle of the same name (``<prefix>/tile/0/<N>[.p/<W>]``, ``<prefix>/tile/entries/<N>[.p/<W>]``),
checks that each entry hashes (RFC 6962 §2.1) to the tile's hash for it, and at the end that
the tiles' hashes give the checkpoint's root: a leaf rewritten, dropped or added anywhere is
found, and named where it can be. The server's own :mod:`contest.ledger.tiles` is not used
for this, only its spelling of tile paths.

As the spec allows, a partial tile the log no longer serves is read from the full tile that
replaced it (the log grew since the checkpoint). An entry bundle's entries carry a 16-bit
length, so a leaf of 64 KiB or more (a freeze's long excluded list) has no entry bundle: the
server answers 404 and names its JSON API, where those leaves are read instead, and checked
against the hash tile all the same. Entry bundles are asked for gzip-compressed, and a few
tiles are fetched at a time; they are checked in order.
"""

import gzip
import json
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor

from contest.errors import LogUnavailable, VerificationFailed
from contest.i18n import N_
from contest.ledger.merkle import HASH_SIZE, leaf_hash, root_from_leaf_hashes
from contest.ledger.note import Checkpoint
from contest.ledger.tiles import TILE_WIDTH, Tile

_FETCHING = 4
"""Tiles asked for at once: a million leaves are 7,813 pairs of requests, which one at a
time over a network spend most of their time waiting for answers."""
_JSON_PAGE = 1000
"""Leaves asked of the JSON API at a time (the server gives at most this many)."""
_EXCERPT = 200


def read_log(prefix: str, checkpoint: Checkpoint, *, timeout: float = 30.0) -> list[bytes]:
    """The leaves the (already verified) ``checkpoint`` covers, in order, from the log whose
    tiles are under ``prefix`` (e.g. ``https://contests.example/log``).

    Raises :class:`LogUnavailable` when a tile cannot be read and :class:`VerificationFailed`
    when what is served is not the checkpoint's tree."""
    base = prefix.rstrip("/")
    leaves: list[bytes] = []
    hashes: list[bytes] = []
    tiles = [Tile(0, index, min(TILE_WIDTH, checkpoint.size - index * TILE_WIDTH))
             for index in range(-(-checkpoint.size // TILE_WIDTH))]
    pool = ThreadPoolExecutor(max_workers=_FETCHING)
    try:
        fetched = pool.map(lambda tile: (_hashes(base, tile, timeout),
                                         _entries(base, tile, timeout)), tiles)
        for tile, (tile_hashes, bundle) in zip(tiles, fetched, strict=True):
            _check_bundle(tile, bundle, tile_hashes)
            leaves += bundle
            hashes += tile_hashes
    finally:
        pool.shutdown(cancel_futures=True)  # after a failure, fetch nothing more
    root = root_from_leaf_hashes(hashes)
    if root != checkpoint.root_hash:
        raise VerificationFailed(
            N_("the tiles of {log} give root {got} for {size} leaves, the checkpoint signed "
               "{expected}"),
            {"log": base, "got": root.hex(), "size": checkpoint.size,
             "expected": checkpoint.root_hash.hex()})
    return leaves


def _check_bundle(tile: Tile, bundle: list[bytes], tile_hashes: list[bytes]) -> None:
    """Each entry of the level-0 ``tile``'s bundle hashes to the tile's hash for it."""
    for position, (leaf, expected) in enumerate(zip(bundle, tile_hashes, strict=True)):
        got = leaf_hash(leaf)
        if got != expected:
            raise VerificationFailed(
                N_("leaf {index} of entry bundle {path} hashes to {got}, its level-0 tile "
                   "says {expected}"),
                {"index": tile.index * TILE_WIDTH + position,
                 "path": Tile(None, tile.index, tile.width).path(), "got": got.hex(),
                 "expected": expected.hex()})


def _hashes(base: str, tile: Tile, timeout: float) -> list[bytes]:
    body = _tile(base, tile, timeout)
    if len(body) < tile.width * HASH_SIZE or len(body) % HASH_SIZE:
        raise LogUnavailable(N_("cannot read {url}: {problem}"), {
            "url": f"{base}/{tile.path()}",
            "problem": f"a tile of {tile.width} hashes has {len(body)} bytes"})
    return [body[i:i + HASH_SIZE] for i in range(0, tile.width * HASH_SIZE, HASH_SIZE)]


def _entries(base: str, tile: Tile, timeout: float) -> list[bytes]:
    bundle = Tile(None, tile.index, tile.width)
    url = f"{base}/{bundle.path()}"
    try:
        body = _tile(base, bundle, timeout)
    except _Missing:
        return _json_leaves(base, tile.index * TILE_WIDTH, tile.width, timeout)
    entries = _split(body, url)
    if len(entries) < tile.width:
        raise LogUnavailable(N_("cannot read {url}: {problem}"), {
            "url": url, "problem": f"an entry bundle of {tile.width} entries has "
                                   f"{len(entries)}"})
    return entries[:tile.width]


def _split(body: bytes, url: str) -> list[bytes]:
    """An entry bundle's entries: each a big-endian uint16 length and that many bytes."""
    entries: list[bytes] = []
    at = 0
    while at < len(body):
        if at + 2 > len(body):
            raise LogUnavailable(N_("cannot read {url}: {problem}"), {
                "url": url, "problem": f"a length prefix is cut off at byte {at}"})
        end = at + 2 + int.from_bytes(body[at:at + 2], "big")
        if end > len(body):
            raise LogUnavailable(N_("cannot read {url}: {problem}"), {
                "url": url, "problem": f"entry {len(entries)} runs past the end ({end} > "
                                       f"{len(body)} bytes)"})
        entries.append(body[at + 2:end])
        at = end
    return entries


def _tile(base: str, tile: Tile, timeout: float) -> bytes:
    """A tile's bytes; a partial one the log no longer serves is read from its full tile."""
    try:
        return _get(f"{base}/{tile.path()}", timeout)
    except _Missing as missing:
        if tile.full:
            raise
        try:
            return _get(f"{base}/{Tile(tile.level, tile.index).path()}", timeout)
        except _Missing:
            raise missing from None


class _Missing(LogUnavailable):
    """The server answered 404."""


def _get(url: str, timeout: float) -> bytes:
    request = urllib.request.Request(url, headers={"Accept-Encoding": "gzip, identity"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as answer:
            body: bytes = answer.read()
            if answer.headers.get("Content-Encoding") == "gzip":
                body = gzip.decompress(body)
            return body
    except urllib.error.HTTPError as error:
        said = error.read()[:_EXCERPT].decode("utf-8", "replace")
        kind = _Missing if error.code == 404 else LogUnavailable
        raise kind(N_("cannot read {url}: {problem}"),
                   {"url": url, "problem": f"{error.code} {said}".strip()}) from None
    except (urllib.error.URLError, OSError, EOFError) as error:
        raise LogUnavailable(N_("cannot read {url}: {problem}"),
                             {"url": url, "problem": str(error)}) from None


def _json_leaves(base: str, start: int, count: int, timeout: float) -> list[bytes]:
    """Leaves ``start`` to ``start + count - 1`` from the log's JSON API (``/entries``)."""
    leaves: list[bytes] = []
    while len(leaves) < count:
        first = start + len(leaves)
        url = f"{base}/entries?start={first}&end={min(first + _JSON_PAGE, start + count)}"
        try:
            page = json.loads(_get(url, timeout))
            found = [entry["leaf"].encode("utf-8") for entry in page["entries"]]
        except (ValueError, TypeError, KeyError, AttributeError) as error:
            raise LogUnavailable(N_("cannot read {url}: {problem}"),
                                 {"url": url, "problem": f"not the log's JSON: {error}"}) from None
        if not found:
            raise LogUnavailable(N_("cannot read {url}: {problem}"),
                                 {"url": url, "problem": "no leaves"})
        leaves += found
    return leaves[:count]
