"""Importing entries from a file: CSV or ``.xlsx``, with a header row naming :data:`COLUMNS`.

The file is read by :mod:`contest.spreadsheet`: any encoding and delimiter Excel writes,
headers in English, Russian or Ukrainian (or mapped by the person), split name columns,
dates and moments as people write them, moments without an offset in the contest's time
zone. Each row is then read by :func:`parse_submission` as an entry brought in: leniently.
**No entry is lost for a field**: a field that cannot be read is a warning with its line and
column, the entry is kept (an unreadable phone or e-mail as written; a missing moment,
contact, age or country becomes a reason code: :mod:`contest.entries.eligibility`), and only
a row that names nobody — no name, e-mail, phone or account — is refused. A file that read
no row, or would refuse more than half of them, imports nothing and says so
(:attr:`ImportReport.failed`). Unlike the form, a row keeps its
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
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import BinaryIO, TextIO, overload
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from contest import audit
from contest.csvfile import CsvWriter, RowError
from contest.entries.intake import Arrival, BroughtIn, TakenEntry, default_country, take_entries
from contest.entries.submission import COLUMNS, parse_submission
from contest.errors import FieldError, InvalidInput
from contest.i18n import N_, Message, N_plural, translate
from contest.ledger import events
from contest.ledger.note import Signer
from contest.ledger.store import append_event, issue_checkpoint
from contest.lifecycle import Action, require
from contest.models import Channel, Contest, EntryImport
from contest.rules.document import RulesDocument
from contest.rules.status import contest_stage
from contest.rules.versions import PublishedContest
from contest.spreadsheet.columns import ColumnMap, NamePart, map_columns
from contest.spreadsheet.countries import country_code
from contest.spreadsheet.files import read_grid
from contest.spreadsheet.table import (
    IDENTITY,
    Reading,
    ReadReport,
    Table,
    names_nobody,
    nobody,
    read_table,
)

OPERATOR = "operator"
"""The role an import from the command line is published under (the server's operator)."""

ProgressCallback = Callable[[int, int], None]
"""Called as ``on_progress(rows_done, total_rows)`` after each batch."""


@dataclass
class ImportReport:
    """What an import did: rows read, imported, already there, the fields warned about, the
    rows refused and why, and how the file was read."""

    total_rows: int = 0
    accepted: int = 0
    already_imported: int = 0
    rejected: list[RowError] = field(default_factory=list)
    """Why each refused row was refused (a row that names nobody)."""
    ineligible: int = 0
    """Of the accepted rows, how many are stored as ineligible (with their reasons)."""
    warnings: list[RowError] = field(default_factory=list)
    """Fields of imported rows that could not be read as given (the entry is kept)."""
    how: list[Message] = field(default_factory=list)
    """How the file was read: format, columns, date order, moments read in the zone."""

    @property
    def rejected_rows(self) -> int:
        return len({error.line for error in self.rejected})

    @property
    def read(self) -> ReadReport:
        """The reading's own summary: rows read, people kept, fields warned, rows refused."""
        return ReadReport(rows=self.total_rows, kept=self.accepted + self.already_imported,
                          warnings=self.warnings, refused=self.rejected, how=self.how)

    @property
    def failed(self) -> bool:
        """No row was read, or more than half were refused: nothing was imported."""
        return self.read.failed

    @property
    def eligible(self) -> int:
        """Of the accepted rows, how many count for the draw."""
        return self.accepted - self.ineligible

    def summary(self, language: str = "en") -> str:
        return translate(
            N_("{rows}: {accepted} imported ({eligible} eligible, {ineligible} "
               "ineligible), {already} already imported, {warned} warned about, {rejected} "
               "refused"),
            language,
            {"rows": Message(N_plural("{count} row", "{count} rows"), {"count": self.total_rows}),
             "accepted": self.accepted, "eligible": self.eligible,
             "ineligible": self.ineligible, "already": self.already_imported,
             "warned": Message(N_plural("{count} field", "{count} fields"),
                               {"count": len(self.warnings)}),
             "rejected": self.rejected_rows},
        )

    def write_rejections_csv(self, out: TextIO, language: str = "en") -> None:
        """One ``line,column,code,reason,kept`` row per refused row and per field warned
        about, in line order, reasons in ``language``; ``kept`` says whether the row's entry
        was imported (``yes``) or refused (``no``)."""
        writer = CsvWriter(out)
        writer.writerow(("line", "column", "code", "reason", "kept"))
        problems = sorted([(error, "no") for error in self.rejected]
                          + [(error, "yes") for error in self.warnings],
                          key=lambda item: item[0].line)
        for error, kept in problems:
            writer.writerow((error.line, error.column, error.code, error.text(language), kept))


def import_entries_file(
    session: Session,
    *,
    contest: PublishedContest,
    stream: BinaryIO,
    now: datetime,
    signer: Signer,
    name: str = "",
    reading: Reading | None = None,
    actor_id: int | None = None,
    role: str = OPERATOR,
    on_progress: ProgressCallback | None = None,
) -> ImportReport:
    """Import the entries in ``stream`` (a CSV file or an ``.xlsx`` workbook called ``name``)
    into ``contest`` under its current rules.

    ``reading`` says how to read the file; by default moments without an offset are in the
    contest's time zone, and dates such as 04/10/2026 are month first only for a contest
    open to the US alone. Only before the freeze (:mod:`contest.lifecycle`). Every import
    is public: an ``entries.imported`` log event and a row the contest's page lists, with the
    file's SHA-256 and the counts, the moment and the importer's ``role``. Raises
    :class:`ImportFailed` when the file as a whole cannot be read; a report that
    :attr:`~ImportReport.failed` imported nothing and published nothing. Flushes; the caller
    commits.
    """
    published = contest
    require(Action.IMPORT_ENTRIES, contest_stage(session, published.contest, now),
            slug=published.contest.slug)
    content = stream.read()
    table = read_table(content, name=name, fields=COLUMNS, identity=IDENTITY,
                       dates=("birth_date",), moments=("submitted_at",),
                       reading=_reading(published.rules, reading))
    report = ImportReport(total_rows=len(table.rows), warnings=list(table.warnings))
    good: list[dict[str, str]] = []
    lines: list[int] = []
    done: list[int] = []  # rows read once each arrival is taken
    for number, (line, values) in enumerate(table.rows, start=1):
        if names_nobody(values):
            report.rejected.append(nobody(line))
            continue
        good.append(_as_written(table, values))
        lines.append(line)
        done.append(number)
    report.how = table.description()
    if report.failed:
        return report
    arrivals = _Arriving(good, now, published.contest.language, actor_id)

    def progress(taken: int) -> None:
        if on_progress is not None and taken < len(arrivals):
            on_progress(done[taken - 1], len(table.rows))

    def warned(place: int, problems: Sequence[FieldError]) -> None:
        report.warnings.extend(RowError(lines[place], table.column(problem.field),
                                        problem.code, problem.message, problem.params)
                               for problem in problems)

    outcomes = take_entries(session, contest=published, arrivals=arrivals, signer=signer,
                            on_progress=progress, on_warnings=warned)
    for line, outcome in zip(lines, outcomes, strict=True):
        if isinstance(outcome, TakenEntry) and outcome.new:
            report.accepted += 1
            report.ineligible += not outcome.eligible
        elif isinstance(outcome, TakenEntry | BroughtIn):
            report.already_imported += 1
        elif isinstance(outcome, InvalidInput):
            report.rejected.extend(RowError(line, table.column(error.field), error.code,
                                            error.message, error.params)
                                   for error in outcome.errors)
        else:
            report.rejected.append(RowError(line, "", outcome.code, outcome.message,
                                            outcome.params))
    report.rejected.sort(key=lambda error: error.line)
    report.warnings.sort(key=lambda error: error.line)
    report.how = table.description()  # now with the moments read in the zone
    if on_progress is not None:
        on_progress(len(table.rows), len(table.rows))
    audit.record(
        session, actor_id=actor_id, action="entries.import",
        subject=f"contest:{published.contest.slug}", now=now,
        detail={"rows": report.total_rows, "accepted": report.accepted,
                "already_imported": report.already_imported,
                "rejected_rows": report.rejected_rows, "ineligible": report.ineligible,
                "warnings": len(report.warnings)},
    )
    _publish_import(session, published.contest, report, hashlib.sha256(content).hexdigest(),
                    after_close=now >= published.rules.period.closes_at, role=role,
                    actor_id=actor_id, now=now, signer=signer)
    return report


MAPPABLE: tuple[str, ...] = (*COLUMNS, *NamePart)
"""What a column of an entries file may be mapped to: the entry's fields and the parts of a
name."""
PREVIEW_ROWS = 10
"""How many rows a preview shows as they will be read."""


@dataclass(frozen=True)
class ImportPreview:
    """A file as an import would read it, before anything is stored: how it is read, what
    each column gives (for the marketer to change), and its first rows as they will be
    stored, with what would be warned about in them."""

    columns: ColumnMap
    how: list[Message]
    rows: list[tuple[int, dict[str, str]]]
    """The first rows, ``(line, {field: value})``: moments with their offset, dates in ISO
    8601, countries as codes, a split name joined, as the entries would hold them."""
    warnings: list[RowError]
    """What the first rows would be warned about."""
    total_rows: int
    refused: list[RowError]
    """Every row of the file that names nobody, and would be refused."""

    @property
    def failed(self) -> bool:
        """The import would read no row, or refuse more than half: it would import nothing."""
        return ReadReport(rows=self.total_rows, refused=self.refused).failed

    @property
    def fields(self) -> tuple[str, ...]:
        """What a column may be mapped to: the entry's fields and the parts of a name."""
        return MAPPABLE


def preview_entries_file(content: bytes, *, contest: PublishedContest, name: str = "",
                         reading: Reading | None = None, rows: int = PREVIEW_ROWS
                         ) -> ImportPreview:
    """How :func:`import_entries_file` would read ``content``, without storing anything.
    Raises :class:`ImportFailed` as the import would."""
    rules = contest.rules
    table = read_table(content, name=name, fields=COLUMNS, identity=IDENTITY,
                       dates=("birth_date",), moments=("submitted_at",),
                       reading=_reading(rules, reading))
    refused = [nobody(line) for line, values in table.rows if names_nobody(values)]
    shown: list[tuple[int, dict[str, str]]] = []
    warnings = list(error for error in table.warnings if error.line <= (
        table.rows[min(rows, len(table.rows)) - 1][0] if table.rows else 0))
    country = default_country(rules)
    for line, values in table.rows[:rows]:
        written = _as_written(table, dict(values))
        shown.append((line, written))
        try:
            submission = parse_submission(written, default_country=country, lenient=True)
        except InvalidInput:
            continue  # names nobody: among the refused
        warnings.extend(RowError(line, table.column(problem.field), problem.code,
                                 problem.message, problem.params)
                        for problem in submission.warnings)
    return ImportPreview(table.columns, table.description(), shown, warnings,
                         len(table.rows), refused)


def offered_columns(content: bytes, *, name: str = "") -> ColumnMap:
    """What each column of ``content`` gives by its header alone, two columns giving one
    field allowed: what the import page offers to change when the file as read is refused
    for its columns (two give one field, or none gives a name or a contact). Raises
    :class:`ImportFailed` when the file itself cannot be read."""
    return map_columns(read_grid(content, name).header, COLUMNS, several=MAPPABLE)


def _reading(rules: RulesDocument, given: Reading | None) -> Reading:
    """How to read a contest's file: what the person said, else moments in the contest's
    zone, and month-first dates only for a contest open to the US alone."""
    given = given or Reading()
    return replace(given, zone=given.zone or ZoneInfo(rules.period.timezone),
                   month_first=(rules.eligibility.countries == ("US",)
                                if given.month_first is None else given.month_first))


def _as_written(table: Table, values: dict[str, str]) -> dict[str, str]:
    """A row's values as the intake reads them: its moment and birth date in ISO 8601 when
    the file's way of writing them is read (as written otherwise: the intake then warns and
    keeps the entry), its country as a code when it is named in words."""
    moment = values.get("submitted_at", "").strip()
    if moment and (found := table.moment("submitted_at", moment)) is not None:
        values["submitted_at"] = found.at.isoformat()
    born = values.get("birth_date", "").strip()
    if born and (day := table.date("birth_date", born)) is not None:
        values["birth_date"] = day.isoformat()
    country = values.get("country", "").strip()
    if len(country) > 2 and (code := country_code(country)) is not None:
        values["country"] = code
    return values


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
