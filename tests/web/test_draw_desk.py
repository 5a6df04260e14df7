"""Staff run the draw in the browser: freeze, paste the drand round, draw, replace."""

import hashlib
import json
from datetime import timedelta
from pathlib import Path

import pytest
from sqlmodel import Session, select

from contest.accounts import create_user
from contest.draw.service import find_draw
from contest.models import Entry, FraudFlag, StaffMember
from contest.randomness import RandomnessSource
from contest.randomness.drand import QUICKNET
from contest.rules.publishing import find_contest
from tests.draw.builders import CLOSES, DUE, FREEZE, ROUND, SECRETS, closed_contest
from tests.draw.relay import local_relay
from tests.fixtures import Browser, Clock, configured_app

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


@pytest.fixture
def no_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy",
                 "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)


@pytest.mark.usefixtures("no_proxy")
def test_the_desk_counts_down_to_the_round_and_fetches_it_from_the_relays(
    database_url: str, clock: Clock, tmp_path: Path
) -> None:
    """Issue 17: step 2 asked for "the drand round's JSON, from any relay" with no button,
    link or word of explanation. The desk names the round and when it is out, counts down
    to it, fetches it from the configured relays, and explains pasting as the fallback."""
    asked: list[str] = []
    with local_relay(asked) as relay, configured_app(database_url, clock, tmp_path,
                                                     drand_relays=relay) as app:
        client = app.test_client()
        assert isinstance(client, Browser)
        with Session(app.extensions["contest.engine"], expire_on_commit=False) as db:
            contest = closed_contest(db)
            client.sign_in(_staff(db, clock, "marketer"), PASSWORD)
            desk = f"/manage/contests/{contest.slug}/draw"
            clock.now = FREEZE
            client.submit(f"{desk}/freeze")
            page = client.get(desk).get_data(as_text=True)
            assert "drand round 1,000,000 of the League of Entropy" in page
            due = DUE.isoformat().replace("+00:00", "Z")
            assert f'<time datetime="{due}">' in page
            # Without JavaScript the time left is a plain duration; the script counts it down.
            assert 'data-countdown="61"' in page and "61 seconds" in page
            # What the step waits for is said as a moment in the contest's zone, not as ISO.
            assert "exists only from 27 September 2023, 08:29 UTC" in page
            assert "countdown.js" in page
            fetch = page[page.index('name="fetch"'):]
            assert fetch[:fetch.index(">")].count("disabled") == 1
            # Pasting stays, explained, with a link to the round at a relay.
            assert f'href="{relay}/{QUICKNET.hash}/public/1000000"' in page
            assert "copy all the text it shows" in page
            early = client.submit(f"{desk}/randomness", {"fetch": "1"},
                                  follow_redirects=True).get_data(as_text=True)
            assert "drand round 1000000 is due at" in early
            assert asked == []

            clock.now = DUE + timedelta(seconds=5)
            page = client.get(desk).get_data(as_text=True)
            assert "data-countdown" not in page
            fetch = page[page.index('name="fetch"'):]
            assert "disabled" not in fetch[:fetch.index(">")]
            done = client.submit(f"{desk}/randomness", {"fetch": "1"},
                                 follow_redirects=True).get_data(as_text=True)
            assert "Done: the step is recorded on the public log." in done
            assert asked == [f"/{QUICKNET.hash}/public/1000000"]
            record = find_draw(db, find_contest(db, contest.slug))
            assert record is not None and record.value == ROUND["randomness"]
        app.extensions["contest.engine"].dispose()


def test_the_desk_names_the_public_numbers_an_rfc3797_draw_waits_for(
    client: Browser, db: Session, clock: Clock
) -> None:
    contest = closed_contest(db, source=RandomnessSource.RFC3797)
    client.sign_in(_staff(db, clock, "marketer"), PASSWORD)
    desk = f"/manage/contests/{contest.slug}/draw"
    clock.now = FREEZE
    client.submit(f"{desk}/freeze", {"announce": "us-ny-lotto",
                                     "announced_at": "2023-09-28T20:00"})
    page = client.get(desk).get_data(as_text=True)
    assert ("The draw will use the numbers of New York Lotto (USA) published at "
            "28 September 2023, 20:00 UTC") in page
    assert 'name="sources"' in page and 'name="fetch"' not in page


@pytest.mark.usefixtures("no_proxy")
def test_when_no_relay_answers_the_desk_says_so_and_the_paste_remains(
    database_url: str, clock: Clock, tmp_path: Path
) -> None:
    with local_relay() as relay:
        pass  # a relay that was there and is gone: its port refuses
    with configured_app(database_url, clock, tmp_path, drand_relays=relay) as app:
        client = app.test_client()
        assert isinstance(client, Browser)
        with Session(app.extensions["contest.engine"], expire_on_commit=False) as db:
            contest = closed_contest(db)
            client.sign_in(_staff(db, clock, "marketer"), PASSWORD)
            desk = f"/manage/contests/{contest.slug}/draw"
            clock.now = FREEZE
            client.submit(f"{desk}/freeze")
            clock.now = DUE + timedelta(seconds=5)
            answer = client.submit(f"{desk}/randomness", {"fetch": "1"},
                                   follow_redirects=True)
            page = answer.get_data(as_text=True)
            assert answer.status_code == 200
            assert f"no drand relay served round 1000000: {relay}: " in page
            assert 'name="round_json"' in page
            record = find_draw(db, find_contest(db, contest.slug))
            assert record is not None and record.value is None
