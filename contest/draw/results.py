"""What the public may see of a draw: masked winners, and whether a ticket took part; and
the certificate the results page shows (:func:`certificate`).

The public record rule holds here: a masked name and a country stand next to a ticket only
for a winner who holds a place now. A replaced winner is shown by ticket with the reason's
code and the moment, never with a name, and the auditor's own words never leave the audit
trail.
"""

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from contest.draw.public_randomness import NamedRandomness, named_randomness
from contest.draw.readiness import frozen_rules
from contest.draw.service import (
    PlacedReplacement,
    placed_replacements,
    winner_places,
)
from contest.ledger.merkle import MerkleTree, leaf_hash
from contest.masking import mask_name
from contest.models import DrawRecord, Entry
from contest.rules.document import Prize, RulesDocument


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


def prize_places(rules: RulesDocument) -> list[Prize]:
    """The prize of each place, place 1 first: the winners take the prizes in the order the
    rules list them, each prize for as many places as its quantity."""
    return [prize for prize in rules.prizes for _ in range(prize.quantity)]


@dataclass(frozen=True)
class WinnerPlace:
    """A place drawn: its prize, and who holds it now (``ticket`` None: nobody, the
    alternates ran out). ``alternate`` is the alternate's number when one came in."""

    place: int
    prize: Prize | None
    ticket: str | None
    name: str = ""
    region: str = ""
    alternate: int | None = None


@dataclass(frozen=True)
class AlternateLine:
    """An alternate, in the order drawn, and the place it took (None: not needed)."""

    number: int
    ticket: str
    took_place: int | None = None


@dataclass(frozen=True)
class Certificate:
    """What the results page certifies of a drawn contest."""

    drawn_at: datetime
    eligible: int
    places: tuple[WinnerPlace, ...]
    alternates: tuple[AlternateLine, ...]
    replacements: tuple[PlacedReplacement, ...]
    randomness: NamedRandomness


def certificate(session: Session, record: DrawRecord) -> Certificate:
    """The certificate of a drawn ``record`` (its seed and draw moment are set)."""
    assert record.drawn_at is not None, "only a drawn contest has a certificate"
    prizes = prize_places(frozen_rules(session, record))
    holders = winner_places(session, record)
    alternates = list(record.alternates)
    entries = {entry.ticket: entry for entry in session.exec(
        select(Entry).where(Entry.contest_id == record.contest_id,
                            col(Entry.ticket).in_([t for t in holders if t])))}
    places = []
    for place, ticket in enumerate(holders, start=1):
        entry = entries.get(ticket) if ticket else None
        places.append(WinnerPlace(
            place, prizes[place - 1] if place <= len(prizes) else None, ticket,
            mask_name(entry.full_name) if entry else "", (entry.country or "") if entry else "",
            alternates.index(ticket) + 1 if ticket in alternates else None))
    replacements = placed_replacements(session, record)
    took = {line.replacement: line.place for line in replacements}
    return Certificate(
        record.drawn_at, record.ticket_count, tuple(places),
        tuple(AlternateLine(number, ticket, took.get(ticket))
              for number, ticket in enumerate(alternates, start=1)),
        tuple(replacements), named_randomness(record))
