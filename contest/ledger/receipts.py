"""Signed receipts: an entrant's proof that their entry was accepted.

A receipt is a C2SP signed note under the log key whose text is::

    contest-receipt/1
    <contest slug>
    <ticket>
    <rules_sha256>
    <received_at, UTC ISO 8601 with Z>

Anyone can check it with the published verifier key (``/log/key``); it names no person.

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
from datetime import datetime
from typing import Protocol

from contest.ledger.events import moment
from contest.ledger.note import Signer, Verifier, open_note

FORMAT = "contest-receipt/1"
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


def receipt_text(entry: Receipted, contest_slug: str) -> str:
    return "\n".join([FORMAT, contest_slug, entry.ticket, entry.rules_sha256,
                      moment(entry.received_at)]) + "\n"


def sign_receipt(entry: Receipted, contest_slug: str, signer: Signer) -> str:
    return signer.sign(receipt_text(entry, contest_slug))


def open_receipt(note: str, verifier: Verifier) -> list[str]:
    """The receipt's lines (format, contest, ticket, rules hash, moment) once it verifies."""
    return open_note(note, verifier).rstrip("\n").split("\n")


def receipt_key(ticket: str, secret: bytes) -> str:
    """The key of the private link to ticket ``ticket``'s receipt (22 base64url letters)."""
    digest = hmac.new(secret, _KEY_PURPOSE + ticket.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest[:KEY_BYTES]).rstrip(b"=").decode("ascii")


def is_receipt_key(ticket: str, key: str, secret: bytes) -> bool:
    """Whether ``key`` opens ticket ``ticket``'s private receipt (compared in constant time)."""
    return hmac.compare_digest(receipt_key(ticket, secret).encode(), key.encode())
