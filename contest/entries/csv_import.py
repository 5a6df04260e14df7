"""Importing entries from a CSV file (RFC 4180, UTF-8, header row with :data:`COLUMNS`).

Each row is validated by :func:`parse_submission`, like a form entry; bad rows are reported
per field with their file line and the good ones imported. Unlike the form, a row keeps its
``submitted_at`` and is judged at that moment: a row from outside the entry period is
imported, ineligible, with ``outside_period``, and a row stamped after the moment of the
import with ``submitted_in_future``. Importing after the close is legitimate (a giveaway in
a social network is collected after it ends), so it is allowed until the freeze, and public:
each import is a log event and a line on the contest's page. Importing a file again adds
nothing: a row's idempotency key is ``csv:<entry_id>``, or without an entry id the SHA-256
of its normalised values (rows already imported are counted, not checked again).

The rows go in as every entry does, through :func:`~contest.entries.intake.take_entries`
(which stores them in batches and recomputes the limits once), so a file of 100,000 rows
takes seconds, not minutes (see ``bench/import_entries.py``).
"""

import hashlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import BinaryIO, TextIO, overload

from sqlmodel import Session, col, select

from contest import audit
from contest.csvfile import CsvWriter, RowError, read_rows
from contest.entries.intake import Arrival, BroughtIn, TakenEntry, take_entries
from contest.entries.submission import COLUMNS
from contest.errors import InvalidInput
from contest.i18n import N_, Message, N_plural, translate
from contest.ledger import events
from contest.ledger.note import Signer
from contest.ledger.store import append_event, issue_checkpoint
from contest.lifecycle import Action, require
from contest.models import Channel, Contest, EntryImport
from contest.rules.status import contest_stage
from contest.rules.versions import PublishedContest

OPERATOR = "operator"
"""The role an import from the command line is published under (the server's operator)."""
# The header must name these: the entrant's name, and a way to reach them.
REQUIRED = ("full_name", ("email", "phone"))

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
            N_("{rows}: {accepted} imported ({eligible} eligible, {ineligible} "
               "ineligible), {already} already imported, {rejected} rejected"),
            language,
            {"rows": Message(N_plural("{count} row", "{count} rows"), {"count": self.total_rows}),
             "accepted": self.accepted, "eligible": self.eligible,
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
    published = contest
    require(Action.IMPORT_ENTRIES, contest_stage(session, published.contest, now),
            slug=published.contest.slug)
    content = stream.read()
    rows = read_rows(content, COLUMNS, REQUIRED)
    report = ImportReport(total_rows=len(rows))
    good: list[dict[str, str]] = []
    lines: list[int] = []
    done: list[int] = []  # rows read once each arrival is taken
    for number, (line, data) in enumerate(rows, start=1):
        if isinstance(data, RowError):
            report.rejected.append(data)
            continue
        good.append(data)
        lines.append(line)
        done.append(number)
    arrivals = _Arriving(good, now, published.contest.language, actor_id)

    def progress(taken: int) -> None:
        if on_progress is not None and taken < len(arrivals):
            on_progress(done[taken - 1], len(rows))

    outcomes = take_entries(session, contest=published, arrivals=arrivals, signer=signer,
                            on_progress=progress)
    for line, outcome in zip(lines, outcomes, strict=True):
        if isinstance(outcome, TakenEntry) and outcome.new:
            report.accepted += 1
            report.ineligible += not outcome.eligible
        elif isinstance(outcome, TakenEntry | BroughtIn):
            report.already_imported += 1
        elif isinstance(outcome, InvalidInput):
            report.rejected.extend(RowError(line, error.field, error.code, error.message,
                                            error.params) for error in outcome.errors)
        else:
            report.rejected.append(RowError(line, "", outcome.code, outcome.message,
                                            outcome.params))
    report.rejected.sort(key=lambda error: error.line)
    if on_progress is not None:
        on_progress(len(rows), len(rows))
    audit.record(
        session, actor_id=actor_id, action="entries.import",
        subject=f"contest:{published.contest.slug}", now=now,
        detail={"rows": report.total_rows, "accepted": report.accepted,
                "already_imported": report.already_imported,
                "rejected_rows": report.rejected_rows, "ineligible": report.ineligible},
    )
    _publish_import(session, published.contest, report, hashlib.sha256(content).hexdigest(),
                    after_close=now >= published.rules.period.closes_at, role=role,
                    actor_id=actor_id, now=now, signer=signer)
    return report


@dataclass(frozen=True)
class _Arriving(Sequence[Arrival]):
    """The good rows of a file as arrivals, each made when the intake reads it: an import
    keeps no object per row for the garbage collector to walk while it runs (the rows
    themselves are plain text, which it leaves alone)."""

    rows: Sequence[Mapping[str, str | None]]
    at: datetime
    language: str
    actor_id: int | None

    def __len__(self) -> int:
        return len(self.rows)

    @overload
    def __getitem__(self, index: int) -> Arrival: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[Arrival]: ...

    def __getitem__(self, index: int | slice) -> Arrival | Sequence[Arrival]:
        if isinstance(index, slice):
            return [self[number] for number in range(len(self.rows))[index]]
        return Arrival(self.rows[index], Channel.CSV, self.at, language=self.language,
                       actor_id=self.actor_id)


def _publish_import(session: Session, contest: Contest, report: ImportReport,
                    file_sha256: str, *, after_close: bool, role: str, actor_id: int | None,
                    now: datetime, signer: Signer) -> None:
    counts = {"rows": report.total_rows, "accepted": report.accepted,
              "eligible": report.eligible, "ineligible": report.ineligible,
              "already_imported": report.already_imported, "rejected": report.rejected_rows}
    leaf = append_event(session, event=events.entries_imported(
        contest=contest.slug, file_sha256=file_sha256, after_close=after_close, role=role,
        at=now, **counts), now=now, signer=signer)
    session.add(EntryImport(contest_id=contest.id or 0, at=now, by_id=actor_id, role=role,
                            file_sha256=file_sha256, after_close=after_close,
                            leaf_index=leaf.leaf_index, **counts))
    session.flush()
    issue_checkpoint(session, signer=signer, now=now)


def public_imports(session: Session, contest: Contest) -> list[EntryImport]:
    """The contest's imports, oldest first, as its public page lists them."""
    return list(session.exec(select(EntryImport).where(
        EntryImport.contest_id == contest.id).order_by(col(EntryImport.id))).all())
