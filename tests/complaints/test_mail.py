"""The acknowledgement and the answer by e-mail, through a real local SMTP server."""

from collections.abc import Iterator
from datetime import timedelta

import pytest
from sqlmodel import Session

from contest.complaints.desk import answer, file_complaint
from contest.complaints.mail import Mailer, mail_address, send_pending, unsent
from contest.errors import ConfigError
from contest.models import Complaint, Contest
from tests.builders import OPENS, SIGNER, make_contest, rules_document
from tests.mailsink import MailSink, free_port, mail_sink

NOW = OPENS + timedelta(days=1, hours=1)
LINK = "https://giveaways.example/complaints/KEY"


@pytest.fixture
def sink() -> Iterator[MailSink]:
    with mail_sink() as running:
        yield running


def filed(session: Session, contact: str = "anna@example.com",
          language: str = "ru") -> tuple[Contest, Complaint]:
    rules = rules_document()
    contest, _ = make_contest(session, rules=rules)
    complaint = file_complaint(session, contest=contest, rules=rules, data={
        "contact": contact, "kind": "prize_not_delivered", "text": "No parcel yet."},
        language=language, now=NOW, signer=SIGNER)
    session.commit()
    return contest, complaint


def test_the_acknowledgement_names_the_number_the_deadline_and_the_link(
        session: Session, sink: MailSink) -> None:
    contest, complaint = filed(session)
    mailer = Mailer.from_settings(sink.url, "complaints@snowfall.example")
    assert mailer is not None
    assert send_pending(session, complaint=complaint, contest=contest, timezone="Europe/Moscow",
                        link=LINK, mailer=mailer, now=NOW)
    [message] = sink.messages
    assert message["To"] == "anna@example.com"
    assert message["From"] == "complaints@snowfall.example"
    assert message["Subject"] == "Жалоба 1 по конкурсу «Winter giveaway» получена"
    body = message.get_content()
    assert "жалобу номер 1 (Приз не доставлен)" in body
    assert "2026-12-04 02:59 MSK" in body  # end of Thursday in UTC, in Moscow's time
    assert LINK in body
    assert complaint.mailed_at == NOW
    # Sent once: a second call has nothing left to send.
    assert send_pending(session, complaint=complaint, contest=contest, timezone="UTC",
                        link=LINK, mailer=mailer, now=NOW)
    assert len(sink.messages) == 1


def test_the_answer_is_mailed_too(session: Session, sink: MailSink) -> None:
    contest, complaint = filed(session, language="en")
    mailer = Mailer(sink.url, "complaints@snowfall.example")
    answer(session, contest=contest, complaint=complaint, text="The courier delivers today.",
           public=False, actor_id=None, now=NOW, signer=SIGNER)
    assert send_pending(session, complaint=complaint, contest=contest, timezone="UTC",
                        link=LINK, mailer=mailer, now=NOW)
    assert [m["Subject"] for m in sink.messages] == [
        'Complaint 1 about "Winter giveaway" is received',
        'Answer to complaint 1 about "Winter giveaway"']
    assert "The courier delivers today." in sink.messages[1].get_content()
    assert unsent(session) == []


def test_a_server_that_is_down_loses_nothing(session: Session) -> None:
    contest, complaint = filed(session)
    down = Mailer(f"smtp://127.0.0.1:{free_port()}", "complaints@snowfall.example",
                  timeout=2)
    assert not send_pending(session, complaint=complaint, contest=contest, timezone="UTC",
                            link=LINK, mailer=down, now=NOW)
    session.commit()
    assert complaint.mailed_at is None
    assert [c.number for c in unsent(session)] == [1]
    with mail_sink() as sink:
        assert send_pending(session, complaint=complaint, contest=contest, timezone="UTC",
                            link=LINK, mailer=Mailer(sink.url, "c@snowfall.example"), now=NOW)
        assert len(sink.messages) == 1
    assert unsent(session) == []


def test_only_an_email_contact_gets_mail(session: Session, sink: MailSink) -> None:
    contest, complaint = filed(session, contact="+7 916 123-45-67")
    assert mail_address(complaint.contact) is None
    assert send_pending(session, complaint=complaint, contest=contest, timezone="UTC",
                        link=LINK, mailer=Mailer(sink.url, "c@snowfall.example"), now=NOW)
    assert sink.messages == [] and unsent(session) == []


def test_a_wrong_smtp_setting_is_named() -> None:
    assert Mailer.from_settings("", "anything") is None
    with pytest.raises(ConfigError, match="CONTEST_SMTP_URL"):
        Mailer.from_settings("http://mail.example", "c@snowfall.example")
    with pytest.raises(ConfigError, match="CONTEST_MAIL_FROM"):
        Mailer.from_settings("smtp://mail.example", "not an address")
