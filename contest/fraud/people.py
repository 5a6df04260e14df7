"""The people a fraud scan looks at — entrants, staff members and their declared relatives —
read from files (CSV or ``.xlsx``) or from the database, each as one :class:`Person`.

Files are read by :mod:`contest.spreadsheet`: any encoding and delimiter Excel writes,
headers in English, Russian or Ukrainian (or mapped by the person), split name columns,
dates and moments as people write them. The fields:

- entries: the entries columns (:data:`contest.entries.submission.COLUMNS`); all may be
  empty (exports from social networks often lack e-mail or phone); a row without an
  ``entry_id`` is named by its line;
- staff: :data:`STAFF_COLUMNS`; ``email``, ``phone`` and ``account`` may hold several values
  separated by ``;`` (work and personal), or come from several columns;
- relatives: :data:`RELATIVE_COLUMNS`; ``relation`` is one of :data:`RELATIONS`, or a word
  for it in Russian or Ukrainian (``супруга``, ``син``).

An ``account`` is a social account (``vk:123456``, ``https://vk.com/id123456``, ``tg:987654``,
``ig:username``: :func:`~contest.identity.accounts.account_key`); the column is optional in
every file. An entry from a staff member's account, or a relative's, is theirs.

**Nobody is dropped for a field.** A row is refused only when it names nobody: no name, no
e-mail, no phone, no account. Any other row is kept; a field that cannot be read is warned
about with its line and column, and kept as written where it can still serve: a phone no
numbering plan reads or an address no rule reads still matches itself exactly
(:func:`contest.identity.written_phone_key`), so a staff member with a mistyped phone is
still found through their e-mail, their name, their family and their home. So does an
account written without its network (``123456``, ``@name``): it is warned about and kept as
written (:func:`contest.identity.written_account_key`).
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from enum import StrEnum

from contest.csvfile import RowError
from contest.entries.submission import COLUMNS as ENTRY_COLUMNS
from contest.fraud.collector import cycle_collection_paused
from contest.i18n import N_, Plural
from contest.identity.accounts import AccountProfile, account_key
from contest.identity.contacts import is_email_address, phone_key, split_values
from contest.rules.parse import country_codes
from contest.spreadsheet.columns import header_key
from contest.spreadsheet.countries import country_code
from contest.spreadsheet.table import (
    IDENTITY,
    Reading,
    ReadReport,
    Table,
    names_nobody,
    nobody,
    read_table,
)
from contest.text import refused_character, without_refused

STAFF_COLUMNS: tuple[str, ...] = (
    "staff_id", "full_name", "email", "phone", "birth_date", "address", "city",
    "postal_code", "country", "department", "company", "account",
)
RELATIVE_COLUMNS: tuple[str, ...] = (
    "staff_id", "full_name", "relation", "email", "phone", "address", "city", "postal_code",
    "country", "account",
)
SEVERAL = ("email", "phone", "account")
"""The fields of a roster or list of relatives that may hold several values."""
NAMING = ("account",)
"""Fields beyond :data:`~contest.spreadsheet.table.IDENTITY` that name a person: a row with
an account names its holder."""
RELATIONS: tuple[str, ...] = ("spouse", "partner", "child", "parent", "sibling", "other")
RELATION_NAMES: dict[str, str] = {
    "spouse": N_("spouse"), "partner": N_("partner"), "child": N_("child"),
    "parent": N_("parent"), "sibling": N_("brother or sister"), "other": N_("other relative")}
"""Each of :data:`RELATIONS` in words: the tie of one declared relative to the staff member."""

_RELATION_WORDS: dict[str, tuple[str, ...]] = {
    "spouse": ("spouse", "wife", "husband", "супруг", "супруга", "жена", "муж", "чоловік",
               "дружина", "подружжя"),
    "partner": ("partner", "партнер", "партнёр", "партнерша", "сожитель", "сожительница",
                "співмешканець", "співмешканка", "цивільний чоловік", "цивільна дружина",
                "гражданский муж", "гражданская жена"),
    "child": ("child", "son", "daughter", "сын", "дочь", "дочка", "ребенок", "ребёнок", "син",
              "донька", "дочка", "дитина"),
    "parent": ("parent", "mother", "father", "мать", "мама", "отец", "папа", "мати", "батько",
               "тато", "родитель", "мачеха", "отчим"),
    "sibling": ("sibling", "brother", "sister", "брат", "сестра", "brother or sister"),
    "other": ("other", "другое", "другой", "другая", "родственник", "родственница", "інше",
              "інший", "родич", "родичка", "other relative"),
}
RELATION_WORDS: dict[str, str] = {
    header_key(word): relation for relation, words in _RELATION_WORDS.items() for word in words}
"""A relation as people write it (folded as headers are: ``Супруга`` → ``spouse``)."""


class PersonKind(StrEnum):
    """Which list a person comes from: the graph's node kinds."""

    ENTRANT = "entry"
    STAFF = "staff"
    RELATIVE = "relative"


