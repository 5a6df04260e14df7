"""recount the limits

Migration 0012 recomputed the entries' e-mail and household keys but left the verdicts as
the old keys gave them: in a contest still open, ``a+2@gmail.com`` entered after
``a@gmail.com`` stayed eligible, and entries the old household key tied (every ``-``
address of a city was one home) stayed over the household limit. This recounts the entry
limits of every contest not yet frozen (no draw record) under its newest published rules,
as :func:`contest.entries.eligibility.apply_limits` would, writes only the entries whose
reasons change, and leaves an audit record (``limits.recount``, the number of entries
changed) for each contest it changed. A frozen contest keeps the entries it froze.

It also adds ``fraud_scans.identity_edition``: the edition of who is one person
(``contest.identity.EDITION``) under which a scan recounted the limits. The scans made
before are edition 1, so the freeze waits for a new scan (``contest.draw.readiness``),
which judges the entries this recount lets in: a scan stores no flag on an entry that did
not count when it ran, so an entry let in afterwards was never judged.

Why this calls ``contest`` code, as 0012 does: the verdicts are worth something only while
they equal what the running code computes for the next entry, and a copy of the limits
would be a second version of them. ``limit_verdicts`` is a pure function of the rows given
to it (this module reads and writes the rows itself, through its own table definitions,
so it does not depend on the models of later revisions), and the rules are parsed as every
published version is read. The downgrade drops the column and keeps the recounted
verdicts: the code of revision 0012 counts alike with the keys 0012 stored.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-07 09:00:00
"""

import json
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from alembic import op

from contest.entries.eligibility import LimitFacts, limit_verdicts
from contest.rules.parse import parse_rules


revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None

BATCH = 1000
"""Changed entries written at a time."""

_ENTRIES = sa.table(
    'entries', sa.column('id', sa.Integer), sa.column('contest_id', sa.Integer),
    sa.column('email_key', sa.String), sa.column('phone', sa.String),
    sa.column('household_key', sa.String), sa.column('submitted_at', sa.DateTime),
    sa.column('eligible', sa.Boolean), sa.column('reasons', sa.Text))
_CONTESTS = sa.table('contests', sa.column('id', sa.Integer), sa.column('slug', sa.String))
_VERSIONS = sa.table(
    'rules_versions', sa.column('contest_id', sa.Integer), sa.column('version', sa.Integer),
    sa.column('canonical_json', sa.Text))
_DRAWS = sa.table('draws', sa.column('contest_id', sa.Integer))
_AUDIT = sa.table(
    'audit_records', sa.column('at', sa.DateTime), sa.column('actor_id', sa.Integer),
    sa.column('action', sa.String), sa.column('subject', sa.String),
    sa.column('detail', sa.Text))


def _moment(value: datetime) -> datetime:
    """A stored moment as the models read it: SQLite keeps UTC without a zone."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _stored_moment(connection: Any, value: datetime) -> datetime:
    return value.replace(tzinfo=None) if connection.dialect.name == 'sqlite' else value


def _open_contests(connection: Any) -> list[tuple[int, str, str]]:
    """(id, slug, newest published rules) of every contest with rules and no draw record."""
    newest = (sa.select(_VERSIONS.c.contest_id, sa.func.max(_VERSIONS.c.version).label('last'))
              .group_by(_VERSIONS.c.contest_id).subquery())
    query = (sa.select(_CONTESTS.c.id, _CONTESTS.c.slug, _VERSIONS.c.canonical_json)
             .join(newest, newest.c.contest_id == _CONTESTS.c.id)
             .join(_VERSIONS, sa.and_(_VERSIONS.c.contest_id == _CONTESTS.c.id,
                                      _VERSIONS.c.version == newest.c.last))
             .where(~sa.exists().where(_DRAWS.c.contest_id == _CONTESTS.c.id))
             .order_by(_CONTESTS.c.id))
    return [(row.id, row.slug, row.canonical_json) for row in connection.execute(query)]


def _recount(connection: Any, contest_id: int, canonical: str) -> int:
    """Recount one contest's limits; how many entries changed."""
    rules = parse_rules(json.loads(canonical), published=True)
    c = _ENTRIES.c
    rows = [LimitFacts(row.id, row.email_key, row.phone, row.household_key,
                       _moment(row.submitted_at), tuple(json.loads(row.reasons)))
            for row in connection.execute(
                sa.select(c.id, c.email_key, c.phone, c.household_key, c.submitted_at,
                          c.reasons).where(c.contest_id == contest_id))]
    verdicts = limit_verdicts(rules, rows)
    changed = [{'entry_id': row.id, 'new_eligible': not verdicts[row.id],
                'new_reasons': json.dumps(list(verdicts[row.id]), separators=(',', ':'))}
               for row in sorted(rows, key=lambda r: r.id) if verdicts[row.id] != row.reasons]
    write = (sa.update(_ENTRIES).where(c.id == sa.bindparam('entry_id'))
             .values(eligible=sa.bindparam('new_eligible'),
                     reasons=sa.bindparam('new_reasons')))
    for start in range(0, len(changed), BATCH):
        connection.execute(write, changed[start:start + BATCH])
    return len(changed)


def upgrade() -> None:
    with op.batch_alter_table('fraud_scans', schema=None) as batch_op:
        batch_op.add_column(sa.Column('identity_edition', sa.Integer(), nullable=False,
                                      server_default='1'))
    connection = op.get_bind()
    now = datetime.now(UTC)
    for contest_id, slug, canonical in _open_contests(connection):
        changed = _recount(connection, contest_id, canonical)
        if changed:
            connection.execute(sa.insert(_AUDIT).values(
                at=_stored_moment(connection, now), actor_id=None, action='limits.recount',
                subject=slug, detail=json.dumps({'changed': changed, 'revision': revision},
                                                sort_keys=True)))


def downgrade() -> None:
    with op.batch_alter_table('fraud_scans', schema=None) as batch_op:
        batch_op.drop_column('identity_edition')
