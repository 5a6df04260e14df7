import csv
import io
from datetime import timedelta

from sqlmodel import Session, select

from contest.entries.csv_import import import_entries_file
from contest.entries.export import export_entries_csv
from contest.entries.submission import COLUMNS
from contest.models import Channel, Entry
from contest.rules.versions import PublishedContest
from tests.builders import SIGNER, make_contest, make_entry, rules_document
from tests.entries.builders import DURING, at, csv_bytes, entrant

PERSON_FIELDS = ("full_name", "email", "email_key", "phone", "birth_date", "address", "city",
                 "postal_code", "country", "household_key", "ip", "device_id", "social_handle",
                 "submitted_at", "eligible", "reasons")


def test_export_then_import_into_another_contest_round_trips(session: Session) -> None:
    rules = rules_document(per_person=1)
    source, source_version = make_contest(session, slug="source", rules=rules)
    target, target_version = make_contest(session, slug="target", rules=rules)
    assert source.id is not None and source_version and target_version
    import_entries_file(session, contest=PublishedContest(source, source_version, rules),
                        stream=io.BytesIO(csv_bytes([
                           entrant(entry_id="paper-1", submitted_at=at(DURING), ip="10.0.0.1",
                                   device_id="dev-1", social_handle="@anna"),
                           entrant(entry_id="paper-2", full_name='Olga "Ola", Jr.',
                                   email="olga@example.ru", phone=None, birth_date="2012-01-01",
                                   submitted_at=at(DURING + timedelta(hours=1))),
                       ])), now=DURING + timedelta(days=1), signer=SIGNER)
    form = make_entry(session, PublishedContest(source, source_version, rules),
                      data=entrant(email="anna@example.ru", phone=None), channel=Channel.FORM,
                      idempotency_key=None, now=DURING + timedelta(days=2))
    session.commit()

    out = io.StringIO()
    assert export_entries_csv(session, contest=source, out=out) == 3
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert tuple(rows[0]) == COLUMNS
    assert [row["entry_id"] for row in rows] == ["paper-1", "paper-2", form.ticket]
    assert rows[0]["submitted_at"] == "2026-12-02T09:00:00+00:00"

    report = import_entries_file(session,
                                 contest=PublishedContest(target, target_version, rules),
                                 stream=io.BytesIO(out.getvalue().encode()),
                                 now=DURING + timedelta(days=3), signer=SIGNER)
    session.commit()
    assert (report.accepted, report.rejected) == (3, [])

    def people(contest_id: int | None) -> list[tuple[object, ...]]:
        found = session.exec(select(Entry).where(Entry.contest_id == contest_id)
                             .order_by(Entry.id)).all()
        return [tuple(getattr(entry, name) for name in PERSON_FIELDS) for entry in found]

    assert people(target.id) == people(source.id)
    assert [e.reasons for e in session.exec(select(Entry).where(
        Entry.contest_id == target.id).order_by(Entry.id))] == [
            (), ("under_age",), ("person_limit",)]


def test_an_empty_contest_exports_only_the_header(session: Session) -> None:
    contest, _ = make_contest(session)
    out = io.StringIO()
    assert export_entries_csv(session, contest=contest, out=out) == 0
    assert out.getvalue() == ",".join(COLUMNS) + "\n"
