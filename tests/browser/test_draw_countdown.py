"""The draw desk's countdown in a real browser (issue 17): the page says when the drand round
is out, the script counts down from the seconds the server gave, and the fetch button is
enabled once they have passed. The browser's clock is Playwright's, moved by hand."""

from flask import Flask
from playwright.sync_api import Page
from sqlmodel import Session

from contest.draw.service import freeze
from tests.browser.test_journeys import sign_in
from tests.draw.builders import FREEZE, closed_contest
from tests.fixtures import Clock


def test_the_desk_counts_down_and_then_offers_the_fetch(app: Flask, db: Session, page: Page,
                                                       live_server: str,
                                                       clock: Clock) -> None:
    contest = closed_contest(db)
    freeze(db, contest=contest, now=FREEZE, signer=app.extensions["contest.signer"])
    db.commit()
    clock.now = FREEZE  # the round is out 61 seconds later
    page.clock.install()
    sign_in(page, live_server, db, clock, "marketer")
    page.goto(f"{live_server}/manage/contests/{contest.slug}/draw")
    countdown = page.locator("time[data-countdown]")
    fetch = page.get_by_role("button", name="Fetch round 1,000,000 and record it")
    assert countdown.inner_text() == "1:01"
    assert fetch.is_disabled()
    assert "exists only from" in page.locator("section.missing").inner_text()
    page.clock.run_for(30_000)
    assert countdown.inner_text() == "0:31"
    assert fetch.is_disabled()
    page.clock.run_for(31_000)
    assert page.locator(".countdown").inner_text() == "The round is out: fetch it now."
    assert fetch.is_enabled()
    assert page.locator("section.missing").count() == 0
