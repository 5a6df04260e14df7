"""Importing entries from a CSV file (RFC 4180, UTF-8, header row with :data:`COLUMNS`).

Each row is validated by :func:`parse_submission`, like a form entry; bad rows are reported
per field with their file line and the good ones imported. Unlike the form, a row keeps its
``submitted_at`` and is judged at that moment: a row from outside the entry period is
imported, ineligible, with ``outside_period``, and a row stamped after the moment of the
import with ``submitted_in_future``. Importing after the close is legitimate (a giveaway in
a social network is collected after it ends), so it is allowed until the freeze, and public:
each import is a log event and a line on the contest's page. Importing a file again adds
nothing: a row's idempotency key is ``csv:<entry_id>``, or without an entry id the SHA-256
of its normalised values.

Rows go in with bulk inserts in batches and the limits are recomputed once for the contest,
so a file of 100,000 rows takes seconds, not minutes (see ``bench/import_entries.py``).
"""

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, BinaryIO, TextIO

from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col
from sqlmodel import select as select_rows

from contest import audit
from contest.csvfile import CsvWriter, RowError, read_rows
from contest.entries.eligibility import apply_limits, local_day, static_reasons
from contest.entries.intake import default_country
from contest.entries.submission import COLUMNS, Submission, parse_submission
from contest.entries.tickets import new_ticket
from contest.errors import EntryRejected
from contest.i18n import N_, translate
from contest.ledger import events
from contest.ledger.note import Signer
from contest.ledger.store import append_event, issue_checkpoint
from contest.lifecycle import Action, contest_stage, require
from contest.models import Channel, Contest, Entry, EntryImport, RulesVersion
from contest.rules.document import RulesDocument
from contest.rules.versions import PublishedContest

BATCH_SIZE = 2000
OPERATOR = "operator"
"""The role an import from the command line is published under (the server's operator)."""
# The header must name these: the entrant's name, and a way to reach them.
REQUIRED = ("full_name", ("email", "phone"))
BATCH_ATTEMPTS = 3

ProgressCallback = Callable[[int, int], None]
"""Called as ``on_progress(rows_done, total_rows)`` after each batch."""


@dataclass
class ImportReport:
    """What an import did: rows read, imported, already there, and every rejected field."""

    total_rows: int = 0
    accepted: int = 0
    already_imported: int = 0
    rejected: list[RowError] = field(default_factory=list)
    ineligible: int = 0
    """Of the accepted rows, how many are stored as ineligible (with their reasons)."""

    @property
    def rejected_rows(self) -> int:
        return len({error.line for error in self.rejected})

    @property
    def eligible(self) -> int:
        """Of the accepted rows, how many count for the draw."""
        return self.accepted - self.ineligible

    def summary(self, language: str = "en") -> str:
        return translate(
            N_("{total} rows: {accepted} imported ({eligible} eligible, {ineligible} "
               "ineligible), {already} already imported, {rejected} rejected"),
            language,
            {"total": self.total_rows, "accepted": self.accepted, "eligible": self.eligible,
             "ineligible": self.ineligible, "already": self.already_imported,
             "rejected": self.rejected_rows},
        )

    def write_rejections_csv(self, out: TextIO, language: str = "en") -> None:
        """One ``line,column,code,reason`` row per rejected field, reasons in ``language``."""
        writer = CsvWriter(out)
        writer.writerow(("line", "column", "code", "reason"))
        for error in self.rejected:
            writer.writerow((error.line, error.column, error.code, error.text(language)))


def import_entries_csv(
    session: Session,
    *,
    contest: PublishedContest,
    stream: BinaryIO,
    now: datetime,
    signer: Signer,
    actor_id: int | None = None,
    role: str = OPERATOR,
    on_progress: ProgressCallback | None = None,
) -> ImportReport:
    """Import the entries in ``stream`` into ``contest`` under its current rules.

    Only before the freeze (:mod:`contest.lifecycle`). Every import is public: an
    ``entries.imported`` log event and a row the contest's page lists, with the file's
    SHA-256 and the counts, the moment and the importer's ``role``. Raises
    :class:`ImportFailed` when the file as a whole cannot be read (not UTF-8, no header row,
    required columns missing); otherwise reports every rejected row. Flushes; the caller
    commits.
    """
    published, version, rules = contest, contest.version, contest.rules
    contest = published.contest
    assert contest.id is not None
    require(Action.IMPORT_ENTRIES, contest_stage(session, contest, now), slug=contest.slug)
    content = stream.read()
    rows = read_rows(content, COLUMNS, REQUIRED)
    report = ImportReport()
    known = _existing_keys(session, contest.id)
    country = default_country(rules)
    today = local_day(rules, now)
    pending: list[dict[str, Any]] = []
    new_ids: list[int] = []
    statically_ineligible: set[int] = set()

    def flush_batch() -> None:
        for entry_id, eligible in _insert_batch(session, pending, report, contest_id=contest.id):
            new_ids.append(entry_id)
            if not eligible:
                statically_ineligible.add(entry_id)
        pending.clear()
        if on_progress is not None:
            on_progress(report.total_rows, len(rows))

    for line, data in rows:
        report.total_rows += 1
        if isinstance(data, RowError):
            report.rejected.append(data)
            continue
        # A row whose entry id is already stored needs no validation: it will not be added.
        if f"csv:{(data.get('entry_id') or '').strip()}" in known:
            report.already_imported += 1
            continue
        try:
            submission = parse_submission(data, default_country=country, today=today)
        except EntryRejected as rejected:
            report.rejected.extend(
                RowError(line, e.field, e.code, e.message, e.params) for e in rejected.errors
            )
            continue
        key = idempotency_key(submission)
        if key in known:
            report.already_imported += 1
            continue
        known.add(key)
        pending.append(_values(submission, key, contest, version, rules, now, actor_id))
        if len(pending) >= BATCH_SIZE:
            flush_batch()
    flush_batch()

    changed = apply_limits(session, contest_id=contest.id, rules=rules) if new_ids else {}
    report.ineligible = sum(
        1 for entry_id in new_ids
        if (not changed[entry_id][0] if entry_id in changed
            else entry_id in statically_ineligible)
    )
    audit.record(
        session, actor_id=actor_id, action="entries.import", subject=f"contest:{contest.slug}",
        now=now, detail={"rows": report.total_rows, "accepted": report.accepted,
                         "already_imported": report.already_imported,
                         "rejected_rows": report.rejected_rows, "ineligible": report.ineligible},
    )
    _publish_import(session, contest, report, hashlib.sha256(content).hexdigest(),
                    after_close=now >= rules.period.closes_at, role=role, actor_id=actor_id,
                    now=now, signer=signer)
    return report


