"""The proof-of-work challenge (ALTCHA) in a real Chromium, as a person's browser meets it:
the widget solves the server's challenge when the person starts filling the form, says so to
screen readers, and the entry goes in; all under the site's strict content security policy.
"""

import re
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from flask import Flask
from playwright.sync_api import Page
from sqlmodel import Session, select

from contest.models import Entry
from tests.browser.conftest import SCREENSHOTS
from tests.builders import OPENS, make_contest
from tests.fixtures import Clock, configured_app

LABEL = "I am a person (my browser does a small sum)"


@pytest.fixture
def app(database_url: str, clock: Clock, tmp_path: Path) -> Iterator[Flask]:
    with configured_app(database_url, clock, tmp_path, challenge_difficulty="20000") as made:
        yield made


def test_a_persons_browser_solves_the_challenge_and_the_entry_goes_in(
        page: Page, live_server: str, db: Session, clock: Clock) -> None:
    contest, _ = make_contest(db)
    clock.now = OPENS + timedelta(days=1)
    refused: list[str] = []
    page.on("console", lambda message: refused.append(message.text)
            if "Content Security Policy" in message.text else None)
    page.goto(f"{live_server}/contests/{contest.slug}/enter")
    checkbox = page.get_by_label(LABEL)
    assert checkbox.get_attribute("type") == "checkbox" and not checkbox.is_checked()
    # Typed with the keyboard: the first field focused starts the widget.
    page.get_by_label("Full name").focus()
    page.keyboard.type("Anna Smith")
    page.keyboard.press("Tab")
    page.keyboard.type("anna.smith@example.com")
    page.fill("#birth_date", "1990-05-17")
    page.select_option("#country", "US")
    page.get_by_label("I agree to the processing of my personal data as written above").check()
    state = page.locator("#challenge-state")
    state.filter(has_text="Checked: you can send the form.").wait_for(timeout=60_000)
    assert state.get_attribute("aria-live") == "polite"
    assert page.get_by_label("Checked: you can send the form").is_checked()
    solution = page.locator('input[type=hidden][name="challenge"]').input_value()
    assert len(solution) > 100
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.locator("form").last.screenshot(path=str(SCREENSHOTS / "challenge-solved-form.png"))
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url(re.compile(r".*/receipts/[0-9a-f]{32}/[A-Za-z0-9_-]{22}$"))
    assert db.exec(select(Entry.full_name)).all() == ["Anna Smith"]
    assert refused == []


def test_a_form_sent_before_the_check_is_done_says_what_is_needed(
        page: Page, live_server: str, db: Session, clock: Clock) -> None:
    contest, _ = make_contest(db)
    clock.now = OPENS + timedelta(days=1)
    page.goto(f"{live_server}/contests/{contest.slug}/complaints")
    # A browser without the widget's script (blocked, or JavaScript off) sends no solution.
    page.evaluate("document.querySelector('altcha-widget').remove()")
    page.fill("#contact", "anna@example.com")
    page.select_option("#kind", "not_included")
    page.fill("#text", "My entry from Monday is missing.")
    page.locator("form button[type=submit]").last.click()
    page.wait_for_load_state()
    alert = page.locator("#challenge-error")
    assert "it needs JavaScript, so turn JavaScript on" in alert.inner_text()
    assert alert.get_attribute("role") == "alert"
