"""A marketer who has never seen the app creates, publishes and draws a contest in Chromium,
in English, Russian and Ukrainian, on a desktop and on a phone (issue 17's "Done when").

Each control is found as a person finds it: by its label, a button by its words, in the
language the marketer chose with the page's switcher (the words are read from the same
catalogs the app speaks). Nothing is typed as a code: the zone is "Kyiv"/"Киев"/"Київ", the
country its name, the currency its sign, the amount as the locale writes it. The entrants
and the auditor's scan come in through the domain, as they would from other people; the
drand round comes from a relay on this machine. Every step leaves a screenshot at 1280 and
at 390 px in ``test-artifacts/journey/<language>/``.
"""

import re
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from babel.numbers import format_decimal
from flask import Flask
from playwright.sync_api import Browser, Page
from sqlmodel import Session, select
from werkzeug.serving import make_server

from contest.i18n import translations
from contest.models import Contest, DrawRecord
from contest.rules.versions import find_published
from tests.browser.conftest import ROOT
from tests.browser.test_journeys import sign_in
from tests.builders import make_entry
from tests.draw.builders import DUE, FREEZE, review
from tests.draw.relay import local_relay
from tests.fixtures import Clock, configured_app

ARTEFACTS = ROOT / "test-artifacts" / "journey"
WIDTHS = (1280, 390)


@dataclass(frozen=True)
class Marketer:
    """What a marketer in one language types, and the width of the screen they work on."""

    language: str
    width: int
    language_name: str
    title: str
    country: str
    zone: str
    amount: str

    def say(self, message: str, **values: object) -> str:
        """``message`` as the app says it in this language."""
        said = translations(self.language).gettext(message)
        return said % values if values else said


MARKETERS = [
    Marketer("en", 1280, "English", "Autumn giveaway", "Ukraine", "Kyiv", "3,500.00"),
    Marketer("ru", 390, "Русский", "Осенний розыгрыш", "Украина", "Киев", "3 500"),
    Marketer("uk", 1280, "Українська", "Осінній розіграш", "Україна", "Київ", "3 500,50"),
]


@pytest.fixture
def served(database_url: str, clock: Clock, tmp_path: Path) -> Iterator[tuple[Flask, str]]:
    """The app with a drand relay on this machine among its settings, served on loopback."""
    with local_relay() as relay, configured_app(database_url, clock, tmp_path,
                                                drand_relays=relay) as app:
        server = make_server("127.0.0.1", 0, app, threaded=True)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            yield app, f"http://127.0.0.1:{server.server_port}"
        finally:
            server.shutdown()
            thread.join()


class Camera:
    """A screenshot of each step as the marketer sees it, and of the same address on a
    second page at the other width (the marketer's own page is never resized under them)."""

    def __init__(self, page: Page, marketer: Marketer) -> None:
        self.page, self.marketer, self.taken = page, marketer, 0
        other = next(width for width in WIDTHS if width != marketer.width)
        self.other = page.context.new_page()
        self.other.set_viewport_size({"width": other, "height": 900})
        self.folder = ARTEFACTS / marketer.language
        self.folder.mkdir(parents=True, exist_ok=True)

    def shoot(self, step: str) -> None:
        self.taken += 1
        self.other.goto(self.page.url)
        for page in (self.page, self.other):
            width = page.viewport_size["width"] if page.viewport_size else 0
            page.screenshot(path=str(self.folder / f"{self.taken:02}-{step}-{width}px.png"),
                            full_page=True)
            assert page.evaluate("document.documentElement.scrollWidth") <= width, (
                f"{step}: the page is wider than {width} px")


