"""pending leaves, the tree's right edge, and leaves found by contest and type

Every accepted entry now puts an event on the public log. Appending one must cost its
transaction one insert, so events are first *pending* (``log_pending``: the leaf, its hash,
its seal), and a background step integrates them into the tree in batches and signs one
checkpoint per batch (:mod:`contest.ledger.integrate`).

A checkpoint row keeps the right edge of the tree it signs (``log_checkpoints.edge``: the
roots of the perfect subtrees, left to right), so the next batch extends the tree without
reading every leaf. Leaves are found by the contest and the type they name
and the ticket they name (``contest``, ``kind`` and ``ticket``, copied from the leaf when it
is appended: a receipt's inclusion proof), and whether it is an entry that counts
(``counts``: an ``entry.accepted`` event with no reasons), so that the freeze reads a
million entries from one index. The integration checks each copy against the leaf's sealed
text before the leaf enters the tree. The pending
table has no index but its key: each insert of an entry's transaction costs one row, and it
holds only what the next integration takes.

The downgrade drops the columns and the table; pending leaves not integrated are lost with it.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-07 13:30:00
"""

import sqlalchemy as sa
from alembic import op
from sqlmodel.sql.sqltypes import AutoString


revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'log_pending',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('leaf', sa.Text(), nullable=False),
        sa.Column('leaf_hash', AutoString(length=64), nullable=False),
        sa.Column('seal', AutoString(length=64), nullable=True),
        sa.Column('appended_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('contest', AutoString(length=80), nullable=True),
        sa.Column('kind', AutoString(length=40), nullable=False),
        sa.Column('ticket', AutoString(length=32), nullable=True),
        sa.Column('counts', sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('log_checkpoints') as batch:
        batch.add_column(sa.Column('edge', sa.Text(), nullable=True))
    with op.batch_alter_table('log_entries') as batch:
        batch.add_column(sa.Column('contest', AutoString(length=80), nullable=True))
        batch.add_column(sa.Column('kind', AutoString(length=40), nullable=True))
        batch.add_column(sa.Column('ticket', AutoString(length=32), nullable=True))
        batch.add_column(sa.Column('counts', sa.Boolean(), nullable=False,
                                   server_default=sa.false()))
    bind = op.get_bind()
    if bind.dialect.name == 'postgresql':
        op.execute("UPDATE log_entries SET contest = leaf::json->>'contest', "
                   "kind = leaf::json->>'type', ticket = leaf::json->>'ticket'")
    else:
        op.execute("UPDATE log_entries SET contest = json_extract(leaf, '$.contest'), "
                   "kind = json_extract(leaf, '$.type'), ticket = json_extract(leaf, '$.ticket')")
    with op.batch_alter_table('log_entries') as batch:
        batch.create_index('ix_log_entries_contest_kind',
                           ['contest', 'kind', 'counts', 'ticket'])
        batch.create_index('ix_log_entries_ticket', ['ticket'])


def downgrade() -> None:
    with op.batch_alter_table('log_entries') as batch:
        batch.drop_index('ix_log_entries_ticket')
        batch.drop_index('ix_log_entries_contest_kind')
        batch.drop_column('counts')
        batch.drop_column('ticket')
        batch.drop_column('kind')
        batch.drop_column('contest')
    with op.batch_alter_table('log_checkpoints') as batch:
        batch.drop_column('edge')
    op.drop_table('log_pending')
