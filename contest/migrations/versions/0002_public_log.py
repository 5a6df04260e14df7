"""public log

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22 23:44:10.731428
"""

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('log_checkpoints',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('root_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('issued_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('log_checkpoints', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_log_checkpoints_size'), ['size'], unique=False)

    op.create_table('log_entries',
    sa.Column('leaf_index', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('leaf', sa.Text(), nullable=False),
    sa.Column('leaf_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('appended_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('leaf_index')
    )


def downgrade() -> None:
    op.drop_table('log_entries')
    with op.batch_alter_table('log_checkpoints', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_log_checkpoints_size'))

    op.drop_table('log_checkpoints')
