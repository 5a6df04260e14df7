"""Signed notes and checkpoints: C2SP signed-note (https://c2sp.org/signed-note) with Ed25519
keys, and C2SP tlog-checkpoint (https://c2sp.org/tlog-checkpoint).

The formats are those of Go's ``golang.org/x/mod/sumdb/note``, so the log's checkpoints can
be checked with the Go tools and with any other C2SP implementation:

- a key is named (non-empty UTF-8, no Unicode spaces, no ``+``) and identified by
  ``key ID = SHA-256(name || 0x0A || 0x01 || 32-byte public key)[:4]``, 0x01 being Ed25519;
- a verifier key is ``name+hex8(key ID)+base64(0x01 || public key)``; the private key text
  is ``PRIVATE+KEY+name+hex8(key ID)+base64(0x01 || 32-byte seed)``;
- a signed note is its text (ending in a newline), a blank line, then one line per signature:
  ``— name base64(key ID || Ed25519 signature of the text)`` (U+2014 EM DASH, space).

A checkpoint is a note whose text is the log's origin, its size in decimal and its RFC 6962
root hash in base64, one a line, then optional extension lines.

A witness's cosignature (C2SP tlog-cosignature, https://c2sp.org/tlog-cosignature) is a
signature line of another key type, 0x04 (Ed25519 ``cosignature/v1``): :func:`key_id` and
:func:`parse_verifier_key` take the type, and :func:`read_note` hands the signature lines to
:mod:`contest.witness.cosignature`, which checks them.
"""

import base64
import binascii
import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from contest.errors import KeyMalformed, NoteMalformed, VerificationFailed
from contest.i18n import N_

ED25519 = 0x01
COSIGNATURE_V1 = 0x04  # Ed25519 cosignature/v1 (C2SP tlog-cosignature)
MAX_SIGNATURES = 100
SIGNATURE_PREFIX = "\u2014 "
PRIVATE_KEY_PREFIX = "PRIVATE+KEY+"

_SIZE = re.compile(r"0|[1-9][0-9]*")
_HEX8 = re.compile(r"[0-9a-f]{8}")


def is_valid_key_name(name: str) -> bool:
    """Non-empty, valid UTF-8, without Unicode spaces or ``+`` (signed-note §Format)."""
    if not name or "+" in name or any(c.isspace() for c in name):
        return False
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:  # lone surrogates
        return False
    return True


def key_id(name: str, public_key: bytes, key_type: int = ED25519) -> bytes:
    """The 4-byte ID of a key: SHA-256(name || 0x0A || key type || public key)[:4]; the type
    is 0x01 for a note signer, 0x04 for a witness's Ed25519 cosignatures."""
    prefix = name.encode("utf-8") + b"\n" + bytes([key_type])
    return hashlib.sha256(prefix + public_key).digest()[:4]


def _b64decode(text: str) -> bytes:
    """Strict standard base64 (RFC 4648 §4): padding required, no stray characters."""
    value = base64.b64decode(text.encode("ascii"), validate=True)
    if base64.b64encode(value).decode("ascii") != text:
        raise ValueError("non-canonical base64")
    return value


def _b64encode(value: bytes) -> str:
    return base64.b64encode(value).decode("ascii")


def parse_verifier_key(key: str, key_type: int) -> tuple[str, bytes]:
    """The name and 32-byte Ed25519 public key of the verifier key
    ``name+hex8(key ID)+base64(key type || public key)``, checking its type and key ID."""
    name, _, rest = key.strip().partition("+")
    id_hex, _, key_b64 = rest.partition("+")
    if not is_valid_key_name(name):
        raise VerificationFailed(
            N_("verifier key {key!r} should start with a key name (non-empty, no spaces, "
               "no '+')"), {"key": key})
    if not _HEX8.fullmatch(id_hex):
        raise VerificationFailed(
            N_("verifier key {key!r} should have 8 lowercase hex digits of key ID after "
               "the name, got {got!r}"), {"key": key, "got": id_hex})
    try:
        raw = _b64decode(key_b64)
    except (ValueError, binascii.Error):
        raise VerificationFailed(
            N_("verifier key {key!r} should end with the key in base64, got {got!r}"),
            {"key": key, "got": key_b64}) from None
    if len(raw) != 33 or raw[0] != key_type:
        raise VerificationFailed(
            N_("verifier key {key!r} should hold {key_type} and a 32-byte Ed25519 key, got "
               "{got} bytes starting {first}"),
            {"key": key, "key_type": f"0x{key_type:02x}", "got": len(raw),
             "first": raw[:1].hex() or "nothing"})
    public_key = raw[1:]
    expected = key_id(name, public_key, key_type).hex()
    if expected != id_hex:
        raise VerificationFailed(
            N_("verifier key {key!r} names key ID {got}, but its key has ID {expected}"),
            {"key": key, "got": id_hex, "expected": expected})
    return name, public_key


