"""Migration 0012 on a database built by the version before it: the entries' e-mail and
household keys, stored by the old intake (``lower()`` and a plain folding of the address),
become the keys of :mod:`contest.identity` that the limits and the fraud scan now share; the
downgrade gives the old keys back. On SQLite and on PostgreSQL.
"""

import os
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from sqlalchemy import text
from sqlalchemy.engine import Engine

from contest.db import alembic_config, make_engine
from contest.identity import email_key, household_key
from tests import databases
from tests.fixtures import BACKENDS

BEFORE = "0010"
AT = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)
MOSCOW = ("Москва", "101000", "RU")

# (email, key the old intake stored, address, key the old intake stored, key now)
ROWS: list[tuple[str | None, str | None, str | None, str | None]] = [
    ("A+2@GMAIL.com", "a+2@gmail.com", "ул. Ленина, д. 5, кв. 12", "RU|101000|ул ленина д 5 кв 12"),
    ("a.@googlemail.com", "a.@googlemail.com", "Ленина 5-12", "RU|101000|ленина 5 12"),
    ("a@ya.ru", "a@ya.ru", "-", "RU|101000|"),
    ("Ivan.Petrov@Mail.ru", "ivan.petrov@mail.ru", None, None),
    ("+promo@gmail.com", "+promo@gmail.com", "ул. Ленина, д. 5, кв. 13",
     "RU|101000|ул ленина д 5 кв 13"),
    (None, None, "Lenina 5 kv 12", "RU|101000|lenina 5 kv 12"),
]
NOW = [
    ("a@gmail.com", "RU|moskva|lenina 5|12"), ("a@gmail.com", "RU|moskva|lenina 5|12"),
    ("a@yandex.ru", None), ("ivan.petrov@mail.ru", None), (None, "RU|moskva|lenina 5|13"),
    (None, "RU|moskva|lenina 5|12"),
]
# Enough rows that the migration reads and writes them in more than one batch.
MANY = 2345


@pytest.fixture(params=BACKENDS)
def old_database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """A database migrated to the version before 0012, with entries as that version stored."""
    if request.param == "sqlite":
        engine = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
        server = name = None
    else:
        server = databases.postgres_server_url()
        name = f"contest_test_{os.getpid()}_before_0012"
        engine = make_engine(databases.fresh_postgres_database(server, name))
    try:
        command.upgrade(alembic_config(engine), BEFORE)
        _store_old_entries(engine)
        yield engine
    finally:
        engine.dispose()
        if server is not None and name is not None:
            databases.drop_postgres_database(server, name)


def _store_old_entries(engine: Engine) -> None:
    with engine.begin() as connection:
        connection.execute(text(
            "INSERT INTO contests (id, slug, language, title, draft_json, created_at, "
            "updated_at) VALUES (1, 'old', 'en', 'Old', '{}', :at, :at)"), {"at": AT})
        connection.execute(text(
            "INSERT INTO rules_versions (id, contest_id, version, sha256, canonical_json, "
            "reason, published_at) VALUES (1, 1, 1, :sha, '{}', '', :at)"),
            {"sha": "0" * 64, "at": AT})
        rows: list[dict[str, Any]] = [
            {"email": email, "email_key": old_email, "address": address,
             "household_key": old_home, "eligible": number != 1,
             "reasons": "person_limit" if number == 1 else ""}
            for number, (email, old_email, address, old_home) in enumerate(ROWS)]
        rows += [{"email": f"User.{n}+x@GMAIL.com", "email_key": f"user.{n}+x@gmail.com",
                  "address": f"ул. Мира, д. {n}", "household_key": f"RU|101000|ул мира д {n}",
                  "eligible": True, "reasons": ""} for n in range(MANY)]
        connection.execute(text(
            "INSERT INTO entries (id, contest_id, ticket, rules_version_id, rules_sha256, "
            "channel, idempotency_key, submitted_at, received_at, language, full_name, email, "
            "email_key, address, city, postal_code, country, household_key, eligible, reasons) "
            "VALUES (:id, 1, :ticket, 1, :sha, 'api', :ticket, :at, :at, 'en', 'Anna', :email, "
            ":email_key, :address, :city, :postal_code, :country, :household_key, :eligible, "
            ":reasons)"), [
            {**row, "id": number, "ticket": f"{number:032x}", "sha": "0" * 64, "at": AT,
             "city": MOSCOW[0], "postal_code": MOSCOW[1], "country": MOSCOW[2]}
            for number, row in enumerate(rows, start=1)])


def _keys(engine: Engine) -> list[tuple[str | None, str | None, bool, str]]:
    with engine.connect() as connection:
        return [tuple(row) for row in connection.execute(text(
            "SELECT email_key, household_key, eligible, reasons FROM entries ORDER BY id")).all()]


def test_the_stored_keys_become_the_keys_the_limits_and_the_scan_share(
        old_database: Engine) -> None:
    command.upgrade(alembic_config(old_database), "0012")
    keys = _keys(old_database)
    assert [(email, home) for email, home, _, _ in keys[:len(ROWS)]] == NOW
    assert keys[len(ROWS)] == ("user0@gmail.com", "RU|moskva|mira 0|", True, "[]")
    for n, (email, home, _, _) in enumerate(keys[len(ROWS):]):
        assert email == email_key(f"User.{n}+x@GMAIL.com")
        assert home == household_key(f"ул. Мира, д. {n}", *MOSCOW)
    # The verdicts stay as they were given (0011 stores the codes as a list): 0013 recounts
    # them (tests/test_migration_limits.py).
    assert [(eligible, reasons) for _, _, eligible, reasons in keys[:2]] == [
        (True, "[]"), (False, '["person_limit"]')]


def test_the_downgrade_gives_the_old_keys_back(old_database: Engine) -> None:
    before = _keys(old_database)
    config = alembic_config(old_database)
    command.upgrade(config, "0012")
    command.downgrade(config, BEFORE)
    assert _keys(old_database) == before
