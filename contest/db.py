"""One engine per process, one session per request or job, schema by Alembic."""

import hashlib
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.orm import Session as OrmSession
from sqlmodel import Session, create_engine

from contest.errors import LogTampered, RulesFrozen
from contest.models import LogCheckpoint, LogCosignature, LogEntry, RulesVersion
from contest.private_files import PRIVATE_FILE, create_private_file, narrow

MIGRATIONS = Path(__file__).parent / "migrations"


PING_AFTER_IDLE = 5.0
"""Seconds a pooled server connection may rest before it is tested on its next use."""

POOL_OVERFLOW = 25
"""Connections a process may open at a peak beyond the 5 its pool keeps: more than the 16
threads of a ``contest serve`` worker, so that a thread never waits for a connection that
the others hold (30 s, then a 503)."""


def make_engine(url: str, **options: Any) -> Engine:
    """An engine for ``url``; SQLite gets foreign keys, WAL and a busy timeout, and its file
    is private (see :func:`_private_sqlite_file`); a database server's pooled connections
    are tested after a rest (see :func:`_ping_after_rest`)."""
    if url.startswith("sqlite"):
        options.setdefault("connect_args", {"check_same_thread": False, "timeout": 30})
        database = make_url(url)
        if database.database not in (None, "", ":memory:") and "uri" not in database.query:
            _private_sqlite_file(Path(database.database))
    if url != "sqlite:///:memory:" and "poolclass" not in options:
        options.setdefault("max_overflow", POOL_OVERFLOW)
    engine = create_engine(url, **options)
    if url.startswith("sqlite"):
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "savepoint", _sqlite_begin_before_savepoint)
    elif not options.get("pool_pre_ping"):
        _ping_after_rest(engine)
    return engine


def _private_sqlite_file(path: Path) -> None:
    """Make the database file 0600 before SQLite opens it (SQLite would make it 0644), or
    narrow one an older version made. SQLite gives its ``-wal`` and ``-shm`` files the
    database file's mode; those an older version left are narrowed too."""
    if create_private_file(path):
        return
    for suffix in ("", "-wal", "-shm"):
        narrow(Path(f"{path}{suffix}"), PRIVATE_FILE)


def _ping_after_rest(engine: Engine) -> None:
    """Test a pooled connection before use only if it rested :data:`PING_AFTER_IDLE` seconds
    or more: a connection that rested may have been cut (a database restart), and a dead one
    is replaced before the request uses it; one in steady use is not tested (that would add
    a round trip to every request). A connection that dies in use fails that
    request, and the pool then replaces every connection made before the failure."""

    def rested(_connection: Any, record: Any) -> None:
        record.info["rested_since"] = time.monotonic()

    def checked_out(connection: Any, record: Any, _proxy: Any) -> None:
        since = record.info.pop("rested_since", None)
        if since is None or time.monotonic() - since < PING_AFTER_IDLE:
            return
        try:
            engine.dialect.do_ping(connection)
        except engine.dialect.loaded_dbapi.Error as error:
            raise DisconnectionError from error     # the pool connects anew and retries

    event.listen(engine, "checkin", rested)
    event.listen(engine, "checkout", checked_out)


def advisory_lock_id(name: str) -> int:
    """The PostgreSQL advisory lock id (a signed 64-bit number) of the thing ``name`` names,
    such as ``7:email:anna@example.com``: the first 8 bytes of its SHA-256."""
    return int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big", signed=True)


@contextmanager
def planned_each_time(connection: Connection) -> Iterator[Connection]:
    """``connection``, whose statements run in the block are planned for the values they are
    given each time, rather than prepared.

    psycopg prepares a statement a connection has run five times, and PostgreSQL then keeps
    a generic plan for it, fitted to the tables as they were, until their statistics are
    next gathered. A look-up by keys that was prepared while its table held a few rows reads
    the whole table, however large it grows, for as long as the connection lives (a server
    started on a new contest read every entry for each entry it took). Planning each time
    costs PostgreSQL a tenth of a millisecond. Other databases and drivers prepare nothing
    on their own: their statements run as they are.
    """
    driver = connection.connection.driver_connection
    threshold = getattr(driver, "prepare_threshold", None)
    if driver is None or threshold is None:
        yield connection
        return
    driver.prepare_threshold = None  # psycopg: prepare nothing, use nothing prepared
    try:
        yield connection
    finally:
        driver.prepare_threshold = threshold


def _sqlite_pragmas(connection: Any, _record: Any) -> None:
    cursor = connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _sqlite_begin_before_savepoint(connection: Any, _name: str) -> None:
    """The driver begins a transaction only before a write, so a savepoint taken first
    opened one of its own, and releasing it committed: a complaint was stored although the
    log then refused its event. A savepoint is now taken inside a transaction begun first.
    (Reads still begin none, so they see what other connections committed, as PostgreSQL's
    read-committed statements do.)"""
    if not connection.connection.dbapi_connection.in_transaction:
        connection.exec_driver_sql("BEGIN")


def alembic_config(engine: Engine) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["engine"] = engine
    return config


def upgrade(engine: Engine) -> None:
    """Bring the schema to the newest migration."""
    command.upgrade(alembic_config(engine), "head")


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """A session for one job: committed on success, rolled back on error."""
    with Session(engine, expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


@event.listens_for(OrmSession, "before_flush")
def _public_records_are_frozen(session: OrmSession, _context: Any, _instances: Any) -> None:
    """Published rules and log rows are facts the public relies on: never changed in place."""
    for obj in list(session.dirty) + list(session.deleted):
        changed = obj in session.deleted or session.is_modified(obj)
        if changed and isinstance(obj, RulesVersion):
            raise RulesFrozen(
                "published rules version {version} cannot be changed; publish a new version",
                {"version": obj.version},
            )
        if changed and isinstance(obj, LogEntry | LogCheckpoint | LogCosignature):
            raise LogTampered("the public log is append-only; {kind} cannot be changed",
                              {"kind": type(obj).__name__})
