"""C2SP signed notes and tlog checkpoints: Go sumdb/note's published examples, round trips,
and every way a note can be forged or malformed."""

import base64
import json
from pathlib import Path

import pytest

from contest.errors import KeyMalformed, NoteMalformed, VerificationFailed
from contest.ledger.merkle import EMPTY_ROOT
from contest.ledger.note import (
    Checkpoint,
    Signer,
    Verifier,
    is_valid_key_name,
    key_id,
    open_checkpoint,
    open_note,
    sign_checkpoint,
)

VECTORS = Path(__file__).parent / "vectors"
C2SP = json.loads((VECTORS / "signed_note.json").read_text())
GO = json.loads((VECTORS / "go_sumdb_note.json").read_text())
ROOT = bytes(range(32))


def make_signer(name: str = "contest.test/log", seed: int = 7) -> Signer:
    return Signer(name, bytes([seed]) * 32)


# --- published examples ---------------------------------------------------------------------

def test_the_c2sp_example_note_opens_with_its_verifier_key() -> None:
    verifier = Verifier.from_key(C2SP["verifier_key"])
    assert verifier.name == "example.com/foo"
    assert verifier.key_id.hex() == "530d903a"
    assert verifier.key() == C2SP["verifier_key"]
    assert open_note(C2SP["note"], [verifier]) == C2SP["text"]
    assert open_note(C2SP["note"].encode("utf-8"), verifier) == C2SP["text"]


def test_the_key_id_is_sha256_of_name_newline_algorithm_and_key() -> None:
    verifier = Verifier.from_key(C2SP["verifier_key"])
    assert key_id(verifier.name, verifier.public_key) == bytes.fromhex("530d903a")


def test_the_go_example_is_reproduced_byte_for_byte() -> None:
    signer = Signer.from_private_key_text(GO["signer_key"])
    assert signer.name == "PeterNeumann"
    assert signer.private_key_text() == GO["signer_key"]
    assert signer.verifier_key() == GO["verifier_key"]
    assert signer.sign(GO["text"]) == GO["note"]
    assert open_note(GO["note"], [Verifier.from_key(GO["verifier_key"])]) == GO["text"]


def test_signatures_by_unknown_keys_are_ignored() -> None:
    verifier = Verifier.from_key(GO["verifier_key"])
    assert open_note(GO["doubly_signed_note"], [verifier]) == GO["text"]


def test_a_changed_text_fails_with_the_key_named() -> None:
    forged = C2SP["note"].replace("an example", "a forged")
    with pytest.raises(VerificationFailed,
                       match=r"signature by example.com/foo\+530d903a does not verify"):
        open_note(forged, [Verifier.from_key(C2SP["verifier_key"])])


