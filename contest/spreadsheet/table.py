"""A file read for an import: its rows as text by field, and the summary every import gives.

:func:`read_table` reads any file people send (:mod:`~contest.spreadsheet.files`), maps its
columns to the caller's fields (:mod:`~contest.spreadsheet.columns`) and decides once per
date column how its dates are written (:mod:`~contest.spreadsheet.dates`). The caller then
reads each row's fields: :meth:`Table.date` and :meth:`Table.moment` read a cell in the
column's style, moments without an offset in the zone the person gave (:class:`Reading`).

No row is lost here: a row with more cells than the header is read, and its extra cells are
reported; a row with fewer has the missing cells empty. What a person is — and whether a row
names anyone at all — is the caller's business, and so is the :class:`ReadReport` it fills:
rows read, people kept, fields warned about, rows refused and why. A report that read no row
or refused more than half :attr:`~ReadReport.failed`: the command exits non-zero and the page
says so in red.
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, tzinfo
from operator import itemgetter

from contest.csvfile import GUARD, RowError, unguard_cell
from contest.errors import ImportFailed
from contest.i18n import N_, Message, N_plural, translate
from contest.spreadsheet.columns import FULL_NAME, ColumnMap, NamePart, map_columns
from contest.spreadsheet.dates import DateStyle, Moment, date_style, read_date, read_moment
from contest.spreadsheet.files import Grid, read_grid

SHOWN_REASONS = 20
"""How many warnings or refusals a summary spells out; the rest are counted."""
IDENTITY = ("full_name", "email", "phone", "social_handle")
"""The fields that name a person: a row with none of them filled in names nobody, the one
row every import refuses."""


def names_nobody(values: Mapping[str, str]) -> bool:
    """Whether a row's ``values`` fill in none of :data:`IDENTITY`."""
    return not any(values.get(field, "").strip() for field in IDENTITY)


def nobody(line: int) -> RowError:
    """Why the row at ``line`` is refused: it names nobody."""
    return RowError(line, "", "nobody",
                    N_("the row names nobody: no name, e-mail, phone or account"))


@dataclass(frozen=True)
class Reading:
    """What the person says about how to read their file."""

    zone: tzinfo | None = None
    """The zone of the moments written without an offset; ``None``: the caller's default
    (the contest's for its entries, UTC for a scan of files alone)."""
    month_first: bool | None = None
    """Dates such as 04/10/2026 are month first (the US) when no value of the column tells;
    ``None``: the caller's default (day first, but for a contest open to the US alone)."""
    said: Mapping[str, str] = field(default_factory=dict)
    """``header → field`` (or ``-``): what a column gives, whatever its header says."""


@dataclass
class Table:
    """A file's rows, each as ``(line, {field: text})`` with only the fields read."""

    grid: Grid
    columns: ColumnMap
    rows: list[tuple[int, dict[str, str]]]
    reading: Reading
    styles: dict[str, DateStyle]
    warnings: list[RowError] = field(default_factory=list)
    """Problems of whole rows (cells beyond the header) found while reading."""
    naive: int = 0
    """Moments read so far that had no offset (read in :attr:`Reading.zone`)."""
    local: set[str] = field(default_factory=set)
    """The date columns with a value not written year first (their order is worth saying)."""

    def column(self, field: str) -> str:
        """How the file names the column of ``field`` (for a warning's column)."""
        return self.columns.header_of(field) or field

    def date(self, field: str, value: str) -> date | None:
        """``value`` of the date column ``field`` as a day, or ``None`` if unreadable."""
        return read_date(value, self.styles[field], serials=self.grid.format == "xlsx")

    def moment(self, field: str, value: str) -> Moment | None:
        """``value`` of the moment column ``field``, or ``None`` if unreadable."""
        found = read_moment(value, self.styles[field], self.reading.zone or UTC,
                            serials=self.grid.format == "xlsx")
        if found is not None and found.naive:
            self.naive += 1
        return found

    def description(self) -> list[Message]:
        """How the file was read, a line each: the format, the columns, the columns not read,
        each date column's order, and the moments read in the zone."""
        lines = [self.grid.description(), self.columns.description()]
        if self.columns.unknown:
            lines.append(Message(N_("not read: {columns}"),
                                 {"columns": ", ".join(self.columns.unknown)}))
        for name, style in self.styles.items():
            if style.ambiguous or style.assumed or style.conflicting or name in self.local:
                lines.append(Message(N_("{column}: dates read {style}"),
                                     {"column": self.column(name),
                                      "style": style.description()}))
        if self.naive:
            lines.append(Message(N_plural(
                "{count} moment without a time zone was read in {zone}",
                "{count} moments without a time zone were read in {zone}"),
                {"count": self.naive, "zone": _zone_name(self.reading.zone or UTC)}))
        return lines


