"""Receipts: the public ticket page names no one; the entrant's private link shows their own
name and reason.

The public record pairs every ticket with its exclusion reason (the log's auditor decisions,
the bundle's excluded list), so a page anyone can open by ticket must not name the person.
"""

import re
from datetime import timedelta

from flask import Flask
from sqlmodel import Session, select

from contest.draw.service import current_winners, find_draw, replace_winner
from contest.fraud.review import Decision, decide, flag_queue, scan_contest
from contest.ledger.receipts import receipt_key
from contest.masking import mask_name
from contest.models import Entry
from tests.builders import OPENS, consented, make_contest
from tests.draw.builders import DUE, drawn
from tests.fixtures import Browser, Clock
from tests.review.builders import contest_with_roster

LATER = OPENS + timedelta(days=1)
FORM = "/contests/winter-giveaway/enter"
ANNA = consented() | {"full_name": "Смирнова Анна Петровна", "email": "anna@example.ru",
        "birth_date": "1990-04-12", "country": "RU", "idempotency_token": "tok-anna"}


def excluded_proxy(app: Flask, db: Session) -> str:
    """The ticket of Olga Sidorova, excluded as entered on behalf of an employee."""
    contest, tickets = contest_with_roster(db)
    scan_contest(db, contest=contest, now=LATER)
    proxy = flag_queue(db, contest=contest, kind="proxy")[0]
    decide(db, contest=contest, flag_ids=[proxy.flag.id or 0], decision=Decision.CONFIRM,
           reason="Olga is the front for Ivan", actor_id=None, now=LATER,
           signer=app.extensions["contest.signer"])
    db.commit()
    return tickets["proxy"]


def test_the_public_ticket_page_of_an_excluded_entry_names_no_one(
        app: Flask, client: Browser, db: Session, clock: Clock) -> None:
    clock.now = LATER
    ticket = excluded_proxy(app, db)
    answer = client.get(f"/receipts/{ticket}")
    assert answer.status_code == 200
    page = answer.get_data(as_text=True)
    assert ticket in page and "contest-receipt/2" in page
    assert "entered on behalf of an employee" in page  # as the public log says of the ticket
    for shown in ("Olga", "Sidorova", "O. S.", "Olga S."):
        assert shown not in page, shown


def test_the_entrant_sees_their_own_name_and_reason_at_their_private_link(
        app: Flask, client: Browser, db: Session, clock: Clock) -> None:
    clock.now = LATER
    ticket = excluded_proxy(app, db)
    key = receipt_key(ticket, str(app.secret_key).encode())
    page = client.get(f"/receipts/{ticket}/{key}").get_data(as_text=True)
    assert "Olga S." in page and "Sidorova" not in page and "olga.s@mail.ru" not in page
    assert "entered on behalf of an employee" in page and ticket in page
    assert client.get(f"/receipts/{ticket}/{key}").headers["Cache-Control"] == "no-store"


def test_the_form_sends_the_entrant_to_their_private_link(client: Browser, db: Session,
                                                         clock: Clock) -> None:
    make_contest(db)
    clock.now = LATER
    answer = client.submit(FORM, ANNA)
    assert answer.status_code == 303
    match = re.fullmatch(r"/receipts/([0-9a-f]{32})/([A-Za-z0-9_-]{22})", answer.location)
    assert match, answer.location
    ticket, key = match.groups()
    private = client.get(answer.location).get_data(as_text=True)
    assert "Анна С." in private and "<h1>You are in the draw</h1>" in private
    assert "Смирнова" not in private and "anna@example.ru" not in private
    public = client.get(f"/receipts/{ticket}").get_data(as_text=True)
    assert "Анна" not in public and "<h1>This entry is in the draw</h1>" in public
    assert client.submit(FORM, ANNA).location == answer.location  # a double submit, one link


