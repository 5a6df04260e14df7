"""Freeze, randomness, draw, replacement and the bundle, on both databases, end to end."""

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import Session

from contest.draw.bundle import build_bundle
from contest.draw.service import (
    REPLACEMENT_LABELS,
    ReplacementReason,
    freeze,
    make_draw,
    replace_winner,
    take_randomness,
)
from contest.draw.verify import verify_bundle
from contest.errors import Conflict, DrawNotVerifiable, InvalidInput, VerificationFailed
from contest.ledger.note import Signer
from contest.lifecycle import StageForbids
from contest.randomness.drand import QUICKNET
from tests.builders import SIGNER
from tests.draw.builders import (
    CLOSES,
    DUE,
    FREEZE,
    TAMPERING,
    VECTORS,
    closed_contest,
    drawn,
    tampered,
)


@pytest.fixture
def signer(tmp_path: Path) -> Signer:
    return SIGNER  # the log's one key: the builders' contests are sealed under it


@pytest.mark.parametrize(("change", "check"), TAMPERING.items())
def test_every_kind_of_tampering_is_caught_precisely(session: Session, signer: Signer,
                                                     change: str, check: str) -> None:
    bundle = build_bundle(session, contest=drawn(session, signer),
                          verifier_key=signer.verifier_key())
    with pytest.raises(DrawNotVerifiable, match=f"^({check}):"):
        verify_bundle(tampered(bundle, change), verifier_key=signer.verifier_key())


@pytest.mark.parametrize("source", ["dice", "DRAND", None, 7, ["drand"], {"drand": 1}])
def test_a_bundle_naming_an_unknown_randomness_source_is_refused(session: Session,
                                                                 signer: Signer,
                                                                 source: object) -> None:
    bundle = build_bundle(session, contest=drawn(session, signer),
                          verifier_key=signer.verifier_key())
    bundle["randomness"]["source"] = source
    with pytest.raises(DrawNotVerifiable, match=r"^randomness: unknown source "):
        verify_bundle(bundle, verifier_key=signer.verifier_key())


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
    with pytest.raises(StageForbids, match="cannot be frozen: the contest is open for entries"):
        freeze(session, contest=contest, now=CLOSES - timedelta(seconds=1), signer=signer)
    freeze(session, contest=contest, now=FREEZE, signer=signer)
    with pytest.raises(StageForbids, match="cannot be frozen: the contest is frozen for the"):
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
    with pytest.raises(Conflict, match="already drawn"):
        make_draw(session, contest=contest, now=DUE + timedelta(days=2), signer=signer)
    with pytest.raises(InvalidInput, match=f"ticket: {first} is not among the current winners"
                       ) as replaced:
        replace_winner(session, contest=contest, ticket=first, reason="employee",
                       now=DUE + timedelta(days=2), signer=signer)
    assert [e.code for e in replaced.value.errors] == ["not_a_winner"]


def test_a_winner_found_to_be_a_bot_after_the_draw_is_replaced_for_it(session: Session,
                                                                    signer: Signer) -> None:
    contest = drawn(session, signer)
    bundle = build_bundle(session, contest=contest, verifier_key=signer.verifier_key())
    row = replace_winner(session, contest=contest, ticket=bundle["winners"][1], reason="bot",
                         now=DUE + timedelta(days=1), signer=signer)
    session.commit()
    assert row.replacement == bundle["alternates"][0]
    after = build_bundle(session, contest=contest, verifier_key=signer.verifier_key())
    assert after["replacements"][0]["reason"] == "bot"
    verify_bundle(after, verifier_key=signer.verifier_key())
    assert REPLACEMENT_LABELS[ReplacementReason.BOT] == (
        "entered by a script or a farm of made-up identities")




@pytest.mark.parametrize(("tamper", "message"), [
    (lambda b: b["replacements"][0].update(replacement=b["alternates"][1]),
     "replacements: replacement 0 brings in"),
    (lambda b: b["current_winners"].reverse(), "replacements: the current winners are"),
    (lambda b: b["replacements"].pop(), "replacements: the current winners are"),
    (lambda b: b["replacements"][0].update(reason="no reason"),
     "log: the logged replacement 0 says reason"),
    (lambda b: b["replacements"][1].update(leaf_index=b["replacements"][0]["leaf_index"]),
     "replacement 1"),
])
def test_replacements_are_checked_against_the_log(session: Session, signer: Signer,
                                                  tamper: Any, message: str) -> None:
    contest = drawn(session, signer)
    winners = build_bundle(session, contest=contest, verifier_key=signer.verifier_key())[
        "winners"]
    for number, ticket in enumerate(winners[:2]):
        replace_winner(session, contest=contest, ticket=ticket, reason="employee",
                       now=DUE + timedelta(days=1, minutes=number), signer=signer)
    session.commit()
    bundle = build_bundle(session, contest=contest, verifier_key=signer.verifier_key())
    verify_bundle(bundle, verifier_key=signer.verifier_key())
    tamper(bundle)
    with pytest.raises(DrawNotVerifiable, match=message):
        verify_bundle(bundle, verifier_key=signer.verifier_key())


def test_rules_that_have_no_canonical_json_fail_the_rules_check(session: Session,
                                                                signer: Signer) -> None:
    bundle = build_bundle(session, contest=drawn(session, signer),
                          verifier_key=signer.verifier_key())
    bundle["rules"]["winners"] = 2**53
    with pytest.raises(DrawNotVerifiable, match="rules: the rules cannot be put in canonical"):
        verify_bundle(bundle, verifier_key=signer.verifier_key())
