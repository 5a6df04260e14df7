"""The public record on the web: log API, results, the bundle, "was my entry in the draw?"."""

import base64
from datetime import timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import Session, select

from contest.draw.verify import verify_bundle
from contest.ledger.merkle import leaf_hash, verify_consistency, verify_inclusion
from contest.ledger.note import Verifier, open_checkpoint
from contest.models import Entry
from tests.draw.builders import DUE, drawn
from tests.fixtures import Clock


@pytest.fixture
def contest_drawn(app: Flask, db: Session, clock: Clock) -> str:
    contest = drawn(db, app.extensions["contest.signer"])
    clock.now = DUE + timedelta(hours=1)
    return contest.slug


def test_the_one_eligible_ticket_is_said_in_the_singular(
    app: Flask, client: FlaskClient, db: Session, clock: Clock
) -> None:
    """"number 1 of 1 eligible tickets" was wrong in all three languages."""
    contest = drawn(db, app.extensions["contest.signer"], entrants=2, winners=1,
                    alternates=0)  # the first of two entrants is under age
    clock.now = DUE + timedelta(hours=1)
    (ticket,) = client.get(f"/contests/{contest.slug}/draw.json").get_json()["tickets"]
    said = client.get(f"/contests/{contest.slug}/results?ticket={ticket}").get_data(
        as_text=True)
    assert "Yes: your ticket is number 1 of 1 eligible ticket." in said


def test_checkpoint_is_signed_by_the_published_key(client: FlaskClient,
                                                   contest_drawn: str) -> None:
    key = client.get("/log/key").get_data(as_text=True).strip()
    note = client.get("/log/checkpoint").get_data(as_text=True)
    checkpoint = open_checkpoint(note, [Verifier.from_key(key)])
    assert checkpoint.size == 34  # the rules, 30 entries, the freeze, the randomness, the draw
    assert note.split("\n")[2] == base64.b64encode(checkpoint.root_hash).decode()


def test_entries_and_proofs_check_out_against_the_checkpoint(client: FlaskClient,
                                                            contest_drawn: str) -> None:
    key = client.get("/log/key").get_data(as_text=True).strip()
    checkpoint = open_checkpoint(client.get("/log/checkpoint").get_data(as_text=True),
                                 [Verifier.from_key(key)])
    leaves = client.get("/log/entries?start=0&end=40").get_json()["entries"]
    assert [leaf["index"] for leaf in leaves] == list(range(34))
    assert '"type":"rules.published"' in leaves[0]["leaf"]
    assert all('"type":"entry.accepted"' in leaf["leaf"] for leaf in leaves[1:31])
    assert '"type":"entries.frozen"' in leaves[31]["leaf"]
    for leaf in leaves:
        proof = client.get(f"/log/proof/inclusion?index={leaf['index']}&size=34").get_json()
        verify_inclusion(leaf_hash(leaf["leaf"].encode()), leaf["index"], 34,
                         [bytes.fromhex(h) for h in proof["proof"]], checkpoint.root_hash)
    old = client.get("/log/proof/inclusion?index=0&size=1").get_json()["root"]
    consistency = client.get("/log/proof/consistency?first=1&second=34").get_json()
    verify_consistency(1, 34, [bytes.fromhex(h) for h in consistency["proof"]],
                       bytes.fromhex(old), checkpoint.root_hash)


def test_bad_proof_requests_are_clear_errors(client: FlaskClient, contest_drawn: str) -> None:
    beyond = client.get("/log/proof/inclusion?index=5&size=3")
    assert beyond.status_code == 422
    assert beyond.get_json() == {"error": "out_of_range",
                                 "message": "need index < size ≤ 34, got index 5, size 3"}
    backwards = client.get("/log/proof/consistency?first=3&second=2")
    assert backwards.status_code == 422 and backwards.get_json()["error"] == "out_of_range"
    response = client.get("/log/proof/inclusion?index=x&size=3")
    assert response.status_code == 422
    assert response.get_json()["errors"][0]["field"] == "index"


HUGE = "9" * 30  # beyond any whole number a database column stores


