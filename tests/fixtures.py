"""Shared fixtures: real databases (SQLite and PostgreSQL), a frozen clock, the web app."""

import os
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.engine import Engine
from sqlmodel import Session
from werkzeug.serving import make_server
from werkzeug.test import TestResponse

from contest.cli import main
from contest.db import make_engine, upgrade
from tests import databases
from tests.builders import OPENS, SIGNER
from tests.mailsink import MailSink, mail_sink

BACKENDS = ["sqlite", "postgresql"]


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return databases.migrated_sqlite_template(tmp_path_factory.mktemp("sqlite-template"))


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    server = databases.postgres_server_url()
    name = f"contest_test_{os.getpid()}"
    url = databases.fresh_postgres_database(server, name)
    engine = make_engine(url)
    upgrade(engine)
    engine.dispose()
    yield url
    databases.drop_postgres_database(server, name)


@pytest.fixture(scope="session")
def postgres_engine(postgres_url: str) -> Iterator[Engine]:
    engine = make_engine(postgres_url)
    yield engine
    engine.dispose()


@pytest.fixture(params=BACKENDS)
def database_url(
    request: pytest.FixtureRequest, sqlite_template: Path, tmp_path: Path
) -> Iterator[str]:
    """The URL of an empty, migrated database: once on SQLite, once on PostgreSQL."""
    if request.param == "sqlite":
        yield databases.sqlite_copy(sqlite_template, tmp_path)
        return
    engine: Engine = request.getfixturevalue("postgres_engine")
    databases.empty_tables(engine)
    yield request.getfixturevalue("postgres_url")


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    engine = make_engine(database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    with Session(engine, expire_on_commit=False) as session:
        yield session


@dataclass
class Clock:
    """A frozen clock the app reads through ``CLOCK``; tests move it explicitly."""

    now: datetime

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def clock() -> Clock:
    return Clock(OPENS - timedelta(days=2))


@pytest.fixture
def cli_env(database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The ``contest`` command's environment: a fresh instance folder and the test database,
    in English; yields the temporary folder."""
    monkeypatch.setenv("CONTEST_INSTANCE_PATH", str(tmp_path / "instance"))
    monkeypatch.setenv("CONTEST_DATABASE_URL", database_url)
    monkeypatch.setenv("CONTEST_LOG_SIGNING_KEY_FILE", str(log_key_file(tmp_path)))
    monkeypatch.setenv("LANG", "C.UTF-8")
    return tmp_path


def log_key_file(folder: Path) -> Path:
    """A file in ``folder`` holding the tests' one log key (the builders' ``SIGNER``), as a
    deployment mounts its key: the app and the command line sign with it."""
    key = folder / "log-signing-key"
    if not key.exists():
        key.write_text(SIGNER.private_key_text() + "\n", encoding="utf-8")
        key.chmod(0o600)
    return key


def run_cli(*args: str) -> Result:
    """Run ``contest ARGS…`` as a person would, through Click's runner."""
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


@contextmanager
def configured_app(database_url: str, clock: Clock, tmp_path: Path,
                   **settings: str) -> Iterator[Flask]:
    """The web app on the test database, with ``settings`` by name (``max_upload_mb="1"``
    is ``CONTEST_MAX_UPLOAD_MB``); it reads no environment. Its client is a :class:`Browser`."""
    from web import create_app

    if "base_url" not in settings and "log_signing_key_file" not in settings:
        settings = {**settings, "log_signing_key_file": str(log_key_file(tmp_path))}
    # No background integration unless a test asks: each test integrates where it acts.
    # No proof-of-work challenge on the forms unless a test asks (tests/web/test_challenge.py
    # and the browser's): the other tests send the forms as before, as a person without the
    # widget would where a deployment turns it off (CONTEST_CHALLENGE_DIFFICULTY=0).
    settings = {"log_integrate_every": "0", "challenge_difficulty": "0", **settings}
    app = create_app({"TESTING": True, "CLOCK": clock, "SETTINGS": {
        "instance_path": str(tmp_path / "instance"), "database_url": database_url,
        **settings}})
    app.test_client_class = Browser
    try:
        yield app
    finally:
        app.extensions["contest.integrator"].stop()
        app.extensions["contest.engine"].dispose()


@pytest.fixture
def app(database_url: str, clock: Clock, tmp_path: Path) -> Iterator[Flask]:
    with configured_app(database_url, clock, tmp_path) as configured:
        yield configured


@pytest.fixture
def live_server(app: Flask) -> Iterator[str]:
    """The app served on a free loopback port; yields its base URL."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join()


class Browser(FlaskClient):
    """A test client that sends forms as a browser would: with the page's CSRF token. Each
    answer comes once the app's postman has tried the mail the request handed it
    (:mod:`web.postman`), so a test reads the mail server after it as a person would, a
    moment later."""

    def open(self, *args: Any, **kwargs: Any) -> TestResponse:
        response = super().open(*args, **kwargs)
        self.application.extensions["contest.postman"].wait()
        return response

    def csrf_token(self) -> str:
        page = self.get("/login").get_data(as_text=True)
        match = re.search(r'name="csrf_token" value="([^"]+)"', page)
        assert match, "the sign-in page carries no CSRF token"
        return match.group(1)

    def submit(self, url: str, data: dict[str, Any] | None = None, **kwargs: Any) -> TestResponse:
        return self.post(url, data={"csrf_token": self.csrf_token(), **(data or {})}, **kwargs)

    def sign_in(self, email: str, password: str) -> TestResponse:
        return self.submit("/login", {"email": email, "password": password})


@pytest.fixture
def sink() -> Iterator[MailSink]:
    """A real SMTP server on the loopback that keeps what it receives (tests/mailsink.py)."""
    with mail_sink() as running:
        yield running


@pytest.fixture
def client(app: Flask) -> Browser:
    app.test_client_class = Browser
    browser = app.test_client()
    assert isinstance(browser, Browser)
    return browser


@pytest.fixture
def db(app: Flask) -> Iterator[Session]:
    """A session on the app's database, for arranging and checking state."""
    with Session(app.extensions["contest.engine"], expire_on_commit=False) as session:
        yield session
