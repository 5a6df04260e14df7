from datetime import timedelta

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func
from sqlmodel import Session, select

from contest.errors import VerificationFailed
from contest.ledger.note import Verifier
from contest.ledger.receipts import open_receipt
from contest.models import Contest, Entry, RulesVersion
from tests.builders import OPENS, amend_contest, consented, make_contest, rules_document
from tests.fixtures import Clock

URL = "/api/contests/winter-giveaway/entries"
ANNA = {"full_name": "Anna Smith", "email": "anna@example.com", "birth_date": "1990-04-12",
        "country": "US"} | consented()


def _open_contest(db: Session, clock: Clock) -> None:
    make_contest(db)
    clock.now = OPENS + timedelta(hours=5)


def _entries(db: Session) -> int:
    return db.exec(select(func.count()).select_from(Entry)).one()


def test_an_entry_gets_a_ticket_and_the_rules_hash(
    client: FlaskClient, db: Session, clock: Clock
) -> None:
    _open_contest(db, clock)
    response = client.post(URL, json=ANNA)
    assert response.status_code == 201
    body = response.get_json()
    assert len(body["ticket"]) == 32 and int(body["ticket"], 16) >= 0
    assert body["contest"] == "winter-giveaway"
    assert body["received_at"] == clock.now.isoformat()
    assert body["eligible"] is True and body["reasons"] == []
    assert body["ticket_url"].endswith(f"/receipts/{body['ticket']}")
    assert body["receipt_url"].startswith(body["ticket_url"] + "/")
    stored = db.exec(select(Entry)).one()
    version = db.get(RulesVersion, stored.rules_version_id)
    assert version is not None and version.sha256 == body["rules_sha256"]


def test_the_same_idempotency_key_returns_the_same_entry(
    client: FlaskClient, db: Session, clock: Clock
) -> None:
    _open_contest(db, clock)
    first = client.post(URL, json=ANNA, headers={"Idempotency-Key": "retry-1"})
    second = client.post(URL, json=ANNA, headers={"Idempotency-Key": "retry-1"})
    assert (first.status_code, second.status_code) == (201, 200)
    assert first.get_json()["ticket"] == second.get_json()["ticket"]
    assert _entries(db) == 1


def test_field_errors_all_at_once_and_nothing_stored(
    client: FlaskClient, db: Session, clock: Clock
) -> None:
    _open_contest(db, clock)
    response = client.post(URL, json={"email": "nope", "country": "XX", "colour": "red"})
    assert response.status_code == 422
    body = response.get_json()
    assert body["error"] == "entry_rejected"
    fields = {e["field"] for e in body["errors"]}
    assert {"colour"} <= fields
    assert _entries(db) == 0


def test_entry_fields_are_checked_before_anything_else(
    client: FlaskClient, db: Session, clock: Clock
) -> None:
    _open_contest(db, clock)
    response = client.post(URL, json={"full_name": "A", "email": "a@example.com",
                                      "birth_date": 19900101})
    assert response.status_code == 422
    assert response.get_json()["errors"] == [
        {"field": "birth_date", "code": "not_a_string", "message": "must be a string"}]


def test_a_body_that_is_not_a_json_object_is_a_clear_error(
    client: FlaskClient, db: Session, clock: Clock
) -> None:
    _open_contest(db, clock)
    for body in ("not json", "[1, 2]"):
        response = client.post(URL, data=body, content_type="application/json")
        assert response.status_code == 422
        assert response.get_json()["errors"][0]["field"] == "body"


def test_an_unknown_contest_is_404_in_json(client: FlaskClient) -> None:
    response = client.post("/api/contests/no-such/entries", json=ANNA)
    assert response.status_code == 404
    assert response.get_json()["message"] == "no contest no-such"


