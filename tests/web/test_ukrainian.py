"""The site in Ukrainian: the interface, dates and money for the locale, the official rules,
and entry errors from the API."""

from datetime import timedelta
from decimal import Decimal

from flask.testing import FlaskClient
from sqlmodel import Session

from contest.rules.document import Money, Prize
from tests.builders import OPENS, consented, make_contest, rules_document
from tests.fixtures import Clock

UK = {"Accept-Language": "uk-UA,uk;q=0.9"}


def test_a_ukrainian_browser_gets_the_ukrainian_interface(client: FlaskClient,
                                                          db: Session) -> None:
    make_contest(db)
    html = client.get("/", headers=UK).get_data(as_text=True)
    assert '<html lang="uk">' in html
    assert "Розіграші" in html and "Українська" in html


def test_ukrainian_rules_show_dates_and_money_the_ukrainian_way(client: FlaskClient,
                                                                db: Session) -> None:
    rules = rules_document(language="uk", prizes=(
        Prize("Подарунковий сертифікат", 3, Money(Decimal("1500.00"), "UAH")),))
    make_contest(db, rules=rules)
    html = client.get("/contests/winter-giveaway/rules", headers=UK).get_data(as_text=True)
    assert "Офіційні правила" in html
    assert "грудня 2026" in html  # 1 December 2026, in the genitive as Ukrainian writes it
    assert "1\xa0500,00\xa0₴" in html


def test_the_api_explains_errors_in_ukrainian(client: FlaskClient, db: Session,
                                              clock: Clock) -> None:
    make_contest(db)
    clock.now = OPENS + timedelta(days=1)
    answer = client.post("/api/contests/winter-giveaway/entries", headers=UK,
                         json={"full_name": "Олена", "email": "not-an-email"})
    assert answer.status_code == 422
    messages = " ".join(e["message"] for e in answer.get_json()["errors"])
    assert "не адреса електронної пошти" in messages


def test_the_api_confirms_an_entry_in_ukrainian(client: FlaskClient, db: Session,
                                                clock: Clock) -> None:
    make_contest(db)
    clock.now = OPENS + timedelta(days=1)
    answer = client.post("/api/contests/winter-giveaway/entries", headers=UK,
                         json={"full_name": "Олена Коваль", "email": "olena@example.ua",
                               "birth_date": "1990-02-03", "country": "UA"} | consented())
    assert answer.status_code == 201
    assert answer.get_json()["message"] == (
        "Вашу заявку записано, і вона бере участь у розіграші.")
    english = client.post("/api/contests/winter-giveaway/entries",
                          json={"full_name": "Ann Lee", "email": "ann@example.com",
                                "birth_date": "1990-02-03", "country": "US"} | consented())
    assert english.get_json()["message"] == "Your entry is recorded and counts in the draw."
    again = client.post("/api/contests/winter-giveaway/entries", headers=UK,
                        json={"full_name": "Ann Lee", "email": "ann@example.com",
                              "birth_date": "1990-02-03", "country": "US"} | consented())
    assert again.get_json()["message"] == (
        "Вашу заявку записано, але вона не бере участі в розіграші: "
        "заявок більше, ніж дозволено одній особі.")
