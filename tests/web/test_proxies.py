"""Behind a reverse proxy: the entrant's address comes from ``X-Forwarded-For`` only when the
deployment says how many proxies to trust (``CONTEST_TRUSTED_PROXIES``); otherwise the header
is the sender's own words and is ignored."""

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from flask import Flask
from sqlmodel import Session, select

from contest.models import Entry
from tests.builders import OPENS, consented, make_contest
from tests.entries.builders import entrant
from tests.fixtures import Clock, configured_app

PROXY = "10.0.0.2"  # the TLS proxy in front of the app: every request arrives from it


def limited(database_url: str, clock: Clock, tmp_path: Path,
            **settings: str) -> Iterator[Flask]:
    with configured_app(database_url, clock, tmp_path,
                        entry_rate_limit="3 per minute", contest_rate_limit="1000 per minute",
                        **settings) as app:
        with Session(app.extensions["contest.engine"]) as session:
            make_contest(session)
        clock.now = OPENS + timedelta(days=1)
        yield app


@pytest.fixture
def direct(database_url: str, clock: Clock, tmp_path: Path) -> Iterator[Flask]:
    yield from limited(database_url, clock, tmp_path)


@pytest.fixture
def proxied(database_url: str, clock: Clock, tmp_path: Path) -> Iterator[Flask]:
    yield from limited(database_url, clock, tmp_path, trusted_proxies="1")


def enter(app: Flask, number: int, forwarded_for: str | None) -> int:
    headers = {"X-Forwarded-For": forwarded_for} if forwarded_for else {}
    answer = app.test_client().post(
        "/api/contests/winter-giveaway/entries", environ_base={"REMOTE_ADDR": PROXY},
        headers=headers,
        json={k: v for k, v in entrant(email=f"p{number}@example.ru", phone=None).items()
              if v is not None} | consented())
    return answer.status_code


def stored_addresses(app: Flask) -> list[str | None]:
    with Session(app.extensions["contest.engine"]) as session:
        return list(session.exec(select(Entry.ip).order_by(Entry.id)))


def test_behind_a_trusted_proxy_each_entrant_is_counted_and_stored_by_their_own_address(
        proxied: Flask) -> None:
    codes = [enter(proxied, n, f"198.51.100.{n}") for n in range(45)]
    assert codes == [201] * 45
    assert stored_addresses(proxied) == [f"198.51.100.{n}" for n in range(45)]
    # One entrant is still limited on their own.
    assert [enter(proxied, 100 + n, "198.51.100.7") for n in range(3)] == [201, 201, 429]


def test_only_the_address_the_trusted_proxy_saw_counts_not_what_the_sender_wrote(
        proxied: Flask) -> None:
    # The proxy appends the address it saw to whatever the sender forged.
    codes = [enter(proxied, n, f"203.0.113.{n}, 198.51.100.9") for n in range(4)]
    assert codes == [201, 201, 201, 429]
    assert set(stored_addresses(proxied)) == {"198.51.100.9"}


def test_without_trusted_proxies_a_forged_forwarded_for_is_ignored(direct: Flask) -> None:
    codes = [enter(direct, n, f"203.0.113.{n}") for n in range(4)]
    assert codes == [201, 201, 201, 429]
    assert set(stored_addresses(direct)) == {PROXY}
