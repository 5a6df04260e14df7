"""Steps for features/complaint_desk.feature."""

import json
import re
from datetime import UTC, datetime

from flask import Flask
from pytest_bdd import given, parsers, scenarios, then, when
from sqlmodel import Session, select

from contest.accounts import create_user
from contest.draw.service import current_winners, find_draw
from contest.fraud.roster import import_roster
from contest.ledger.store import log_size, read_entries
from contest.models import Contest, Entry
from tests.builders import SIGNER
from tests.draw.builders import drawn
from tests.fixtures import Browser, Clock

scenarios("complaint_desk.feature")

AUDITOR = {"email": "olena@audit.example", "password": "auditing-pass-1"}
SLUG = "winter-giveaway"
COMPLAINT = {"contact": "anna@example.com", "kind": "not_included",
             "text": "I entered on Thursday and my entry is not on the list."}


@given(parsers.parse("it is {weekday} {day:d} {month} {year:d}, {hour:d}:00 in the sponsor's "
                     "time zone"))
def it_is(clock: Clock, weekday: str, day: int, month: str, year: int, hour: int) -> None:
    # The test rules keep the sponsor's clock in UTC.
    clock.now = datetime.strptime(f"{day} {month} {year} {hour}", "%d %B %Y %H").replace(
        tzinfo=UTC)
    assert clock.now.strftime("%A") == weekday


@given("a person complains through the form that their entry was not included")
@when("a person complains through the form that their entry was not included")
def complains(client: Browser, page: dict[str, str]) -> None:
    sent = client.submit(f"/contests/{SLUG}/complaints", COMPLAINT)
    assert sent.status_code == 303
    page["html"] = client.get(sent.headers["Location"]).get_data(as_text=True)


@then(parsers.parse("they see complaint number {number:d} acknowledged on screen"))
def acknowledged(page: dict[str, str], number: int) -> None:
    assert f"Complaint {number}" in page["html"]
    assert "Your complaint is received." in page["html"]


@then(parsers.parse("the answer is due by the end of {weekday} {day:d} {month} {year:d}"))
def due_by(page: dict[str, str], weekday: str, day: int, month: str, year: int) -> None:
    due = datetime.strptime(f"{day} {month} {year}", "%d %B %Y")
    assert due.strftime("%A") == weekday
    assert f'data-due="{due.date().isoformat()}T23:59:59+00:00"' in page["html"]


@then("the public log records the acknowledgement with the number, kind and moments only")
def logged(db: Session) -> None:
    leaves = [json.loads(row.leaf) for row in read_entries(db, 0, log_size(db))]
    [event] = [leaf for leaf in leaves if leaf["type"] == "complaint.acknowledged"]
    assert set(event) == {"type", "contest", "number", "kind", "received_at", "due_at", "at"}
    assert event["number"] == 1 and event["kind"] == "not_included"
    assert "anna@example.com" not in json.dumps(leaves)


@given("a signed-in auditor")
def signed_in_auditor(client: Browser, db: Session, clock: Clock) -> None:
    create_user(db, name="Olena", role="auditor", actor_id=None, now=clock.now, **AUDITOR)
    db.commit()
    assert client.sign_in(AUDITOR["email"], AUDITOR["password"]).status_code == 302


@when(parsers.parse("it is {weekday} {day:d} {month} {year:d} and nobody has answered"))
def days_pass(clock: Clock, weekday: str, day: int, month: str, year: int) -> None:
    clock.now = datetime.strptime(f"{day} {month} {year} 9", "%d %B %Y %H").replace(tzinfo=UTC)
    assert clock.now.strftime("%A") == weekday


@then(parsers.parse("the auditor's queue shows complaint {number:d} as overdue"))
def queue_overdue(client: Browser, number: int) -> None:
    html = client.get(f"/audit/contests/{SLUG}/complaints").get_data(as_text=True)
    row = re.search(rf'<tr class="overdue">\s*<td><a [^>]*>{number}</a>', html)
    assert row is not None, "complaint is not marked overdue"


@then(parsers.parse("the contest's complaints page shows {count:d} complaint waiting, overdue"))
def public_overdue(client: Browser, count: int) -> None:
    html = client.get(f"/contests/{SLUG}/complaints").get_data(as_text=True)
    assert re.search(rf'data-figure="open">{count} \({count} overdue\)<', html)


@given("a drawn contest whose first winner entered with a staff member's e-mail",
       target_fixture="contest")
def drawn_contest(app: Flask, db: Session, clock: Clock) -> Contest:
    contest = drawn(db, app.extensions.get("contest.signer", SIGNER))
    record = find_draw(db, contest)
    assert record is not None and record.drawn_at is not None
    first = db.exec(select(Entry).where(
        Entry.ticket == current_winners(db, record)[0])).one()
    staff = ("staff_id,full_name,email,phone,birth_date,address,city,postal_code,country,"
             f"department,company\nS7,Petr Petrov,{first.email},,1970-01-01,,,,US,Sales,"
             "Snowfall\n")
    import_roster(db, contest=contest, staff=staff.encode(), relatives=None,
                  now=record.drawn_at)
    db.commit()
    clock.now = record.drawn_at.replace(microsecond=0)
    return contest


@when("a person complains through the API that a winner is staff or a front person")
def complains_about_winner(client: Browser, contest: Contest) -> None:
    answer = client.post(f"/api/contests/{contest.slug}/complaints", json={
        "contact": "watcher@example.com", "kind": "winner_staff_or_proxy",
        "text": "The first winner is the sales manager's front."})
    assert answer.status_code == 201, answer.get_data(as_text=True)


@when("the auditor opens the complaint")
def opens(client: Browser, contest: Contest, page: dict[str, str]) -> None:
    page["html"] = client.get(f"/audit/contests/{contest.slug}/complaints/1").get_data(
        as_text=True)


@then(parsers.parse('the re-check shows a "{kind}" flag on the first winner'))
def recheck_shows(db: Session, contest: Contest, page: dict[str, str], kind: str) -> None:
    record = find_draw(db, contest)
    assert record is not None
    winners = current_winners(db, record)
    item = re.search(rf'<li data-recheck="{winners[0]}">(.*?)</li>', page["html"], re.S)
    assert item is not None, "the first winner was not re-checked"
    assert f"<strong>{kind}</strong>" in item.group(1)
    assert "S7" in item.group(1)
    for other in winners[1:]:
        assert f'data-recheck="{other}"' in page["html"]
