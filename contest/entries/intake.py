"""Taking entries from the web form or the JSON API.

The entry moment is the server's ``now``: outside the entry period the entry is refused and
nothing is stored. Inside it, the entry is stored even when ineligible, with its reason codes.
A repeated idempotency key for the same contest returns the entry already stored, also when
two requests race: the database's unique (contest, idempotency key) constraint decides, and
the loser reads the winner's row. A key stands for one entry: sent again with an entry whose
stated fields differ (:func:`same_entry`), it is refused with :class:`IdempotencyKeyReused`
and the entry stored under it stands.

Entries of one person or household are stored one transaction at a time, so that the limits
of the later one see the earlier: PostgreSQL advisory locks on the people's keys, held to the
end of the transaction (in lock-id order, so two intakes never wait for each other in a
circle). SQLite lets one writer at a time anyway.

An entry is taken in two steps: :func:`prepare_entry` checks it (no writes), and
:func:`store_entries` stores one or several prepared entries in one transaction, so that the
entry API can store the entries that arrive together with one commit (see
:mod:`contest.entries.group_intake`). A busy contest takes hundreds of entries a second, so
storing costs few round trips: on PostgreSQL one Core statement, built once, takes the
locks and inserts every entry (SQLite inserts them one by one, in process), one more reads
the limits of all of them, and the idempotency key is looked up only when an insert was
refused or the entry is refused before it.
"""

import hashlib
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from functools import cache
from typing import Any

