"""Status and times agree across pages (issue 17): one status word per state of a contest,
frozen included, on every page and answer that names it; moments in the sponsor's zone,
named as people name it."""

import dataclasses
from datetime import timedelta

from flask import Flask
from sqlmodel import Session

from contest.accounts import create_user
from contest.draw.service import freeze
from contest.rules.versions import PublishedContest
from tests.builders import OPENS, make_contest, make_entry, rules_document
from tests.draw.builders import FREEZE, closed_contest
from tests.fixtures import Browser, Clock
from tests.web.test_review_desk import sign_in


def test_a_frozen_contest_is_frozen_on_every_page_and_answer(app: Flask, client: Browser,
                                                             db: Session,
                                                             clock: Clock) -> None:
    contest = closed_contest(db)
    freeze(db, contest=contest, now=FREEZE, signer=app.extensions["contest.signer"])
    db.commit()
    clock.now = FREEZE + timedelta(seconds=1)
    [listed] = client.get("/api/contests").get_json()
    assert listed["status"] == "frozen"
    assert client.get(f"/api/contests/{contest.slug}").get_json()["status"] == "frozen"
    create_user(db, email="m@brand.example", name="M", role="marketer",
                password="a long password", actor_id=None, now=clock.now)
    db.commit()
    client.sign_in("m@brand.example", "a long password")
    for page in ("/", f"/contests/{contest.slug}", f"/contests/{contest.slug}/rules",
                 f"/contests/{contest.slug}/results", "/manage/contests",
                 f"/manage/contests/{contest.slug}/draw"):
        html = client.get(page).get_data(as_text=True)
        assert '<span class="status status-frozen">frozen</span>' in html, page
        assert "status-closed" not in html, page


def test_the_status_word_is_said_in_the_page_s_language(app: Flask, client: Browser,
                                                        db: Session, clock: Clock) -> None:
    contest = closed_contest(db)
    freeze(db, contest=contest, now=FREEZE, signer=app.extensions["contest.signer"])
    db.commit()
    clock.now = FREEZE + timedelta(seconds=1)
    words = {}
    for language in ("ru", "uk"):
        client.post(f"/language/{language}", data={"csrf_token": client.csrf_token()})
        html = client.get(f"/contests/{contest.slug}/results").get_data(as_text=True)
        words[language] = html.split('status-frozen">')[1].split("<")[0]
    assert words == {"ru": "заморожен", "uk": "заморожений"}


def test_every_moment_of_a_complaint_names_the_sponsor_s_zone(client: Browser, db: Session,
                                                              clock: Clock) -> None:
    """The auditor's queue showed its moments in UTC ("Coordinated Universal Time") while the
    person's page showed the contest's zone: both now say the zone as people name it."""
    rules = rules_document()
    rules = dataclasses.replace(rules, period=dataclasses.replace(rules.period,
                                                                  timezone="Europe/Kyiv"))
    make_contest(db, rules=rules)
    clock.now = OPENS + timedelta(days=1, hours=1)
    answer = client.post("/api/contests/winter-giveaway/complaints", json={
        "contact": "anna@example.com", "kind": "not_included", "text": "Missing entry."})
    key = answer.get_json()["url"].rsplit("/", 1)[1]
    received = "2 December 2026, 12:00 Kyiv (UTC+02:00)"
    assert received in client.get(f"/complaints/{key}").get_data(as_text=True)
    sign_in(client, db, clock, "auditor")
    queue = client.get("/audit/contests/winter-giveaway/complaints").get_data(as_text=True)
    assert received in queue and "Kyiv (UTC+02:00)" in queue.split(received)[0]
    assert "UTC</td>" not in queue and "Coordinated" not in queue


def test_a_page_about_a_contest_shows_its_moments_in_the_sponsor_s_zone(
        client: Browser, db: Session, clock: Clock) -> None:
    """Pages that name no zone for a moment (a receipt, the auditor's entries, the home
    page's cards) showed UTC: a moment on a page about a contest is in its zone."""
    rules = rules_document()
    rules = dataclasses.replace(rules, period=dataclasses.replace(rules.period,
                                                                  timezone="Europe/Kyiv"))
    contest, version = make_contest(db, rules=rules)
    assert version is not None
    clock.now = OPENS + timedelta(days=1, hours=1)
    entry = make_entry(db, PublishedContest(contest, version, rules),
                       data={"full_name": "Anna Smith", "email": "anna@example.com",
                             "birth_date": "1990-01-01", "country": "US"},
                       now=clock.now)
    db.commit()
    received = "2 December 2026, 12:00 Kyiv (UTC+02:00)"
    assert received in client.get(f"/receipts/{entry.ticket}").get_data(as_text=True)
    home = client.get("/").get_data(as_text=True)
    assert "1 December 2026, 11:00 — 31 December 2026, 11:00, Kyiv (UTC+02:00)" in home
    sign_in(client, db, clock, "auditor")
    listed = client.get(f"/audit/contests/{contest.slug}/entries").get_data(as_text=True)
    assert received in listed
