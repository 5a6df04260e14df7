"""index for the freeze

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23 00:34:38.164670
"""

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('entries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_entries_contest_id'))
        batch_op.create_index('ix_entries_contest_eligible_ticket', ['contest_id', 'eligible', 'ticket'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('entries', schema=None) as batch_op:
        batch_op.drop_index('ix_entries_contest_eligible_ticket')
        batch_op.create_index(batch_op.f('ix_entries_contest_id'), ['contest_id'], unique=False)

