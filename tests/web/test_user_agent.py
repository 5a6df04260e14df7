"""The browser or program an entry came from (its ``User-Agent``) is kept with a live entry,
for the participant graph's bursts: as the request named it, without what is not text, cut
to its column, never a reason to refuse an entry, never something an API body can state."""

from datetime import timedelta

from sqlmodel import Session, select

from contest.entries.submission import user_agent
from contest.models import Entry
from tests.builders import OPENS, consented, make_contest, rules_document
from tests.fixtures import Browser, Clock

FORM = "/contests/winter-giveaway/enter"
API = "/api/contests/winter-giveaway/entries"
ANNA = {"full_name": "Anna Smith", "email": "anna@example.com", "birth_date": "1990-04-12",
        "country": "US"}
PHONE = ("Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) "
         "Chrome/131.0.0.0 Mobile Safari/537.36")


def _open(db: Session, clock: Clock) -> dict[str, str]:
    rules = rules_document()
    make_contest(db, rules=rules)
    clock.now = OPENS + timedelta(hours=5)
    return ANNA | consented(rules)


def test_the_form_and_the_api_keep_the_user_agent_the_request_named(
        client: Browser, db: Session, clock: Clock) -> None:
    fields = _open(db, clock)
    assert client.submit(FORM, fields, headers={"User-Agent": PHONE}).status_code == 303
    answer = client.post(API, json=fields | {"email": "bob@example.com",
                                             "full_name": "Bob Brown"},
                         headers={"User-Agent": "python-requests/2.32.3"})
    assert answer.status_code == 201, answer.get_data(as_text=True)
    assert db.exec(select(Entry.user_agent).order_by(Entry.id)).all() == [  # type: ignore[arg-type]
        PHONE, "python-requests/2.32.3"]


def test_an_api_body_cannot_state_a_user_agent(client: Browser, db: Session,
                                               clock: Clock) -> None:
    answer = client.post(API, json=_open(db, clock) | {"user_agent": "a person's phone"},
                         headers={"User-Agent": "curl/8.5.0"})
    assert answer.status_code == 422
    assert "user_agent" in answer.get_data(as_text=True)
    assert db.exec(select(Entry)).all() == []


def test_a_user_agent_with_control_characters_or_too_long_is_cut_and_the_entry_taken(
        client: Browser, db: Session, clock: Clock) -> None:
    fields = _open(db, clock)
    long_one = "Mozilla/5.0 \x07(" + "x" * 400 + ")"
    assert client.submit(FORM, fields, headers={"User-Agent": long_one}).status_code == 303
    [kept] = db.exec(select(Entry.user_agent)).all()
    assert kept == ("Mozilla/5.0 (" + "x" * 400)[:300]


def test_what_is_kept_of_a_header() -> None:
    assert user_agent(None) is None and user_agent("") is None and user_agent(" \x00 ") is None
    assert user_agent("  Opera \t Mini  ") == "Opera Mini"
