"""Taking entries into a contest: the one way in, for every channel.

The web form, the JSON API (through :mod:`contest.entries.group_intake`, which batches the
entries that arrive together), the CSV import, the demo and the channels still to come hand
:func:`take_entries` what arrived (each an :class:`Arrival`) and the contest with its current
rules (:class:`~contest.rules.versions.PublishedContest`). It checks each entry
(:func:`~contest.entries.submission.parse_submission`), decides its static reasons
(:mod:`contest.entries.eligibility`), builds its row (:func:`_row`), stores the rows with one
statement (:func:`_insert`) and recomputes the limits once for all of them. An entry is
stored even when ineligible, with its reason codes, except that a live channel's entry
whose entrant the rules exclude by age or country (or who leaves out a field the rules need
to tell: :mod:`contest.entries.requirements`) is refused before anything of it is stored,
with an error for each such field (:func:`~contest.entries.eligibility.refusals`): a
child's details are not kept. So is a live entry whose e-mail address no mail can reach, or
is disposable when the rules refuse those (:mod:`contest.entries.door`). A live entry also
needs the entrant's consent to the processing of personal data
(:mod:`contest.entries.consent`); the text agreed to is kept once (``consent_texts``) and
named on the entry. When the rules ask entrants to confirm their e-mail address, a live
entry must give one, and is stored waiting for confirmation
(:mod:`contest.entries.confirmation`).

Two kinds of channel. *Live* channels (the form, the API) take an entry at the server's
moment and only while the contest is open (the lifecycle's ``enter``): outside the entry
period it is refused and nothing is stored. Entries *brought in* (:data:`BROUGHT_IN`: the
CSV import; a giveaway in a social network is collected after it ends) state the moment they
were made and are judged at that moment (one stamped after it arrived does not count); they
may arrive until the freeze (the lifecycle's ``import_entries``).

A repeated idempotency key for the same contest returns the entry already stored, also when
two requests race: the database's unique (contest, idempotency key) constraint decides, and
the loser reads the winner's row. A key a sender gives stands for one entry: sent again with
an entry whose stated fields differ (:func:`same_entry`), it is refused with
:class:`IdempotencyKeyReused` and the entry stored under it stands. An entry brought in is
keyed by its source: ``csv:<entry id>``, or without an id the SHA-256 of its normalised
values (``csv-sha256:<hex>``), so bringing a file in again adds nothing; those keys are
looked up before the entries are checked, as most of a file brought in again is known, and
such an entry is answered :attr:`BroughtIn.BEFORE`, not with a receipt nobody waits for.

Entries of one person or household are stored one transaction at a time, so that the limits
of the later one see the earlier: PostgreSQL advisory locks on the people's keys, held to the
end of the transaction (in lock-id order, so two intakes never wait for each other in a
circle). SQLite lets one writer at a time anyway. A take of more than :data:`CROWD` entries
(an import) takes no lock per person and recomputes the limits of the whole contest instead.

A busy contest takes hundreds of entries a second, so storing costs few round trips: one
statement, built once, stores up to :data:`BATCH_SIZE` entries (on PostgreSQL it also takes
the locks), one more reads the limits of all of them, and the keys of live entries are
looked up only for the entries an insert refused.
"""

import hashlib
import json
import secrets
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from enum import Enum
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
    select,
    true,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Row
from sqlmodel import Session, col

from contest.db import advisory_lock_id
from contest.entries.confirmation import ask, asks
from contest.entries.consent import Consent, consent_error, consents
from contest.entries.door import door_refusals
from contest.entries.eligibility import (
    EntrantKeys,
    Reason,
    apply_limits,
    local_day,
    refusals,
    static_reasons,
    verdict,
)
from contest.entries.submission import COLUMNS, Submission, parse_submission
from contest.entries.tickets import new_ticket
from contest.errors import (
    ContestError,
    EntryRejected,
    FieldError,
    IdempotencyKeyReused,
    RulesChanged,
    TryAgain,
)
from contest.i18n import N_, N_plural
from contest.ledger import events
from contest.ledger.note import Signer
from contest.ledger.store import PENDING_COLUMNS, leaf_row, stage_events, stage_rows
from contest.lifecycle import Action, Stage, allowed, require
from contest.models import (
    Channel,
    ConsentText,
    Entry,
    PendingLeaf,
    RulesVersion,
    column_length,
    table_of,
)
from contest.rules.document import RulesDocument
from contest.rules.status import contest_stage, stage_of
from contest.rules.versions import PublishedContest
from contest.text import text_error

