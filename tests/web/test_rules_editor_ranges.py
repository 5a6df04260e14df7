"""The rules editor shows each number's range next to the field, and publishing never meets
a number it cannot canonicalise; a title is one line."""

import re

from sqlmodel import Session, select

from contest.accounts import create_user
from contest.models import RulesVersion
from contest.rules.publishing import draft_data
from tests.builders import make_contest
from tests.fixtures import Browser, Clock
from web.rules_form import draft_to_form

UNSAFE = "9007199254740993"  # 2^53 + 1: RFC 8785 refuses to canonicalise it


def sign_in_marketer(client: Browser, db: Session, clock: Clock) -> None:
    create_user(db, email="m@brand.example", name="M", role="marketer",
                password="a long password", actor_id=None, now=clock.now)
    db.commit()
    client.sign_in("m@brand.example", "a long password")


def error_of(html: str, field: str) -> str:
    found = re.search(rf'<p class="error" id="{re.escape(field)}-error">([^<]*)</p>', html)
    assert found, f"no error next to {field}"
    return found.group(1)


def test_a_count_beyond_its_range_is_shown_with_the_range_and_never_published(
        client: Browser, db: Session, clock: Clock) -> None:
    sign_in_marketer(client, db, clock)
    contest, _ = make_contest(db, published=False)
    form = draft_to_form(draft_data(contest))
    form.update({"winners": UNSAFE, "prizes.0.quantity": UNSAFE,
                 "complaints.response_business_days": "3000000", "then": "stay"})
    saved = client.submit(f"/manage/contests/{contest.slug}/rules", form)
    html = saved.get_data(as_text=True)
    assert saved.status_code == 422
    assert error_of(html, "winners") == f"must be a whole number from 1 to 1000000, got {UNSAFE}"
    complaints = client.get(f"/manage/contests/{contest.slug}/rules?step=complaints")
    assert error_of(complaints.get_data(as_text=True), "complaints.response_business_days") == (
        "must be a whole number from 1 to 60, got 3000000")
    published = client.submit(f"/manage/contests/{contest.slug}/publish",
                              follow_redirects=True)
    assert published.status_code == 200
    assert "must be a whole number from 1 to 1000000" in published.get_data(as_text=True)
    assert db.exec(select(RulesVersion)).first() is None


def test_the_range_is_shown_in_the_persons_language(client: Browser, db: Session,
                                                     clock: Clock) -> None:
    sign_in_marketer(client, db, clock)
    contest, _ = make_contest(db, published=False)
    form = draft_to_form(draft_data(contest)) | {"alternates": "-5", "then": "stay"}
    client.submit("/language/uk")
    html = client.submit(f"/manage/contests/{contest.slug}/rules", form).get_data(
        as_text=True)
    assert error_of(html, "alternates") == "має бути цілим числом від 0 до 1000000; отримано -5"


def test_a_new_contests_title_is_one_line(client: Browser, db: Session, clock: Clock) -> None:
    sign_in_marketer(client, db, clock)
    response = client.submit("/manage/contests", {"slug": "two-lines",
                                                  "title": "Winter\r\ngiveaway",
                                                  "language": "en"})
    assert response.status_code == 422
    assert error_of(response.get_data(as_text=True), "title").startswith(
        "must be one line without control characters, found U+000D at position 7")
