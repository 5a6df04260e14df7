"""Freeze, randomness, draw, replacement and the bundle, on both databases, end to end."""

import copy
import json
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import Session

from contest.draw.bundle import build_bundle
from contest.draw.service import freeze, make_draw, replace_winner, take_randomness
from contest.draw.verify import verify_bundle
from contest.entries.intake import submit_entry
from contest.errors import ContestError, DrawNotVerifiable, VerificationFailed
from contest.ledger.keys import load_or_create_signer
from contest.ledger.note import Signer, Verifier
from contest.ledger.store import verify_log
from contest.models import Channel, Contest
from contest.randomness.drand import QUICKNET
from tests.builders import make_contest, rules_document

VECTORS = json.loads((Path(__file__).parent / "vectors" / "drand.json").read_text())
ROUND = next(r for r in VECTORS["rounds"] if r["round"] == 1_000_000)
DUE = QUICKNET.round_time(ROUND["round"])
CLOSES = DUE - timedelta(minutes=2)
FREEZE = DUE - timedelta(seconds=61)


@pytest.fixture
def signer(tmp_path: Path) -> Signer:
    return load_or_create_signer(tmp_path, "contest.test/log")


def closed_contest(session: Session, entrants: int = 30, **rules: Any) -> Contest:
    document = rules_document(opens_at=CLOSES - timedelta(days=10), closes_at=CLOSES,
                              winners=3, alternates=2, **rules)
    contest, version = make_contest(session, rules=document, now=CLOSES - timedelta(days=11))
    assert version is not None
    for number in range(entrants):
        submit_entry(session, contest=contest, version=version, rules=document,
                     data={"full_name": f"Anna Smith{number}", "email": f"p{number}@example.com",
                           "birth_date": "1990-01-01" if number % 10 else "2015-01-01",
                           "country": "US"},
                     channel=Channel.API, idempotency_key=None,
                     now=CLOSES - timedelta(hours=entrants - number))
    session.commit()
    return contest


def drawn(session: Session, signer: Signer) -> Contest:
    contest = closed_contest(session)
    freeze(session, contest=contest, now=FREEZE, signer=signer)
    take_randomness(session, contest=contest, now=DUE + timedelta(seconds=5), signer=signer,
                    proof={"chain_hash": QUICKNET.hash, "round": ROUND["round"],
                           "signature": ROUND["signature"]})
    make_draw(session, contest=contest, now=DUE + timedelta(seconds=10), signer=signer)
    session.commit()
    return contest


def test_a_bundle_verifies_offline_and_names_the_winners(session: Session,
                                                          signer: Signer) -> None:
    contest = drawn(session, signer)
    bundle = build_bundle(session, contest=contest, verifier_key=signer.verifier_key())
    result = verify_bundle(json.loads(json.dumps(bundle)), verifier_key=signer.verifier_key())
    assert result.winners == tuple(bundle["winners"]) and len(result.winners) == 3
    assert len(bundle["tickets"]) == 27 and len(bundle["excluded"]) == 3
    assert {item["reason"] for item in bundle["excluded"]} == {"under_age"}
    assert bundle["randomness"]["value"] == ROUND["randomness"]
    assert verify_log(session, [Verifier.from_key(signer.verifier_key())]).size == 3


def _tampered(bundle: dict[str, Any], change: str) -> dict[str, Any]:
    copy_ = copy.deepcopy(bundle)
    if change == "ticket":
        copy_["tickets"][0] = "0" * 32
    elif change == "order":
        copy_["tickets"][0], copy_["tickets"][1] = copy_["tickets"][1], copy_["tickets"][0]
    elif change == "seed":
        copy_["seed"] = "00" * 32
    elif change == "winner":
        copy_["winners"][0] = copy_["alternates"][0]
    elif change == "signature":
        text = copy_["checkpoint"]
        head, _, line = text.rstrip("\n").rpartition(" ")
        copy_["checkpoint"] = f"{head} {('A' if line[0] != 'A' else 'B')}{line[1:]}\n"
    elif change == "randomness":
        copy_["randomness"]["proof"]["signature"] = VECTORS["rounds"][0]["signature"]
    return copy_


@pytest.mark.parametrize(("change", "check"), [
    ("ticket", "tickets|entries_root"), ("order", "tickets"), ("seed", "seed"),
    ("winner", "winners"), ("signature", "checkpoint"), ("randomness", "randomness"),
])
def test_every_kind_of_tampering_is_caught_precisely(session: Session, signer: Signer,
                                                     change: str, check: str) -> None:
    bundle = build_bundle(session, contest=drawn(session, signer),
                          verifier_key=signer.verifier_key())
    with pytest.raises(DrawNotVerifiable, match=f"^({check}):"):
        verify_bundle(_tampered(bundle, change), verifier_key=signer.verifier_key())


def test_the_randomness_must_be_the_round_the_freeze_named(session: Session,
                                                           signer: Signer) -> None:
    contest = closed_contest(session)
    freeze(session, contest=contest, now=FREEZE, signer=signer)
    other = VECTORS["rounds"][2]
    with pytest.raises(VerificationFailed, match="round 1000000"):
        take_randomness(session, contest=contest, now=DUE, signer=signer,
                        proof={"chain_hash": QUICKNET.hash, "round": other["round"],
                               "signature": other["signature"]})


def test_freeze_waits_for_the_close_and_happens_once(session: Session, signer: Signer) -> None:
    contest = closed_contest(session, entrants=3)
    with pytest.raises(ContestError, match="freeze after that"):
        freeze(session, contest=contest, now=CLOSES - timedelta(seconds=1), signer=signer)
    freeze(session, contest=contest, now=FREEZE, signer=signer)
    with pytest.raises(ContestError, match="already frozen"):
        freeze(session, contest=contest, now=FREEZE, signer=signer)


def test_a_disqualified_winner_is_replaced_by_the_first_alternate(session: Session,
                                                                 signer: Signer) -> None:
    contest = drawn(session, signer)
    bundle = build_bundle(session, contest=contest, verifier_key=signer.verifier_key())
    first, alternate = bundle["winners"][0], bundle["alternates"][0]
    row = replace_winner(session, contest=contest, ticket=first, reason="employee",
                         now=DUE + timedelta(days=1), signer=signer)
    session.commit()
    assert row.replacement == alternate
    after = build_bundle(session, contest=contest, verifier_key=signer.verifier_key())
    assert after["current_winners"][0] == alternate
    assert after["replacements"][0]["reason"] == "employee"
    verify_bundle(after, verifier_key=signer.verifier_key())
    with pytest.raises(ContestError, match="already drawn"):
        make_draw(session, contest=contest, now=DUE + timedelta(days=2), signer=signer)


