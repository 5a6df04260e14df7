"""An entrant confirms their e-mail address by the link mailed to them (a real SMTP server on
the loopback): the receipt says the entry waits and what to do, the link opens a page whose
button confirms it once and says so (opening the link alone, as a mail scanner does, confirms
nothing), a link made up gets a clear page, and the link is sent again within its limit."""

import re
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from flask import Flask
from sqlmodel import Session, select

from contest.models import ConfirmationMail, Entry, EntryConfirmation
from contest.rules.document import Defences
from tests.builders import OPENS, consent_version, make_contest, rules_document
from tests.fixtures import Browser, Clock, configured_app
from tests.mailsink import MailSink, mail_sink
from tests.web.test_review_desk import sign_in

FORM = "/contests/winter-giveaway/enter"
API = "/api/contests/winter-giveaway/entries"
DURING = OPENS + timedelta(hours=5)
RULES = rules_document(defences=Defences(confirm_email=True))
ANNA = {"full_name": "Anna Smith", "email": "anna@example.com", "birth_date": "1990-04-12",
        "country": "US", "personal_data_consent": consent_version(RULES)}
LINK = re.compile(r"https?://\S+/confirm/[0-9a-f]+/[0-9a-f]{32}")


@pytest.fixture
def site(database_url: str, clock: Clock, tmp_path: Path, sink: MailSink) -> Iterator[Flask]:
    clock.now = DURING
    with configured_app(database_url, clock, tmp_path, smtp_url=sink.url,
                        mail_from="entries@snowfall.example") as app:
        with Session(app.extensions["contest.engine"]) as db:
            make_contest(db, rules=RULES)
        yield app


def _client(app: Flask) -> Browser:
    client = app.test_client()
    assert isinstance(client, Browser)
    return client


def _link(sink: MailSink, number: int = -1) -> str:
    found = LINK.search(sink.messages[number].get_content())
    assert found, sink.messages[number].get_content()
    return found.group(0)


def _path(link: str) -> str:
    return link[link.index("/confirm/"):]


def test_the_form_entry_waits_and_the_mailed_link_confirms_it_once(
        site: Flask, sink: MailSink, clock: Clock) -> None:
    client = _client(site)
    sent = client.submit(FORM, ANNA)
    assert sent.status_code == 303
    receipt = client.get(sent.headers["Location"]).get_data(as_text=True)
    assert "Your entry waits for confirmation" in receipt
    assert "counts only once you confirm your e-mail address" in receipt
    assert "Send the link again" in receipt
    [message] = sink.messages
    assert message["To"] == "anna@example.com"
    assert message["Subject"] == 'Confirm your entry in "Winter giveaway"'
    clock.now = DURING + timedelta(minutes=7)
    opened = client.get(_path(_link(sink)))
    assert opened.status_code == 200
    assert "Confirm my entry" in opened.get_data(as_text=True)
    page = client.submit(_path(_link(sink)))
    assert page.status_code == 200
    assert "Your entry is confirmed" in page.get_data(as_text=True)
    assert page.headers["Cache-Control"] == "no-store"
    again = client.get(_path(_link(sink)))
    assert again.status_code == 200
    assert "Your entry is confirmed already" in again.get_data(as_text=True)
    assert "Confirm my entry" not in again.get_data(as_text=True)
    assert "Your entry is confirmed already" in client.submit(
        _path(_link(sink))).get_data(as_text=True)
    with Session(site.extensions["contest.engine"]) as db:
        [row] = db.exec(select(EntryConfirmation)).all()
        assert row.confirmed_at == DURING + timedelta(minutes=7)
    receipt = client.get(sent.headers["Location"]).get_data(as_text=True)
    assert "waits for confirmation" not in receipt and "You are in the draw" in receipt


def test_opening_the_link_alone_as_a_mail_scanner_does_confirms_nothing(
        site: Flask, sink: MailSink, clock: Clock) -> None:
    client = _client(site)
    receipt_url = client.submit(FORM, ANNA).headers["Location"]
    path = _path(_link(sink))
    scanner = _client(site)  # another browser: no session, no form token
    for opened in (scanner.get(path), scanner.head(path), client.get(path)):
        assert opened.status_code == 200
    page = client.get(path).get_data(as_text=True)
    assert "Press the button to confirm your e-mail address" in page
    assert f'<form method="post" class="narrow" action="{path}">' in page
    assert scanner.post(path).status_code == 400, "a POST without the form's token"
    with Session(site.extensions["contest.engine"]) as db:
        [row] = db.exec(select(EntryConfirmation)).all()
        assert row.confirmed_at is None
    assert "Your entry waits for confirmation" in client.get(receipt_url).get_data(
        as_text=True)
    clock.now = DURING + timedelta(minutes=3)
    assert "Your entry is confirmed" in client.submit(path).get_data(as_text=True)
    with Session(site.extensions["contest.engine"]) as db:
        [row] = db.exec(select(EntryConfirmation)).all()
        assert row.confirmed_at == DURING + timedelta(minutes=3)


