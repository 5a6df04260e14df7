"""The Telegram bot's webhook: Telegram's updates taken only with the secret the webhook was
set with (X-Telegram-Bot-Api-Secret-Token), then answered as the polling bot answers."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from sqlmodel import Session, select

from contest.models import Entry
from contest.sources.telegram import webhook_secret
from tests.builders import make_published
from tests.entries.builders import DURING
from tests.fixtures import Clock, configured_app
from tests.sources.telegram_bot_api import (
    TOKEN,
    BotApiState,
    bot_api_server,
    person,
    press_update,
)
from tests.sources.test_telegram import CHANNEL, SLUG, telegram_rules

URL = f"/telegram/{SLUG}/webhook"


@pytest.fixture
def state() -> BotApiState:
    state = BotApiState()
    state.join(CHANNEL, 42)
    return state


@pytest.fixture
def bot_app(database_url: str, clock: Clock, tmp_path: Path,
            state: BotApiState) -> Iterator[Flask]:
    clock.now = DURING
    with bot_api_server(state) as api_url, configured_app(
            database_url, clock, tmp_path, telegram_api_url=api_url,
            telegram_bot_token=TOKEN) as app:
        with Session(app.extensions["contest.engine"]) as session:
            make_published(session, rules=telegram_rules())
        yield app


def secret(app: Flask) -> str:
    assert isinstance(app.secret_key, str)
    return webhook_secret(app.secret_key.encode(), SLUG)


def entries(app: Flask) -> list[Entry]:
    with Session(app.extensions["contest.engine"]) as session:
        return list(session.exec(select(Entry)).all())


def test_an_update_without_the_right_secret_is_refused(bot_app: Flask,
                                                       state: BotApiState) -> None:
    client = bot_app.test_client()
    update = press_update(1, person(42), f"enter:{SLUG}")
    assert client.post(URL, json=update).status_code == 403
    assert client.post(URL, json=update, headers={
        "X-Telegram-Bot-Api-Secret-Token": secret(bot_app)[:-1] + "x"}).status_code == 403
    assert client.post("/telegram/other-contest/webhook", json=update, headers={
        "X-Telegram-Bot-Api-Secret-Token": secret(bot_app)}).status_code == 404
    assert entries(bot_app) == [] and state.sent == []


def test_an_update_with_the_secret_is_answered(bot_app: Flask, state: BotApiState) -> None:
    client = bot_app.test_client()
    answer = client.post(URL, json=press_update(1, person(42), f"enter:{SLUG}"),
                         headers={"X-Telegram-Bot-Api-Secret-Token": secret(bot_app)})
    assert answer.status_code == 200
    [entry] = entries(bot_app)
    assert (entry.channel, entry.account) == ("telegram", "tg:42")
    [sent] = state.sent
    assert sent["chat_id"] == 42 and entry.ticket in sent["text"]
    receipt = sent["text"].split(bot_app.config["BASE_URL"])[-1]
    assert receipt.startswith(f"/receipts/{entry.ticket}/")
    page = client.get(receipt)  # the entrant's own receipt page opens with the bot's link
    assert page.status_code == 200 and entry.ticket in page.get_data(as_text=True)


def test_a_body_that_is_no_update_is_a_400(bot_app: Flask) -> None:
    answer = bot_app.test_client().post(URL, json={"hello": 1}, headers={
        "X-Telegram-Bot-Api-Secret-Token": secret(bot_app)})
    assert answer.status_code == 400


def test_an_update_the_bot_cannot_read_is_answered_200_so_it_is_not_sent_again(
        bot_app: Flask, state: BotApiState) -> None:
    answer = bot_app.test_client().post(URL, json={"update_id": 9, "message": {"text": "x"}},
                                        headers={"X-Telegram-Bot-Api-Secret-Token":
                                                 secret(bot_app)})
    assert answer.status_code == 200
    assert entries(bot_app) == [] and state.sent == []
