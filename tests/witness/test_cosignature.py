"""Witness cosignatures (C2SP tlog-cosignature, Ed25519 cosignature/v1): the key ID and
message the spec defines, the published vectors, round trips, and forgeries refused."""

import base64
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from contest.errors import VerificationFailed
from contest.ledger.note import (
    COSIGNATURE_V1,
    Checkpoint,
    Signer,
    Verifier,
    key_id,
    open_checkpoint,
    read_note,
    sign_checkpoint,
)
from contest.witness.cosignature import (
    CosignatureVerifier,
    Cosigner,
    cosigned_message,
    verify_cosignatures,
)

VECTORS = json.loads((Path(__file__).parent / "vectors" / "cosignature.json").read_text())
NOW = datetime(2026, 12, 7, 12, 0, 0, tzinfo=UTC)
LOG = Signer("contest.test/log", bytes([7]) * 32)


def make_cosigner(name: str = "auditor.test/witness", seed: int = 9) -> Cosigner:
    return Cosigner(Signer(name, bytes([seed]) * 32))


def log_note(size: int = 3) -> str:
    return sign_checkpoint(Checkpoint(LOG.name, size, bytes(range(32))), LOG)


def test_a_published_type_04_verifier_key_parses_with_its_key_id() -> None:
    vector = VECTORS["native_cosignature_verifier_key"]
    verifier = CosignatureVerifier.from_key(vector["key"])
    assert verifier.name == vector["name"]
    assert verifier.key_id.hex() == vector["key_id"]
    assert verifier.key() == vector["key"]


def test_a_plain_note_key_is_not_taken_as_a_cosigner_key() -> None:
    with pytest.raises(VerificationFailed, match="should hold 0x04 and a 32-byte Ed25519 key"):
        CosignatureVerifier.from_key(VECTORS["note_verifier_key_is_not_a_cosigner_key"])


def test_the_key_id_is_sha256_of_name_newline_0x04_and_key() -> None:
    cosigner = make_cosigner()
    public = cosigner.signer.public_key
    assert cosigner.verifier.key_id == key_id(cosigner.name, public, 0x04)
    assert cosigner.verifier.key_id != cosigner.signer.key_id  # 0x01: a different ID
    raw = base64.b64decode(cosigner.verifier_key().split("+")[2])
    assert raw == bytes([COSIGNATURE_V1]) + public


def test_the_signed_message_is_the_specs_example() -> None:
    example = VECTORS["spec_example"]
    message = cosigned_message(example["checkpoint_text"], example["timestamp"])
    assert message == example["signed_message"].encode()


def test_the_specs_example_line_reads_as_key_id_timestamp_and_signature() -> None:
    example = VECTORS["spec_example"]
    _text, (signature,) = read_note(example["checkpoint_text"] + "\n"
                                    + example["cosignature_line"])
    assert signature.name == "witness.example.com/w1"
    assert int.from_bytes(signature.signature[:8], "big") == example["timestamp"]
    assert len(signature.signature) == 8 + 64
    stamped = base64.b64decode(VECTORS["timestamped_signature"]["base64"])
    assert stamped[:4].hex() == VECTORS["timestamped_signature"]["key_id"]
    assert int.from_bytes(stamped[4:12], "big") == VECTORS["timestamped_signature"]["timestamp"]


def test_a_cosignature_verifies_names_the_witness_and_its_time() -> None:
    cosigner = make_cosigner()
    note = log_note()
    line = cosigner.cosign(read_note(note)[0], now=NOW)
    (cosignature,) = verify_cosignatures(note + line, [cosigner.verifier])
    assert cosignature.witness == "auditor.test/witness"
    assert cosignature.key_id == cosigner.verifier.key_id
    assert cosignature.moment == NOW
    # The log's own key still opens the cosigned note: it ignores the witness's line.
    assert open_checkpoint(note + line, LOG.verifier()).size == 3


def test_the_message_is_what_is_signed() -> None:
    cosigner = make_cosigner()
    text = read_note(log_note())[0]
    _text, (signature,) = read_note(text + "\n" + cosigner.cosign(text, now=NOW))
    timestamp = int(NOW.timestamp())
    assert int.from_bytes(signature.signature[:8], "big") == timestamp
    assert Verifier(cosigner.name, cosigner.signer.public_key).verify(
        f"cosignature/v1\ntime {timestamp}\n{text}".encode(), signature.signature[8:])


def test_a_cosignature_on_another_checkpoint_is_refused() -> None:
    cosigner = make_cosigner()
    line = cosigner.cosign(read_note(log_note(3))[0], now=NOW)
    with pytest.raises(VerificationFailed, match="cosignature by auditor.test/witness\\+"
                                                 "[0-9a-f]{8} does not verify"):
        verify_cosignatures(log_note(4) + line, [cosigner.verifier])


def test_a_changed_timestamp_is_refused() -> None:
    cosigner = make_cosigner()
    note = log_note()
    _text, (signature,) = read_note("x\n\n" + cosigner.cosign(read_note(note)[0], now=NOW))
    later = (int(NOW.timestamp()) + 1).to_bytes(8, "big")
    forged = type(signature)(signature.name, signature.key_id, later + signature.signature[8:])
    with pytest.raises(VerificationFailed, match="does not verify"):
        verify_cosignatures(note + forged.line(), [cosigner.verifier])


def test_a_zero_timestamp_is_refused() -> None:
    cosigner = make_cosigner()
    note = log_note()
    _text, (signature,) = read_note("x\n\n" + cosigner.cosign(read_note(note)[0], now=NOW))
    zero = type(signature)(signature.name, signature.key_id,
                           bytes(8) + signature.signature[8:])
    with pytest.raises(VerificationFailed, match="timestamp 0, expected one from 1"):
        verify_cosignatures(note + zero.line(), [cosigner.verifier])


def test_a_missing_witness_is_named() -> None:
    cosigner, other = make_cosigner(), make_cosigner("other.test/witness", seed=11)
    note = log_note()
    line = cosigner.cosign(read_note(note)[0], now=NOW)
    with pytest.raises(VerificationFailed,
                       match="no cosignature by witness other.test/witness\\+"):
        verify_cosignatures(note + line, [cosigner.verifier, other.verifier])


def test_the_log_signature_is_not_a_cosignature() -> None:
    # Same name and key as the log, but a cosigner key has another key ID: no match.
    as_cosigner = Cosigner(LOG)
    with pytest.raises(VerificationFailed, match="no cosignature by witness contest.test/log"):
        verify_cosignatures(log_note(), [as_cosigner.verifier])


def test_the_private_key_text_round_trips() -> None:
    cosigner = make_cosigner()
    again = Cosigner.from_private_key_text(cosigner.private_key_text())
    assert again.verifier_key() == cosigner.verifier_key()
