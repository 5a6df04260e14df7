import dataclasses
import io
import threading
from datetime import timedelta

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from contest.entries import intake
from contest.entries.csv_import import ImportReport, import_entries_file
from contest.errors import ImportFailed
from contest.models import AuditRecord, Channel, Contest, Entry, RulesVersion
from contest.rules.document import RulesDocument
from contest.rules.versions import PublishedContest, find_published
from tests.builders import OPENS, SIGNER, make_contest, make_entry, rules_document
from tests.entries.builders import DURING, at, csv_bytes, entrant

NOW = DURING + timedelta(days=5)


def contest_for(session: Session, rules: RulesDocument) -> tuple[Contest, RulesVersion]:
    contest, version = make_contest(session, rules=rules)
    assert version is not None
    return contest, version


def run_import(session: Session, rules: RulesDocument, data: bytes,
               contest: tuple[Contest, RulesVersion] | None = None) -> ImportReport:
    contest_row, version = contest or contest_for(session, rules)
    report = import_entries_file(session, contest=PublishedContest(contest_row, version, rules),
                                 stream=io.BytesIO(data), now=NOW, signer=SIGNER)
    session.commit()
    return report


def entries(session: Session) -> list[Entry]:
    return list(session.exec(select(Entry).order_by(Entry.id)).all())


def test_every_row_that_names_someone_is_imported_and_its_bad_fields_reported(
        session: Session) -> None:
    rows = [
        entrant(entry_id="r1", submitted_at=at(DURING)),
        entrant(entry_id="r2", full_name="", email="broken", phone=None),
        entrant(entry_id="r3", email="boris@example.ru", phone="067 123 4567", country="UA",
                birth_date="1985-03-01", address="Khreshchatyk 1"),
        entrant(entry_id="r4", email="c@example.com", phone=None, birth_date="31/12/1990"),
        entrant(entry_id="r5", full_name="", email=None, phone=None, address="ul. Mira 1"),
    ]
    report = run_import(session, rules_document(), csv_bytes(rows))
    assert (report.total_rows, report.accepted, report.already_imported) == (5, 4, 0)
    assert [(e.line, e.column, e.code) for e in report.warnings] == [
        (3, "full_name", "required"), (3, "email", "invalid_email")]
    assert [(e.line, e.column, e.code) for e in report.rejected] == [(6, "", "nobody")]
    assert report.summary() == (
        "5 rows: 4 imported (3 eligible, 1 ineligible), 0 already imported, 2 fields warned "
        "about, 1 refused")
    imported = entries(session)
    assert [e.source_entry_id for e in imported] == ["r1", "r2", "r3", "r4"]
    # The broken address is kept as written; with no way to reach them, r2 does not count.
    assert (imported[1].email, imported[1].eligible, imported[1].reasons) == (
        "broken", False, ("contact_unknown",))
    assert imported[2].phone == "+380671234567"
    assert imported[3].birth_date is not None and imported[3].birth_date.isoformat() == (
        "1990-12-31")
    assert {e.channel for e in imported} == {"csv"}
    audit = session.exec(select(AuditRecord)).one()
    assert audit.action == "entries.import" and '"accepted": 4' in audit.detail

    out = io.StringIO()
    report.write_rejections_csv(out)
    assert out.getvalue().splitlines() == [
        "line,column,code,reason,kept",
        "3,full_name,required,the full name is required,yes",
        '3,email,invalid_email,"""broken"" is not an email address",yes',
        "6,,nobody,\"the row names nobody: no name, e-mail, phone or account\",no",
    ]


def test_a_row_keeps_its_moment_and_is_judged_then(session: Session) -> None:
    rows = [
        entrant(entry_id="early", submitted_at=at(OPENS - timedelta(hours=1))),
        entrant(entry_id="no-moment", email="x@example.ru", phone=None),
    ]
    report = run_import(session, rules_document(), csv_bytes(rows))
    early, undated = entries(session)
    assert report.accepted == 2 and report.ineligible == 1
    assert (early.eligible, early.reasons) == (False, ("outside_period",))
    assert early.submitted_at == OPENS - timedelta(hours=1)
    assert undated.submitted_at == NOW and undated.eligible


