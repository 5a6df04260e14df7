import re
from datetime import timedelta

from flask.testing import FlaskClient
from sqlmodel import Session, select

from contest.models import Entry
from tests.builders import OPENS, consented, make_contest
from tests.fixtures import Browser, Clock


def test_home_lists_published_contests_but_not_drafts(
    client: FlaskClient, db: Session, clock: Clock
) -> None:
    make_contest(db)
    make_contest(db, slug="hidden-draft", published=False)
    html = client.get("/").get_data(as_text=True)
    assert "/contests/winter-giveaway" in html
    assert "hidden-draft" not in html
    assert client.get("/contests/hidden-draft/rules").status_code == 404


def test_rules_page_shows_the_fingerprint_and_the_complaint_channel(
    client: FlaskClient, db: Session
) -> None:
    _, version = make_contest(db)
    assert version is not None
    html = client.get("/contests/winter-giveaway/rules").get_data(as_text=True)
    assert version.sha256 in html
    assert "complaints@snowfall-foods.com" in html
    assert "Version history" in html



def test_the_browser_language_is_used_when_nothing_was_chosen(client: FlaskClient) -> None:
    html = client.get("/", headers={"Accept-Language": "ru-RU,ru;q=0.9,en;q=0.5"}).get_data(
        as_text=True)
    assert '<html lang="ru">' in html


def test_the_entry_form_of_a_scheduled_contest_says_when_it_opens(
    client: FlaskClient, db: Session, clock: Clock
) -> None:
    make_contest(db)
    clock.now = OPENS - timedelta(hours=1)
    html = client.get("/contests/winter-giveaway/enter").get_data(as_text=True)
    assert "Entries open on" in html
    assert 'name="full_name"' not in html


def test_the_page_switches_to_russian_and_remembers_it(
    client: FlaskClient, db: Session
) -> None:
    make_contest(db)
    token_page = client.get("/login").get_data(as_text=True)
    token = token_page.split('name="csrf_token" value="')[1].split('"')[0]
    response = client.post("/language/ru", data={"csrf_token": token, "next": "/"})
    assert response.status_code == 302
    html = client.get("/").get_data(as_text=True)
    assert '<html lang="ru">' in html
    assert "Розыгрыши" in html or "Конкурсы" in html


FORM = "/contests/winter-giveaway/enter"
ANNA = {"full_name": "Anna Smith", "email": "anna@example.com", "birth_date": "1990-04-12",
        "country": "US"} | consented()


def test_the_entry_form_refuses_text_that_is_not_text_next_to_the_field(
    client: Browser, db: Session, clock: Clock
) -> None:
    make_contest(db)
    clock.now = OPENS + timedelta(hours=5)
    page = client.submit(FORM, ANNA | {"address": "Main St\x00 5", "city": "Boston\uffff"})
    assert page.status_code == 422
    html = page.get_data(as_text=True)
    assert 'id="address-error"' in html and "U+0000" in html
    assert 'id="city-error"' in html and "U+FFFF" in html
    assert db.exec(select(Entry)).all() == []


def test_the_form_sent_again_with_other_fields_under_its_token_is_not_the_same_entry(
    client: Browser, db: Session, clock: Clock
) -> None:
    """The back button and an edit: the page still carries the token of the entry stored."""
    make_contest(db)
    clock.now = OPENS + timedelta(hours=5)
    first = client.submit(FORM, ANNA | {"idempotency_token": "page-1"})
    assert first.status_code == 303
    again = client.submit(FORM, ANNA | {"idempotency_token": "page-1"})
    assert again.headers["Location"] == first.headers["Location"]
    edited = client.submit(FORM, ANNA | {"full_name": "Boris Smith",
                                         "idempotency_token": "page-1"})
    assert edited.status_code == 409
    html = edited.get_data(as_text=True)
    assert "Your entry from this page was already recorded." in html
    assert 'value="Boris Smith"' in html
    token = re.search(r'name="idempotency_token" value="([^"]+)"', html)
    assert token is not None and token.group(1) != "page-1"
    sent = client.submit(FORM, ANNA | {"full_name": "Boris Smith",
                                       "idempotency_token": token.group(1)})
    assert sent.status_code == 303
    assert db.exec(select(Entry.full_name).order_by(Entry.id)).all() == [  # type: ignore[arg-type]
        "Anna Smith", "Boris Smith"]


def test_a_corrected_form_keeps_its_token(client: Browser, db: Session, clock: Clock) -> None:
    make_contest(db)
    clock.now = OPENS + timedelta(hours=5)
    page = client.submit(FORM, ANNA | {"email": "broken", "idempotency_token": "page-2"})
    assert page.status_code == 422
    assert 'name="idempotency_token" value="page-2"' in page.get_data(as_text=True)
