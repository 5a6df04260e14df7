"""The monitor over a real log: a real draw's road replays clean, and ``contest log verify``
replays every leaf and names the first event that is not valid given the ones before it."""

from datetime import timedelta
from pathlib import Path

from sqlalchemy import text
from sqlmodel import Session

from contest.draw.service import find_draw, replace_winner
from contest.ledger import events
from contest.ledger.monitor import replay_log
from contest.ledger.store import append_event, issue_checkpoint, log_size
from tests.builders import SIGNER
from tests.draw.builders import DUE, logged_draw
from tests.fixtures import run_cli

LATER = DUE + timedelta(days=1)


def test_a_real_draw_replays_without_a_problem(session: Session) -> None:
    contest = logged_draw(session, SIGNER, entrants=30).contest
    record = find_draw(session, contest)
    assert record is not None
    replace_winner(session, contest=contest, ticket=record.winners[0], reason="declined",
                   now=LATER, signer=SIGNER)
    session.commit()
    result = replay_log(session)
    assert result.problems == ()
    assert result.unchecked == ()
    assert result.events == log_size(session)


def test_log_verify_replays_every_leaf(cli_env: Path, session: Session) -> None:
    logged_draw(session, SIGNER, entrants=12)
    result = run_cli("log", "verify")
    assert result.exit_code == 0, result.output
    assert f"monitor: {log_size(session)} events replayed, no problem" in result.output


def test_log_verify_names_a_replacement_that_skips_an_alternate(cli_env: Path,
                                                                 session: Session) -> None:
    """The server was made to append (and seal, and sign) a ``winner.replaced`` that brings
    in the second alternate, not the next unused one: every leaf is sealed and checkpointed,
    so only the replay catches it."""
    contest = logged_draw(session, SIGNER, entrants=12).contest
    record = find_draw(session, contest)
    assert record is not None
    forged = append_event(session, event=events.winner_replaced(
        contest=contest.slug, ticket=record.winners[0], reason="declined",
        replacement=record.alternates[1], at=LATER), now=LATER, signer=SIGNER)
    issue_checkpoint(session, signer=SIGNER, now=LATER)
    session.commit()
    result = run_cli("log", "verify")
    assert result.exit_code != 0
    assert "log verified:" in result.output  # the seals and checkpoints hold...
    assert (f"leaf {forged.leaf_index}: winner.replaced brings in {record.alternates[1]}, the "
            f"next unused alternate is {record.alternates[0]}") in result.output


def test_a_real_draw_with_a_confirmed_flag_replays_without_a_problem(session: Session) -> None:
    """The auditor excludes a staff member's entry: the freeze's excluded list gives it the
    flag's kind, as the logged decision does."""
    contest = logged_draw(session, SIGNER, entrants=12, staff_entrant=True).contest
    record = find_draw(session, contest)
    assert record is not None
    assert [item.reasons for item in record.excluded].count(("employee",)) == 1
    result = replay_log(session)
    assert (result.problems, result.unchecked) == ((), ())


def test_rules_whose_stored_text_was_changed_are_not_read(session: Session) -> None:
    """The close the freeze is held to comes from the published rules' text, and only from a
    text that still hashes to its fingerprint: otherwise the monitor says it could not check."""
    contest = logged_draw(session, SIGNER, entrants=12).contest
    record = find_draw(session, contest)
    assert record is not None
    session.connection().execute(text(
        "UPDATE rules_versions SET canonical_json = replace(canonical_json, 'Gift card', "
        "'Branded pen') WHERE contest_id = :contest"), {"contest": contest.id})
    session.commit()
    result = replay_log(session)
    assert result.problems == ()
    [note] = result.unchecked
    assert note.leaf_index == record.freeze_leaf_index
    assert "could not check that the freeze comes after the close" in note.message
