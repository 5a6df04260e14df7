"""What a receipt page shows of one ticket: the entry, its contest and the rules version it
entered under. The public page and the entrant's own page (``web.public``) both read it
here; what each may show of it is theirs to decide (see :mod:`contest.ledger.receipts`).
"""

from dataclasses import dataclass

from sqlmodel import Session, col, select

from contest.entries.reconcile import require_entry_for_logged_ticket
from contest.errors import NotFound
from contest.i18n import N_
from contest.models import Contest, Entry, RulesVersion
from contest.rules.versions import require_logged


@dataclass(frozen=True)
class EntryReceipt:
    """An entry with the contest it entered and the rules version it entered under."""

    entry: Entry
    contest: Contest
    version: RulesVersion


def find_receipt(session: Session, ticket: str) -> EntryReceipt:
    """The entry holding ``ticket`` (in any case: tickets are lowercase hex), with its
    contest and rules version; :class:`NotFound` when no entry has it. The receipt names the
    version's fingerprint, so the version is first held against its stored text and the
    public log (:class:`~contest.errors.RulesTampered` when either disagrees)."""
    row = session.exec(
        select(Entry, Contest, RulesVersion)
        .join(Contest, col(Contest.id) == Entry.contest_id)
        .join(RulesVersion, col(RulesVersion.id) == Entry.rules_version_id)
        .where(Entry.ticket == ticket.lower())).first()
    if row is None:
        require_entry_for_logged_ticket(session, ticket.lower())
        raise NotFound(N_("no entry has this ticket"))
    found = EntryReceipt(*row)
    require_logged(session, found.contest, found.version)
    return found
