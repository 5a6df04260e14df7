"""The acknowledgement and the answer by e-mail, through a real local SMTP server."""

import dataclasses
from datetime import timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import Session

from contest.complaints.desk import answer, file_complaint
from contest.complaints.mail import Post, mail_address, mail_complaint, send_pending, unsent
from contest.errors import ConfigError
from contest.models import Complaint, Contest
from contest.smtp import Mailer
from tests.builders import OPENS, SIGNER, make_contest, rules_document
from tests.fixtures import run_cli
from tests.mailsink import MailSink, free_port, mail_sink

NOW = OPENS + timedelta(days=1, hours=1)
LINK = "https://giveaways.example/complaints/KEY"


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
                        link=LINK, mailer=mailer, now=NOW) is None
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
                        link=LINK, mailer=mailer, now=NOW) is None
    assert len(sink.messages) == 1


def test_the_answer_is_mailed_too(session: Session, sink: MailSink) -> None:
    contest, complaint = filed(session, language="en")
    mailer = Mailer(sink.url, "complaints@snowfall.example")
    answer(session, contest=contest, complaint=complaint, text="The courier delivers today.",
           public=False, actor_id=None, now=NOW, signer=SIGNER)
    assert send_pending(session, complaint=complaint, contest=contest, timezone="UTC",
                        link=LINK, mailer=mailer, now=NOW) is None
    assert [m["Subject"] for m in sink.messages] == [
        'Complaint 1 about "Winter giveaway" is received',
        'Answer to complaint 1 about "Winter giveaway"']
    assert "The courier delivers today." in sink.messages[1].get_content()
    assert unsent(session) == []


def test_a_server_that_is_down_loses_nothing(session: Session) -> None:
    contest, complaint = filed(session)
    down = Mailer(f"smtp://127.0.0.1:{free_port()}", "complaints@snowfall.example",
                  timeout=2)
    problem = send_pending(session, complaint=complaint, contest=contest, timezone="UTC",
                           link=LINK, mailer=down, now=NOW)
    assert problem is not None and problem.startswith("ConnectionRefusedError")
    session.commit()
    assert complaint.mailed_at is None
    assert [c.number for c in unsent(session)] == [1]
    with mail_sink() as sink:
        assert send_pending(session, complaint=complaint, contest=contest, timezone="UTC",
                            link=LINK, mailer=Mailer(sink.url, "c@snowfall.example"),
                            now=NOW) is None
        assert len(sink.messages) == 1
    assert unsent(session) == []


def test_only_an_email_contact_gets_mail(session: Session, sink: MailSink) -> None:
    contest, complaint = filed(session, contact="+7 916 123-45-67")
    assert mail_address(complaint.contact) is None
    assert send_pending(session, complaint=complaint, contest=contest, timezone="UTC",
                        link=LINK, mailer=Mailer(sink.url, "c@snowfall.example"),
                        now=NOW) is None
    assert sink.messages == [] and unsent(session) == []


def test_a_wrong_smtp_setting_is_named() -> None:
    assert Mailer.from_settings("", "anything") is None
    with pytest.raises(ConfigError, match="CONTEST_SMTP_URL"):
        Mailer.from_settings("http://mail.example", "c@snowfall.example")
    with pytest.raises(ConfigError, match="CONTEST_MAIL_FROM"):
        Mailer.from_settings("smtp://mail.example", "not an address")


# -- headers that would break the mail, and one failure among many ---------------------------

def filed_in(session: Session, slug: str, title: str, contact: str) -> Complaint:
    """A complaint to a contest whose stored title is ``title`` (old data may hold any)."""
    rules = rules_document(title=title)
    contest, _ = make_contest(session, slug=slug, rules=rules)
    complaint = file_complaint(session, contest=contest, rules=rules, data={
        "contact": contact, "kind": "prize_not_delivered", "text": "No parcel yet."},
        language="en", now=NOW, signer=SIGNER)
    session.commit()
    return complaint


@pytest.mark.parametrize("title", ["Winter\r\ngiveaway", "Winter\ngiveaway",
                                   "Winter\x1bgiveaway", "Winter \u2028\t giveaway\r\n"])