def test_entries_after_the_close_are_refused(
    client: FlaskClient, db: Session, clock: Clock
) -> None:
    make_contest(db)
    clock.now = OPENS + timedelta(days=31)
    response = client.post(URL, json=ANNA)
    assert response.status_code == 422
    assert response.get_json()["errors"][0]["field"] == "contest"
    assert _entries(db) == 0


def test_an_entry_after_an_amendment_is_taken_under_the_new_rules(
    client: FlaskClient, db: Session, clock: Clock
) -> None:
    _open_contest(db, clock)
    before = client.post(URL, json=ANNA).get_json()  # the app now keeps version 1 at hand
    contest = db.exec(select(Contest)).one()
    amended = amend_contest(db, contest, rules_document(min_age=40))
    young = client.post(URL, json=ANNA | {"email": "bob@example.com"})
    assert young.status_code == 422  # 36 years old: too young under the new rules
    assert [(e["field"], e["code"]) for e in young.get_json()["errors"]] == [
        ("birth_date", "under_age")]
    after = client.post(URL, json=ANNA | {"email": "bob@example.com",
                                          "birth_date": "1970-04-12"})
    assert after.status_code == 201
    body = after.get_json()
    assert body["rules_sha256"] == amended.sha256 != before["rules_sha256"]
    stored = db.exec(select(Entry).where(Entry.ticket == body["ticket"])).one()
    assert stored.rules_version_id == amended.id
    again = client.post(URL, json=ANNA | {"email": "carl@example.com",
                                          "birth_date": "1970-04-12"}).get_json()
    assert again["rules_sha256"] == amended.sha256
    assert _entries(db) == 3


def test_a_repeated_key_gets_its_receipt_again_after_the_close(
    client: FlaskClient, db: Session, clock: Clock
) -> None:
    _open_contest(db, clock)
    first = client.post(URL, json=ANNA, headers={"Idempotency-Key": "k-1"})
    clock.now = OPENS + timedelta(days=31)
    again = client.post(URL, json=ANNA, headers={"Idempotency-Key": "k-1"})
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.get_json()["ticket"] == first.get_json()["ticket"]
    assert again.get_json()["received_at"] == first.get_json()["received_at"]
    assert client.post(URL, json=ANNA, headers={"Idempotency-Key": "k-2"}).status_code == 422


def test_contests_list_shows_published_contests_only(
    client: FlaskClient, db: Session, clock: Clock
) -> None:
    _open_contest(db, clock)
    make_contest(db, slug="secret-draft", published=False)
    listed = client.get("/api/contests").get_json()
    assert [(c["slug"], c["status"]) for c in listed] == [("winter-giveaway", "open")]


def test_the_receipt_is_signed_with_the_published_log_key(
    client: FlaskClient, db: Session, clock: Clock
) -> None:
    _open_contest(db, clock)
    body = client.post(URL, json=ANNA).get_json()
    key = Verifier.from_key(client.get("/log/key").get_data(as_text=True).strip())
    lines = open_receipt(body["signed_receipt"], key)
    assert lines[:5] == ["contest-receipt/2", "winter-giveaway", body["ticket"],
                         body["rules_sha256"], body["received_at"].replace("+00:00", "Z")]
    forged = body["signed_receipt"].replace(body["ticket"], "f" * 32)
    with pytest.raises(VerificationFailed):
        open_receipt(forged, key)
    page = client.get(f"/receipts/{body['ticket']}").get_data(as_text=True)
    assert "contest-receipt/2" in page and "anna@example.com" not in page


