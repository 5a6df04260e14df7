"""One idea of "the same person" at intake: another spelling of one mailbox, phone or home
counts against the entry limits, the entrant's receipt says so at once, and the fraud scan
ties the same entries (issue 16).

The rule is :mod:`contest.identity.ties`: a shared mailbox or phone makes two entries one
person, whatever names come with it, for the limits and for the scan's duplicate detector
alike; a shared device is a signal the limits never count, which the scan flags for the
auditor (under names alike) and the receipt reports only once the auditor confirms it.

Every entry here is sent as the entrant sends it, through the JSON API or the entry form;
the auditor scans (:func:`contest.fraud.review.scan_contest`) and decides in the browser.
"""

from datetime import timedelta

import pytest
from sqlmodel import Session

from contest.entries.intake import Arrival, TakenEntry, take_entries
from contest.fraud.review import flag_queue, recheck_tickets, scan_contest
from contest.models import Channel, Contest
from contest.rules.versions import published_contest
from tests.builders import OPENS, SIGNER, consented, make_contest, rules_document
from tests.fixtures import Browser, Clock
from tests.web.test_review_desk import sign_in

API = "/api/contests/winter-giveaway/entries"
FORM = "/contests/winter-giveaway/enter"
ANNA = {"full_name": "Anna Smith", "birth_date": "1990-04-12", "country": "US"} | consented()


def _open(db: Session, clock: Clock, per_person: int = 1,
          per_household: int | None = None) -> Contest:
    contest, _ = make_contest(db, rules=rules_document(per_person=per_person,
                                                       per_household=per_household))
    clock.now = OPENS + timedelta(hours=5)
    return contest


def _enter(client: Browser, clock: Clock, **fields: str) -> dict[str, object]:
    clock.advance(minutes=1)
    answer = client.post(API, json={**ANNA, **fields})
    assert answer.status_code == 201, answer.get_json()
    body = answer.get_json()
    assert isinstance(body, dict)
    return body


def _flags(db: Session, contest: Contest, ticket: str) -> list[tuple[str, str]]:
    """What a fresh scan says of ``ticket``: (kind, related ticket) of each flag."""
    return [(str(flag["kind"]), str(flag["related_to"]))
            for flag in recheck_tickets(db, contest=contest, tickets=[ticket])[ticket]]


def _scan(db: Session, contest: Contest, clock: Clock) -> dict[str, tuple[str, str, list[str]]]:
    """The auditor's scan, stored: each open flag's ticket → (kind, related ticket, the
    labels of its evidence)."""
    scan_contest(db, contest=contest, now=clock.now)
    db.commit()
    return {item.entry.ticket: (item.flag.kind, item.flag.related_to,
                                [edge["label"] for edge in item.evidence])
            for item in flag_queue(db, contest=contest)}


@pytest.mark.parametrize(("first", "later"), [
    ("a@gmail.com", "a+2@gmail.com"),
    ("a@gmail.com", "a@googlemail.com"),
    ("a@gmail.com", "A.@gmail.com"),
    ("a.b@gmail.com", "AB+promo@GoogleMail.com"),
    ("a@yandex.ru", "a@ya.ru"),
    ("ivan.petrov@yandex.ru", "Ivan-Petrov+x@yandex.com"),
    ("anna@icloud.com", "anna+shop@me.com"),
])
def test_another_spelling_of_one_mailbox_is_over_the_person_limit_at_once(
        client: Browser, db: Session, clock: Clock, first: str, later: str) -> None:
    contest = _open(db, clock, per_person=1)
    earlier = _enter(client, clock, email=first)
    again = _enter(client, clock, email=later)
    assert (earlier["eligible"], earlier["reasons"]) == (True, [])
    assert (again["eligible"], again["reasons"]) == (False, ["person_limit"])
    # The scan reads the same person where the receipt did: the later entry, tied to the first.
    assert _flags(db, contest, str(again["ticket"])) == [("duplicate", earlier["ticket"])]
    assert _flags(db, contest, str(earlier["ticket"])) == []


