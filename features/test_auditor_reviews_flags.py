"""Steps for features/auditor_reviews_flags.feature."""

import io
import json
import re
from datetime import timedelta

from openpyxl import Workbook
from pytest_bdd import given, parsers, scenarios, then, when
from sqlmodel import Session, select

from contest.accounts import create_user
from contest.ledger.store import log_size, read_entries
from contest.models import Channel, Contest, Entry, FraudFlag, StaffMember
from contest.rules.versions import find_published
from tests.builders import OPENS, make_entry
from tests.fixtures import Browser, Clock
from tests.review.builders import ENTRANTS, STAFF_CSV, contest_with_roster

scenarios("auditor_reviews_flags.feature")

AUDITOR = {"email": "olena@audit.example", "password": "auditing-pass-1"}


@given("a signed-in auditor")
def signed_in_auditor(client: Browser, db: Session, clock: Clock) -> None:
    create_user(db, name="Olena", role="auditor", actor_id=None, now=clock.now, **AUDITOR)
    db.commit()
    assert client.sign_in(AUDITOR["email"], AUDITOR["password"]).status_code == 302


@given("an open contest with entries from Ivan Ivanov, Olga Sidorova, John Smith and "
       "Anna Kowalski", target_fixture="contest")
def open_contest(db: Session) -> Contest:
    contest, _ = contest_with_roster(db)
    return contest


@given("the auditor imports the staff roster with Ivan Ivanov and John Smith")
def imports_roster(client: Browser, contest: Contest) -> None:
    # The builder loaded it already; importing the same file again through the page must
    # change nothing, which is what a second upload of a roster looks like.
    page = client.submit(f"/audit/contests/{contest.slug}/staff",
                         {"staff": (io.BytesIO(STAFF_CSV), "staff.csv")},
                         content_type="multipart/form-data").get_data(as_text=True)
    assert "staff: 0 added, 0 updated, 2 unchanged" in page
    assert "Иванов Иван Иванович" in page and "John Smith" in page


@when("the auditor scans the entries")
def scans(client: Browser, contest: Contest, page: dict[str, str]) -> None:
    response = client.submit(f"/audit/contests/{contest.slug}/scan", follow_redirects=True)
    assert response.status_code == 200
    page["html"] = response.get_data(as_text=True)


def _flag_on(db: Session, name: str) -> FraudFlag | None:
    return db.exec(select(FraudFlag).join(Entry).where(Entry.full_name == name)).first()


@then(parsers.parse('the queue shows a "{kind}" flag on {name}\'s entry'))
def queue_shows(db: Session, page: dict[str, str], kind: str, name: str) -> None:
    row = re.search(rf"<tr>(?:(?!</tr>).)*{re.escape(name)}(?:(?!</tr>).)*</tr>", page["html"],
                    re.S)
    assert row is not None, f"{name} is not in the queue"
    assert f"<td>{kind}</td>" in row.group(0)
    flag = _flag_on(db, name)
    assert flag is not None and flag.kind == kind


@when("the auditor opens that flag")
def opens_flag(client: Browser, db: Session, contest: Contest, page: dict[str, str]) -> None:
    flag = _flag_on(db, "Olga Sidorova")
    assert flag is not None
    page["flag"] = str(flag.id)
    page["html"] = client.get(f"/audit/contests/{contest.slug}/flags/{flag.id}").get_data(
        as_text=True)


@then(parsers.parse("the evidence shows {name}'s entry sharing a phone with staff member "
                    "{staff_id}"))
def evidence_shows(page: dict[str, str], name: str, staff_id: str) -> None:
    html = page["html"]
    assert "<svg" in html and 'role="img"' in html
    assert re.search(rf"Entrant {name} and staff member [^<]*\({staff_id}\) gave the same "
                     r"phone: \+79161234567\.", html)


@when("the auditor confirms the flag")
def confirms(client: Browser, contest: Contest, page: dict[str, str]) -> None:
    done = client.submit(f"/audit/contests/{contest.slug}/flags/decide",
                         {"flag": page["flag"], "decision": "confirm"}, follow_redirects=True)
    assert "1 flag confirmed: the entry is excluded." in done.get_data(as_text=True)


@then(parsers.parse('{name}\'s entry is excluded with the reason "{reason}"'))
def excluded(db: Session, name: str, reason: str) -> None:
    db.expire_all()
    entry = db.exec(select(Entry).where(Entry.full_name == name)).one()
    assert (entry.eligible, entry.reasons) == (False, (reason,))


@then(parsers.parse('the public log records the decision with her ticket and the reason '
                    '"{reason}" only'))
def logged(db: Session, reason: str) -> None:
    entry = db.exec(select(Entry).where(Entry.full_name == "Olga Sidorova")).one()
    last = json.loads(read_entries(db, 0, log_size(db))[-1].leaf)
    assert last["type"] == "auditor.decision"
    assert (last["ticket"], last["reason"]) == (entry.ticket, reason)
    text = json.dumps(last, ensure_ascii=False)
    for value in ENTRANTS["proxy"].values():
        if value not in ("RU",):
            assert value not in text


@then(parsers.parse("no flag is raised on the entry of {name} born {born}"))
def not_flagged(db: Session, page: dict[str, str], name: str, born: str) -> None:
    entry = db.exec(select(Entry).where(Entry.full_name == name)).one()
    assert str(entry.birth_date) == born
    assert _flag_on(db, name) is None
    assert entry.ticket[:12] not in page["html"]
    assert "Scan done: 2 open flags" in page["html"]


@given(parsers.parse('{name} entered with the e-mail "{email}"'))
def entered_with(db: Session, contest: Contest, name: str, email: str) -> None:
    found = find_published(db, contest)
    assert found is not None
    make_entry(db, found, data={"full_name": name, "email": email, "birth_date": "1994-04-04",
                                "country": "RU"},
               channel=Channel.API, idempotency_key=None, now=OPENS + timedelta(hours=9))
    db.commit()


@when(parsers.parse("the auditor uploads the HR workbook where {full_name} ({staff_id}) has "
                    'the phone "{phone}" and the e-mail "{email}"'))
def uploads_workbook(client: Browser, contest: Contest, page: dict[str, str], full_name: str,
                     staff_id: str, phone: str, email: str) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Табельный номер", "Фамилия", "Имя", "Отчество", "Личный телефон",
                  "Личная почта", "Страна"])
    sheet.append(["S1", "Иванов", "Иван", "Иванович", "+7 916 123-45-67",
                  "ivan.ivanov@gmail.com", "Россия"])
    sheet.append(["S2", "Smith", "John", None, "(212) 555-0100", "john.smith@snowfall.com",
                  "США"])
    surname, given_name, patronymic = full_name.split()
    sheet.append([staff_id, surname, given_name, patronymic, phone, email, "Россия"])
    workbook = io.BytesIO()
    book.save(workbook)
    response = client.submit(f"/audit/contests/{contest.slug}/staff",
                             {"staff": (io.BytesIO(workbook.getvalue()), "сотрудники.xlsx")},
                             content_type="multipart/form-data")
    assert response.status_code == 200
    page["html"] = response.get_data(as_text=True)


@then(parsers.parse('the page says "{text}"'))
def page_says(page: dict[str, str], text: str) -> None:
    assert text in page["html"], page["html"]


@then(parsers.parse("the roster lists {full_name}"))
def roster_lists(db: Session, page: dict[str, str], full_name: str) -> None:
    assert full_name in page["html"]
    assert db.exec(select(StaffMember).where(StaffMember.full_name == full_name)).one()
