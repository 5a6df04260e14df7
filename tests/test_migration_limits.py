"""Migration 0013 on a database built by the versions before it: entries the old intake judged
under the old keys, whose keys 0012 recomputed but whose verdicts it left as they were. The
limits of every contest not yet frozen are recounted (an alias of one mailbox goes over the
person limit; an entry the old household key tied to a stranger counts again); a frozen
contest keeps the entries it froze; and a scan made before cannot be frozen on: the freeze
waits for a scan that recounted under the running rule and judged the entries let in. On
SQLite and on PostgreSQL.
"""

import hashlib
import json
import os
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlmodel import Session

from contest.canonical import canonical_json
from contest.db import alembic_config, make_engine
from contest.draw.readiness import NotReady, missing_for_freeze
from contest.draw.service import freeze
from contest.entries.reconcile import adopt_unlogged
from contest.fraud.review import scan_contest
from contest.models import Contest
from contest.rules.canonical import rules_sha256
from contest.rules.document import Exclusions
from tests import databases
from tests.builders import SIGNER, rules_document
from tests.fixtures import BACKENDS

BUILT_BY = "0010"
"""The intake that judged these entries (it lower-cased the mailbox)."""
OPENS = datetime(2026, 11, 1, tzinfo=UTC)
CLOSES = datetime(2026, 11, 30, tzinfo=UTC)
AFTER_CLOSE = CLOSES + timedelta(hours=1)
RULES = rules_document(opens_at=OPENS, closes_at=CLOSES, per_person=1, per_household=1,
                       exclusions=Exclusions(employees=False, agency_employees=False,
                                             family=(), household=False))
MOSCOW = {"city": "Москва", "postal_code": "101000", "country": "RU"}
# (name, email, key the old intake stored, address, key the old intake stored, old reasons)
ENTRIES: list[tuple[str, str, str, str | None, str | None, str]] = [
    ("Anna Smith", "a@gmail.com", "a@gmail.com", "ул. Ленина, д. 5, кв. 12",
     "RU|101000|ул ленина д 5 кв 12", ""),
    ("Anna Smith", "a+2@gmail.com", "a+2@gmail.com", None, None, ""),
    ("Vera Lis", "vera@example.ru", "vera@example.ru", "-", "RU|101000|", ""),
    ("Gleb Kim", "gleb@example.ru", "gleb@example.ru", "-", "RU|101000|", "household_limit"),
]
OPEN, FROZEN = 1, 2
EMPTY_ROSTER = hashlib.sha256(b"[[],[]]").hexdigest()
"""roster_fingerprint of a contest without staff or relatives."""


def _ticket(contest_id: int, number: int) -> str:
    return f"{contest_id:016x}{number:016x}"


@pytest.fixture(params=BACKENDS)
def old_database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """A database migrated to 0010 with entries as that version judged them, a scan of the
    open contest and a frozen contest."""
    if request.param == "sqlite":
        engine = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
        server = name = None
    else:
        server = databases.postgres_server_url()
        name = f"contest_test_{os.getpid()}_before_0013"
        engine = make_engine(databases.fresh_postgres_database(server, name))
    try:
        command.upgrade(alembic_config(engine), BUILT_BY)
        _store_old_contests(engine)
        yield engine
    finally:
        engine.dispose()
        if server is not None and name is not None:
            databases.drop_postgres_database(server, name)


