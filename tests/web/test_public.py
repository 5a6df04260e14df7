from datetime import timedelta

from flask.testing import FlaskClient
from sqlmodel import Session

from tests.builders import OPENS, make_contest
from tests.fixtures import Clock


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
    assert "complaints@snowfall.example" in html
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
