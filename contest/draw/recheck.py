"""After the draw, before the results: the winners' and alternates' conditions checked again.

A giveaway in a social network asks more than an entry: to stay a member of the community,
to keep the repost. Someone who unsubscribed the day after entering must not win. So when
the rules name social network sources, the draw's winners and then its alternates, in order,
are checked again, through each network's reader (:mod:`contest.sources`), before the results
are published: every check is kept (:class:`~contest.models.ConditionCheck`, stage ``draw``)
and appended to the public log as a ``condition.checked`` event (the ticket, winner or
alternate, the condition, the result and the network's reason code: never an account).

Then each place, in order, whose holder no longer meets a condition is given to the next
alternate through the one replacement (:func:`~contest.draw.service.replace_winner`, reason
``condition_unmet``); an alternate who no longer meets one is passed over the same way when
their turn comes. Nobody picks who is next. A condition the network would not tell
(``unknown``: a private profile, a deleted account) is kept and shown, never held against the
winner by itself. Two sources of one network (two VK posts) are two ways to enter: a holder
fails only when every source of their network finds a condition unmet, as each read judged
its own post's people by that source's conditions alone. Entries that came through the
contest's own form, API or files have no network conditions to check.

The results page waits for this step (:attr:`~contest.models.DrawRecord.rechecked_at`).
"""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from contest.draw.readiness import frozen_rules
from contest.draw.service import (
    ReplacementReason,
    current_winners,
    find_draw,
    replace_winner,
)
from contest.errors import AlreadyDone, NotFound
from contest.i18n import N_
from contest.ledger import events
from contest.ledger.note import Signer
from contest.ledger.store import issue_checkpoint, stage_events
from contest.lifecycle import Action, require
from contest.models import Contest, DrawRecord, Entry
from contest.rules.document import Network, RulesDocument
from contest.rules.status import contest_stage
from contest.sources import Check, NetworkReader, Result
from contest.sources.checks import Stage, record_checks


@dataclass(frozen=True)
class Recheck:
    """What the check after the draw found: each drawn ticket's checks (winners first, then
    alternates, in order) and the replacements it made, as (ticket, replacement or None)."""

    checks: Mapping[str, tuple[Check, ...]]
    replaced: tuple[tuple[str, str | None], ...]


def needs_recheck(rules: RulesDocument) -> bool:
    """Whether the rules name any network condition to check again after the draw."""
    return any(source.conditions for source in rules.sources)


def recheck_conditions(session: Session, *, contest: Contest,
                       readers: Mapping[Network, NetworkReader], now: datetime,
                       signer: Signer, actor_id: int | None = None) -> Recheck:
    """Check the drawn winners' and alternates' conditions again and replace, in order,
    every winner who no longer meets one; once per draw. The caller commits.

    ``readers`` gives the reader of each network the rules name (a network raises
    :class:`~contest.errors.NetworkUnavailable`: nothing is stored, and the step may be
    tried again)."""
    require(Action.REPLACE_WINNER, contest_stage(session, contest, now), slug=contest.slug)
    record = find_draw(session, contest)
    if record is None or record.drawn_at is None:
        raise NotFound(N_("{slug} is not drawn yet"), {"slug": contest.slug})
    if record.rechecked_at is not None:
        raise AlreadyDone(N_("the conditions of the winners of {slug} were checked again "
                             "already, at {at}"),
                          {"slug": contest.slug, "at": record.rechecked_at.isoformat()})
    rules = frozen_rules(session, record)
    drawn = [(ticket, "winner") for ticket in record.winners] + [
        (ticket, "alternate") for ticket in record.alternates]
    entries = _drawn_entries(session, record, [ticket for ticket, _ in drawn])
    by_source = _checks(rules, readers, entries)
    checks = {ticket: tuple(check for found in sources for check in found)
              for ticket, sources in by_source.items()}
    stage_events(session, events=[
        events.condition_checked(contest=contest.slug, ticket=ticket, role=role,
                                 condition=check.condition.value, result=check.result.value,
                                 reason=check.reason, at=now)
        for ticket, role in drawn for check in checks.get(ticket, ())], now=now, signer=signer)
    record_checks(session, ((entries[ticket].id or 0, checks.get(ticket, ()))
                            for ticket, _ in drawn if ticket in entries),
                  stage=Stage.DRAW, now=now)
    # Each source is a way to enter: a holder fails when no source of their network is met
    # (as each read judges its own post's people by its own conditions).
    failed = {ticket for ticket, sources in by_source.items()
              if all(any(check.result == Result.UNMET for check in found)
                     for found in sources)}
    replaced: list[tuple[str, str | None]] = []
    while failing := [ticket for ticket in current_winners(session, record) if ticket in failed]:
        row = replace_winner(session, contest=contest, ticket=failing[0],
                             reason=ReplacementReason.CONDITION_UNMET.value, now=now,
                             signer=signer, actor_id=actor_id, checked=True)
        replaced.append((row.ticket, row.replacement))
    record.rechecked_at = now
    session.add(record)
    session.flush()
    issue_checkpoint(session, signer=signer, now=now)
    return Recheck(checks, tuple(replaced))


def _drawn_entries(session: Session, record: DrawRecord, tickets: list[str]) -> dict[str, Entry]:
    return {entry.ticket: entry for entry in session.exec(
        select(Entry).where(Entry.contest_id == record.contest_id,
                            col(Entry.ticket).in_(tickets)))}


def _checks(rules: RulesDocument, readers: Mapping[Network, NetworkReader],
            entries: Mapping[str, Entry]) -> dict[str, list[tuple[Check, ...]]]:
    """Each drawn ticket's checks under each source of its entry's network, in the rules'
    order."""
    found: dict[str, list[tuple[Check, ...]]] = {}
    for source in rules.sources:
        if not source.conditions:
            continue
        holders = {entry.account: ticket for ticket, entry in entries.items()
                   if entry.account and entry.channel == source.network.value}
        if not holders:
            continue
        answers = readers[source.network].check(source, sorted(holders))
        for account, ticket in holders.items():
            found.setdefault(ticket, []).append(tuple(answers.get(account, ())))
    return found
