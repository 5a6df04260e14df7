"""entries from social networks, their reads and the conditions checked

A contest may take its entries from VK, Telegram and Instagram (``contest.sources``). An
entry keeps the social account it came from (``entries.account``: ``vk:123456``,
``tg:987654``, ``ig:username``), indexed per contest, since one account enters once. Each
read of a source is kept (``source_reads``: the counts the network reports against the counts
read, and a gap a marketer accepted with its public reason), and each condition checked for
an entry (``condition_checks``: at the read, and again at the draw). A draw records when its
winners' and alternates' conditions were checked again (``draws.rechecked_at``).

The entries stored before came from no network: their account stays empty. The downgrade
drops the new tables and columns; the reads and checks are lost with them (their public
record stays on the log).

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-07 20:00:00
"""

import sqlalchemy as sa
from alembic import op
from sqlmodel.sql.sqltypes import AutoString


revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column('entries', sa.Column('account', AutoString(length=120), nullable=True))
    op.create_index('ix_entries_contest_account', 'entries', ['contest_id', 'account'])
    op.add_column('draws', sa.Column('rechecked_at', sa.DateTime(timezone=True),
                                     nullable=True))
    op.create_table(
        'source_reads',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('contest_id', sa.Integer(), nullable=False),
        sa.Column('source', sa.Integer(), nullable=False),
        sa.Column('network', AutoString(length=20), nullable=False),
        sa.Column('read_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('counts_json', sa.Text(), nullable=False),
        sa.Column('problems_json', sa.Text(), nullable=False),
        sa.Column('complete', sa.Boolean(), nullable=False),
        sa.Column('entrants', sa.Integer(), nullable=False),
        sa.Column('taken', sa.Integer(), nullable=False),
        sa.Column('by_id', sa.Integer(), nullable=True),
        sa.Column('leaf_index', sa.Integer(), nullable=False),
        sa.Column('gap_reason', AutoString(length=40), nullable=True),
        sa.Column('gap_accepted_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('gap_accepted_by_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['contest_id'], ['contests.id']),
        sa.ForeignKeyConstraint(['by_id'], ['users.id']),
        sa.ForeignKeyConstraint(['gap_accepted_by_id'], ['users.id']),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_source_reads_contest_id', 'source_reads', ['contest_id'])
    op.create_table(
        'condition_checks',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('entry_id', sa.Integer(), nullable=False),
        sa.Column('condition', AutoString(length=20), nullable=False),
        sa.Column('result', AutoString(length=10), nullable=False),
        sa.Column('reason', AutoString(length=40), nullable=False),
        sa.Column('stage', AutoString(length=10), nullable=False),
        sa.Column('checked_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('leaf_index', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['entry_id'], ['entries.id']),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_condition_checks_entry', 'condition_checks', ['entry_id', 'stage'])


def downgrade() -> None:
    op.drop_index('ix_condition_checks_entry', table_name='condition_checks')
    op.drop_table('condition_checks')
    op.drop_index('ix_source_reads_contest_id', table_name='source_reads')
    op.drop_table('source_reads')
    with op.batch_alter_table('draws') as batch:
        batch.drop_column('rechecked_at')
    op.drop_index('ix_entries_contest_account', table_name='entries')
    with op.batch_alter_table('entries') as batch:
        batch.drop_column('account')