TICKET_ATTEMPTS = 3
BATCH_SIZE = 2000
"""Entries stored by one statement: a file of 100,000 rows goes in with 50."""
CROWD = 256
"""A take of more entries than this recounts the limits of the whole contest, once, rather
than those of its entrants, and takes no advisory lock per person: PostgreSQL's lock table
holds a few thousand locks for every transaction at once."""
BROUGHT_IN: frozenset[Channel] = frozenset({Channel.CSV, Channel.VK, Channel.INSTAGRAM})
"""The channels whose entries were made elsewhere and are brought in (see the module)."""
FROM_NETWORKS: frozenset[Channel] = frozenset({Channel.VK, Channel.TELEGRAM, Channel.INSTAGRAM})
"""The channels of the social networks, which tell no birth date or country: the winner
confirms them when claiming the prize, so a missing one keeps no entry out."""


@dataclass(frozen=True, slots=True)  # an import makes one for every row it reads
class Arrival:
    """One entry as it arrived: the fields it states (keyed by
    :data:`~contest.entries.submission.COLUMNS`), the channel it came through, the moment it
    reached the server, the key that makes sending it again harmless (``None``: none given),
    the language of the person who sent it, and the staff account that brought it in."""

    data: Mapping[str, str | None]
    channel: Channel
    at: datetime
    idempotency_key: str | None = None
    language: str = "en"
    actor_id: int | None = None
    consent: str | None = None
    """The version of the consent to the processing of personal data the sender agreed to
    (:mod:`contest.entries.consent`): required of a live channel's entry."""
    reasons: tuple[Reason, ...] = ()
    """Reasons known where the entry came from that it does not count: a social network's
    read found a condition of the rules unmet (``condition_unmet``)."""

    @property
    def brought_in(self) -> bool:
        return self.channel in BROUGHT_IN


@dataclass(frozen=True, slots=True)  # an import makes one for every row it reads
class TakenEntry:
    """An entry just taken: what its receipt says, whether it counts, and whether it is new
    (``False``: it was stored earlier under the same idempotency key)."""

    id: int
    ticket: str
    rules_sha256: str
    received_at: datetime
    reasons: tuple[str, ...]
    new: bool
    channel: str = ""
    leaf_hash: str | None = None
    """The hash of the entry's ``entry.accepted`` leaf on the public log (hex), when it was
    just appended; ``None`` for an entry stored before (its receipt looks it up)."""

    @property
    def eligible(self) -> bool:
        return not self.reasons

    @classmethod
    def of(cls, entry: Entry, version: RulesVersion | None, *,
           new: bool = False) -> "TakenEntry":
        """``entry``, stored under ``version`` of the rules, as taken."""
        assert entry.id is not None and version is not None
        assert entry.rules_version_id == version.id, "the version the entry was taken under"
        return cls(entry.id, entry.ticket, version.sha256, entry.received_at, entry.reasons,
                   new, entry.channel)


class BroughtIn(Enum):
    """What became of an entry brought in again: it was stored when it was first brought in
    (``BEFORE``). Nobody waits for the receipt of an entry brought in, so none is read: an
    import brought in again would read one for each of its rows."""

    BEFORE = "before"


Outcome = TakenEntry | BroughtIn | ContestError
"""What became of one arrival: the entry as taken, :attr:`BroughtIn.BEFORE`, or the error
that kept it out."""


def take_entry(session: Session, *, contest: PublishedContest, arrival: Arrival,
               signer: Signer, only_if_current: bool = False) -> TakenEntry:
    """:func:`take_entries` of one entry that came through a live channel (its sender waits
    for the receipt): the entry as taken, or its error raised."""
    assert not arrival.brought_in, "entries brought in are taken by take_entries"
    [outcome] = take_entries(session, contest=contest, arrivals=[arrival], signer=signer,
                             only_if_current=only_if_current)
    if isinstance(outcome, ContestError):
        raise outcome
    assert isinstance(outcome, TakenEntry), "a live entry is answered with its receipt"
    return outcome


