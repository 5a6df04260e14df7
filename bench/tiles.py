"""Benchmark of the log's C2SP tlog-tiles on a large log: prints figures, asserts nothing.

Run: ``PYTHONPATH=. .venv/bin/python bench/tiles.py [leaves] [--database-url URL]`` (default 100,000
leaves in a fresh SQLite file). It times each kind of tile cold (no full tile's root known
yet) and warm (as a server answers once it has served them), against what every JSON proof
request costs today: reading every leaf hash and rebuilding the tree.
"""

import argparse
import tempfile
import time
from collections.abc import Callable

from sqlmodel import Session

from contest.db import make_engine, upgrade
from contest.ledger.store import issue_checkpoint, tree
from contest.ledger.tiles import TILE_WIDTH, Tile, TileRoots, read_tile, served_size
from tests.builders import OPENS, SIGNER, fill_log  # run from the project folder


def timed(label: str, work: Callable[[], object]) -> None:
    started = time.perf_counter()
    work()
    print(f"{label:<58} {1000 * (time.perf_counter() - started):9.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("leaves", nargs="?", type=int, default=100_000)
    parser.add_argument("--database-url")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        engine = make_engine(args.database_url or f"sqlite:///{folder}/tiles.db")
        upgrade(engine)
        with Session(engine) as session:
            started = time.perf_counter()
            fill_log(session, args.leaves)
            issue_checkpoint(session, signer=SIGNER, now=OPENS)
            session.commit()
            print(f"{args.leaves:,} leaves inserted and signed in "
                  f"{time.perf_counter() - started:.1f} s")
            size = served_size(session)
            full0 = size // TILE_WIDTH
            tiles = {
                "level 0, full (256 leaf hashes)": Tile(0, full0 // 2),
                "level 0, partial": Tile(0, full0, size % TILE_WIDTH or 1),
                "level 1, full (65,536 leaf hashes)": Tile(1, 0),
                "level 1, partial": Tile(1, size >> 16, (size >> 8) % TILE_WIDTH or 1),
                "level 2, partial": Tile(2, 0, max(1, (size >> 16) % TILE_WIDTH)),
                "entry bundle, full": Tile(None, full0 // 2),
            }
            roots = TileRoots()
            for name, tile in tiles.items():
                if tile.needs_size <= size:
                    timed(f"{tile.path():<22} {name}, cold",
                          lambda tile=tile: read_tile(session, tile, size=size, roots=TileRoots()))
            for tile in tiles.values():
                if tile.needs_size <= size:
                    read_tile(session, tile, size=size, roots=roots)
            for name, tile in tiles.items():
                if tile.needs_size <= size:
                    timed(f"{tile.path():<22} {name}, warm",
                          lambda tile=tile: read_tile(session, tile, size=size, roots=roots))
            timed("JSON API today: tree() rebuild of the whole log", lambda: tree(session))
        engine.dispose()


if __name__ == "__main__":
    main()
