"""Reading a contest's social network sources into its entries, on the public record.

:func:`read_source` asks a network's reader (:mod:`contest.sources`) for everyone a source of
the rules names, takes each of them through the one intake (:func:`~contest.entries.intake.
take_entries`) as an entry brought in from that network, keyed by their account so that an
account enters once however often it is read or whichever of the post's lists it is in, and
keeps every condition checked for them (:mod:`contest.sources.checks`). An entrant the
network says did not meet a condition is taken with the reason ``condition_unmet``: nobody
read is lost, and the public counts say why they do not count. Read again with every
condition met (reposted first, joined the community the next day), they lose that reason
(an ``entry.recounted`` event).

Each read is recorded (:class:`~contest.models.SourceRead`) and appended to the public log as
a ``source.read`` event: the counts the network reports against the counts read, list by
list, and whether the read was whole ("18,402 of 18,402 comments"); never an account or a
name. An incomplete read blocks the freeze (:mod:`contest.draw.readiness`) until a marketer
reads the source again or accepts the gap with a public reason (:func:`accept_gap`).

What the network said about each account at the read (:class:`~contest.sources.
AccountProfile`: deactivated, closed, with a photo, followers) is kept for the auditor's
participant graph (:func:`keep_profiles`, the table ``account_profiles``): the latest read's
facts per account, never on the public log or a public page.

An entrant's moment is when they did what the read found, where the network tells it (a
repost's, a comment's); where it tells none (a like), the moment of the read when the
entries are still open, else the last moment of the entry period: a like there at the read
was there by then, or the network would not show it.
"""

import json
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy import select as core_select
from sqlmodel import Session, col, select

from contest.entries.eligibility import Reason, apply_limits, verdict
from contest.entries.intake import Arrival, TakenEntry, take_entries
from contest.errors import ContestError, FieldError, InvalidInput, NotFound
from contest.i18n import N_
from contest.ledger import events
from contest.ledger.note import Signer
from contest.ledger.store import append_event, issue_checkpoint, stage_events
from contest.lifecycle import Action, require
from contest.models import (
    AccountProfileRecord,
    Channel,
    Contest,
    Entry,
    SourceRead,
    table_of,
)
from contest.rules.document import Network, SocialSource
from contest.rules.status import contest_stage
from contest.rules.versions import PublishedContest, find_published
from contest.sources import AccountProfile, NetworkRead, NetworkReader, Person
from contest.sources.checks import Stage, record_checks, unmet


class GapReason(StrEnum):
    """Why a marketer accepts an incomplete read: public codes, never free text."""

    PRIVATE_ITEMS = "private_items"
    """The network counts reposts or comments it does not show: reposts to private pages,
    comments it hides."""
    DELETED_DURING_READ = "deleted_during_read"
    """Items were deleted between the count and the read."""
    NETWORK_LIMIT = "network_limit"
    """The network lists no more than a number of items, whatever it counts."""


GAP_REASONS: dict[GapReason, str] = {
    GapReason.PRIVATE_ITEMS: N_("the network counts reposts or comments it does not show "
                                "(reposts to private pages, hidden comments)"),
    GapReason.DELETED_DURING_READ: N_("some were deleted between the count and the read"),
    GapReason.NETWORK_LIMIT: N_("the network lists no more than a limited number of them"),
}
"""Each reason in words, as the pages and the command line say it."""


@dataclass(frozen=True)
class SourceReport:
    """What one read did: the read as recorded, the people found, the entries it took that
    were not there before, those found again (taken before), those the intake refused, and
    how many of the people did not meet a condition."""

    read: SourceRead
    network_read: NetworkRead
    taken: int
    before: int
    refused: int
    unmet: int


def social_sources(rules_sources: Sequence[SocialSource]) -> list[tuple[int, SocialSource]]:
    """The sources that are read (every one but a Telegram bot's), with their places."""
    return [(index, source) for index, source in enumerate(rules_sources)
            if source.network != Network.TELEGRAM]


