"""Staff run the draw in the browser: freeze, paste the drand round, draw, replace."""

import hashlib
import json
from datetime import timedelta

from sqlmodel import Session, select

from contest.accounts import create_user
from contest.draw.service import find_draw
from contest.models import Entry, FraudFlag, StaffMember
from contest.randomness import RandomnessSource
from contest.rules.publishing import find_contest
from tests.draw.builders import CLOSES, DUE, FREEZE, ROUND, SECRETS, closed_contest
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
    assert "the drand round is not JSON: a field name in double quotes is missing" in bad
    nothing = client.submit(f"{desk}/randomness", {"round_json": ""},
                            follow_redirects=True).get_data(as_text=True)
    assert "paste or fetch drand round 1000000" in nothing
    pasted = json.dumps({"round": ROUND["round"], "signature": ROUND["signature"],
                         "randomness": ROUND["randomness"]})
    client.submit(f"{desk}/randomness", {"round_json": pasted})
    client.submit(f"{desk}/run")
    db.expire_all()
    record = find_draw(db, find_contest(db, contest.slug))
    assert record is not None and record.seed is not None and record.winners
    first = record.winners[0]

    # The marketer is not offered a button that would answer 403: the desk says who acts.
    page = client.get(desk).get_data(as_text=True)
    assert "Disqualifying a winner is an auditor's decision" in page
    assert f"{desk}/replace" not in page
    assert client.submit(f"{desk}/replace", {"ticket": first, "reason": "employee"}
                         ).status_code == 403
    client.post("/logout", data={"csrf_token": client.csrf_token()})
    client.sign_in(auditor, PASSWORD)
    assert f"/manage/contests/{contest.slug}/draw" in client.get(
        "/audit/contests").get_data(as_text=True)
    assert client.submit(f"{desk}/freeze").status_code == 403
    page = client.get(desk).get_data(as_text=True)
    assert f"{desk}/replace" in page and 'value="no_claim"' in page
    refused = client.submit(f"{desk}/replace", {"ticket": first, "reason": "she works there"},
                            follow_redirects=True).get_data(as_text=True)
    assert '<p class="flash error" role="status">must be one of employee, relative' in refused
    page = client.submit(f"{desk}/replace", {"ticket": first, "reason": "employee",
                                             "note": "Saw her at the Springfield shop"},
                         follow_redirects=True).get_data(as_text=True)
    assert first not in page
    assert record.alternates and record.alternates[0] in page


def test_commit_reveal_parties_commit_before_the_freeze_and_reveal_after_it(
    client: Browser, db: Session, clock: Clock
) -> None:
    contest = closed_contest(db, source=RandomnessSource.COMMIT_REVEAL)
    marketer, auditor = _staff(db, clock, "marketer"), _staff(db, clock, "auditor")
    desk = f"/manage/contests/{contest.slug}/draw"
    sponsor_secret, auditor_secret = SECRETS.values()
    clock.now = CLOSES - timedelta(days=1)
    client.sign_in(marketer, PASSWORD)
    client.submit(f"{desk}/commit", {"party": "sponsor", "name": "Snowfall Foods, Ivan Petrov",
                                     "digest": _digest(sponsor_secret)})
    page = client.submit(f"{desk}/commit", {"party": "sponsor", "digest": "abc"},
                         follow_redirects=True).get_data(as_text=True)
    assert "party sponsor already committed" in page
    assert "must be 64 hex characters, got &#39;abc&#39;" in page
    client.post("/logout", data={"csrf_token": client.csrf_token()})
    client.sign_in(auditor, PASSWORD)
    page = client.submit(f"{desk}/commit", {"party": "auditor",
                                             "digest": _digest(auditor_secret).upper()},
                         follow_redirects=True).get_data(as_text=True)
    assert "Done: the step is recorded on the public log." in page
    assert _digest(auditor_secret) in page
    client.post("/logout", data={"csrf_token": client.csrf_token()})

    client.sign_in(marketer, PASSWORD)
    clock.now = FREEZE
    client.submit(f"{desk}/freeze")
    late = client.submit(f"{desk}/commit", {"party": "witness", "digest": "0" * 64},
                         follow_redirects=True).get_data(as_text=True)
    assert ("commitments to the draw of winter-giveaway are taken before the close: the "
            "contest is frozen for the draw") in late
    clock.now = DUE
    client.submit(f"{desk}/reveal", {"party": "sponsor", "secret": sponsor_secret})
    wrong = client.submit(f"{desk}/reveal", {"party": "auditor", "secret": sponsor_secret},
                          follow_redirects=True).get_data(as_text=True)
    assert "party auditor revealed a secret whose SHA-256 is" in wrong
    blocked = client.submit(f"{desk}/randomness", follow_redirects=True).get_data(as_text=True)
    assert "the draw waits for: auditor" in blocked
    client.submit(f"{desk}/reveal", {"party": "auditor", "secret": auditor_secret})
    client.submit(f"{desk}/randomness")
    client.submit(f"{desk}/run")
    db.expire_all()
    record = find_draw(db, find_contest(db, contest.slug))
    assert record is not None and record.seed is not None
    expected = hashlib.sha256(bytes.fromhex(sponsor_secret + auditor_secret)).hexdigest()
    assert record.value == expected


