"""key indexes for the limits

The limits look up a person's and a household's entries by e-mail key, phone and household
key, with the contest as a filter only (see ``contest.entries.eligibility._connected``), so
the indexes on (contest_id, key) become indexes on the key alone.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-23 12:50:00
"""

from alembic import op


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None

KEYS = (("email", "email_key"), ("phone", "phone"), ("household", "household_key"))


def upgrade() -> None:
    with op.batch_alter_table('entries', schema=None) as batch_op:
        for name, column in KEYS:
            batch_op.drop_index(f'ix_entries_contest_{name}')
            batch_op.create_index(f'ix_entries_{column}', [column], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('entries', schema=None) as batch_op:
        for name, column in KEYS:
            batch_op.drop_index(f'ix_entries_{column}')
            batch_op.create_index(f'ix_entries_contest_{name}', ['contest_id', column],
                                  unique=False)
