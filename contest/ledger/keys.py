"""The log's signing key on disk, in Go sumdb/note's private key text (C2SP signed-note keys).

``instance/log-signing-key`` holds ``PRIVATE+KEY+name+hex8(key ID)+base64(0x01 || seed)``,
readable by its owner only; ``instance/log-verifier-key`` holds the public verifier key that
the deployment publishes, so auditors can pin it.
"""

import os
from pathlib import Path

from contest.errors import ConfigError, KeyMalformed
from contest.i18n import N_
from contest.ledger.note import Signer
from contest.private_files import PRIVATE_FILE, create_private_file, make_private_folder, narrow

SIGNING_KEY_FILE = "log-signing-key"
VERIFIER_KEY_FILE = "log-verifier-key"


def signer_from_text(text: str) -> Signer:
    """The signer of a ``PRIVATE+KEY+…`` text; :class:`KeyMalformed` if it is malformed."""
    return Signer.from_private_key_text(text)


def load_or_create_signer(instance_path: Path, name: str, *,
                          key_file: Path | None = None) -> Signer:
    """The log's signer named ``name``: from ``key_file`` when the deployment gives one (a
    mounted secret, ``CONTEST_LOG_SIGNING_KEY_FILE``), else from the instance folder, where
    a fresh Ed25519 key is made on first use.

    Refuses (:class:`ConfigError`) a key with another name or a malformed file rather than
    replacing it: checkpoints signed by the old key would no longer verify.
    """
    path = key_file or instance_path / SIGNING_KEY_FILE
    if key_file is None:
        narrow(path, PRIVATE_FILE)
    try:
        signer = _load(path)
    except FileNotFoundError:
        if key_file is not None:
            raise ConfigError(N_("CONTEST_LOG_SIGNING_KEY_FILE names {path}, which does not "
                                 "exist"), {"path": str(path)}) from None
        signer = _create(path, name)
    if signer.name != name:
        raise ConfigError(N_("the log signing key in {path} is named {got}, expected {expected}"),
                          {"path": str(path), "got": signer.name, "expected": name})
    make_private_folder(instance_path)
    _publish(instance_path / VERIFIER_KEY_FILE, signer.verifier_key() + "\n")
    return signer


def _load(path: Path) -> Signer:
    text = path.read_text(encoding="utf-8")
    try:
        return signer_from_text(text)
    except KeyMalformed as error:
        raise ConfigError(N_("the log signing key in {path} is malformed: {problem}"),
                          {"path": str(path), "problem": str(error)}) from None


def _create(path: Path, name: str) -> Signer:
    signer = Signer.generate(name)
    # Two processes starting at once must not each write a key of their own.
    if not create_private_file(path, signer.private_key_text() + "\n"):
        return _load(path)
    return signer


def _publish(path: Path, text: str) -> None:
    if path.exists() and path.read_text(encoding="utf-8") == text:
        return
    temporary = path.with_name(f".{path.name}.{os.getpid()}")
    temporary.write_text(text, encoding="utf-8")
    temporary.chmod(0o644)
    os.replace(temporary, path)
