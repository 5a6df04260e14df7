"""The entry form says the truth before, not after: it marks what the rules require, refuses
an entrant the rules exclude before anything is stored, asks for the consent to the
processing of personal data on its own, and the receipt's headline says whether the entry is
in the draw, and why not, in words."""

import re
from dataclasses import replace
from datetime import timedelta

from flask import Flask
from flask.testing import FlaskClient
from markupsafe import escape
from sqlmodel import Session, func, select

from contest.entries.consent import consent_for
from contest.entries.eligibility import Reason
from contest.fraud.review import KINDS
from contest.i18n import LANGUAGES
from contest.models import Channel, ConsentText, Entry
from tests.builders import (
    OPENS,
    consent_version,
    make_contest,
    make_entry,
    make_published,
    rules_document,
)
from tests.fixtures import Browser, Clock

FORM = "/contests/winter-giveaway/enter"
API = "/api/contests/winter-giveaway/entries"
DURING = OPENS + timedelta(hours=5)
ANNA = {"full_name": "Anna Smith", "email": "anna@example.com", "birth_date": "1990-04-12",
        "country": "US"}
CHILD = ANNA | {"birth_date": "2012-04-12"}  # 14 years old


def entries(db: Session) -> int:
    return db.exec(select(func.count()).select_from(Entry)).one()


def agreed(language: str = "en") -> dict[str, str]:
    return {"personal_data_consent": consent_version(language=language)}


def field_tag(html: str, name: str) -> str:
    found = re.search(rf'<(?:input|select)[^>]*\bname="{name}"[^>]*>', html)
    assert found, name
    return found.group(0)


def test_the_form_marks_what_the_rules_require(client: FlaskClient, db: Session,
                                               clock: Clock) -> None:
    make_contest(db)
    clock.now = DURING
    html = client.get(FORM).get_data(as_text=True)
    for name in ("full_name", "birth_date", "country"):
        assert " required" in field_tag(html, name), name
    assert " required" not in field_tag(html, "address")
    assert "Minimum age to enter: 18." in html
    assert "Open to people living in Russia, Ukraine, or United States." in html
    consent = consent_for(rules_document(), "en")
    assert f'value="{consent.version}"' in field_tag(html, "personal_data_consent")
    assert str(escape(consent.text)) in html


def test_without_limits_the_birth_date_and_country_are_optional(
        client: FlaskClient, db: Session, clock: Clock) -> None:
    rules = rules_document(countries=())
    make_contest(db, rules=replace(rules, eligibility=replace(
        rules.eligibility, min_age=0, legal_min_age=0)))
    clock.now = DURING
    html = client.get(FORM).get_data(as_text=True)
    assert " required" not in field_tag(html, "birth_date")
    assert " required" not in field_tag(html, "country")
    assert "Minimum age" not in html and "Open to people living in" not in html
    assert '<option value="FR">France</option>' in html  # any country may be chosen


def test_a_14_year_old_is_told_in_their_language_and_nothing_is_stored(
        client: Browser, db: Session, clock: Clock) -> None:
    make_contest(db)
    clock.now = DURING
    for language, words in (("ru", "минимальный возраст для участия в этом конкурсе — 18"),
                            ("uk", "мінімальний вік для участі в цьому конкурсі — 18"),
                            ("en", "the minimum age to enter this contest is 18")):
        page = client.submit(FORM, CHILD | agreed(language),
                             headers={"Accept-Language": language})
        assert page.status_code == 422
        html = page.get_data(as_text=True)
        assert re.search(rf'id="birth_date-error">{words}<', html), language
        assert "Your entry is recorded" not in html
    assert entries(db) == 0


def test_the_form_asks_for_the_consent_and_keeps_the_text_agreed_to(
        client: Browser, db: Session, clock: Clock) -> None:
    make_contest(db)
    clock.now = DURING
    page = client.submit(FORM, ANNA, headers={"Accept-Language": "uk"})
    assert page.status_code == 422
    assert ('id="personal_data_consent-error">щоб узяти участь, дайте згоду на обробку '
            'персональних даних<') in page.get_data(as_text=True)
    assert entries(db) == 0
    sent = client.submit(FORM, ANNA | agreed("uk"), headers={"Accept-Language": "uk"})
    assert sent.status_code == 303
    entry = db.exec(select(Entry)).one()
    kept = db.get(ConsentText, entry.consent_sha256)
    assert kept is not None and kept.language == "uk"
    assert kept.text == consent_for(rules_document(), "uk").text


