"""Commit-reveal randomness among named parties (sponsor, auditor, entrants' delegate...).

Before the freeze each party publishes ``SHA-256(secret)`` (the commitment, hex); after it,
each reveals the secret. The draw's value is ``SHA-256(secret_1 || secret_2 || …)`` with the
secrets in commitment order. As long as one party chose its secret at random and kept it until
every commitment was public, nobody could steer the value. A party that refuses to reveal can
only stall the draw, which is why the waiting list is reported by name.

This is the classic hash-commitment coin flip (Blum 1981); the hash is SHA-256 (FIPS 180-4).
"""

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

from contest.errors import FieldError, InvalidInput, RandomnessUnavailable, VerificationFailed
from contest.i18n import N_, N_plural

MIN_SECRET_BYTES = 16
_DIGEST_HEX = 64


@dataclass(frozen=True)
class Commitment:
    """``party`` committed to a secret whose SHA-256 is ``digest`` (64 hex characters)."""

    party: str
    digest: str


@dataclass(frozen=True)
class Reveal:
    """``party`` revealed ``secret_hex`` (the secret's bytes, hex-encoded)."""

    party: str
    secret_hex: str


def commit(secret: bytes) -> str:
    """The commitment to publish for ``secret``: its SHA-256, lowercase hex."""
    if len(secret) < MIN_SECRET_BYTES:
        raise InvalidInput(N_plural("the commitment has {count} error",
                                    "the commitment has {count} errors"),
                           [_short("secret", secret)])
    return hashlib.sha256(secret).hexdigest()


def combine(commitments: Sequence[Commitment], reveals: Sequence[Reveal]) -> bytes:
    """The 32-byte value of the draw, once every committed party has revealed.

    Raises :class:`InvalidInput` for malformed commitments or reveals,
    :class:`VerificationFailed` when a reveal does not match its commitment or comes from a
    party that never committed, and :class:`RandomnessUnavailable` naming the parties the draw
    still waits for.
    """
    errors: list[FieldError] = []
    if not commitments:
        errors.append(FieldError("commitments", "required",
                                 N_("at least one party must commit")))
    committed: dict[str, str] = {}
    for index, commitment in enumerate(commitments):
        path = f"commitments.{index}"
        if not commitment.party.strip():
            errors.append(FieldError(f"{path}.party", "required", N_("is required")))
        elif commitment.party in committed:
            errors.append(FieldError(f"{path}.party", "duplicate",
                                     N_("party {party} already committed"),
                                     {"party": commitment.party}))
        digest = commitment.digest.lower()
        if len(digest) != _DIGEST_HEX or not _is_hex(digest):
            errors.append(FieldError(f"{path}.digest", "not_sha256",
                                     N_("must be {expected} hex characters, got {got}"),
                                     {"expected": _DIGEST_HEX, "got": repr(commitment.digest)}))
        committed.setdefault(commitment.party, digest)
    secrets: dict[str, bytes] = {}
    for index, reveal in enumerate(reveals):
        path = f"reveals.{index}"
        if reveal.party in secrets:
            errors.append(FieldError(f"{path}.party", "duplicate",
                                     N_("party {party} already revealed"),
                                     {"party": reveal.party}))
            continue
        try:
            secret = bytes.fromhex(reveal.secret_hex)
        except ValueError:
            errors.append(FieldError(f"{path}.secret_hex", "not_hex",
                                     N_("must be hex, got {got}"),
                                     {"got": repr(reveal.secret_hex[:80])}))
            continue
        if len(secret) < MIN_SECRET_BYTES:
            errors.append(_short(f"{path}.secret_hex", secret))
        secrets[reveal.party] = secret
    if errors:
        raise InvalidInput(N_plural("the commit-reveal draw has {count} error",
                                    "the commit-reveal draw has {count} errors"), errors)

    for party in secrets:
        if party not in committed:
            raise VerificationFailed(
                N_("party {party} revealed a secret but never committed; committed parties: "
                   "{committed}"),
                {"party": party, "committed": ", ".join(committed)},
            )
    for party, digest in committed.items():
        if party in secrets:
            got = hashlib.sha256(secrets[party]).hexdigest()
            if got != digest:
                raise VerificationFailed(
                    N_("party {party} revealed a secret whose SHA-256 is {got}, but committed "
                       "{expected}"),
                    {"party": party, "got": got, "expected": digest},
                )
    waiting = [party for party in committed if party not in secrets]
    if waiting:
        raise RandomnessUnavailable(
            N_("the draw waits for: {parties}"), {"parties": ", ".join(waiting)}
        )
    return hashlib.sha256(b"".join(secrets[party] for party in committed)).digest()


def _short(field: str, secret: bytes) -> FieldError:
    return FieldError(field, "secret_short",
                      N_("a secret needs at least {expected} bytes, got {got}"),
                      {"expected": MIN_SECRET_BYTES, "got": len(secret)})


def _is_hex(text: str) -> bool:
    return all(character in "0123456789abcdef" for character in text)
