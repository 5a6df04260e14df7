"""Whole numbers in query strings (page numbers, a rules version): one that no page can have
is a clear 422 naming the parameter and its range, never a 500 or a silent default."""

import pytest
from sqlmodel import Session

from contest.accounts import create_user
from tests.builders import make_contest
from tests.fixtures import Browser, Clock

HUGE = "999999999999999999999"
PASSWORD = "a long password"


def sign_in(client: Browser, db: Session, clock: Clock, role: str) -> None:
    create_user(db, email=f"{role}@brand.example", name=f"Ann {role.title()}", role=role,
                password=PASSWORD, actor_id=None, now=clock.now)
    db.commit()
    client.sign_in(f"{role}@brand.example", PASSWORD)


@pytest.mark.parametrize("view", ["entries", "flags"])
@pytest.mark.parametrize("page", [HUGE, "0", "-1", "two", "1e3", "1.5"])
def test_a_page_number_no_page_has_is_refused_with_the_range(
        client: Browser, db: Session, clock: Clock, view: str, page: str) -> None:
    contest, _ = make_contest(db)
    sign_in(client, db, clock, "auditor")
    response = client.get(f"/audit/contests/{contest.slug}/{view}?page={page}")
    html = response.get_data(as_text=True)
    assert response.status_code == 422, html[:300]
    assert "page" in html and "must be a whole number from 1 to 1000000" in html


@pytest.mark.parametrize("view", ["entries", "flags"])
def test_the_first_and_the_last_page_numbers_are_answered(
        client: Browser, db: Session, clock: Clock, view: str) -> None:
    contest, _ = make_contest(db)
    sign_in(client, db, clock, "auditor")
    for page in ("", "1", "1000000"):
        response = client.get(f"/audit/contests/{contest.slug}/{view}?page={page}")
        assert response.status_code == 200, (page, response.get_data(as_text=True)[:300])


def test_a_rules_version_is_a_whole_number_of_a_version_that_exists(
        client: Browser, db: Session) -> None:
    contest, _ = make_contest(db)
    assert client.get(f"/contests/{contest.slug}/rules?version=1").status_code == 200
    assert client.get(f"/contests/{contest.slug}/rules").status_code == 200
    for odd in (HUGE, "0", "x"):
        response = client.get(f"/contests/{contest.slug}/rules?version={odd}")
        assert response.status_code == 422, odd
        assert "version" in response.get_data(as_text=True)
    missing = client.get(f"/contests/{contest.slug}/rules?version=2")
    assert missing.status_code == 404
    assert "there is no version 2 of the rules of" in missing.get_data(as_text=True)


@pytest.mark.parametrize("path", ["complaints/{huge}", "flags/{huge}"])
def test_a_number_in_a_path_beyond_any_stored_is_no_such_page(
        client: Browser, db: Session, clock: Clock, path: str) -> None:
    contest, _ = make_contest(db)
    sign_in(client, db, clock, "auditor")
    for number in (HUGE, str(2**31)):
        response = client.get(f"/audit/contests/{contest.slug}/{path.format(huge=number)}")
        assert response.status_code == 404, response.get_data(as_text=True)[:300]
    assert client.get(f"/audit/contests/{contest.slug}/flags/{2**31 - 1}").status_code == 404
