"""Importing a contest's staff roster and declared relatives into the database.

The files are the ones ``contest fraud scan`` reads (:mod:`contest.fraud.people`), checked
the same way: every bad field is reported with its line and column, in the reader's
language, and the good rows are imported. A roster row updates the staff member with the
same ``staff_id`` (rosters are sent again as people join or change phones); nobody is
removed, since someone who left during the promotion is still an insider for it. A relative
already on file is not added twice, so importing the same files again changes nothing.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TypedDict

from sqlmodel import Session, col, select

from contest.audit import record
from contest.csvfile import RowError
from contest.fraud.people import Person, PersonKind, read_relatives, read_staff
from contest.i18n import N_, Message, N_plural, translate
from contest.identity.contacts import split_values
from contest.lifecycle import Action, require
from contest.models import Contest, DeclaredRelative, StaffMember
from contest.rules.status import contest_stage


@dataclass
class RosterReport:
    """What a roster import did, and every rejected field by file."""

    staff_added: int = 0
    staff_updated: int = 0
    staff_unchanged: int = 0
    relatives_added: int = 0
    relatives_already: int = 0
    rejected: list[tuple[str, RowError]] = field(default_factory=list)
    """``(file, error)``: ``file`` is ``staff`` or ``relatives``."""

    def summary(self, language: str = "en") -> str:
        return translate(
            N_("staff: {added} added, {updated} updated, {unchanged} unchanged; relatives: "
               "{relatives} added, {already} already on file; {rejected}"),
            language, {"added": self.staff_added, "updated": self.staff_updated,
                       "unchanged": self.staff_unchanged, "relatives": self.relatives_added,
                       "already": self.relatives_already,
                       "rejected": Message(N_plural("{count} field rejected",
                                                    "{count} fields rejected"),
                                           {"count": len(self.rejected)})})


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


def import_roster(session: Session, *, contest: Contest, staff_csv: bytes | None,
                  relatives_csv: bytes | None, now: datetime,
                  actor_id: int | None = None) -> RosterReport:
    """Import a staff roster and/or declared relatives for ``contest``.

    Raises :class:`~contest.errors.ImportFailed` when a file cannot be read as a whole.
    """
    require(Action.LOAD_ROSTER, contest_stage(session, contest, now), slug=contest.slug)
    report = RosterReport()
    members = {m.staff_id: m for m in session.exec(
        select(StaffMember).where(StaffMember.contest_id == contest.id))}
    if staff_csv is not None:
        read = read_staff(staff_csv)
        report.rejected.extend(("staff", error) for error in read.rejected)
        for person in read.people:
            _store_member(session, contest, members, person, report)
    if relatives_csv is not None:
        roster = [Person(PersonKind.STAFF, staff_id, member.full_name, country=member.country)
                  for staff_id, member in members.items()]
        read = read_relatives(relatives_csv, roster)
        report.rejected.extend(("relatives", error) for error in read.rejected)
        on_file = {_relative_key(r.staff_id, r.full_name, r.relation, r.email, r.phone,
                                 r.address) for r in session.exec(select(DeclaredRelative)
                                 .where(DeclaredRelative.contest_id == contest.id))}
        for person in read.people:
            key = _relative_key(person.staff_id, person.full_name, person.relation,
                                ";".join(person.emails), ";".join(person.phones), person.address)
            if key in on_file:
                report.relatives_already += 1
                continue
            on_file.add(key)
            session.add(DeclaredRelative(
                contest_id=contest.id or 0, staff_id=person.staff_id,
                full_name=person.full_name, relation=person.relation,
                email=";".join(person.emails), phone=";".join(person.phones),
                address=person.address, city=person.city, postal_code=person.postal_code,
                country=person.country))
            report.relatives_added += 1
    session.flush()
    record(session, actor_id=actor_id, action="roster.import", subject=contest.slug, now=now,
           detail={"staff_added": report.staff_added, "staff_updated": report.staff_updated,
                   "relatives_added": report.relatives_added,
                   "rejected": len(report.rejected)})
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


def _store_member(session: Session, contest: Contest, members: dict[str, StaffMember],
                  person: Person, report: RosterReport) -> None:
    values: _StaffFields = {
        "full_name": person.full_name, "email": ";".join(person.emails),
        "phone": ";".join(person.phones), "birth_date": person.birth_date,
        "address": person.address, "city": person.city, "postal_code": person.postal_code,
        "country": person.country, "department": person.department,
        "company": person.company,
    }
    member = members.get(person.key)
    if member is None:
        member = StaffMember(contest_id=contest.id or 0, staff_id=person.key, **values)
        members[person.key] = member
        report.staff_added += 1
    elif all(getattr(member, name) == value for name, value in values.items()):
        report.staff_unchanged += 1
        return
    else:
        for name, value in values.items():
            setattr(member, name, value)
        report.staff_updated += 1
    session.add(member)


def _relative_key(staff_id: str, full_name: str, relation: str, emails: str, phones: str,
                  address: str) -> tuple[str, ...]:
    def values(text: str) -> str:
        return ";".join(sorted(value.lower() for value in split_values(text)))

    parts: Sequence[str] = (staff_id, " ".join(full_name.lower().split()), relation,
                            values(emails), values(phones), " ".join(address.lower().split()))
    return tuple(parts)