@dataclass(frozen=True)
class Verifier:
    """A public Ed25519 key with its name: checks signatures in notes."""

    name: str
    public_key: bytes

    def __post_init__(self) -> None:
        if not is_valid_key_name(self.name):
            raise KeyMalformed(N_("key name {name!r} is empty or has a space or a '+'"),
                               {"name": self.name})
        if len(self.public_key) != 32:
            raise KeyMalformed(N_("an Ed25519 public key has 32 bytes, got {got}"),
                               {"got": len(self.public_key)})

    @classmethod
    def from_key(cls, key: str) -> "Verifier":
        """Parse a verifier key ``name+hex8(key ID)+base64(0x01 || public key)``."""
        name, public_key = parse_verifier_key(key, ED25519)
        return cls(name, public_key)

    @cached_property
    def key_id(self) -> bytes:
        return key_id(self.name, self.public_key)

    def key(self) -> str:
        """The verifier key text, as published."""
        return f"{self.name}+{self.key_id.hex()}+{_b64encode(bytes([ED25519]) + self.public_key)}"

    def verify(self, text: bytes, signature: bytes) -> bool:
        try:
            Ed25519PublicKey.from_public_bytes(self.public_key).verify(signature, text)
        except InvalidSignature:
            return False
        return True


@dataclass(frozen=True)
class Signer:
    """A named Ed25519 private key (its 32-byte seed): signs notes and checkpoints."""

    name: str
    private_key: bytes = field(repr=False)

    def __post_init__(self) -> None:
        if not is_valid_key_name(self.name):
            raise KeyMalformed(N_("key name {name!r} is empty or has a space or a '+'"),
                               {"name": self.name})
        if len(self.private_key) != 32:
            raise KeyMalformed(N_("an Ed25519 private key (seed) has 32 bytes, got {got}"),
                               {"got": len(self.private_key)})

    @classmethod
    def generate(cls, name: str) -> "Signer":
        seed = Ed25519PrivateKey.generate().private_bytes_raw()
        return cls(name, seed)

    @classmethod
    def from_private_key_text(cls, text: str) -> "Signer":
        """Parse ``PRIVATE+KEY+name+hex8(key ID)+base64(0x01 || seed)`` (Go's signer key)."""
        text = text.strip()
        if not text.startswith(PRIVATE_KEY_PREFIX):
            raise KeyMalformed(N_("a private key text starts with {expected!r}"),
                               {"expected": PRIVATE_KEY_PREFIX})
        name, _, rest = text.removeprefix(PRIVATE_KEY_PREFIX).partition("+")
        id_hex, _, key_b64 = rest.partition("+")
        if not is_valid_key_name(name):
            raise KeyMalformed(N_("the private key's name {name!r} is empty or has a space or "
                                  "a '+'"), {"name": name})
        if not _HEX8.fullmatch(id_hex):
            raise KeyMalformed(N_("the private key should have 8 lowercase hex digits of key "
                                  "ID after its name, got {got!r}"), {"got": id_hex})
        try:
            raw = _b64decode(key_b64)
        except (ValueError, binascii.Error):
            raise KeyMalformed(N_("the private key should end with the key in base64")) from None
        if len(raw) != 33 or raw[0] != ED25519:
            raise KeyMalformed(N_("the private key should hold 0x01 and a 32-byte Ed25519 "
                                  "seed, got {got} bytes"), {"got": len(raw)})
        signer = cls(name, raw[1:])
        if signer.key_id.hex() != id_hex:
            raise KeyMalformed(N_("the private key names key ID {got}, but its key has ID "
                                  "{expected}"), {"got": id_hex, "expected": signer.key_id.hex()})
        return signer

    @cached_property
    def _key(self) -> Ed25519PrivateKey:
        return Ed25519PrivateKey.from_private_bytes(self.private_key)

    @cached_property
    def public_key(self) -> bytes:
        return self._key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)

    @cached_property
    def key_id(self) -> bytes:
        return key_id(self.name, self.public_key)

    def verifier(self) -> Verifier:
        return Verifier(self.name, self.public_key)

    def verifier_key(self) -> str:
        """The public verifier key text to publish."""
        return self.verifier().key()

    def private_key_text(self) -> str:
        """The secret key text, in Go's ``PRIVATE+KEY+…`` form."""
        return (f"{PRIVATE_KEY_PREFIX}{self.name}+{self.key_id.hex()}+"
                f"{_b64encode(bytes([ED25519]) + self.private_key)}")

    def sign_message(self, message: bytes) -> bytes:
        """The bare Ed25519 signature of ``message``, for signature types that sign more
        than the note's text (a witness's cosignature)."""
        return self._key.sign(message)

    def signature_line(self, text: str) -> str:
        """``— name base64(key ID || signature)`` and a newline, for ``text``."""
        _check_text(text)
        signature = self._key.sign(text.encode("utf-8"))
        return f"{SIGNATURE_PREFIX}{self.name} {_b64encode(self.key_id + signature)}\n"

    def sign(self, text: str) -> str:
        """The whole signed note: ``text``, a blank line and this key's signature line."""
        return text + "\n" + self.signature_line(text)


