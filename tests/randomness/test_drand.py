"""drand quicknet: chain timing, BLS verification of real rounds, and the ways a round is forged."""

import hashlib
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from contest.errors import VerificationFailed
from contest.randomness import _bls12_381
from contest.randomness.drand import (
    QUICKNET,
    Chain,
    DrandRound,
    parse_round_json,
    verify_round,
)

VECTORS = json.loads((Path(__file__).parent / "vectors" / "drand.json").read_text())
ROUNDS: list[dict[str, Any]] = VECTORS["rounds"]
GENESIS = datetime.fromtimestamp(QUICKNET.genesis_time, UTC)


def vector_round(number: int = 1000) -> DrandRound:
    (found,) = [r for r in ROUNDS if r["round"] == number]
    return DrandRound(found["round"], bytes.fromhex(found["signature"]))


def test_quicknet_is_the_published_chain() -> None:
    assert QUICKNET == Chain(**VECTORS["chain"])


def test_round_one_is_emitted_at_genesis_and_each_next_one_a_period_later() -> None:
    assert QUICKNET.round_time(1) == GENESIS
    assert QUICKNET.round_time(1000) == GENESIS + timedelta(seconds=999 * 3)


@pytest.mark.parametrize(
    ("after_genesis", "expected"),
    [
        (timedelta(seconds=-3600), 1),
        (timedelta(0), 1),
        (timedelta(microseconds=1), 2),
        (timedelta(seconds=3), 2),
        (timedelta(seconds=3, microseconds=1), 3),
        (timedelta(seconds=2997), 1000),
        (timedelta(seconds=2996, microseconds=999_999), 1000),
    ],
)
def test_round_at_is_the_first_round_emitted_at_or_after_the_moment(
    after_genesis: timedelta, expected: int
) -> None:
    assert QUICKNET.round_at(GENESIS + after_genesis) == expected


def test_round_at_reads_any_time_zone() -> None:
    paris = datetime(2025, 1, 1, 12, 0, 0, 1, tzinfo=ZoneInfo("Europe/Paris"))
    number = QUICKNET.round_at(paris)
    assert QUICKNET.round_time(number - 1) < paris <= QUICKNET.round_time(number)


def test_round_at_refuses_a_naive_moment() -> None:
    with pytest.raises(ValueError, match="aware"):
        QUICKNET.round_at(datetime(2025, 1, 1))


@pytest.mark.parametrize("vector", ROUNDS, ids=lambda r: str(r["round"]))
def test_every_published_round_verifies_and_yields_its_randomness(vector: dict[str, Any]) -> None:
    round = DrandRound(vector["round"], bytes.fromhex(vector["signature"]))
    value = verify_round(QUICKNET, round)
    assert value.hex() == vector["randomness"]
    assert value == round.randomness == hashlib.sha256(round.signature).digest()