def take_entries(
    session: Session,
    *,
    contest: PublishedContest,
    arrivals: Sequence[Arrival],
    signer: Signer,
    only_if_current: bool = False,
    on_progress: Callable[[int], None] | None = None,
    on_warnings: Callable[[int, Sequence[FieldError]], None] | None = None,
) -> list[Outcome]:
    """Take ``arrivals`` into ``contest`` under its current rules, in order, in the session's
    transaction; the caller commits.

    Returns each arrival's outcome, in order: the entry as taken; the one stored earlier under
    its idempotency key (``new`` false), or :attr:`BroughtIn.BEFORE` for an entry brought in
    again (a key its source gave, as every entry brought in has); or the error that kept it
    out, such as
    :class:`EntryRejected` (invalid fields, a key that is too long or not one line of text, a
    live channel's entry while the contest is not open) or :class:`IdempotencyKeyReused`. A
    key sent again is answered with its entry even once the contest closed.

    Raises :class:`~contest.lifecycle.StageForbids` when entries are brought in after the
    freeze. With ``only_if_current``, raises :class:`RulesChanged` when a version newer than
    ``contest.version`` is published (checked by the insert itself), and then nothing may be
    committed: for callers that keep the current rules in memory rather than reading them
    for every entry. ``on_progress(done)`` is called after each batch of entries.

    Every entry stored is appended to the public log, in the same transaction, as a pending
    ``entry.accepted`` leaf sealed under ``signer``'s key (its reasons are those known before
    the limits are counted: :func:`_store`), and every entry whose reasons the count then
    changed, this take's or an earlier one, as an ``entry.recounted`` leaf
    (:func:`_log_recounts`).
    """
    for moment in sorted({arrival.at for arrival in arrivals if arrival.brought_in}):
        require(Action.IMPORT_ENTRIES, contest_stage(session, contest.contest, moment),
                slug=contest.contest.slug)
    crowd = len(arrivals) > CROWD
    offered = consents(contest.rules) if not all(
        arrival.brought_in for arrival in arrivals) else {}
    outcomes: list[Outcome] = []
    stored: list[_Row] = []  # the rows whose entrants' limits are recounted (not a crowd's)
    any_stored = False
    for start in range(0, len(arrivals), BATCH_SIZE):
        batch = range(start, min(start + BATCH_SIZE, len(arrivals)))
        checked, given = _check(session, contest, arrivals, batch, offered, on_warnings)
        waiting = [index for index, item in enumerate(checked) if isinstance(item, dict)]
        rows = [item for item in checked if isinstance(item, dict)]
        _keep_consents(session, [offered[version] for version in sorted(
            {row["consent_sha256"] for row in rows} - {None})])
        results = _store(session, contest, rows, [given.get(index) for index in waiting],
                         lock=not crowd, only_if_current=only_if_current, signer=signer)
        for index, row, result in zip(waiting, rows, results, strict=True):
            checked[index] = result
            if isinstance(result, TakenEntry) and result.new:
                any_stored = True
                if not crowd:
                    stored.append(row)
        outcomes.extend(item for item in checked if not isinstance(item, dict))
        if on_progress is not None:
            on_progress(batch.stop)
    if not any_stored:
        return outcomes
    if contest.rules.defences.confirm_email:
        ask(session, entry_ids=[outcome.id for outcome in outcomes
                                if isinstance(outcome, TakenEntry) and outcome.new
                                and asks(contest.rules, outcome.channel)],
            now=max(arrival.at for arrival in arrivals))
    changed = apply_limits(session, contest_id=contest.contest_id, rules=contest.rules,
                           people=None if crowd else _entrants(stored))
    outcomes = [replace(outcome, reasons=changed[outcome.id])
                if isinstance(outcome, TakenEntry) and outcome.id in changed else outcome
                for outcome in outcomes]
    _log_recounts(session, contest, outcomes, changed, signer=signer,
                  now=max(arrival.at for arrival in arrivals))
    return outcomes


def _log_recounts(session: Session, contest: PublishedContest, outcomes: list[Outcome],
                  changed: Mapping[int, tuple[str, ...]], *, signer: Signer,
                  now: datetime) -> None:
    """Append an ``entry.recounted`` event for each entry whose reasons the count of the
    limits changed: one just stored (its ``entry.accepted`` event, appended with it, holds
    the reasons known before the count) or an earlier one."""
    if not changed:
        return
    known = {outcome.id: outcome.ticket for outcome in outcomes
             if isinstance(outcome, TakenEntry) and outcome.id in changed}
    tickets = known | _tickets(session, sorted(set(changed) - set(known)))
    stage_events(session, events=[
        events.entry_recounted(contest=contest.contest.slug, ticket=tickets[entry_id],
                               reasons=changed[entry_id], at=now)
        for entry_id in sorted(changed)], now=now, signer=signer)


def _tickets(session: Session, entry_ids: Sequence[int]) -> dict[int, str]:
    """The tickets of the entries ``entry_ids`` (a few, recounted)."""
    if not entry_ids:
        return {}
    entries = table_of(Entry)
    rows = session.connection().execute(
        select(entries.c.id, entries.c.ticket).where(entries.c.id.in_(entry_ids)))
    return {entry_id: ticket for entry_id, ticket in rows}


_Row = dict[str, Any]
"""The values of an entry's row: every column but the id (and the ticket, until drawn)."""


