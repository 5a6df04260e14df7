"""The deployment's witnesses (``CONTEST_WITNESSES``): each a witness's verifier key and the
URL it takes ``add-checkpoint`` at. A malformed entry stops start-up naming the variable."""

from pathlib import Path

import pytest

from contest.config import Settings, WitnessSetting
from contest.errors import ConfigError
from contest.witness.collect import LogWitness, log_witnesses
from contest.witness.cosignature import Cosigner


def _cosigner(name: str, seed: int) -> Cosigner:
    from contest.ledger.note import Signer

    return Cosigner(Signer(name, bytes([seed]) * 32))


FIRST = _cosigner("auditor.test/witness", 1)
SECOND = _cosigner("press.test/witness", 2)


def load(tmp_path: Path, value: str) -> Settings:
    return Settings.load({"CONTEST_INSTANCE_PATH": str(tmp_path),
                          "CONTEST_WITNESSES": value})


def test_no_witnesses_unless_named(tmp_path: Path) -> None:
    assert Settings.load({"CONTEST_INSTANCE_PATH": str(tmp_path)}).witnesses == ()


def test_witnesses_are_a_key_and_a_url_each_separated_by_semicolons_or_lines(
        tmp_path: Path) -> None:
    settings = load(tmp_path, f" {FIRST.verifier_key()}  https://w1.test/ ;\n"
                              f"{SECOND.verifier_key()} http://127.0.0.1:8390\n")
    assert settings.witnesses == (
        WitnessSetting(FIRST.verifier_key(), "https://w1.test"),
        WitnessSetting(SECOND.verifier_key(), "http://127.0.0.1:8390"))
    assert log_witnesses(settings.witnesses) == (
        LogWitness(FIRST.verifier, "https://w1.test"),
        LogWitness(SECOND.verifier, "http://127.0.0.1:8390"))


def test_the_config_file_names_them_too(tmp_path: Path) -> None:
    (tmp_path / "config.toml").write_text(
        f'witnesses = "{FIRST.verifier_key()} https://w1.test"\n')
    settings = Settings.load({"CONTEST_INSTANCE_PATH": str(tmp_path)})
    assert settings.witnesses == (WitnessSetting(FIRST.verifier_key(), "https://w1.test"),)


@pytest.mark.parametrize(("value", "message"), [
    ("https://w1.test", r"CONTEST_WITNESSES entry 1 should be a witness's verifier key and "
                        r"its URL separated by a space, got 'https://w1.test'"),
    (f"{FIRST.verifier_key()} https://w1.test extra",
     r"CONTEST_WITNESSES entry 1 should be a witness's verifier key and its URL"),
    (f"{FIRST.verifier_key()} https://w1.test; {SECOND.verifier_key()} w2.test",
     r"CONTEST_WITNESSES entry 2 has URL 'w2.test', expected an http:// or https:// address"),
    (f"https://w1.test {FIRST.verifier_key()}",
     r"CONTEST_WITNESSES entry 1 has key 'https://w1.test', expected a verifier key "
     r"name\+keyid\+base64"),
    (f"{FIRST.verifier_key()} https://w1.test; {FIRST.verifier_key()} https://other.test",
     r"CONTEST_WITNESSES entry 2 names witness auditor.test/witness\+[0-9a-f]{8} again"),
])
def test_a_malformed_entry_names_the_variable_and_the_entry(tmp_path: Path, value: str,
                                                            message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        load(tmp_path, value)


def test_a_key_that_is_no_witness_key_is_refused_naming_the_variable(tmp_path: Path) -> None:
    from contest.ledger.note import Signer

    log_key = Signer("auditor.test/witness", bytes([1]) * 32).verifier_key()  # type 0x01
    settings = load(tmp_path, f"{log_key} https://w1.test")
    with pytest.raises(ConfigError, match=r"CONTEST_WITNESSES entry 1: verifier key .* should "
                                          r"hold 0x04 and a 32-byte Ed25519 key"):
        log_witnesses(settings.witnesses)