@pytest.mark.parametrize("bit", [0, 7, 200, 383])
def test_a_signature_with_one_bit_flipped_is_rejected(bit: int) -> None:
    signature = bytearray(vector_round().signature)
    signature[bit // 8] ^= 0x80 >> (bit % 8)
    with pytest.raises(VerificationFailed, match="drand round 1000 signature"):
        verify_round(QUICKNET, DrandRound(1000, bytes(signature)))


def test_a_genuine_signature_under_another_round_number_is_rejected() -> None:
    with pytest.raises(
        VerificationFailed,
        match="drand round 1001 signature does not verify against chain quicknet's public key",
    ):
        verify_round(QUICKNET, DrandRound(1001, vector_round(1000).signature))


def test_a_genuine_signature_under_another_chain_key_is_rejected() -> None:
    other = Chain(
        name="other",
        hash="00" * 32,
        public_key=_bls12_g2_generator(),
        scheme=QUICKNET.scheme,
        genesis_time=QUICKNET.genesis_time,
        period_seconds=3,
    )
    with pytest.raises(VerificationFailed, match="against chain other's public key"):
        verify_round(other, vector_round())


def _bls12_g2_generator() -> str:
    # The standard compressed G2 generator: a valid key that did not sign quicknet's rounds.
    return (
        "93e02b6052719f607dacd3a088274f65596bd0d09920b61ab5da61bbdc7f5049334cf11213945d57e5ac7d05"
        "5d042b7e024aa2b2f08f0a91260805272dc51051c6e47ad4fa403b02b4510b647ae3d1770bac0326a805bbef"
        "d48056c8c121bdb8"
    )


def test_signature_plus_a_small_order_point_is_rejected_by_the_subgroup_check() -> None:
    genuine = _bls12_381.decode_g1(vector_round().signature)
    torsion = (0, 2)  # on y² = x³ + 4, and 3·(0, 2) is the identity
    assert _bls12_381.is_on_curve(torsion)
    twice = _bls12_381.add(torsion, torsion)
    assert twice is not None and _bls12_381.add(twice, torsion) is None
    forged = _bls12_381.add(genuine, torsion)
    assert forged is not None and _bls12_381.is_on_curve(forged)
    encoded = _bls12_381.encode_g1(forged)
    assert hashlib.sha256(encoded).digest() != vector_round().randomness

    with pytest.raises(
        VerificationFailed,
        match="drand round 1000 signature is on the curve but not in the prime-order subgroup",
    ):
        verify_round(QUICKNET, DrandRound(1000, encoded))


def _with_flags(x: int, flags: int) -> bytes:
    encoded = bytearray(x.to_bytes(48, "big"))
    encoded[0] |= flags
    return bytes(encoded)


def _x_off_the_curve() -> int:
    return next(
        x for x in range(1, 100)
        if pow((x**3 + 4) % _bls12_381.P, (_bls12_381.P - 1) // 2, _bls12_381.P) != 1
    )


@pytest.mark.parametrize(
    ("signature", "message"),
    [
        (bytes(47), "signature has 47 bytes, expected 48"),
        (bytes(49), "signature has 49 bytes, expected 48"),
        (bytes([vector_round().signature[0] & 0x7F]) + vector_round().signature[1:],
         "signature is not a compressed G1 point"),
        (_with_flags(0, 0xC0), "signature is the point at infinity"),
        (_with_flags(0, 0xE0), "signature is not a canonical G1 encoding"),
        (_with_flags(1, 0xC0), "signature is not a canonical G1 encoding"),
        (_with_flags(_bls12_381.P, 0x80), "signature is not a canonical G1 encoding"),
        (_with_flags(_bls12_381.P + 2, 0x80), "signature is not a canonical G1 encoding"),
        (_with_flags(_x_off_the_curve(), 0x80),
         "signature is not a point on BLS12-381 G1"),
    ],
    ids=["short", "long", "uncompressed", "infinity", "infinity-sorted", "infinity-nonzero",
         "x-equals-p", "x-above-p", "off-curve"],
)
def test_malformed_signature_encodings_are_rejected(signature: bytes, message: str) -> None:
    with pytest.raises(VerificationFailed, match=f"drand round 1000 {message}"):
        verify_round(QUICKNET, DrandRound(1000, signature))


def test_the_negated_signature_is_a_valid_point_but_does_not_verify() -> None:
    signature = bytearray(vector_round().signature)
    signature[0] ^= 0x20
    with pytest.raises(VerificationFailed, match="does not verify against chain quicknet"):
        verify_round(QUICKNET, DrandRound(1000, bytes(signature)))


def test_round_zero_is_refused() -> None:
    with pytest.raises(VerificationFailed, match="between 1 and 18446744073709551615, got 0"):
        verify_round(QUICKNET, DrandRound(0, vector_round().signature))


def test_a_chain_with_another_scheme_is_refused() -> None:
    chained = Chain("default", "8990e7a9" + "00" * 28, "00", "pedersen-bls-chained", 1595431050, 30)
    with pytest.raises(VerificationFailed, match="uses scheme pedersen-bls-chained, expected "
                                                 "bls-unchained-g1-rfc9380"):
        verify_round(chained, vector_round())


def test_a_pasted_relay_answer_parses_and_verifies() -> None:
    vector = ROUNDS[1]
    text = json.dumps({"round": vector["round"], "randomness": vector["randomness"],
                       "signature": vector["signature"]})
    round = parse_round_json(text)
    assert round == DrandRound(1000000, bytes.fromhex(vector["signature"]))
    assert verify_round(QUICKNET, round).hex() == vector["randomness"]


def test_randomness_is_optional_in_a_pasted_round() -> None:
    text = json.dumps({"round": 1000, "signature": ROUNDS[0]["signature"].upper()})
    assert parse_round_json(text.encode()) == vector_round()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{round: 1000}", "the drand round is not JSON: a field name in double quotes is missing"),
        ("[1000]", "must be a JSON object with its \"round\" and \"signature\""),
        ('{"signature": "00"}', 'needs "round" as a positive whole number, got null'),
        ('{"round": "1000", "signature": "00"}', 'positive whole number, got "1000"'),
        ('{"round": true, "signature": "00"}', "positive whole number, got true"),
        ('{"round": -5, "signature": "00"}', "positive whole number, got -5"),
        ('{"round": 1000}', 'drand round 1000 needs "signature" as hex, got null'),
        ('{"round": 1000, "signature": "zz"}', 'needs "signature" as hex, got "zz"'),
        (json.dumps({"round": 1000, "signature": ROUNDS[0]["signature"],
                     "randomness": ROUNDS[1]["randomness"]}),
         f"drand round 1000 claims randomness {ROUNDS[1]['randomness']}, but SHA-256 of its "
         f"signature is {ROUNDS[0]['randomness']}"),
    ],
)
def test_a_pasted_round_that_is_not_a_drand_answer_is_refused(text: str, message: str) -> None:
    with pytest.raises(VerificationFailed, match=message.replace("(", r"\(")):
        parse_round_json(text)


@pytest.mark.parametrize("pasted", ["", "  ", "https://api.drand.sh/public/1000"])
def test_a_round_that_is_not_json_is_refused_in_words(pasted: str) -> None:
    with pytest.raises(VerificationFailed) as caught:
        parse_round_json(pasted)
    for language in ("en", "ru", "uk"):
        text = caught.value.text(language)
        assert "Expecting" not in text and "char 0" not in text, text
    assert "drand" in caught.value.text("ru")
