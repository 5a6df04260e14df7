"""The log has its checkpoints cosigned by independent witnesses and publishes them cosigned
(issue 18 §3), against ``contest witness serve`` in a process of its own over real HTTP, on
SQLite and PostgreSQL.

Insider case 3: a database administrator deletes the last ten leaves of the log with their
checkpoints and cosignatures, then lets the log grow again. The log's own checks see a log
that agrees with its checkpoints; the witness, which remembers what it cosigned, refuses the
new checkpoint, and a verifier that requires its cosignature refuses the draw's bundle.
"""

import base64
import json
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import text
from sqlmodel import Session, select

from contest.draw.bundle import build_bundle
from contest.draw.verify import verify_bundle
from contest.errors import DrawNotVerifiable, LogTampered
from contest.ledger.cosignatures import StoredLog
from contest.ledger.note import Signer, open_checkpoint
from contest.ledger.store import append_event, issue_checkpoint, latest_checkpoint, verify_log
from contest.models import Contest, LogCosignature
from contest.witness.collect import LogWitness, Outcome, WitnessReport, collect_cosignatures
from contest.witness.cosignature import Cosigner, verify_cosignatures
from tests.builders import SIGNER
from tests.draw.builders import DUE, drawn
from tests.fixtures import Browser, run_cli
from tests.witness.process import ServedWitness, make_witness_key, serve_witness

LATER = DUE + timedelta(hours=1)


@pytest.fixture
def witness(tmp_path: Path) -> Iterator[ServedWitness]:
    """An auditor's witness of the tests' log, in its own process."""
    key = make_witness_key(tmp_path)
    with serve_witness(key, tmp_path / "witness.sqlite3", logs=[SIGNER]) as served:
        yield served


def log_witness(served: ServedWitness) -> LogWitness:
    return LogWitness(served.verifier, served.url)


def grow(session: Session, leaves: int, *, tag: str, signer: Signer = SIGNER) -> None:
    """Append ``leaves`` events and sign a checkpoint over them, committed, as the app does."""
    for number in range(leaves):
        append_event(session, event={"type": "test.filler", "n": number, "tag": tag},
                     now=LATER, signer=signer)
    issue_checkpoint(session, signer=signer, now=LATER)
    session.commit()


def cosign(session: Session, served: ServedWitness) -> WitnessReport:
    (report,) = collect_cosignatures(StoredLog(session), witnesses=[log_witness(served)],
                                     now=LATER)
    session.commit()
    return report


def test_an_honest_checkpoint_gets_its_cosignature_stored_and_published(
        db: Session, client: Browser, witness: ServedWitness) -> None:
    grow(db, 5, tag="first")
    first = cosign(db, witness)
    assert (first.outcome, first.checkpoint_size) == (Outcome.COSIGNED, 5)
    grow(db, 7, tag="second")
    second = cosign(db, witness)  # old 5, with the proof from 5 to 12
    assert (second.outcome, second.checkpoint_size) == (Outcome.COSIGNED, 12)
    assert second.cosignature is not None and second.cosignature.witness == witness.verifier.name
    assert cosign(db, witness).outcome == Outcome.ALREADY_COSIGNED

    rows = db.exec(select(LogCosignature).order_by(LogCosignature.id)).all()  # type: ignore[arg-type]
    assert [(row.witness, row.key_id) for row in rows] == [
        (witness.verifier.name, witness.verifier.key_id.hex())] * 2
    published = client.get("/log/checkpoint").get_data(as_text=True)
    newest = latest_checkpoint(db)
    assert newest is not None
    assert published == newest.note + rows[1].line + "\n"
    assert open_checkpoint(published, SIGNER.verifier()).size == 12  # still the log's note
    (cosignature,) = verify_cosignatures(published, [witness.verifier])
    assert cosignature == second.cosignature


def test_a_witness_ahead_of_the_log_s_record_is_answered_from_its_own_size(
        db: Session, witness: ServedWitness) -> None:
    """The witness stored a cosignature whose answer never reached the log: it answers the
    next request's ``old 0`` with 409 and its size, and the log proves from that size."""
    grow(db, 6, tag="first")
    assert cosign(db, witness).outcome == Outcome.COSIGNED
    db.execute(text("DELETE FROM log_cosignatures"))  # as if the answer had been lost
    db.commit()
    grow(db, 5, tag="second")
    report = cosign(db, witness)
    assert (report.outcome, report.checkpoint_size) == (Outcome.COSIGNED, 11)
    assert StoredLog(db).cosigned_size(witness.verifier) == 11