@pytest.mark.parametrize(("bit", "problem"), [
    (0, "no signature by a known key"), (31, "no signature by a known key"),
    (32, "does not verify"), (39, "does not verify"), (300, "does not verify"),
    (8 * 68 - 1, "does not verify"),
])
def test_a_flipped_bit_in_the_signature_line_fails(bit: int, problem: str) -> None:
    """Bits 0-31 are the key ID (the key is then unknown), the rest the Ed25519 signature."""
    text, _, line = C2SP["note"].rpartition("\n\n")
    name, encoded = line.removeprefix("\u2014 ").rstrip("\n").split(" ")
    raw = bytearray(base64.b64decode(encoded))
    assert len(raw) == 68
    raw[bit // 8] ^= 0x80 >> (bit % 8)
    forged = f"{text}\n\n\u2014 {name} {base64.b64encode(raw).decode()}\n"
    with pytest.raises(VerificationFailed, match=problem):
        open_note(forged, [Verifier.from_key(C2SP["verifier_key"])])


def test_the_tlog_checkpoint_example_parses() -> None:
    checkpoint = Checkpoint.from_text(C2SP["checkpoint_text_example"])
    assert checkpoint.origin == "example.com/behind-the-sofa"
    assert checkpoint.size == 20852163
    assert checkpoint.root_hash == base64.b64decode("CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=")
    assert checkpoint.extensions == ()
    assert checkpoint.to_text() == C2SP["checkpoint_text_example"]


# --- signing and opening -------------------------------------------------------------------

def test_a_signed_note_round_trips() -> None:
    signer = make_signer()
    note = signer.sign("line one\n\nline three after an empty line\n")
    assert note.endswith("\n")
    assert "\n\n\u2014 contest.test/log " in note
    verifier = Verifier.from_key(signer.verifier_key())
    assert verifier == signer.verifier()
    assert open_note(note, [verifier]) == "line one\n\nline three after an empty line\n"


def test_a_generated_key_signs_and_verifies() -> None:
    signer = Signer.generate("contest.test/fresh")
    assert open_note(signer.sign("hello\n"), [signer.verifier()]) == "hello\n"
    assert Signer.generate("contest.test/fresh").public_key != signer.public_key


def test_the_private_key_is_not_shown_in_repr() -> None:
    signer = make_signer()
    assert signer.private_key.hex() not in repr(signer)
    assert "private_key" not in repr(signer)


def test_a_wrong_key_finds_no_known_signer() -> None:
    note = make_signer(seed=1).sign("hello\n")
    other = make_signer(seed=2).verifier()
    with pytest.raises(VerificationFailed,
                       match=rf"no signature by a known key: expected contest.test/log\+"
                             rf"{other.key_id.hex()}, found contest.test/log\+[0-9a-f]{{8}}"):
        open_note(note, [other])
    with pytest.raises(VerificationFailed, match="expected none"):
        open_note(note, [])


def test_a_known_signature_that_fails_rejects_the_note_even_if_another_verifies() -> None:
    first, second = make_signer("a.example/log", 1), make_signer("b.example/log", 2)
    note = first.sign("hello\n") + second.signature_line("goodbye\n")
    assert open_note(note, [first.verifier()]) == "hello\n"
    with pytest.raises(VerificationFailed, match=r"b.example/log\+[0-9a-f]{8} does not verify"):
        open_note(note, [first.verifier(), second.verifier()])


def test_a_cosigned_note_opens_with_either_key() -> None:
    first, second = make_signer("a.example/log", 1), make_signer("b.example/log", 2)
    note = first.sign("hello\n") + second.signature_line("hello\n")
    assert open_note(note, [second.verifier()]) == "hello\n"
    assert open_note(note, [first.verifier(), second.verifier()]) == "hello\n"


@pytest.mark.parametrize(("note", "problem"), [
    ("hello\n", "no blank line between its text and signatures"),
    ("hello\n\n", "should end with signature lines"),
    ("hello\n\n\u2014 contest.test/log AAAA", "should end with signature lines"),
    ("hello\n\n- contest.test/log AAAAAAA=\n", "signature line 1 should start with an em dash"),
    ("hello\n\n\u2014 contest.test/log\n", "signature line 1 should be a key name"),
    ("hello\n\n\u2014 contest.test/log not*base64\n", "signature line 1 should be a key name"),
    ("hello\n\n\u2014 contest.test/log AAAA\n", "signature line 1 should be a key name"),
    ("hello\n\n\u2014 bad+name AAAAAAA=\n", "signature line 1 should be a key name"),
    ("hel\tlo\n\n\u2014 contest.test/log AAAAAAA=\n", "control character U\\+0009 at offset 3"),
    ("hello\r\n\n\u2014 contest.test/log AAAAAAA=\n", "control character U\\+000D"),
])
def test_malformed_notes_are_refused_with_what_is_wrong(note: str, problem: str) -> None:
    with pytest.raises(VerificationFailed, match=problem):
        open_note(note, [make_signer().verifier()])


def test_invalid_utf8_is_refused() -> None:
    with pytest.raises(VerificationFailed, match="not valid UTF-8"):
        open_note(b"hello \xff\n\n\xe2\x80\x94 contest.test/log AAAAAAA=\n",
                  [make_signer().verifier()])


def test_more_than_100_signatures_are_refused() -> None:
    signer = make_signer()
    line = signer.signature_line("hello\n")
    assert open_note("hello\n\n" + line * 100, [signer.verifier()]) == "hello\n"
    with pytest.raises(VerificationFailed, match="has 101 signatures, at most 100"):
        open_note("hello\n\n" + line * 101, [signer.verifier()])


def test_text_that_no_verifier_could_open_is_not_signed() -> None:
    signer = make_signer()
    for text in ("", "no final newline", "tab\there\n"):
        with pytest.raises(NoteMalformed):
            signer.sign(text)


# --- keys ------------------------------------------------------------------------------------

@pytest.mark.parametrize(("name", "valid"), [
    ("example.com/log", True), ("PeterNeumann", True), ("журнал.рф/лог", True),
    ("", False), ("a b", False), ("a+b", False), ("a\u00a0b", False), ("a\u3000b", False),
    ("a\tb", False), ("a\ud800b", False),
])
def test_key_names(name: str, valid: bool) -> None:
    assert is_valid_key_name(name) is valid


@pytest.mark.parametrize(("key", "problem"), [
    ("", "should start with a key name"),
    ("a b+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k", "should start with a key name"),
    ("example.com/foo+530D903A+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k",
     "8 lowercase hex digits"),
    ("example.com/foo+530d903+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k",
     "8 lowercase hex digits"),
    ("example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2", "in base64"),
    ("example.com/foo+530d903a+AkyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k=",
     "0x01 and a 32-byte Ed25519 key, got 32 bytes"),
    ("example.com/foo+530d903a+AukyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k",
     "starting 02"),
    ("example.com/bar+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k",
     "names key ID 530d903a, but its key has ID"),
])
def test_malformed_verifier_keys_are_refused(key: str, problem: str) -> None:
    with pytest.raises(VerificationFailed, match=problem):
        Verifier.from_key(key)


@pytest.mark.parametrize(("text", "problem"), [
    ("PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz", "starts with"),
    ("PRIVATE+KEY+Peter Neumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz",
     "name"),
    ("PRIVATE+KEY+PeterNeumann+c74f20a4+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz",
     "names key ID c74f20a4, but its key has ID c74f20a3"),
    ("PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr", "32-byte Ed25519 seed"),
    ("PRIVATE+KEY+PeterNeumann+c74f20a3+@@@@", "in base64"),
])
def test_malformed_private_keys_are_refused(text: str, problem: str) -> None:
    with pytest.raises(KeyMalformed, match=problem):
        Signer.from_private_key_text(text)


def test_keys_are_checked_when_made() -> None:
    with pytest.raises(KeyMalformed, match="32 bytes, got 31"):
        Signer("contest.test/log", bytes(31))
    with pytest.raises(KeyMalformed, match="space or a"):
        Signer("contest test", bytes(32))
    with pytest.raises(KeyMalformed, match="32 bytes, got 33"):
        Verifier("contest.test/log", bytes(33))


# --- checkpoints ---------------------------------------------------------------------------

def test_a_signed_checkpoint_round_trips() -> None:
    signer = make_signer()
    checkpoint = Checkpoint("contest.test/log", 42, ROOT, ("extension one",))
    note = sign_checkpoint(checkpoint, signer)
    assert note.startswith(f"contest.test/log\n42\n{base64.b64encode(ROOT).decode()}\n"
                           "extension one\n\n\u2014 contest.test/log ")
    assert open_checkpoint(note, signer.verifier()) == checkpoint
    assert open_checkpoint(note, [signer.verifier()], origin="contest.test/log") == checkpoint


def test_the_empty_log_has_a_checkpoint() -> None:
    checkpoint = Checkpoint("contest.test/log", 0, EMPTY_ROOT)
    assert Checkpoint.from_text(checkpoint.to_text()) == checkpoint
    assert checkpoint.to_text().split("\n")[1] == "0"


def test_a_checkpoint_for_another_origin_is_refused_when_one_is_expected() -> None:
    signer = make_signer()
    note = sign_checkpoint(Checkpoint("other.example/log", 1, ROOT), signer)
    with pytest.raises(VerificationFailed,
                       match="checkpoint is for log other.example/log, expected contest.test"):
        open_checkpoint(note, [signer.verifier()], origin="contest.test/log")


def test_a_forged_checkpoint_is_refused_before_it_is_read() -> None:
    signer = make_signer()
    note = sign_checkpoint(Checkpoint("contest.test/log", 42, ROOT), signer)
    with pytest.raises(VerificationFailed, match="does not verify"):
        open_checkpoint(note.replace("\n42\n", "\n43\n"), [signer.verifier()])
    with pytest.raises(VerificationFailed, match="no signature by a known key"):
        open_checkpoint(note, [make_signer(seed=9).verifier()])


ROOT64 = base64.b64encode(ROOT).decode()


@pytest.mark.parametrize(("text", "problem"), [
    (f"log\n1\n{ROOT64}", "must end with a newline"),
    ("log\n1\n", "has 2 lines, expected at least 3"),
    (f"\n1\n{ROOT64}\n", "origin must be one non-empty line"),
    (f"log\n01\n{ROOT64}\n", "without leading zeros, got '01'"),
    (f"log\n-1\n{ROOT64}\n", "decimal number"),
    (f"log\n+1\n{ROOT64}\n", "decimal number"),
    (f"log\n1_000\n{ROOT64}\n", "decimal number"),
    (f"log\n\u0661\n{ROOT64}\n", "decimal number"),
    (f"log\n 1\n{ROOT64}\n", "decimal number"),
    ("log\n1\nnot base64!\n", "root hash should be base64"),
    (f"log\n1\n{ROOT64[:-1]}\n", "root hash should be base64"),
    (f"log\n1\n{base64.b64encode(ROOT[:31]).decode()}\n", "root hash has 31 bytes, expected 32"),
    (f"log\n1\n{ROOT64}\n\n", "extension line 4 must be one non-empty line"),
    (f"log\n1\n{ROOT64}\next\n\n", "extension line 5 must be one non-empty line"),
])
def test_malformed_checkpoints_are_refused_with_what_is_wrong(text: str, problem: str) -> None:
    with pytest.raises(VerificationFailed, match=problem):
        Checkpoint.from_text(text)


def test_checkpoints_are_checked_when_made() -> None:
    with pytest.raises(NoteMalformed, match="root hash has 3 bytes"):
        Checkpoint("log", 1, b"abc")
    with pytest.raises(NoteMalformed, match="size must not be negative"):
        Checkpoint("log", -1, ROOT)
    with pytest.raises(NoteMalformed, match="origin must be one non-empty line"):
        Checkpoint("two\nlines", 1, ROOT)
