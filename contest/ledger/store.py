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
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import Executable, Integer, bindparam, delete, func, insert
from sqlalchemy import select as select_rows
from sqlmodel import Session, col, select

from contest.canonical import canonical_json
from contest.errors import LogTampered, VerificationFailed
from contest.i18n import N_
from contest.ledger.merkle import CompactRange, MerkleTree, leaf_hash
from contest.ledger.note import Checkpoint, Signer, Verifier, open_checkpoint, sign_checkpoint
from contest.ledger.seal import is_sealed, seal
from contest.models import LogCheckpoint, LogEntry, PendingLeaf, table_of

APPEND_ATTEMPTS = 5
INTEGRATION_LOCK = 0x636F6E746573746C  # "contestl": one integration at a time (PostgreSQL)
log = logging.getLogger(__name__)


def log_size(session: Session) -> int:
    """How many leaves the tree holds (pending leaves are not in it yet)."""
    last = session.exec(select(func.max(LogEntry.leaf_index))).one()
    return 0 if last is None else last + 1


def leaf_row(event: Mapping[str, Any], *, now: datetime, signer: Signer) -> dict[str, Any]:
    """The stored form of ``event``: its canonical JSON, leaf hash and seal, and the contest
    and type it names (copied, to find it by them).

    Events are built by :mod:`contest.ledger.events`, never sent by a person, so one without
    a type is a bug: it raises ``AssertionError`` (a 500, logged), even under ``python -O``,
    for a leaf once appended can never be taken back."""
    if "type" not in event:
        raise AssertionError(f"a log event needs a type, got fields {sorted(event)}")
    leaf = canonical_json(dict(event))
    return {"leaf": leaf.decode("utf-8"), "leaf_hash": leaf_hash(leaf).hex(),
            "seal": seal(leaf, signer), "appended_at": now, **_copies(event)}


def _copies(event: Mapping[str, Any]) -> dict[str, Any]:
    """What is copied beside a leaf to find it: the contest, the type and the ticket it
    names, and whether it is an entry that counts."""
    return {"contest": _text(event, "contest"), "kind": str(event.get("type")),
            "ticket": _text(event, "ticket"),
            "counts": event.get("type") == "entry.accepted" and event.get("reasons") == []}


def _text(event: Mapping[str, Any], name: str) -> str | None:
    """The member ``name`` of ``event`` when it is text (what a leaf is found by)."""
    value = event.get(name)
    return value if isinstance(value, str) else None


def stage_events(session: Session, *, events: Sequence[Mapping[str, Any]], now: datetime,
                 signer: Signer) -> list[str]:
    """Append ``events`` to the log as pending leaves, sealed under ``signer``'s key, with
    one insert in the session's transaction; their leaf hashes (hex), in order.

    They enter the tree at the next integration (:func:`integrate_pending`: the background
    step, or the next event appended with :func:`append_event` or checkpoint issued)."""
    rows = [leaf_row(event, now=now, signer=signer) for event in events]
    stage_rows(session, rows)
    return [row["leaf_hash"] for row in rows]


def stage_rows(session: Session, rows: Sequence[Mapping[str, Any]]) -> None:
    """Insert pending leaves already made by :func:`leaf_row` (one statement)."""
    connection = session.connection()
    if rows and connection.dialect.name == "postgresql":
        # Every entry's transaction runs this: the driver's own statement spares it the
        # statement building of SQLAlchemy's (a third of the statement's cost).
        connection.exec_driver_sql(_PENDING_INSERT, list(rows) if len(rows) > 1 else rows[0])
    elif rows:
        connection.execute(insert(table_of(PendingLeaf)), list(rows))


PENDING_COLUMNS = ("leaf", "leaf_hash", "seal", "appended_at", "contest", "kind", "ticket",
                   "counts")
"""The columns of a pending leaf that :func:`leaf_row` gives."""
_PENDING_INSERT = (f"INSERT INTO log_pending ({', '.join(PENDING_COLUMNS)}) VALUES ("
                   + ", ".join(f"%({name})s" for name in PENDING_COLUMNS) + ")")