def test_a_witness_that_is_down_is_reported_and_the_checkpoint_kept(
        db: Session, witness: ServedWitness) -> None:
    grow(db, 3, tag="first")
    down = LogWitness(witness.verifier, "http://127.0.0.1:9")  # discard port: nobody there
    reports = collect_cosignatures(StoredLog(db), witnesses=[down, log_witness(witness)],
                                   now=LATER)
    db.commit()
    assert [report.outcome for report in reports] == [Outcome.REFUSED, Outcome.COSIGNED]
    assert "cannot be reached" in reports[0].problem
    assert latest_checkpoint(db) is not None


def delete_the_last_leaves(session: Session, count: int) -> int:
    """What a database administrator can do with SQL: delete the last ``count`` leaves, every
    checkpoint covering any of them and the cosignatures on those. Returns the size left."""
    size = session.execute(text("SELECT count(*) FROM log_entries")).scalar_one()
    kept = size - count
    session.execute(text("DELETE FROM log_cosignatures WHERE checkpoint_id IN "
                         "(SELECT id FROM log_checkpoints WHERE size > :kept)"), {"kept": kept})
    session.execute(text("DELETE FROM log_checkpoints WHERE size > :kept"), {"kept": kept})
    session.execute(text("DELETE FROM log_entries WHERE leaf_index >= :kept"), {"kept": kept})
    session.commit()
    return kept


@pytest.mark.parametrize("regrown", [3, 15])
def test_deleting_the_last_ten_leaves_and_their_checkpoints_is_caught_by_the_witness(
        app: Flask, db: Session, witness: ServedWitness, tmp_path: Path, regrown: int) -> None:
    contest = drawn(db, app.extensions["contest.signer"])
    assert cosign(db, witness).outcome == Outcome.COSIGNED
    for batch in range(3):
        grow(db, 6, tag=f"batch {batch}")
        assert cosign(db, witness).outcome == Outcome.COSIGNED
    witnessed = latest_checkpoint(db)
    assert witnessed is not None

    kept = delete_the_last_leaves(db, 10)
    grow(db, regrown, tag="rewritten")  # fewer leaves than before, or more: other ones
    assert verify_log(db, [SIGNER.verifier()], SIGNER).size == kept + regrown  # looks fine

    report = cosign(db, witness)
    assert report.outcome == Outcome.REFUSED
    if regrown < 10:  # the witness says 409 and its size, larger than the log's
        assert report.problem == (
            f"witness {witness.verifier.name} has cosigned size {witnessed.size} of log "
            f"{SIGNER.name}, beyond this checkpoint's size {kept + regrown}: the log has "
            f"lost entries")
    else:  # larger than what the witness saw, but no extension of it
        assert report.problem.startswith(
            f"witness {witness.verifier.name} refused the checkpoint of size "
            f"{kept + regrown}: HTTP 422 "), report.problem
    newest = latest_checkpoint(db)
    assert newest is not None and newest.size == kept + regrown
    assert db.exec(select(LogCosignature).where(
        LogCosignature.checkpoint_id == newest.id)).first() is None

    found = db.exec(select(Contest).where(Contest.id == contest.id)).one()
    bundle = build_bundle(db, contest=found, verifier_key=SIGNER.verifier_key())
    assert verify_bundle(bundle).tree_size == kept + regrown  # without the witness: passes
    with pytest.raises(DrawNotVerifiable, match=f"witnesses: the checkpoint has no "
                                                f"cosignature by witness "
                                                f"{witness.verifier.name}\\+"):
        verify_bundle(bundle, witnesses=[witness.verifier.key()])
    path = tmp_path / "bundle.json"
    path.write_text(json.dumps(bundle))
    result = run_cli("verify", str(path), "--key", SIGNER.verifier_key(),
                     "--witness", witness.verifier.key())
    assert result.exit_code == 1
    assert (f"NOT VERIFIED: witnesses: the checkpoint has no cosignature by witness "
            f"{witness.verifier.name}+{witness.verifier.key_id.hex()}") in result.stderr


