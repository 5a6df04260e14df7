"""Complaints under rules published before their ranges existed: a deadline that cannot be
counted is a clear error, and a title with line breaks still gets its mail."""

from datetime import timedelta
from pathlib import Path

from sqlmodel import Session, select

from contest.models import Complaint
from contest.rules.document import ComplaintChannel
from tests.builders import OPENS, make_contest, rules_document
from tests.fixtures import Browser, Clock, configured_app
from tests.mailsink import mail_sink

WEDNESDAY = OPENS + timedelta(days=1, hours=1)
COMPLAINT = {"contact": "anna@example.com", "kind": "not_included",
             "text": "My entry from Monday is missing."}


def test_a_deadline_no_calendar_can_count_is_a_clear_error(client: Browser, db: Session,
                                                           clock: Clock) -> None:
    rules = rules_document(complaints=ComplaintChannel("complaints@snowfall.example",
                                                       response_business_days=3_000_000))
    contest, _ = make_contest(db, rules=rules)  # published before the ranges existed
    clock.now = WEDNESDAY
    api = client.post(f"/api/contests/{contest.slug}/complaints", json=COMPLAINT)
    assert api.status_code == 409
    assert api.get_json()["message"] == (
        "a complaint deadline is counted in 1 to 60 business days, the rules say 3000000")
    form = client.submit(f"/contests/{contest.slug}/complaints", COMPLAINT,
                         headers={"Accept-Language": "ru"})
    assert form.status_code == 409
    assert "рабочих дней" in form.get_data(as_text=True)
    assert db.exec(select(Complaint)).all() == []


def test_a_title_with_a_line_break_still_gets_its_acknowledgement_mailed(
        database_url: str, clock: Clock, tmp_path: Path) -> None:
    clock.now = WEDNESDAY
    with mail_sink() as sink, configured_app(
            database_url, clock, tmp_path, smtp_url=sink.url,
            mail_from="complaints@snowfall.example") as app:
        client = app.test_client()
        assert isinstance(client, Browser)
        with Session(app.extensions["contest.engine"]) as db:
            make_contest(db, rules=rules_document(title="Winter\r\nBcc: all@example.com"))
        sent = client.submit("/contests/winter-giveaway/complaints", COMPLAINT)
        assert sent.status_code == 303
        [message] = sink.messages
        assert message["Subject"] == (
            'Complaint 1 about "Winter Bcc: all@example.com" is received')
        assert message["Bcc"] is None and message["To"] == "anna@example.com"
