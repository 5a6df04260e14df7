"""C2SP tlog-tiles paths and tiles from the log's rows, checked against the Merkle tree."""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import event
from sqlmodel import Session, col, select

from contest.errors import Malformed, NotFound
from contest.ledger.merkle import root_from_leaf_hashes
from contest.ledger.store import issue_checkpoint
from contest.ledger.tiles import Tile, TileRoots, index_path, parse_tile_path, read_tile
from contest.models import LogEntry
from tests.builders import OPENS, SIGNER, fill_log


@pytest.mark.parametrize(("index", "path"), [
    (0, "000"), (7, "007"), (999, "999"), (1000, "x001/000"), (1234067, "x001/x234/067"),
    (10**9, "x001/x000/x000/000"),
])
def test_an_index_is_written_in_groups_of_three_digits(index: int, path: str) -> None:
    assert index_path(index) == path
    assert parse_tile_path(f"0/{path}") == Tile(0, index)


@pytest.mark.parametrize(("path", "tile"), [
    ("0/000", Tile(0, 0)), ("63/000.p/1", Tile(63, 0, 1)), ("1/x001/234.p/255", Tile(1, 1234, 255)),
    ("entries/x001/000", Tile(None, 1000)), ("entries/005.p/12", Tile(None, 5, 12)),
])
def test_a_tile_path_reads_back_as_it_is_written(path: str, tile: Tile) -> None:
    assert parse_tile_path(path) == tile
    assert tile.path() == f"tile/{path}"


@pytest.mark.parametrize(("path", "message"), [
    ("64/000", "a tile level is entries or a whole number from 0 to 63"),
    ("01/000", "without leading zeros, got 01"),
    ("0/1", "3-digit groups"),
    ("0/x000/001", "no leading group of zeros"),
    ("0/000.p/256", "width is a whole number from 1 to 255"),
    ("0/000.p/0", "got 0"),
    ("0", "a tile path is"),
])
def test_a_malformed_path_says_what_is_expected(path: str, message: str) -> None:
    with pytest.raises(Malformed, match=message):
        parse_tile_path(path)


@given(level=st.none() | st.integers(0, 63), index=st.integers(0, 10**30),
       width=st.integers(1, 256))
def test_every_tile_reads_back_from_its_path(level: int | None, index: int, width: int) -> None:
    tile = Tile(level, index, width)
    assert parse_tile_path(tile.path().removeprefix("tile/")) == tile


_NEAR_MISSES = st.builds(
    lambda level, heads, last, suffix: "/".join([level, *heads, last]) + suffix,
    st.sampled_from(["0", "1", "63", "entries", "64", "01", "-1"]),
    st.lists(st.sampled_from(["x000", "x001", "x999", "001", "x00"]), max_size=3),
    st.sampled_from(["000", "001", "999", "x001", "0000"]),
    st.sampled_from(["", ".p/1", ".p/255", ".p/256", ".p/0", ".p/01", ".p", ".q/1", "/"]))


@settings(max_examples=500)
@given(st.text(alphabet="0123456789x.p/entris-", max_size=30) | _NEAR_MISSES)
def test_any_path_is_a_tile_written_one_way_or_malformed(path: str) -> None:
    """One resource, one address: what parses is the tile's own spelling."""
    try:
        tile = parse_tile_path(path)
    except Malformed:
        return
    assert tile.path() == f"tile/{path}"


@contextmanager
def counted_queries(session: Session) -> Iterator[list[str]]:
    statements: list[str] = []
    engine = session.get_bind()

    def count(*args: Any) -> None:
        statements.append(args[2])

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", count)


def test_every_tile_of_a_70000_leaf_log_holds_the_merkle_tree_hashes(session: Session) -> None:
    fill_log(session, 70_000)
    issue_checkpoint(session, signer=SIGNER, now=OPENS)
    leaves = [bytes.fromhex(h) for h in session.exec(
        select(LogEntry.leaf_hash).order_by(col(LogEntry.leaf_index))).all()]
    roots = TileRoots()

    def hashes(level: int, index: int, width: int) -> bytes:
        span = 256 ** level
        return b"".join(root_from_leaf_hashes(leaves[(index * 256 + i) * span:
                                                     (index * 256 + i + 1) * span])
                        for i in range(width))

    for tile in [Tile(2, 0, 1), Tile(1, 0), Tile(1, 1, 17), Tile(0, 0), Tile(0, 272),
                 Tile(0, 273, 112), Tile(0, 273, 5), Tile(1, 1, 3)]:
        assert read_tile(session, tile, size=70_000, roots=roots) == hashes(
            tile.level or 0, tile.index, tile.width), tile
    with counted_queries(session) as statements:
        read_tile(session, Tile(1, 0), size=70_000, roots=roots)
        read_tile(session, Tile(2, 0, 1), size=70_000, roots=roots)
    assert statements == [], "the roots of full tiles are computed once"


def test_a_level_1_tile_reads_its_leaf_hashes_in_one_query(session: Session) -> None:
    fill_log(session, 65_536)
    with counted_queries(session) as statements:
        read_tile(session, Tile(1, 0), size=65_536, roots=TileRoots())
    assert len(statements) == 1


def test_a_tile_beyond_the_tree_is_not_found(session: Session) -> None:
    fill_log(session, 600)
    with pytest.raises(NotFound, match=r"tile/0/001\.p/45 needs a tree of 301 leaves; the "
                                       r"latest checkpoint has 300"):
        read_tile(session, Tile(0, 1, 45), size=300)
    with pytest.raises(NotFound, match="tile/entries/001 needs a tree of 512 leaves"):
        read_tile(session, Tile(None, 1), size=300)
    assert len(read_tile(session, Tile(0, 1, 44), size=300)) == 44 * 32


def test_a_leaf_too_long_for_an_entry_bundle_is_sent_to_the_json_api(session: Session) -> None:
    fill_log(session, 2)
    text = '{"type":"test.long","x":"' + "a" * 70_000 + '"}'
    session.add(LogEntry(leaf_index=2, leaf=text, leaf_hash="00" * 32, appended_at=OPENS))
    session.commit()
    assert len(read_tile(session, Tile(None, 0, 2), size=3)) > 4
    with pytest.raises(NotFound, match=r"cannot hold leaf 2: it has 70027 bytes, an entry "
                                       r"bundle's entries at most 65535; read it at "
                                       r"/log/entries\?start=2&end=3"):
        read_tile(session, Tile(None, 0, 3), size=3)


def test_tiles_are_computed_from_at_most_65536_leaf_hashes_a_query(session: Session) -> None:
    """A level-2 tile over 3 · 65,536 leaves reads them in three queries, not one holding
    them all (memory stays small however large the log)."""
    fill_log(session, 3 * 65_536 + 1)
    with counted_queries(session) as statements:
        tile = read_tile(session, Tile(2, 0, 3), size=3 * 65_536 + 1, roots=TileRoots())
    assert len(tile) == 3 * 32
    assert len(statements) == 3
