"""PostgreSQL goes away under the app and comes back: 503 with a clear message, then recovery.

A TCP relay stands between the app and the real server, so the test can cut every
connection and refuse new ones, as a database restart does, without touching the server the
other tests use.
"""

import functools
import json
import socket
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import event
from sqlalchemy.engine import Engine, make_url
from sqlmodel import Session, select

import contest.db
import web.database
from contest.models import Entry
from tests import databases
from tests.builders import consented, make_contest, rules_document
from tests.entries.builders import DURING, entrant
from web import create_app


class Relay:
    """Forwards a loopback port to the database; :meth:`cut` drops everything."""

    def __init__(self, host: str, port: int) -> None:
        self.target = (host, port)
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = int(self.listener.getsockname()[1])
        self.sockets: list[socket.socket] = []
        self.up = True
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            if not self.up:
                client.close()
                continue
            server = socket.create_connection(self.target)
            self.sockets += [client, server]
            for source, sink in ((client, server), (server, client)):
                threading.Thread(target=self._pump, args=(source, sink), daemon=True).start()

    @staticmethod
    def _pump(source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for end in (source, sink):
                try:
                    end.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
                end.close()

    def cut(self) -> None:
        self.up = False
        for end in self.sockets:
            try:
                end.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        self.sockets.clear()

    def restore(self) -> None:
        self.up = True

    def close(self) -> None:
        self.cut()
        self.listener.close()


@pytest.fixture
def relay(postgres_url: str) -> Iterator[Relay]:
    url = make_url(postgres_url)
    relay = Relay(url.host or "127.0.0.1", url.port or 5432)
    yield relay
    relay.close()


def relayed_app(relay: Relay, postgres_url: str, tmp_path: Path, **config: Any) -> Flask:
    """The app, connected to the database through ``relay``."""
    relayed = make_url(postgres_url).set(host="127.0.0.1", port=relay.port)
    return create_app({"TESTING": True, **config, "SETTINGS": {
        "database_url": relayed.render_as_string(hide_password=False),
        "instance_path": str(tmp_path / "instance"),
        "log_integrate_every": "0"}})  # no thread left asking the relay once it is gone


def test_the_app_answers_503_while_the_database_is_away_and_recovers(
        relay: Relay, postgres_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    app = relayed_app(relay, postgres_url, tmp_path)
    client = app.test_client()
    assert client.get("/api/contests").status_code == 200

    relay.cut()
    api = client.get("/api/contests")
    assert api.status_code == 503
    assert api.headers["Retry-After"] == "30"
    assert json.loads(api.data)["error"] == "database_unavailable"
    page = client.get("/", headers={"Accept-Language": "ru"})
    assert page.status_code == 503
    assert "база данных не отвечает" in page.get_data(as_text=True)

    relay.restore()
    assert client.get("/api/contests").status_code == 200
    assert client.get("/").status_code == 200
    app.extensions["contest.engine"].dispose()


@pytest.mark.parametrize(("ping_after_idle", "after_the_cut"), [
    # Every rest is long enough: the rested connection is tested when next taken from the
    # pool and, dead, replaced, so a restart while the app is idle costs no one a 503.
    (0.0, [200, 200]),
    # No rest is long enough: the connection cut meanwhile fails the one request that meets
    # it, and the next one connects anew.
    (3600.0, [503, 200]),
])
def test_a_connection_cut_while_it_rested_is_tested_only_after_a_long_enough_rest(
        ping_after_idle: float, after_the_cut: list[int], relay: Relay, postgres_url: str,
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(contest.db, "PING_AFTER_IDLE", ping_after_idle)
    app = relayed_app(relay, postgres_url, tmp_path)
    client = app.test_client()
    assert client.get("/api/contests").status_code == 200

    relay.cut()
    relay.restore()
    assert [client.get("/api/contests").status_code for _ in after_the_cut] == after_the_cut
    assert client.get("/").status_code == 200
    app.extensions["contest.engine"].dispose()


def test_entries_sent_together_while_the_database_is_away_get_503s_and_no_receipt_is_lost(
        relay: Relay, postgres_url: str, postgres_engine: Engine, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Threads post entries at once, as a worker's threads do, so that entries share groups;
    the database goes away and comes back, and then its connection is cut in the middle of
    a group's transaction, between its insert and its commit."""
    databases.empty_tables(postgres_engine)
    with Session(postgres_engine) as session:
        make_contest(session, rules=rules_document())
        session.commit()
    app = relayed_app(relay, postgres_url, tmp_path, CLOCK=lambda: DURING,
                      ENTRY_RATE_LIMIT="100000 per minute",
                      CONTEST_RATE_LIMIT="100000 per minute")
    threads, rounds = 8, 3
    statuses: list[tuple[str, int, int]] = []  # phase, round, status
    receipts: list[str] = []
    barrier = threading.Barrier(threads)

    def post_entries(thread: int, phase: str) -> None:
        client = app.test_client()
        barrier.wait()
        for number in range(rounds):
            person = f"{phase}-{thread}-{number}"
            answer = client.post("/api/contests/winter-giveaway/entries", json=entrant(
                full_name=f"Person {person}", email=f"{person}@example.ru", phone=None,
                address=f"ul. Mira {person}") | consented())
            statuses.append((phase, number, answer.status_code))
            if answer.status_code == 201:
                receipts.append(json.loads(answer.data)["ticket"])
            else:
                assert json.loads(answer.data)["error"] == "database_unavailable"

    def together(phase: str) -> None:
        workers = [threading.Thread(target=post_entries, args=(thread, phase))
                   for thread in range(threads)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()

    def seen(phase: str, last: bool = False) -> list[int]:
        return sorted(status for where, number, status in statuses
                      if where == phase and (not last or number == rounds - 1))

    together("before")
    assert seen("before") == [201] * threads * rounds
    relay.cut()
    together("away")
    assert seen("away") == [503] * threads * rounds
    relay.restore()
    together("after")
    # The group that meets the pool's connections cut by the outage answers 503; the pool
    # then replaces them, and the app is back.
    assert set(seen("after")) <= {201, 503}
    assert seen("after", last=True) == [201] * threads

    cut_once = [True]

    def cut_after_the_insert(_connection: Any, _cursor: Any, statement: str,
                             *_: Any) -> None:
        if cut_once and "INSERT INTO entries" in statement:
            cut_once.clear()
            relay.cut()
            relay.restore()

    event.listen(app.extensions["contest.engine"], "after_cursor_execute", cut_after_the_insert)
    together("cut")
    assert cut_once == []
    assert 503 in seen("cut") and set(seen("cut")) <= {201, 503}  # the group that was cut
    assert seen("cut", last=True) == [201] * threads
    with Session(postgres_engine) as session:
        stored = set(session.exec(select(Entry.ticket)).all())
    assert stored == set(receipts)
    app.extensions["contest.engine"].dispose()


def test_a_request_that_finds_every_connection_in_use_gets_a_503(
        relay: Relay, postgres_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    small_pool = functools.partial(contest.db.make_engine, pool_size=1, max_overflow=0,
                                   pool_timeout=0.1)
    monkeypatch.setattr(web.database, "make_engine", small_pool)
    app = relayed_app(relay, postgres_url, tmp_path)
    client = app.test_client()
    assert client.get("/api/contests").status_code == 200
    with app.extensions["contest.engine"].connect():  # the pool's only connection
        answer = client.get("/api/contests")
    assert answer.status_code == 503
    assert json.loads(answer.data)["error"] == "database_unavailable"
    assert client.get("/api/contests").status_code == 200
    app.extensions["contest.engine"].dispose()
