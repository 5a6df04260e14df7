"""The proof-of-work challenge at the door (issue 21): the public entry and complaint forms
carry it when the deployment's CONTEST_CHALLENGE_DIFFICULTY is above 0, the API asks it of
each entry when the rules say ``defences.api_challenge``; a missing, forged, reused, expired
or other contest's solution is a clear 422 on the field ``challenge``, never a 500, and
nothing is stored. Solved here as an API client would, with the altcha package."""

import base64
import json
import time
from collections.abc import Iterator
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import altcha
import pytest
from flask import Flask
from sqlmodel import Session, func, select

from contest.challenge import LIFETIME, challenge_key, new_challenge
from contest.config import Settings
from contest.errors import ConfigError
from contest.models import Complaint, Entry
from contest.rules.document import Defences
from tests.builders import OPENS, consented, make_contest, rules_document
from tests.fixtures import Browser, Clock, configured_app

SLUG = "winter-giveaway"
FORM = f"/contests/{SLUG}/enter"
API = f"/api/contests/{SLUG}/entries"
COMPLAINTS = f"/contests/{SLUG}/complaints"
CHALLENGE = f"/api/contests/{SLUG}/challenge"
ANNA = {"full_name": "Anna Smith", "email": "anna@example.com", "birth_date": "1990-04-12",
        "country": "US"} | consented()
COMPLAINT = {"contact": "anna@example.com", "kind": "not_included",
             "text": "My entry from Monday is missing."}


@pytest.fixture
def app(database_url: str, clock: Clock, tmp_path: Path) -> Iterator[Flask]:
    with configured_app(database_url, clock, tmp_path, challenge_difficulty="2000") as made:
        yield made


def solved(challenge: dict[str, object]) -> str:
    """The payload the widget sends: the challenge and the counter found for it."""
    parsed = altcha.Challenge.from_dict(challenge)
    solution = altcha.solve_challenge(parsed)
    assert solution is not None
    return altcha.Payload(parsed, solution).to_base64()


def fetched(client: Browser, url: str = CHALLENGE) -> str:
    answer = client.get(url)
    assert answer.status_code == 200 and answer.headers["Cache-Control"] == "no-store"
    body = answer.get_json()
    assert body["parameters"]["algorithm"] == "SHA-256" and body["signature"]
    return solved(body)


def entries(db: Session) -> int:
    return db.exec(select(func.count()).select_from(Entry)).one()


@pytest.fixture
def contest(db: Session, clock: Clock) -> Session:
    make_contest(db)
    clock.now = OPENS + timedelta(hours=5)
    return db


def test_the_form_carries_the_widget_and_says_what_is_needed_without_javascript(
        client: Browser, contest: Session) -> None:
    html = client.get(FORM).get_data(as_text=True)
    assert '<altcha-widget name="challenge" auto="onfocus"' in html
    assert f'challenge="{CHALLENGE}"' in html
    assert 'id="challenge-state" class="challenge-state" aria-live="polite"' in html
    assert "Turn JavaScript on for this site to send it." in html.split("<noscript>")[1]
    assert "vendor/altcha.css" in html and "challenge.js" in html


def test_an_entry_with_a_solved_challenge_is_taken(client: Browser, contest: Session) -> None:
    sent = client.submit(FORM, ANNA | {"challenge": fetched(client)})
    assert sent.status_code == 303, sent.get_data(as_text=True)
    assert entries(contest) == 1


def refused(client: Browser, db: Session, payload: str | None, *, stored: int = 0) -> str:
    fields = ANNA | ({"challenge": payload} if payload is not None else {})
    answer = client.submit(FORM, fields)
    assert answer.status_code == 422
    assert entries(db) == stored
    html = answer.get_data(as_text=True)
    return html.split('id="challenge-error" role="alert">')[1].split("</p>")[0]


def test_an_entry_without_the_challenge_is_refused_saying_javascript_is_needed(
        client: Browser, contest: Session) -> None:
    assert "it needs JavaScript" in refused(client, contest, None)
    assert "it needs JavaScript" in refused(client, contest, "  ")


@pytest.mark.parametrize("payload", [
    "not base64 at all ✓", base64.b64encode(b"[1, 2]").decode(),
    base64.b64encode(b'{"challenge": null, "solution": null, "test": true}').decode(),
])
def test_a_payload_that_is_no_solution_is_refused_clearly(
        client: Browser, contest: Session, payload: str) -> None:
    assert "is not valid; reload the page" in refused(client, contest, payload)


def test_a_forged_solution_is_refused(client: Browser, contest: Session) -> None:
    payload = fetched(client)
    data = json.loads(base64.b64decode(payload))
    wrong = dict(data, solution=dict(data["solution"], counter=data["solution"]["counter"] + 1))
    assert "is not valid" in refused(client, contest, base64.b64encode(
        json.dumps(wrong).encode()).decode())
    # An easier challenge of one's own making: its signature no longer matches.
    easier = dict(data, challenge=dict(data["challenge"], parameters=dict(
        data["challenge"]["parameters"], keyPrefix="00")))
    assert "is not valid" in refused(client, contest, base64.b64encode(
        json.dumps(easier).encode()).decode())
    # Signed with another key (another deployment's, or one guessed).
    other = new_challenge(key=challenge_key("another secret key, 32 chars..."),
                          difficulty=10, contest=SLUG, now=time.time())
    assert "is not valid" in refused(client, contest, solved(other))