@pytest.mark.parametrize("marketer", MARKETERS, ids=lambda m: f"{m.language}-{m.width}px")
def test_a_new_marketer_creates_publishes_and_draws_a_contest(
        chromium: Browser, served: tuple[Flask, str], clock: Clock, marketer: Marketer) -> None:
    app, base = served
    say = marketer.say
    context = chromium.new_context(locale="en-US",
                                   viewport={"width": marketer.width, "height": 900})
    page = context.new_page()
    failures: list[str] = []
    page.on("pageerror", lambda error: failures.append(str(error)))
    camera = Camera(page, marketer)
    with Session(app.extensions["contest.engine"], expire_on_commit=False) as db:
        clock.now = DUE - timedelta(days=20)
        sign_in(page, base, db, clock, "marketer")
        page.get_by_role("button", name=marketer.language_name).click()
        page.wait_for_selector(f'html[lang="{marketer.language}"]')

        # What: a template, and a title the address is made from.
        page.goto(f"{base}/manage/contests")
        page.get_by_label(say("Title")).fill(marketer.title)
        page.get_by_label(say("Sweepstake, no purchase necessary")).check()
        camera.shoot("new-contest")
        page.get_by_role("button", name=say("Create the contest")).click()
        page.wait_for_url(re.compile(r".*/manage/contests/[a-z0-9-]+/rules$"))
        slug = page.url.split("/")[-2]
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)+", slug), slug
        todo = page.inner_text("div.todo")
        assert say("Give the sponsor's legal name") in todo, todo
        camera.shoot("what")
        for party, name in (("Sponsor", "Snowfall Foods LLC"),
                            ("Organiser", "Bright Promo Agency")):
            page.get_by_label(f"{say(party)}: {say('legal name')}").fill(name)
        next_step(page, say, "who")
        page.get_by_label(say("Countries whose people may enter")).fill(marketer.country)
        camera.shoot("who")
        next_step(page, say, "when")
        # The round the draw will use is out at DUE (11:29:24 in Kyiv, summer time): entries
        # close just before it and the draw is published for the minute it comes out.
        page.get_by_label(say("Time zone of the contest")).fill(marketer.zone)
        page.get_by_label(say("Entries open")).fill("2023-09-17T10:00")
        page.get_by_label(say("Entries close")).fill("2023-09-27T11:27")
        page.get_by_label(re.compile("^" + re.escape(say("Draw")))).fill("2023-09-27T11:29")
        camera.shoot("when")
        next_step(page, say, "sources")
        camera.shoot("sources")
        next_step(page, say, "prizes")
        page.get_by_label(say("Prize %(number)s: what it is", number=1)).fill("Gift card")
        page.get_by_label(say("Prize %(number)s: how many", number=1)).fill("3")
        page.get_by_label(say("Prize %(number)s: retail value", number=1)).fill(marketer.amount)
        page.get_by_label(say("Prize %(number)s: currency", number=1), exact=True).fill("₴")
        page.get_by_label(say("Number of winners")).fill("3")
        page.get_by_label(say("Number of alternates")).fill("2")
        # The prize advisor answers as the marketer types; they read it before going on.
        page.locator('[id="prizes.0.advice"]').filter(has_text="Gift card").wait_for()
        camera.shoot("prizes")
        next_step(page, say, "selection")
        camera.shoot("selection")
        next_step(page, say, "complaints")
        page.get_by_label(say("Official complaint channel")).fill("complaints@snowfall-foods.com")
        next_step(page, say, "sections")
        assert say("Nothing is missing: preview the rules and publish them.") in page.inner_text(
            "main")
        camera.shoot("sections")
        page.get_by_role("button", name=say("Save and continue")).click()
        page.wait_for_url(re.compile(r".*/preview$"))
        camera.shoot("preview")
        page.get_by_role("button", name=say("Publish these rules")).click()
        page.wait_for_url(re.compile(rf".*/contests/{slug}/rules$"))
        assert re.search(r"\b[0-9a-f]{64}\b", page.inner_text("main")), "no fingerprint"
        camera.shoot("published")

        # People enter while the contest is open; an auditor scans the entries after the close.
        contest = db.exec(select(Contest).where(Contest.slug == slug)).one()
        published = find_published(db, contest)
        assert published is not None
        assert published.rules.period.timezone == "Europe/Kyiv"
        assert published.rules.prizes[0].retail_value.amount in (Decimal(3500), Decimal("3500.5"))
        for number in range(12):
            make_entry(db, published, now=DUE - timedelta(days=5, hours=number), data={
                "full_name": f"Anna Smith{number}", "email": f"p{number}@example.com",
                "birth_date": "1990-01-01", "country": "UA"})
        db.commit()
        review(db, contest)

        # The draw desk, from the list of contests, step by step as it says.
        clock.now = FREEZE
        page.goto(f"{base}/manage/contests")
        page.locator("tr", has_text=marketer.title).get_by_role(
            "link", name=say("Draw"), exact=True).click()
        page.wait_for_url(re.compile(rf".*/manage/contests/{slug}/draw$"))
        camera.shoot("desk")
        page.get_by_role("button", name=say("Freeze the entries")).click()
        page.wait_for_load_state()
        round_number = format_decimal(1_000_000, locale=marketer.language)
        fetch = page.get_by_role("button",
                                 name=say("Fetch round %(round)s and record it",
                                          round=round_number))
        assert fetch.is_disabled(), "the round is not out yet: the fetch must wait"
        assert page.locator("time[data-countdown]").count() == 1
        camera.shoot("frozen")
        clock.now = DUE + timedelta(seconds=5)
        page.reload()
        fetch.click()
        page.wait_for_load_state()
        camera.shoot("randomness")
        page.get_by_role("button", name=say("Draw"), exact=True).click()
        page.wait_for_load_state()
        db.expire_all()
        record = db.exec(select(DrawRecord).where(DrawRecord.contest_id == contest.id)).one()
        assert len(record.winners) == 3 and len(record.alternates) == 2
        camera.shoot("drawn")

        # The public results: a certificate a sceptic can share.
        page.get_by_role("link", name=say("Public results page")).click()
        page.wait_for_url(re.compile(rf".*/contests/{slug}/results$"))
        results = page.inner_text("main")
        for winner in record.winners:
            assert winner in results, f"winner {winner} is not on the results page"
        assert round_number in results
        assert page.get_by_role("link", name=say("Verify this draw in your browser")).count() == 1
        camera.shoot("results")
    context.close()
    assert not failures, f"the page's scripts failed: {failures}"


def next_step(page: Page, say: Callable[..., str], step: str) -> None:
    """Save the step and go on, as the wizard's one button offers."""
    # Reached as the keyboard reaches it: a pointer's click after typing into a number field
    # can land on the form instead, as headless Chromium scrolls the field back on its blur.
    page.get_by_role("button", name=say("Save and continue")).focus()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(rf".*step={step}$"))