def read_table(raw: bytes, *, name: str = "", fields: Sequence[str],
               identity: Sequence[str] = (), dates: Iterable[str] = (),
               moments: Iterable[str] = (), several: Iterable[str] = (),
               reading: Reading | None = None) -> Table:
    """The rows of ``raw`` (a CSV file or an ``.xlsx`` workbook named ``name``) by field.

    ``identity`` are the fields that name a person (a name, a contact): some column must
    give one of them. ``dates`` and ``moments`` are the fields read as days and as moments;
    ``several`` those holding several values (two columns giving one are joined with
    ``;``). Raises :class:`ImportFailed` when the file cannot be read as a whole, or no
    column gives a field of ``identity`` (or of ``fields``, without one).
    """
    reading = reading or Reading()
    grid = read_grid(raw, name)
    columns = map_columns(grid.header, fields, said=reading.said, several=several)
    needed = identity or fields
    if not columns.fields & set(needed):
        raise ImportFailed(
            N_("no column of the file gives any of {needed}; its columns are {columns} (say "
               "which column gives which with --map, or on the import page)"),
            {"needed": ", ".join(needed),
             "columns": ", ".join(text.strip() for text in grid.header) or "none"})
    width = len(grid.header)
    single = [(column.field, column.position) for column in columns.columns
              if column.field is not None and not isinstance(column.field, NamePart)]
    names = [field for field, _ in single]
    simple = len(set(names)) == len(names)  # no field from two columns: one cell each
    last = max((position for _, position in single), default=-1)
    pick = itemgetter(*(position for _, position in single)) if single else None
    parts = [column.position for column in columns.name_parts]
    joined = set(several)
    table = Table(grid, columns, [], reading, {})
    for line, cells in grid.rows:
        if len(cells) > width and any(cell.strip() for cell in cells[width:]):
            table.warnings.append(RowError(
                line, "", "field_count",
                N_("the row has {got} cells, the header {expected}: the cells after the "
                   "last column were not read"),
                {"got": len(cells), "expected": width}))
        values: dict[str, str]
        if simple and pick is not None and len(cells) > last:
            picked = pick(cells)
            values = dict(zip(names, (picked,) if len(names) == 1 else picked, strict=True))
            if GUARD in "".join(values.values()):  # rare: a guarded cell, or an O'Brien
                for name_of_field, cell in values.items():
                    if cell[:1] == GUARD:
                        values[name_of_field] = unguard_cell(cell)
        else:
            values = {}
            for name_of_field, position in single:
                cell = unguard_cell(cells[position]) if position < len(cells) else ""
                if name_of_field in values and name_of_field in joined:
                    if cell.strip():
                        values[name_of_field] = (f"{values[name_of_field]};{cell}"
                                                 if values[name_of_field].strip() else cell)
                else:
                    values[name_of_field] = cell
        if parts:
            values[FULL_NAME] = " ".join(
                cells[position].strip() for position in parts
                if position < len(cells) and cells[position].strip())
        table.rows.append((line, values))
    for name_of_field in (*dates, *moments):
        if name_of_field in columns.fields:
            # Dates written year first tell nothing of the day-month order: only the others
            # are looked at (most files are all ISO 8601, and this is then quick).
            days = [_day_part(value) for _, values in table.rows
                    if (value := values.get(name_of_field, "")) and not _year_first(value)]
            table.styles[name_of_field] = date_style(days,
                                                     month_first=bool(reading.month_first))
            if any(day.strip() for day in days):
                table.local.add(name_of_field)
    return table


