"""Issue 18's insider, a database administrator (write access to the database, none to the
app server's files), tried case by case; each attempt must be caught, by name, with the check
that catches it. (The rewritten rules are tests/rules/test_rules_integrity.py's, the forged
replacement tests/test_log_store.py's, the truncated log
tests/witness/test_witnessed_log.py::
test_deleting_the_last_ten_leaves_and_their_checkpoints_is_caught_by_the_witness.)"""

import logging
import secrets
from pathlib import Path

import pytest
from sqlalchemy import insert, select, update
from sqlmodel import Session

from contest.draw.service import find_draw, freeze
from contest.entries.receipt import find_receipt
from contest.entries.reconcile import disagreements
from contest.errors import EntriesTampered, LogTampered
from contest.ledger.merkle import leaf_hash
from contest.ledger.store import foreign_pending, issue_checkpoint, log_size, pending_count
from contest.models import Contest, Entry, PendingLeaf, table_of
from tests.builders import OPENS, SIGNER
from tests.draw.builders import FREEZE, closed_contest, drawn, review
from tests.fixtures import run_cli


def _eligible_tickets(session: Session, contest: Contest) -> list[str]:
    entries = table_of(Entry)
    return list(session.connection().execute(
        select(entries.c.ticket).where(entries.c.contest_id == contest.id,
                                       entries.c.eligible.is_(True))
        .order_by(entries.c.ticket)).scalars())


def test_two_hundred_entries_made_ineligible_and_fifty_invented_are_refused_by_the_freeze(
        session: Session, caplog: pytest.LogCaptureFixture) -> None:
    contest = closed_contest(session, entrants=240, reviewed=False)
    entries = table_of(Entry)
    flipped = _eligible_tickets(session, contest)[:200]
    invented = []
    # As the administrator would, with SQL: 200 entries that count no longer do, and 50 new
    # rows copied from a real one (new tickets and keys) count.
    session.connection().execute(update(entries).where(entries.c.ticket.in_(flipped))
                                 .values(eligible=False, reasons=["under_age"]))
    template = session.connection().execute(select(entries).where(
        entries.c.contest_id == contest.id, entries.c.eligible.is_(True)).limit(1)).one()
    for number in range(50):
        row = dict(template._mapping)
        del row["id"]
        row |= {"ticket": secrets.token_hex(16), "idempotency_key": f"invented-{number}"}
        invented.append(row["ticket"])
        session.connection().execute(insert(entries).values(**row))
    session.commit()
    review(session, contest)  # the auditor then scans what the table holds

    with caplog.at_level(logging.CRITICAL), pytest.raises(EntriesTampered) as refused:
        freeze(session, contest=contest, now=FREEZE, signer=SIGNER)
    session.rollback()

    first = sorted([*flipped, *invented])[0]
    assert "250 places" in str(refused.value) and first in str(refused.value)
    assert find_draw(session, contest) is None, "nothing is frozen"
    assert any("disagree with the public log" in record.message for record in caplog.records)
    problems = disagreements(session, contest)
    assert len(problems) == 250
    assert {ticket for ticket in flipped if any(ticket in p and "under_age" in p
                                                for p in problems)} == set(flipped)
    assert {ticket for ticket in invented
            if any(ticket in p and "no entry.accepted event names it" in p
                   for p in problems)} == set(invented)


def test_an_honest_contest_freezes_the_logged_tickets(session: Session) -> None:
    contest = closed_contest(session, entrants=40)
    eligible = _eligible_tickets(session, contest)
    assert disagreements(session, contest) == []
    record = freeze(session, contest=contest, now=FREEZE, signer=SIGNER)
    assert list(record.tickets) == eligible and len(eligible) == 36


def test_a_winners_ticket_changed_in_the_entries_is_named_not_shown_blank(
        session: Session, caplog: pytest.LogCaptureFixture) -> None:
    contest = drawn(session, SIGNER)
    record = find_draw(session, contest)
    assert record is not None
    winner = record.winners[0]
    assert find_receipt(session, winner).entry.ticket == winner
    entries = table_of(Entry)
    changed = secrets.token_hex(16)
    session.connection().execute(update(entries).where(entries.c.ticket == winner)
                                 .values(ticket=changed))
    session.commit()

    with caplog.at_level(logging.CRITICAL), pytest.raises(EntriesTampered) as refused:
        find_receipt(session, winner)
    assert winner in str(refused.value)
    problems = disagreements(session, contest)
    assert any(winner in p and "neither lists nor excludes" in p for p in problems)
    assert any(changed in p and "no entry.accepted event names it" in p for p in problems)


def test_contest_log_verify_names_a_winners_ticket_changed_in_the_entries(
        cli_env: Path, db: Session) -> None:
    contest = drawn(db, SIGNER)
    assert run_cli("log", "verify").exit_code == 0
    record = find_draw(db, contest)
    assert record is not None
    winner = record.winners[0]
    entries = table_of(Entry)
    db.connection().execute(update(entries).where(entries.c.ticket == winner)
                            .values(ticket=secrets.token_hex(16)))
    db.commit()
    result = run_cli("log", "verify")
    assert result.exit_code != 0
    assert f"ticket {winner} is on the log but the freeze neither lists nor excludes it" in (
        result.output)


def test_a_pending_leaf_written_behind_the_apps_back_is_refused_at_integration(
        session: Session, caplog: pytest.LogCaptureFixture) -> None:
    forged = ('{"contest":"winter-giveaway","reason":"declined","replacement":"b",'
              '"ticket":"a","type":"winner.replaced"}')
    pending = table_of(PendingLeaf)
    number = session.connection().execute(insert(pending).values(
        leaf=forged, leaf_hash=leaf_hash(forged.encode()).hex(), appended_at=OPENS,
        contest="winter-giveaway", kind="winner.replaced", ticket="a")).inserted_primary_key[0]
    session.commit()
    assert foreign_pending(session, SIGNER) == [number]
    with caplog.at_level(logging.CRITICAL), pytest.raises(LogTampered, match=f"p{number}"):
        issue_checkpoint(session, signer=SIGNER, now=OPENS)
    session.rollback()
    assert log_size(session) == 0 and pending_count(session) == 1
    assert any("did not append" in record.message for record in caplog.records)
