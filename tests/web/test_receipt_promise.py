"""The receipt as a promise of inclusion (issue 18): ``contest-receipt/2`` commits to the
entry's leaf on the public log and the moment by which a checkpoint will hold it, and the
receipt's proof shows the promise kept (docs/PROTOCOL.md, "The receipt's promise of
inclusion")."""

import hashlib
import json
import time
from datetime import datetime, timedelta

from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import Session

from contest.ledger.merkle import verify_inclusion
from contest.ledger.note import Verifier, open_checkpoint
from contest.ledger.receipts import open_receipt
from tests.builders import OPENS, consented, make_contest
from tests.fixtures import Clock, configured_app

URL = "/api/contests/winter-giveaway/entries"
ANNA = {"full_name": "Anna Smith", "email": "anna@example.com", "birth_date": "1990-04-12",
        "country": "US"} | consented()


def _entered(client: FlaskClient, db: Session, clock: Clock) -> tuple[dict[str, str], list[str],
                                                                      Verifier]:
    make_contest(db)
    clock.now = OPENS + timedelta(hours=5, microseconds=250)
    body = client.post(URL, json=ANNA).get_json()
    key = Verifier.from_key(client.get("/log/key").get_data(as_text=True).strip())
    return body, open_receipt(body["signed_receipt"], key), key


def test_the_receipt_promises_the_entrys_leaf_within_the_merge_delay(
        app: Flask, client: FlaskClient, db: Session, clock: Clock) -> None:
    body, lines, key = _entered(client, db, clock)
    assert lines[0] == "contest-receipt/2" and len(lines) == 7
    received = datetime.fromisoformat(lines[4])
    assert datetime.fromisoformat(lines[6]) == received + timedelta(seconds=60)
    waiting = client.get(f"/contests/winter-giveaway/receipts/{body['ticket']}/proof.json")
    assert waiting.status_code == 404 and waiting.get_json()["error"] == "not_included_yet"

    app.extensions["contest.integrator"].run_once()

    proof = client.get(f"/contests/winter-giveaway/receipts/{body['ticket']}/proof.json")
    assert proof.status_code == 200
    answer = proof.get_json()
    leaf = answer["leaf"].encode()
    assert hashlib.sha256(b"\x00" + leaf).hexdigest() == lines[5]
    event = json.loads(leaf)
    assert (event["type"], event["contest"], event["ticket"], event["rules_sha256"]) == (
        "entry.accepted", *lines[1:4])
    assert event["at"] == lines[4].split(".")[0] + "Z" and event["reasons"] == []
    checkpoint = open_checkpoint(answer["checkpoint"], [key])
    assert checkpoint.size == answer["tree_size"] > answer["leaf_index"]
    verify_inclusion(bytes.fromhex(lines[5]), answer["leaf_index"], answer["tree_size"],
                     [bytes.fromhex(node) for node in answer["inclusion_proof"]],
                     checkpoint.root_hash)


def test_the_receipt_page_signs_the_same_promise_again(
        app: Flask, client: FlaskClient, db: Session, clock: Clock) -> None:
    body, lines, key = _entered(client, db, clock)
    app.extensions["contest.integrator"].run_once()
    page = client.get(f"/receipts/{body['ticket']}").get_data(as_text=True)
    assert "contest-receipt/2" in page and lines[5] in page and lines[6] in page
    assert f'href="/contests/winter-giveaway/receipts/{body["ticket"]}/proof.json"' in page
    again = client.post(URL, json=ANNA, headers={"Idempotency-Key": "k"}).get_json()
    assert open_receipt(again["signed_receipt"], key)[0] == "contest-receipt/2"


def test_a_ticket_the_log_does_not_hold_has_no_proof(client: FlaskClient, db: Session,
                                                     clock: Clock) -> None:
    make_contest(db)
    answer = client.get(f"/contests/winter-giveaway/receipts/{'a' * 32}/proof.json")
    assert answer.status_code == 404 and answer.get_json()["error"] == "not_found"


def test_the_background_integration_keeps_the_promise(database_url: str, clock: Clock,
                                                      tmp_path, db: Session) -> None:
    with configured_app(database_url, clock, tmp_path, log_integrate_every="0.05") as app:
        client = app.test_client()
        make_contest(db)
        clock.now = OPENS + timedelta(hours=5)
        ticket = client.post(URL, json=ANNA).get_json()["ticket"]
        assert app.extensions["contest.integrator"].running
        url = f"/contests/winter-giveaway/receipts/{ticket}/proof.json"
        for _ in range(600):  # the thread integrates every 0.05 s; a loaded machine is slow
            answer = client.get(url)
            if answer.status_code == 200:
                break
            time.sleep(0.05)
        assert answer.status_code == 200, answer.get_json()
    assert not app.extensions["contest.integrator"].running
