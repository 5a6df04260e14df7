"""Importing a contest's staff roster and declared relatives into the database.

The files are the ones ``contest fraud scan`` reads (:mod:`contest.fraud.people`: CSV or
``.xlsx``, headers in three languages), read the same way: nobody is dropped for a field
that cannot be read (it is warned about with its line and column, in the reader's language,
and kept as written), and only a row that names nobody is refused. A roster row updates the
staff member with the same ``staff_id`` (rosters are sent again as people join or change
phones); nobody is removed, since someone who left during the promotion is still an insider
for it. A relative already on file is not added twice, so importing the same files again
changes nothing.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TypedDict

from sqlmodel import Session, col, select

from contest.audit import record
from contest.csvfile import RowError
from contest.fraud.people import Person, PersonKind, read_relatives, read_staff
from contest.i18n import N_, translate
from contest.identity.contacts import split_values
from contest.lifecycle import Action, require
from contest.models import Contest, DeclaredRelative, StaffMember, column_length
from contest.rules.status import contest_stage
from contest.spreadsheet.table import Reading, ReadReport

FILES = ("staff", "relatives")
"""The two files of a roster import, as :attr:`RosterReport.files` names them."""


@dataclass
class RosterReport:
    """What a roster import did, and how each file was read."""

    staff_added: int = 0
    staff_updated: int = 0
    staff_unchanged: int = 0
    relatives_added: int = 0
    relatives_already: int = 0
    files: dict[str, ReadReport] = field(default_factory=dict)
    """How each file given (``staff``, ``relatives``) was read: rows, people kept, warnings,
    refusals."""

    @property
    def rejected(self) -> list[tuple[str, RowError]]:
        """``(file, why)`` for each refused row (one that names nobody)."""
        return [(name, error) for name, read in self.files.items() for error in read.refused]

    @property
    def warnings(self) -> list[tuple[str, RowError]]:
        """``(file, what)`` for each field of a kept row that could not be read."""
        return [(name, error) for name, read in self.files.items() for error in read.warnings]

    @property
    def failed(self) -> bool:
        """A file read no row, or refused more than half of its rows."""
        return any(read.failed for read in self.files.values())

    def summary(self, language: str = "en") -> str:
        return translate(
            N_("staff: {added} added, {updated} updated, {unchanged} unchanged; relatives: "
               "{relatives} added, {already} already on file"),
            language, {"added": self.staff_added, "updated": self.staff_updated,
                       "unchanged": self.staff_unchanged, "relatives": self.relatives_added,
                       "already": self.relatives_already})


@dataclass(frozen=True)
class Roster:
    """A contest's staff roster as stored: its members by staff id, and the relatives they
    declared by staff id, in the order they were declared."""

    members: tuple[StaffMember, ...]
    relatives: tuple[DeclaredRelative, ...]


def contest_roster(session: Session, contest: Contest) -> Roster:
    """The staff roster and declared relatives of ``contest``."""
    members = session.exec(select(StaffMember).where(StaffMember.contest_id == contest.id)
                           .order_by(col(StaffMember.staff_id))).all()
    relatives = session.exec(select(DeclaredRelative).where(
        DeclaredRelative.contest_id == contest.id).order_by(col(DeclaredRelative.staff_id),
                                                             col(DeclaredRelative.id))).all()
    return Roster(tuple(members), tuple(relatives))


def import_roster(session: Session, *, contest: Contest, staff: bytes | None,
                  relatives: bytes | None, now: datetime, actor_id: int | None = None,
                  names: Mapping[str, str] | None = None, reading: Reading | None = None,
                  relatives_reading: Reading | None = None) -> RosterReport:
    """Import a staff roster and/or declared relatives for ``contest`` (the files' bytes;
    ``names`` gives their names, by :data:`FILES`, to help tell a workbook from a CSV file;
    ``reading`` says how to read the roster, ``relatives_reading`` the relatives, by default
    as the roster).

    Raises :class:`~contest.errors.ImportFailed` when a file cannot be read as a whole. A
    report that :attr:`~RosterReport.failed` is for the caller to roll back.
    """
    require(Action.LOAD_ROSTER, contest_stage(session, contest, now), slug=contest.slug)
    names = names or {}
    report = RosterReport()
    members = {m.staff_id: m for m in session.exec(
        select(StaffMember).where(StaffMember.contest_id == contest.id))}
    if staff is not None:
        read = read_staff(staff, name=names.get("staff", ""), reading=reading)
        report.files["staff"] = read.report
        for person in read.people:
            _store_member(session, contest, members, person, report, read.report)
    if relatives is not None:
        roster = [Person(PersonKind.STAFF, staff_id, member.full_name, country=member.country)
                  for staff_id, member in members.items()]
        read = read_relatives(relatives, roster, name=names.get("relatives", ""),
                              reading=relatives_reading or reading)
        report.files["relatives"] = read.report
        on_file = {_relative_key(r.staff_id, r.full_name, r.relation, r.email, r.phone,
                                 r.address, r.account) for r in session.exec(
                                     select(DeclaredRelative)
                                     .where(DeclaredRelative.contest_id == contest.id))}
        for person in read.people:
            key = _relative_key(person.staff_id, person.full_name, person.relation,
                                ";".join(person.emails), ";".join(person.phones), person.address,
                                ";".join(person.accounts))
            if key in on_file:
                report.relatives_already += 1
                continue
            on_file.add(key)
            values = _fitted(DeclaredRelative, {
                "staff_id": person.staff_id, "full_name": person.full_name,
                "email": ";".join(person.emails), "phone": ";".join(person.phones),
                "address": person.address, "city": person.city,
                "postal_code": person.postal_code, "account": ";".join(person.accounts)},
                person.line, read.report)
            session.add(DeclaredRelative(
                contest_id=contest.id or 0, staff_id=values["staff_id"],
                full_name=values["full_name"], relation=person.relation,
                email=values["email"], phone=values["phone"], address=values["address"],
                city=values["city"], postal_code=values["postal_code"],
                country=person.country, account=values["account"]))
            report.relatives_added += 1
    session.flush()
    record(session, actor_id=actor_id, action="roster.import", subject=contest.slug, now=now,
           detail={"staff_added": report.staff_added, "staff_updated": report.staff_updated,
                   "relatives_added": report.relatives_added,
                   "rejected": len(report.rejected), "warnings": len(report.warnings)})
    return report


class _StaffFields(TypedDict):
    """The columns of a staff member a roster row sets."""

    full_name: str
    email: str
    phone: str
    birth_date: date | None
    address: str
    city: str
    postal_code: str
    country: str
    department: str
    company: str
    account: str


def _store_member(session: Session, contest: Contest, members: dict[str, StaffMember],
                  person: Person, report: RosterReport, read: ReadReport) -> None:
    texts = _fitted(StaffMember, {
        "staff_id": person.key, "full_name": person.full_name,
        "email": ";".join(person.emails), "phone": ";".join(person.phones),
        "address": person.address, "city": person.city, "postal_code": person.postal_code,
        "department": person.department, "company": person.company,
        "account": ";".join(person.accounts)}, person.line, read)
    values: _StaffFields = {
        "full_name": texts["full_name"], "email": texts["email"], "phone": texts["phone"],
        "birth_date": person.birth_date, "address": texts["address"], "city": texts["city"],
        "postal_code": texts["postal_code"], "country": person.country,
        "department": texts["department"], "company": texts["company"],
        "account": texts["account"],
    }
    staff_id = texts["staff_id"]
    member = members.get(staff_id)
    if member is None:
        member = StaffMember(contest_id=contest.id or 0, staff_id=staff_id, **values)
        members[staff_id] = member
        report.staff_added += 1
    elif all(getattr(member, name) == value for name, value in values.items()):
        report.staff_unchanged += 1
        return
    else:
        for name, value in values.items():
            setattr(member, name, value)
        report.staff_updated += 1
    session.add(member)


def _fitted(model: type[StaffMember] | type[DeclaredRelative], values: dict[str, str],
            line: int, read: ReadReport) -> dict[str, str]:
    """``values`` cut to the widths of ``model``'s columns, each cut warned about: the
    person is kept with what fits (a database refuses a longer value, and with it the
    whole file)."""
    fitted = {}
    for column, value in values.items():
        width = column_length(model, column)
        if len(value) > width:
            read.warnings.append(RowError(
                line, column, "too_long",
                N_("is {length} characters long: the first {max} are kept"),
                {"length": len(value), "max": width}))
            value = value[:width].rstrip()
        fitted[column] = value
    return fitted


def _relative_key(staff_id: str, full_name: str, relation: str, emails: str, phones: str,
                  address: str, accounts: str) -> tuple[str, ...]:
    def values(text: str) -> str:
        return ";".join(sorted(value.lower() for value in split_values(text)))

    parts: Sequence[str] = (staff_id, " ".join(full_name.lower().split()), relation,
                            values(emails), values(phones), " ".join(address.lower().split()),
                            values(accounts))
    return tuple(parts)