@dataclass(slots=True)
class Person:
    """One entrant, staff member or declared relative, as given (normalised later); treat it
    as read-only once read (only :func:`in_submission_order` sets ``order``).

    ``key`` is unique within its kind: the entry id, the staff id, or for a relative the
    staff id and the relative's line. ``staff_id`` is the staff member a relative belongs to
    (and a staff member's own id).
    """

    kind: PersonKind
    key: str
    full_name: str
    emails: tuple[str, ...] = ()
    phones: tuple[str, ...] = ()
    accounts: tuple[str, ...] = ()
    """Social accounts as given (``vk:123456``; one no rule reads as written)."""
    birth_date: date | None = None
    address: str = ""
    city: str = ""
    postal_code: str = ""
    country: str = ""
    ip: str = ""
    device_id: str = ""
    user_agent: str = ""
    """The browser or program the entry came from (its ``User-Agent``), when kept."""
    submitted_at: datetime | None = None
    staff_id: str = ""
    relation: str = ""
    ticket: str = ""
    department: str = ""
    company: str = ""
    order: int = 0
    """The entry's place in submission order (earliest first), for duplicates."""
    line: int = 0
    """The file line the person was read from (0: read from the database)."""
    profile: AccountProfile | None = None
    """What the network said about the entrant's social account at the latest read
    (``account_profiles``; ``None``: nothing kept, as for every entry read from a file)."""
    set_aside: bool = False
    """An entry already out for something other than its person's limit (its age, a
    household limit, an auditor's exclusion: :func:`contest.entries.eligibility.set_aside`),
    which uses up none of its person's allowance: the duplicate detector neither counts it
    nor flags it. Entries read from a CSV file carry no verdict and are never set aside."""

    @property
    def node(self) -> str:
        return f"{self.kind}:{self.key}"          # a StrEnum formats as its value


@dataclass
class PeopleFile:
    """The people read from one file, and its :class:`ReadReport` (rows read, people kept,
    fields warned about, rows refused and why)."""

    people: list[Person] = field(default_factory=list)
    report: ReadReport = field(default_factory=ReadReport)

    @property
    def rejected(self) -> list[RowError]:
        """Why each refused row was refused (a row that names nobody)."""
        return self.report.refused

    @property
    def warnings(self) -> list[RowError]:
        """The fields of kept rows that could not be read (their raw values are kept)."""
        return self.report.warnings


def read_entries(raw: bytes, *, name: str = "", reading: Reading | None = None) -> PeopleFile:
    """Entrants from an entries file (CSV or ``.xlsx``): every row that names someone (a
    name or a contact) is kept; a row without an entry id is named by its line."""
    seen: set[str] = set()

    def entrant(row: _Row) -> Person:
        return Person(
            PersonKind.ENTRANT, row.key("entry_id", seen), row.text("full_name"),
            emails=row.emails("email"), phones=row.phones("phone"),
            accounts=row.accounts("account"),
            birth_date=row.day("birth_date"), address=row.text("address"),
            city=row.text("city"), postal_code=row.text("postal_code"),
            country=row.country(), ip=row.text("ip"), device_id=row.text("device_id"),
            user_agent=row.text("user_agent"), submitted_at=row.moment("submitted_at"),
            order=row.line,
        )

    result = _read(raw, name, reading, ENTRY_COLUMNS, entrant,
                   dates=("birth_date",), moments=("submitted_at",))
    result.people = in_submission_order(result.people)
    return result