def test_a_made_up_or_cut_link_gets_a_clear_page(site: Flask, sink: MailSink) -> None:
    client = _client(site)
    client.submit(FORM, ANNA)
    path = _path(_link(sink))
    for wrong in (path[:-1] + ("0" if path[-1] != "0" else "1"), path[:-5],
                  "/confirm/" + "ab" * 16 + "/" + "0" * 32):
        for page in (client.get(wrong), client.submit(wrong)):
            assert page.status_code == 404, wrong
            assert "This link is not valid" in page.get_data(as_text=True)
    with Session(site.extensions["contest.engine"]) as db:
        [row] = db.exec(select(EntryConfirmation)).all()
        assert row.confirmed_at is None


def test_a_link_opened_after_the_close_says_it_is_too_late(
        site: Flask, sink: MailSink, clock: Clock) -> None:
    client = _client(site)
    client.submit(FORM, ANNA)
    clock.now = RULES.period.closes_at + timedelta(minutes=1)
    for page in (client.get(_path(_link(sink))), client.submit(_path(_link(sink)))):
        assert page.status_code == 410
        assert "Too late to confirm" in page.get_data(as_text=True)
    with Session(site.extensions["contest.engine"]) as db:
        [row] = db.exec(select(EntryConfirmation)).all()
        assert row.confirmed_at is None


def test_the_link_is_sent_again_at_most_three_times_an_hour(
        site: Flask, sink: MailSink, clock: Clock) -> None:
    client = _client(site)
    receipt_url = client.submit(FORM, ANNA).headers["Location"]
    again = f"{receipt_url}/confirmation"
    for _ in range(2):
        clock.now += timedelta(minutes=5)
        answer = client.submit(again)
        assert answer.status_code == 200
        assert "The link is on its way" in answer.get_data(as_text=True)
    assert len(sink.messages) == 3 and _link(sink, 0) == _link(sink, 2)
    clock.now += timedelta(minutes=5)
    refused = client.submit(again)
    assert refused.status_code == 429
    text = refused.get_data(as_text=True)
    assert "at most 3 times an hour" in text and "ask again in 45 minutes" in text
    assert len(sink.messages) == 3
    clock.now = DURING + timedelta(hours=1, seconds=1)
    assert client.submit(again).status_code == 200
    assert len(sink.messages) == 4
    assert client.submit(receipt_url.rsplit("/", 1)[0] + "/" + "0" * 32
                         + "/confirmation").status_code == 404


def test_a_confirmed_entry_is_not_sent_the_link_again(site: Flask, sink: MailSink) -> None:
    client = _client(site)
    receipt_url = client.submit(FORM, ANNA).headers["Location"]
    client.submit(_path(_link(sink)))
    answer = client.submit(f"{receipt_url}/confirmation")
    assert answer.status_code == 409
    assert "does not wait for confirmation" in answer.get_data(as_text=True)
    assert len(sink.messages) == 1


def test_the_api_entry_waits_and_is_mailed(site: Flask, sink: MailSink) -> None:
    client = _client(site)
    body = {key: value for key, value in ANNA.items()}
    answer = client.post(API, json=body, headers={"Idempotency-Key": "k-1"})
    assert answer.status_code == 201
    receipt = answer.get_json()
    assert receipt["waiting_for_confirmation"] is True
    assert "confirm your e-mail address" in receipt["message"]
    [message] = sink.messages
    assert receipt["ticket"] in message.get_content()
    again = client.post(API, json=body, headers={"Idempotency-Key": "k-1"})
    assert again.status_code == 200 and len(sink.messages) == 1, "sent once per entry"


def test_a_server_that_is_down_loses_no_entry(database_url: str, clock: Clock,
                                              tmp_path: Path) -> None:
    clock.now = DURING
    with mail_sink() as closed:
        url = closed.url
    with configured_app(database_url, clock, tmp_path, smtp_url=url,
                        mail_from="entries@snowfall.example") as app:
        with Session(app.extensions["contest.engine"]) as db:
            make_contest(db, rules=RULES)
        client = _client(app)
        sent = client.submit(FORM, ANNA)
        assert sent.status_code == 303
        receipt = client.get(sent.headers["Location"]).get_data(as_text=True)
        assert "Your entry waits for confirmation" in receipt
        again = client.submit(f"{sent.headers['Location']}/confirmation")
        assert again.status_code == 503
        assert "could not be sent just now" in again.get_data(as_text=True)
        with Session(app.extensions["contest.engine"]) as db:
            assert len(db.exec(select(Entry)).all()) == 1
            assert db.exec(select(ConfirmationMail)).all() == []


def test_the_draw_desk_says_how_many_entries_wait_before_the_freeze(
        site: Flask, sink: MailSink, clock: Clock) -> None:
    client = _client(site)
    client.submit(FORM, ANNA)
    client.submit(FORM, ANNA | {"email": "bob@example.com", "full_name": "Bob Brown"})
    client.submit(_path(_link(sink, 0)))
    staff = _client(site)
    with Session(site.extensions["contest.engine"]) as db:
        sign_in(staff, db, clock, "marketer")
    page = staff.get("/manage/contests/winter-giveaway/draw").get_data(as_text=True)
    assert ("1 entry still waits for its entrant to confirm their e-mail address: if it is "
            "not confirmed by the close, the freeze leaves it out.") in page