def test_importing_the_same_file_twice_adds_nothing(session: Session) -> None:
    rows = [entrant(entry_id="a"), entrant(email="b@example.ru", phone=None),
            entrant(email="b@example.ru", phone=None),
            entrant(email="c@example.ru", phone=None, birth_date="31.02.1990")]
    rules = rules_document(per_person=5)
    contest = contest_for(session, rules)
    first = run_import(session, rules, csv_bytes(rows), contest)
    assert (first.accepted, first.already_imported) == (3, 1)
    assert [(e.line, e.code) for e in first.warnings] == [(5, "invalid_date")]
    second = run_import(session, rules, csv_bytes(rows), contest)
    assert (second.total_rows, second.accepted, second.already_imported) == (4, 0, 4)
    assert second.warnings == []  # what was warned about when it came in is not said again
    assert len(entries(session)) == 3


def test_an_earlier_csv_row_takes_the_place_of_a_later_entry(session: Session) -> None:
    rules = rules_document(per_person=1)
    contest, version = contest_for(session, rules)
    later = make_entry(session, PublishedContest(contest, version, rules),
                       data=entrant(), channel=Channel.FORM, idempotency_key=None,
                       now=DURING + timedelta(days=1))
    session.commit()
    assert later.eligible
    report = run_import(session, rules, csv_bytes([
        entrant(entry_id="paper", email=None, submitted_at=at(DURING)),
    ]), (contest, version))
    session.expire_all()
    form_entry, paper_entry = entries(session)
    assert (paper_entry.eligible, paper_entry.reasons) == (True, ())
    assert (form_entry.eligible, form_entry.reasons) == (False, ("person_limit",))
    assert report.ineligible == 0


def test_household_and_daily_limits(session: Session) -> None:
    rules = rules_document(per_person=3, per_household=2, per_day=1)
    day = DURING
    rows = [
        entrant(entry_id="1", submitted_at=at(day)),
        entrant(entry_id="2", submitted_at=at(day + timedelta(hours=2))),
        entrant(entry_id="3", submitted_at=at(day + timedelta(days=1))),
        entrant(entry_id="4", email="son@example.ru", phone=None,
                address="UL. LENINA, 5 KV 3", submitted_at=at(day + timedelta(days=2))),
        entrant(entry_id="5", email="other@example.ru", phone=None, address="Elsewhere 1",
                submitted_at=at(day + timedelta(days=2))),
    ]
    report = run_import(session, rules, csv_bytes(rows))
    verdicts = {e.source_entry_id: e.reasons for e in entries(session)}
    assert verdicts == {"1": (), "2": ("daily_limit",), "3": (), "4": ("household_limit",),
                        "5": ()}
    assert report.ineligible == 2


def test_a_windows_1251_file_with_semicolons_is_read_and_said_so(session: Session) -> None:
    data = "ФИО;Эл. почта;Телефон;Дата рождения\nАнна Петрова;anna@example.ru;;17.05.1990\n"
    report = run_import(session, rules_document(), data.encode("cp1251"))
    assert report.accepted == 1 and report.warnings == []
    assert [str(line) for line in report.how][:2] == [
        "CSV, Windows-1251, separated by ';'",
        "columns: ФИО → full_name, Эл. почта → email, Телефон → phone, "
        "Дата рождения → birth_date"]
    stored = entries(session)[0]
    assert (stored.full_name, str(stored.birth_date)) == ("Анна Петрова", "1990-05-17")


def test_a_file_of_no_known_encoding_fails_naming_the_line(session: Session) -> None:
    data = b"full_name,email\nAnn,a@example.com\nBob\x98\x00\x81,b@example.com\n"
    with pytest.raises(ImportFailed, match="line 3"):
        run_import(session, rules_document(), data)
    assert entries(session) == []


def test_a_file_with_no_column_naming_anyone_fails_naming_its_columns(session: Session) -> None:
    rules = rules_document()
    contest = contest_for(session, rules)
    data = csv_bytes([entrant()], columns=("entry_id", "birth_date", "city"))
    with pytest.raises(ImportFailed, match="no column of the file gives any of full_name, "
                                           "email, phone, social_handle; its columns are "
                                           "entry_id, birth_date, city"):
        run_import(session, rules, data, contest)
    with pytest.raises(ImportFailed, match="the file is empty"):
        run_import(session, rules, b"", contest)
    assert entries(session) == []