def _store_old_contests(engine: Engine) -> None:
    canonical = canonical_json(RULES.to_data()).decode()
    sha = rules_sha256(RULES)
    at = OPENS - timedelta(days=1)
    with engine.begin() as connection:
        for contest_id, slug in ((OPEN, "still-open"), (FROZEN, "already-frozen")):
            connection.execute(text(
                "INSERT INTO contests (id, slug, language, title, draft_json, created_at, "
                "updated_at) VALUES (:id, :slug, 'en', 'Winter giveaway', :rules, :at, :at)"),
                {"id": contest_id, "slug": slug, "rules": canonical, "at": at})
            connection.execute(text(
                "INSERT INTO rules_versions (id, contest_id, version, sha256, canonical_json, "
                "reason, published_at) VALUES (:id, :id, 1, :sha, :rules, '', :at)"),
                {"id": contest_id, "sha": sha, "rules": canonical, "at": at})
            rows: list[dict[str, Any]] = [
                {"id": contest_id * 100 + number, "contest_id": contest_id,
                 "ticket": _ticket(contest_id, number), "sha": sha, "name": name,
                 "email": email, "email_key": old_email, "address": address,
                 "household_key": old_home, "eligible": not reasons, "reasons": reasons,
                 "at": OPENS + timedelta(days=1, hours=number), **MOSCOW}
                for number, (name, email, old_email, address, old_home, reasons)
                in enumerate(ENTRIES)]
            connection.execute(text(
                "INSERT INTO entries (id, contest_id, ticket, rules_version_id, rules_sha256, "
                "channel, idempotency_key, submitted_at, received_at, language, full_name, "
                "email, email_key, address, city, postal_code, country, household_key, "
                "eligible, reasons) VALUES (:id, :contest_id, :ticket, :contest_id, :sha, "
                "'api', :ticket, :at, :at, 'en', :name, :email, :email_key, :address, :city, "
                ":postal_code, :country, :household_key, :eligible, :reasons)"), rows)
        # The auditor scanned the open contest under the old code...
        connection.execute(text(
            "INSERT INTO fraud_scans (contest_id, scanned_at, last_entry_id, roster_sha256) "
            "VALUES (:id, :at, :last, :roster)"),
            {"id": OPEN, "at": CLOSES, "last": OPEN * 100 + len(ENTRIES) - 1,
             "roster": EMPTY_ROSTER})
        # ...and the other contest was frozen with both of Anna's entries in it.
        connection.execute(text(
            "INSERT INTO draws (contest_id, rules_version_id, rules_sha256, frozen_at, tickets, "
            "entries_root, excluded_json, randomness_source, randomness_plan_json, "
            "freeze_leaf_index) VALUES (:id, :id, :sha, :at, '', :root, '[]', 'drand', '{}', "
            "0)"), {"id": FROZEN, "sha": sha, "at": CLOSES, "root": "0" * 64})


def _verdicts(engine: Engine, contest_id: int) -> list[tuple[bool, str]]:
    with engine.connect() as connection:
        return [(bool(eligible), reasons) for eligible, reasons in connection.execute(text(
            "SELECT eligible, reasons FROM entries WHERE contest_id = :id ORDER BY id"),
            {"id": contest_id})]


def test_0012_left_the_verdicts_the_old_keys_gave(old_database: Engine) -> None:
    command.upgrade(alembic_config(old_database), "0012")
    assert _verdicts(old_database, OPEN) == [
        (True, "[]"), (True, "[]"), (True, "[]"), (False, '["household_limit"]')]


def test_the_limits_of_the_contests_not_frozen_are_recounted(old_database: Engine) -> None:
    command.upgrade(alembic_config(old_database), "head")
    # Anna's alias is over the person limit; Gleb's "-" is no home, so he counts again.
    assert _verdicts(old_database, OPEN) == [
        (True, "[]"), (False, '["person_limit"]'), (True, "[]"), (True, "[]")]
    assert _verdicts(old_database, FROZEN) == [
        (True, "[]"), (True, "[]"), (True, "[]"), (False, '["household_limit"]')]
    with old_database.connect() as connection:
        records = connection.execute(text(
            "SELECT action, subject, detail FROM audit_records")).all()
        editions = connection.execute(text(
            "SELECT identity_edition FROM fraud_scans")).scalars().all()
    assert [(action, subject, json.loads(detail)) for action, subject, detail in records] == [
        ("limits.recount", "still-open", {"changed": 2, "revision": "0013"})]
    assert editions == [1]


def test_the_freeze_waits_for_a_scan_that_recounted_and_judged_the_entries_let_in(
        old_database: Engine) -> None:
    command.upgrade(alembic_config(old_database), "head")
    with Session(old_database) as session:
        contest = session.get(Contest, OPEN)
        assert contest is not None
        assert [item.code for item in missing_for_freeze(session, contest, AFTER_CLOSE)] == [
            "identity_changed"]
        with pytest.raises(NotReady, match="who counts as one person changed"):
            freeze(session, contest=contest, now=AFTER_CLOSE, signer=SIGNER)
        session.rollback()
        scan_contest(session, contest=contest, now=AFTER_CLOSE)
        # Entries from before every entry was logged are put on the log once (issue 18).
        adopt_unlogged(session, contest=contest, signer=SIGNER, now=AFTER_CLOSE)
        record = freeze(session, contest=contest, now=AFTER_CLOSE, signer=SIGNER)
        session.commit()
        assert record.tickets == tuple(sorted(_ticket(OPEN, n) for n in (0, 2, 3)))
        assert [(item.ticket, item.reasons) for item in record.excluded] == [
            (_ticket(OPEN, 1), ("person_limit",))]


def test_the_downgrade_keeps_the_recounted_verdicts(old_database: Engine) -> None:
    config = alembic_config(old_database)
    command.upgrade(config, "head")
    recounted = _verdicts(old_database, OPEN)
    command.downgrade(config, "0012")
    assert _verdicts(old_database, OPEN) == recounted
    with old_database.connect() as connection:
        columns = connection.execute(text("SELECT * FROM fraud_scans")).keys()
    assert "identity_edition" not in columns