def _check_text(text: str) -> None:
    if not text or not text.endswith("\n"):
        raise NoteMalformed(N_("a note's text must be non-empty and end with a newline"))
    bad = _control_character(text)
    if bad is not None:
        raise NoteMalformed(N_("a note's text must not hold control character U+{code:04X} "
                               "(at offset {offset})"), {"code": ord(text[bad]), "offset": bad})


def _control_character(text: str) -> int | None:
    for offset, char in enumerate(text):
        if char < " " and char != "\n":
            return offset
    return None


@dataclass(frozen=True)
class NoteSignature:
    """One signature line of a note: the key's name, its 4-byte key ID, and the rest of the
    decoded bytes (for an Ed25519 note signer, the signature; for a cosigner, its timestamp
    and signature)."""

    name: str
    key_id: bytes
    signature: bytes

    def line(self) -> str:
        """The signature line as written in the note, with its newline."""
        return f"{SIGNATURE_PREFIX}{self.name} {_b64encode(self.key_id + self.signature)}\n"


def read_note(note: str | bytes) -> tuple[str, tuple[NoteSignature, ...]]:
    """The text of ``note`` and its signature lines, read strictly but not verified:
    :class:`VerificationFailed` says how a malformed note breaks the format."""
    text, lines = _split_note(_note_text(note))
    signatures = []
    for number, line in enumerate(lines, start=1):
        name, raw = _signature_line(number, line)
        signatures.append(NoteSignature(name, raw[:4], raw[4:]))
    return text, tuple(signatures)


def open_note(note: str | bytes, verifiers: Verifier | Sequence[Verifier]) -> str:
    """The text of ``note`` once a signature by one of ``verifiers`` checks out.

    Signatures by unknown keys (another name or key ID) are ignored, as the spec requires;
    a signature by a known key that fails rejects the whole note.
    """
    known = [verifiers] if isinstance(verifiers, Verifier) else list(verifiers)
    by_id = _by_key_id(known)
    text, signatures = read_note(note)
    text_bytes = text.encode("utf-8")
    verified: set[tuple[str, bytes]] = set()
    others: list[str] = []
    for signature in signatures:
        slot = (signature.name, signature.key_id)
        match = by_id.get(slot)
        if match is None:
            others.append(f"{signature.name}+{signature.key_id.hex()}")
            continue
        if slot in verified:
            continue
        if not match.verify(text_bytes, signature.signature):
            raise VerificationFailed(
                N_("signature by {name}+{key_id} does not verify: the note's text or the "
                   "signature was changed"), {"name": signature.name,
                                               "key_id": signature.key_id.hex()})
        verified.add(slot)
    if not verified:
        raise VerificationFailed(
            N_("note has no signature by a known key: expected {expected}, found {found}"),
            {"expected": ", ".join(f"{v.name}+{v.key_id.hex()}" for v in known) or "none",
             "found": ", ".join(others) or "none"})
    return text


def _by_key_id(known: Sequence[Verifier]) -> dict[tuple[str, bytes], Verifier]:
    """The known keys by name and key ID; two different keys may not share both."""
    by_id: dict[tuple[str, bytes], Verifier] = {}
    for verifier in known:
        slot = (verifier.name, verifier.key_id)
        if slot in by_id and by_id[slot] != verifier:
            raise VerificationFailed(N_("two known keys share name {name} and key ID {key_id}"),
                                     {"name": verifier.name, "key_id": verifier.key_id.hex()})
        by_id[slot] = verifier
    return by_id


def _note_text(note: str | bytes) -> str:
    """``note`` as text: valid UTF-8 without control characters but the newline."""
    if isinstance(note, bytes):
        try:
            note = note.decode("utf-8")
        except UnicodeDecodeError as error:
            raise VerificationFailed(N_("note is not valid UTF-8 (byte {offset})"),
                                     {"offset": error.start}) from None
    try:
        note.encode("utf-8")
    except UnicodeEncodeError as error:
        raise VerificationFailed(N_("note is not valid UTF-8 (character {offset})"),
                                 {"offset": error.start}) from None
    bad = _control_character(note)
    if bad is not None:
        raise VerificationFailed(N_("note holds control character U+{code:04X} at offset "
                                    "{offset}"), {"code": ord(note[bad]), "offset": bad})
    return note


