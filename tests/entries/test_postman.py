"""The confirmation links go out after the entries' answers, many over one connection to a
real SMTP server on the loopback (:func:`contest.entries.confirmation.mail_links`, the web's
postman, ``contest entries mail``): a refused mailbox fails that entry only, a server away
loses nothing, and no link is sent twice."""

import threading
from datetime import timedelta
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from flask.testing import FlaskClient
from sqlmodel import Session, col, select

from contest.entries.confirmation import (
    Letter,
    confirmation_key,
    confirmation_link,
    confirmation_message,
    mail_links,
    unmailed,
)
from contest.models import ConfirmationMail, Entry
from contest.rules.document import Defences
from contest.rules.versions import PublishedContest, find_published
from contest.smtp import Mailer
from tests.builders import OPENS, consent_version, make_contest, make_entry, rules_document
from tests.fixtures import Clock, configured_app, run_cli
from tests.mailsink import MailSink, free_port

SECRET = b"s" * 32
BASE = "https://contest.example"
ASKED = rules_document(defences=Defences(confirm_email=True))
DURING = OPENS + timedelta(hours=5)


def _published(session: Session) -> PublishedContest:
    contest, _version = make_contest(session, rules=ASKED)
    found = find_published(session, contest)
    assert found is not None
    return found


def _entrants(session: Session, contest: PublishedContest, count: int) -> list[Entry]:
    entries = [make_entry(session, contest, now=DURING, data={
        "full_name": f"Entrant {chr(65 + n)}", "email": f"entrant{n}@example.com",
        "birth_date": "1990-04-12", "country": "US"}) for n in range(count)]
    session.commit()
    return entries


def _ids(entries: list[Entry]) -> list[int]:
    return [entry.id for entry in entries if entry.id is not None]


def _link(ticket: str) -> str:
    return confirmation_link(BASE, ticket, SECRET)


def test_the_links_go_over_one_connection_and_a_refused_mailbox_fails_alone(
        session: Session, sink: MailSink) -> None:
    entries = _entrants(session, _published(session), 5)
    sink.refused.add("entrant2@example.com")
    posted = mail_links(session, entry_ids=_ids(entries), link=_link,
                        mailer=Mailer(sink.url, "entries@snowfall.example"), now=DURING)
    session.commit()
    assert posted.sent == 4 and list(posted.failed) == [entries[2].ticket]
    assert "SMTPRecipientsRefused" in posted.failed[entries[2].ticket]
    assert sink.connections == 1
    assert sorted(message["To"] for message in sink.messages) == [
        f"entrant{n}@example.com" for n in (0, 1, 3, 4)]
    first = entries[0]
    assert (f"{BASE}/confirm/{first.ticket}/{confirmation_key(first.ticket, SECRET)}"
            in sink.messages[0].get_content())
    assert unmailed(session) == [entries[2].id], "the refused one waits for the next try"
    # a second round sends nothing twice
    again = mail_links(session, entry_ids=_ids(entries), link=_link,
                       mailer=Mailer(sink.url, "entries@snowfall.example"), now=DURING)
    assert again.sent == 0 and len(sink.messages) == 4


def test_a_mail_server_away_loses_nothing(session: Session) -> None:
    entries = _entrants(session, _published(session), 3)
    away = Mailer(f"smtp://127.0.0.1:{free_port()}", "entries@snowfall.example")
    posted = mail_links(session, entry_ids=_ids(entries), link=_link, mailer=away,
                        now=DURING)
    session.commit()
    assert posted.sent == 0
    assert set(posted.failed) == {entry.ticket for entry in entries}
    assert session.exec(select(ConfirmationMail)).all() == []
    assert unmailed(session) == _ids(entries)