def test_contest_verify_requires_each_named_witness(app: Flask, db: Session,
                                                    witness: ServedWitness,
                                                    tmp_path: Path) -> None:
    contest = drawn(db, app.extensions["contest.signer"])
    assert cosign(db, witness).outcome == Outcome.COSIGNED
    bundle = build_bundle(db, contest=contest, verifier_key=SIGNER.verifier_key())
    path = tmp_path / "bundle.json"
    path.write_text(json.dumps(bundle))
    passed = run_cli("verify", str(path), "--witness", witness.verifier.key())
    assert passed.exit_code == 0, passed.stderr
    assert f"cosigned by {witness.verifier.name} at " in passed.stdout

    (tmp_path / "other").mkdir()
    other = make_witness_key(tmp_path / "other", "press.test/witness")
    missing = run_cli("verify", str(path), "--witness", witness.verifier.key(),
                      "--witness", other.verifier.key())
    assert missing.exit_code == 1
    assert (f"no cosignature by witness press.test/witness+{other.verifier.key_id.hex()}"
            in missing.stderr)

    line = next(row.line for row in db.exec(select(LogCosignature)))
    head, _, encoded = line.rpartition(" ")
    raw = bytearray(base64.b64decode(encoded))
    raw[-1] ^= 1  # one bit of the Ed25519 signature
    forged = f"{head} {base64.b64encode(bytes(raw)).decode()}"
    path.write_text(json.dumps({**bundle, "checkpoint": bundle["checkpoint"].replace(
        line, forged)}))
    bad = run_cli("verify", str(path), "--witness", witness.verifier.key())
    assert bad.exit_code == 1
    assert f"cosignature by {witness.verifier.name}+" in bad.stderr
    assert "does not verify" in bad.stderr


def test_contest_log_cosign_says_what_each_witness_did(cli_env: Path, session: Session,
                                                      witness: ServedWitness,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    grow(session, 4, tag="first")
    monkeypatch.setenv("CONTEST_WITNESSES", f"{witness.verifier.key()} {witness.url};"
                                            f"{witness.verifier.key()[:-1]}A http://127.0.0.1:9")
    refused = run_cli("log", "cosign")
    assert refused.exit_code == 1
    assert "CONTEST_WITNESSES entry 2" in refused.stderr

    monkeypatch.setenv("CONTEST_WITNESSES", f"{witness.verifier.key()} {witness.url}")
    result = run_cli("log", "cosign")
    assert result.exit_code == 0, result.stderr
    label = f"{witness.verifier.name}+{witness.verifier.key_id.hex()}"
    assert result.stdout.startswith(f"{label}: cosigned the checkpoint of size 4 at ")
    again = run_cli("log", "cosign")
    assert again.stdout == f"{label}: already cosigned the checkpoint of size 4\n"

    elsewhere = Cosigner.generate("press.test/witness").verifier_key()
    monkeypatch.setenv("CONTEST_WITNESSES", f"{witness.verifier.key()} {witness.url};"
                                            f"{elsewhere} http://127.0.0.1:9")
    down = run_cli("log", "cosign")
    assert down.exit_code == 1
    assert down.stdout == f"{label}: already cosigned the checkpoint of size 4\n"
    assert down.stderr.startswith("press.test/witness+")
    assert (": did not cosign the checkpoint of size 4 (refused): witness at "
            "http://127.0.0.1:9/add-checkpoint cannot be reached") in down.stderr


def test_a_stored_cosignature_is_never_changed_or_deleted_by_the_app(
        db: Session, witness: ServedWitness) -> None:
    grow(db, 2, tag="first")
    assert cosign(db, witness).outcome == Outcome.COSIGNED
    row = db.exec(select(LogCosignature)).one()
    row.line = row.line.replace("auditor", "editor")
    with pytest.raises(LogTampered, match="append-only; LogCosignature cannot be changed"):
        db.flush()
    db.rollback()
    db.delete(db.exec(select(LogCosignature)).one())
    with pytest.raises(LogTampered, match="append-only; LogCosignature cannot be changed"):
        db.flush()


def test_the_background_integration_has_each_batch_cosigned(
        app: Flask, db: Session, witness: ServedWitness) -> None:
    """An accepted entry's pending leaf is integrated, signed and cosigned by the app's own
    integration, as it runs in the background (here run once, by hand)."""
    from contest.ledger.store import stage_events
    from web.integration import Integrator

    integrator = Integrator(app.extensions["contest.engine"], SIGNER, lambda: LATER, every=0,
                            witnesses=[log_witness(witness)])
    stage_events(db, events=[{"type": "test.filler", "n": number} for number in range(3)],
                 now=LATER, signer=SIGNER)
    db.commit()
    checkpoint = integrator.run_once()
    assert checkpoint is not None and checkpoint.size == 3
    db.expire_all()
    (row,) = db.exec(select(LogCosignature)).all()
    assert row.checkpoint_id == checkpoint.id and row.witness == witness.verifier.name
    assert integrator.run_once() is None, "nothing pending: nothing signed or asked"