def read_staff(raw: bytes, *, name: str = "", reading: Reading | None = None) -> PeopleFile:
    """Staff members from a roster (CSV or ``.xlsx``); an empty roster (a header only) is
    valid. A member without a staff id is named by their line."""
    seen: set[str] = set()

    def member(row: _Row) -> Person:
        staff_id = row.key("staff_id", seen)
        return Person(
            PersonKind.STAFF, staff_id, row.text("full_name"), emails=row.emails("email"),
            phones=row.phones("phone"), accounts=row.accounts("account"),
            birth_date=row.day("birth_date"),
            address=row.text("address"), city=row.text("city"),
            postal_code=row.text("postal_code"), country=row.country(), staff_id=staff_id,
            department=row.text("department"), company=row.text("company"),
        )

    result = _read(raw, name, reading, STAFF_COLUMNS, member, dates=("birth_date",),
                   several=SEVERAL)
    result.report.may_be_empty = True
    return result


def read_relatives(raw: bytes, staff: Iterable[Person] | None = None, *, name: str = "",
                   reading: Reading | None = None) -> PeopleFile:
    """Declared relatives (CSV or ``.xlsx``). With the ``staff`` roster, a relative of a
    staff id not on it is kept and warned about, and a relative's country defaults to their
    staff member's (for phones written without a country code). A relation not among
    :data:`RELATIONS` (in English, Russian or Ukrainian words) is kept as ``other``."""
    known = {person.key: person.country for person in staff} if staff is not None else None

    def relative(row: _Row) -> Person:
        staff_id = row.text("staff_id")
        if not staff_id:
            row.warn("staff_id", "required",
                     N_("no staff id: the relative is kept, tied to no staff member"))
        elif known is not None and staff_id not in known:
            row.warn("staff_id", "unknown_staff",
                     N_("staff id {value} is not on the staff roster: the relative is kept, "
                        "tied to that id"), value=staff_id)
        country = row.country() or (known or {}).get(staff_id, "")
        return Person(
            PersonKind.RELATIVE, f"{staff_id}#{row.line}", row.text("full_name"),
            emails=row.emails("email"), phones=row.phones("phone", region=country),
            accounts=row.accounts("account"), address=row.text("address"), city=row.text("city"),
            postal_code=row.text("postal_code"), country=country, staff_id=staff_id,
            relation=row.relation(),
        )

    return _read(raw, name, reading, RELATIVE_COLUMNS, relative, several=SEVERAL)


def _read(raw: bytes, name: str, reading: Reading | None, columns: tuple[str, ...],
          person: Callable[["_Row"], Person], *, dates: tuple[str, ...] = (),
          moments: tuple[str, ...] = (), several: tuple[str, ...] = ()) -> PeopleFile:
    """Each row through ``person``: a row that names no one (no name, no contact, no
    account) is refused, any other is kept, with a warning for each field that cannot be
    read."""
    result = PeopleFile()
    report = result.report
    # A file's rows are a million small objects that live as long as the read: the cycle
    # collector's passes over them would cost more than the reading itself.
    with cycle_collection_paused():
        table = read_table(raw, name=name, fields=columns,
                           identity=[field for field in (*IDENTITY, *NAMING)
                                     if field in columns],
                           dates=dates, moments=moments, several=several, reading=reading)
        report.warnings.extend(table.warnings)
        for line, values in table.rows:
            report.rows += 1
            row = _Row(table, line, values, report.warnings)
            if names_nobody(row.values) and not any(row.text(field) for field in NAMING):
                report.refused.append(nobody(line))
                continue
            found = person(row)
            found.line = line
            result.people.append(found)
            report.kept += 1
    report.how = table.description()
    return result


def in_submission_order(entrants: list[Person]) -> list[Person]:
    """Entrants sorted by submission moment (file order among equal or missing moments),
    each with ``order`` set to its place."""
    ranked = sorted(entrants, key=_submission_key)
    for place, person in enumerate(ranked):
        person.order = place
    return ranked


def _submission_key(person: Person) -> tuple[bool, float, int]:
    # Floats compare faster than aware datetimes, and at today's timestamps a double's step
    # is a quarter of a microsecond, so no two moments become one.
    moment = person.submitted_at
    if moment is None:
        return True, 0.0, person.order
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)         # as stored: in UTC
    return False, moment.timestamp(), person.order