@pytest.mark.parametrize(("first", "later"), [
    ("ivan.petrov@mail.ru", "ivanpetrov@mail.ru"),     # dots count everywhere but Gmail, Proton
    ("ivan@mail.ru", "ivan+x@mail.ru"),                 # mail.ru delivers no +tags
    ("anna@outlook.com", "anna@hotmail.com"),           # one company, two mailboxes
    ("a@gmail.com", "a@google.com"),
])
def test_mailboxes_their_provider_keeps_apart_are_two_people_at_intake_and_in_the_scan(
        client: Browser, db: Session, clock: Clock, first: str, later: str) -> None:
    contest = _open(db, clock, per_person=1)
    earlier = _enter(client, clock, email=first)
    other = _enter(client, clock, full_name="Boris Orlov", birth_date="1985-01-02",
                   email=later)
    assert (earlier["eligible"], other["eligible"]) == (True, True)
    assert _flags(db, contest, str(other["ticket"])) == []


def test_a_mailbox_with_no_login_is_not_an_address(client: Browser, db: Session,
                                                   clock: Clock) -> None:
    _open(db, clock)
    for email in ("+promo@gmail.com", ".@gmail.com"):
        answer = client.post(API, json={**ANNA, "email": email})
        assert answer.status_code == 422, email
        assert "is not an email address" in answer.get_data(as_text=True)


def test_the_form_tells_the_entrant_a_second_spelling_is_over_the_limit(
        client: Browser, db: Session, clock: Clock) -> None:
    _open(db, clock, per_person=1)
    fields = {**ANNA, "email": "anna.smith@gmail.com", "idempotency_token": "tok-1"}
    first = client.submit(FORM, fields)
    clock.advance(minutes=1)
    second = client.submit(FORM, {**fields, "email": "AnnaSmith+win@googlemail.com",
                                  "idempotency_token": "tok-2"})
    assert first.status_code == second.status_code == 303
    assert "more entries than allowed per person" not in client.get(
        first.location).get_data(as_text=True)
    assert "more entries than allowed per person" in client.get(
        second.location).get_data(as_text=True)


def test_a_phone_written_another_way_is_the_same_person(client: Browser, db: Session,
                                                        clock: Clock) -> None:
    contest = _open(db, clock, per_person=1)
    earlier = _enter(client, clock, country="RU", phone="8 (916) 123-45-67")
    again = _enter(client, clock, country="US", phone="79161234567")
    assert (again["eligible"], again["reasons"]) == (False, ["person_limit"])
    assert _flags(db, contest, str(again["ticket"])) == [("duplicate", earlier["ticket"])]


def test_a_placeholder_phone_ties_strangers_neither_at_intake_nor_in_the_scan(
        client: Browser, db: Session, clock: Clock) -> None:
    contest = _open(db, clock, per_person=1)
    _enter(client, clock, country="RU", phone="+7 916 000-00-00")
    stranger = _enter(client, clock, full_name="Boris Orlov", birth_date="1985-01-02",
                      country="RU", phone="+7 916 000 00 00")
    assert (stranger["eligible"], stranger["reasons"]) == (True, [])
    assert _flags(db, contest, str(stranger["ticket"])) == []


@pytest.mark.parametrize(("first", "later"), [
    ("ул. Ленина, д. 5, кв. 12", "Ленина 5-12"),
    ("г. Москва, улица Ленина, дом 5, квартира 12", "ul. Lenina 5, kv. 12"),
])
def test_another_spelling_of_one_home_is_over_the_household_limit_at_once(
        client: Browser, db: Session, clock: Clock, first: str, later: str) -> None:
    _open(db, clock, per_person=5, per_household=1)
    home = {"country": "RU", "city": "Москва", "postal_code": "101000"}
    _enter(client, clock, email="anna@example.ru", address=first, **home)
    again = _enter(client, clock, full_name="Boris Orlov", email="boris@example.ru",
                   address=later, **home)
    assert (again["eligible"], again["reasons"]) == (False, ["household_limit"])


