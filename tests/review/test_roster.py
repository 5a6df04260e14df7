"""Importing a contest's staff roster and declared relatives: checked rows, updates, reruns."""

import pytest
from sqlmodel import Session, col, select

from contest.errors import ImportFailed
from contest.fraud.roster import contest_roster, import_roster
from contest.models import AuditRecord, DeclaredRelative, StaffMember
from tests.builders import OPENS, make_contest
from tests.review.builders import RELATIVES_CSV, STAFF_CSV


def test_a_roster_and_its_relatives_are_stored(session: Session) -> None:
    contest, _ = make_contest(session)
    report = import_roster(session, contest=contest, staff=STAFF_CSV,
                           relatives=RELATIVES_CSV, now=OPENS)
    assert (report.staff_added, report.relatives_added, report.rejected) == (2, 1, [])
    ivan = session.exec(select(StaffMember).where(StaffMember.staff_id == "S1")).one()
    assert ivan.email == "i.ivanov@snowfall.ru;ivan.ivanov@gmail.com"
    assert (ivan.department, ivan.company, str(ivan.birth_date)) == ("Sales", "Snowfall",
                                                                      "1980-05-01")
    mary = session.exec(select(DeclaredRelative)).one()
    assert (mary.staff_id, mary.full_name, mary.relation) == ("S2", "Mary Smith", "spouse")
    assert session.exec(select(AuditRecord.action)).all() == ["roster.import"]


def test_importing_the_same_files_again_changes_nothing(session: Session) -> None:
    contest, _ = make_contest(session)
    import_roster(session, contest=contest, staff=STAFF_CSV, relatives=RELATIVES_CSV,
                  now=OPENS)
    again = import_roster(session, contest=contest, staff=STAFF_CSV,
                          relatives=RELATIVES_CSV, now=OPENS)
    assert (again.staff_added, again.staff_updated, again.staff_unchanged) == (0, 0, 2)
    assert (again.relatives_added, again.relatives_already) == (0, 1)
    assert len(session.exec(select(StaffMember)).all()) == 2
    assert len(session.exec(select(DeclaredRelative)).all()) == 1


def test_a_member_sent_again_is_updated_and_nobody_is_removed(session: Session) -> None:
    contest, _ = make_contest(session)
    import_roster(session, contest=contest, staff=STAFF_CSV, relatives=None, now=OPENS)
    changed = (b"staff_id,full_name,phone\n"
               b"S2,John Smith,+1 212 555 0199\n")
    report = import_roster(session, contest=contest, staff=changed, relatives=None,
                           now=OPENS)
    assert (report.staff_added, report.staff_updated) == (0, 1)
    staff = session.exec(select(StaffMember).order_by(col(StaffMember.staff_id))).all()
    assert [(m.staff_id, m.phone) for m in staff] == [
        ("S1", "+7 916 123-45-67"), ("S2", "+1 212 555 0199")]


def test_every_bad_field_is_reported_and_nobody_is_left_out(session: Session) -> None:
    contest, _ = make_contest(session)
    staff = (b"staff_id,full_name,email,birth_date\n"
             b"S1,Ivan Ivanov,not-an-address,1980-05-01\n"
             b"S2,John Smith,john@snowfall.com,31.02.1975\n"
             b"S3,Kate Brown,kate@snowfall.com,\n")
    relatives = (b"staff_id,full_name,relation\n"
                 b"S3,Tom Brown,cousin\n"
                 b"S9,Ann Nobody,spouse\n"
                 b"S3,Lily Brown,child\n")
    report = import_roster(session, contest=contest, staff=staff, relatives=relatives,
                           now=OPENS)
    assert (report.staff_added, report.relatives_added) == (3, 3)
    found = {(which, error.line, error.column, error.code) for which, error in report.warnings}
    assert found == {("staff", 2, "email", "invalid_email"),
                     ("staff", 3, "birth_date", "invalid_date"),
                     ("relatives", 2, "relation", "invalid_relation"),
                     ("relatives", 3, "staff_id", "unknown_staff")}
    assert report.rejected == [] and not report.failed
    members = {m.staff_id: m for m in session.exec(select(StaffMember)).all()}
    assert (members["S1"].email, members["S2"].birth_date) == ("not-an-address", None)
    relations = {r.full_name: (r.staff_id, r.relation)
                 for r in session.exec(select(DeclaredRelative)).all()}
    assert relations == {"Tom Brown": ("S3", "other"), "Ann Nobody": ("S9", "spouse"),
                         "Lily Brown": ("S3", "child")}
    assert "staff: 3 added" in report.summary()
    assert "сотрудники: 3 добавлено" in report.summary("ru")