def test_the_web_answers_before_the_mail_and_its_postman_sends_it(
        database_url: str, clock: Clock, tmp_path: Path, sink: MailSink) -> None:
    clock.now = DURING
    with configured_app(database_url, clock, tmp_path, smtp_url=sink.url,
                        mail_from="entries@snowfall.example",
                        base_url=BASE) as app, Session(app.extensions["contest.engine"]) as db:
        found = _published(db)
        client = app.test_client()
        for n in range(3):
            answer = client.post(f"/api/contests/{found.contest.slug}/entries", json={
                "full_name": f"Entrant {chr(65 + n)}", "email": f"entrant{n}@example.com",
                "birth_date": "1990-04-12", "country": "US",
                "personal_data_consent": consent_version(ASKED)})
            assert answer.status_code == 201, answer.get_data(as_text=True)
            assert answer.get_json()["waiting_for_confirmation"] is True
        # the test client answers once the postman has tried (tests/fixtures.py: Browser)
        assert sorted(message["To"] for message in sink.messages) == [
            f"entrant{n}@example.com" for n in range(3)]
        assert all(f"{BASE}/confirm/" in message.get_content() for message in sink.messages)
        assert db.exec(select(ConfirmationMail)).all() != []
        assert unmailed(db) == []


def test_an_entry_is_answered_while_the_mail_server_is_slow_and_its_mail_follows(
        database_url: str, clock: Clock, tmp_path: Path, sink: MailSink) -> None:
    clock.now = DURING
    sink.gate = threading.Event()
    with configured_app(database_url, clock, tmp_path, smtp_url=sink.url,
                        mail_from="entries@snowfall.example",
                        base_url=BASE) as app, Session(app.extensions["contest.engine"]) as db:
        found = _published(db)
        # a plain client: it does not wait for the postman as the tests' Browser does
        client = FlaskClient(app, app.response_class)
        answer = client.post(f"/api/contests/{found.contest.slug}/entries", json={
            "full_name": "Anna Smith", "email": "anna@example.com", "birth_date": "1990-04-12",
            "country": "US", "personal_data_consent": consent_version(ASKED)})
        assert answer.status_code == 201 and sink.messages == []
        sink.gate.set()
        app.extensions["contest.postman"].wait()
        assert [message["To"] for message in sink.messages] == ["anna@example.com"]
        assert len(db.exec(select(ConfirmationMail)).all()) == 1, "kept as sent"


def test_the_command_mails_the_links_never_sent_and_says_which_failed(
        session: Session, sink: MailSink, cli_env: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    entries = _entrants(session, _published(session), 4)
    monkeypatch.setenv("CONTEST_SMTP_URL", sink.url)
    monkeypatch.setenv("CONTEST_MAIL_FROM", "entries@snowfall.example")
    monkeypatch.setenv("CONTEST_BASE_URL", BASE)
    sink.refused.add("entrant3@example.com")
    result = run_cli("entries", "mail")
    assert result.exit_code == 1
    assert "mailed: 3, still unsent: 1" in result.stdout
    assert f"entry {entries[3].ticket}: not mailed: SMTPRecipientsRefused" in result.stderr
    assert sink.connections == 1 and len(sink.messages) == 3
    sink.refused.clear()
    result = run_cli("entries", "mail")
    assert result.exit_code == 0 and "mailed: 1, still unsent: 0" in result.stdout
    assert [message["To"] for message in sink.messages][-1] == "entrant3@example.com"
    assert session.exec(select(ConfirmationMail.entry_id)
                        .order_by(col(ConfirmationMail.entry_id))).all() == _ids(entries)


@pytest.mark.parametrize("language", ["en", "ru", "uk"])
def test_a_letter_written_once_reads_as_the_mail_built_for_each(session: Session,
                                                                language: str) -> None:
    found = _published(session)
    ticket, link = "ab" * 16, f"{BASE}/confirm/{'ab' * 16}/{'cd' * 16}"
    written = Letter.of(found, language).to("anna@example.com", ticket, link)
    closes = found.rules.period.closes_at.astimezone(ZoneInfo(found.rules.period.timezone))
    built = confirmation_message(to="anna@example.com", language=language,
                                 contest_title=found.contest.title, ticket=ticket, link=link,
                                 closes_at=closes.strftime("%Y-%m-%d %H:%M %Z"))
    read = message_from_bytes(b"From: entries@snowfall.example\r\n" + written,
                              policy=policy.default)
    assert isinstance(read, EmailMessage)
    assert (read["To"], read["Subject"]) == (built["To"], built["Subject"])
    assert read.get_content() == built.get_content()
    assert b"\r\n" in written and b"\n" not in written.replace(b"\r\n", b"")