def test_a_contest_drawn_from_drand_takes_no_commitments(client: Browser, db: Session,
                                                         clock: Clock) -> None:
    contest = closed_contest(db)
    clock.now = CLOSES - timedelta(days=1)
    client.sign_in(_staff(db, clock, "marketer"), PASSWORD)
    page = client.submit(f"/manage/contests/{contest.slug}/draw/commit",
                         {"party": "sponsor", "digest": "0" * 64},
                         follow_redirects=True).get_data(as_text=True)
    assert "do not use commit-reveal randomness" in page


def _digest(secret_hex: str) -> str:
    return hashlib.sha256(bytes.fromhex(secret_hex)).hexdigest()


def test_the_desk_says_what_the_freeze_waits_for_and_the_auditor_decides_first(
    client: Browser, db: Session, clock: Clock
) -> None:
    contest = closed_contest(db, reviewed=False)
    db.add(StaffMember(contest_id=contest.id or 0, staff_id="S1", full_name="Anna Smith7",
                       email="p7@example.com"))
    db.commit()
    marketer, auditor = _staff(db, clock, "marketer"), _staff(db, clock, "auditor")
    desk = f"/manage/contests/{contest.slug}/draw"
    clock.now = FREEZE
    client.sign_in(marketer, PASSWORD)
    page = client.get(desk).get_data(as_text=True)
    assert "What the next step still needs" in page
    assert "an auditor must scan the 30 entries" in page
    refused = client.submit(f"{desk}/freeze", follow_redirects=True).get_data(as_text=True)
    assert "not yet: an auditor must scan the 30 entries" in refused
    assert find_draw(db, find_contest(db, contest.slug)) is None
    client.post("/logout", data={"csrf_token": client.csrf_token()})

    client.sign_in(auditor, PASSWORD)
    client.submit(f"/audit/contests/{contest.slug}/scan")
    client.post("/logout", data={"csrf_token": client.csrf_token()})
    client.sign_in(marketer, PASSWORD)
    page = client.get(desk).get_data(as_text=True)
    assert "an auditor must confirm or dismiss 1 open flag" in page
    assert "not yet" in client.submit(f"{desk}/freeze", follow_redirects=True).get_data(
        as_text=True)
    client.post("/logout", data={"csrf_token": client.csrf_token()})

    client.sign_in(auditor, PASSWORD)
    flag = db.exec(select(FraudFlag)).one()
    client.submit(f"/audit/contests/{contest.slug}/flags/decide",
                  {"flag": str(flag.id), "decision": "confirm"})
    client.post("/logout", data={"csrf_token": client.csrf_token()})
    client.sign_in(marketer, PASSWORD)
    page = client.submit(f"{desk}/freeze", follow_redirects=True).get_data(as_text=True)
    assert "Done: the step is recorded on the public log." in page
    db.expire_all()
    record = find_draw(db, find_contest(db, contest.slug))
    assert record is not None
    employee = db.exec(select(Entry).where(Entry.email == "p7@example.com")).one()
    assert employee.ticket not in record.tickets
    client.post("/logout", data={"csrf_token": client.csrf_token()})

    # After the freeze the auditor's flag pages say where a bad winner is handled.
    client.sign_in(auditor, PASSWORD)
    page = client.get(f"/audit/contests/{contest.slug}/flags").get_data(as_text=True)
    assert "the entries are frozen for the draw" in page and desk in page
    assert "Scan the entries now" not in page
