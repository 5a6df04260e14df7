"""Polish seen on the way (issue 17): what a page offers first, the summaries, the preview's
single header, the favicon and the base URL the signed records name."""

import re
from datetime import timedelta

from flask.testing import FlaskClient
from sqlmodel import Session

from contest.accounts import create_user
from contest.rules.document import EntryPeriod
from tests.builders import OPENS, make_contest, rules_document
from tests.fixtures import Browser, Clock

PASSWORD = "a long password"


def sign_in(client: Browser, db: Session, clock: Clock, role: str) -> None:
    email = f"{role}@brand.example"
    create_user(db, email=email, name=f"Ann {role.title()}", role=role, password=PASSWORD,
                actor_id=None, now=clock.now)
    db.commit()
    client.sign_in(email, PASSWORD)


def card(html: str, slug: str) -> str:
    """The home page's card of the contest ``slug``."""
    found = re.search(rf'<li class="card">(?:(?!</li>).)*?/contests/{slug}"(?:(?!</li>).)*</li>',
                      html, re.S)
    assert found, f"no card for {slug}"
    return found.group(0)


def test_home_cards_offer_enter_while_open_and_results_once_closed(
        client: FlaskClient, db: Session, clock: Clock) -> None:
    clock.now = OPENS + timedelta(days=1)
    make_contest(db, slug="open-now")
    make_contest(db, slug="later", rules=rules_document(opens_at=OPENS + timedelta(days=5)))
    make_contest(db, slug="over", rules=rules_document(opens_at=OPENS - timedelta(days=60)))
    html = client.get("/").get_data(as_text=True)
    assert 'href="/contests/open-now/enter"' in card(html, "open-now")
    assert "/results" not in card(html, "open-now")
    assert "/enter" not in card(html, "later") and "/results" not in card(html, "later")
    assert 'href="/contests/over/results"' in card(html, "over")
    assert "/enter" not in card(html, "over")


def test_home_cards_name_the_contests_zone_once_as_people_say_it(
        client: FlaskClient, db: Session) -> None:
    make_contest(db, rules=rules_document(period=EntryPeriod(
        timezone="Europe/Kyiv", opens_at=OPENS, closes_at=OPENS + timedelta(days=30),
        draw_at=OPENS + timedelta(days=32))))
    make_contest(db, slug="in-utc")
    html = client.get("/").get_data(as_text=True)
    assert "Coordinated Universal Time" not in html
    assert "Eastern European" not in html
    assert card(html, "winter-giveaway").count("Kyiv (UTC+02:00)") == 1
    assert card(html, "in-utc").count("UTC") == 1


def test_the_contest_page_leads_with_enter_and_folds_the_complaint_form(
        client: FlaskClient, db: Session, clock: Clock) -> None:
    clock.now = OPENS + timedelta(days=1)
    make_contest(db)
    html = client.get("/contests/winter-giveaway").get_data(as_text=True)
    main = html[html.index("<main>"):]
    enter = main.index('href="/contests/winter-giveaway/enter"')
    assert enter < main.index("<form"), "a form comes before Enter"
    assert enter < main.index("<h2"), "Enter is not the page's first action"
    folded = re.search(r"<details[^>]*>\s*<summary>(.*?)</summary>(.*?)</details>", main, re.S)
    assert folded, "the complaint form is not folded away"
    assert "Send a complaint" in folded.group(1)
    assert 'name="contact"' in folded.group(2)
    assert 'action="/contests/winter-giveaway/complaints"' in folded.group(2)


def test_a_closed_contest_page_offers_results_and_no_enter(
        client: FlaskClient, db: Session, clock: Clock) -> None:
    clock.now = OPENS + timedelta(days=40)
    make_contest(db)
    html = client.get("/contests/winter-giveaway").get_data(as_text=True)
    assert "/contests/winter-giveaway/enter" not in html
    assert re.search(r'class="button[^"]*" href="/contests/winter-giveaway/results"', html)


def test_the_preview_shows_the_public_page_inside_one_header(
        client: Browser, db: Session, clock: Clock) -> None:
    make_contest(db, published=False)
    sign_in(client, db, clock, "marketer")
    html = client.get("/manage/contests/winter-giveaway/preview").get_data(as_text=True)
    assert "Preview: this is exactly the page the public will see" in html
    assert html.count("<html") == 1 and html.count("<body") == 1
    assert html.count("<header") == 1 and html.count("Sign out") == 1
    assert html.count("<main") == 1 and html.count("<footer") == 1


def test_every_page_links_an_icon_that_answers_and_favicon_ico_answers(
        client: FlaskClient, db: Session) -> None:
    make_contest(db)
    for path in ("/", "/contests/winter-giveaway", "/contests/winter-giveaway/rules", "/login"):
        html = client.get(path).get_data(as_text=True)
        icons = re.findall(r'<link rel="icon" href="([^"]+)"', html)
        assert icons, f"{path} links no icon"
        for icon in icons:
            with client.get(icon) as answer:
                assert answer.status_code == 200, icon
                assert answer.mimetype in ("image/svg+xml", "image/vnd.microsoft.icon")
    with client.get("/favicon.ico") as answer:
        assert answer.status_code == 200
        assert answer.mimetype == "image/vnd.microsoft.icon"
        assert answer.data[:4] == b"\x00\x00\x01\x00", "not an ICO file"
