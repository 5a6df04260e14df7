"""Read a contest's entries from its public log: what the freeze fixes.

A national promotion logs a million ``entry.accepted`` leaves, and the freeze reads them
within its few seconds: too many to parse one by one as JSON. Most are alike, an entry that
counts; the integration, before it puts a leaf in the tree, checks what is copied beside it
against its sealed text (the contest, the type, the ticket, and ``counts``: an
``entry.accepted`` event with no reasons), and those copies are indexed together. So the
tickets that count come from the index, joined into one string by the database, and only
the other leaves of the contest's entries (an entry that does not count, a recount, an
auditor's decision: few) are read whole and replayed after, in log order. The result is
:func:`contest.ledger.tally.tally` over every leaf.

A database administrator who changes the copies (and the entries table alike, or the
freeze refuses) makes a freeze that the leaves themselves refute: ``contest log verify``
and ``contest verify --log`` replay the leaves' text (``docs/THREAT_MODEL.md``).
"""

import json
from collections import Counter

from sqlalchemy import and_, false, func, or_, select, true
from sqlmodel import Session

from contest.ledger.tally import ENTRY_EVENTS, Tally, tally
from contest.models import LogEntry, PendingLeaf, table_of

ACCEPTED = "entry.accepted"
_TICKET_LENGTH = 32
_HEX_DIGITS = "0123456789abcdef"


def logged_entries(session: Session, *, contest: str, pending: bool = False) -> Tally:
    """Every ticket of ``contest`` on the log (integrated leaves; with ``pending``, also the
    leaves not integrated yet) and its reason codes, and what did not add up (a ticket
    accepted twice…), as :func:`~contest.ledger.tally.tally` tells it."""
    leaves = table_of(LogEntry)
    mine = and_(leaves.c.contest == contest, leaves.c.kind.in_(ENTRY_EVENTS))
    counting = and_(leaves.c.kind == ACCEPTED, leaves.c.counts == true())
    connection = session.connection()
    joined = connection.execute(
        select(func.aggregate_strings(leaves.c.ticket, ""))
        .where(leaves.c.contest == contest, counting)).scalar_one() or ""
    if len(joined) % _TICKET_LENGTH or joined.strip(_HEX_DIGITS):
        raise AssertionError("the tickets copied beside the log's leaves are not 32 hex "
                             "digits")
    tickets = [joined[i:i + _TICKET_LENGTH] for i in range(0, len(joined), _TICKET_LENGTH)]
    others = connection.execute(select(leaves.c.leaf).where(
        mine, or_(leaves.c.kind != ACCEPTED, leaves.c.counts == false()))
        .order_by(leaves.c.leaf_index)).scalars()
    # A ticket's first event is its acceptance, so the entries that count can be replayed
    # first (at once: a million of them): a later event about one of them still comes after.
    counted = Tally(reasons=dict.fromkeys(tickets, frozenset()), touched=set())
    if len(counted.reasons) != len(tickets):
        twice = sorted(ticket for ticket, times in Counter(tickets).items() if times > 1)
        counted.problems += [f"ticket {ticket} was accepted twice" for ticket in twice]
    waiting: list[str] = []
    if pending:
        table = table_of(PendingLeaf)
        waiting = list(connection.execute(select(table.c.leaf).where(
            table.c.contest == contest, table.c.kind.in_(ENTRY_EVENTS)).order_by(
            table.c.id)).scalars())
    return tally((json.loads(leaf) for leaf in [*others, *waiting]), contest=contest,
                 start=counted)
