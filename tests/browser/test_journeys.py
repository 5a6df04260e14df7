"""The main journeys in a real browser, as people make them: a marketer publishes a contest,
a person enters from a phone and keeps the receipt, an auditor confirms a flag. (A visitor
verifying a draw is test_verify_draw.py.) Screenshots land in test-artifacts/screenshots/.
"""

import re
from collections.abc import Iterator
from datetime import timedelta

import pytest
from playwright.sync_api import Browser, Page
from sqlmodel import Session, select

from contest.accounts import create_user
from contest.fraud.review import scan_contest
from contest.models import Entry, FraudFlag
from tests.browser.conftest import SCREENSHOTS
from tests.builders import OPENS, make_contest
from tests.fixtures import Clock
from tests.review.builders import contest_with_roster

PASSWORD = "a long password"


def sign_in(page: Page, base: str, db: Session, clock: Clock, role: str) -> None:
    email = f"{role}@brand.example"
    create_user(db, email=email, name=f"Ann {role.title()}", role=role, password=PASSWORD,
                actor_id=None, now=clock.now)
    db.commit()
    page.goto(f"{base}/login")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(lambda url: not url.endswith("/login"))


def test_a_marketer_creates_and_publishes_a_contest(page: Page, live_server: str, db: Session,
                                                    clock: Clock) -> None:
    """Through the rules wizard, filling each control by its label as a person reads it."""
    clock.now = OPENS - timedelta(days=10)
    sign_in(page, live_server, db, clock, "marketer")
    page.goto(f"{live_server}/manage/contests")
    page.get_by_label("Title").fill("Spring giveaway")
    page.get_by_label("Sweepstake, no purchase necessary").check()
    page.click("text=Create the contest")
    page.wait_for_url(re.compile(r".*/manage/contests/spring-giveaway/rules$"))
    assert "Give the sponsor's legal name" in page.inner_text("div.todo")
    page.get_by_label("Sponsor: legal name").fill("Snowfall Foods LLC")
    page.get_by_label("Organiser: legal name").fill("Bright Promo Agency")
    page.get_by_role("button", name="Save and continue").click()
    page.wait_for_url(re.compile(r".*step=who$"))
    page.get_by_label("Countries whose people may enter").fill("United States, Ukraine")
    page.get_by_role("button", name="Save and continue").click()
    page.wait_for_url(re.compile(r".*step=when$"))
    page.get_by_label("Time zone of the contest").fill("Kyiv")
    page.get_by_label("Entries open").fill("2026-12-01T09:00")
    page.get_by_label("Entries close").fill("2026-12-31T18:00")
    page.get_by_label("Draw").fill("2027-01-02T12:00")
    page.get_by_role("button", name="Save and continue").click()
    page.wait_for_url(re.compile(r".*step=sources$"))
    page.get_by_role("button", name="Save and continue").click()
    page.wait_for_url(re.compile(r".*step=prizes$"))
    page.get_by_label("Prize 1: what it is").fill("Gift card")
    page.get_by_label("Prize 1: how many").fill("3")
    page.get_by_label("Prize 1: retail value").fill("3,500.00")
    page.get_by_label("Prize 1: currency", exact=True).fill("₴")
    page.get_by_label("Number of winners").fill("3")
    page.get_by_label("Number of alternates").fill("2")
    page.get_by_role("button", name="Save and continue").click()
    page.wait_for_url(re.compile(r".*step=selection$"))
    page.get_by_role("button", name="Save and continue").click()
    page.wait_for_url(re.compile(r".*step=complaints$"))
    page.get_by_label("Official complaint channel").fill("complaints@snowfall-foods.com")
    page.get_by_role("button", name="Save and continue").click()
    page.wait_for_url(re.compile(r".*step=sections$"))
    assert "Nothing is missing" in page.inner_text("main")
    page.get_by_role("button", name="Save and continue").click()
    page.wait_for_url(re.compile(r".*/preview$"))
    assert "Preview: this is exactly the page the public will see" in page.content()
    page.click("form.publish button[type=submit]")
    page.wait_for_url(re.compile(r".*/contests/spring-giveaway/rules$"))
    text = page.inner_text("main")
    assert "Version 1 is published." in text
    assert re.search(r"[0-9a-f]{64}", text), "no fingerprint on the official rules page"


def test_the_prize_advisor_speaks_as_the_marketer_types(page: Page, live_server: str,
                                                        db: Session, clock: Clock) -> None:
    clock.now = OPENS - timedelta(days=10)
    make_contest(db, published=False)
    sign_in(page, live_server, db, clock, "marketer")
    page.goto(f"{live_server}/manage/contests/winter-giveaway/rules?step=prizes")
    page.get_by_label("Prize 1: what it is").fill("Toy car")
    advice = page.locator('[id="prizes.0.advice"]')
    advice.filter(has_text="Toy car suits").wait_for()
    assert "warning" in (advice.get_attribute("class") or "")