def _check(session: Session, contest: PublishedContest, arrivals: Sequence[Arrival],
           batch: range, offered: Mapping[str, Consent],
           on_warnings: Callable[[int, Sequence[FieldError]], None] | None = None,
           ) -> tuple[list[_Row | Outcome], dict[int, Submission]]:
    """The arrivals of ``batch`` (their places in ``arrivals``), each as the row it is to be
    stored as, or as its outcome when that is known already: the entry stored under the key
    it was brought in with, or the error that keeps it out. And by place in the batch, the
    fields of the entries whose sender gave their key (it then stands for them only).

    An entry brought in again is found by its key without being checked again when the key
    is known before its fields are (the source's entry id), after the check otherwise (the
    hash of its values): one look-up of a batch's keys each time.

    An import checks thousands of entries a batch, so what is kept of each through the batch
    is plain values (a row the garbage collector soon stops walking), not the arrival (read
    from ``arrivals`` when used: an import makes them as they are read) nor its submission.
    Objects kept that long outlive the collector's young generations, and each of them
    brings its next full pass (over every object of the process) sooner.
    """
    rules = contest.rules
    country = default_country(rules)
    days: dict[datetime, date] = {}
    source_keys = {index: key for index, number in enumerate(batch)
                   if (key := _source_key_before_check(arrivals[number])) is not None}
    probed = set(source_keys.values())
    known = _stored_keys(session, contest_id=contest.contest_id, keys=probed)
    checked: list[_Row | Outcome] = []
    given: dict[int, Submission] = {}
    derived: dict[int, tuple[str, Submission]] = {}  # entries brought in, named by their values
    warned: dict[int, tuple[FieldError, ...]] = {}  # what could not be read, by place
    for index, number in enumerate(batch):
        if source_keys.get(index) in known:  # the source's id names an entry stored before
            checked.append(BroughtIn.BEFORE)
            continue
        arrival = arrivals[number]
        key = arrival.idempotency_key
        if key is not None and (bad_key := _key_error(key)) is not None:
            checked.append(bad_key)
            continue
        try:
            if not arrival.brought_in:
                _check_open(rules, arrival.at)
            if arrival.at not in days:
                days[arrival.at] = local_day(rules, arrival.at)
            submission = _admitted(rules, arrival, offered, country=country,
                                   today=days[arrival.at])
        except EntryRejected as rejected:
            # Kept as a value, without the frames it was raised in: they would hold the
            # whole take (an import's every row) in a cycle only a full collection frees.
            checked.append(_given_key_again(session, contest, arrival,
                                            rejected.with_traceback(None)))
            continue
        if submission.warnings:
            warned[index] = submission.warnings
        if key is None and arrival.brought_in:
            key = _source_key(arrival.channel, submission)
            if key not in probed:  # known or not once the batch's values are looked up
                derived[index] = (key, submission)
                checked.append(BroughtIn.BEFORE)
                continue
        if arrival.idempotency_key is not None:
            given[index] = submission
        checked.append(_row(contest, arrival, submission,
                            key or f"auto:{secrets.token_hex(16)}"))
    if derived:
        known = _stored_keys(session, contest_id=contest.contest_id,
                             keys={key for key, _ in derived.values()})
        for index, (key, submission) in derived.items():
            if key not in known:
                checked[index] = _row(contest, arrivals[batch[index]], submission, key)
    if on_warnings is not None:  # of the entries to be stored: one brought in again is not
        for index, problems in warned.items():
            if isinstance(checked[index], dict):
                on_warnings(batch[index], problems)
    return checked, given


def _admitted(rules: RulesDocument, arrival: Arrival, offered: Mapping[str, Consent], *,
              country: str | None, today: date) -> Submission:
    """The fields of ``arrival``, checked; for a live channel's entry also the entrant's age
    and country against the rules, and their consent to one of the texts ``offered``.
    Raises :class:`EntryRejected` with every error at once: a live entry the rules exclude
    is refused before anything of it is stored (one brought in keeps its reason codes)."""
    consent = None if arrival.brought_in else consent_error(arrival.consent, offered)
    try:
        submission = parse_submission(arrival.data, default_country=country, today=today,
                                      lenient=arrival.brought_in)
    except EntryRejected as rejected:
        if consent is None:
            raise
        raise _rejected([*rejected.errors, consent]) from None
    if not arrival.brought_in:
        errors = [*refusals(rules, submission, arrival.at, language=arrival.language,
                            confirmed_at_claim=arrival.channel in FROM_NETWORKS),
                  *door_refusals(rules, arrival.channel, submission.email)]
        if errors or consent is not None:
            raise _rejected([*errors, *([consent] if consent else [])])
    return submission


def _rejected(errors: Sequence[FieldError]) -> EntryRejected:
    return EntryRejected(N_plural("the entry has {count} error", "the entry has {count} errors"),
                         errors)


def _keep_consents(session: Session, agreed: Sequence[Consent]) -> None:
    """Keep the texts of the consent in ``agreed`` (each once: a text kept already stays as
    it is), before the entries that name them."""
    if not agreed:
        return
    insert = (postgresql_insert if session.connection().dialect.name == "postgresql"
              else sqlite_insert)
    session.connection().execute(
        insert(table_of(ConsentText)).on_conflict_do_nothing(),
        [{"sha256": consent.version, "language": consent.language, "text": consent.text}
         for consent in agreed])


