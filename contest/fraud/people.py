"""The people a fraud scan looks at — entrants, staff members and their declared relatives —
read from CSV files or from the database, each as one :class:`Person`.

CSV columns (a header row names them, in any order; unknown columns are ignored):

- entries: the entries CSV columns (:data:`contest.entries.submission.COLUMNS`); only
  ``entry_id`` and ``full_name`` are required, every other value may be empty (exports from
  social networks often lack e-mail or phone);
- staff: :data:`STAFF_COLUMNS`; ``email`` and ``phone`` may hold several values separated by
  ``;`` (work and personal);
- relatives: :data:`RELATIVE_COLUMNS`; ``relation`` is one of :data:`RELATIONS`.

Rows are checked as entries are: every bad field is reported with its line and column, and
the good rows are kept; a field that is not text (:mod:`contest.text`) is reported for that
alone.
"""

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from enum import StrEnum

from contest.csvfile import RowError, read_rows
from contest.entries.submission import COLUMNS as ENTRY_COLUMNS
from contest.fraud.collector import cycle_collection_paused
from contest.i18n import N_, Plural
from contest.identity.contacts import is_email_address, phone_key, split_values
from contest.rules.parse import country_codes
from contest.text import text_error

STAFF_COLUMNS: tuple[str, ...] = (
    "staff_id", "full_name", "email", "phone", "birth_date", "address", "city",
    "postal_code", "country", "department", "company",
)
RELATIVE_COLUMNS: tuple[str, ...] = (
    "staff_id", "full_name", "relation", "email", "phone", "address", "city", "postal_code",
    "country",
)
RELATIONS: tuple[str, ...] = ("spouse", "partner", "child", "parent", "sibling", "other")
RELATION_NAMES: dict[str, str] = {
    "spouse": N_("spouse"), "partner": N_("partner"), "child": N_("child"),
    "parent": N_("parent"), "sibling": N_("brother or sister"), "other": N_("other relative")}
"""Each of :data:`RELATIONS` in words: the tie of one declared relative to the staff member."""

_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


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
    birth_date: date | None = None
    address: str = ""
    city: str = ""
    postal_code: str = ""
    country: str = ""
    ip: str = ""
    device_id: str = ""
    submitted_at: datetime | None = None
    staff_id: str = ""
    relation: str = ""
    ticket: str = ""
    department: str = ""
    company: str = ""
    order: int = 0
    """The entry's place in submission order (earliest first), for duplicates."""
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
    """The rows read from one file: the people, and every rejected field."""

    people: list[Person] = field(default_factory=list)
    rejected: list[RowError] = field(default_factory=list)


def read_entries(raw: bytes) -> PeopleFile:
    """Entrants from an entries CSV (only ``entry_id`` and ``full_name`` are required)."""
    seen: set[str] = set()

    def entrant(checker: _Checker) -> Person:
        return Person(
            PersonKind.ENTRANT,
            checker.unique("entry_id", seen, N_("entry id {value} appears twice")),
            checker.required("full_name"), emails=checker.emails("email"),
            phones=checker.phones("phone"), birth_date=checker.day("birth_date"),
            address=checker.text("address"), city=checker.text("city"),
            postal_code=checker.text("postal_code"), country=checker.country(),
            ip=checker.text("ip"), device_id=checker.text("device_id"),
            submitted_at=checker.moment("submitted_at"), order=checker.line,
        )

    result = _read(raw, ENTRY_COLUMNS, ("entry_id", "full_name"), entrant)
    result.people = in_submission_order(result.people)
    return result


def read_staff(raw: bytes) -> PeopleFile:
    """Staff members from a roster CSV; an empty roster (a header only) is valid."""
    seen: set[str] = set()

    def member(checker: _Checker) -> Person:
        staff_id = checker.unique("staff_id", seen, N_("staff id {value} appears twice"))
        return Person(
            PersonKind.STAFF, staff_id, checker.required("full_name"),
            emails=checker.emails("email", strict=True),
            phones=checker.phones("phone", strict=True), birth_date=checker.day("birth_date"),
            address=checker.text("address"), city=checker.text("city"),
            postal_code=checker.text("postal_code"), country=checker.country(),
            staff_id=staff_id, department=checker.text("department"),
            company=checker.text("company"),
        )

    return _read(raw, STAFF_COLUMNS, ("staff_id", "full_name"), member)


