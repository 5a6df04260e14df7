"""What a receipt page shows of one ticket: the entry, its contest and the rules version it
entered under. The public page and the entrant's own page (``web.public``) both read it
here; what each may show of it is theirs to decide (see :mod:`contest.ledger.receipts`).
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session, col, select

from contest.entries.reconcile import require_entry_for_logged_ticket
from contest.errors import NotFound, NotIncludedYet
from contest.i18n import N_
from contest.ledger.cosignatures import cosigned_note
from contest.ledger.note import Signer
from contest.ledger.receipts import Promise
from contest.ledger.store import entry_leaf, first_checkpoint_covering, tree
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


def receipt_promise(session: Session, *, contest: str, ticket: str, received_at: datetime,
                    merge_delay: timedelta, leaf_hash: str | None = None) -> Promise | None:
    """What the receipt of ``ticket`` promises: its ``entry.accepted`` leaf (``leaf_hash``
    when the intake just appended it, else looked up) in a checkpoint by ``received_at`` +
    ``merge_delay``; ``None`` for an entry accepted before entries were logged."""
    if leaf_hash is None:
        found = entry_leaf(session, contest=contest, ticket=ticket)
        if found is None:
            return None
        leaf_hash = found.leaf_hash
    return Promise(leaf_hash, received_at + merge_delay)


def inclusion_of_entry(session: Session, *, contest: str, ticket: str,
                       signer: Signer) -> dict[str, object]:
    """The proof that ``ticket``'s ``entry.accepted`` leaf is in the log: the leaf and its
    index, the first checkpoint signed over a tree that holds it (the one its receipt's
    promise is kept by) and the RFC 6962 inclusion proof to that checkpoint's root, as
    ``docs/PROTOCOL.md`` gives it. :class:`NotFound` when the log holds no such leaf,
    :class:`NotIncludedYet` while no signed checkpoint holds it."""
    found = entry_leaf(session, contest=contest, ticket=ticket)
    if found is None:
        raise NotFound(N_("the log of {slug} holds no entry with ticket {ticket}"),
                       {"slug": contest, "ticket": ticket})
    checkpoint = (None if found.leaf_index is None
                  else first_checkpoint_covering(session, found.leaf_index, signer))
    if found.leaf_index is None or checkpoint is None:
        raise NotIncludedYet(N_("the entry with ticket {ticket} is on the log but in no "
                                "signed checkpoint yet; its receipt says by when it will be"),
                             {"ticket": ticket})
    proof = tree(session).inclusion_proof(found.leaf_index, checkpoint.size)
    return {"leaf_index": found.leaf_index, "leaf": found.leaf, "tree_size": checkpoint.size,
            "inclusion_proof": [node.hex() for node in proof],
            "checkpoint": cosigned_note(session, checkpoint)}