def test_neighbours_in_other_flats_and_addresses_that_name_no_home_are_other_households(
        client: Browser, db: Session, clock: Clock) -> None:
    _open(db, clock, per_person=5, per_household=1)
    home = {"country": "RU", "city": "Москва", "postal_code": "101000"}
    _enter(client, clock, email="anna@example.ru", address="ул. Ленина, д. 5, кв. 12", **home)
    neighbour = _enter(client, clock, full_name="Boris Orlov", email="boris@example.ru",
                       address="ул. Ленина, д. 5, кв. 13", **home)
    _enter(client, clock, full_name="Vera Lis", email="vera@example.ru", address="-", **home)
    stranger = _enter(client, clock, full_name="Gleb Kim", email="gleb@example.ru",
                      address="-", **home)
    assert (neighbour["eligible"], stranger["eligible"]) == (True, True)


def test_an_address_whose_mailbox_key_outgrows_its_column_is_taken(
        client: Browser, db: Session, clock: Clock) -> None:
    # No live channel takes it since issue 21 (the next test): it comes in from a file.
    _open(db, clock, per_person=1)
    email = "anna@" + ".".join(["пример"] * 35) + ".рф"    # 252 characters, 471 in IDNA
    found = published_contest(db, "winter-giveaway")
    earlier, again = take_entries(db, signer=SIGNER, contest=found, arrivals=[
        Arrival({**ANNA, "email": spelling, "entry_id": str(number),
                 "submitted_at": clock.now.isoformat()}, Channel.CSV, clock.now)
        for number, spelling in enumerate([email, email.upper()])])
    assert isinstance(earlier, TakenEntry) and isinstance(again, TakenEntry)
    assert (earlier.reasons, again.reasons) == ((), ("person_limit",))


def test_an_address_longer_than_mail_allows_is_refused_at_the_door_not_stored_broken(
        client: Browser, db: Session, clock: Clock) -> None:
    # 252 characters, 471 in IDNA: no mail reaches it (issue 21: email-validator's check);
    # a file may still bring it in, its key then the SHA-256 of the mailbox.
    _open(db, clock, per_person=1)
    email = "anna@" + ".".join(["пример"] * 35) + ".рф"
    answer = client.post(API, json={**ANNA, "email": email})
    assert answer.status_code == 422
    assert [error["code"] for error in answer.get_json()["errors"]] == ["invalid_email"]


def test_whoever_enters_first_with_a_mailbox_uses_up_its_allowance_whatever_the_spelling(
        client: Browser, db: Session, clock: Clock) -> None:
    # Limits on contacts nobody verifies cannot tell who wrote them: earliest counts, and the
    # owner's receipt says at once that their entry is over the limit (docs/RULES.md).
    _open(db, clock, per_person=1)
    squatter = _enter(client, clock, full_name="Boris Orlov", birth_date="1985-01-02",
                      email="AnnaSmith+win@googlemail.com")
    owner = _enter(client, clock, email="anna.smith@gmail.com")
    assert (squatter["eligible"], owner["eligible"], owner["reasons"]) == (
        True, False, ["person_limit"])


def test_the_owner_who_enters_second_is_the_duplicate_in_the_scan_as_on_the_receipt(
        client: Browser, db: Session, clock: Clock) -> None:
    # The scan ties a mailbox's entries whatever the names, as the limits do: the owner's
    # entry, over the limit on the receipt, is the duplicate of the first one in the scan.
    contest = _open(db, clock, per_person=1)
    squatter = _enter(client, clock, full_name="Boris Orlov", birth_date="1985-01-02",
                      email="AnnaSmith+win@googlemail.com")
    owner = _enter(client, clock, email="anna.smith@gmail.com")
    assert owner["reasons"] == ["person_limit"]
    assert _flags(db, contest, str(owner["ticket"])) == [("duplicate", squatter["ticket"])]
    assert _flags(db, contest, str(squatter["ticket"])) == []
    # Nothing for the auditor to decide: the limits already keep the owner's entry out.
    assert _scan(db, contest, clock) == {}