def integrate_pending(session: Session, *, signer: Signer,
                      limit: int | None = None) -> dict[str, int]:
    """Move the pending leaves (the first ``limit`` of them, or all) into the tree, in the
    order they were appended; the index each was given, by its leaf hash (the last, should
    one leaf be appended twice).

    Holds the log's integration lock to the end of the transaction (so two never number
    leaves at once). Raises :class:`LogTampered`, and logs it as critical, when a pending
    row was not appended by this app (its seal, hash, contest or type does not match its
    leaf): nothing is integrated, and no checkpoint is signed until it is taken out."""
    _hold_integration_lock(session)
    pending = table_of(PendingLeaf)
    rows = session.connection().execute(
        select_rows(pending).order_by(pending.c.id).limit(limit)).all()
    if not rows:
        return {}
    foreign = [row.id for row in rows if not _sound(row, signer)]
    if foreign:
        log.critical("the public log's pending leaves hold rows this app did not append: %s; "
                     "nothing is integrated until they are taken out",
                     _some(f"p{number}" for number in foreign))
        raise LogTampered(N_("the log's pending leaves hold rows this app did not append "
                             "({leaves}): nothing is signed over them"),
                          {"leaves": _some(f"p{number}" for number in foreign)})
    start = log_size(session)
    ids = [row.id for row in rows]
    for first in range(0, len(ids), _IDS_A_STATEMENT):
        chunk = ids[first:first + _IDS_A_STATEMENT]
        # The rows move inside the database: their texts are not sent back to it.
        session.connection().execute(_move_statement(), {"ids": chunk, "start": start + first})
        session.connection().execute(_forget_statement(), {"ids": chunk})
    if log_size(session) != start + len(ids):
        raise LogTampered(N_("pending leaves disappeared while they were integrated: the log "
                             "holds {count} leaves, {expected} were to be there"),
                          {"count": log_size(session), "expected": start + len(ids)})
    return {row.leaf_hash: start + offset for offset, row in enumerate(rows)}


_MOVED = ("leaf", "leaf_hash", "appended_at", "seal", "contest", "kind", "ticket", "counts")


@cache
def _move_statement() -> Executable:
    """``INSERT INTO log_entries … SELECT`` the pending rows ``ids`` in the order of their
    ids, numbered from ``start``."""
    pending = table_of(PendingLeaf)
    number = (bindparam("start", type_=Integer) - 1
              + func.row_number().over(order_by=pending.c.id))
    chosen = select_rows(number.label("leaf_index"), *(pending.c[name] for name in _MOVED)
                         ).where(pending.c.id.in_(bindparam("ids", expanding=True)))
    return insert(table_of(LogEntry)).from_select(["leaf_index", *_MOVED], chosen)


@cache
def _forget_statement() -> Executable:
    pending = table_of(PendingLeaf)
    return delete(pending).where(pending.c.id.in_(bindparam("ids", expanding=True)))


_IDS_A_STATEMENT = 5000  # well under SQLite's limit of bound parameters


def pending_count(session: Session) -> int:
    return session.exec(select(func.count()).select_from(PendingLeaf)).one()


def foreign_pending(session: Session, signer: Signer) -> list[int]:
    """The pending rows this app did not append (for the admin page's alarm)."""
    pending = table_of(PendingLeaf)
    rows = session.connection().execute(select_rows(pending).order_by(pending.c.id)).all()
    return [row.id for row in rows if not _sound(row, signer)]


def _sound(row: Any, signer: Signer) -> bool:
    """Whether a stored leaf row is as this app appended it: sealed, its hash its leaf's,
    and what is copied beside it (:func:`_copies`) what its leaf says."""
    leaf = row.leaf.encode("utf-8")
    if not is_sealed(leaf, row.seal, signer) or leaf_hash(leaf).hex() != row.leaf_hash:
        return False
    try:
        event = json.loads(leaf)
    except ValueError:
        return False
    return isinstance(event, dict) and _copies(event) == {
        "contest": row.contest, "kind": row.kind, "ticket": row.ticket,
        "counts": bool(row.counts)}


def _hold_integration_lock(session: Session) -> None:
    """PostgreSQL: the log's advisory lock, to the end of the transaction. SQLite: the
    database's write lock (a write, matching nothing, begins the transaction), which one
    connection holds at a time."""
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        connection.execute(select(func.pg_advisory_xact_lock(INTEGRATION_LOCK)))
    else:
        pending = table_of(PendingLeaf)
        connection.execute(delete(pending).where(pending.c.id < 0))