@dataclass
class ReadReport:
    """What reading one file gave: every summary says rows read, people kept, fields
    warned about, rows refused, and why."""

    rows: int = 0
    kept: int = 0
    warnings: list[RowError] = field(default_factory=list)
    """Fields that could not be read, of rows kept: the raw value is kept and still used."""
    refused: list[RowError] = field(default_factory=list)
    """Why each refused row was refused (a row naming nobody)."""
    how: list[Message] = field(default_factory=list)
    """How the file was read (:meth:`Table.description`)."""
    may_be_empty: bool = False
    """A file of no rows is what the person meant (a staff roster of nobody)."""

    @property
    def refused_rows(self) -> int:
        return len({error.line for error in self.refused})

    @property
    def failed(self) -> bool:
        """No row was read, or more than half were refused: say it loudly."""
        return (self.rows == 0 and not self.may_be_empty) or 2 * self.refused_rows > self.rows

    def summary(self, language: str = "en") -> str:
        """``rows read: …, people kept: …, fields warned about: …, rows refused: …``."""
        text = translate(
            N_("{rows} read: {kept} kept, {warned} warned about, {refused} refused"),
            language,
            {"rows": Message(N_plural("{count} row", "{count} rows"), {"count": self.rows}),
             "kept": Message(N_plural("{count} person", "{count} people"),
                             {"count": self.kept}),
             "warned": Message(N_plural("{count} field", "{count} fields"),
                               {"count": len(self.warnings)}),
             "refused": Message(N_plural("{count} row", "{count} rows"),
                                {"count": self.refused_rows})})
        if self.failed:
            text += " — " + translate(self.failure(), language)
        return text

    def failure(self) -> str:
        """Why the report failed, untranslated (for :func:`translate`)."""
        if self.rows == 0:
            return N_("no row was read: is it the right file, with a header row?")
        return N_("more than half of the rows were refused")

    def details(self, language: str = "en", limit: int = SHOWN_REASONS) -> list[str]:
        """The lines that explain the summary: how the file was read, then the first
        refusals and warnings (``line 12, Телефон: …``), then how many more there are."""
        lines = [translate(message.text, language, message.params) for message in self.how]
        for label, errors in ((N_("refused"), self.refused), (N_("warning"), self.warnings)):
            for error in errors[:limit]:
                lines.append(translate(N_("{label}: line {line}, {column}: {reason}"),
                                       language,
                                       {"label": translate(label, language),
                                        "line": error.line, "column": error.column or "—",
                                        "reason": error.text(language)}))
            if len(errors) > limit:
                lines.append(translate(N_plural("… and {count} more", "… and {count} more"),
                                       language, {"count": len(errors) - limit}))
        return lines


def _day_part(value: str) -> str:
    """The date of a cell that may hold a moment (``04.10.2026 19:40`` → ``04.10.2026``)."""
    first = value.strip().split(" ", 1)[0]
    return first.split("T", 1)[0] if first[:4].isdigit() else first


def _year_first(value: str) -> bool:
    """Whether a date or a moment is written year first (ISO 8601 and its like), or is a
    number (an Excel serial date)."""
    return (value[4:5] in ("-", "/", ".") and value[:4].isdigit()) or \
        value.strip().replace(".", "", 1).isdigit()


def _zone_name(zone: tzinfo) -> str:
    return str(getattr(zone, "key", None) or zone.tzname(None) or zone)