def _publish_import(session: Session, contest: Contest, report: ImportReport,
                    file_sha256: str, *, after_close: bool, role: str, actor_id: int | None,
                    now: datetime, signer: Signer) -> None:
    counts = {"rows": report.total_rows, "accepted": report.accepted,
              "eligible": report.eligible, "ineligible": report.ineligible,
              "already_imported": report.already_imported, "rejected": report.rejected_rows}
    leaf = append_event(session, event=events.entries_imported(
        contest=contest.slug, file_sha256=file_sha256, after_close=after_close, role=role,
        at=now, **counts), now=now)
    session.add(EntryImport(contest_id=contest.id or 0, at=now, by_id=actor_id, role=role,
                            file_sha256=file_sha256, after_close=after_close,
                            leaf_index=leaf.leaf_index, **counts))
    session.flush()
    issue_checkpoint(session, signer=signer, now=now)


def public_imports(session: Session, contest: Contest) -> list[EntryImport]:
    """The contest's imports, oldest first, as its public page lists them."""
    return list(session.exec(select_rows(EntryImport).where(
        EntryImport.contest_id == contest.id).order_by(col(EntryImport.id))).all())


def idempotency_key(submission: Submission) -> str:
    """``csv:<entry_id>``, or ``csv-sha256:<hex>`` over the row's normalised values."""
    if submission.entry_id:
        return f"csv:{submission.entry_id}"
    values = submission.values()
    canonical = json.dumps([values[column] for column in COLUMNS], ensure_ascii=False)
    return f"csv-sha256:{hashlib.sha256(canonical.encode()).hexdigest()}"


def _existing_keys(session: Session, contest_id: int) -> set[str]:
    table = Entry.__table__  # type: ignore[attr-defined]
    statement = select(table.c.idempotency_key).where(table.c.contest_id == contest_id)
    return set(session.connection().execute(statement).scalars())


def _values(
    submission: Submission, key: str, contest: Contest, version: RulesVersion,
    rules: RulesDocument, now: datetime, actor_id: int | None,
) -> dict[str, Any]:
    moment = submission.submitted_at or now
    reasons = static_reasons(rules, submission, moment, received_at=now)
    return {
        "contest_id": contest.id, "ticket": "", "rules_version_id": version.id,
        "rules_sha256": version.sha256, "channel": Channel.CSV.value, "idempotency_key": key,
        "source_entry_id": submission.entry_id, "submitted_at": moment, "received_at": now,
        "language": contest.language, "full_name": submission.full_name,
        "email": submission.email, "email_key": submission.email_key,
        "phone": submission.phone, "birth_date": submission.birth_date,
        "address": submission.address, "city": submission.city,
        "postal_code": submission.postal_code, "country": submission.country,
        "household_key": submission.household_key, "ip": submission.ip,
        "device_id": submission.device_id, "social_handle": submission.social_handle,
        "eligible": not reasons, "reasons": ",".join(reasons), "created_by_id": actor_id,
    }


def _insert_batch(
    session: Session, batch: list[dict[str, Any]], report: ImportReport, *, contest_id: int
) -> list[tuple[int, bool]]:
    """Insert ``batch``; return each new row's ``(id, eligible)``, in no particular order.

    Rows another import stored meanwhile are dropped from ``batch`` and counted as already
    imported.
    """
    table = Entry.__table__  # type: ignore[attr-defined]
    # The fastest way to learn the new ids differs by database: SQLite batches
    # INSERT ... RETURNING well, while on PostgreSQL it is about three times slower than
    # psycopg's pipelined executemany followed by a look-up by ticket.
    returning = session.connection().dialect.name == "sqlite"
    statement = insert(table).returning(table.c.id, table.c.eligible) if returning else insert(
        table)
    for attempt in range(1, BATCH_ATTEMPTS + 1):
        if not batch:
            return []
        for row in batch:
            row["ticket"] = new_ticket()
        try:
            with session.begin_nested():
                inserted = session.connection().execute(statement, batch)
                returned = [(row.id, row.eligible) for row in inserted] if returning else None
        except IntegrityError:
            # A concurrent import of the same file, or (about never) a ticket collision.
            if attempt == BATCH_ATTEMPTS:
                raise
            stored = _existing_keys(session, contest_id)
            kept = [row for row in batch if row["idempotency_key"] not in stored]
            report.already_imported += len(batch) - len(kept)
            batch[:] = kept
            continue
        if returned is not None:
            ids = returned
        else:
            tickets = [row["ticket"] for row in batch]
            stored_rows = session.connection().execute(
                select(table.c.id, table.c.eligible).where(table.c.ticket.in_(tickets)))
            ids = [(row.id, row.eligible) for row in stored_rows]
        report.accepted += len(ids)
        return ids
    raise AssertionError("unreachable: the last attempt returns or raises")
