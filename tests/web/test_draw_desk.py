"""Staff run the draw in the browser: freeze, paste the drand round, draw, replace."""

import json
from datetime import timedelta

from sqlmodel import Session

from contest.accounts import create_user
from contest.draw.service import find_draw
from contest.rules.publishing import find_contest
from tests.draw.builders import DUE, FREEZE, ROUND, closed_contest
from tests.fixtures import Browser, Clock

PASSWORD = "a long password"


def _staff(db: Session, clock: Clock, role: str) -> str:
    email = f"{role}@brand.example"
    create_user(db, email=email, name=role, role=role, password=PASSWORD, actor_id=None,
                now=clock.now)
    db.commit()
    return email


def test_a_marketer_runs_the_draw_and_an_auditor_replaces_a_winner(
    client: Browser, db: Session, clock: Clock
) -> None:
    contest = closed_contest(db)
    marketer, auditor = _staff(db, clock, "marketer"), _staff(db, clock, "auditor")
    client.sign_in(marketer, PASSWORD)
    desk = f"/manage/contests/{contest.slug}/draw"
    clock.now = FREEZE
    page = client.submit(f"{desk}/freeze", follow_redirects=True).get_data(as_text=True)
    assert "Done: the step is recorded on the public log." in page
    assert "Take the public randomness" in page and "1000000" in page

    clock.now = DUE + timedelta(seconds=5)
    bad = client.submit(f"{desk}/randomness", {"round_json": "{not json"},
                        follow_redirects=True).get_data(as_text=True)
    assert "the drand round is not valid JSON" in bad
    pasted = json.dumps({"round": ROUND["round"], "signature": ROUND["signature"],
                         "randomness": ROUND["randomness"]})
    client.submit(f"{desk}/randomness", {"round_json": pasted})
    client.submit(f"{desk}/run")
    db.expire_all()
    record = find_draw(db, find_contest(db, contest.slug))
    assert record is not None and record.seed is not None and record.winners is not None
    first = record.winners.split("\n")[0]

    assert client.submit(f"{desk}/replace", {"ticket": first, "reason": "employee"}
                         ).status_code == 403
    client.post("/logout", data={"csrf_token": client.csrf_token()})
    client.sign_in(auditor, PASSWORD)
    assert client.submit(f"{desk}/freeze").status_code == 403
    page = client.submit(f"{desk}/replace", {"ticket": first, "reason": "employee"},
                         follow_redirects=True).get_data(as_text=True)
    assert first not in page
    assert record.alternates is not None and record.alternates.split("\n")[0] in page
