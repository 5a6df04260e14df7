"""An entrant confirms their entry on a phone (390 px, real Chromium): the receipt says the
entry waits, its button sends the link again, and the mailed link (from a real SMTP server
on the loopback) opens a page that does not scroll sideways, whose one button, reached and
pressed with the keyboard, confirms the entry."""

import re
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from flask import Flask
from playwright.sync_api import Page
from sqlmodel import Session

from tests.browser.test_phone_layout import WIDTH, page_width, phone  # noqa: F401
from tests.builders import OPENS, make_contest
from tests.fixtures import Browser, Clock, configured_app
from tests.mailsink import MailSink
from tests.web.test_email_confirmation import ANNA, FORM, LINK, RULES


@pytest.fixture
def app(database_url: str, clock: Clock, tmp_path: Path, sink: MailSink) -> Iterator[Flask]:
    """The app mailing through the sink (the live server serves this one)."""
    with configured_app(database_url, clock, tmp_path, smtp_url=sink.url,
                        mail_from="entries@snowfall.example") as configured:
        yield configured


def test_an_entrant_confirms_on_a_phone(phone: Page, live_server: str,  # noqa: F811
                                        app: Flask, db: Session, clock: Clock,
                                        sink: MailSink) -> None:
    clock.now = OPENS + timedelta(hours=5)
    make_contest(db, rules=RULES)
    client = app.test_client()
    assert isinstance(client, Browser)
    receipt = client.submit(FORM, ANNA).headers["Location"]
    phone.goto(f"{live_server}{receipt}")
    assert phone.get_by_role("heading", name="Your entry waits for confirmation").is_visible()
    button = phone.get_by_role("button", name="Send the link again")
    box = button.bounding_box()
    assert box is not None and box["x"] + box["width"] <= WIDTH
    assert page_width(phone) <= WIDTH, "the receipt scrolls sideways"
    button.click()
    assert phone.get_by_role("heading", name="The link is on its way").is_visible()
    assert len(sink.messages) == 2
    found = LINK.search(sink.messages[-1].get_content())
    assert found
    link = found.group(0)
    phone.goto(live_server + link[link.index("/confirm/"):])
    assert phone.get_by_role("heading", name="Confirm your entry").is_visible()
    confirm = phone.get_by_role("button", name="Confirm my entry")
    box = confirm.bounding_box()
    assert box is not None and box["x"] + box["width"] <= WIDTH
    assert page_width(phone) <= WIDTH, "the page with the button scrolls sideways"
    phone.goto(f"{live_server}{receipt}")
    assert phone.get_by_role("heading", name="Your entry waits for confirmation").is_visible(), \
        "opening the link alone confirms nothing"
    phone.go_back()
    for _ in range(20):  # the keyboard walks the page to the button
        phone.keyboard.press("Tab")
        if confirm.evaluate("button => button === document.activeElement"):
            break
    assert confirm.evaluate("button => button === document.activeElement")
    phone.keyboard.press("Enter")
    confirmed = phone.get_by_role("heading", name="Your entry is confirmed")
    confirmed.wait_for()
    assert confirmed.is_visible()
    assert page_width(phone) <= WIDTH, "the confirmation scrolls sideways"
    phone.goto(f"{live_server}{receipt}")
    assert phone.get_by_role("heading", name=re.compile("You are in the draw")).is_visible()
