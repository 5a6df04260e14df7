"""Migration 0019 on a database built by revision 0018, whose limits did not count a social
account: an entry by the form giving an account and the same account read from VK both
counted. The migration changes no stored key and no verdict; the freeze waits for a scan
under the new edition of who is one person, which recounts the limits, and the later of the
two entries is then over the person limit. On SQLite and on PostgreSQL.
"""

import hashlib
import os
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

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
from contest.rules.document import Eligibility, Exclusions
from tests import databases
from tests.builders import SIGNER, rules_document
from tests.fixtures import BACKENDS

BUILT_BY = "0018"
"""The revision whose limits counted mailboxes and phones only (edition 2)."""
OPENS = datetime(2026, 11, 1, tzinfo=UTC)
CLOSES = datetime(2026, 11, 30, tzinfo=UTC)
AFTER_CLOSE = CLOSES + timedelta(hours=1)
RULES = rules_document(opens_at=OPENS, closes_at=CLOSES, per_person=1,
                       eligibility=Eligibility(min_age=0, legal_min_age=0, countries=()),
                       exclusions=Exclusions(employees=False, agency_employees=False,
                                             family=(), household=False))
CONTEST = 1
# (channel, name, e-mail, account): Anna entered by the form giving her VK account, and was
# read from VK with it; Boris has the same number on Telegram.
ENTRIES = [("form", "Anna Petrova", "anna@example.ru", "vk:123456"),
           ("vk", "Аня П.", None, "vk:123456"),
           ("telegram", "Boris", None, "tg:123456")]
EMPTY_ROSTER = hashlib.sha256(b"[[],[]]").hexdigest()


def _ticket(number: int) -> str:
    return f"{CONTEST:016x}{number:016x}"


@pytest.fixture(params=BACKENDS)
def old_database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """A database migrated to 0018 with entries as that revision judged them, and a scan
    made then (edition 2)."""
    if request.param == "sqlite":
        engine = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
        server = name = None
    else:
        server = databases.postgres_server_url()
        name = f"contest_test_{os.getpid()}_before_0019"
        engine = make_engine(databases.fresh_postgres_database(server, name))
    try:
        command.upgrade(alembic_config(engine), BUILT_BY)
        _store_old_contest(engine)
        yield engine
    finally:
        engine.dispose()
        if server is not None and name is not None:
            databases.drop_postgres_database(server, name)


def _store_old_contest(engine: Engine) -> None:
    at = OPENS - timedelta(days=1)
    with engine.begin() as connection:
        connection.execute(text(
            "INSERT INTO contests (id, slug, language, title, draft_json, created_at, "
            "updated_at) VALUES (:id, 'vk-giveaway', 'en', 'Winter giveaway', :rules, :at, "
            ":at)"), {"id": CONTEST, "rules": canonical_json(RULES.to_data()).decode(),
                      "at": at})
        connection.execute(text(
            "INSERT INTO rules_versions (id, contest_id, version, sha256, canonical_json, "
            "reason, reason_code, published_at) VALUES (:id, :id, 1, :sha, :rules, '', '', "
            ":at)"), {"id": CONTEST, "sha": rules_sha256(RULES),
                      "rules": canonical_json(RULES.to_data()).decode(), "at": at})
        connection.execute(text(
            "INSERT INTO entries (id, contest_id, ticket, rules_version_id, channel, "
            "idempotency_key, submitted_at, received_at, language, full_name, email, "
            "email_key, account, eligible, reasons) VALUES (:id, :contest, :ticket, :contest, "
            ":channel, :key, :at, :at, 'en', :name, :email, :email, :account, true, '[]')"),
            [{"id": number, "contest": CONTEST, "ticket": _ticket(number), "channel": channel,
              "key": account if channel != "form" else f"auto:{number}", "name": name,
              "email": email, "account": account,
              "at": OPENS + timedelta(days=1, hours=number)}
             for number, (channel, name, email, account) in enumerate(ENTRIES, start=1)])
        connection.execute(text(
            "INSERT INTO fraud_scans (contest_id, scanned_at, last_entry_id, roster_sha256, "
            "identity_edition) VALUES (:id, :at, :last, :roster, 2)"),
            {"id": CONTEST, "at": CLOSES, "last": len(ENTRIES), "roster": EMPTY_ROSTER})


def _verdicts(engine: Engine) -> list[tuple[bool, str]]:
    with engine.connect() as connection:
        return [(bool(eligible), reasons) for eligible, reasons in connection.execute(text(
            "SELECT eligible, reasons FROM entries ORDER BY id"))]


def test_the_migration_changes_no_verdict_and_the_freeze_waits_for_a_scan_that_recounts(
        old_database: Engine) -> None:
    command.upgrade(alembic_config(old_database), "head")
    assert _verdicts(old_database) == [(True, "[]")] * 3
    with Session(old_database) as session:
        contest = session.get(Contest, CONTEST)
        assert contest is not None
        assert [item.code for item in missing_for_freeze(session, contest, AFTER_CLOSE)] == [
            "identity_changed"]
        with pytest.raises(NotReady, match="who counts as one person changed"):
            freeze(session, contest=contest, now=AFTER_CLOSE, signer=SIGNER)
        session.rollback()
        scan_contest(session, contest=contest, now=AFTER_CLOSE)
        adopt_unlogged(session, contest=contest, signer=SIGNER, now=AFTER_CLOSE)
        record = freeze(session, contest=contest, now=AFTER_CLOSE, signer=SIGNER)
        session.commit()
        assert record.tickets == tuple(sorted((_ticket(1), _ticket(3))))
        assert [(item.ticket, item.reasons) for item in record.excluded] == [
            (_ticket(2), ("person_limit",))]


def test_the_downgrade_keeps_the_entries_and_their_accounts(old_database: Engine) -> None:
    config = alembic_config(old_database)
    command.upgrade(config, "head")
    command.downgrade(config, BUILT_BY)
    with old_database.connect() as connection:
        assert connection.execute(text("SELECT account FROM entries ORDER BY id")).scalars(
            ).all() == [account for *_, account in ENTRIES]
    assert _verdicts(old_database) == [(True, "[]")] * 3
