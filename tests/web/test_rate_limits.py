"""Rate limits on entries and complaints: per address and contest, and per contest from everyone."""

import os
import secrets
import subprocess
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from flask import Flask
from sqlmodel import Session, func, select
from werkzeug.test import TestResponse

from contest.accounts import create_user
from contest.config import Settings
from contest.errors import ConfigError
from contest.models import Complaint, Entry
from tests.builders import OPENS, consented, make_contest
from tests.entries.builders import entrant
from tests.fixtures import Browser, Clock, configured_app
from web.ratelimits import ProcessCounts

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def limited_app(database_url: str, clock: Clock, tmp_path: Path) -> Iterator[Flask]:
    with configured_app(database_url, clock, tmp_path,
                        entry_rate_limit="3 per minute",
                        contest_rate_limit="7 per minute") as app:
        yield app


def post_entry(app: Flask, number: int, address: str,
               language: str = "en") -> tuple[int, TestResponse]:
    answer = app.test_client().post(
        "/api/contests/winter-giveaway/entries", environ_base={"REMOTE_ADDR": address},
        headers={"Accept-Language": language},
        json={k: v for k, v in entrant(email=f"p{number}@example.ru", phone=None).items()
              if v is not None} | consented())
    return answer.status_code, answer


def test_one_address_is_slowed_down_and_the_contest_caps_everyone(
        limited_app: Flask, clock: Clock) -> None:
    engine = limited_app.extensions["contest.engine"]
    with Session(engine) as session:
        make_contest(session)
    clock.now = OPENS + timedelta(days=1)
    codes = [post_entry(limited_app, n, "10.0.0.1")[0] for n in range(4)]
    assert codes == [201, 201, 201, 429]
    status, answer = post_entry(limited_app, 9, "10.0.0.1", "ru")
    assert status == 429
    assert "Retry-After" in answer.headers
    assert "Слишком много запросов" in answer.get_json()["message"]
    # Others may still enter, until the contest's own cap of 7 attempts a minute (refused
    # attempts count too: the cap is there against floods).
    others = [post_entry(limited_app, 20 + n, f"10.0.1.{n}")[0] for n in range(3)]
    assert others == [201, 201, 429]
    with Session(engine) as session:
        assert session.exec(select(func.count()).select_from(Entry)).one() == 5


def test_the_complaint_form_and_api_are_limited_too(limited_app: Flask, clock: Clock) -> None:
    engine = limited_app.extensions["contest.engine"]
    with Session(engine) as session:
        make_contest(session)
    clock.now = OPENS + timedelta(days=1)
    client = limited_app.test_client()
    body = {"contact": "anna@example.com", "kind": "other", "text": "Too slow."}
    codes = [client.post("/api/contests/winter-giveaway/complaints", json=body,
                         environ_base={"REMOTE_ADDR": "10.0.0.2"}).status_code
             for _ in range(4)]
    assert codes == [201, 201, 201, 429]
    assert isinstance(client, Browser)
    # The form has counts of its own (each view is limited on its own).
    form = [client.submit("/contests/winter-giveaway/complaints", body,
                          environ_base={"REMOTE_ADDR": "10.0.0.3"}).status_code
            for _ in range(4)]
    assert form == [303, 303, 303, 429]
    # Reading the desk is never limited.
    assert client.get("/contests/winter-giveaway/complaints",
                      environ_base={"REMOTE_ADDR": "10.0.0.2"}).status_code == 200
    with Session(engine) as session:
        assert session.exec(select(func.count()).select_from(Complaint)).one() == 6


def test_limited_answers_tell_where_the_sender_stands(limited_app: Flask, clock: Clock) -> None:
    engine = limited_app.extensions["contest.engine"]
    with Session(engine) as session:
        make_contest(session)
    clock.now = OPENS + timedelta(days=1)
    answers = [post_entry(limited_app, n, "10.0.0.5")[1] for n in range(4)]
    # Accepted: the contest's limit, counted first (7 a minute); refused: the one it is over.
    assert [(a.status_code, a.headers["X-RateLimit-Limit"], a.headers["X-RateLimit-Remaining"])
            for a in answers] == [(201, "7", "6"), (201, "7", "5"), (201, "7", "4"),
                                  (429, "3", "0")]
    for answer in answers:
        assert 0 < int(answer.headers["Retry-After"]) <= 60
        assert int(answer.headers["X-RateLimit-Reset"]) > 0
    page = limited_app.test_client().get("/contests/winter-giveaway/enter")
    assert page.status_code == 200 and "X-RateLimit-Limit" not in page.headers


