"""consent kept with the entry

An entrant's consent to the processing of their personal data (152-FZ art. 9, GDPR art. 7)
is kept with their entry: each text of the consent entrants agreed to is stored once in
``consent_texts`` under its version (the SHA-256 of the text, with its language), and
``entries.consent_sha256`` names the one the entrant agreed to. The entries stored before
agreed to none that was kept: theirs stays empty, as an entry brought in from a file.

The downgrade drops both; the texts agreed to since are lost with them.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-07 07:00:00
"""

import sqlalchemy as sa
from alembic import op
from sqlmodel.sql.sqltypes import AutoString


revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'consent_texts',
        sa.Column('sha256', AutoString(length=64), nullable=False),
        sa.Column('language', AutoString(length=8), nullable=False),
        sa.Column('text', sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint('sha256'),
    )
    # Added in place (no copy of the table, on SQLite as on PostgreSQL): an empty column with
    # its reference written inline, which both accept.
    op.add_column('entries', sa.Column('consent_sha256', AutoString(length=64),
                                       sa.ForeignKey('consent_texts.sha256'), nullable=True),
                  inline_references=True)


def downgrade() -> None:
    if op.get_bind().dialect.name == 'sqlite':
        # SQLite drops no column that a reference names: the table is copied without it.
        with op.batch_alter_table('entries', schema=None, recreate='always') as batch_op:
            batch_op.drop_column('consent_sha256')
    else:
        op.drop_column('entries', 'consent_sha256')  # its reference goes with it
    op.drop_table('consent_texts')
