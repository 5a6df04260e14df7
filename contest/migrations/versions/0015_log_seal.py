"""the log's seal

Each leaf of the public log gets a seal (``log_entries.seal``): an HMAC of the leaf under a
key derived from the log's signing key (:mod:`contest.ledger.seal`), so a row written into
the table behind the app's back is refused rather than signed. Leaves appended before keep no
seal: the signed checkpoints that already cover them vouch for them.

The downgrade drops the column; the seals are lost with it.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-07 12:00:00
"""

import sqlalchemy as sa
from alembic import op
from sqlmodel.sql.sqltypes import AutoString


revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column('log_entries', sa.Column('seal', AutoString(length=64), nullable=True))


def downgrade() -> None:
    op.drop_column('log_entries', 'seal')  # SQLite 3.35 and later drop a plain column too
