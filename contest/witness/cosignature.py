"""Witness cosignatures: C2SP tlog-cosignature (https://c2sp.org/tlog-cosignature), Ed25519
``cosignature/v1``.

A cosignature is a signature line added to a checkpoint note by a witness. Its key ID is
``SHA-256(name || 0x0A || 0x04 || 32-byte Ed25519 public key)[:4]`` (type 0x04, so a log's
plain note verifier never mistakes it for a log signature), and the bytes after the key ID
are a ``timestamped_signature``: the POSIX time of cosigning as a big-endian u64, then the
64-byte Ed25519 signature of::

    cosignature/v1
    time <timestamp in decimal>
    <the checkpoint's whole text, extension lines and final newline included>

It states that at that time the witness had seen no larger consistent tree of the log than
this one. The message does not commit to the witness's name, so one key must never serve
two witness names.

The witness's key is kept as Go's ``PRIVATE+KEY+name+…`` text of a note signer (as
``transparency-dev/formats``' ``NewSignerForCosignatureV1`` reads it); its published
verifier key is ``name+hex8(key ID)+base64(0x04 || public key)``.
"""

import base64
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cached_property

from contest.errors import VerificationFailed
from contest.i18n import N_
from contest.ledger.note import (
    COSIGNATURE_V1,
    NoteSignature,
    Signer,
    Verifier,
    key_id,
    parse_verifier_key,
    read_note,
)

HEADER = "cosignature/v1"
MAX_TIMESTAMP = 2**63 - 1
_SIGNATURE_SIZE = 8 + 64  # u64 timestamp, Ed25519 signature


def cosigned_message(text: str, timestamp: int) -> bytes:
    """The bytes a witness signs: the header line, the time line, the checkpoint's text."""
    return f"{HEADER}\ntime {timestamp}\n{text}".encode()


@dataclass(frozen=True)
class Cosignature:
    """A verified cosignature: which witness cosigned, and when it says it did."""

    witness: str
    key_id: bytes
    timestamp: int

    @property
    def moment(self) -> datetime:
        return datetime.fromtimestamp(self.timestamp, UTC)


@dataclass(frozen=True)
class CosignatureVerifier:
    """A witness's public key with its name: checks its cosignatures."""

    name: str
    public_key: bytes

    def __post_init__(self) -> None:
        # Verifier checks the name and the key's length, with the same messages.
        Verifier(self.name, self.public_key)

    @classmethod
    def from_key(cls, key: str) -> "CosignatureVerifier":
        """Parse ``name+hex8(key ID)+base64(0x04 || public key)``."""
        name, public_key = parse_verifier_key(key, COSIGNATURE_V1)
        return cls(name, public_key)

    @cached_property
    def key_id(self) -> bytes:
        return key_id(self.name, self.public_key, COSIGNATURE_V1)

    def key(self) -> str:
        """The verifier key text the witness publishes."""
        encoded = base64.b64encode(bytes([COSIGNATURE_V1]) + self.public_key).decode("ascii")
        return f"{self.name}+{self.key_id.hex()}+{encoded}"

    def matches(self, signature: NoteSignature) -> bool:
        """Whether ``signature`` claims to be by this key (same name and key ID)."""
        return signature.name == self.name and signature.key_id == self.key_id

    def verify(self, text: str, signature: NoteSignature) -> Cosignature:
        """The cosignature ``signature`` makes on the checkpoint ``text``, once it checks
        out; :class:`VerificationFailed` if it does not."""
        raw = signature.signature
        if len(raw) != _SIGNATURE_SIZE:
            raise VerificationFailed(
                N_("cosignature by {name} has {got} bytes after its key ID, expected {expected} "
                   "(a timestamp and an Ed25519 signature)"),
                {"name": self.name, "got": len(raw), "expected": _SIGNATURE_SIZE})
        timestamp = int.from_bytes(raw[:8], "big")
        if not 0 < timestamp <= MAX_TIMESTAMP:
            raise VerificationFailed(
                N_("cosignature by {name} has timestamp {got}, expected one from 1 to 2^63-1"),
                {"name": self.name, "got": timestamp})
        if not Verifier(self.name, self.public_key).verify(cosigned_message(text, timestamp),
                                                          raw[8:]):
            raise VerificationFailed(
                N_("cosignature by {name}+{key_id} does not verify: the checkpoint or the "
                   "cosignature was changed"), {"name": self.name, "key_id": self.key_id.hex()})
        return Cosignature(self.name, self.key_id, timestamp)


@dataclass(frozen=True)
class Cosigner:
    """A witness's named Ed25519 private key: cosigns checkpoints."""

    signer: Signer

    @classmethod
    def generate(cls, name: str) -> "Cosigner":
        return cls(Signer.generate(name))

    @classmethod
    def from_private_key_text(cls, text: str) -> "Cosigner":
        return cls(Signer.from_private_key_text(text))

    @property
    def name(self) -> str:
        return self.signer.name

    def private_key_text(self) -> str:
        return self.signer.private_key_text()

    @cached_property
    def verifier(self) -> CosignatureVerifier:
        return CosignatureVerifier(self.signer.name, self.signer.public_key)

    def verifier_key(self) -> str:
        """The public verifier key (type 0x04) that logs and verifiers pin."""
        return self.verifier.key()

    def cosign(self, text: str, *, now: datetime) -> str:
        """The cosignature line, with its newline, over the checkpoint ``text`` at ``now``
        (to the second; a moment before 1970-01-01T00:00:01 has no valid timestamp)."""
        timestamp = int(now.timestamp())
        if not 0 < timestamp <= MAX_TIMESTAMP:
            raise VerificationFailed(
                N_("cosignature timestamp {got} is outside 1 to 2^63-1"), {"got": timestamp})
        signature = self.signer.sign_message(cosigned_message(text, timestamp))
        return NoteSignature(self.name, self.verifier.key_id,
                             timestamp.to_bytes(8, "big") + signature).line()


def verify_cosignatures(note: str | bytes,
                        witnesses: Sequence[CosignatureVerifier]) -> tuple[Cosignature, ...]:
    """The cosignatures on the checkpoint ``note``, one for each of ``witnesses``, in their
    order; :class:`VerificationFailed` names the first witness without a valid one.

    Signature lines by other keys (the log's, other witnesses') are ignored, as the spec
    requires; a line that claims a named witness's key but fails rejects the note. The log's
    own signature is not checked here: open the note with the log's key as well
    (:func:`contest.ledger.note.open_checkpoint`).
    """
    text, signatures = read_note(note)
    found: list[Cosignature] = []
    for witness in witnesses:
        mine = [signature for signature in signatures if witness.matches(signature)]
        if not mine:
            raise VerificationFailed(
                N_("the checkpoint has no cosignature by witness {name}+{key_id}"),
                {"name": witness.name, "key_id": witness.key_id.hex()})
        verified = [witness.verify(text, signature) for signature in mine]
        found.append(max(verified, key=lambda cosignature: cosignature.timestamp))
    return tuple(found)
