"""A disposable address at the entry form and the API, as the entrant meets it (issue 21):
refused with a message by the e-mail field when the rules say so, taken otherwise."""

from dataclasses import replace
from datetime import timedelta

from sqlmodel import Session, func, select

from contest.models import Entry
from contest.rules.document import Defences, DisposableEmail
from tests.builders import OPENS, consented, make_contest, rules_document
from tests.fixtures import Browser, Clock

FORM = "/contests/winter-giveaway/enter"
API = "/api/contests/winter-giveaway/entries"
ANNA = {"full_name": "Anna Smith", "email": "anna@yopmail.com", "birth_date": "1990-04-12",
        "country": "US"}


def _open(db: Session, clock: Clock, disposable: DisposableEmail) -> dict[str, str]:
    rules = replace(rules_document(), defences=Defences(disposable_email=disposable))
    make_contest(db, rules=rules)
    clock.now = OPENS + timedelta(hours=5)
    return ANNA | consented(rules)


def test_the_form_refuses_a_disposable_address_by_the_email_field(
        client: Browser, db: Session, clock: Clock) -> None:
    fields = _open(db, clock, DisposableEmail.REFUSE)
    page = client.submit(FORM, fields)
    assert page.status_code == 422
    html = page.get_data(as_text=True)
    error = html.split('id="email-error"')[1].split("</p>")[0]
    assert "is a disposable address (yopmail.com)" in error
    assert "enter an address you will keep" in error
    assert db.exec(select(func.count()).select_from(Entry)).one() == 0
    answer = client.post(API, json=fields)
    assert answer.status_code == 422
    assert [(e["field"], e["code"]) for e in answer.get_json()["errors"]] == [
        ("email", "disposable_email")]


def test_the_form_takes_a_disposable_address_when_the_rules_flag_it(
        client: Browser, db: Session, clock: Clock) -> None:
    fields = _open(db, clock, DisposableEmail.FLAG)
    assert client.submit(FORM, fields).status_code == 303
    assert db.exec(select(Entry.email)).all() == ["anna@yopmail.com"]
