"""lifecycle: amendment reason codes, fraud scan coverage, public entry imports

A published version's public reason becomes a code from a closed list (``reason_code``); the
free text a marketer typed stays in ``reason``, private. ``fraud_scans`` records what each
scan covered, so the freeze can require a scan of every entry received; ``entry_imports``
what each import of entries brought, for the contest's public page.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-07 01:00:00
"""

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('rules_versions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reason_code', sqlmodel.sql.sqltypes.AutoString(length=30),
                                      nullable=False, server_default=''))
    op.create_table('fraud_scans',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('contest_id', sa.Integer(), nullable=False),
    sa.Column('scanned_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('by_id', sa.Integer(), nullable=True),
    sa.Column('last_entry_id', sa.Integer(), nullable=False),
    sa.Column('roster_sha256', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.ForeignKeyConstraint(['by_id'], ['users.id'], ),
    sa.ForeignKeyConstraint(['contest_id'], ['contests.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('fraud_scans', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_fraud_scans_contest_id'), ['contest_id'],
                              unique=False)


    op.create_table('entry_imports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('contest_id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('by_id', sa.Integer(), nullable=True),
    sa.Column('role', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('file_sha256', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('rows', sa.Integer(), nullable=False),
    sa.Column('accepted', sa.Integer(), nullable=False),
    sa.Column('eligible', sa.Integer(), nullable=False),
    sa.Column('ineligible', sa.Integer(), nullable=False),
    sa.Column('already_imported', sa.Integer(), nullable=False),
    sa.Column('rejected', sa.Integer(), nullable=False),
    sa.Column('after_close', sa.Boolean(), nullable=False),
    sa.Column('leaf_index', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['by_id'], ['users.id'], ),
    sa.ForeignKeyConstraint(['contest_id'], ['contests.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('entry_imports', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_entry_imports_contest_id'), ['contest_id'],
                              unique=False)


def downgrade() -> None:
    with op.batch_alter_table('entry_imports', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_entry_imports_contest_id'))
    op.drop_table('entry_imports')
    with op.batch_alter_table('fraud_scans', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_fraud_scans_contest_id'))
    op.drop_table('fraud_scans')
    with op.batch_alter_table('rules_versions', schema=None) as batch_op:
        batch_op.drop_column('reason_code')