def test_a_reused_key_with_another_entry_is_refused_and_the_first_entry_kept(
    client: FlaskClient, db: Session, clock: Clock
) -> None:
    _open_contest(db, clock)
    first = client.post(URL, json=ANNA, headers={"Idempotency-Key": "shared-key"})
    assert first.status_code == 201
    boris = {"full_name": "Boris Orlov", "email": "boris@example.com", "country": "US"}
    for headers in ({"Idempotency-Key": "shared-key"}, {"Accept-Language": "ru"}):
        body = boris if "Idempotency-Key" in headers else boris | {
            "idempotency_key": "shared-key"}
        other = client.post(URL, json=body, headers=headers)
        assert other.status_code == 409
        answer = other.get_json()
        assert answer["error"] == "idempotency_key_reused"
        assert "ticket" not in answer
    assert other.get_json()["message"].startswith("ключ")
    english = client.post(URL, json=boris, headers={"Idempotency-Key": "shared-key"})
    assert english.get_json()["message"] == (
        "the idempotency key \"shared-key\" was already used for a different entry; "
        "send a new key for a new entry")
    assert db.exec(select(Entry.full_name)).all() == ["Anna Smith"]


def test_the_same_entry_written_differently_is_the_same_entry(
    client: FlaskClient, db: Session, clock: Clock
) -> None:
    _open_contest(db, clock)
    first = client.post(URL, json=ANNA, headers={"Idempotency-Key": "k"})
    spelled = {"full_name": "  Anna   Smith ", "email": "anna@example.com ",
               "birth_date": "1990-04-12", "country": "us", "phone": None}
    again = client.post(URL, json=spelled, headers={"Idempotency-Key": "k"})
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.get_json()["ticket"] == first.get_json()["ticket"]
    changed = client.post(URL, json=ANNA | {"birth_date": "1990-04-13"},
                          headers={"Idempotency-Key": "k"})
    assert changed.status_code == 409
    invalid = client.post(URL, json=ANNA | {"email": "nope"}, headers={"Idempotency-Key": "k"})
    assert invalid.status_code == 409
    assert _entries(db) == 1


def test_a_key_sent_again_with_another_address_of_one_mailbox_is_another_entry(
    client: FlaskClient, db: Session, clock: Clock
) -> None:
    # One mailbox for the limits, but not the address the entrant wrote: the key stands for
    # the entry as it was sent (the address in any case), so a retry must send that address.
    _open_contest(db, clock)
    first = client.post(URL, json=ANNA | {"email": "anna+1@gmail.com"},
                        headers={"Idempotency-Key": "k"})
    retry = client.post(URL, json=ANNA | {"email": "Anna+1@GMAIL.com"},
                        headers={"Idempotency-Key": "k"})
    other = client.post(URL, json=ANNA | {"email": "a.n.n.a+2@googlemail.com"},
                        headers={"Idempotency-Key": "k"})
    assert (first.status_code, retry.status_code, other.status_code) == (201, 200, 409)
    assert _entries(db) == 1


def test_a_reused_key_with_another_entry_after_the_close_is_refused(
    client: FlaskClient, db: Session, clock: Clock
) -> None:
    _open_contest(db, clock)
    client.post(URL, json=ANNA, headers={"Idempotency-Key": "k-1"})
    clock.now = OPENS + timedelta(days=31)
    other = client.post(URL, json=ANNA | {"full_name": "Eve Smith"},
                        headers={"Idempotency-Key": "k-1"})
    assert other.status_code == 409
    assert _entries(db) == 1


@pytest.mark.parametrize(("field", "value", "character"), [
    ("full_name", "A\ud800B", "U+D800"),
    ("address", "Main St\x00 5", "U+0000"),
    ("city", "Springfield\x1b[31m", "U+001B"),
    ("social_handle", "@anna\ufffe", "U+FFFE"),
    ("full_name", "Anna \U0010ffff", "U+10FFFF"),
    ("email", "anna\ufdd0@example.com", "U+FDD0"),
])
def test_text_that_is_not_text_is_refused_naming_the_field(
    client: FlaskClient, db: Session, clock: Clock, field: str, value: str, character: str
) -> None:
    _open_contest(db, clock)
    response = client.post(URL, json=ANNA | {field: value})
    assert response.status_code == 422
    assert response.get_json()["errors"] == [{
        "field": field, "code": "not_text", "message": response.get_json()["errors"][0][
            "message"]}]
    assert character in response.get_json()["errors"][0]["message"]
    assert _entries(db) == 0