def _row(contest: PublishedContest, arrival: Arrival, submission: Submission,
         key: str) -> _Row:
    """The values of the entry's row: every column but the id and the ticket."""
    moment = (submission.submitted_at or arrival.at) if arrival.brought_in else arrival.at
    reasons = [*static_reasons(contest.rules, submission, moment,
                               received_at=arrival.at if arrival.brought_in else None,
                               confirmed_at_claim=arrival.channel in FROM_NETWORKS),
               *arrival.reasons]
    return {
        "contest_id": contest.contest_id, "rules_version_id": contest.version.id,
        "channel": arrival.channel.value,
        "idempotency_key": key, "source_entry_id": submission.entry_id,
        "submitted_at": moment, "received_at": arrival.at, "language": arrival.language,
        "full_name": submission.full_name, "email": submission.email,
        "email_key": submission.email_key, "phone": submission.phone,
        "birth_date": submission.birth_date, "address": submission.address,
        "city": submission.city, "postal_code": submission.postal_code,
        "country": submission.country, "household_key": submission.household_key,
        "ip": submission.ip, "device_id": submission.device_id,
        "social_handle": submission.social_handle, "account": submission.account,
        "user_agent": submission.user_agent, "created_by_id": arrival.actor_id,
        "consent_sha256": None if arrival.brought_in else arrival.consent,
        **verdict(reasons),
    }


def _store(session: Session, contest: PublishedContest, rows: Sequence[_Row],
           given: Sequence[Submission | None], *, lock: bool, only_if_current: bool,
           signer: Signer) -> list[Outcome]:
    """Store ``rows`` in order, drawing their tickets; each one's outcome. ``given`` holds,
    for each row whose key the sender gave, the fields that key stands for.

    Each entry stored appends its ``entry.accepted`` event (the reasons known before the
    limits are counted) as a pending leaf sealed under ``signer``'s key: on PostgreSQL by the
    statement that stores the entries (no round trip more for a busy contest's every
    entry), on SQLite by one insert after it.

    With ``lock``, on PostgreSQL the statement first takes the advisory locks of every
    person and household of ``rows`` (in lock-id order, so two transactions never wait for
    each other in a circle), held to the end of the transaction.
    """
    if not rows:
        return []
    version = contest.version
    postgresql = session.connection().dialect.name == "postgresql"
    locks = sorted({held for row in rows for held in _person_locks(contest.contest_id, row)}
                   ) if lock and postgresql else []
    outcomes: list[Outcome | None] = [None] * len(rows)
    pending = list(range(len(rows)))
    for _ in range(TICKET_ATTEMPTS):
        for index in pending:
            rows[index]["ticket"] = new_ticket()
        leaves = [_accepted_leaf(contest, rows[index], signer) for index in pending]
        ids = _insert(session, [rows[index] for index in pending], locks=locks,
                      version=version, only_if_current=only_if_current,
                      leaves=leaves if postgresql else None)
        locks = []  # held now, to the end of the transaction
        refused = []
        for index, entry_id, leaf in zip(pending, ids, leaves, strict=True):
            row = rows[index]
            if entry_id is not None:
                outcomes[index] = TakenEntry(
                    entry_id, row["ticket"], version.sha256, row["received_at"].astimezone(UTC),
                    row["reasons"], True, row["channel"], leaf["leaf_hash"])
            else:
                refused.append(index)
        if not postgresql:
            stage_rows(session, [leaf for entry_id, leaf in zip(ids, leaves, strict=True)
                                 if entry_id is not None])
        # Their keys were stored first (by a concurrent request, or earlier in this take),
        # the rules changed, or (about never) a ticket collided; nothing was written and the
        # transaction goes on.
        found = stored_under_keys(session, contest_id=contest.contest_id, keys={
            rows[index]["idempotency_key"] for index in refused}) if refused else {}
        pending = []
        for index in refused:
            existing = found.get(rows[index]["idempotency_key"])
            if existing is None:
                pending.append(index)
            elif Channel(rows[index]["channel"]) in BROUGHT_IN:
                outcomes[index] = BroughtIn.BEFORE
            elif (stated := given[index]) is not None and not same_entry(existing, stated):
                outcomes[index] = _key_reused(existing.idempotency_key)
            else:
                outcomes[index] = _taken_before(existing)
        if pending and only_if_current:
            _check_current(session, version)
        if not pending:
            break
    for index in pending:
        outcomes[index] = TryAgain(N_("no free ticket after {attempts} attempts"),
                                   {"attempts": TICKET_ATTEMPTS})
    assert all(outcome is not None for outcome in outcomes), "every entry has its outcome"
    return [outcome for outcome in outcomes if outcome is not None]