def test_a_bom_extra_columns_and_only_some_columns_are_accepted(session: Session) -> None:
    data = b"\xef\xbb\xbf" + csv_bytes(
        [{"full_name": "Ann", "phone": "+1 415 555 2671", "loyalty": "gold"}],
        columns=("full_name", "phone", "loyalty"),
    )
    anyone = rules_document(min_age=0)
    anyone = dataclasses.replace(anyone, eligibility=dataclasses.replace(
        anyone.eligibility, legal_min_age=0))
    report = run_import(session, anyone, data)
    assert report.accepted == 1 and report.rejected == []
    assert entries(session)[0].phone == "+14155552671"


def test_a_row_with_more_cells_than_the_header_is_imported_and_the_extra_reported(
        session: Session) -> None:
    data = b"full_name,email\nAnn,a@example.com\nBob,b@example.com,extra\nCid\n"
    report = run_import(session, rules_document(), data)
    assert [(e.line, e.column, e.code) for e in report.warnings] == [
        (3, "", "field_count"), (4, "email", "contact_required")]
    assert report.accepted == 3 and report.rejected == []
    assert [e.full_name for e in entries(session)] == ["Ann", "Bob", "Cid"]
    assert "contact_unknown" in entries(session)[2].reasons


def test_the_only_allowed_country_reads_national_phones(session: Session) -> None:
    data = csv_bytes([{"full_name": "Oksana", "phone": "067 123 4567"}],
                     columns=("full_name", "phone"))
    report = run_import(session, rules_document(countries=("UA",)), data)
    assert report.rejected == []
    assert entries(session)[0].phone == "+380671234567"


def test_a_character_that_is_not_text_is_reported_and_left_out_of_its_field(
        session: Session) -> None:
    rows = [entrant(entry_id="r1"),
            entrant(entry_id="r2", email="b@example.ru", address="ul. Mira\x00 7"),
            entrant(entry_id="r3", email="c@example.ru", full_name="Eve\x1b[2J")]
    report = run_import(session, rules_document(), csv_bytes(rows))
    assert [(e.line, e.column, e.code) for e in report.warnings] == [
        (3, "address", "not_text"), (4, "full_name", "not_text")]
    assert "U+0000 at position 9" in report.warnings[0].text()
    stored = entries(session)
    assert [e.source_entry_id for e in stored] == ["r1", "r2", "r3"]
    assert (stored[1].address, stored[2].full_name) == ("ul. Mira 7", "Eve[2J")


def test_a_row_stamped_outside_the_years_2000_to_2999_is_kept_with_its_moment_unknown(
    session: Session
) -> None:
    """``9999-12-31T23:59:59-23:59`` is in year 10000 in UTC: judging its day in the
    contest's time zone overflowed and the whole import failed."""
    rows = [entrant(entry_id="r1", submitted_at=at(DURING)),
            entrant(entry_id="r2", email="b@example.ru",
                    submitted_at="9999-12-31T23:59:59-23:59"),
            entrant(entry_id="r3", email="c@example.ru",
                    submitted_at="0001-01-01T00:30:00+01:00")]
    rules = dataclasses.replace(rules_document(), period=dataclasses.replace(
        rules_document().period, timezone="Pacific/Kiritimati"))
    report = run_import(session, rules, csv_bytes(rows))
    assert [(e.line, e.column, e.code) for e in report.warnings] == [
        (3, "submitted_at", "moment_out_of_range"), (4, "submitted_at", "moment_out_of_range")]
    stored = entries(session)
    assert [(e.source_entry_id, e.reasons) for e in stored] == [
        ("r1", ()), ("r2", ("moment_unknown",)), ("r3", ("moment_unknown",))]
    assert stored[1].submitted_at == NOW  # when it was brought in: its own is not known


