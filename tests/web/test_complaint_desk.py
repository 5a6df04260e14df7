"""The complaint desk in the browser and through the API: the form, the acknowledgement and
its e-mail, the person's page, the auditor's queue, answers and extensions, the figures."""

import re
from datetime import timedelta

import pytest
from flask import Flask
from sqlmodel import Session, select

from contest.models import Complaint
from tests.builders import OPENS, make_contest
from tests.fixtures import Browser, Clock, configured_app
from tests.mailsink import mail_sink
from tests.web.test_review_desk import sign_in

SLUG = "winter-giveaway"
API = f"/api/contests/{SLUG}/complaints"
PAGE = f"/contests/{SLUG}/complaints"
WEDNESDAY = OPENS + timedelta(days=1, hours=1)
COMPLAINT = {"contact": "anna@example.com", "kind": "not_included",
             "text": "My entry from Monday is missing."}


@pytest.fixture
def desk(db: Session, clock: Clock) -> Session:
    make_contest(db)
    clock.now = WEDNESDAY
    return db


def test_the_api_answers_with_the_number_and_the_deadline(client: Browser, desk: Session,
                                                          clock: Clock) -> None:
    response = client.post(API, json=COMPLAINT)
    assert response.status_code == 201
    body = response.get_json()
    assert body["number"] == 1 and body["kind"] == "not_included"
    assert body["received_at"] == "2026-12-02T10:00:00+00:00"
    assert body["due_at"] == "2026-12-03T23:59:59+00:00"
    assert re.search(r"/complaints/[\w-]{43}$", body["url"])
    assert client.post(API, json=COMPLAINT | {"ticket": None}).get_json()["number"] == 2


def test_the_api_names_every_wrong_field_in_the_persons_language(
        client: Browser, desk: Session) -> None:
    response = client.post(API, json={"contact": "", "kind": "rigged", "text": "x",
                                      "mood": "angry"}, headers={"Accept-Language": "uk"})
    assert response.status_code == 422
    body = response.get_json()
    assert body["errors"] == [{"field": "mood", "code": "unknown_field",
                               "message": body["errors"][0]["message"]}]
    response = client.post(API, json={"contact": "", "kind": "rigged", "text": "x"},
                           headers={"Accept-Language": "uk"})
    fields = {e["field"]: e for e in response.get_json()["errors"]}
    assert set(fields) == {"contact", "kind"}
    assert fields["kind"]["message"].startswith("«rigged» — не вид скарги")
    assert client.post(API, data="nope", content_type="application/json").status_code == 422
    assert client.post("/api/contests/nothing/complaints", json=COMPLAINT).status_code == 404
    assert desk.exec(select(Complaint)).all() == []


def test_the_form_acknowledges_on_screen_and_by_mail(
        database_url: str, clock: Clock, tmp_path: object) -> None:
    clock.now = WEDNESDAY
    with mail_sink() as sink, configured_app(
            database_url, clock, tmp_path,
            smtp_url=sink.url, mail_from="complaints@snowfall.example") as app:
        client = app.test_client()
        assert isinstance(client, Browser)
        with Session(app.extensions["contest.engine"]) as db:
            make_contest(db)
        form = client.get(PAGE).get_data(as_text=True)
        assert 'name="contact"' in form and "A winner seems to be staff" in form
        sent = client.submit(PAGE, COMPLAINT, headers={"Accept-Language": "ru"})
        assert sent.status_code == 303
        page = client.get(sent.headers["Location"], headers={"Accept-Language": "ru"})
        text = page.get_data(as_text=True)
        assert "Жалоба 1" in text and "Ваша жалоба получена" in text
        assert "2026-12-03T23:59:59+00:00" in text
        assert "anna@example.com" not in text
        [message] = sink.messages
        assert message["To"] == "anna@example.com"
        assert sent.headers["Location"].split("?")[0] in message.get_content()


def test_the_form_marks_the_wrong_fields(client: Browser, desk: Session) -> None:
    page = client.submit(PAGE, {"contact": "", "kind": "", "text": "",
                                "ticket": "abc"})
    assert page.status_code == 422
    text = page.get_data(as_text=True)
    for name in ("contact", "kind", "text", "ticket"):
        assert f'id="{name}-error"' in text
    assert desk.exec(select(Complaint)).all() == []


def test_the_auditor_answers_and_the_public_sees_it(client: Browser, desk: Session,
                                                     clock: Clock) -> None:
    key = client.post(API, json=COMPLAINT).get_json()["url"].rsplit("/", 1)[1]
    client.post(API, json=COMPLAINT | {"kind": "other", "text": "Slow site."})
    sign_in(client, desk, clock, "auditor")
    clock.advance(days=2)  # past the first two deadlines
    queue = client.get(f"/audit/contests/{SLUG}/complaints").get_data(as_text=True)
    assert queue.count('<tr class="overdue">') == 2 and "My entry was not included" in queue
    detail = client.get(f"/audit/contests/{SLUG}/complaints/1").get_data(as_text=True)
    assert "anna@example.com" in detail and "My entry from Monday is missing." in detail
    empty = client.submit(f"/audit/contests/{SLUG}/complaints/1/answer", {"answer": " "})
    assert empty.status_code == 422 and 'id="answer-error"' in empty.get_data(as_text=True)
    done = client.submit(f"/audit/contests/{SLUG}/complaints/1/answer",
                         {"answer": "Your entry is on the list under its ticket.",
                          "public": "yes"})
    assert done.status_code == 303
    public = client.get(PAGE).get_data(as_text=True)
    assert "Your entry is on the list under its ticket." in public
    assert re.search(r'data-figure="received">2<', public)
    assert re.search(r'data-figure="answered">1<', public)
    assert re.search(r'data-figure="on-time">0<', public)
    assert "anna@example.com" not in public
    mine = client.get(f"/complaints/{key}").get_data(as_text=True)
    assert "Your entry is on the list" in mine
    again = client.submit(f"/audit/contests/{SLUG}/complaints/1/answer", {"answer": "More"})
    assert again.status_code == 409
    assert "complaint 1 is already answered" in again.get_data(as_text=True)