def read_relatives(raw: bytes, staff: Iterable[Person] | None = None) -> PeopleFile:
    """Declared relatives; with the ``staff`` roster, a relative of someone not on it is
    refused, and a relative's country defaults to their staff member's (for phones written
    without a country code)."""
    known = {person.key: person.country for person in staff} if staff is not None else None

    def relative(checker: _Checker) -> Person:
        staff_id = checker.required("staff_id")
        if known is not None and staff_id and staff_id not in known:
            checker.fail("staff_id", "unknown_staff",
                         N_("staff id {value} is not on the staff roster"), value=staff_id)
        if known and not checker.text("country") and known.get(staff_id):
            checker.row = {**checker.row, "country": known[staff_id]}
        relation = checker.text("relation").lower()
        if relation not in RELATIONS:
            checker.fail("relation", "invalid_relation",
                         N_("\"{value}\" is not one of {expected}"), value=relation,
                         expected=", ".join(RELATIONS))
        return Person(
            PersonKind.RELATIVE, f"{staff_id}#{checker.line}", checker.text("full_name"),
            emails=checker.emails("email", strict=True),
            phones=checker.phones("phone", strict=True), address=checker.text("address"),
            city=checker.text("city"), postal_code=checker.text("postal_code"),
            country=checker.country(), staff_id=staff_id, relation=relation,
        )

    return _read(raw, RELATIVE_COLUMNS, ("staff_id", "relation"), relative)


def _read(raw: bytes, columns: tuple[str, ...], required: tuple[str, ...],
          person: Callable[["_Checker"], Person]) -> PeopleFile:
    """Each row through ``person``; a row with any bad field is rejected whole."""
    result = PeopleFile()
    with cycle_collection_paused():
        for line, row in read_rows(raw, columns, required):
            if isinstance(row, RowError):
                result.rejected.append(row)
                continue
            checker = _Checker(line, row)
            found = person(checker)
            if checker.errors:
                result.rejected.extend(checker.errors)
            else:
                result.people.append(found)
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


class _Checker:
    """Reads one row's fields, collecting a :class:`RowError` per bad one."""

    def __init__(self, line: int, row: Mapping[str, str]) -> None:
        self.line, self.row = line, row
        self.errors: list[RowError] = []
        self.refused: set[str] = set()
        for column, value in row.items():
            # Every character that is not text is unprintable: clean cells pass cheaply.
            if not value.isprintable() and (error := text_error(column, value)) is not None:
                self.fail(column, error.code, error.message, **error.params)
                self.refused.add(column)

    def fail(self, column: str, code: str, message: str | Plural, **params: object) -> None:
        """Record what is wrong with ``column``; one that is not text, only that."""
        if column not in self.refused:
            self.errors.append(RowError(self.line, column, code, message, params))

    def text(self, column: str) -> str:
        """The value with its white space collapsed (tabs, line breaks, runs of spaces)."""
        value = self.row.get(column)
        if not value:
            return ""
        # Every white space character but the space is unprintable, so the common case of a
        # value already clean is told cheaply.
        if (value.isprintable() and "  " not in value
                and not value.startswith(" ") and not value.endswith(" ")):
            return value
        return " ".join(value.split())

    def required(self, column: str) -> str:
        value = self.text(column)
        if not value:
            self.fail(column, "required", N_("is required"))
        return value

    def unique(self, column: str, seen: set[str], message: str) -> str:
        """A required value that no earlier row of the file holds."""
        value = self.required(column)
        if value in seen:
            self.fail(column, "duplicate", message, value=value)
        elif value:
            seen.add(value)
        return value

    def country(self) -> str:
        value = self.text("country").upper()
        if value and value not in country_codes():
            self.fail("country", "invalid_country",
                      N_("\"{value}\" is not an ISO 3166 country code"), value=value)
        return value

    def emails(self, column: str, *, strict: bool = False) -> tuple[str, ...]:
        values = split_values(self.row.get(column) or "")
        if strict:
            for value in values:
                if not is_email_address(value):
                    self.fail(column, "invalid_email",
                              N_("\"{value}\" is not an email address"), value=value)
        return tuple(values)

    def phones(self, column: str, *, strict: bool = False) -> tuple[str, ...]:
        values = split_values(self.row.get(column) or "")
        if strict:
            region = self.text("country").upper() or None
            for value in values:
                if phone_key(value, region) is None:
                    self.fail(column, "invalid_phone",
                              N_("\"{value}\" is not a phone number"), value=value)
        return tuple(values)

    def day(self, column: str) -> date | None:
        value = self.text(column)
        if not value:
            return None
        try:
            if not _ISO_DATE.fullmatch(value):
                raise ValueError(value)
            return date.fromisoformat(value)
        except ValueError:
            self.fail(column, "invalid_date", N_("\"{value}\" is not a date (YYYY-MM-DD)"),
                      value=value)
            return None

    def moment(self, column: str) -> datetime | None:
        value = self.text(column)
        if not value:
            return None
        try:
            moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            moment = None
        if moment is None or moment.tzinfo is None:
            self.fail(column, "invalid_moment",
                      N_("\"{value}\" is not a moment with a time zone (ISO 8601)"),
                      value=value)
            return None
        return moment