from sqlalchemy import (
    BigInteger,
    Executable,
    Integer,
    bindparam,
    exists,
    func,
    literal_column,
    true,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session, select

from contest.entries.eligibility import EntrantKeys, apply_limits, local_day, static_reasons
from contest.entries.submission import Submission, parse_submission
from contest.entries.tickets import new_ticket
from contest.errors import (
    ContestError,
    EntryRejected,
    FieldError,
    IdempotencyKeyReused,
    RulesChanged,
)
from contest.i18n import N_
from contest.lifecycle import Action, Stage, allowed, stage_of
from contest.models import Channel, Contest, Entry, RulesVersion
from contest.rules.document import RulesDocument
from contest.text import text_error

TICKET_ATTEMPTS = 3


@cache
def idempotency_limit() -> int:
    length = Entry.__table__.c["idempotency_key"].type.length  # type: ignore[attr-defined]
    assert isinstance(length, int)
    return length


def default_country(rules: RulesDocument) -> str | None:
    """The region for phones without a country code: the contest's only allowed country."""
    countries = rules.eligibility.countries
    return countries[0] if len(countries) == 1 else None


def submit_entry(
    session: Session,
    *,
    contest: Contest,
    version: RulesVersion,
    rules: RulesDocument,
    data: Mapping[str, str | None],
    channel: Channel,
    idempotency_key: str | None,
    now: datetime,
    language: str = "en",
    actor_id: int | None = None,
) -> Entry:
    """Store the entry ``data`` describes, made at ``now`` under ``version`` of the rules.

    Returns the stored entry (eligible or not), or the one stored earlier under the same
    ``idempotency_key``. Raises :class:`EntryRejected` for invalid fields, an over-long key,
    or a contest that is not open at ``now``. The caller commits.
    """
    taken = take_entry(session, contest=contest, version=version, rules=rules, data=data,
                       channel=channel, idempotency_key=idempotency_key, now=now,
                       language=language, actor_id=actor_id)
    entry = session.get(Entry, taken.id)
    assert entry is not None, "the entry just taken is in this transaction"
    return entry


@dataclass(frozen=True)
class TakenEntry:
    """An entry just taken: what its receipt says, whether it counts, and whether it is new
    (``False``: it was stored earlier under the same idempotency key)."""

    id: int
    ticket: str
    rules_sha256: str
    received_at: datetime
    eligible: bool
    reasons: str
    new: bool

    @classmethod
    def of(cls, entry: Entry, *, new: bool) -> "TakenEntry":
        assert entry.id is not None
        return cls(entry.id, entry.ticket, entry.rules_sha256, entry.received_at,
                   entry.eligible, entry.reasons, new)


def take_entry(
    session: Session,
    *,
    contest: Contest,
    version: RulesVersion,
    rules: RulesDocument,
    data: Mapping[str, str | None],
    channel: Channel,
    idempotency_key: str | None,
    now: datetime,
    language: str = "en",
    actor_id: int | None = None,
    only_if_current: bool = False,
) -> TakenEntry:
    """:func:`submit_entry` without reading the entry back: what the entrant is told.

    With ``only_if_current``, the entry is stored only if ``version`` is still the contest's
    newest published version when it is inserted (checked by the insert itself), else
    :class:`RulesChanged` is raised and nothing is stored: for callers that keep the current
    rules in memory rather than reading them for every entry.
    """
    prepared = prepare_entry(session, contest=contest, version=version, rules=rules, data=data,
                             channel=channel, idempotency_key=idempotency_key, now=now,
                             language=language, actor_id=actor_id)
    if isinstance(prepared, TakenEntry):
        return prepared
    [outcome] = store_entries(session, version=version, rules=rules, entries=[prepared],
                              only_if_current=only_if_current)
    if isinstance(outcome, ContestError):
        raise outcome
    return outcome


@dataclass(frozen=True)
class PreparedEntry:
    """An entry whose fields passed their checks, ready to be stored: the values of its row
    (all but the ticket, drawn as it is inserted) and the person its limits count."""

    submission: Submission
    row: Mapping[str, Any]


def prepare_entry(
    session: Session,
    *,
    contest: Contest,
    version: RulesVersion,
    rules: RulesDocument,
    data: Mapping[str, str | None],
    channel: Channel,
    idempotency_key: str | None,
    now: datetime,
    language: str = "en",
    actor_id: int | None = None,
) -> "PreparedEntry | TakenEntry":
    """Check the entry ``data`` describes, made at ``now`` under ``version`` of the rules,
    and decide its static reasons; nothing is stored yet (see :func:`store_entries`).

    Raises :class:`EntryRejected` for invalid fields, a key that is too long or not one line
    of text, or a contest that is not open at ``now``, unless ``idempotency_key`` was used
    before: then the entry stored under it is returned, even once the contest closed, if
    ``data`` is the same entry (:func:`same_entry`), else :class:`IdempotencyKeyReused` is
    raised.
    """
    assert contest.id is not None and version.contest_id == contest.id, "version of contest"
    assert version.id is not None
    if idempotency_key is not None:
        _check_key(idempotency_key)
    try:
        _check_open(rules, now)
        submission = parse_submission(
            data, default_country=default_country(rules), today=local_day(rules, now)
        )
    except EntryRejected:
        if idempotency_key is not None:
            existing = find_by_idempotency_key(session, contest_id=contest.id,
                                               key=idempotency_key)
            if existing is not None:
                return _taken_again(existing, data, rules=rules, now=now)
        raise
    reasons = static_reasons(rules, submission, now)
    return PreparedEntry(submission, {
        "contest_id": contest.id, "rules_version_id": version.id,
        "rules_sha256": version.sha256, "channel": channel.value,
        "idempotency_key": idempotency_key or f"auto:{secrets.token_hex(16)}",
        "source_entry_id": submission.entry_id, "submitted_at": now, "received_at": now,
        "language": language, "full_name": submission.full_name, "email": submission.email,
        "email_key": submission.email_key, "phone": submission.phone,
        "birth_date": submission.birth_date, "address": submission.address,
        "city": submission.city, "postal_code": submission.postal_code,
        "country": submission.country, "household_key": submission.household_key,
        "ip": submission.ip, "device_id": submission.device_id,
        "social_handle": submission.social_handle, "eligible": not reasons,
        "reasons": ",".join(reasons), "created_by_id": actor_id,
    })


def store_entries(
    session: Session,
    *,
    version: RulesVersion,
    rules: RulesDocument,
    entries: Sequence[PreparedEntry],
    only_if_current: bool = False,
) -> list["TakenEntry | ContestError"]:
    """Store ``entries``, prepared under ``version``, in the session's transaction, in order,
    and recompute the limits of their people once for all of them. The caller commits.

    Returns each entry's outcome: the entry as taken, the one stored earlier under its
    idempotency key (``new`` false), or the error that kept it out (such as
    :class:`IdempotencyKeyReused` when that earlier one is another entry). With
    ``only_if_current``, raises :class:`RulesChanged` when ``version`` is no longer the
    newest, and then nothing may be committed.

    On PostgreSQL one statement inserts them all, having first taken the advisory locks of
    every person and household of ``entries`` (in lock-id order, so two transactions never
    wait for each other in a circle), held to the end of the transaction.
    """
    assert version.id is not None
    connection = session.connection()
    postgresql = connection.dialect.name == "postgresql"
    rows = [dict(entry.row) for entry in entries]
    insert = _insert_rows if postgresql else _insert_each
    locks = sorted({lock for entry in entries
                    for lock in _person_locks(version.contest_id, entry.submission)}
                   ) if postgresql else []
    outcomes: list[TakenEntry | ContestError | None] = [None] * len(entries)
    pending = list(range(len(entries)))
    for _ in range(TICKET_ATTEMPTS):
        for index in pending:
            rows[index]["ticket"] = new_ticket()
        ids = insert(session, [rows[index] for index in pending], locks=locks,
                     version=version, only_if_current=only_if_current)
        locks = []  # held now, to the end of the transaction
        refused = []
        for index, entry_id in zip(pending, ids, strict=True):
            row = rows[index]
            if entry_id is not None:
                outcomes[index] = TakenEntry(
                    entry_id, row["ticket"], version.sha256, row["received_at"].astimezone(UTC),
                    row["eligible"], row["reasons"], True)
                continue
            # Its key was stored first (by a concurrent request, or earlier in this group),
            # the rules changed, or (about never) the ticket collided; nothing was written
            # and the transaction goes on.
            existing = find_by_idempotency_key(session, contest_id=version.contest_id,
                                               key=row["idempotency_key"])
            if existing is not None:
                outcomes[index] = (
                    TakenEntry.of(existing, new=False)
                    if same_entry(existing, entries[index].submission)
                    else _key_reused(row["idempotency_key"]))
                continue
            if only_if_current:
                _check_current(session, version)
            refused.append(index)
        pending = refused
        if not pending:
            break
    for index in pending:
        outcomes[index] = ContestError(N_("no free ticket after {attempts} attempts"),
                                       {"attempts": TICKET_ATTEMPTS})
    stored = [entry.submission for entry, outcome in zip(entries, outcomes, strict=True)
              if isinstance(outcome, TakenEntry) and outcome.new]
    changed = apply_limits(session, contest_id=version.contest_id, rules=rules,
                           people=EntrantKeys.of(stored)) if stored else {}
    assert all(outcome is not None for outcome in outcomes), "every entry has its outcome"
    return [replace(outcome, eligible=changed[outcome.id][0], reasons=changed[outcome.id][1])
            if isinstance(outcome, TakenEntry) and outcome.id in changed else outcome
            for outcome in outcomes if outcome is not None]


def _insert_rows(session: Session, rows: list[dict[str, Any]], *, locks: list[int],
                 version: RulesVersion, only_if_current: bool) -> list[int | None]:
    """PostgreSQL: insert ``rows`` with one statement; each row's id, or ``None`` for a row
    that was not stored."""
    parameters: dict[str, Any] = {name: [row[name] for row in rows] for name in _columns()}
    parameters["locks"] = locks
    if only_if_current:
        parameters["rules_version"] = version.version
    result = session.connection().execute(_rows_statement(only_if_current=only_if_current),
                                          parameters)
    stored = {(ticket, key): entry_id for entry_id, ticket, key in result}
    return [stored.get((row["ticket"], row["idempotency_key"])) for row in rows]


def _insert_each(session: Session, rows: list[dict[str, Any]], *, locks: list[int],
                 version: RulesVersion, only_if_current: bool) -> list[int | None]:
    """SQLite (one writer at a time, no locks to take): insert ``rows`` one by one."""
    connection = session.connection()
    statement = _row_statement(only_if_current=only_if_current)
    extra = {"rules_version": version.version} if only_if_current else {}
    return [connection.execute(statement, row | extra).scalar() for row in rows]


@cache
def _columns() -> tuple[str, ...]:
    """The names of the columns an entry's row gives: all but the id."""
    table = Entry.__table__  # type: ignore[attr-defined]
    return tuple(column.name for column in table.c if column.name != "id")


@cache
def _rows_statement(*, only_if_current: bool) -> Executable:
    """PostgreSQL's ``INSERT … SELECT … FROM unnest(…) … ON CONFLICT DO NOTHING RETURNING
    id, ticket, idempotency_key``, built once: every column is one array parameter, with an
    element per row, so one statement (prepared once) stores a group of any size, in order.
    The ticket and the idempotency key are unique, so a row with a taken one stores nothing.

    The rows are selected from the advisory locks (``locks``, taken in order, held to the end
    of the transaction), so they are held before anything is inserted; the limits are read by
    the next statement, whose snapshot then shows the entries of anyone who held them before.
    With ``only_if_current``, there are rows only while no rules version newer than
    ``rules_version`` exists.
    """
    table = Entry.__table__  # type: ignore[attr-defined]
    columns = [table.c[name] for name in _columns()]
    given = (func.unnest(*(bindparam(column.name, type_=ARRAY(column.type))
                           for column in columns))
             .table_valued(*_columns(), with_ordinality="ordinal").render_derived(name="given"))
    wanted = (select(func.unnest(bindparam("locks", type_=ARRAY(BigInteger))).label("lock"))
              .order_by(literal_column("1")).subquery("wanted"))
    locked = select(func.count(func.pg_advisory_xact_lock(wanted.c.lock)).label("held"))
    rows = (select(*(given.c[name] for name in _columns()))
            .select_from(locked.subquery("locked").join(given, true()))
            .order_by(given.c.ordinal))
    if only_if_current:
        versions = RulesVersion.__table__  # type: ignore[attr-defined]
        rows = rows.where(~exists().where(
            versions.c.contest_id == given.c.contest_id,
            versions.c.version > bindparam("rules_version", type_=Integer)))
    return (postgresql_insert(table).from_select(list(_columns()), rows)
            .on_conflict_do_nothing().returning(table.c.id, table.c.ticket,
                                                table.c.idempotency_key))


@cache
def _row_statement(*, only_if_current: bool) -> Executable:
    """SQLite's ``INSERT … ON CONFLICT DO NOTHING RETURNING id`` of one row, every column a
    parameter, built once; with ``only_if_current``, the row is stored only while no rules
    version newer than ``rules_version`` exists."""
    table = Entry.__table__  # type: ignore[attr-defined]
    if not only_if_current:  # SQLite reads "INSERT … SELECT … ON CONFLICT" without a WHERE
        statement = sqlite_insert(table).values(  # as a join
            {name: bindparam(name) for name in _columns()})
    else:
        versions = RulesVersion.__table__  # type: ignore[attr-defined]
        row = select(*(bindparam(name, type_=table.c[name].type) for name in _columns()))
        statement = sqlite_insert(table).from_select(list(_columns()), row.where(~exists().where(
            versions.c.contest_id == bindparam("contest_id"),
            versions.c.version > bindparam("rules_version", type_=Integer))))
    return statement.on_conflict_do_nothing().returning(table.c.id)


def _person_locks(contest_id: int, submission: Submission) -> list[int]:
    """The advisory lock ids of the person's and household's keys."""
    names = {f"{contest_id}:{kind}:{value}" for kind, value in (
        ("email", submission.email_key), ("phone", submission.phone),
        ("household", submission.household_key)) if value}
    return sorted(int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big",
                                 signed=True) for name in names)


