"""Witnesses' cosignatures on the log's checkpoints, as the log keeps and publishes them.

A cosignature (C2SP tlog-cosignature) is one more signature line on the checkpoint's signed
note, by a witness's key. The log keeps each line a witness returned, once checked against
the witness's pinned key (:mod:`contest.witness.collect`), in ``log_cosignatures``, and
publishes the checkpoint with them: its note, then the stored lines in the order they came
(:func:`cosigned_note`). Verifiers ignore signature lines by keys they do not know, so a
cosigned note still opens with the log's key alone. Rows are never updated or deleted.

:class:`StoredLog` is the database side that :func:`contest.witness.collect.
collect_cosignatures` works through (the witness package holds no database code).
"""

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from sqlalchemy import func
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from contest.ledger.merkle import MerkleTree
from contest.ledger.store import latest_checkpoint, tree
from contest.models import LogCheckpoint, LogCosignature


class WitnessKey(Protocol):
    """A witness's key as far as storage needs it: its name and key ID."""

    @property
    def name(self) -> str: ...

    @property
    def key_id(self) -> bytes: ...


def cosignature_lines(session: Session, checkpoint: LogCheckpoint) -> list[str]:
    """The stored cosignature lines on ``checkpoint``, each with its newline, oldest first."""
    return [line + "\n" for line in session.exec(
        select(LogCosignature.line).where(LogCosignature.checkpoint_id == checkpoint.id)
        .order_by(col(LogCosignature.id)))]


def cosigned_note(session: Session, checkpoint: LogCheckpoint) -> str:
    """The checkpoint's signed note with the witnesses' cosignature lines after the log's
    signature: what ``/log/checkpoint`` serves and a draw bundle carries."""
    return checkpoint.note + "".join(cosignature_lines(session, checkpoint))


class StoredLog:
    """The log in the database, as one collection of cosignatures reads and extends it: make
    one per :func:`~contest.witness.collect.collect_cosignatures` call (it keeps the tree it
    read for the consistency proofs)."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self._tree: MerkleTree | None = None

    def newest_checkpoint(self) -> LogCheckpoint | None:
        return latest_checkpoint(self.session)

    def cosigned_size(self, witness: WitnessKey) -> int:
        size = self.session.exec(
            select(func.max(LogCheckpoint.size)).join(
                LogCosignature, col(LogCosignature.checkpoint_id) == col(LogCheckpoint.id))
            .where(LogCosignature.witness == witness.name,
                   LogCosignature.key_id == witness.key_id.hex())).one()
        return size or 0

    def has_cosignature(self, checkpoint: LogCheckpoint, witness: WitnessKey) -> bool:
        return self.session.exec(select(LogCosignature.id).where(
            LogCosignature.checkpoint_id == checkpoint.id,
            LogCosignature.witness == witness.name,
            LogCosignature.key_id == witness.key_id.hex())).first() is not None

    def consistency_proof(self, old_size: int, new_size: int) -> Sequence[bytes]:
        if old_size in (0, new_size):  # nothing to prove; spare reading the tree
            return []
        if self._tree is None:  # read every leaf hash once, whatever the number of witnesses
            self._tree = tree(self.session)
        return self._tree.consistency_proof(old_size, new_size)

    def keep_cosignature(self, checkpoint: LogCheckpoint, witness: WitnessKey, line: str, *,
                         now: datetime) -> None:
        """Store ``line``; if another process stored this witness's cosignature on the
        checkpoint meanwhile, theirs stays."""
        row = LogCosignature(checkpoint_id=checkpoint.id or 0, witness=witness.name,
                             key_id=witness.key_id.hex(), line=line.rstrip("\n"),
                             received_at=now)
        try:
            with self.session.begin_nested():
                self.session.add(row)
                self.session.flush()
        except IntegrityError:
            pass
