"""Steps shared by the feature files: who is signed in, which contest exists, what is stored."""

from datetime import timedelta

import pytest
from flask import Flask
from pytest_bdd import given, parsers, then
from sqlalchemy import func
from sqlmodel import Session, select

from contest.accounts import create_user
from contest.models import Entry
from tests.builders import OPENS, make_contest, rules_document
from tests.fixtures import Browser, Clock

MARKETER = {"email": "maria@brand.example", "password": "marketing-pass-1"}


@pytest.fixture(autouse=True)
def every_feature_runs_on_both_databases(app: Flask, client: Browser, db: Session) -> None:
    """Steps ask for fixtures by name at run time, so the scenario itself must depend on
    the database-parametrised app for pytest to run it once per database."""


@pytest.fixture
def page() -> dict[str, str]:
    """The last page or answer a step saw, for the steps after it."""
    return {}


@given("a signed-in marketer")
def signed_in_marketer(client: Browser, db: Session, clock: Clock) -> None:
    create_user(db, name="Maria", role="marketer", actor_id=None, now=clock.now, **MARKETER)
    db.commit()
    response = client.sign_in(MARKETER["email"], MARKETER["password"])
    assert response.status_code == 302, response.get_data(as_text=True)


@given(parsers.parse('the contest "{slug}" is published and open'))
def published_open_contest(db: Session, clock: Clock, slug: str) -> None:
    make_contest(db, slug=slug, rules=rules_document(min_age=18), now=OPENS - timedelta(days=1))
    clock.now = OPENS + timedelta(days=1)


def entry_count(db: Session) -> int:
    return db.exec(select(func.count()).select_from(Entry)).one()


@then("no entry is stored")
def no_entry_is_stored(db: Session) -> None:
    assert entry_count(db) == 0


@then(parsers.parse('she sees an error next to "{field}"'))
def error_next_to(page: dict[str, str], field: str) -> None:
    assert f'id="{field}-error"' in page["html"], f"no error shown next to {field}"


@then(parsers.parse('she sees the error "{message}" next to "{field}"'))
def named_error_next_to(page: dict[str, str], message: str, field: str) -> None:
    html = page["html"]
    start = html.find(f'id="{field}-error"')
    assert start != -1, f"no error shown next to {field}"
    assert message in html[start:start + 300]
