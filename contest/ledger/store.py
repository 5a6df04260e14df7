"""The public log in the database: append events, issue signed checkpoints, prove, verify.

Leaves are the RFC 8785 canonical JSON of events that carry no personal data (tickets,
reason codes, hashes, counts, moments). The tree over them is RFC 6962's; a checkpoint is a
C2SP tlog-checkpoint signed as a C2SP signed note with the deployment's Ed25519 key.
Nothing here ever updates or deletes a row (and :mod:`contest.db` refuses it).

Each leaf is sealed as it is appended (:mod:`contest.ledger.seal`), and a checkpoint is
signed only over leaves this app appended: a row written into the table behind its back is
refused, loudly, rather than signed.
"""

import json
import logging
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, or_
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from contest.canonical import canonical_json
from contest.errors import LogTampered, VerificationFailed
from contest.i18n import N_
from contest.ledger.merkle import MerkleTree, leaf_hash
from contest.ledger.note import Checkpoint, Signer, Verifier, open_checkpoint, sign_checkpoint
from contest.ledger.seal import is_sealed, seal
from contest.models import LogCheckpoint, LogEntry

APPEND_ATTEMPTS = 5
log = logging.getLogger(__name__)


def log_size(session: Session) -> int:
    return session.exec(select(func.count()).select_from(LogEntry)).one()


def append_event(session: Session, *, event: Mapping[str, Any], now: datetime,
                 signer: Signer) -> LogEntry:
    """Append ``event`` as the next leaf, sealed under ``signer``'s key; concurrent appends
    retry on the next index.

    Events are built by :mod:`contest.ledger.events`, never sent by a person, so one without
    a type is a bug: it raises ``AssertionError`` (a 500, logged), even under ``python -O``,
    for a leaf once appended can never be taken back."""
    if "type" not in event:
        raise AssertionError(f"a log event needs a type, got fields {sorted(event)}")
    leaf = canonical_json(dict(event))
    for attempt in range(1, APPEND_ATTEMPTS + 1):
        entry = LogEntry(leaf_index=log_size(session), leaf=leaf.decode("utf-8"),
                         leaf_hash=leaf_hash(leaf).hex(), appended_at=now,
                         seal=seal(leaf, signer))
        try:
            with session.begin_nested():
                session.add(entry)
                session.flush()
            return entry
        except IntegrityError:
            if attempt == APPEND_ATTEMPTS:
                raise
    raise AssertionError("unreachable")


def tree(session: Session) -> MerkleTree:
    hashes = session.exec(select(LogEntry.leaf_hash).order_by(col(LogEntry.leaf_index))).all()
    return MerkleTree([bytes.fromhex(h) for h in hashes])


def issue_checkpoint(session: Session, *, signer: Signer, now: datetime) -> LogCheckpoint:
    """Sign the log as it is now (origin = the signer's key name).

    Raises :class:`LogTampered`, and logs it as critical, when a leaf that no checkpoint of
    ``signer`` covers yet was not appended by this app (it has no valid seal): nothing is
    signed over it."""
    foreign = unsealed_leaves(session, signer)
    if foreign:
        log.critical("the public log holds leaves this app did not append: %s; no checkpoint "
                     "is signed until they are taken out", foreign)
        raise LogTampered(N_("the log holds leaves this app did not append ({leaves}): "
                             "nothing is signed over them"),
                          {"leaves": ", ".join(str(index) for index in foreign)})
    current = tree(session)
    root = current.root()
    note = sign_checkpoint(Checkpoint(signer.name, current.size, root), signer)
    row = LogCheckpoint(size=current.size, root_hash=root.hex(), note=note, issued_at=now)
    session.add(row)
    session.flush()
    return row


def signed_size(session: Session, signer: Signer) -> int:
    """How many leaves the newest checkpoint that verifies under ``signer``'s key covers (a
    row that does not verify covers nothing)."""
    rows = session.exec(select(LogCheckpoint).order_by(col(LogCheckpoint.size).desc(),
                                                       col(LogCheckpoint.id).desc()))
    for row in rows:
        try:
            return open_checkpoint(row.note, signer.verifier()).size
        except VerificationFailed:
            continue
    return 0


def unsealed_leaves(session: Session, signer: Signer) -> list[int]:
    """The indexes of the leaves past the signed checkpoints that this app did not append:
    their seal is missing or wrong."""
    after = signed_size(session, signer)
    rows = session.exec(select(LogEntry).where(LogEntry.leaf_index >= after)
                        .order_by(col(LogEntry.leaf_index)))
    return [row.leaf_index for row in rows
            if not is_sealed(row.leaf.encode("utf-8"), row.seal, signer)]


