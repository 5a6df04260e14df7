from datetime import timedelta

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func
from sqlmodel import Session, select

from contest.errors import VerificationFailed
from contest.ledger.note import Verifier
from contest.ledger.receipts import open_receipt
from contest.models import Contest, Entry
from tests.builders import OPENS, amend_contest, make_contest, rules_document
from tests.fixtures import Clock

URL = "/api/contests/winter-giveaway/entries"
ANNA = {"full_name": "Anna Smith", "email": "anna@example.com", "birth_date": "1990-04-12",
        "country": "US"}


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
    assert stored.rules_sha256 == body["rules_sha256"]


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
    after = client.post(URL, json=ANNA | {"email": "bob@example.com"})
    assert after.status_code == 201
    body = after.get_json()
    assert body["rules_sha256"] == amended.sha256 != before["rules_sha256"]
    assert (body["eligible"], body["reasons"]) == (False, ["under_age"])
    stored = db.exec(select(Entry).where(Entry.ticket == body["ticket"])).one()
    assert stored.rules_version_id == amended.id
    again = client.post(URL, json=ANNA | {"email": "carl@example.com"}).get_json()
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
    assert lines == ["contest-receipt/1", "winter-giveaway", body["ticket"],
                     body["rules_sha256"], body["received_at"].replace("+00:00", "Z")]
    forged = body["signed_receipt"].replace(body["ticket"], "f" * 32)
    with pytest.raises(VerificationFailed):
        open_receipt(forged, key)
    page = client.get(f"/receipts/{body['ticket']}").get_data(as_text=True)
    assert "contest-receipt/1" in page and "anna@example.com" not in page
