"""The randomness step as the terminal and the draw desk take it (issue 16: it was written
twice, once in the CLI and once in the web): the freeze's plan says which randomness, the
person brings a pasted drand round, the relays to fetch it from, or the published numbers."""

import hashlib
import json
import threading
from collections.abc import Iterator
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from sqlmodel import Session

from contest.draw.public_randomness import take_public_randomness
from contest.draw.service import commit, freeze, reveal
from contest.errors import RandomnessUnavailable, VerificationFailed
from contest.ledger.note import Signer
from contest.randomness import RandomnessSource
from contest.randomness.drand import QUICKNET
from tests.builders import SIGNER
from tests.draw.builders import CLOSES, DUE, FREEZE, LOTTERY, ROUND, SECRETS, closed_contest

TAKEN = DUE + timedelta(seconds=5)
PASTED = json.dumps({"round": ROUND["round"], "signature": ROUND["signature"],
                     "randomness": ROUND["randomness"]})


@pytest.fixture
def signer(tmp_path: Path) -> Signer:
    return SIGNER  # the log's one key: the builders' contests are sealed under it


@pytest.fixture
def relay() -> Iterator[str]:
    """A drand relay on this machine that serves round 1,000,000 of quicknet, and nothing
    else (a real HTTP server, as the command line's relays are)."""

    class Relay(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (the standard library's name)
            if self.path != f"/{QUICKNET.hash}/public/{ROUND['round']}":
                self.send_error(404)
                return
            body = PASTED.encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Relay)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def test_a_pasted_drand_round_is_verified_and_recorded(session: Session, signer: Signer) -> None:
    contest = closed_contest(session)
    freeze(session, contest=contest, now=FREEZE, signer=signer)
    record = take_public_randomness(session, contest=contest, round_json=PASTED, now=TAKEN,
                                    signer=signer)
    assert record.value == ROUND["randomness"]


def test_a_drand_round_is_fetched_from_the_relays_when_none_is_pasted(
        session: Session, signer: Signer, relay: str) -> None:
    contest = closed_contest(session)
    freeze(session, contest=contest, now=FREEZE, signer=signer)
    record = take_public_randomness(session, contest=contest, relays=[relay], now=TAKEN,
                                    signer=signer)
    assert record.value == ROUND["randomness"]


def test_nothing_pasted_and_no_relay_to_ask_names_the_round_to_bring(
        session: Session, signer: Signer) -> None:
    contest = closed_contest(session)
    freeze(session, contest=contest, now=FREEZE, signer=signer)
    with pytest.raises(RandomnessUnavailable, match="paste or fetch drand round 1000000"):
        take_public_randomness(session, contest=contest, now=TAKEN, signer=signer)


def test_a_pasted_round_that_is_not_json_is_refused(session: Session, signer: Signer) -> None:
    contest = closed_contest(session)
    freeze(session, contest=contest, now=FREEZE, signer=signer)
    with pytest.raises(VerificationFailed, match="the drand round is not JSON: a field name"):
        take_public_randomness(session, contest=contest, round_json="{not json", now=TAKEN,
                               signer=signer)


def test_the_published_numbers_of_an_rfc3797_draw_are_taken_as_given(
        session: Session, signer: Signer) -> None:
    contest = closed_contest(session, source=RandomnessSource.RFC3797)
    freeze(session, contest=contest, now=FREEZE, signer=signer, announced_sources="us-ny-lotto",
           announced_at=DUE)
    record = take_public_randomness(session, contest=contest, sources=["", *LOTTERY, "  "],
                                    now=TAKEN, signer=signer)
    assert json.loads(record.randomness_proof_json or "{}") == {"sources": LOTTERY}


def test_a_commit_reveal_draw_needs_nothing_but_the_reveals(session: Session,
                                                             signer: Signer) -> None:
    contest = closed_contest(session, source=RandomnessSource.COMMIT_REVEAL)
    for party, secret in SECRETS.items():
        commit(session, contest=contest, party=party, now=CLOSES - timedelta(days=1),
               digest=hashlib.sha256(bytes.fromhex(secret)).hexdigest(), signer=signer)
    freeze(session, contest=contest, now=FREEZE, signer=signer)
    for party, secret in SECRETS.items():
        reveal(session, contest=contest, party=party, secret_hex=secret, now=DUE)
    record = take_public_randomness(session, contest=contest, round_json="ignored",
                                    sources=["ignored"], now=TAKEN, signer=signer)
    assert record.value == hashlib.sha256(
        b"".join(bytes.fromhex(secret) for secret in SECRETS.values())).hexdigest()