def test_someone_who_enters_with_an_owners_mailbox_after_them_is_over_the_limit_and_a_duplicate(
        client: Browser, db: Session, clock: Clock) -> None:
    contest = _open(db, clock, per_person=1)
    owner = _enter(client, clock, email="anna.smith@gmail.com")
    borrower = _enter(client, clock, full_name="Boris Orlov", birth_date="1985-01-02",
                      email="AnnaSmith+win@googlemail.com")
    assert (owner["eligible"], borrower["reasons"]) == (True, ["person_limit"])
    assert _flags(db, contest, str(borrower["ticket"])) == [("duplicate", owner["ticket"])]


def test_a_phone_under_two_names_is_one_person_on_the_receipt_and_in_the_scan(
        client: Browser, db: Session, clock: Clock) -> None:
    contest = _open(db, clock, per_person=1)
    first = _enter(client, clock, country="RU", phone="+7 916 123-45-67",
                   email="anna@example.com")
    other = _enter(client, clock, full_name="Boris Orlov", birth_date="1985-01-02",
                   country="RU", phone="8 916 123 45 67", email="boris@example.com")
    assert other["reasons"] == ["person_limit"]
    assert _flags(db, contest, str(other["ticket"])) == [("duplicate", first["ticket"])]


def test_one_device_under_one_name_is_no_limit_but_a_flag_the_auditor_decides(
        client: Browser, db: Session, clock: Clock) -> None:
    # A device is a signal, not an identity (a family's computer, a cleared cookie): the
    # limits never count it, so both receipts say "eligible"; the scan flags the later entry
    # for the auditor, whose page says why the receipt said otherwise, and only a confirmed
    # flag puts the reason on the receipt.
    contest = _open(db, clock, per_person=1)
    first = _enter(client, clock, email="anna.smith@example.com", device_id="c0ffee-7f3a")
    later = _enter(client, clock, email="anna.s@mail.ru", device_id="C0FFEE-7F3A")
    assert (first["reasons"], later["reasons"]) == ([], [])
    receipt = client.get(str(later["receipt_url"])).get_data(as_text=True)
    assert "Eligible for the draw." in receipt
    assert "if the auditor excludes this entry, the reason shows here" in receipt
    assert _scan(db, contest, clock) == {
        later["ticket"]: ("duplicate", first["ticket"], ["device", "device"])}

    sign_in(client, db, clock, "auditor")
    flag = flag_queue(db, contest=contest)[0].flag
    page = client.get(f"/audit/contests/{contest.slug}/flags/{flag.id}").get_data(as_text=True)
    assert "The entry limits did not count this entry" in page
    client.submit(f"/audit/contests/{contest.slug}/flags/decide",
                  {"flag": str(flag.id), "decision": "confirm"})
    receipt = client.get(str(later["receipt_url"])).get_data(as_text=True)
    assert "the same person entered again" in receipt
    assert "Eligible for the draw." in client.get(str(first["receipt_url"])).get_data(
        as_text=True)


def test_one_device_under_two_names_ties_no_one(client: Browser, db: Session,
                                                 clock: Clock) -> None:
    # A family's computer: the limits count two people, and the scan flags no one.
    contest = _open(db, clock, per_person=1)
    _enter(client, clock, email="anna.smith@example.com", device_id="c0ffee-7f3a")
    other = _enter(client, clock, full_name="Boris Orlov", birth_date="1985-01-02",
                   email="boris@example.com", device_id="c0ffee-7f3a")
    assert other["reasons"] == []
    assert _scan(db, contest, clock) == {}


def test_an_entry_refused_for_its_age_uses_no_allowance_at_intake_nor_in_the_scan(
        client: Browser, db: Session, clock: Clock) -> None:
    # The first try, with a mistyped birth date, is under age and refused, nothing of it
    # kept; the corrected entry counts on its receipt, and the scan finds no duplicate.
    contest = _open(db, clock, per_person=1)
    mistyped = client.post(API, json={**ANNA, "email": "anna@example.com",
                                      "birth_date": "2019-04-12"})
    assert mistyped.status_code == 422
    corrected = _enter(client, clock, email="anna@example.com")
    assert corrected["reasons"] == []
    assert _flags(db, contest, str(corrected["ticket"])) == []
    assert _scan(db, contest, clock) == {}