def test_counts_in_memory_start_a_new_window_when_one_ends_and_old_ones_are_swept() -> None:
    now = [1000.0]
    counts = ProcessCounts(clock=lambda: now[0])
    assert [counts.incr("a", 60) for _ in range(3)] == [1, 2, 3]
    assert (counts.get("a"), counts.get_expiry("a")) == (3, 1060.0)
    counts.incr("b", 3600)
    now[0] = 1061.0
    assert counts.get("a") == 0 and counts.incr("a", 60) == 1
    assert counts.get_expiry("a") == 1121.0 and len(counts) == 2
    now[0] = 1000.0 + ProcessCounts.SWEEP_SECONDS + 70  # "a" ended; "b" has an hour
    counts.incr("c", 60)
    assert len(counts) == 2 and counts.get("b") == 1 and counts.get("a") == 0


@pytest.fixture(scope="session")
def redis_url() -> str:
    """A real Redis server (``scripts/test-redis``), unless CONTEST_TEST_REDIS_URL names one."""
    url = os.environ.get("CONTEST_TEST_REDIS_URL")
    if url:
        return url
    result = subprocess.run([str(ROOT / "scripts" / "test-redis")], check=True,
                            capture_output=True, text=True)
    return result.stdout.strip().splitlines()[-1]


@pytest.mark.parametrize(("storage", "fourth"), [("redis", 429), ("memory://", 201)])
def test_workers_count_one_address_together_only_in_a_shared_store(
        storage: str, fourth: int, request: pytest.FixtureRequest, database_url: str,
        clock: Clock, tmp_path: Path) -> None:
    uri = request.getfixturevalue("redis_url") if storage == "redis" else storage
    settings = {"entry_rate_limit": "3 per minute", "contest_rate_limit": "1000 per minute",
                "ratelimit_storage_uri": uri}
    # An address of its own: counts in Redis outlive the test by their minute.
    address = "10.{}.{}.{}".format(*secrets.token_bytes(3))
    with configured_app(database_url, clock, tmp_path, **settings) as first, \
            configured_app(database_url, clock, tmp_path, **settings) as second:
        with Session(first.extensions["contest.engine"]) as session:
            make_contest(session)
        clock.now = OPENS + timedelta(days=1)
        workers = [first, second, first, second]  # as gunicorn's workers take turns
        codes = [post_entry(worker, n, address)[0] for n, worker in enumerate(workers)]
    assert codes == [201, 201, 201, fourth]


def test_a_limit_that_is_not_a_limit_stops_start_up(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="CONTEST_ENTRY_RATE_LIMIT must be limits"):
        Settings.load({"CONTEST_INSTANCE_PATH": str(tmp_path),
                       "CONTEST_ENTRY_RATE_LIMIT": "lots"})


def test_sign_in_attempts_on_one_account_are_counted_together_by_every_worker(
        redis_url: str, database_url: str, clock: Clock, tmp_path: Path) -> None:
    email = f"{secrets.token_hex(6)}@brand.example"  # counts in Redis outlive the test
    with configured_app(database_url, clock, tmp_path,
                        ratelimit_storage_uri=redis_url) as first, \
            configured_app(database_url, clock, tmp_path,
                           ratelimit_storage_uri=redis_url) as second:
        with Session(first.extensions["contest.engine"]) as session:
            create_user(session, email=email, name="Ann", role="auditor",
                        password="a long password", actor_id=None, now=clock.now)
            session.commit()
        browsers = [first.test_client(), second.test_client()]
        codes = []
        for n in range(11):
            browser = browsers[n % 2]  # as gunicorn's workers take turns
            assert isinstance(browser, Browser)
            password = "a long password" if n == 10 else f"guess {n}"
            address = "10.{}.{}.{}".format(*secrets.token_bytes(3))  # each from its own
            codes.append(browser.submit("/login", {"email": email, "password": password},
                                        environ_base={"REMOTE_ADDR": address}).status_code)
    assert codes == [401] * 10 + [429]