def test_a_title_with_line_breaks_from_old_data_is_folded_to_one_clean_line(
        session: Session, sink: MailSink, title: str) -> None:
    complaint = filed_in(session, "winter-giveaway", title, "anna@example.com")
    contest = session.get(Contest, complaint.contest_id)
    assert contest is not None and contest.title == title
    assert send_pending(session, complaint=complaint, contest=contest, timezone="UTC",
                        link=LINK, mailer=Mailer(sink.url, "c@snowfall.example"),
                        now=NOW) is None
    [message] = sink.messages
    assert message["Subject"] == 'Complaint 1 about "Winter giveaway" is received'
    assert complaint.mailed_at == NOW


def test_a_contact_with_a_control_character_is_not_an_address_to_mail() -> None:
    assert mail_address("anna\x00@example.com") is None
    assert mail_address("anna@exam\x7fple.com") is None
    assert mail_address(" anna@example.com ") == "anna@example.com"


def test_the_mail_command_names_the_complaint_it_could_not_mail_and_sends_the_others(
        cli_env: Path, session: Session, sink: MailSink,
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CONTEST_SMTP_URL", sink.url)
    monkeypatch.setenv("CONTEST_MAIL_FROM", "complaints@snowfall.example")
    filed_in(session, "winter-giveaway", "Winter\r\ngiveaway", "anna@example.com")
    filed_in(session, "spring-sale", "Spring sale", "gone@example.com")
    filed_in(session, "summer-prize", "Summer prize", "olga@example.com")
    sink.refused.add("gone@example.com")
    result = run_cli("complaints", "mail")
    assert result.exit_code == 1
    assert result.stdout == "mailed: 2, still unsent: 1\n"
    assert "complaint spring-sale#1: not mailed: " in result.stderr
    assert "no such mailbox" in result.stderr
    assert "Error: not mailed: spring-sale#1" in result.stderr
    assert sorted(m["To"] for m in sink.messages) == ["anna@example.com", "olga@example.com"]
    assert 'Complaint 1 about "Winter giveaway" is received' in [
        m["Subject"] for m in sink.messages]
    session.expire_all()
    assert [c.contact for c in unsent(session)] == ["gone@example.com"]
    sink.refused.clear()
    again = run_cli("complaints", "mail")
    assert (again.exit_code, again.stdout) == (0, "mailed: 1, still unsent: 0\n")


# -- one way to mail a complaint, for the web and the command line --------------------------

def test_a_complaint_is_mailed_in_its_contests_time_zone_with_its_own_link(
        session: Session, sink: MailSink) -> None:
    rules = rules_document()
    rules = dataclasses.replace(rules, period=dataclasses.replace(
        rules.period, timezone="Europe/Moscow"))
    contest, _ = make_contest(session, rules=rules)
    complaint = file_complaint(session, contest=contest, rules=rules, data={
        "contact": "anna@example.com", "kind": "prize_not_delivered", "text": "No parcel."},
        language="en", now=NOW, signer=SIGNER)
    session.commit()
    post = Post.from_settings(sink.url, "complaints@snowfall.example",
                              "https://giveaways.example/")
    assert post is not None
    assert mail_complaint(session, complaint=complaint, post=post, now=NOW) is None
    [message] = sink.messages
    body = message.get_content()
    assert f"https://giveaways.example/complaints/{complaint.key}" in body
    due = complaint.due_at.astimezone(ZoneInfo("Europe/Moscow"))
    assert f"We will answer by {due:%Y-%m-%d %H:%M} MSK." in body
    assert complaint.mailed_at == NOW and unsent(session) == []
    assert mail_complaint(session, complaint=complaint, post=post, now=NOW) is None
    assert len(sink.messages) == 1  # nothing left to send


def test_without_an_smtp_server_there_is_no_post() -> None:
    assert Post.from_settings("", "complaints@snowfall.example", "https://x.example") is None
    with pytest.raises(ConfigError, match="CONTEST_MAIL_FROM"):
        Post.from_settings("smtp://mail.example", "not an address", "https://x.example")