def test_the_receipt_says_in_its_headline_that_the_entrant_is_in_the_draw(
        client: Browser, db: Session, clock: Clock) -> None:
    make_contest(db)
    clock.now = DURING
    sent = client.submit(FORM, ANNA | agreed())
    html = client.get(sent.location).get_data(as_text=True)
    assert "<h1>You are in the draw</h1>" in html
    public = client.get("/".join(sent.location.split("/")[:3])).get_data(as_text=True)
    assert "<h1>This entry is in the draw</h1>" in public


def test_the_receipt_says_in_words_why_an_entry_is_not_in_the_draw(
        client: Browser, db: Session, clock: Clock) -> None:
    make_contest(db)
    clock.now = DURING
    client.submit(FORM, ANNA | agreed())
    again = client.submit(FORM, ANNA | agreed() | {"phone": "+1 212 555 0101"})
    html = client.get(again.location).get_data(as_text=True)
    assert "<h1>You are not in the draw</h1>" in html
    assert "Your entry is recorded, but it does not count in the draw:" in html
    assert "more entries than allowed per person" in html
    assert "person_limit" not in html


def test_no_reason_code_is_shown_on_a_receipt(app: Flask, client: Browser, db: Session,
                                              clock: Clock) -> None:
    published = make_published(db)
    clock.now = DURING
    brought_in = make_entry(db, published, channel=Channel.CSV, now=DURING, data={
        "full_name": "Ivan Petrov", "email": "ivan@example.ru", "entry_id": "1"})
    db.commit()
    assert brought_in.reasons == ("age_unknown", "country_unknown")
    for language in LANGUAGES:
        html = client.get(f"/receipts/{brought_in.ticket}",
                          headers={"Accept-Language": language}).get_data(as_text=True)
        for code in brought_in.reasons:
            assert code not in html, (language, code)
    html = client.get(f"/receipts/{brought_in.ticket}").get_data(as_text=True)
    assert "<h1>This entry is not in the draw</h1>" in html
    assert "no country to check where the entrant lives" in html


def test_every_reason_the_domain_gives_has_words_in_every_language(app: Flask) -> None:
    from flask_babel import force_locale

    from web.i18n import reason_text

    codes = [reason.value for reason in Reason] + list(KINDS)
    with app.test_request_context():
        english = {}
        for language in LANGUAGES:
            with force_locale(language):
                for code in codes:
                    words = reason_text(code)
                    assert words != code and "_" not in words, (language, code)
                    if language == "en":
                        english[code] = words
                    else:
                        assert words != english[code], (language, code)


def test_the_api_refuses_a_child_with_a_field_error_and_stores_nothing(
        client: FlaskClient, db: Session, clock: Clock) -> None:
    make_contest(db)
    clock.now = DURING
    answer = client.post(API, json=CHILD | agreed(), headers={"Accept-Language": "ru"})
    assert answer.status_code == 422
    assert answer.get_json()["errors"] == [{
        "field": "birth_date", "code": "under_age",
        "message": "минимальный возраст для участия в этом конкурсе — 18"}]
    answer = client.post(API, json=ANNA | {"country": None} | agreed())
    assert answer.status_code == 422
    assert [(e["field"], e["code"]) for e in answer.get_json()["errors"]] == [
        ("country", "required")]
    assert entries(db) == 0


def test_the_api_requires_the_consent_it_publishes_with_the_contest(
        client: FlaskClient, db: Session, clock: Clock) -> None:
    make_contest(db)
    clock.now = DURING
    answer = client.post(API, json=ANNA)
    assert answer.status_code == 422
    assert [(e["field"], e["code"]) for e in answer.get_json()["errors"]] == [
        ("personal_data_consent", "required")]
    contest = client.get("/api/contests/winter-giveaway",
                         headers={"Accept-Language": "ru"}).get_json()
    form = contest["entry_form"]
    assert form["required"] == ["full_name", "birth_date", "country", "personal_data_consent"]
    assert form["one_of"] == ["email", "phone"]
    consent = form["personal_data_consent"]
    assert consent == {"version": consent_version(language="ru"), "language": "ru",
                       "text": consent_for(rules_document(), "ru").text}
    taken = client.post(API, json=ANNA | {"personal_data_consent": consent["version"]})
    assert taken.status_code == 201
    assert db.exec(select(Entry.consent_sha256)).one() == consent["version"]