def _accepted_leaf(contest: PublishedContest, row: _Row, signer: Signer) -> dict[str, Any]:
    """The pending leaf of the ``entry.accepted`` event of the entry ``row`` will store."""
    return leaf_row(events.entry_accepted(
        contest=contest.contest.slug, ticket=row["ticket"], rules_sha256=contest.version.sha256,
        channel=row["channel"], reasons=row["reasons"], at=row["received_at"]),
        now=row["received_at"], signer=signer)


def _insert(session: Session, rows: list[dict[str, Any]], *, locks: list[int],
            version: RulesVersion, only_if_current: bool,
            leaves: Sequence[Mapping[str, Any]] | None) -> list[int | None]:
    """Insert ``rows`` with one statement (SQLite's driver may send it in pages); each row's
    id, or ``None`` for a row that was not stored (its key or its ticket is taken). On
    PostgreSQL the same statement appends ``leaves`` (one per row) as pending leaves, those
    of the rows stored only."""
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        assert leaves is not None, "PostgreSQL stores the entries and their leaves together"
        parameters: dict[str, Any] = {name: [row[name] for row in rows]
                                      for name in _columns()}
        parameters |= {f"leaf_{name}": [leaf[name] for leaf in leaves]
                       for name in PENDING_COLUMNS}
        parameters["locks"] = locks
        if only_if_current:
            parameters["rules_version"] = version.version
        returned = list(connection.execute(_rows_statement(only_if_current=only_if_current),
                                           parameters))
    else:
        returned = list(connection.execute(_values_statement(), rows))
        if only_if_current:  # one writer at a time: nothing is published before the commit
            _check_current(session, version)
    stored = {(ticket, key): entry_id for entry_id, ticket, key in returned}
    return [stored.get((row["ticket"], row["idempotency_key"])) for row in rows]


@cache
def _columns() -> tuple[str, ...]:
    """The names of the columns an entry's row gives: all but the id."""
    table = table_of(Entry)
    return tuple(column.name for column in table.c if column.name != "id")


@cache
def _rows_statement(*, only_if_current: bool) -> Executable:
    """PostgreSQL's ``INSERT … SELECT … FROM unnest(…) … ON CONFLICT DO NOTHING RETURNING
    id, ticket, idempotency_key``, built once: every column is one array parameter, with an
    element per row, so one statement (prepared once) stores a batch of any size, in order.
    The ticket and the idempotency key are unique, so a row with a taken one stores nothing.

    The rows are selected from the advisory locks (``locks``, taken in order, held to the end
    of the transaction), so they are held before anything is inserted; the limits are read by
    the next statement, whose snapshot then shows the entries of anyone who held them before.
    With ``only_if_current``, there are rows only while no rules version newer than
    ``rules_version`` exists.
    """
    table = table_of(Entry)
    columns = [table.c[name] for name in _columns()]
    # One dimension: a value that is itself a sequence (an entry's reason codes) is one
    # element, which the column's type turns into its stored form.
    given = (func.unnest(*(bindparam(column.name, type_=ARRAY(column.type, dimensions=1))
                           for column in columns))
             .table_valued(*_columns(), with_ordinality="ordinal").render_derived(name="given"))
    wanted = (select(func.unnest(bindparam("locks", type_=ARRAY(BigInteger))).label("lock"))
              .order_by(literal_column("1")).subquery("wanted"))
    locked = select(func.count(func.pg_advisory_xact_lock(wanted.c.lock)).label("held"))
    rows = (select(*(given.c[name] for name in _columns()))
            .select_from(locked.subquery("locked").join(given, true()))
            .order_by(given.c.ordinal))
    if only_if_current:
        versions = table_of(RulesVersion)
        rows = rows.where(~exists().where(
            versions.c.contest_id == given.c.contest_id,
            versions.c.version > bindparam("rules_version", type_=Integer)))
    inserted = (postgresql_insert(table).from_select(list(_columns()), rows)
                .on_conflict_do_nothing().returning(table.c.id, table.c.ticket,
                                                    table.c.idempotency_key)
                .cte("inserted"))
    # The entries' events, those of the rows stored (a row refused stores no event).
    pending = table_of(PendingLeaf)
    leaves = (func.unnest(*(bindparam(f"leaf_{name}",
                                      type_=ARRAY(pending.c[name].type, dimensions=1))
                            for name in PENDING_COLUMNS))
              .table_valued(*PENDING_COLUMNS, with_ordinality="ordinal")
              .render_derived(name="leaves"))
    staged = (postgresql_insert(pending).from_select(
        list(PENDING_COLUMNS),
        select(*(leaves.c[name] for name in PENDING_COLUMNS))
        .select_from(leaves.join(inserted, inserted.c.ticket == leaves.c.ticket))
        .order_by(leaves.c.ordinal)).cte("staged"))
    return (select(inserted.c.id, inserted.c.ticket, inserted.c.idempotency_key)
            .add_cte(staged))


