"""What the public may see of a draw: masked winners, and whether a ticket took part."""

from dataclasses import dataclass

from sqlmodel import Session, col, select

from contest.draw.service import current_winners
from contest.ledger.merkle import MerkleTree, leaf_hash
from contest.masking import mask_name
from contest.models import DrawRecord, Entry


@dataclass(frozen=True)
class PublicWinner:
    ticket: str
    name: str
    region: str


def public_winners(session: Session, record: DrawRecord) -> list[PublicWinner]:
    """The current winners in order, as tickets and masked names with their country."""
    tickets = current_winners(session, record)
    entries = {entry.ticket: entry for entry in session.exec(
        select(Entry).where(col(Entry.ticket).in_(tickets)))}
    return [PublicWinner(ticket, mask_name(entries[ticket].full_name) if ticket in entries
                         else "", (entries[ticket].country or "") if ticket in entries else "")
            for ticket in tickets]


@dataclass(frozen=True)
class TicketLookup:
    """``status`` is eligible (with the inclusion proof in the entries root), excluded (with
    the reason codes) or unknown."""

    status: str
    index: int | None = None
    size: int | None = None
    reasons: tuple[str, ...] = ()
    proof: tuple[str, ...] = ()


def look_up_ticket(record: DrawRecord, ticket: str) -> TicketLookup:
    excluded = {item.ticket: item.reasons for item in record.excluded}
    if ticket in excluded:
        return TicketLookup("excluded", reasons=excluded[ticket])
    tickets = record.tickets
    try:
        index = tickets.index(ticket)
    except ValueError:
        return TicketLookup("unknown")
    tree = MerkleTree([leaf_hash(t.encode("ascii")) for t in tickets])
    return TicketLookup("eligible", index=index, size=len(tickets),
                        proof=tuple(h.hex() for h in tree.inclusion_proof(index, len(tickets))))


def frozen_count(record: DrawRecord) -> int:
    """How many tickets were eligible at the freeze."""
    return record.ticket_count


def excluded_by_reason(record: DrawRecord) -> dict[str, int]:
    """How many entries the freeze excluded for each reason code, as its public event lists
    them (an entry with two reasons counts under both). All the public sees of the review."""
    counts: dict[str, int] = {}
    for item in record.excluded:
        for code in item.reasons:
            counts[code] = counts.get(code, 0) + 1
    return dict(sorted(counts.items()))
