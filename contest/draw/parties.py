"""Who commits to a commit-reveal draw, and who may record each party's commitment.

The public log names a party by its role, never a person. The sponsor's side (sponsor,
organiser, agency) is recorded by a marketer; the independent parties (an auditor, a notary,
the entrants' delegate, a public witness) by an auditor. A draw needs at least one independent
party: as long as one secret was chosen at random and kept until every commitment was public,
nobody could steer the value (see :mod:`contest.randomness.commit_reveal`).
"""

from enum import StrEnum

from contest.i18n import N_
from contest.models import Role


class CommitParty(StrEnum):
    """Who commits to a commit-reveal draw: the public log names the role, never a person
    (the name a marketer types stays in the private audit trail)."""

    SPONSOR = "sponsor"
    ORGANISER = "organiser"
    AGENCY = "agency"
    AUDITOR = "auditor"
    NOTARY = "notary"
    ENTRANTS = "entrants"
    WITNESS = "witness"


SPONSOR_SIDE = frozenset({CommitParty.SPONSOR, CommitParty.ORGANISER, CommitParty.AGENCY})
"""Parties a marketer speaks for. The others are independent of the sponsor: an auditor
records their commitments, and a commit-reveal draw needs at least one of them, or whoever
knows every secret could steer the draw."""
INDEPENDENT = frozenset(CommitParty) - SPONSOR_SIDE

PARTY_LABELS: dict[CommitParty, str] = {
    CommitParty.SPONSOR: N_("the sponsor"),
    CommitParty.ORGANISER: N_("the organiser"),
    CommitParty.AGENCY: N_("the agency"),
    CommitParty.AUDITOR: N_("the independent auditor"),
    CommitParty.NOTARY: N_("a notary"),
    CommitParty.ENTRANTS: N_("the entrants' delegate"),
    CommitParty.WITNESS: N_("a public witness"),
}


def parties_for(role: Role | str | None) -> frozenset[str]:
    """The parties whose commitments ``role`` may record."""
    if role == Role.MARKETER:
        return frozenset(SPONSOR_SIDE)
    if role == Role.AUDITOR:
        return frozenset(INDEPENDENT)
    return frozenset(CommitParty) if role == Role.ADMIN else frozenset()
