"""Polish seen on the way (issue 17): what a page offers first, the summaries, the preview's
single header, the favicon and the base URL the signed records name."""

import logging
import re
from datetime import timedelta
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from sqlmodel import Session, select

from contest.accounts import create_user
from contest.fraud.review import scan_contest
from contest.models import FraudFlag
from contest.rules.document import EntryPeriod
from tests.builders import OPENS, consent_version, make_contest, rules_document
from tests.draw.builders import FREEZE, closed_contest
from tests.fixtures import Browser, Clock, configured_app
from tests.review.builders import contest_with_roster

PASSWORD = "a long password"


def sign_in(client: Browser, db: Session, clock: Clock, role: str) -> None:
    email = f"{role}@brand.example"
    create_user(db, email=email, name=f"Ann {role.title()}", role=role, password=PASSWORD,
                actor_id=None, now=clock.now)
    db.commit()
    client.sign_in(email, PASSWORD)


def token_at(client: FlaskClient, path: str, base: str) -> str:
    """The CSRF token of the page at ``path``, reached at ``base`` (a host of our choosing)."""
    page = client.get(path, base_url=base).get_data(as_text=True)
    found = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert found
    return found.group(1)


def sign_in_at(client: FlaskClient, db: Session, clock: Clock, role: str, base: str) -> None:
    email = f"{role}@brand.example"
    create_user(db, email=email, name=f"Ann {role.title()}", role=role, password=PASSWORD,
                actor_id=None, now=clock.now)
    db.commit()
    # Over HTTPS the CSRF check wants the page's own site as the referrer, as a browser sends.
    client.post("/login", base_url=base, headers={"Referer": f"{base}/login"}, data={
        "csrf_token": token_at(client, "/login", base), "email": email, "password": PASSWORD})


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


def test_start_up_says_plainly_that_the_public_address_is_not_set(
        database_url: str, clock: Clock, tmp_path: Path,
        caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING), configured_app(database_url, clock, tmp_path):
        pass
    said = caplog.text
    assert "CONTEST_BASE_URL is not set" in said
    assert "http://127.0.0.1:5000" in said and "127.0.0.1:5000/log" in said
    caplog.clear()
    with caplog.at_level(logging.WARNING), configured_app(database_url, clock,
                                                          tmp_path / "given",
                                                          base_url="https://contest.example"):
        pass
    assert "CONTEST_BASE_URL" not in caplog.text


def test_the_admin_page_shows_the_public_address_in_use_and_that_it_is_not_set(
        client: Browser, db: Session, clock: Clock) -> None:
    sign_in_at(client, db, clock, "admin", "http://contest.example:8000")
    html = client.get("/admin/users", base_url="http://contest.example:8000").get_data(
        as_text=True)
    assert "http://127.0.0.1:5000" in html and "127.0.0.1:5000/log" in html
    assert "<code>CONTEST_BASE_URL</code> is not set" in html
    assert "contest.example:8000" in html, "the address the page was reached at is not shown"


def test_the_admin_page_shows_a_given_public_address_without_a_warning(
        database_url: str, clock: Clock, tmp_path: Path, db: Session) -> None:
    with configured_app(database_url, clock, tmp_path / "given",
                        base_url="https://contest.example") as app:
        client = app.test_client()
        assert isinstance(client, Browser)
        sign_in_at(client, db, clock, "admin", "https://contest.example")
        html = client.get("/admin/users", base_url="https://contest.example").get_data(
            as_text=True)
    assert "https://contest.example" in html and "contest.example/log" in html
    assert "is not set" not in html


def test_what_is_signed_names_the_configured_log_whatever_host_the_request_names(
        client: Browser, db: Session, clock: Clock) -> None:
    clock.now = OPENS + timedelta(days=1)
    make_contest(db)
    evil = "http://evil.example"
    page = client.get("/contests/winter-giveaway/enter", base_url=evil).get_data(as_text=True)
    token = re.search(r'name="idempotency_token" value="([^"]+)"', page)
    assert token
    answer = client.post("/contests/winter-giveaway/enter", base_url=evil, data={
        "csrf_token": token_at(client, "/contests/winter-giveaway/enter", evil),
        "full_name": "Anna Petrova", "email": "anna@example.com", "birth_date": "1990-01-01",
        "country": "RU", "personal_data_consent": consent_version(),
        "idempotency_token": token.group(1)}, follow_redirects=True)
    assert "evil.example" in answer.request.host
    receipt = answer.get_data(as_text=True)
    assert answer.status_code == 200 and "contest-receipt/2" in receipt
    assert "— 127.0.0.1:5000/log " in receipt, "the receipt is not signed by the log's key"
    assert "evil.example" not in receipt


def test_the_persons_complaint_page_shows_its_facts_as_one_styled_summary(
        client: Browser, db: Session, clock: Clock) -> None:
    clock.now = OPENS + timedelta(days=1)
    make_contest(db)
    answer = client.submit("/contests/winter-giveaway/complaints", {
        "contact": "anna@example.com", "kind": "not_included",
        "text": "My entry from Monday is missing."}, follow_redirects=True)
    html = answer.get_data(as_text=True)
    summary = re.search(r'<dl class="summary">(.*?)</dl>', html, re.S)
    assert summary, "no styled summary"
    assert "Received" in summary.group(1) and "Answer due by" in summary.group(1)


def test_the_draw_desk_shows_its_facts_as_one_styled_summary(
        client: Browser, db: Session, clock: Clock) -> None:
    contest = closed_contest(db)
    sign_in(client, db, clock, "admin")
    desk = f"/manage/contests/{contest.slug}/draw"
    clock.now = FREEZE
    page = client.submit(f"{desk}/freeze", follow_redirects=True).get_data(as_text=True)
    summary = re.search(r'<dl class="summary">(.*?)</dl>', page, re.S)
    assert summary, "the draw desk has no styled summary"
    assert "<dt>Frozen</dt>" in summary.group(1) and "<dt>Entries root</dt>" in summary.group(1)


def test_a_flag_shows_its_facts_as_one_styled_summary(
        client: Browser, db: Session, clock: Clock) -> None:
    contest, _ = contest_with_roster(db)
    scan_contest(db, contest=contest, now=OPENS + timedelta(days=1))
    db.commit()
    flag = db.exec(select(FraudFlag)).first()
    assert flag is not None
    sign_in(client, db, clock, "auditor")
    page = client.get(f"/audit/contests/{contest.slug}/flags/{flag.id}").get_data(as_text=True)
    summary = re.search(r'<dl class="summary">(.*?)</dl>', page, re.S)
    assert summary, "the flag page has no styled summary"
    assert "<dt>Score</dt>" in summary.group(1)


def test_the_contest_page_names_its_zone_once_as_people_say_it(
        client: FlaskClient, db: Session) -> None:
    make_contest(db, rules=rules_document(period=EntryPeriod(
        timezone="Europe/Kyiv", opens_at=OPENS, closes_at=OPENS + timedelta(days=30),
        draw_at=OPENS + timedelta(days=32))))
    html = client.get("/contests/winter-giveaway", headers={"Accept-Language": "uk"}).get_data(
        as_text=True)
    period = re.search(r"<p>Приймання заявок: (.*?)</p>", html)
    assert period, "no entry period"
    assert period.group(1).count("Київ (UTC+02:00)") == 1
    assert "східноєвроп" not in period.group(1)
