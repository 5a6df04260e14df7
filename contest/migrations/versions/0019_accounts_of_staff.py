"""the social accounts of staff members and their declared relatives

A staff roster and a list of declared relatives may give each person's social accounts
(``vk:123456``, ``tg:987654``, ``ig:username``; several separated by ``;``, as e-mails are),
so that an entry from a staff member's account, or a relative's, is found by the fraud scan
(``contest.fraud.graph``): ``staff.account`` and ``relatives.account``, as wide as their
``email``. The people stored before gave none: their accounts stay empty.

With this revision a social account makes entries one person for the entry limits
(``contest.identity.ties``, edition 3: an account entered by the form and read from VK is one
person's). No stored key changes: an entry keeps its account as revision 0018 stored it,
read into its one form, and the entries stored before 0018 have none, so no verdict they
were given changes either. The verdicts of entries that do hold accounts are recounted by
the scan the freeze waits for: a scan made under edition 2 does not do
(``contest.draw.readiness``: "who counts as one person changed"), and every scan recounts
the limits of the whole contest first (``contest.fraud.review.scan_contest``).

The downgrade drops both columns; the accounts they held are lost with them (the roster's
files can be imported again).

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-07 21:00:00
"""

import sqlalchemy as sa
from alembic import op
from sqlmodel.sql.sqltypes import AutoString


revision = '0019'
down_revision = '0018'
branch_labels = None
depends_on = None

TABLES = ('staff', 'relatives')


def upgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column('account', AutoString(length=600), nullable=False,
                                       server_default=''))


def downgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.drop_column('account')