@pytest.mark.parametrize(("query", "fields"), [
    (f"entries?start={HUGE}&end={HUGE}", ["start", "end"]),
    (f"entries?start=0&end={HUGE}", ["end"]),
    ("entries?start=-1&end=2", ["start"]),
    (f"proof/inclusion?index={HUGE}&size={HUGE}", ["index", "size"]),
    (f"proof/inclusion?index=0&size={HUGE}", ["size"]),
    ("proof/inclusion?index=0&size=%EF%BC%92", ["size"]),  # a full-width digit two
    (f"proof/consistency?first={HUGE}&second={HUGE}", ["first", "second"]),
    (f"proof/consistency?first=1&second={HUGE}", ["second"]),
    ("proof/consistency?first=1_0&second=3", ["first"]),
])
def test_numbers_no_log_can_reach_are_clear_errors_naming_each_parameter(
        client: FlaskClient, contest_drawn: str, query: str, fields: list[str]) -> None:
    response = client.get(f"/log/{query}")
    assert response.status_code == 422, response.get_data(as_text=True)[:300]
    errors = response.get_json()["errors"]
    assert [error["field"] for error in errors] == fields
    assert "2147483647" in errors[0]["message"]


def test_the_largest_numbers_stored_are_still_answered(client: FlaskClient,
                                                      contest_drawn: str) -> None:
    largest = 2**31 - 1  # PostgreSQL's INTEGER, the type of the log's leaf index
    entries = client.get(f"/log/entries?start=0&end={largest}").get_json()["entries"]
    assert [leaf["index"] for leaf in entries] == list(range(34))
    assert client.get(f"/log/entries?start={largest}&end={largest}").get_json()[
        "entries"] == []
    assert client.get(f"/log/proof/inclusion?index=0&size={largest}").status_code == 422


def test_results_show_masked_winners_and_the_bundle_verifies(
    client: FlaskClient, db: Session, contest_drawn: str
) -> None:
    html = client.get(f"/contests/{contest_drawn}/results").get_data(as_text=True)
    bundle = client.get(f"/contests/{contest_drawn}/draw.json").get_json()
    for ticket in bundle["winners"]:
        entry = db.exec(select(Entry).where(Entry.ticket == ticket)).one()
        assert ticket in html
        assert entry.full_name not in html and entry.email not in html
        assert f"{entry.full_name.split()[0]} S." in html
    key = client.get("/log/key").get_data(as_text=True).strip()
    assert verify_bundle(bundle, verifier_key=key).winners == tuple(bundle["winners"])


def test_a_person_checks_whether_their_ticket_was_in_the_draw(
    client: FlaskClient, db: Session, contest_drawn: str
) -> None:
    bundle = client.get(f"/contests/{contest_drawn}/draw.json").get_json()
    eligible, excluded = bundle["tickets"][4], bundle["excluded"][0]["ticket"]
    yes = client.get(f"/contests/{contest_drawn}/results?ticket={eligible}").get_data(
        as_text=True)
    assert "Yes: your ticket is number 5 of 27 eligible tickets." in yes
    no = client.get(f"/contests/{contest_drawn}/results?ticket={excluded}").get_data(
        as_text=True)
    assert "Your ticket was not in the draw" in no and "below the minimum age" in no
    unknown = client.get(f"/contests/{contest_drawn}/results?ticket={'f' * 32}")
    assert "No entry of this contest has that ticket." in unknown.get_data(as_text=True)


def test_a_drawn_contest_is_drawn_on_every_page_and_answer_that_names_its_status(
        client: FlaskClient, contest_drawn: str) -> None:
    [listed] = client.get("/api/contests").get_json()
    assert listed["status"] == "drawn"
    assert client.get(f"/api/contests/{contest_drawn}").get_json()["status"] == "drawn"
    for page in ("/", f"/contests/{contest_drawn}", f"/contests/{contest_drawn}/rules"):
        html = client.get(page).get_data(as_text=True)
        assert '<span class="status status-drawn">' in html, page
        assert "status-closed" not in html, page
