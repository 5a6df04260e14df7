"""draws

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22 23:56:23.731427
"""

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('commitments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('contest_id', sa.Integer(), nullable=False),
    sa.Column('party', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('digest', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('committed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('secret_hex', sqlmodel.sql.sqltypes.AutoString(length=512), nullable=True),
    sa.Column('revealed_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['contest_id'], ['contests.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('contest_id', 'party')
    )
    with op.batch_alter_table('commitments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_commitments_contest_id'), ['contest_id'], unique=False)

    op.create_table('draws',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('contest_id', sa.Integer(), nullable=False),
    sa.Column('rules_version_id', sa.Integer(), nullable=False),
    sa.Column('rules_sha256', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('frozen_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('frozen_by_id', sa.Integer(), nullable=True),
    sa.Column('tickets', sa.Text(), nullable=False),
    sa.Column('entries_root', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('excluded_json', sa.Text(), nullable=False),
    sa.Column('randomness_source', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('randomness_plan_json', sa.Text(), nullable=False),
    sa.Column('freeze_leaf_index', sa.Integer(), nullable=False),
    sa.Column('randomness_proof_json', sa.Text(), nullable=True),
    sa.Column('value', sqlmodel.sql.sqltypes.AutoString(length=128), nullable=True),
    sa.Column('seed', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
    sa.Column('winners', sa.Text(), nullable=True),
    sa.Column('alternates', sa.Text(), nullable=True),
    sa.Column('drawn_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('drawn_by_id', sa.Integer(), nullable=True),
    sa.Column('draw_leaf_index', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['contest_id'], ['contests.id'], ),
    sa.ForeignKeyConstraint(['drawn_by_id'], ['users.id'], ),
    sa.ForeignKeyConstraint(['frozen_by_id'], ['users.id'], ),
    sa.ForeignKeyConstraint(['rules_version_id'], ['rules_versions.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('contest_id')
    )
    op.create_table('replacements',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('draw_id', sa.Integer(), nullable=False),
    sa.Column('ticket', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('reason', sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
    sa.Column('replacement', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('by_id', sa.Integer(), nullable=True),
    sa.Column('leaf_index', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['by_id'], ['users.id'], ),
    sa.ForeignKeyConstraint(['draw_id'], ['draws.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('replacements', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_replacements_draw_id'), ['draw_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('replacements', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_replacements_draw_id'))

    op.drop_table('replacements')
    op.drop_table('draws')
    with op.batch_alter_table('commitments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_commitments_contest_id'))

    op.drop_table('commitments')
