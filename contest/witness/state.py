"""The witness's memory: for each log it witnesses, the latest checkpoint it cosigned.

The witness keeps this in its own SQLite file on its own machine, never in the contest's
database: the point of a witness is that the log's operator cannot reach its memory. One
row per log origin holds the size and root hash the witness last cosigned and the note it
serves to monitors (the checkpoint with the log's verified signatures and the witness's
cosignature).

Why SQLite rather than a folder of files: the spec requires that checking the old size
against the stored one and storing the new checkpoint happen atomically, or two concurrent
requests could both win and roll the witness back. SQLite gives that compare-and-swap in one
statement (``UPDATE … WHERE size = ? AND root_hash = ?``, or an ``INSERT`` that does
nothing if a row appeared), across threads and processes alike, durably (``synchronous =
FULL``: a cosignature is returned only after its checkpoint is on disk).
"""

import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path

from contest.private_files import create_private_file

_SCHEMA = """
CREATE TABLE IF NOT EXISTS cosigned (
    origin TEXT PRIMARY KEY,
    size INTEGER NOT NULL CHECK (size >= 0),
    root_hash BLOB NOT NULL CHECK (length(root_hash) = 32),
    note TEXT NOT NULL,
    cosigned_at INTEGER NOT NULL
)
"""


@dataclass(frozen=True)
class CosignedCheckpoint:
    """What the witness remembers of a log: its latest cosigned tree and the note it serves."""

    origin: str
    size: int
    root_hash: bytes
    note: str
    cosigned_at: int


class WitnessState:
    """The witness's store in one SQLite file, created (mode 0600) on first use."""

    def __init__(self, path: Path) -> None:
        self.path = path
        create_private_file(path)
        with self._connect() as connection:
            connection.execute("PRAGMA journal_mode = WAL")
            connection.execute(_SCHEMA)

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        # A connection per call: the HTTP server answers each request on its own thread.
        connection = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        with closing(connection):
            connection.execute("PRAGMA synchronous = FULL")
            yield connection

    def latest(self, origin: str) -> CosignedCheckpoint | None:
        """The latest checkpoint cosigned for ``origin``, or None if there is none."""
        with self._connect() as connection:
            row = connection.execute(
                "SELECT origin, size, root_hash, note, cosigned_at FROM cosigned "
                "WHERE origin = ?", (origin,)).fetchone()
        if row is None:
            return None
        return CosignedCheckpoint(row[0], row[1], bytes(row[2]), row[3], row[4])

    def swap(self, expected: CosignedCheckpoint | None, new: CosignedCheckpoint) -> bool:
        """Store ``new`` if the log's latest cosigned checkpoint is still ``expected`` (None:
        there was none); False, storing nothing, if another request changed it meanwhile."""
        with self._connect() as connection:
            if expected is None:
                cursor = connection.execute(
                    "INSERT INTO cosigned (origin, size, root_hash, note, cosigned_at) "
                    "VALUES (?, ?, ?, ?, ?) ON CONFLICT (origin) DO NOTHING",
                    (new.origin, new.size, new.root_hash, new.note, new.cosigned_at))
            else:
                cursor = connection.execute(
                    "UPDATE cosigned SET size = ?, root_hash = ?, note = ?, cosigned_at = ? "
                    "WHERE origin = ? AND size = ? AND root_hash = ?",
                    (new.size, new.root_hash, new.note, new.cosigned_at, expected.origin,
                     expected.size, expected.root_hash))
            return cursor.rowcount == 1