def test_the_auditor_moves_a_deadline_and_the_person_sees_why(
        client: Browser, desk: Session, clock: Clock) -> None:
    key = client.post(API, json=COMPLAINT).get_json()["url"].rsplit("/", 1)[1]
    sign_in(client, desk, clock, "auditor")
    url = f"/audit/contests/{SLUG}/complaints/1/extend"
    bad = client.submit(url, {"until": "someday", "reason": "x"})
    assert bad.status_code == 422 and 'id="until-error"' in bad.get_data(as_text=True)
    no_reason = client.submit(url, {"until": "2026-12-09", "reason": ""})
    assert 'id="reason-error"' in no_reason.get_data(as_text=True)
    assert client.submit(url, {"until": "2026-12-09",
                               "reason": "We are asking the courier."}).status_code == 303
    mine = client.get(f"/complaints/{key}").get_data(as_text=True)
    assert "We are asking the courier." in mine
    assert "2026-12-09T23:59:59+00:00" in mine
    assert desk.exec(select(Complaint)).one().due_at.isoformat() == "2026-12-09T23:59:59+00:00"


def test_the_contest_page_leads_to_the_desk(client: Browser, desk: Session,
                                            app: Flask) -> None:
    page = client.get(f"/contests/{SLUG}").get_data(as_text=True)
    assert f'href="{PAGE}"' in page
    # The form itself is on the contest page, and sends to the desk.
    assert f'action="{PAGE}"' in page and 'name="contact"' in page
    sent = client.submit(PAGE, COMPLAINT)
    assert sent.status_code == 303
    assert client.get("/complaints/no-such-key").status_code == 404


@pytest.mark.parametrize(("field", "value", "character"), [
    ("text", "My entry \ud800 is missing.", "U+D800"),
    ("text", "My entry\x00 is missing.", "U+0000"),
    ("contact", "anna@example.com\ufffe", "U+FFFE"),
    ("contact", "anna@example.com\r\nBcc: eve@example.com", "U+000D"),
    ("kind", "other\udfff", "U+DFFF"),
])
def test_the_api_refuses_text_that_is_not_text_naming_the_field(
        client: Browser, desk: Session, field: str, value: str, character: str) -> None:
    response = client.post(API, json=COMPLAINT | {field: value})
    assert response.status_code == 422
    [error] = response.get_json()["errors"]
    assert (error["field"], error["code"]) == (field, "not_text")
    assert character in error["message"]
    assert desk.exec(select(Complaint)).all() == []


def test_a_complaint_may_have_several_lines_and_tabs(client: Browser, desk: Session) -> None:
    text = "My entry\r\nfrom Monday\n\tis missing."
    assert client.post(API, json=COMPLAINT | {"text": text}).status_code == 201
    assert desk.exec(select(Complaint.text)).one() == text


@pytest.mark.parametrize("depth", [200_000, 21])
def test_the_api_refuses_a_body_nested_too_deep(client: Browser, desk: Session,
                                                depth: int) -> None:
    response = client.post(API, data="[" * depth + "]" * depth,
                           content_type="application/json")
    assert response.status_code == 422
    [error] = response.get_json()["errors"]
    assert (error["field"], error["code"]) == ("body", "too_deep")
    assert desk.exec(select(Complaint)).all() == []


def test_the_form_refuses_text_that_is_not_text(client: Browser, desk: Session) -> None:
    page = client.submit(PAGE, COMPLAINT | {"text": "Missing\x00 entry", "contact": "a\x07b"},
                         headers={"Accept-Language": "ru"})
    assert page.status_code == 422
    text = page.get_data(as_text=True)
    assert 'id="text-error"' in text and 'id="contact-error"' in text
    assert "U+0000" in text and "U+0007" in text
    assert desk.exec(select(Complaint)).all() == []


def test_the_auditor_cannot_answer_or_extend_with_text_that_is_not_text(
        client: Browser, desk: Session, clock: Clock) -> None:
    client.post(API, json=COMPLAINT)
    sign_in(client, desk, clock, "auditor")
    answer = client.submit(f"/audit/contests/{SLUG}/complaints/1/answer",
                           {"answer": "Found\x00 it"})
    assert answer.status_code == 422 and 'id="answer-error"' in answer.get_data(as_text=True)
    extend = client.submit(f"/audit/contests/{SLUG}/complaints/1/extend",
                           {"until": "2026-12-09", "reason": "Asking\x00 the courier."})
    assert extend.status_code == 422 and 'id="reason-error"' in extend.get_data(as_text=True)
    complaint = desk.exec(select(Complaint)).one()
    desk.refresh(complaint)
    assert (complaint.answered_at, complaint.due_at.isoformat()) == (
        None, "2026-12-03T23:59:59+00:00")