def test_a_private_link_opens_only_with_its_own_key(app: Flask, client: Browser, db: Session,
                                                    clock: Clock) -> None:
    make_contest(db)
    clock.now = LATER
    first = client.submit(FORM, ANNA).location
    second = client.submit(FORM, {**ANNA, "full_name": "Ivan Petrov", "email": "i@example.com",
                                  "idempotency_token": "tok-ivan"}).location
    ticket, key = first.split("/")[2:]
    other_key = second.split("/")[3]
    for url in (f"/receipts/{ticket}/{other_key}", f"/receipts/{ticket}/{'A' * 22}",
                f"/receipts/{ticket}/{key[:-1]}", f"/receipts/{'0' * 32}/{key}",
                f"/receipts/{ticket}/{key.upper()}"):
        answer = client.get(url)
        assert answer.status_code == 404, url
        assert "Анна" not in answer.get_data(as_text=True)
    assert client.get(first).status_code == 200


def test_the_api_gives_the_private_link_as_receipt_url(client: Browser, db: Session,
                                                       clock: Clock) -> None:
    make_contest(db)
    clock.now = LATER
    body = client.post("/api/contests/winter-giveaway/entries", json={
        "full_name": "Никонов Платон Харламович", "email": "platon@example.ru",
        "birth_date": "1990-01-01", "country": "RU"} | consented()).get_json()
    assert set(body) >= {"ticket", "contest", "rules_sha256", "received_at", "eligible",
                         "reasons", "receipt_url", "signed_receipt", "message", "ticket_url"}
    assert body["ticket_url"].endswith(f"/receipts/{body['ticket']}")
    assert re.search(rf"/receipts/{body['ticket']}/[A-Za-z0-9_-]{{22}}$", body["receipt_url"])
    private = client.get(body["receipt_url"]).get_data(as_text=True)
    assert "Платон Н." in private and "Никонов" not in private
    public = client.get(body["ticket_url"]).get_data(as_text=True)
    assert "Платон" not in public and body["ticket"] in public


GIVEN_NAMES = ["Platon", "Taras", "Olga", "Hryhorii", "Iuliia", "Fedir", "Zlata", "Makar"]


def test_a_replaced_winners_name_is_nowhere_near_the_reason(app: Flask, client: Browser,
                                                            db: Session, clock: Clock) -> None:
    contest = drawn(db, app.extensions["contest.signer"])
    for number, entry in enumerate(db.exec(select(Entry)).all()):
        entry.full_name = f"Nikonov {GIVEN_NAMES[number % 8]}{'x' * (number // 8)} Petrovich"
        db.add(entry)
    db.commit()
    clock.now = DUE + timedelta(hours=1)
    record = find_draw(db, contest)
    assert record is not None
    ticket = current_winners(db, record)[0]
    replace_winner(db, contest=contest, ticket=ticket, reason="employee", now=clock.now,
                   signer=app.extensions["contest.signer"])
    db.commit()
    entry = db.exec(select(Entry).where(Entry.ticket == ticket)).one()
    masked = mask_name(entry.full_name)
    assert masked.endswith(" N.")  # the given name: each entrant's is their own
    slug = contest.slug
    results = client.get(f"/contests/{slug}/results").get_data(as_text=True)
    assert mask_name(db.exec(select(Entry).where(
        Entry.ticket == current_winners(db, record)[0])).one().full_name) in results
    bundle = client.get(f"/contests/{slug}/draw.json").get_json()
    assert bundle["replacements"][0]["ticket"] == ticket  # the public pairs ticket and reason
    for url in (f"/contests/{slug}/results", f"/contests/{slug}/results?ticket={ticket}",
                f"/receipts/{ticket}", f"/contests/{slug}/draw.json", f"/contests/{slug}/verify",
                f"/contests/{slug}"):
        page = client.get(url).get_data(as_text=True)
        assert masked not in page and "Nikonov" not in page, url


def test_a_ticket_no_entry_has_is_not_found_in_the_persons_language(
        client: Browser, db: Session, clock: Clock) -> None:
    make_contest(db)
    clock.now = LATER
    ticket = client.submit(FORM, ANNA).location.split("/")[2]
    assert client.get(f"/receipts/{ticket.upper()}").status_code == 200
    answer = client.get(f"/receipts/{'0' * 32}", headers={"Accept-Language": "en"})
    assert answer.status_code == 404
    assert "no entry has this ticket" in answer.get_data(as_text=True)
    answer = client.get(f"/receipts/{'0' * 32}", headers={"Accept-Language": "uk"})
    assert answer.status_code == 404
    assert "немає заявки з таким квитком" in answer.get_data(as_text=True)