def _split_note(note: str) -> tuple[str, list[str]]:
    """The note's text (up to and with its last newline before the blank line) and its
    signature lines, at most :data:`MAX_SIGNATURES`."""
    split = note.rfind("\n\n")
    if split < 0:
        raise VerificationFailed(N_("note has no blank line between its text and signatures"))
    text, block = note[: split + 1], note[split + 2:]
    if not block or not block.endswith("\n"):
        raise VerificationFailed(N_("note should end with signature lines, each ending with a "
                                    "newline"))
    lines = block[:-1].split("\n")
    if len(lines) > MAX_SIGNATURES:
        raise VerificationFailed(N_("note has {got} signatures, at most {limit} are accepted"),
                                 {"got": len(lines), "limit": MAX_SIGNATURES})
    return text, lines


def _signature_line(number: int, line: str) -> tuple[str, bytes]:
    """The key name of signature line ``number`` and its key ID and signature, as bytes."""
    if not line.startswith(SIGNATURE_PREFIX):
        raise VerificationFailed(
            N_("signature line {number} should start with an em dash and a space, got "
               "{line!r}"), {"number": number, "line": line[:40]})
    name, _, encoded = line[len(SIGNATURE_PREFIX):].partition(" ")
    try:
        raw = _b64decode(encoded)
    except (ValueError, binascii.Error):
        raw = b""
    if not is_valid_key_name(name) or len(raw) < 5:
        raise VerificationFailed(
            N_("signature line {number} should be a key name, a space and the base64 of a "
               "key ID and a signature, got {line!r}"), {"number": number, "line": line[:60]})
    return name, raw


def _checkpoint_problem(origin: str, size: int, root_hash: bytes,
                        extensions: Sequence[str]) -> tuple[str, dict[str, object]] | None:
    if not origin or "\n" in origin:
        return N_("checkpoint origin must be one non-empty line, got {got!r}"), {"got": origin}
    if size < 0:
        return N_("checkpoint size must not be negative, got {got}"), {"got": size}
    if len(root_hash) != 32:
        return (N_("checkpoint root hash has {got} bytes, expected 32"),
                {"got": len(root_hash)})
    for number, line in enumerate(extensions, start=4):
        if not line or "\n" in line:
            return (N_("checkpoint extension line {number} must be one non-empty line, got "
                       "{got!r}"), {"number": number, "got": line})
    return None


@dataclass(frozen=True)
class Checkpoint:
    """A log's signed statement of its size and root hash (C2SP tlog-checkpoint)."""

    origin: str
    size: int
    root_hash: bytes
    extensions: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        problem = _checkpoint_problem(self.origin, self.size, self.root_hash, self.extensions)
        if problem is not None:
            raise NoteMalformed(*problem)

    def to_text(self) -> str:
        lines = [self.origin, str(self.size), _b64encode(self.root_hash), *self.extensions]
        return "".join(line + "\n" for line in lines)

    @classmethod
    def from_text(cls, text: str) -> "Checkpoint":
        """Parse a checkpoint body strictly; :class:`VerificationFailed` says what is wrong."""
        if not text.endswith("\n"):
            raise VerificationFailed(N_("checkpoint text must end with a newline"))
        lines = text[:-1].split("\n")
        if len(lines) < 3:
            raise VerificationFailed(
                N_("checkpoint has {got} lines, expected at least 3 (origin, size, root hash)"),
                {"got": len(lines)})
        origin, size_text, root_text, *extensions = lines
        if not _SIZE.fullmatch(size_text):
            raise VerificationFailed(
                N_("checkpoint size should be a decimal number without leading zeros, got "
                   "{got!r}"), {"got": size_text})
        try:
            root_hash = _b64decode(root_text)
        except (ValueError, binascii.Error):
            raise VerificationFailed(N_("checkpoint root hash should be base64, got {got!r}"),
                                     {"got": root_text}) from None
        problem = _checkpoint_problem(origin, int(size_text), root_hash, extensions)
        if problem is not None:
            raise VerificationFailed(*problem)
        return cls(origin, int(size_text), root_hash, tuple(extensions))


def sign_checkpoint(checkpoint: Checkpoint, signer: Signer) -> str:
    """The signed note of ``checkpoint``; by convention its origin is the signer's name."""
    return signer.sign(checkpoint.to_text())


def open_checkpoint(note: str | bytes, verifiers: Verifier | Sequence[Verifier], *,
                    origin: str | None = None) -> Checkpoint:
    """Check the signature on a checkpoint note, then parse it (and check its origin if
    given)."""
    checkpoint = Checkpoint.from_text(open_note(note, verifiers))
    if origin is not None and checkpoint.origin != origin:
        raise VerificationFailed(N_("checkpoint is for log {got}, expected {expected}"),
                                 {"got": checkpoint.origin, "expected": origin})
    return checkpoint