@cache
def _values_statement() -> Executable:
    """SQLite's ``INSERT … VALUES … ON CONFLICT DO NOTHING RETURNING id, ticket,
    idempotency_key``, built once; given many rows, the driver sends them a page at a time
    ("insertmanyvalues"). A row whose ticket or key is taken stores nothing and returns
    nothing."""
    table = table_of(Entry)
    return (sqlite_insert(table).on_conflict_do_nothing()
            .returning(table.c.id, table.c.ticket, table.c.idempotency_key))


_PEOPLE = (("email", "email_key"), ("phone", "phone"), ("household", "household_key"),
           ("account", "account"))
"""The columns of an entry's row that say who the entrant is, for the limits (in the order
of :class:`~contest.entries.eligibility.EntrantKeys`)."""


def _person_locks(contest_id: int, row: _Row) -> list[int]:
    """The advisory lock ids of the keys of the person and household of ``row``."""
    names = {f"{contest_id}:{kind}:{row[column]}" for kind, column in _PEOPLE if row[column]}
    return sorted(advisory_lock_id(name) for name in names)


def _entrants(rows: Sequence[_Row]) -> EntrantKeys:
    """The people and households of ``rows``, whose limits are recounted."""
    return EntrantKeys(*(frozenset(row[column] for row in rows if row[column])
                         for _, column in _PEOPLE))


def _check_current(session: Session, version: RulesVersion) -> None:
    """Raise :class:`RulesChanged` if a newer version than ``version`` is published."""
    newest = session.connection().execute(
        select(func.max(RulesVersion.version)).where(
            col(RulesVersion.contest_id) == version.contest_id)).scalar()
    if newest is not None and newest > version.version:
        raise RulesChanged(N_("the rules changed from version {version} to {newest} while "
                              "the entry was taken"),
                           {"version": version.version, "newest": newest})


# What an idempotency key stands for: the fields the entrant states, as normalised (names
# with their spaces collapsed, the e-mail address in any case, phones in E.164, country codes
# in capitals); the moment, the address the entry came from and the language are the
# server's, and differ between a request and its retry. The address is compared as written,
# not by its mailbox: another spelling of one mailbox is another entry (which the limits then
# count as the same person's).
_STATED = ("full_name", "phone", "birth_date", "address", "city", "postal_code", "country",
           "device_id", "social_handle", "account")


def same_entry(entry: Entry | Row[tuple[Any, ...]], submission: Submission) -> bool:
    """Whether ``submission`` states the entry stored as ``entry``: what an idempotency key
    sent again must come with to return that entry."""
    return (entry.source_entry_id == submission.entry_id
            and (entry.email or "").lower() == (submission.email or "").lower()
            and all(getattr(entry, name) == getattr(submission, name) for name in _STATED))


@cache
def _stored_statement() -> Executable:
    """The entries of a contest stored under some keys: what a receipt says of each, with the
    hash of the rules it was taken under, and what :func:`same_entry` compares."""
    entries = table_of(Entry)
    versions = table_of(RulesVersion)
    return (select(entries.c.idempotency_key, entries.c.id, entries.c.ticket,
                   versions.c.sha256, entries.c.received_at, entries.c.reasons,
                   entries.c.channel,
                   entries.c.source_entry_id, entries.c.email,
                   *(entries.c[name] for name in _STATED))
            .join(versions, versions.c.id == entries.c.rules_version_id)
            .where(entries.c.contest_id == bindparam("contest_id"),
                   entries.c.idempotency_key.in_(bindparam("keys", expanding=True))))


def stored_under_keys(session: Session, *, contest_id: int,
                      keys: set[str]) -> dict[str, Row[tuple[Any, ...]]]:
    """The entries of contest ``contest_id`` stored under ``keys``, by key (one query), with
    the fields :func:`same_entry` compares."""
    rows = session.connection().execute(_stored_statement(), {
        "contest_id": contest_id, "keys": sorted(keys)})
    return {row.idempotency_key: row for row in rows}


def stored_under_key(session: Session, *, contest_id: int, key: str) -> bool:
    """Whether an entry of contest ``contest_id`` is stored under the idempotency key
    ``key``; False for a key no entry can be stored under (too long, not one line of
    text), which is not looked up."""
    if _key_error(key) is not None:
        return False
    return key in stored_under_keys(session, contest_id=contest_id, keys={key})