def test_a_solution_opens_one_entry_only(client: Browser, contest: Session) -> None:
    payload = fetched(client)
    assert client.submit(FORM, ANNA | {"challenge": payload}).status_code == 303
    assert "was used already; tick the box again" in refused(client, contest, payload,
                                                             stored=1)


def test_an_expired_solution_is_refused(app: Flask, client: Browser, contest: Session) -> None:
    old = new_challenge(key=challenge_key(str(app.secret_key)), difficulty=10, contest=SLUG,
                        now=time.time() - LIFETIME - 5)
    assert "has expired; tick the box again" in refused(client, contest, solved(old))


def test_another_contests_solution_opens_nothing_here(client: Browser, db: Session,
                                                      clock: Clock) -> None:
    make_contest(db)
    make_contest(db, slug="spring-giveaway")
    clock.now = OPENS + timedelta(hours=5)
    payload = fetched(client, "/api/contests/spring-giveaway/challenge")
    assert "is not valid" in refused(client, db, payload)


def test_a_contest_not_published_has_no_challenge(client: Browser, db: Session) -> None:
    make_contest(db, published=False)
    assert client.get(CHALLENGE).status_code == 404


def test_the_complaint_form_asks_the_challenge_too(client: Browser, db: Session,
                                                  clock: Clock) -> None:
    make_contest(db)
    clock.now = OPENS + timedelta(days=1)
    assert '<altcha-widget name="challenge"' in client.get(COMPLAINTS).get_data(as_text=True)
    assert '<altcha-widget name="challenge"' in client.get(
        f"/contests/{SLUG}").get_data(as_text=True)
    missing = client.submit(COMPLAINTS, COMPLAINT)
    assert missing.status_code == 422 and "it needs JavaScript" in missing.get_data(as_text=True)
    assert db.exec(select(func.count()).select_from(Complaint)).one() == 0
    sent = client.submit(COMPLAINTS, COMPLAINT | {"challenge": fetched(client)})
    assert sent.status_code == 303


def test_the_api_asks_a_solved_challenge_when_the_rules_say_so(
        client: Browser, db: Session, clock: Clock) -> None:
    rules = replace(rules_document(), defences=Defences(api_challenge=True))
    make_contest(db, rules=rules)
    clock.now = OPENS + timedelta(hours=5)
    body = ANNA | consented(rules)
    told = client.get(f"/api/contests/{SLUG}").get_json()["entry_form"]["challenge"]
    assert told == f"http://localhost{CHALLENGE}"
    missing = client.post(API, json=body)
    assert missing.status_code == 422
    assert [(e["field"], e["code"]) for e in missing.get_json()["errors"]] == [
        ("challenge", "challenge_required")]
    payload = fetched(client)
    assert client.post(API, json=body | {"challenge": payload}).status_code == 201
    reused = client.post(API, json=body | {"challenge": payload, "email": "b@example.com"})
    assert [e["code"] for e in reused.get_json()["errors"]] == ["challenge_used"]
    assert entries(db) == 1


def test_each_entry_answer_carries_the_next_challenge_for_a_client_sending_many(
        client: Browser, db: Session, clock: Clock) -> None:
    rules = replace(rules_document(), defences=Defences(api_challenge=True))
    make_contest(db, rules=rules)
    clock.now = OPENS + timedelta(hours=5)
    body = ANNA | consented(rules)
    answer = client.post(API, json=body | {"challenge": fetched(client)})
    assert answer.status_code == 201
    following = answer.get_json()["next_challenge"]
    second = client.post(API, json=body | {"email": "b@example.com", "full_name": "Bo Li",
                                           "challenge": solved(following)})
    assert second.status_code == 201, second.get_data(as_text=True)
    assert second.get_json()["next_challenge"] != following
    assert entries(db) == 2


def test_without_the_rule_the_api_needs_no_challenge(client: Browser, contest: Session) -> None:
    assert client.get(f"/api/contests/{SLUG}").get_json()["entry_form"]["challenge"] is None
    answer = client.post(API, json=ANNA)
    assert answer.status_code == 201 and "next_challenge" not in answer.get_json()


def test_the_difficulty_is_a_whole_number_from_0(tmp_path: Path) -> None:
    base = {"instance_path": str(tmp_path / "i"), "secret_key": "s" * 32}
    assert Settings.from_values(base).challenge_difficulty == 100_000
    assert Settings.from_values(base | {"challenge_difficulty": "0"}).challenge_difficulty == 0
    for wrong in ("-1", "many", "10000001"):
        with pytest.raises(ConfigError, match="CONTEST_CHALLENGE_DIFFICULTY"):
            Settings.from_values(base | {"challenge_difficulty": wrong})
