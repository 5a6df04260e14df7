"""Issue 18's insider who writes a leaf into the log's table: refused everywhere it shows.

A database administrator inserts a ``winner.replaced`` leaf (its hash matching its text) into
``log_entries``. The next public action must not sign a checkpoint over it; the admin page
raises the alarm; ``contest log verify`` names the leaf. (tests/test_log_store.py holds the
domain's own checks.)"""

from datetime import timedelta
from pathlib import Path

from sqlalchemy import func, text
from sqlmodel import Session, select

from contest.accounts import create_user
from contest.ledger.merkle import leaf_hash
from contest.models import Complaint, LogCheckpoint, LogEntry
from tests.builders import OPENS, SIGNER, log_publication, make_contest
from tests.fixtures import Browser, Clock, run_cli

PASSWORD = "a long password"
FORGED = ('{"contest":"winter-giveaway","reason":"declined","replacement":"b","ticket":"a",'
          '"type":"winner.replaced"}')


def forge_a_leaf(db: Session) -> int:
    index = db.exec(select(func.count()).select_from(LogEntry)).one()
    db.execute(text("INSERT INTO log_entries (leaf_index, leaf, leaf_hash, appended_at) "
                    "VALUES (:index, :leaf, :hash, :at)"),
               {"index": index, "leaf": FORGED, "hash": leaf_hash(FORGED.encode()).hex(),
                "at": OPENS})
    db.commit()
    return index


def test_a_forged_leaf_stops_the_next_checkpoint_and_the_admin_sees_it(
        client: Browser, db: Session, clock: Clock) -> None:
    make_contest(db)
    clock.now = OPENS + timedelta(days=1)
    forged = forge_a_leaf(db)
    checkpoints = db.exec(select(func.count()).select_from(LogCheckpoint)).one()
    client.application.config["PROPAGATE_EXCEPTIONS"] = False
    answer = client.submit("/contests/winter-giveaway/complaints", {
        "contact": "anna@example.com", "kind": "not_included", "text": "Where is my entry?"})
    assert answer.status_code == 503, answer.get_data(as_text=True)[-1500:]
    db.expire_all()
    assert db.exec(select(func.count()).select_from(LogCheckpoint)).one() == checkpoints
    assert db.exec(select(Complaint)).all() == [], "the action went through unsigned"
    create_user(db, email="admin@brand.example", name="Ann Admin", role="admin",
                password=PASSWORD, actor_id=None, now=clock.now)
    db.commit()
    client.sign_in("admin@brand.example", PASSWORD)
    page = client.get("/admin/users").get_data(as_text=True)
    assert f"this app did not append (number {forged})" in page


def test_contest_log_verify_names_the_forged_leaf(cli_env: Path, db: Session) -> None:
    contest, version = make_contest(db)
    assert version is not None
    log_publication(db, contest, version, SIGNER)
    assert run_cli("log", "verify").exit_code == 0
    forged = forge_a_leaf(db)
    result = run_cli("log", "verify")
    assert result.exit_code != 0
    assert f"leaf {forged} was not appended by this app" in result.output
