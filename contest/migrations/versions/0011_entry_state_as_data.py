"""entry state as data

An entry's reason codes become a JSON array of codes (``under_age,person_limit`` becomes
``["under_age","person_limit"]``; none, ``[]``), and the database checks that an entry is
eligible exactly when it has none. ``entries.rules_sha256`` goes: it repeated the hash of
the entry's rules version, which receipts and exports now read from the version. The
downgrade puts both back as they were.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-05 10:00:00
"""

import sqlalchemy as sa
from alembic import op
from sqlmodel.sql.sqltypes import AutoString


revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None

CHECK = 'ck_entries_eligible_without_reasons'

# The codes are letters, digits and underscores (no quotes, no commas), so the joined form
# and the JSON array translate into each other with plain string functions, which SQLite and
# PostgreSQL share.
TO_LIST = ("UPDATE entries SET reasons = CASE WHEN reasons = '' THEN '[]' "
           "ELSE '[\"' || replace(reasons, ',', '\",\"') || '\"]' END")
TO_JOINED = ("UPDATE entries SET reasons = CASE WHEN reasons = '[]' THEN '' "
             "ELSE replace(substr(reasons, 3, length(reasons) - 4), '\",\"', ',') END")
RULES_HASH = ("UPDATE entries SET rules_sha256 = (SELECT sha256 FROM rules_versions "
              "WHERE rules_versions.id = entries.rules_version_id)")


def upgrade() -> None:
    with op.batch_alter_table('entries', schema=None) as batch_op:
        batch_op.alter_column('reasons', existing_type=AutoString(
            length=300), type_=sa.Text(), existing_nullable=False)
        batch_op.drop_column('rules_sha256')
    op.execute(TO_LIST)
    with op.batch_alter_table('entries', schema=None) as batch_op:
        batch_op.create_check_constraint(CHECK, "eligible = (reasons = '[]')")


def downgrade() -> None:
    with op.batch_alter_table('entries', schema=None) as batch_op:
        batch_op.drop_constraint(CHECK, type_='check')
        batch_op.add_column(sa.Column('rules_sha256', AutoString(
            length=64), nullable=True))
    op.execute(TO_JOINED)
    op.execute(RULES_HASH)
    with op.batch_alter_table('entries', schema=None) as batch_op:
        batch_op.alter_column('reasons', existing_type=sa.Text(),
                              type_=AutoString(length=300),
                              existing_nullable=False)
        batch_op.alter_column('rules_sha256', existing_type=AutoString(
            length=64), nullable=False)
