"""The entries stored against the entries on the public log: the same, or tampered with.

Every accepted entry is an ``entry.accepted`` leaf (:mod:`contest.entries.intake`), so the
``entries`` table, which anyone with write access to the database can change, must say what
the log says: the same tickets, each counting or excluded for the same reasons
(:mod:`contest.ledger.tally`). Where it does not, the record was altered behind the app's
back: the freeze refuses to fix it, a receipt refuses to hide it, ``contest log verify``
names it.
"""

import logging
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select
from sqlmodel import Session

from contest.errors import EntriesTampered
from contest.i18n import N_, N_plural
from contest.ledger import events
from contest.ledger.logged_entries import logged_entries
from contest.ledger.note import Signer
from contest.ledger.store import stage_events
from contest.ledger.tally import freeze_problems
from contest.lifecycle import Action, require
from contest.models import (
    Contest,
    Entry,
    ExcludedTicket,
    LogEntry,
    PendingLeaf,
    RulesVersion,
    table_of,
)
from contest.rules.status import contest_stage

log = logging.getLogger(__name__)


def disagreements(session: Session, contest: Contest) -> list[str]:
    """Where the contest's stored entries disagree with its logged ones (pending leaves
    included), first ticket first; empty when they agree."""
    entries = table_of(Entry)
    rows = session.connection().execute(
        select(entries.c.ticket, entries.c.reasons).where(entries.c.contest_id == contest.id)
        .order_by(entries.c.ticket))
    eligible: list[str] = []
    excluded: list[ExcludedTicket] = []
    for ticket, reasons in rows:
        if reasons:
            excluded.append(ExcludedTicket(ticket, tuple(reasons)))
        else:
            eligible.append(ticket)
    return freeze_problems(logged_entries(session, contest=contest.slug, pending=True),
                           tickets=eligible, excluded=[item.to_data() for item in excluded])


def require_agreement(session: Session, contest: Contest, *, tickets: Sequence[str],
                      excluded: Sequence[ExcludedTicket]) -> None:
    """Raise :class:`EntriesTampered` (and log it as critical) unless ``tickets`` (those
    that count) and ``excluded`` (with their reasons) are exactly the contest's logged
    accepted tickets minus its logged exclusions. Reads integrated leaves only: the caller
    integrates the pending ones first."""
    problems = freeze_problems(logged_entries(session, contest=contest.slug), tickets=tickets,
                               excluded=[item.to_data() for item in excluded])
    if problems:
        raise tampered(contest, problems)


def tampered(contest: Contest, problems: Sequence[str]) -> EntriesTampered:
    """The alarm for ``problems`` between the stored and the logged entries, logged as
    critical."""
    log.critical("the entries of %s disagree with the public log (%d problems), the first: "
                 "%s", contest.slug, len(problems), problems[0])
    return EntriesTampered(N_plural(
        "the entries stored disagree with the public log in {count} place, the first: "
        "{first}", "the entries stored disagree with the public log in {count} places, the "
        "first: {first}"), {"count": len(problems), "first": problems[0]})


def require_entry_for_logged_ticket(session: Session, ticket: str) -> None:
    """For a ticket no entry holds: raise :class:`EntriesTampered` when the log accepted
    an entry with it (its entry was changed or taken out), so that a receipt or a winner is
    never shown as unknown."""
    for model in (LogEntry, PendingLeaf):
        table = table_of(model)
        found = session.connection().execute(select(table.c.contest).where(
            table.c.ticket == ticket, table.c.kind == "entry.accepted").limit(1)).first()
        if found is not None:
            log.critical("ticket %s of %s is on the public log but no entry holds it",
                         ticket, found.contest)
            raise EntriesTampered(N_("the public log accepted an entry with ticket {ticket}, "
                                     "but no entry stored holds it"), {"ticket": ticket})


def adopt_unlogged(session: Session, *, contest: Contest, signer: Signer,
                   now: datetime) -> int:
    """Put on the log, as pending ``entry.accepted`` leaves marked ``adopted``, the entries
    of ``contest`` that no such leaf names: entries accepted before every entry was logged
    (this version's upgrade). How many. Refused once the contest is frozen: its list is
    fixed, and the log's record of it with it."""
    require(Action.IMPORT_ENTRIES, contest_stage(session, contest, now), slug=contest.slug)
    logged = logged_entries(session, contest=contest.slug, pending=True).reasons
    entries, versions = table_of(Entry), table_of(RulesVersion)
    rows = session.connection().execute(
        select(entries.c.ticket, entries.c.reasons, entries.c.channel, entries.c.received_at,
               versions.c.sha256)
        .join(versions, versions.c.id == entries.c.rules_version_id)
        .where(entries.c.contest_id == contest.id).order_by(entries.c.id))
    adopted = [events.entry_accepted(contest=contest.slug, ticket=row.ticket,
                                     rules_sha256=row.sha256, channel=row.channel,
                                     reasons=row.reasons, at=row.received_at, adopted=True)
               for row in rows if row.ticket not in logged]
    stage_events(session, events=adopted, now=now, signer=signer)
    return len(adopted)
