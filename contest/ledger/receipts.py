"""Signed receipts: an entrant's proof that their entry was accepted.

A receipt is a C2SP signed note under the log key whose text is::

    contest-receipt/1
    <contest slug>
    <ticket>
    <rules_sha256>
    <received_at, UTC ISO 8601 with Z>

Anyone can check it with the published verifier key (``/log/key``); it names no person.
"""

from datetime import datetime
from typing import Protocol

from contest.ledger.events import moment
from contest.ledger.note import Signer, Verifier, open_note

FORMAT = "contest-receipt/1"


class Receipted(Protocol):
    """What a receipt tells of an entry (a stored ``Entry`` or the intake's ``TakenEntry``)."""

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