def append_event(session: Session, *, event: Mapping[str, Any], now: datetime,
                 signer: Signer) -> LogEntry:
    """Append ``event`` as the next leaf, sealed under ``signer``'s key, integrating the
    pending leaves before it: the leaf, in the tree."""
    [hash_] = stage_events(session, events=[event], now=now, signer=signer)
    index = integrate_pending(session, signer=signer)[hash_]
    entry = session.get(LogEntry, index)
    assert entry is not None, "the leaf just integrated is in this transaction"
    return entry


def tree(session: Session) -> MerkleTree:
    hashes = session.exec(select(LogEntry.leaf_hash).order_by(col(LogEntry.leaf_index))).all()
    return MerkleTree([bytes.fromhex(h) for h in hashes])


def issue_checkpoint(session: Session, *, signer: Signer, now: datetime,
                     batch: int | None = None) -> LogCheckpoint:
    """Integrate the pending leaves (the first ``batch`` of them, or all) and sign the log
    as it is then (origin = the signer's key name), keeping the tree's right edge with the
    checkpoint.

    Raises :class:`LogTampered`, and logs it as critical, when a leaf that no checkpoint of
    ``signer`` covers yet was not appended by this app (it has no valid seal): nothing is
    signed over it."""
    signed = _last_signed(session, signer)
    after = signed.size if signed is not None else 0
    # The leaves integrated now were checked as they were; those in the tree already but
    # in no checkpoint yet are checked here.
    foreign = _unsealed_after(session, signer, after)
    if foreign:
        log.critical("the public log holds leaves this app did not append: %s; no checkpoint "
                     "is signed until they are taken out", _some(map(str, foreign)))
        raise LogTampered(N_("the log holds leaves this app did not append ({leaves}): "
                             "nothing is signed over them"),
                          {"leaves": _some(str(index) for index in foreign)})
    integrate_pending(session, signer=signer, limit=batch)
    edge = signed if signed is not None and signed.size <= log_size(session) else None
    current = _extended(session, edge)
    root = current.root()
    note = sign_checkpoint(Checkpoint(signer.name, current.size, root), signer)
    row = LogCheckpoint(size=current.size, root_hash=root.hex(), note=note, issued_at=now,
                        edge=current.text())
    session.add(row)
    session.flush()
    return row


def _some(names: Iterable[str], shown: int = 20) -> str:
    """The first ``shown`` of ``names``, and how many more."""
    listed = list(names)
    more = len(listed) - shown
    return ", ".join(listed[:shown]) + (f" and {more} more" if more > 0 else "")


@dataclass(frozen=True)
class _Signed:
    """The newest checkpoint that verifies under the log's key, and its tree's edge when it
    kept one that adds up to its signed root."""

    size: int
    edge: CompactRange | None


def _last_signed(session: Session, signer: Signer) -> _Signed | None:
    for row in _newest_first(session):
        try:
            checkpoint = open_checkpoint(row.note, signer.verifier())
        except VerificationFailed:
            continue
        edge = None
        if row.edge is not None:
            try:
                edge = CompactRange.parse(checkpoint.size, row.edge)
            except ValueError:
                edge = None
            if edge is not None and edge.root() != checkpoint.root_hash:
                edge = None
        return _Signed(checkpoint.size, edge)
    return None


def _newest_first(session: Session) -> Iterator[LogCheckpoint]:
    """The checkpoints, the newest first. The newest verifies but for a row written behind
    the app's back: it is read alone (the log keeps a checkpoint per batch, thousands a
    day), and the others only if the caller asks for more."""
    newest = select(LogCheckpoint).order_by(col(LogCheckpoint.size).desc(),
                                            col(LogCheckpoint.id).desc())
    yield from session.exec(newest.limit(1))
    rest = iter(session.exec(newest.offset(1)))
    yield from rest


def _extended(session: Session, signed: _Signed | None) -> CompactRange:
    """The edge of the whole tree: the signed one's, extended by the leaves after it (or
    rebuilt from every leaf when no checkpoint kept a sound edge)."""
    start = CompactRange() if signed is None or signed.edge is None else signed.edge
    hashes = session.exec(select(LogEntry.leaf_hash).where(LogEntry.leaf_index >= start.size)
                          .order_by(col(LogEntry.leaf_index))).all()
    edge = CompactRange(start.size, start.edge)
    for hex_ in hashes:
        edge.append(bytes.fromhex(hex_))
    return edge