def test_an_import_reports_its_progress_after_each_batch(
        session: Session, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(intake, "BATCH_SIZE", 2)
    rules = rules_document(per_person=5)
    contest, version = contest_for(session, rules)
    rows = [entrant(entry_id=f"r{n}", email=f"p{n}@example.ru", phone=None) for n in range(5)]
    calls: list[tuple[int, int]] = []
    report = import_entries_file(session, contest=PublishedContest(contest, version, rules),
                                 stream=io.BytesIO(csv_bytes(rows)), now=NOW, signer=SIGNER,
                                 on_progress=lambda done, total: calls.append((done, total)))
    assert report.accepted == 5
    assert calls == [(2, 5), (4, 5), (5, 5)]


def test_two_imports_of_one_file_at_once_store_each_row_once(
        engine: Engine, session: Session) -> None:
    rules = rules_document(per_person=5)
    contest_for(session, rules)
    rows = [entrant(entry_id=f"r{n}", email=f"p{n}@example.ru", phone=None) for n in range(30)]
    rows += [entrant(email="no-id@example.ru", phone=None)]  # keyed by its values
    barrier = threading.Barrier(2)
    reports: list[ImportReport] = []
    failures: list[BaseException] = []

    def run() -> None:
        try:
            with Session(engine, expire_on_commit=False) as own:
                found = find_published(own, "winter-giveaway")
                assert found is not None
                barrier.wait()
                reports.append(import_entries_file(own, contest=found,
                                                   stream=io.BytesIO(csv_bytes(rows)),
                                                   now=NOW, signer=SIGNER))
                own.commit()
        except BaseException as error:  # noqa: BLE001 - reported by the test
            failures.append(error)

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    assert sorted((r.total_rows, r.accepted + r.already_imported) for r in reports) == [
        (31, 31), (31, 31)]
    assert sum(r.accepted for r in reports) == sum(r.already_imported for r in reports) == 31
    assert len(entries(session)) == 31


def test_an_address_no_rule_reads_is_kept_as_written_and_its_key_fits_its_column(
        session: Session) -> None:
    """A 254-character address that no rule reads keeps the row; its key, behind the mark of
    a written contact, would be one character too long for ``entries.email_key``
    (PostgreSQL refuses it, and the whole import with it): it is hashed, as every key is."""
    long_one = "x" * 200 + "@" + "y" * 52 + "_"
    rows = [entrant(entry_id="r1", email=long_one, phone=None),
            entrant(entry_id="r2", email="ivan@@mail", phone="+1 466 555 0123")]
    report = run_import(session, rules_document(), csv_bytes(rows))
    assert report.accepted == 2 and report.rejected == []
    assert [(e.line, e.code) for e in report.warnings] == [
        (2, "invalid_email"), (3, "invalid_email"), (3, "invalid_phone")]
    first, second = entries(session)
    assert first.email == long_one and first.email_key is not None
    assert first.email_key.startswith("sha256:")
    assert (second.email, second.email_key, second.phone) == ("ivan@@mail", None,
                                                              "+1 466 555 0123")
    assert first.reasons == ("contact_unknown",) and second.reasons == ("contact_unknown",)


def test_a_preview_shows_the_first_rows_as_they_will_be_stored_and_stores_nothing(
        session: Session) -> None:
    from zoneinfo import ZoneInfo

    from contest.entries.csv_import import preview_entries_file
    from contest.spreadsheet.table import Reading

    rules = dataclasses.replace(rules_document(), period=dataclasses.replace(
        rules_document().period, timezone="Europe/Moscow"))
    contest_row, version = contest_for(session, rules)
    found = PublishedContest(contest_row, version, rules)
    data = ("Фамилия;Имя;Контакт;Дата рождения;Дата и время;Страна;Должность\n"
            "Петрова;Анна;+7 916 123-45-67;05.06.1963;02.12.2026 19:40;Россия;менеджер\n"
            "Сидоров;Олег;o@@mail;31.02.1990;;RU;\n"
            ";;;;;;водитель\n").encode("cp1251")
    preview = preview_entries_file(data, contest=found, name="участники.csv")
    assert [str(line) for line in preview.how][:3] == [
        "CSV, Windows-1251, separated by ';'",
        "columns: Фамилия + Имя → full_name, Дата рождения → birth_date, "
        "Дата и время → submitted_at, Страна → country",
        "not read: Контакт, Должность"]
    assert preview.rows[0] == (2, {
        "full_name": "Петрова Анна", "birth_date": "1963-06-05",
        "submitted_at": "2026-12-02T19:40:00+03:00", "country": "RU"})
    assert (preview.total_rows, [e.line for e in preview.refused]) == (3, [4])
    assert not preview.failed
    said = preview_entries_file(data, contest=found, name="участники.csv",
                                reading=Reading(said={"Контакт": "phone"},
                                                zone=ZoneInfo("UTC")))
    assert said.rows[0][1]["phone"] == "+7 916 123-45-67"
    assert said.rows[0][1]["submitted_at"] == "2026-12-02T19:40:00+00:00"
    assert [(e.line, e.column, e.code) for e in said.warnings] == [
        (3, "Контакт", "unreadable_phone"), (3, "Дата рождения", "invalid_date")]
    assert entries(session) == []
