"""The public log read as C2SP tlog-tiles over real HTTP, by a reader written here from the spec.

The reader below shares nothing with the server's tile code: it encodes tile paths, fetches
the checkpoint and tiles from a live server on loopback, recomputes the checkpoint's root from
the tiles alone, builds inclusion proofs from them (checked by its own RFC 9162 §2.1.3.2
verifier and against the JSON proof API), and checks each entry bundle against its level-0
tile. Spec: https://c2sp.org/tlog-tiles (C2SP/C2SP, tlog-tiles.md).
"""

import base64
import gzip
import hashlib
import json
import urllib.error
import urllib.request
from dataclasses import dataclass, field

import pytest
from flask import Flask
from sqlmodel import Session

from contest.ledger.note import Verifier, open_checkpoint
from contest.ledger.store import issue_checkpoint
from tests.builders import fill_log
from tests.fixtures import Clock


def sign(app: Flask, db: Session, clock: Clock) -> None:
    issue_checkpoint(db, signer=app.extensions["contest.signer"], now=clock.now)
    db.commit()


# ---- an independent tile reader, from the spec ----------------------------------------

def _sha(data: bytes) -> bytes:
    return hashlib.sha256(data).digest()


def _node(left: bytes, right: bytes) -> bytes:
    return _sha(b"\x01" + left + right)


def encode_index(n: int) -> str:
    groups = []
    while True:
        groups.append(f"{n % 1000:03d}")
        n //= 1000
        if n == 0:
            break
    groups.reverse()
    return "/".join(["x" + g for g in groups[:-1]] + [groups[-1]])


def fetch(url: str) -> tuple[int, dict[str, str], bytes]:
    try:
        with urllib.request.urlopen(url) as answer:
            return answer.status, dict(answer.headers), answer.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


