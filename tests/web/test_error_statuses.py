"""Each kind of domain error gets its own HTTP status and the person's message: a step the
contest's state does not allow is a conflict (409), a request to send again later is 503
with Retry-After, bad input 422; never a bare 400 for all of them."""

from datetime import timedelta

import pytest
from sqlmodel import Session, select

from contest.accounts import create_user
from contest.entries import intake
from contest.models import Entry
from tests.builders import OPENS, consented, make_contest
from tests.draw.builders import FREEZE, closed_contest
from tests.fixtures import Browser, Clock

PASSWORD = "a long password"
ANNA = consented() | {"full_name": "Anna Smith", "email": "anna@example.com",
                     "birth_date": "1990-04-12",
        "country": "US"}


def _marketer(client: Browser, db: Session, clock: Clock) -> None:
    create_user(db, email="m@brand.example", name="M", role="marketer", password=PASSWORD,
                actor_id=None, now=clock.now)
    db.commit()
    client.sign_in("m@brand.example", PASSWORD)


def test_editing_the_rules_of_a_frozen_contest_is_a_conflict_with_its_stage(
        client: Browser, db: Session, clock: Clock) -> None:
    contest = closed_contest(db)
    _marketer(client, db, clock)
    clock.now = FREEZE
    desk = f"/manage/contests/{contest.slug}"
    assert client.submit(f"{desk}/draw/freeze").status_code == 303
    edited = client.submit(f"{desk}/rules", {"title": "Another title"},
                           headers={"Accept-Language": "en"})
    assert edited.status_code == 409
    assert "cannot be edited: the contest is frozen for the draw" in edited.get_data(
        as_text=True)


def test_an_entry_that_finds_no_free_ticket_is_asked_to_come_again(
        client: Browser, db: Session, clock: Clock, monkeypatch: pytest.MonkeyPatch) -> None:
    make_contest(db)
    clock.now = OPENS + timedelta(hours=5)
    url = "/api/contests/winter-giveaway/entries"
    monkeypatch.setattr(intake, "new_ticket", lambda: "0" * 32)  # every draw the same ticket
    assert client.post(url, json=ANNA).status_code == 201
    again = client.post(url, json=ANNA | {"email": "boris@example.com"})
    assert again.status_code == 503, again.get_data(as_text=True)
    assert again.headers["Retry-After"].isdigit()
    assert again.get_json() == {"error": "try_again",
                                "message": "no free ticket after 3 attempts"}
    assert db.exec(select(Entry.email)).all() == ["anna@example.com"]