def test_an_idempotency_key_that_is_not_text_is_refused(
    client: FlaskClient, db: Session, clock: Clock
) -> None:
    _open_contest(db, clock)
    for key in ("k\ud800", "k\x00", "two\nlines"):
        response = client.post(URL, json=ANNA | {"idempotency_key": key})
        assert response.status_code == 422
        assert [e["field"] for e in response.get_json()["errors"]] == ["idempotency_key"]
    assert _entries(db) == 0


@pytest.mark.parametrize("depth", [200_000, 1000, 21])
def test_a_body_nested_too_deep_is_refused(
    client: FlaskClient, db: Session, clock: Clock, depth: int
) -> None:
    _open_contest(db, clock)
    for body in ("[" * depth + "]" * depth, '{"a":' * depth + "1" + "}" * depth):
        response = client.post(URL, data=body, content_type="application/json")
        assert response.status_code == 422
        [error] = response.get_json()["errors"]
        assert (error["field"], error["code"]) == ("body", "too_deep")
        assert "at most 20" in error["message"]


def test_a_body_that_is_not_json_says_where(
    client: FlaskClient, db: Session, clock: Clock
) -> None:
    _open_contest(db, clock)
    response = client.post(URL, data='{"full_name": "Anna",}', content_type="application/json")
    assert response.status_code == 422
    [error] = response.get_json()["errors"]
    assert (error["field"], error["code"]) == ("body", "not_json")
    assert "line 1 column 22" in error["message"]
    nested = {"full_name": {"a": {"b": {"c": "deep but allowed"}}}}
    assert client.post(URL, json=nested).get_json()["errors"][0]["code"] == "not_a_string"
    latin = client.post(URL, data=b'{"full_name": "\xff"}', content_type="application/json")
    assert latin.get_json()["errors"][0]["code"] == "not_json"


@pytest.mark.parametrize(("body", "code"), [
    (b'{"full_name": ' + b"9" * 5000 + b"}", "number_too_long"),
    (b'{"full_name": NaN}', "not_json"),
    (b'{"full_name": "Anna \xed\xa0\x80"}', "not_json"),  # a surrogate in UTF-8: not UTF-8
    (b"[" * 100_000 + b"]" * 100_000, "too_deep"),
])
def test_a_body_json_cannot_hold_is_named_like_a_rules_file(
    client: FlaskClient, db: Session, clock: Clock, body: bytes, code: str
) -> None:
    _open_contest(db, clock)
    response = client.post(URL, data=body, content_type="application/json")
    assert response.status_code == 422
    assert [(e["field"], e["code"]) for e in response.get_json()["errors"]] == [("body", code)]
    assert _entries(db) == 0


def test_an_entry_by_api_or_form_is_made_when_it_is_received(
    client: FlaskClient, db: Session, clock: Clock
) -> None:
    """Only an import names the moment of an entry; the API refuses the field and the form
    does not read it, so no entrant's moment reaches the judging."""
    _open_contest(db, clock)
    odd = "9999-12-31T23:59:59-23:59"
    refused = client.post(URL, json=ANNA | {"submitted_at": odd})
    assert refused.status_code == 422
    assert [(e["field"], e["code"]) for e in refused.get_json()["errors"]] == [
        ("submitted_at", "unknown_field")]
    page = client.get("/contests/winter-giveaway/enter").get_data(as_text=True)
    token = page.split('name="csrf_token" value="')[1].split('"')[0]
    sent = client.post("/contests/winter-giveaway/enter",
                       data=ANNA | {"submitted_at": odd, "csrf_token": token})
    assert sent.status_code in (200, 201, 302, 303), sent.get_data(as_text=True)[:300]
    stored = db.exec(select(Entry)).one()
    assert stored.submitted_at.replace(tzinfo=None) == clock.now.replace(tzinfo=None)