@dataclass
class TileReader:
    base: str
    size: int
    root: bytes
    fetched: dict[str, bytes] = field(default_factory=dict)

    @classmethod
    def open(cls, base: str) -> "TileReader":
        key = fetch(base + "/log/key")[2].decode().strip()
        status, headers, body = fetch(base + "/log/checkpoint")
        assert status == 200 and headers["Content-Type"] == "text/plain; charset=utf-8"
        checkpoint = open_checkpoint(body.decode(), [Verifier.from_key(key)])
        lines = body.decode().split("\n")
        assert int(lines[1]) == checkpoint.size
        return cls(base, checkpoint.size, base64.b64decode(lines[2]))

    def width(self, level: int, n: int) -> int:
        return min(256, (self.size >> (8 * level)) - n * 256)

    def tile_path(self, level: int | str, n: int, width: int) -> str:
        return f"/log/tile/{level}/{encode_index(n)}" + ("" if width == 256 else f".p/{width}")

    def tile(self, level: int, n: int) -> list[bytes]:
        path = self.tile_path(level, n, self.width(level, n))
        if path not in self.fetched:
            status, headers, body = fetch(self.base + path)
            assert status == 200, (path, status, body[:200])
            assert headers["Content-Type"] == "application/octet-stream"
            self.fetched[path] = body
        body = self.fetched[path]
        assert len(body) == 32 * self.width(level, n), path
        return [body[i:i + 32] for i in range(0, len(body), 32)]

    def perfect(self, height: int, k: int) -> bytes:
        """MTH of the 2**height leaves from k·2**height, from one tile."""
        level, rest = divmod(height, 8)
        first = k << rest
        hashes = self.tile(level, first // 256)[first % 256:first % 256 + (1 << rest)]
        assert len(hashes) == 1 << rest
        while len(hashes) > 1:
            hashes = [_node(hashes[i], hashes[i + 1]) for i in range(0, len(hashes), 2)]
        return hashes[0]

    def mth(self, start: int, end: int) -> bytes:
        n = end - start
        if n & (n - 1) == 0:
            height = n.bit_length() - 1
            return self.perfect(height, start >> height)
        k = 1 << ((n - 1).bit_length() - 1)
        return _node(self.mth(start, start + k), self.mth(start + k, end))

    def inclusion_proof(self, index: int) -> list[bytes]:
        proof: list[bytes] = []
        start, end = 0, self.size
        while end - start > 1:
            k = 1 << ((end - start - 1).bit_length() - 1)
            if index < start + k:
                proof.append(self.mth(start + k, end))
                end = start + k
            else:
                proof.append(self.mth(start, start + k))
                start += k
        return proof[::-1]

    def entries(self, n: int) -> list[bytes]:
        path = self.tile_path("entries", n, self.width(0, n))
        status, headers, body = fetch(self.base + path)
        assert status == 200 and headers["Content-Type"] == "application/octet-stream"
        leaves, at = [], 0
        while at < len(body):
            length = int.from_bytes(body[at:at + 2], "big")
            leaves.append(body[at + 2:at + 2 + length])
            at += 2 + length
        assert at == len(body)
        return leaves


def root_from_proof(leaf: bytes, index: int, size: int, proof: list[bytes]) -> bytes:
    """RFC 9162 §2.1.3.2."""
    fn, sn, r = index, size - 1, leaf
    for p in proof:
        assert sn != 0
        if fn & 1 or fn == sn:
            r = _node(p, r)
            while fn and not fn & 1:
                fn >>= 1
                sn >>= 1
        else:
            r = _node(r, p)
        fn >>= 1
        sn >>= 1
    assert sn == 0
    return r


def check_log(base: str, size: int, indexes: list[int], bundles: list[int]) -> TileReader:
    reader = TileReader.open(base)
    assert reader.size == size
    assert reader.mth(0, size) == reader.root
    for index in indexes:
        leaf_hash = reader.tile(0, index // 256)[index % 256]
        proof = reader.inclusion_proof(index)
        assert root_from_proof(leaf_hash, index, size, proof) == reader.root
        served = fetch(f"{base}/log/proof/inclusion?index={index}&size={size}")[2]
        assert [p.hex() for p in proof] == json.loads(served)["proof"]
    for n in bundles:
        assert [_sha(b"\x00" + leaf) for leaf in reader.entries(n)] == reader.tile(0, n)
    return reader


@pytest.mark.parametrize("size", [1, 255, 256, 257, 511, 513])
def test_a_tile_reader_recomputes_the_checkpoint_and_proves_inclusion(
    app: Flask, db: Session, clock: Clock, live_server: str, size: int
) -> None:
    fill_log(db, size, now=clock.now)
    sign(app, db, clock)
    indexes = sorted({0, size // 2, size - 1, min(255, size - 1), min(256, size - 1)})
    check_log(live_server, size, indexes, list(range((size + 255) // 256)))


def test_a_log_of_70000_leaves_is_the_spec_example(
    app: Flask, db: Session, clock: Clock, live_server: str
) -> None:
    """tlog-tiles: "a tree of size 70,000 will be represented by 273 full level 0 tiles, one
    partial level 0 tile of width 112, one full level 1 tile, one partial level 1 tile of
    width 17, and one partial level 2 tile of width 1"."""
    fill_log(db, 70_000, now=clock.now)
    sign(app, db, clock)
    reader = check_log(live_server, 70_000, [0, 255, 256, 65_535, 65_536, 69_888, 69_999],
                       [0, 1, 255, 256, 272, 273])
    served = {f"/log/tile/0/{encode_index(n)}" for n in range(273)} | {
        "/log/tile/0/273.p/112", "/log/tile/1/000", "/log/tile/1/001.p/17",
        "/log/tile/2/000.p/1"}
    for path in served:
        assert fetch(live_server + path)[0] == 200, path
    assert set(reader.fetched) <= served
    for beyond in ["/log/tile/0/273", "/log/tile/0/273.p/113", "/log/tile/0/274.p/1",
                   "/log/tile/1/001", "/log/tile/1/001.p/18", "/log/tile/2/000",
                   "/log/tile/3/000.p/1", "/log/tile/entries/273", "/log/tile/entries/274.p/1",
                   "/log/tile/0/x001/000"]:
        assert fetch(live_server + beyond)[0] == 404, beyond


def test_nothing_beyond_the_checkpoint_is_served(
    app: Flask, db: Session, clock: Clock, live_server: str
) -> None:
    assert fetch(live_server + "/log/tile/0/000.p/1")[0] == 404  # no checkpoint yet
    fill_log(db, 300, now=clock.now)
    sign(app, db, clock)
    fill_log(db, 600, start=300, now=clock.now)  # appended, not yet checkpointed
    assert fetch(live_server + "/log/tile/0/001.p/44")[0] == 200
    status, headers, body = fetch(live_server + "/log/tile/0/001.p/45")
    assert status == 404
    assert "tile/0/001.p/45 needs a tree of 301 leaves" in json.loads(body)["message"]
    for path in ["/log/tile/0/001", "/log/tile/0/002.p/1", "/log/tile/entries/001.p/45",
                 "/log/tile/1/000.p/2"]:
        assert fetch(live_server + path)[0] == 404, path
    check_log(live_server, 300, [0, 299], [0, 1])
    sign(app, db, clock)
    check_log(live_server, 600, [0, 299, 599], [0, 1, 2])


def test_cache_headers_follow_the_spec(
    app: Flask, db: Session, clock: Clock, live_server: str
) -> None:
    fill_log(db, 300, now=clock.now)
    sign(app, db, clock)
    full = fetch(live_server + "/log/tile/0/000")[1]["Cache-Control"]
    assert "immutable" in full and "max-age=31536000" in full
    assert fetch(live_server + "/log/tile/entries/000")[1]["Cache-Control"] == full
    partial = fetch(live_server + "/log/tile/0/001.p/44")[1]["Cache-Control"]
    assert "immutable" not in partial and "max-age=60" in partial
    checkpoint = fetch(live_server + "/log/checkpoint")[1]
    assert checkpoint["Cache-Control"] == "no-cache"
    # a tile not yet covered comes with the next checkpoint: no cache may keep its 404
    for path in ["/log/tile/0/001", "/log/tile/0/001.p/45", "/log/tile/x"]:
        status, headers, _ = fetch(live_server + path)
        assert status >= 400 and headers["Cache-Control"] == "no-store", path


@pytest.mark.parametrize("path", [
    "0", "x", "entries", "64/000", "01/000", "-1/000", "+1/000", "0/1", "0/01", "0/0000",
    "0/x001", "0/x000/001", "0/001/x001", "0/y001/001", "0/000.p", "0/000.p/0",
    "0/000.p/256", "0/000.p/01", "0/000.p/1/2", "0/000/", "entries/abc", "0/000.q/1",
    "0/%C3%A9%C3%A9%C3%A9", "0/x" + "9" * 300 + "/000",
])
def test_a_malformed_tile_path_is_a_clear_4xx(
    app: Flask, db: Session, clock: Clock, live_server: str, path: str
) -> None:
    fill_log(db, 10, now=clock.now)
    sign(app, db, clock)
    status, _, body = fetch(f"{live_server}/log/tile/{path}")
    assert status == 422, (path, status)
    answer = json.loads(body)
    assert answer["error"] == "malformed" and "tile" in answer["message"]


def test_entry_bundles_are_gzipped_for_clients_that_accept_it(
    app: Flask, db: Session, clock: Clock, live_server: str
) -> None:
    """tlog-tiles: "Entry bundles SHOULD be compressed at the HTTP layer"."""
    fill_log(db, 300, now=clock.now)
    sign(app, db, clock)
    for path in ["/log/tile/entries/000", "/log/tile/entries/001.p/44"]:
        _, plain_headers, plain = fetch(live_server + path)
        assert "Content-Encoding" not in plain_headers
        request = urllib.request.Request(live_server + path,
                                         headers={"Accept-Encoding": "gzip, identity"})
        with urllib.request.urlopen(request) as answer:
            assert answer.headers["Content-Encoding"] == "gzip"
            assert "Accept-Encoding" in answer.headers["Vary"]
            squeezed = answer.read()
        assert len(squeezed) < len(plain) and gzip.decompress(squeezed) == plain
    request = urllib.request.Request(live_server + "/log/tile/0/000",
                                     headers={"Accept-Encoding": "gzip"})
    with urllib.request.urlopen(request) as answer:  # hashes do not compress
        assert "Content-Encoding" not in answer.headers
