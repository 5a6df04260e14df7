"""Entry tickets: the public, unguessable number an entrant keeps as proof of entry.

A ticket is 128 bits from the operating system's CSPRNG (:mod:`secrets`), written as 32
lowercase hex characters. ``entries.ticket`` is unique across the deployment; a collision
(chance about n²/2¹²⁹) is caught by that constraint and the insert is retried.
"""

import re
import secrets

TICKET_BYTES = 16
TICKET_PATTERN = re.compile(r"[0-9a-f]{32}")


def new_ticket() -> str:
    """A fresh ticket: 128 random bits as 32 lowercase hex characters."""
    return secrets.token_hex(TICKET_BYTES)