@pytest.fixture
def phone(chromium: Browser, request: pytest.FixtureRequest) -> Iterator[Page]:
    """A phone-sized page (390 px wide, touch), screenshotted at the end."""
    context = chromium.new_context(locale="ru-RU", viewport={"width": 390, "height": 844},
                                   device_scale_factor=2, is_mobile=True, has_touch=True)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{request.node.name}-390px.png"), full_page=True)
    context.close()
    assert not errors, errors


def test_a_person_enters_from_a_phone_and_keeps_the_receipt(phone: Page, live_server: str,
                                                            db: Session, clock: Clock) -> None:
    contest, _ = make_contest(db)
    clock.now = OPENS + timedelta(days=1)
    phone.goto(f"{live_server}/contests/{contest.slug}/enter")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390, "wider than a phone"
    for label in phone.locator("input:not([type=hidden]), select").all():
        name = label.get_attribute("id")
        assert name and phone.locator(f'label[for="{name}"]').count() == 1, (
            f"input {name} has no label for screen readers")
    phone.fill("#full_name", "Анна Петрова")
    phone.fill("#email", "anna.petrova@example.ru")
    phone.fill("#birth_date", "1990-05-17")
    phone.select_option("#country", "RU")
    phone.get_by_label("Я согласен(на) на обработку моих персональных данных").check()
    phone.locator("form button[type=submit]").last.click()
    phone.wait_for_url(re.compile(r".*/receipts/[0-9a-f]{32}/[A-Za-z0-9_-]{22}$"))
    ticket = phone.url.rsplit("/", 2)[1]
    receipt = phone.inner_text("main")
    assert ticket in receipt and "Вы участвуете в розыгрыше" in phone.inner_text("h1")
    assert "Анна П." in receipt and "anna.petrova" not in receipt
    assert db.exec(select(Entry).where(Entry.ticket == ticket)).one().full_name == "Анна Петрова"


def test_an_auditor_confirms_a_flag_in_the_browser(page: Page, live_server: str, db: Session,
                                                   clock: Clock) -> None:
    contest, tickets = contest_with_roster(db)
    scan_contest(db, contest=contest, now=OPENS + timedelta(days=1))
    db.commit()
    sign_in(page, live_server, db, clock, "auditor")
    page.goto(f"{live_server}/audit/contests/{contest.slug}/flags?kind=proxy")
    page.click("text=details")
    assert page.locator("figure.evidence svg[role=img]").count() == 1
    page.fill("#reason", "Olga is the front for Ivan Ivanov")
    page.click("button[value=confirm]")
    page.wait_for_load_state()
    assert "1 flag confirmed" in page.inner_text("main")
    db.expire_all()
    flag = db.exec(select(FraudFlag).where(FraudFlag.kind == "proxy")).one()
    assert flag.status == "confirmed"
    entry = db.exec(select(Entry).where(Entry.ticket == tickets["proxy"])).one()
    assert (entry.eligible, entry.reasons) == (False, ("proxy",))


def test_a_person_complains_from_a_phone_and_follows_the_answer(
        phone: Page, page: Page, live_server: str, db: Session, clock: Clock) -> None:
    contest, _ = make_contest(db)
    clock.now = OPENS + timedelta(days=1)
    phone.goto(f"{live_server}/contests/{contest.slug}")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390, "wider than a phone"
    phone.locator("details.complain > summary").click()  # folded under "Enter"
    phone.fill("#contact", "+7 916 123-45-67")
    phone.select_option("#kind", "prize_not_delivered")
    phone.fill("#text", "Приз так и не пришёл.")
    phone.locator("form button[type=submit]").last.click()
    phone.wait_for_url(re.compile(r".*/complaints/[\w-]{43}\?new=1$"))
    acknowledged = phone.inner_text("main")
    assert "Жалоба 1" in acknowledged and "Ваша жалоба получена" in acknowledged
    assert "+7 916" not in acknowledged
    # The auditor answers in public; the person's page shows it.
    sign_in(page, live_server, db, clock, "auditor")
    page.goto(f"{live_server}/audit/contests/{contest.slug}/complaints")
    page.click("a[href$='/complaints/1']")
    page.fill("#answer", "The courier delivers on Friday.")
    page.check("input[name=public]")
    page.click("text=Send the answer")
    page.wait_for_load_state()
    assert "Complaint 1 is answered." in page.inner_text("main")
    phone.reload()
    assert "The courier delivers on Friday." in phone.inner_text("main")
