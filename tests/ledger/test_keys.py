"""The log's signing key on disk: created once, owner-only, reloaded, never silently replaced."""

import stat
from pathlib import Path

import pytest

from contest.errors import ConfigError
from contest.ledger.keys import load_or_create_signer, signer_from_text
from contest.ledger.note import Signer, Verifier, open_note

NAME = "contest.test/log"


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_the_first_call_creates_an_owner_only_key_in_go_format(tmp_path: Path) -> None:
    instance = tmp_path / "instance"
    signer = load_or_create_signer(instance, NAME)
    key_file = instance / "log-signing-key"
    assert mode(key_file) == 0o600
    text = key_file.read_text()
    assert text == signer.private_key_text() + "\n"
    assert text.startswith(f"PRIVATE+KEY+{NAME}+{signer.key_id.hex()}+")
    assert signer_from_text(text) == signer


def test_the_verifier_key_is_published_next_to_it(tmp_path: Path) -> None:
    signer = load_or_create_signer(tmp_path, NAME)
    published = (tmp_path / "log-verifier-key").read_text()
    assert published == signer.verifier_key() + "\n"
    assert "PRIVATE" not in published
    assert open_note(signer.sign("hello\n"), [Verifier.from_key(published)]) == "hello\n"


def test_later_calls_load_the_same_key(tmp_path: Path) -> None:
    first = load_or_create_signer(tmp_path, NAME)
    (tmp_path / "log-verifier-key").unlink()
    again = load_or_create_signer(tmp_path, NAME)
    assert again == first
    assert again.verifier_key() == first.verifier_key()
    assert (tmp_path / "log-verifier-key").read_text() == first.verifier_key() + "\n"


def test_a_key_with_another_name_is_refused_not_replaced(tmp_path: Path) -> None:
    original = load_or_create_signer(tmp_path, NAME)
    with pytest.raises(ConfigError, match=f"is named {NAME}, expected other.example/log"):
        load_or_create_signer(tmp_path, "other.example/log")
    assert signer_from_text((tmp_path / "log-signing-key").read_text()) == original


@pytest.mark.parametrize("content", [
    "", "garbage\n", "PRIVATE+KEY+contest.test/log+00000000+AAAA\n",
])
def test_a_malformed_key_file_is_refused_not_replaced(tmp_path: Path, content: str) -> None:
    (tmp_path / "log-signing-key").write_text(content)
    with pytest.raises(ConfigError, match="log-signing-key is malformed: "):
        load_or_create_signer(tmp_path, NAME)
    assert (tmp_path / "log-signing-key").read_text() == content


def test_a_key_file_given_by_the_deployment_is_used_and_never_made(tmp_path: Path) -> None:
    secret = tmp_path / "secrets" / "log-key"
    secret.parent.mkdir()
    made = Signer.generate(NAME)
    secret.write_text(made.private_key_text() + "\n")
    signer = load_or_create_signer(tmp_path / "instance", NAME, key_file=secret)
    assert signer.verifier_key() == made.verifier_key()
    assert not (tmp_path / "instance" / "log-signing-key").exists()
    with pytest.raises(ConfigError, match="CONTEST_LOG_SIGNING_KEY_FILE names .*missing"):
        load_or_create_signer(tmp_path / "instance", NAME, key_file=tmp_path / "missing")
