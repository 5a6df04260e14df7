"""The in-browser verifier shows which witnesses cosigned the draw's checkpoint (issue 18
§3), checking each cosignature (C2SP tlog-cosignature) with the browser's own Ed25519; the
witness runs in a process of its own, over real HTTP."""

import base64
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from playwright.sync_api import Page
from sqlmodel import Session

from contest.ledger.cosignatures import StoredLog
from contest.witness.collect import Outcome, collect_cosignatures
from tests.browser.test_verify_draw import CHECKS, open_verifier, verdict
from tests.builders import SIGNER
from tests.draw.builders import DUE, drawn
from tests.fixtures import Browser, Clock, configured_app
from tests.witness.process import ServedWitness, make_witness_key, serve_witness


@pytest.fixture
def witness(tmp_path: Path) -> Iterator[ServedWitness]:
    (tmp_path / "witness").mkdir()
    key = make_witness_key(tmp_path / "witness")
    with serve_witness(key, tmp_path / "witness" / "state.sqlite3", logs=[SIGNER]) as served:
        yield served


@pytest.fixture
def app(database_url: str, clock: Clock, tmp_path: Path,
        witness: ServedWitness) -> Iterator[Flask]:
    """The app of a deployment whose one witness is ``witness``."""
    with configured_app(database_url, clock, tmp_path,
                        witnesses=f"{witness.verifier.key()} {witness.url}") as configured:
        yield configured


def cosigned_draw(app: Flask, db: Session) -> str:
    contest = drawn(db, app.extensions["contest.signer"])
    (report,) = collect_cosignatures(StoredLog(db), witnesses=app.extensions["contest.witnesses"],
                                     now=DUE)
    db.commit()
    assert report.outcome == Outcome.COSIGNED
    return contest.slug


def test_the_visitor_sees_which_witnesses_cosigned(app: Flask, db: Session, page: Page,
                                                   live_server: str,
                                                   witness: ServedWitness) -> None:
    slug = cosigned_draw(app, db)
    open_verifier(page, live_server, slug)
    assert page.input_value("#witness-keys") == witness.verifier.key()
    page.click("#verify-start")
    text, states = verdict(page)
    assert text.startswith("VERIFIED in your browser"), text
    assert states == dict.fromkeys(CHECKS, "ok")
    cosigned = page.inner_text("#cosignatures")
    assert cosigned.startswith(f"Cosigned by witness {witness.verifier.name} at 20")
    assert cosigned.endswith(" UTC.")


def test_a_witness_that_did_not_cosign_fails_the_check_by_name(
        app: Flask, db: Session, page: Page, live_server: str, tmp_path: Path) -> None:
    slug = cosigned_draw(app, db)
    (tmp_path / "other").mkdir()
    other = make_witness_key(tmp_path / "other", "press.test/witness")
    open_verifier(page, live_server, slug)
    page.fill("#witness-keys", other.verifier.key())
    page.click("#verify-start")
    text, states = verdict(page)
    assert states["witnesses"] == "failed"
    assert text == (f"NOT VERIFIED. Witnesses' cosignatures: the checkpoint has no cosignature "
                    f"by witness press.test/witness+{other.verifier.key_id.hex()}")


def test_a_changed_cosignature_fails_the_check_by_name(app: Flask, db: Session, page: Page,
                                                       live_server: str, client: Browser,
                                                       witness: ServedWitness,
                                                       tmp_path: Path) -> None:
    slug = cosigned_draw(app, db)
    bundle = client.get(f"/contests/{slug}/draw.json").get_json()
    note: str = bundle["checkpoint"]
    line = note.rstrip("\n").rsplit("\n", 1)[1]
    assert line.startswith(f"\u2014 {witness.verifier.name} ")
    head, _, encoded = line.rpartition(" ")
    raw = bytearray(base64.b64decode(encoded))
    raw[-1] ^= 1  # one bit of the Ed25519 signature
    bundle["checkpoint"] = note.replace(line, f"{head} {base64.b64encode(bytes(raw)).decode()}")
    path = tmp_path / "bundle.json"
    path.write_text(json.dumps(bundle))
    open_verifier(page, live_server, slug)
    page.set_input_files("#bundle-file", str(path))
    text, states = verdict(page)
    assert states["witnesses"] == "failed" and states["checkpoint"] == "ok"
    assert text == (f"NOT VERIFIED. Witnesses' cosignatures: the cosignature by witness "
                    f"{witness.verifier.name}+{witness.verifier.key_id.hex()} does not verify: "
                    f"the checkpoint or the cosignature was changed")