def test_a_roster_without_staff_ids_names_each_member_by_their_line(
        session: Session) -> None:
    contest, _ = make_contest(session)
    report = import_roster(session, contest=contest, staff=b"name,email\nIvan,i@x.ru\n",
                           relatives=None, now=OPENS)
    assert report.staff_added == 1 and report.warnings == []
    assert session.exec(select(StaffMember.staff_id)).all() == ["L2"]


def test_a_file_with_no_column_naming_anyone_is_refused_whole(session: Session) -> None:
    contest, _ = make_contest(session)
    with pytest.raises(ImportFailed, match="no column of the file gives any of full_name, "
                                           "email, phone, account; its columns are id, "
                                           "department"):
        import_roster(session, contest=contest, staff=b"id,department\n1,Sales\n",
                      relatives=None, now=OPENS)


def test_a_character_that_is_not_text_is_reported_and_left_out_of_its_field(
        session: Session) -> None:
    contest, _ = make_contest(session)
    staff = (b"staff_id,full_name,email,department\n"
             b"S1,Ivan Ivanov,ivan\x00@snowfall.ru,Sales\n"
             b"S2,John Smith,john@snowfall.com,Sales\x1b[31m\n"
             b"S3,Kate Brown,kate@snowfall.com,Sales\n")
    relatives = "staff_id,full_name,relation\nS3,Tom\ufffe Brown,sibling\n".encode()
    report = import_roster(session, contest=contest, staff=staff, relatives=relatives,
                           now=OPENS)
    session.flush()
    found = [(which, error.line, error.column, error.code) for which, error in report.warnings]
    assert found == [("staff", 2, "email", "not_text"), ("staff", 3, "department", "not_text"),
                     ("relatives", 2, "full_name", "not_text")]
    assert "U+0000" in report.warnings[0][1].text()
    members = session.exec(select(StaffMember).order_by(StaffMember.staff_id)).all()
    assert [(m.staff_id, m.email, m.department) for m in members] == [
        ("S1", "ivan@snowfall.ru", "Sales"), ("S2", "john@snowfall.com", "Sales[31m"),
        ("S3", "kate@snowfall.com", "Sales")]
    assert [r.full_name for r in session.exec(select(DeclaredRelative)).all()] == ["Tom Brown"]


def test_the_roster_of_a_contest_is_its_own_staff_and_relatives_by_staff_id(
        session: Session) -> None:
    contest, _ = make_contest(session)
    other, _ = make_contest(session, slug="spring-giveaway")
    relatives = RELATIVES_CSV + b"S1,Petr Ivanov,child,petr@example.ru,,,,,\n"
    import_roster(session, contest=contest, staff=STAFF_CSV, relatives=relatives,
                  now=OPENS)
    import_roster(session, contest=other, staff=STAFF_CSV, relatives=None, now=OPENS)
    roster = contest_roster(session, contest)
    assert [m.staff_id for m in roster.members] == ["S1", "S2"]
    assert {m.contest_id for m in roster.members} == {contest.id}
    assert [(r.staff_id, r.full_name) for r in roster.relatives] == [
        ("S1", "Petr Ivanov"), ("S2", "Mary Smith")]
    assert contest_roster(session, other).relatives == ()


def test_a_value_longer_than_its_column_is_cut_and_said_and_the_person_kept(
        session: Session) -> None:
    """PostgreSQL refuses a value longer than its column, and with it the whole roster."""
    contest, _ = make_contest(session)
    long_company = "ООО «" + "Очень длинное название" * 20 + "»"
    staff = ("staff_id,full_name,postal_code,company\n"
             f"S1,Ivan Ivanov,101000 Moscow Russia Federation,{long_company}\n").encode()
    relatives = ("staff_id,full_name,relation,city\n"
                 f"S1,Olga Ivanova,spouse,{'Москва' * 40}\n").encode()
    report = import_roster(session, contest=contest, staff=staff, relatives=relatives,
                           now=OPENS)
    session.commit()
    assert sorted((which, e.line, e.column, e.code) for which, e in report.warnings) == [
        ("relatives", 2, "city", "too_long"), ("staff", 2, "company", "too_long"),
        ("staff", 2, "postal_code", "too_long")]
    member = session.exec(select(StaffMember)).one()
    assert member.postal_code == "101000 Moscow Russia" and len(member.company) == 300
    assert len(session.exec(select(DeclaredRelative)).one().city) == 200
