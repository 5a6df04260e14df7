"""Read a contest's entries from its public log: what the freeze fixes.

A national promotion logs a million ``entry.accepted`` leaves, and the freeze reads them
within its few seconds: too many to parse one by one as JSON in Python. Most of them are
alike: an entry that counts, whose RFC 8785 leaf ends ``…"reasons":[],"rules_sha256":"…",
"ticket":"<ticket>","type":"entry.accepted"}`` (members are sorted and written one way). So
the database cuts the ticket out of the text of each such leaf and joins them into one
string (:func:`_counting_tickets`); every other leaf of the contest's entries (an entry that
does not count, a recount, an auditor's decision: few) is read whole as JSON and replayed
after, in log order. The result is :func:`contest.ledger.tally.tally` over every leaf.

Leaves are found by the contest and type copied beside them (``log_entries.contest`` and
``kind``, indexed); what they say is read from their text, the leaf the checkpoints sign.
"""

import json
import re
from collections import Counter

from sqlalchemy import ColumnElement, and_, func, literal, not_, select
from sqlmodel import Session

from contest.canonical import canonical_json
from contest.ledger.tally import ENTRY_EVENTS, Tally, tally
from contest.models import LogEntry, PendingLeaf, table_of

ACCEPTED = "entry.accepted"
_TAIL = '","type":"entry.accepted"}'
_TICKET = '"ticket":"'
_TICKET_LENGTH = 32
_COUNTS = '"reasons":[],'
_HEX = re.compile(r"[0-9a-f]*")


def logged_entries(session: Session, *, contest: str, pending: bool = False) -> Tally:
    """Every ticket of ``contest`` on the log (integrated leaves; with ``pending``, also the
    leaves not integrated yet) and its reason codes, and what did not add up (a ticket
    accepted twice…), as :func:`~contest.ledger.tally.tally` tells it."""
    leaves = table_of(LogEntry)
    mine = and_(leaves.c.contest == contest, leaves.c.kind.in_(ENTRY_EVENTS))
    connection = session.connection()
    counting = connection.execute(
        select(func.aggregate_strings(_cut_ticket(leaves.c.leaf), ""))
        .where(mine, _counting(leaves.c.leaf, contest))).scalar_one() or ""
    if len(counting) % _TICKET_LENGTH or not _HEX.fullmatch(counting):
        raise AssertionError("the tickets cut from the log's leaves are not 32 hex digits")
    tickets = [counting[i:i + _TICKET_LENGTH] for i in range(0, len(counting), _TICKET_LENGTH)]
    others = connection.execute(select(leaves.c.leaf).where(mine, not_(_counting(
        leaves.c.leaf, contest))).order_by(leaves.c.leaf_index)).scalars()
    # A ticket's first event is its acceptance, so the entries that count can be replayed
    # first (at once: a million of them): a later event about one of them still comes after.
    counted = Tally(reasons=dict.fromkeys(tickets, frozenset()))
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


def _counting(leaf: ColumnElement[str], contest: str) -> ColumnElement[bool]:
    """Whether ``leaf`` is the text of an ``entry.accepted`` event of an entry of
    ``contest`` that counts, as this app writes it: naming the contest, with no reasons,
    ending in the ticket and the type."""
    length = func.length(leaf)
    tail = len(_TAIL)
    start = length - tail - _TICKET_LENGTH - len(_TICKET) + 1
    named = '"contest":' + canonical_json(contest).decode("utf-8") + ","
    return and_(
        func.substr(leaf, length - tail + 1, tail) == literal(_TAIL),
        func.substr(leaf, start, len(_TICKET)) == literal(_TICKET),
        leaf.contains(_COUNTS, autoescape=True),
        leaf.contains(named, autoescape=True),
    )


def _cut_ticket(leaf: ColumnElement[str]) -> ColumnElement[str]:
    return func.substr(leaf, func.length(leaf) - len(_TAIL) - _TICKET_LENGTH + 1,
                       _TICKET_LENGTH)
