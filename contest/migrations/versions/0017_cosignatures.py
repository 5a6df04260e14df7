"""witnesses' cosignatures on the log's checkpoints

Independent witnesses (C2SP tlog-witness) cosign the log's checkpoints. Each cosignature a
witness returns is checked against the witness's pinned key and kept in ``log_cosignatures``
(the checkpoint, the witness's key name and key ID, the signature line as returned, when it
came), and published as an extra signature line of the checkpoint's note. Rows are never
updated or deleted.

The downgrade drops the table; the cosignatures are lost with it (the witnesses keep their
own record of the latest checkpoint they cosigned).

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-07 14:00:00
"""

import sqlalchemy as sa
from alembic import op
from sqlmodel.sql.sqltypes import AutoString


revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'log_cosignatures',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('checkpoint_id', sa.Integer(), nullable=False),
        sa.Column('witness', AutoString(length=255), nullable=False),
        sa.Column('key_id', AutoString(length=8), nullable=False),
        sa.Column('line', sa.Text(), nullable=False),
        sa.Column('received_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['checkpoint_id'], ['log_checkpoints.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('checkpoint_id', 'witness', 'key_id',
                            name='uq_log_cosignatures_checkpoint_witness'),
    )
    with op.batch_alter_table('log_cosignatures') as batch:
        batch.create_index('ix_log_cosignatures_checkpoint_id', ['checkpoint_id'])


def downgrade() -> None:
    with op.batch_alter_table('log_cosignatures') as batch:
        batch.drop_index('ix_log_cosignatures_checkpoint_id')
    op.drop_table('log_cosignatures')