def read_source(session: Session, *, contest: Contest, source: int,
                readers: Mapping[Network, NetworkReader], now: datetime, signer: Signer,
                actor_id: int | None = None) -> SourceReport:
    """Read the rules' source number ``source`` (0 first) with its network's reader (of
    ``readers``) and take everyone it names as entries; record the read and log it. The
    caller commits.

    Raises :class:`~contest.errors.NetworkUnavailable` (nothing is stored),
    :class:`~contest.lifecycle.StageForbids` outside the open and closed stages, and
    :class:`NotFound` or :class:`InvalidInput` for a source the rules do not name or that
    is not read (a Telegram bot takes its entries itself)."""
    published, social = _source(session, contest, source)
    require(Action.READ_SOURCES, contest_stage(session, contest, now), slug=contest.slug)
    found = readers[social.network].read(social)
    closes_at = published.rules.period.closes_at
    arrivals = [_arrival(published, social, person, found, now=now, closes_at=closes_at,
                         actor_id=actor_id) for person in found.people]
    outcomes = take_entries(session, contest=published, arrivals=arrivals, signer=signer)
    taken = sum(1 for outcome in outcomes if isinstance(outcome, TakenEntry) and outcome.new)
    refused = sum(1 for outcome in outcomes if isinstance(outcome, ContestError))
    ids = entry_ids(session, contest, [person.account for person in found.people])
    new = {outcome.id for outcome in outcomes if isinstance(outcome, TakenEntry) and outcome.new}
    _lift_unmet(session, published, social.network, signer=signer, now=now, entries=[
        ids[person.account] for person in found.people
        if person.account in ids and ids[person.account] not in new
        and not unmet(found.checks.get(person.account, ()))])
    record_checks(session, ((ids[person.account], found.checks.get(person.account, ()))
                            for person in found.people if person.account in ids),
                  stage=Stage.ENTRY, now=now)
    keep_profiles(session, contest_id=contest.id or 0, now=now, profiles={
        person.account: found.profiles[person.account] for person in found.people
        if person.account in ids and person.account in found.profiles})
    unmet_count = sum(1 for person in found.people
                      if unmet(found.checks.get(person.account, ())))
    lists = [{"name": item.name, "reported": item.reported, "read": item.read}
             for item in found.lists]
    leaf = append_event(session, event=events.source_read(
        contest=contest.slug, source=source, network=social.network.value, lists=lists,
        complete=found.complete, entrants=len(found.people), taken=taken, unmet=unmet_count,
        problems=found.problems, at=now), now=now, signer=signer)
    record = SourceRead(
        contest_id=contest.id or 0, source=source, network=social.network.value, read_at=now,
        counts_json=json.dumps({item["name"]: {"reported": item["reported"],
                                               "read": item["read"]} for item in lists}),
        problems_json=json.dumps(dict(found.problems)), complete=found.complete,
        entrants=len(found.people), taken=taken, by_id=actor_id, leaf_index=leaf.leaf_index)
    session.add(record)
    session.flush()
    issue_checkpoint(session, signer=signer, now=now)
    return SourceReport(record, found, taken, len(found.people) - taken - refused, refused,
                        unmet_count)


def accept_gap(session: Session, *, contest: Contest, source: int, reason: str,
               now: datetime, signer: Signer, actor_id: int | None = None) -> SourceRead:
    """Accept that the latest read of source ``source`` is incomplete, for the public
    ``reason`` (a :class:`GapReason` code); logged as ``source.gap_accepted``. A complete
    read needs no acceptance; a new read needs its own."""
    _source(session, contest, source)
    require(Action.READ_SOURCES, contest_stage(session, contest, now), slug=contest.slug)
    not_accepted = N_("the gap was not accepted")
    code = reason.strip().lower()
    if code not in set(GapReason):
        raise InvalidInput(not_accepted, [FieldError(
            "reason", "invalid_choice", N_("must be one of {choices}, got {value}"),
            {"choices": ", ".join(GapReason), "value": code[:40]})])
    read = latest_reads(session, contest).get(source)
    if read is None or read.complete:
        raise InvalidInput(not_accepted, [FieldError(
            "source", "nothing_missing",
            N_("source {source} has no incomplete read to accept: read it first")
            if read is None else N_("the latest read of source {source} is complete"),
            {"source": source + 1})])
    append_event(session, event=events.source_gap_accepted(
        contest=contest.slug, source=source, read_leaf=read.leaf_index, reason=code, at=now),
        now=now, signer=signer)
    read.gap_reason, read.gap_accepted_at, read.gap_accepted_by_id = code, now, actor_id
    session.add(read)
    session.flush()
    issue_checkpoint(session, signer=signer, now=now)
    return read


def keep_profiles(session: Session, *, contest_id: int, profiles: Mapping[str, AccountProfile],
                  now: datetime) -> None:
    """Keep what a network said about each account of ``profiles`` (by account) in the
    contest, read at ``now``, in place of what an earlier read said."""
    if not profiles:
        return
    table = table_of(AccountProfileRecord)
    accounts = sorted(profiles)
    for start in range(0, len(accounts), _BATCH):
        batch = accounts[start:start + _BATCH]
        session.connection().execute(table.delete().where(
            table.c.contest_id == contest_id, table.c.account.in_(batch)))
        session.connection().execute(table.insert(), [
            {"contest_id": contest_id, "account": account, "read_at": now,
             **asdict(profiles[account])}
            for account in batch])