class _Row:
    """Reads one row's fields: a field that cannot be read is warned about (its line, its
    column as the file names it) and kept as written wherever it can still serve."""

    def __init__(self, table: Table, line: int, values: dict[str, str],
                 warnings: list[RowError]) -> None:
        self.table, self.line = table, line
        self.warnings = warnings
        self._country: str | None = None
        # Each value once: white space collapsed (tabs, line breaks, runs of spaces), what is
        # not text left out. Every white space character but the space is unprintable, so
        # the common case of a value already clean is told cheaply, and left as it is.
        whole = "|".join(values.values())
        if (whole.isprintable() and "  " not in whole and " |" not in whole
                and "| " not in whole and whole[:1] != " " and whole[-1:] != " "):
            self.values = values  # every value clean: the common row, told at once
            return
        for column, value in values.items():
            if value and not (value.isprintable() and "  " not in value
                              and value[0] != " " and value[-1] != " "):
                if (found := refused_character(value)) is not None:
                    error = found.left_out(column)
                    self.warn(column, error.code, error.message, **error.params)
                    value = without_refused(value)
                values[column] = " ".join(value.split())
        self.values = values

    def warn(self, column: str, code: str, message: str | Plural, **params: object) -> None:
        """Record what is wrong with ``column``, by its line and its header in the file."""
        self.warnings.append(RowError(self.line, self.table.column(column), code, message,
                                      params))

    def text(self, column: str) -> str:
        """The value, its white space collapsed ("" when the file has no such column)."""
        return self.values.get(column, "")

    def key(self, column: str, seen: set[str]) -> str:
        """The row's id (``column``), unique in the file: a row without one is named by its
        line (``L12``), and a repeated one gets its line too (``1042@L12``), with a warning."""
        value = self.text(column)
        if not value:
            value = f"L{self.line}"
            if column in self.table.columns.fields:
                self.warn(column, "required", N_("no id: the row is named {value}"),
                          value=value)
        elif value in seen:
            renamed = f"{value}@L{self.line}"
            self.warn(column, "duplicate",
                      N_("{value} appears on an earlier row too: this row is named {renamed}"),
                      value=value, renamed=renamed)
            value = renamed
        seen.add(value)
        return value

    def country(self) -> str:
        """The ISO code of the country (a name in words is read too); read once."""
        if self._country is None:
            value = self.text("country")
            code = country_code(value) if value else ""
            if code is None or (code and code not in country_codes()):
                self.warn("country", "invalid_country",
                          N_("\"{value}\" is not a country this app knows (write it as RU, "
                             "Россия or Russia): left out"), value=value)
                code = ""
            self._country = code
        return self._country

    def emails(self, column: str) -> tuple[str, ...]:
        values = tuple(split_values(self.text(column)))
        for value in values:
            if not is_email_address(value):
                self.warn(column, "invalid_email",
                          N_("\"{value}\" is not an email address: kept as written"),
                          value=value)
        return values

    def phones(self, column: str, *, region: str | None = None) -> tuple[str, ...]:
        values = tuple(split_values(self.text(column)))
        region = (region or self.country()) if values else None
        for value in values:
            if phone_key(value, region or None) is None:
                self.warn(column, "invalid_phone",
                          N_("\"{value}\" is not a valid phone number: kept as written"),
                          value=value)
        return values

    def accounts(self, column: str) -> tuple[str, ...]:
        values = tuple(split_values(self.text(column)))
        for value in values:
            if account_key(value) is None:
                self.warn(column, "invalid_account",
                          N_("\"{value}\" is not an account such as vk:123456, tg:987654 or "
                             "ig:username: kept as written"), value=value)
        return values

    def relation(self) -> str:
        value = self.text("relation")
        code = RELATION_WORDS.get(header_key(value)) if value else None
        if code is None:
            self.warn("relation", "invalid_relation",
                      N_("\"{value}\" is not one of {expected}: kept as \"other\""),
                      value=value, expected=", ".join(RELATIONS))
            return "other"
        return code

    def day(self, column: str) -> date | None:
        value = self.text(column)
        if not value:
            return None
        found = self.table.date(column, value)
        if found is None:
            self.warn(column, "invalid_date",
                      N_("\"{value}\" is not a date (such as 31.12.1990 or 1990-12-31): "
                         "left out"), value=value)
        return found

    def moment(self, column: str) -> datetime | None:
        value = self.text(column)
        if not value:
            return None
        found = self.table.moment(column, value)
        if found is None:
            self.warn(column, "invalid_moment",
                      N_("\"{value}\" is not a moment (such as 04.10.2026 19:40 or "
                         "2026-10-04T19:40:00+03:00): left out"), value=value)
            return None
        return found.at
