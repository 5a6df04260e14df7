"""Exporting a contest's entries as CSV in the import format (:data:`COLUMNS`).

The export is the import's input: importing it into another contest reproduces the entries
(same entrants, same moments; ``entry_id`` is the source's id or, for entries that had none,
their ticket). Rows stream from the database, so a large contest does not fill memory.

Cells a spreadsheet would run as formulas (``=HYPERLINK(…)``, ``+7916…``, ``@handle``) are
written behind a single quote (:class:`contest.csvfile.CsvWriter`); the import takes it off.
"""

from typing import TextIO

from sqlalchemy import select
from sqlmodel import Session

from contest.csvfile import CsvWriter
from contest.entries.submission import COLUMNS
from contest.models import Contest, Entry, table_of

YIELD_PER = 1000


def export_entries_csv(session: Session, *, contest: Contest, out: TextIO) -> int:
    """Write the header and one row per entry of ``contest`` to ``out``; return the count."""
    table = table_of(Entry)
    stored = [column for column in COLUMNS if column != "entry_id"]
    statement = (
        select(table.c.source_entry_id, table.c.ticket, *(table.c[c] for c in stored))
        .where(table.c.contest_id == contest.id)
        .order_by(table.c.id)
        .execution_options(yield_per=YIELD_PER)
    )
    writer = CsvWriter(out)
    writer.writerow(COLUMNS)
    count = 0
    for row in session.connection().execute(statement):
        source_entry_id, ticket, *values = row
        writer.writerow([source_entry_id or ticket, *(_text(value) for value in values)])
        count += 1
    return count


def _text(value: object) -> str:
    if value is None:
        return ""
    if hasattr(value, "isoformat"):
        return str(value.isoformat())
    return str(value)
