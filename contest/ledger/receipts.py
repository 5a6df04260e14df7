"""Signed receipts: an entrant's proof that their entry was accepted.

A receipt is a C2SP signed note under the log key whose text is::

    contest-receipt/2
    <contest slug>
    <ticket>
    <rules_sha256>
    <received_at, UTC ISO 8601 with Z>
    <the leaf hash of the entry's entry.accepted event, 64 hex digits>
    <included_by, UTC ISO 8601 with Z>

a promise of inclusion, as Certificate Transparency's SCT: the entry's leaf will be in a
checkpoint the log signs by ``included_by`` (``docs/PROTOCOL.md``, "The receipt's promise of
inclusion"). An entry accepted before entries were logged has a ``contest-receipt/1``: the
first five lines, promising nothing of the log. Anyone can check either with the published
verifier key (``/log/key``); neither names a person.

The entrant's private link to their own receipt carries a key besides the ticket:
:func:`receipt_key`, an HMAC-SHA256 (RFC 2104) of the ticket under the deployment's secret
key, 128 bits in base64url. Tickets are public (the bundle lists every one with its
exclusion reason), so a page anyone can open by ticket must name no one; the page behind the
key may show the entrant their masked name next to their reason. Nothing is stored: the same
ticket always gets the same link, and a new secret key changes every link.
"""

import base64
import hashlib
import hmac
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from contest.ledger.events import moment
from contest.ledger.note import Signer, Verifier, open_note

FORMAT = "contest-receipt/2"
FORMAT_WITHOUT_LOG = "contest-receipt/1"
KEY_BYTES = 16
_KEY_PURPOSE = b"contest-receipt-key/1\n"  # an HMAC of this secret for nothing else


class Receipted(Protocol):
    """What a receipt tells of an entry (the intake's ``TakenEntry``)."""

    @property
    def ticket(self) -> str: ...

    @property
    def rules_sha256(self) -> str: ...

    @property
    def received_at(self) -> datetime: ...


@dataclass(frozen=True)
class Promise:
    """What a ``contest-receipt/2`` promises: the entry's leaf (its hash) in a checkpoint
    signed by ``included_by``."""

    leaf_hash: str
    included_by: datetime


def receipt_text(entry: Receipted, contest_slug: str, promise: Promise | None) -> str:
    """The receipt's text: ``contest-receipt/2`` with ``promise``, or ``contest-receipt/1``
    for an entry not on the log (``None``)."""
    lines = [FORMAT_WITHOUT_LOG if promise is None else FORMAT, contest_slug, entry.ticket,
             entry.rules_sha256, moment(entry.received_at)]
    if promise is not None:
        lines += [promise.leaf_hash, moment(promise.included_by)]
    return "\n".join(lines) + "\n"


def sign_receipt(entry: Receipted, contest_slug: str, signer: Signer,
                 promise: Promise | None) -> str:
    return signer.sign(receipt_text(entry, contest_slug, promise))


def open_receipt(note: str, verifier: Verifier) -> list[str]:
    """The receipt's lines (format, contest, ticket, rules hash, moment, and for a
    ``contest-receipt/2`` the leaf hash and the moment promised) once it verifies."""
    return open_note(note, verifier).rstrip("\n").split("\n")


def receipt_key(ticket: str, secret: bytes) -> str:
    """The key of the private link to ticket ``ticket``'s receipt (22 base64url letters)."""
    digest = hmac.new(secret, _KEY_PURPOSE + ticket.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest[:KEY_BYTES]).rstrip(b"=").decode("ascii")


def is_receipt_key(ticket: str, key: str, secret: bytes) -> bool:
    """Whether ``key`` opens ticket ``ticket``'s private receipt (compared in constant time)."""
    return hmac.compare_digest(receipt_key(ticket, secret).encode(), key.encode())