def signed_size(session: Session, signer: Signer) -> int:
    """How many leaves the newest checkpoint that verifies under ``signer``'s key covers (a
    row that does not verify covers nothing)."""
    signed = _last_signed(session, signer)
    return 0 if signed is None else signed.size


def unsealed_leaves(session: Session, signer: Signer) -> list[int]:
    """The indexes of the leaves past the signed checkpoints that this app did not append:
    their seal is missing or wrong, or their hash, contest or type is not their leaf's."""
    return _unsealed_after(session, signer, signed_size(session, signer))


def _unsealed_after(session: Session, signer: Signer, after: int) -> list[int]:
    table = table_of(LogEntry)
    rows = session.connection().execute(select_rows(table).where(table.c.leaf_index >= after)
                                        .order_by(table.c.leaf_index))
    return [row.leaf_index for row in rows if not _sound(row, signer)]


@dataclass(frozen=True)
class EntryLeaf:
    """An entry's ``entry.accepted`` leaf: its text and hash, and its index in the tree
    (``None`` while it is pending)."""

    leaf: str
    leaf_hash: str
    leaf_index: int | None


def entry_leaf(session: Session, *, contest: str, ticket: str) -> EntryLeaf | None:
    """The ``entry.accepted`` leaf of ``ticket`` in ``contest``, in the tree or pending;
    ``None`` when the log has none (an entry accepted before entries were logged). Found by
    the ticket copied beside the leaf, and checked against its text."""
    for model in (LogEntry, PendingLeaf):
        table = table_of(model)
        order = table.c.leaf_index if model is LogEntry else table.c.id
        rows = session.connection().execute(select_rows(table).where(
            table.c.ticket == ticket, table.c.contest == contest,
            table.c.kind == "entry.accepted").order_by(order))
        for row in rows:
            event = json.loads(row.leaf)
            if (isinstance(event, dict) and event.get("ticket") == ticket
                    and event.get("contest") == contest
                    and event.get("type") == "entry.accepted"):
                return EntryLeaf(row.leaf, row.leaf_hash,
                                 row.leaf_index if model is LogEntry else None)
    return None


def first_checkpoint_covering(session: Session, leaf_index: int,
                              signer: Signer) -> LogCheckpoint | None:
    """The first checkpoint signed by ``signer``'s key whose tree holds leaf ``leaf_index``
    (the one signed for its batch), or ``None`` before one is."""
    rows = session.exec(select(LogCheckpoint).where(LogCheckpoint.size > leaf_index)
                        .order_by(col(LogCheckpoint.size), col(LogCheckpoint.id)))
    for row in rows:
        try:
            open_checkpoint(row.note, signer.verifier())
        except VerificationFailed:
            continue
        return row
    return None


def latest_checkpoint(session: Session) -> LogCheckpoint | None:
    return session.exec(select(LogCheckpoint).order_by(col(LogCheckpoint.size).desc(),
                                                       col(LogCheckpoint.id).desc())
                        .limit(1)).first()


def read_entries(session: Session, start: int, end: int) -> list[LogEntry]:
    """Leaves ``start`` (inclusive) to ``end`` (exclusive), in order."""
    return list(session.exec(select(LogEntry).where(
        LogEntry.leaf_index >= start, LogEntry.leaf_index < end).order_by(
        col(LogEntry.leaf_index))))


def contest_events(session: Session, *, contest: str, types: Collection[str]
                   ) -> list[dict[str, Any]]:
    """The events of ``types`` about ``contest`` on the log, oldest first.

    Found through the contest and type copied beside each leaf (indexed), and each then
    read from its text: a copy that does not match its leaf finds nothing more."""
    table = table_of(LogEntry)
    query = select_rows(table.c.leaf).where(table.c.contest == contest,
                                            table.c.kind.in_(list(types))
                                            ).order_by(table.c.leaf_index)
    found = (json.loads(text) for text in session.connection().execute(query).scalars())
    return [event for event in found
            if event.get("contest") == contest and event.get("type") in types]


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
