"""one identity: entries keyed by contest.identity

The entry limits now count people by the keys the fraud scan joins them by (issue 16): the
intake stores ``contest.identity.email_key`` (the mailbox: Gmail's dots and ``+tags``,
googlemail.com, Yandex's domains…) and ``contest.identity.household_key`` (building and flat
in its city), where it stored ``email.lower()`` and a plain folding of address, postal code
and country. This recomputes both keys of every stored entry from the entry's own fields, so
that a new entry meets the older ones of the same person. An address with no mailbox under
the new rules (``+promo@gmail.com``) or an address naming no building (``-``) gets no key.

The verdicts (``eligible``, ``reasons``) are left as they were given: the limits recount a
person's entries when that person enters again or an auditor decides, as always, and a
frozen contest keeps the entries it froze.

Why this calls ``contest.identity`` rather than a frozen copy of the folding: the stored
keys are worth something only while they equal what the running code computes for a new
entry; a copy would be a third version of ~1,000 lines (the address parser and the name
skeleton) that this issue removes duplicates of. ``contest.identity`` is a leaf (no models,
no other package of ``contest``), so its import cannot break with the schema, and its keys
are pinned by ``tests/identity/test_keys_are_pinned.py``: a change that alters them must
come with its own migration recomputing the keys, which then leaves the same values whether
this one ran with the old or the new code. The downgrade writes the old keys, whose folding
is short and frozen here.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-10 09:00:00
"""

import re
import unicodedata
from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from alembic import op

from contest.identity import email_key, household_key


revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None

BATCH = 1000
"""Entries read and rewritten at a time, in id order."""

_ENTRIES = sa.table(
    'entries', sa.column('id', sa.Integer), sa.column('email', sa.String),
    sa.column('email_key', sa.String), sa.column('address', sa.String),
    sa.column('city', sa.String), sa.column('postal_code', sa.String),
    sa.column('country', sa.String), sa.column('household_key', sa.String))

Keys = Callable[[Any], tuple[str | None, str | None]]


def _rekey(keys: Keys) -> None:
    """Set each entry's (email key, household key) to ``keys(row)``, writing changed rows."""
    connection = op.get_bind()
    c = _ENTRIES.c
    read = (sa.select(c.id, c.email, c.email_key, c.address, c.city, c.postal_code,
                      c.country, c.household_key)
            .where(c.id > sa.bindparam('after')).order_by(c.id).limit(BATCH))
    write = (sa.update(_ENTRIES).where(c.id == sa.bindparam('entry_id'))
             .values(email_key=sa.bindparam('new_email_key'),
                     household_key=sa.bindparam('new_household_key')))
    after = 0
    while rows := connection.execute(read, {'after': after}).all():
        changed = []
        for row in rows:
            new = keys(row)
            if new != (row.email_key, row.household_key):
                changed.append({'entry_id': row.id, 'new_email_key': new[0],
                                'new_household_key': new[1]})
        if changed:
            connection.execute(write, changed)
        after = rows[-1].id


def _identity_keys(row: Any) -> tuple[str | None, str | None]:
    return (email_key(row.email) if row.email else None,
            household_key(row.address, row.city, row.postal_code, row.country))


_NOT_WORD = re.compile(r"[\W_]+")


def _keys_before_0012(row: Any) -> tuple[str | None, str | None]:
    """The keys the intake stored before this migration (contest.entries.submission)."""
    home = None
    if row.address:
        folded = _NOT_WORD.sub(" ", unicodedata.normalize("NFKC", row.address).casefold())
        postal = "".join(_NOT_WORD.sub("", row.postal_code or "").upper().split())
        home = f"{row.country or ''}|{postal}|{' '.join(folded.split())}"
    return (row.email.lower() if row.email else None), home


def upgrade() -> None:
    _rekey(_identity_keys)


def downgrade() -> None:
    _rekey(_keys_before_0012)
