"""what the networks said about entrants' social accounts, for the participant graph

A read of a VK source asks VK what each entrant's account shows (``contest.sources.vk``:
deactivated, closed, has a photo, followers), and the Telegram bot keeps whether the person
pressing Participate is a bot. ``account_profiles`` keeps the latest of these per contest and
account, each fact null where the network does not tell it; the participant graph weighs them
(``contest.fraud.bots``). Never public.

Entries taken before were read without it: they have no row, and the graph reads no account
signal for them. The downgrade drops the table.

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-07 23:45:00
"""

import sqlalchemy as sa
from alembic import op
from sqlmodel.sql.sqltypes import AutoString


revision = '0021'
down_revision = '0020'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'account_profiles',
        sa.Column('contest_id', sa.Integer(), nullable=False),
        sa.Column('account', AutoString(length=120), nullable=False),
        sa.Column('read_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('deactivated', AutoString(length=10), nullable=True),
        sa.Column('closed', sa.Boolean(), nullable=True),
        sa.Column('has_photo', sa.Boolean(), nullable=True),
        sa.Column('followers', sa.Integer(), nullable=True),
        sa.Column('friends', sa.Integer(), nullable=True),
        sa.Column('is_bot', sa.Boolean(), nullable=True),
        sa.ForeignKeyConstraint(['contest_id'], ['contests.id']),
        sa.PrimaryKeyConstraint('contest_id', 'account'),
    )


def downgrade() -> None:
    op.drop_table('account_profiles')
