"""``contest verify BUNDLE --log URL``: the freeze checked by anyone against the public log,
read as C2SP tlog-tiles from a real server on loopback. The frozen tickets must be the
logged accepted ones less the logged exclusions, each with its reasons; the first ticket
missing or unexplained is named."""

import json
from datetime import timedelta
from pathlib import Path

from sqlmodel import Session

from contest.draw.bundle import build_bundle
from contest.draw.service import find_draw, replace_winner
from contest.ledger import events
from contest.ledger.store import append_event, issue_checkpoint
from contest.models import Contest
from tests.builders import SIGNER
from tests.draw.builders import DUE, logged_draw
from tests.fixtures import run_cli


def exported(db: Session, contest: Contest, folder: Path) -> Path:
    bundle = folder / "draw.json"
    bundle.write_text(json.dumps(build_bundle(db, contest=contest,
                                              verifier_key=SIGNER.verifier_key())))
    return bundle


def test_an_honest_freeze_is_checked_against_the_log(db: Session, live_server: str,
                                                     tmp_path: Path) -> None:
    contest = logged_draw(db, SIGNER, entrants=20).contest
    bundle = exported(db, contest, tmp_path)
    record = find_draw(db, contest)
    assert record is not None
    # The log grows after the bundle: its checkpoint's tree is read all the same.
    replace_winner(db, contest=contest, ticket=record.winners[0], reason="declined",
                   now=DUE + timedelta(days=1), signer=SIGNER)
    db.commit()
    result = run_cli("verify", str(bundle), "--key", SIGNER.verifier_key(),
                     "--log", live_server + "/log")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(f"VERIFIED {contest.slug}: winners ")
    assert (f"freeze checked against the log at {live_server}/log: the 18 frozen tickets and "
            f"the 2 excluded are the logged entries (") in result.stdout


def test_without_the_log_the_output_says_the_freeze_was_not_checked(
        db: Session, tmp_path: Path) -> None:
    bundle = exported(db, logged_draw(db, SIGNER, entrants=12).contest, tmp_path)
    result = run_cli("verify", str(bundle))
    assert result.exit_code == 0, result.output
    assert ("the freeze was not checked against the log (give --log URL)"
            in result.stdout)


def test_a_freeze_that_drops_a_logged_eligible_ticket_is_named(db: Session, live_server: str,
                                                               tmp_path: Path) -> None:
    """The freeze leaves out a logged eligible ticket (as today's freeze, reading a table an
    insider edited, or a server running other code would): the bundle alone verifies (its
    freeze is signed and its draw follows from it), the log does not."""
    draw = logged_draw(db, SIGNER, entrants=12, drop_one=True)
    bundle = exported(db, draw.contest, tmp_path)
    assert run_cli("verify", str(bundle)).exit_code == 0
    result = run_cli("verify", str(bundle), "--log", live_server + "/log")
    assert result.exit_code == 1
    assert result.stderr.startswith(
        f"NOT VERIFIED: freeze: ticket {draw.dropped} is on the log but the freeze neither "
        "lists nor excludes it")


def test_a_log_that_is_not_the_bundles_is_refused(db: Session, live_server: str,
                                                  tmp_path: Path) -> None:
    bundle = exported(db, logged_draw(db, SIGNER, entrants=12).contest, tmp_path)
    result = run_cli("verify", str(bundle), "--log", live_server + "/nothing-here")
    assert result.exit_code == 1
    assert result.stderr.startswith(f"NOT VERIFIED: log: cannot read {live_server}/nothing-here"
                                    "/tile/0/")


def test_an_event_of_the_contest_that_breaks_the_history_is_named(
        db: Session, live_server: str, tmp_path: Path) -> None:
    """The freeze adds up, but after it the log says a confirmed flag excluded an entry:
    nothing may change the entries once frozen."""
    contest = logged_draw(db, SIGNER, entrants=12).contest
    record = find_draw(db, contest)
    assert record is not None
    late = append_event(db, event=events.auditor_decided(
        contest=contest.slug, ticket=record.alternates[0], decision="confirmed", reason="staff",
        at=DUE + timedelta(days=1)), now=DUE + timedelta(days=1), signer=SIGNER)
    issue_checkpoint(db, signer=SIGNER, now=DUE + timedelta(days=1))
    db.commit()
    bundle = exported(db, contest, tmp_path)
    result = run_cli("verify", str(bundle), "--log", live_server + "/log")
    assert result.exit_code == 1
    assert result.stderr.startswith(
        f"NOT VERIFIED: monitor: leaf {late.leaf_index}: auditor.decision for {contest.slug} "
        f"after its entries were frozen (leaf {record.freeze_leaf_index})")