@cache
def _keys_statement() -> Executable:
    """Which of some keys a contest's entries are stored under."""
    entries = table_of(Entry)
    return select(entries.c.idempotency_key).where(
        entries.c.contest_id == bindparam("contest_id"),
        entries.c.idempotency_key.in_(bindparam("keys", expanding=True)))


def _stored_keys(session: Session, *, contest_id: int, keys: set[str]) -> set[str]:
    """Which of ``keys`` the entries of contest ``contest_id`` are stored under (one query,
    through the unique index of the contest and the key)."""
    if not keys:
        return set()
    return set(session.connection().execute(_keys_statement(), {
        "contest_id": contest_id, "keys": sorted(keys)}).scalars())


def _taken_before(row: Row[tuple[Any, ...]]) -> TakenEntry:
    """The entry stored under a key, as :func:`stored_under_keys` read it."""
    return TakenEntry(row.id, row.ticket, row.sha256, row.received_at, row.reasons, False,
                      row.channel)


def _key_reused(key: str) -> IdempotencyKeyReused:
    return IdempotencyKeyReused(
        N_("the idempotency key \"{key}\" was already used for a different entry; send a "
           "new key for a new entry"), {"key": key})


def _given_key_again(session: Session, contest: PublishedContest, arrival: Arrival,
                     rejected: EntryRejected) -> Outcome:
    """An entry refused as it stands (the contest closed since, say): if its key was given
    and used before, the entry stored under it when ``arrival`` is that entry (else the key
    was reused), otherwise the refusal."""
    key = arrival.idempotency_key
    if key is None:
        return rejected
    existing = stored_under_keys(session, contest_id=contest.contest_id, keys={key}).get(key)
    if existing is None:
        return rejected
    rules = contest.rules
    try:
        submission = parse_submission(arrival.data, default_country=default_country(rules),
                                      today=local_day(rules, arrival.at))
    except EntryRejected:
        return _key_reused(key)  # the entry stored was valid: this one is another
    return _taken_before(existing) if same_entry(existing, submission) else _key_reused(key)


def _source_key_before_check(arrival: Arrival) -> str | None:
    """The key an entry brought in will be stored under, when it is known before its fields
    are checked: the one given, or the source's entry id (``None`` for a live entry)."""
    if not arrival.brought_in:
        return None
    if arrival.idempotency_key is not None:
        return arrival.idempotency_key
    entry_id = (arrival.data.get("entry_id") or "").strip()
    return f"{arrival.channel.value}:{entry_id}" if entry_id else None


def _source_key(channel: Channel, submission: Submission) -> str:
    """``<channel>:<entry_id>``, or ``<channel>-sha256:<hex>`` over the normalised values."""
    if submission.entry_id:
        return f"{channel.value}:{submission.entry_id}"
    values = submission.values()
    canonical = json.dumps([values[column] for column in COLUMNS], ensure_ascii=False)
    return f"{channel.value}-sha256:{hashlib.sha256(canonical.encode()).hexdigest()}"


@cache
def idempotency_limit() -> int:
    return column_length(Entry, "idempotency_key")


def default_country(rules: RulesDocument) -> str | None:
    """The region for phones without a country code: the contest's only allowed country."""
    countries = rules.eligibility.countries
    return countries[0] if len(countries) == 1 else None


def _key_error(key: str) -> EntryRejected | None:
    """The refusal of an idempotency key that is too long or not one line of text."""
    error = text_error("idempotency_key", key, one_line=True)
    if error is None and len(key) > idempotency_limit():
        error = FieldError("idempotency_key", "too_long",
                           N_("is {length} characters long, at most {max} are allowed"),
                           {"length": len(key), "max": idempotency_limit()})
    return None if error is None else EntryRejected(N_plural("the entry has {count} error",
                                                             "the entry has {count} errors"),
                                                    [error])


def _check_open(rules: RulesDocument, now: datetime) -> None:
    """The lifecycle takes entries only in a contest's open stage; say which side it is on.
    (A frozen or drawn contest has closed: its rules can no longer move the close.)"""
    stage = stage_of(rules, None, now)
    if allowed(Action.ENTER, stage, None):
        return
    period = rules.period
    if stage == Stage.SCHEDULED:
        raise EntryRejected(N_plural("the entry has {count} error",
                                     "the entry has {count} errors"), [FieldError(
            "contest", "not_open_yet", N_("the contest opens at {opens_at}; it is now {now}"),
            {"opens_at": period.opens_at.isoformat(), "now": now.isoformat()},
        )])
    raise EntryRejected(N_plural("the entry has {count} error",
                                 "the entry has {count} errors"), [FieldError(
        "contest", "closed", N_("the contest closed at {closes_at}; it is now {now}"),
        {"closes_at": period.closes_at.isoformat(), "now": now.isoformat()},
    )])