def _check_current(session: Session, version: RulesVersion) -> None:
    """Raise :class:`RulesChanged` if a newer version than ``version`` is published."""
    newest = session.connection().execute(
        select(func.max(RulesVersion.version)).where(
            RulesVersion.contest_id == version.contest_id)).scalar()
    if newest is not None and newest > version.version:
        raise RulesChanged(N_("the rules changed from version {version} to {newest} while "
                              "the entry was taken"),
                           {"version": version.version, "newest": newest})


# What an idempotency key stands for: the fields the entrant states, as normalised (names
# with their spaces collapsed, e-mail addresses by their key, phones in E.164, country codes
# in capitals); the moment, the address the entry came from and the language are the
# server's, and differ between a request and its retry.
_STATED = ("full_name", "email_key", "phone", "birth_date", "address", "city", "postal_code",
           "country", "device_id", "social_handle")


def same_entry(entry: Entry, submission: Submission) -> bool:
    """Whether ``submission`` states the entry stored as ``entry``: what an idempotency key
    sent again must come with to return that entry."""
    return entry.source_entry_id == submission.entry_id and all(
        getattr(entry, name) == getattr(submission, name) for name in _STATED)


def _key_reused(key: str) -> IdempotencyKeyReused:
    return IdempotencyKeyReused(
        N_("the idempotency key \"{key}\" was already used for a different entry; send a "
           "new key for a new entry"), {"key": key})


