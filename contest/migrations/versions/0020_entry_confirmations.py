"""entries waiting for their entrant to confirm the e-mail address, and the mails sent

With the rules' ``defences.confirm_email``, an entry from the form or the API is asked to be
confirmed through a link mailed to the entrant (``contest.entries.confirmation``):
``entry_confirmations`` keeps one row per entry asked, with the moment it was asked and the
moment it was confirmed (empty while it waits), and ``confirmation_mails`` one row per mail
sent, which the resend limit counts. Entries stored before were never asked: they have no
row, and nothing they were given changes.

The downgrade drops both tables; the confirmations are lost with them (an entry still
waiting at the close would then count).

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-07 22:00:00
"""

import sqlalchemy as sa
from alembic import op


revision = '0020'
down_revision = '0019'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'entry_confirmations',
        sa.Column('entry_id', sa.Integer(), nullable=False),
        sa.Column('asked_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('confirmed_at', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['entry_id'], ['entries.id']),
        sa.PrimaryKeyConstraint('entry_id'),
    )
    op.create_table(
        'confirmation_mails',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('entry_id', sa.Integer(), nullable=False),
        sa.Column('sent_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['entry_id'], ['entry_confirmations.entry_id']),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_confirmation_mails_entry_sent', 'confirmation_mails',
                    ['entry_id', 'sent_at'])


def downgrade() -> None:
    op.drop_index('ix_confirmation_mails_entry_sent', table_name='confirmation_mails')
    op.drop_table('confirmation_mails')
    op.drop_table('entry_confirmations')