def latest_checkpoint(session: Session) -> LogCheckpoint | None:
    return session.exec(select(LogCheckpoint).order_by(col(LogCheckpoint.size).desc(),
                                                       col(LogCheckpoint.id).desc())).first()


def read_entries(session: Session, start: int, end: int) -> list[LogEntry]:
    """Leaves ``start`` (inclusive) to ``end`` (exclusive), in order."""
    return list(session.exec(select(LogEntry).where(
        LogEntry.leaf_index >= start, LogEntry.leaf_index < end).order_by(
        col(LogEntry.leaf_index))))


def contest_events(session: Session, *, contest: str, types: Collection[str]
                   ) -> list[dict[str, Any]]:
    """The events of ``types`` about ``contest`` on the log, oldest first.

    Leaves are RFC 8785 JSON, so ``"contest":"<slug>"`` and ``"type":"<type>"`` are written
    one way only: the database narrows the leaves by those texts (a scan of the log, for no
    column indexes them) and each candidate is then read as JSON."""
    leaf = col(LogEntry.leaf)
    query = select(LogEntry.leaf).where(
        leaf.like(_containing("contest", contest), escape="\\"),
        or_(*(leaf.like(_containing("type", kind), escape="\\") for kind in types)),
    ).order_by(col(LogEntry.leaf_index))
    found = (json.loads(text) for text in session.exec(query))
    return [event for event in found
            if event.get("contest") == contest and event.get("type") in types]


def _containing(name: str, value: str) -> str:
    """A LIKE pattern (escape ``\\``) for a leaf holding the member ``name: value``."""
    member = canonical_json({name: value}).decode("utf-8")[1:-1]
    return "%" + member.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


@dataclass(frozen=True)
class LogReport:
    size: int
    checkpoints: int
    root_hash: str


def verify_log(session: Session, verifiers: Sequence[Verifier],
               signer: Signer | None = None) -> LogReport:
    """Recompute the tree from the stored leaves and check it against every checkpoint; with
    the log's ``signer``, also check that every leaf, past the last checkpoint too, was
    appended by this app (sealed, or covered by a checkpoint from before seals existed).

    Raises :class:`LogTampered` naming every leaf whose text no longer matches its hash, every
    leaf this app did not append and every checkpoint whose root the stored leaves do not
    reproduce.
    """
    problems: list[str] = []
    hashes: list[bytes] = []
    for entry in session.exec(select(LogEntry).order_by(col(LogEntry.leaf_index))):
        if entry.leaf_index != len(hashes):
            problems.append(f"leaf {len(hashes)} is missing")
        recomputed = leaf_hash(entry.leaf.encode("utf-8"))
        if recomputed.hex() != entry.leaf_hash:
            problems.append(f"leaf {entry.leaf_index} was changed: its text hashes to "
                            f"{recomputed.hex()}, the stored hash is {entry.leaf_hash}")
        hashes.append(recomputed)
    rebuilt = MerkleTree(hashes)
    rows = session.exec(select(LogCheckpoint).order_by(col(LogCheckpoint.id))).all()
    for row in rows:
        try:
            checkpoint = open_checkpoint(row.note, verifiers)
        except VerificationFailed as failure:
            problems.append(f"checkpoint {row.id} (size {row.size}): {failure}")
            continue
        if checkpoint.size > rebuilt.size:
            problems.append(f"checkpoint {row.id} covers {checkpoint.size} leaves, "
                            f"the log holds {rebuilt.size}")
            continue
        root = rebuilt.root(checkpoint.size)
        if root != checkpoint.root_hash:
            problems.append(f"checkpoint {row.id} (size {checkpoint.size}) signed root "
                            f"{checkpoint.root_hash.hex()}, the stored leaves give {root.hex()}")
    if signer is not None:
        problems += _foreign_leaves(session, signer, covered=signed_size(session, signer))
    if problems:
        raise LogTampered(N_("the log does not match its checkpoints: {problems}"),
                          {"problems": "; ".join(problems)})
    return LogReport(rebuilt.size, len(rows), rebuilt.root().hex())


def _foreign_leaves(session: Session, signer: Signer, *, covered: int) -> list[str]:
    """A problem for each leaf this app did not append: a seal that is wrong, or no seal on a
    leaf that no signed checkpoint covers."""
    problems: list[str] = []
    for entry in session.exec(select(LogEntry).order_by(col(LogEntry.leaf_index))):
        if entry.seal is None and entry.leaf_index < covered:
            continue  # appended before seals existed, and signed since
        if not is_sealed(entry.leaf.encode("utf-8"), entry.seal, signer):
            problems.append(f"leaf {entry.leaf_index} was not appended by this app")
    return problems