_BATCH = 500
"""Accounts per statement (SQLite allows 32,766 bound values, PostgreSQL 65,535)."""


def latest_reads(session: Session, contest: Contest) -> dict[int, SourceRead]:
    """The latest read of each source of ``contest``, by the source's place."""
    latest: dict[int, SourceRead] = {}
    for read in session.exec(select(SourceRead).where(SourceRead.contest_id == contest.id)
                             .order_by(col(SourceRead.id))):
        latest[read.source] = read
    return latest


def entry_ids(session: Session, contest: Contest, accounts: Sequence[str]) -> dict[str, int]:
    """The entry each of ``accounts`` was taken as from its network in ``contest``: the one
    keyed by the account (the same account may have entered by the form too, where the
    limits count it once)."""
    if not accounts:
        return {}
    entries = table_of(Entry)
    wanted = set(accounts)
    rows = session.connection().execute(
        core_select(entries.c.idempotency_key, entries.c.id).where(
            entries.c.contest_id == contest.id, entries.c.account.is_not(None)))
    return {key: entry_id for key, entry_id in rows if key in wanted}


def _lift_unmet(session: Session, published: PublishedContest, network: Network, *,
                entries: Sequence[int], signer: Signer, now: datetime) -> None:
    """The entries of ``network`` among ``entries`` (taken before, every condition met at
    this read) that an earlier read left out for ``condition_unmet``: that reason goes (the
    latest read is the one the freeze waits for: someone who reposted first and joined the
    next day counts), the limits are counted again, and each change is an
    ``entry.recounted`` event. Only lifted: each source is a way to enter, so another post's
    read does not put back a reason this one did not find."""
    if not entries:
        return
    table = table_of(Entry)
    rows = session.connection().execute(
        core_select(table.c.id, table.c.ticket, table.c.reasons).where(
            table.c.id.in_(entries), table.c.channel == Channel(network.value).value)).all()
    lifted = {row.id: (row.ticket, tuple(code for code in row.reasons
                                         if code != Reason.CONDITION_UNMET))
              for row in rows if Reason.CONDITION_UNMET in row.reasons}
    if not lifted:
        return
    for entry_id, (_, reasons) in sorted(lifted.items()):
        session.connection().execute(
            table.update().where(table.c.id == entry_id).values(**verdict(reasons)))
    changed = {entry_id: reasons for entry_id, (_, reasons) in lifted.items()}
    changed |= apply_limits(session, contest_id=published.contest_id, rules=published.rules)
    tickets = {entry_id: ticket for entry_id, (ticket, _) in lifted.items()}
    missing = sorted(set(changed) - set(tickets))
    if missing:
        tickets |= dict(session.connection().execute(
            core_select(table.c.id, table.c.ticket).where(table.c.id.in_(missing))).all())
    stage_events(session, events=[
        events.entry_recounted(contest=published.contest.slug, ticket=tickets[entry_id],
                               reasons=changed[entry_id], at=now)
        for entry_id in sorted(changed)], now=now, signer=signer)


def _source(session: Session, contest: Contest,
            source: int) -> tuple[PublishedContest, SocialSource]:
    published = find_published(session, contest)
    if published is None or not 0 <= source < len(published.rules.sources):
        raise NotFound(N_("the rules of {slug} name no source {source}"),
                       {"slug": contest.slug, "source": source + 1})
    social = published.rules.sources[source]
    if social.network == Network.TELEGRAM:
        raise InvalidInput(N_("nothing to read"), [FieldError(
            "source", "not_read", N_("source {source} is a Telegram bot: its entries come in "
                                     "as people press Participate, with nothing to read"),
            {"source": source + 1})])
    return published, social


def _arrival(published: PublishedContest, social: SocialSource, person: Person,
             found: NetworkRead, *, now: datetime, closes_at: datetime,
             actor_id: int | None) -> Arrival:
    moment = person.at or min(now, closes_at - timedelta(seconds=1))
    reasons = (Reason.CONDITION_UNMET,) if unmet(found.checks.get(person.account, ())) else ()
    return Arrival(
        data={"full_name": person.name, "account": person.account,
              "submitted_at": moment.isoformat()},
        channel=Channel(social.network.value), at=now, idempotency_key=person.account,
        language=person.language or published.rules.language, actor_id=actor_id,
        reasons=reasons)
