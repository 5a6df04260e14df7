"""the browser or program an entry came from, for the participant graph

A live entry keeps the ``User-Agent`` its request named (``entries.user_agent``, cut to 300
characters): a script sends many entries under one, and the participant graph counts a burst
from one user agent as it counts one from an address or a device (``contest.fraud.bots``).
Never public. Entries taken before, and entries brought in, have none. The downgrade drops
the column.

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-08 00:00:00
"""

import sqlalchemy as sa
from alembic import op
from sqlmodel.sql.sqltypes import AutoString


revision = '0022'
down_revision = '0021'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column('entries', sa.Column('user_agent', AutoString(length=300), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('entries') as batch:
        batch.drop_column('user_agent')
