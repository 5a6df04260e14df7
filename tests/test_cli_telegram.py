"""``contest telegram``: the bot run by long polling from the command line, and its webhook
set, against a local Bot API server."""

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlmodel import Session, select

from contest.config import Settings
from contest.models import Entry
from contest.sources.telegram import webhook_secret
from tests.builders import make_published
from tests.fixtures import run_cli as run
from tests.sources.telegram_bot_api import (
    TOKEN,
    BotApiState,
    bot_api_server,
    person,
    press_update,
    start_update,
)
from tests.sources.test_telegram import CHANNEL, SLUG, telegram_rules


@pytest.fixture
def state(cli_env: Path, session: Session,
          monkeypatch: pytest.MonkeyPatch) -> Iterator[BotApiState]:
    """A Bot API server the command is pointed at, and a Telegram giveaway open now (the
    command line acts at the real moment)."""
    opened = datetime.now(UTC).replace(microsecond=0) - timedelta(days=1)
    make_published(session, rules=telegram_rules(opens_at=opened), now=opened - timedelta(1))
    state = BotApiState()
    with bot_api_server(state) as url:
        monkeypatch.setenv("CONTEST_TELEGRAM_API_URL", url)
        monkeypatch.setenv("CONTEST_TELEGRAM_BOT_TOKEN", TOKEN)
        yield state


def test_run_once_answers_the_updates_and_confirms_them(state: BotApiState,
                                                        session: Session) -> None:
    state.join(CHANNEL, 42)
    state.queue(start_update(1, person(42), f"/start {SLUG}"))
    state.queue(press_update(2, person(42), f"enter:{SLUG}"))
    result = run("telegram", "run", SLUG, "--once", "--timeout", "0")
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "answered 2 update(s)"
    [entry] = session.exec(select(Entry)).all()
    assert (entry.channel, entry.account, entry.language) == ("telegram", "tg:42", "ru")
    greeting, taken = (message["text"] for message in state.sent)
    assert f"/contests/{SLUG}/rules" in greeting
    assert entry.ticket in taken and f"/receipts/{entry.ticket}/" in taken
    assert state.updates == []  # confirmed: a second run answers nothing again
    assert run("telegram", "run", SLUG, "--once", "--timeout", "0").output.strip() == (
        "answered 0 update(s)")
    assert TOKEN not in result.output


def test_run_refuses_a_contest_without_a_telegram_source(state: BotApiState) -> None:
    result = run("telegram", "run", "no-such-contest", "--once")
    assert result.exit_code == 1
    assert "no published contest no-such-contest takes entries through Telegram" in (
        result.output)
    assert state.calls == []


def test_webhook_sets_the_apps_url_with_its_secret(state: BotApiState) -> None:
    result = run("telegram", "webhook", SLUG)
    assert result.exit_code == 0, result.output
    settings = Settings.load()
    url = f"{settings.base_url}/telegram/{SLUG}/webhook"
    assert result.output.strip() == f"webhook set: {url}"
    assert state.webhook["url"] == url
    assert state.webhook["secret_token"] == webhook_secret(settings.secret_key.encode(), SLUG)
    assert state.webhook["allowed_updates"] == ["message", "callback_query"]


def test_run_while_a_webhook_is_set_says_why_it_cannot_poll(state: BotApiState) -> None:
    state.webhook = {"url": "https://contest.example/telegram/x/webhook"}
    result = run("telegram", "run", SLUG, "--once", "--timeout", "0")
    assert result.exit_code == 1
    assert "Telegram refused getUpdates: Conflict: can't use getUpdates method while " \
           "webhook is active" in result.output
    assert TOKEN not in result.output
