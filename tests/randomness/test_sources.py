"""The registry of randomness sources: each proof a draw bundle carries gives 32 bytes."""

import hashlib
import json
from pathlib import Path
from typing import Any

import pytest

from contest.errors import RandomnessUnavailable, VerificationFailed
from contest.randomness import (
    SOURCES,
    CommitRevealSource,
    DrandSource,
    RandomnessSource,
    Rfc3797Source,
    verify,
)
from contest.randomness.commit_reveal import commit
from contest.randomness.drand import QUICKNET

VECTORS = json.loads((Path(__file__).parent / "vectors" / "drand.json").read_text())
ROUND = VECTORS["rounds"][0]


def drand_proof(**changes: Any) -> dict[str, Any]:
    proof = {"chain_hash": QUICKNET.hash, "round": ROUND["round"],
             "signature": ROUND["signature"]}
    return {**proof, **changes}


def commit_reveal_proof() -> dict[str, Any]:
    secrets = {"sponsor": b"s" * 16, "auditor": b"a" * 32}
    return {
        "commitments": [{"party": p, "digest": commit(s)} for p, s in secrets.items()],
        "reveals": [{"party": p, "secret": s.hex()} for p, s in secrets.items()],
    }


def test_every_source_named_by_the_rules_has_a_verifier() -> None:
    assert set(SOURCES) == set(RandomnessSource)
    assert SOURCES[RandomnessSource("drand")] is DrandSource
    assert SOURCES[RandomnessSource.COMMIT_REVEAL] is CommitRevealSource
    assert SOURCES[RandomnessSource.RFC3797] is Rfc3797Source


def test_a_drand_proof_gives_the_round_randomness() -> None:
    assert verify("drand", drand_proof()).hex() == ROUND["randomness"]
    with_key = drand_proof(public_key=QUICKNET.public_key.upper(), randomness=ROUND["randomness"])
    assert DrandSource().verify(with_key).hex() == ROUND["randomness"]


def test_a_drand_proof_for_an_unknown_chain_fails() -> None:
    with pytest.raises(VerificationFailed,
                       match=f"unknown drand chain {'ab' * 32}; known chains: quicknet "
                             f"\\({QUICKNET.hash}\\)"):
        verify("drand", drand_proof(chain_hash="ab" * 32))


def test_a_drand_proof_naming_another_public_key_fails() -> None:
    with pytest.raises(VerificationFailed,
                       match="names public key 00 for drand chain quicknet, expected 83cf0f"):
        verify("drand", drand_proof(public_key="00"))


@pytest.mark.parametrize(
    ("proof", "message"),
    [
        (drand_proof(round=1001), "drand round 1001 signature does not verify"),
        (drand_proof(chain_hash=None), 'the drand proof needs "chain_hash" as str, got NoneType'),
        (drand_proof(signature=12), 'drand round 1000 needs "signature" as hex, got 12'),
        (drand_proof(randomness="00" * 32), "claims randomness 0000"),
    ],
)
def test_a_wrong_or_malformed_drand_proof_fails(proof: dict[str, Any], message: str) -> None:
    with pytest.raises(VerificationFailed, match=message):
        verify("drand", proof)


def test_a_commit_reveal_proof_gives_sha256_of_the_secrets() -> None:
    assert verify("commit-reveal", commit_reveal_proof()) == hashlib.sha256(
        b"s" * 16 + b"a" * 32
    ).digest()


def test_a_commit_reveal_proof_missing_a_reveal_is_unavailable() -> None:
    proof = commit_reveal_proof()
    proof["reveals"] = proof["reveals"][:1]
    with pytest.raises(RandomnessUnavailable, match="the draw waits for: auditor"):
        verify("commit-reveal", proof)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"reveals": [{"party": "sponsor"}]}, 'needs "secret" as str, got NoneType'),
        ({"reveals": ["sponsor"]}, 'needs "reveals" as a list of objects'),
        ({"commitments": {}}, 'needs "commitments" as list, got dict'),
        ({"reveals": [{"party": "sponsor", "secret": "00"}]},
         "the commit-reveal proof is malformed: .*reveals.0.secret_hex: a secret needs at least "
         "16 bytes, got 1"),
    ],
)
def test_a_malformed_commit_reveal_proof_fails(change: dict[str, Any], message: str) -> None:
    with pytest.raises(VerificationFailed, match=message):
        verify("commit-reveal", {**commit_reveal_proof(), **change})


def test_an_rfc3797_proof_gives_sha256_of_the_key() -> None:
    proof = {"sources": ["9319", "2 5 12 8 10", "9 18 26 34 41 45"]}
    assert verify("rfc3797", proof) == hashlib.sha256(
        b"9319./2.5.8.10.12./9.18.26.34.41.45./"
    ).digest()


@pytest.mark.parametrize(
    ("proof", "message"),
    [
        ({}, 'the rfc3797 proof needs "sources" as list, got NoneType'),
        ({"sources": [9319]}, 'needs "sources" as a list of strings'),
        ({"sources": ["9319", "two"]},
         "the rfc3797 proof is malformed: .*sources.1: expected whole numbers, got two"),
    ],
)
def test_a_malformed_rfc3797_proof_fails(proof: dict[str, Any], message: str) -> None:
    with pytest.raises(VerificationFailed, match=message):
        verify("rfc3797", proof)


def test_an_unknown_source_fails() -> None:
    with pytest.raises(VerificationFailed, match="unknown randomness source dice, expected one "
                                                 "of drand, commit-reveal, rfc3797"):
        verify("dice", {})