def _taken_again(existing: Entry, data: Mapping[str, str | None], *, rules: RulesDocument,
                 now: datetime) -> TakenEntry:
    """The entry stored under a key sent again with ``data``, an entry refused as it stands
    (the contest closed since, say); if ``data`` is not that entry, the key was reused."""
    try:
        submission = parse_submission(data, default_country=default_country(rules),
                                      today=local_day(rules, now))
    except EntryRejected:
        submission = None  # the entry stored was valid: this one is another
    if submission is None or not same_entry(existing, submission):
        raise _key_reused(existing.idempotency_key)
    return TakenEntry.of(existing, new=False)


def _check_key(key: str) -> None:
    """Refuse an idempotency key that is too long or not one line of text."""
    error = text_error("idempotency_key", key, one_line=True)
    if error is None and len(key) > idempotency_limit():
        error = FieldError("idempotency_key", "too_long",
                           N_("is {length} characters long, at most {max} are allowed"),
                           {"length": len(key), "max": idempotency_limit()})
    if error is not None:
        raise EntryRejected(N_("the entry has {count} errors"), [error])


def find_by_idempotency_key(session: Session, *, contest_id: int, key: str) -> Entry | None:
    statement = select(Entry).where(Entry.contest_id == contest_id, Entry.idempotency_key == key)
    return session.exec(statement).first()


def _check_open(rules: RulesDocument, now: datetime) -> None:
    """The lifecycle takes entries only in a contest's open stage; say which side it is on.
    (A frozen or drawn contest has closed: its rules can no longer move the close.)"""
    stage = stage_of(rules, None, now)
    if allowed(Action.ENTER, stage, None):
        return
    period = rules.period
    if stage == Stage.SCHEDULED:
        raise EntryRejected(N_("the entry has {count} errors"), [FieldError(
            "contest", "not_open_yet", N_("the contest opens at {opens_at}; it is now {now}"),
            {"opens_at": period.opens_at.isoformat(), "now": now.isoformat()},
        )])
    raise EntryRejected(N_("the entry has {count} errors"), [FieldError(
        "contest", "closed", N_("the contest closed at {closes_at}; it is now {now}"),
        {"closes_at": period.closes_at.isoformat(), "now": now.isoformat()},
    )])
