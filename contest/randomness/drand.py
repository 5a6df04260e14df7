"""League of Entropy drand beacons: chains, rounds, their BLS verification and an HTTP client.

Standard: drand's ``bls-unchained-g1-rfc9380`` scheme, used by the ``quicknet`` chain. Round
``r`` is emitted at ``genesis_time + (r - 1) · period``; its signature is a BLS signature on
BLS12-381 G1 (48 bytes compressed) over ``SHA-256(r as 8-byte big-endian)``, hashed to the
curve per RFC 9380 with the DST ``BLS_SIG_BLS12381G1_XMD:SHA-256_SSWU_RO_NUL_``, verifiable
against the chain's G2 public key (96 bytes); the round's randomness is ``SHA-256(signature)``.

Nobody, not the sponsor and not us, can choose or foresee a future round: it is a threshold
signature of the League of Entropy members. Verification is two steps: the signature must be
a canonical encoding of a point in the prime-order subgroup (checked here, see
:mod:`contest.randomness._bls12_381`), then the pairing equation is checked by ``drand-verify``
(Python binding of the Rust verifier of the same name).
"""

import hashlib
import json
import urllib.error
import urllib.request
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import drand_verify

from contest.errors import RandomnessUnavailable, VerificationFailed
from contest.i18n import N_
from contest.json_input import json_mistake
from contest.randomness import _bls12_381
from contest.randomness._bls12_381 import PointError, Reason

SCHEME_G1_RFC9380 = "bls-unchained-g1-rfc9380"
DST_G1_RFC9380 = b"BLS_SIG_BLS12381G1_XMD:SHA-256_SSWU_RO_NUL_"
SIGNATURE_BYTES = 48
MAX_ROUND = 2**64 - 1

DEFAULT_RELAYS = (
    "https://api.drand.sh",
    "https://api2.drand.sh",
    "https://api3.drand.sh",
    "https://drand.cloudflare.com",
)

# A round answer is a few hundred bytes; more is not a drand relay.
_MAX_ANSWER_BYTES = 64 * 1024
_NOT_YET_STATUSES = (404, 425)


@dataclass(frozen=True)
class Chain:
    """A drand chain, named by the hash of its parameters (what relays index it by)."""

    name: str
    hash: str
    public_key: str
    scheme: str
    genesis_time: int
    period_seconds: int

    def round_time(self, round: int) -> datetime:
        """When round ``round`` (1-based) is emitted."""
        return datetime.fromtimestamp(self.genesis_time, UTC) + timedelta(
            seconds=(round - 1) * self.period_seconds
        )

    def round_at(self, moment: datetime) -> int:
        """The first round emitted at or after ``moment`` (an aware datetime)."""
        if moment.tzinfo is None:
            raise ValueError("round_at needs an aware datetime")
        since_genesis = moment - datetime.fromtimestamp(self.genesis_time, UTC)
        microseconds = since_genesis // timedelta(microseconds=1)
        if microseconds <= 0:
            return 1
        period = self.period_seconds * 1_000_000
        return -(-microseconds // period) + 1


QUICKNET = Chain(
    name="quicknet",
    hash="52db9ba70e0cc0f6eaf7803dd07447a1f5477735fd3f661792ba94600c84e971",
    public_key=(
        "83cf0f2896adee7eb8b5f01fcad3912212c437e0073e911fb90022d3e760183c"
        "8c4b450b6a0a6c3ac6a5776a2d1064510d1fec758c921cc22b0e17e63aaf4bcb"
        "5ed66304de9cf809bd274ca73bab4af5a6e9c76a4bc09e76eae8991ef5ece45a"
    ),
    scheme=SCHEME_G1_RFC9380,
    genesis_time=1692803367,
    period_seconds=3,
)

CHAINS: Mapping[str, Chain] = {QUICKNET.hash: QUICKNET}


@dataclass(frozen=True)
class DrandRound:
    """One beacon round as a relay serves it: the number and the group's signature."""

    round: int
    signature: bytes

    @property
    def randomness(self) -> bytes:
        return hashlib.sha256(self.signature).digest()


_POINT_MESSAGES: Mapping[Reason, str] = {
    Reason.LENGTH: N_("drand round {round} signature has {got} bytes, expected {expected}"),
    Reason.NOT_COMPRESSED: N_(
        "drand round {round} signature is not a compressed G1 point (compression bit unset)"
    ),
    Reason.INFINITY: N_("drand round {round} signature is the point at infinity"),
    Reason.NON_CANONICAL: N_("drand round {round} signature is not a canonical G1 encoding"),
    Reason.NOT_ON_CURVE: N_("drand round {round} signature is not a point on BLS12-381 G1"),
    Reason.NOT_IN_SUBGROUP: N_(
        "drand round {round} signature is on the curve but not in the prime-order subgroup"
    ),
}


def verify_round(chain: Chain, round: DrandRound) -> bytes:
    """The round's 32-byte randomness, after checking its signature against ``chain``.

    Raises :class:`VerificationFailed` saying which check failed.
    """
    if chain.scheme != SCHEME_G1_RFC9380:
        raise VerificationFailed(
            N_("drand chain {chain} uses scheme {got}, expected {expected}"),
            {"chain": chain.name, "got": chain.scheme, "expected": SCHEME_G1_RFC9380},
        )
    if not 1 <= round.round <= MAX_ROUND:
        raise VerificationFailed(
            N_("drand round number must be between 1 and {max}, got {got}"),
            {"max": MAX_ROUND, "got": round.round},
        )
    try:
        _bls12_381.decode_g1(round.signature)
    except PointError as error:
        raise VerificationFailed(
            _POINT_MESSAGES[error.reason],
            {"round": round.round, "got": len(round.signature), "expected": SIGNATURE_BYTES},
        ) from error
    try:
        randomness_hex = drand_verify.verify_bls_unchained_g1_rfc9380(
            round.round, round.signature.hex(), chain.public_key
        )
    except ValueError as error:
        raise VerificationFailed(
            N_("drand round {round} signature does not verify against chain {chain}'s "
               "public key"),
            {"round": round.round, "chain": chain.name},
        ) from error
    if bytes.fromhex(randomness_hex) != round.randomness:
        # The binding and we disagree on what SHA-256(signature) is: never trust either.
        raise VerificationFailed(
            N_("drand round {round} randomness is {got}, expected {expected}"),
            {"round": round.round, "got": randomness_hex, "expected": round.randomness.hex()},
        )
    return round.randomness


def parse_round_json(text: str | bytes) -> DrandRound:
    """A round from the JSON a drand relay serves (``{"round": 1000, "signature": "…"}``).

    When ``randomness`` is present it must be SHA-256 of the signature. The signature itself
    is not verified here: see :func:`verify_round`.
    """
    if not (text.strip() if isinstance(text, str) else text.strip()):
        raise VerificationFailed(N_("the drand round is empty: paste the round's JSON as a "
                                    "drand relay serves it"))
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise VerificationFailed(N_("the drand round is not JSON: {problem}"),
                                 {"problem": json_mistake(error)}) from error
    except UnicodeDecodeError as error:
        raise VerificationFailed(N_("the drand round is not UTF-8 text"), {}) from error
    if not isinstance(document, dict):
        raise VerificationFailed(N_("the drand round must be a JSON object with its \"round\" "
                                    "and \"signature\""))
    return round_from_fields(document)


def round_from_fields(fields: Mapping[str, Any]) -> DrandRound:
    """A round from already-decoded JSON fields ``round``, ``signature`` and ``randomness``."""
    number = fields.get("round")
    if not isinstance(number, int) or isinstance(number, bool) or number < 1:
        raise VerificationFailed(
            N_("the drand round needs \"round\" as a positive whole number, got {got}"),
            {"got": json.dumps(number)},
        )
    signature = _hex_field(fields, "signature", number)
    round = DrandRound(number, signature)
    if "randomness" in fields:
        claimed = _hex_field(fields, "randomness", number)
        if claimed != round.randomness:
            raise VerificationFailed(
                N_("drand round {round} claims randomness {got}, but SHA-256 of its signature "
                   "is {expected}"),
                {"round": number, "got": claimed.hex(), "expected": round.randomness.hex()},
            )
    return round


def _hex_field(fields: Mapping[str, Any], name: str, number: int) -> bytes:
    value = fields.get(name)
    try:
        if not isinstance(value, str) or not value:
            raise ValueError(name)
        return bytes.fromhex(value)
    except ValueError as error:
        raise VerificationFailed(
            N_("drand round {round} needs \"{field}\" as hex, got {got}"),
            {"round": number, "field": name, "got": json.dumps(value)[:80]},
        ) from error


def fetch_round(
    chain: Chain,
    round: int,
    relays: Sequence[str] = DEFAULT_RELAYS,
    timeout: float = 5.0,
    *,
    now: datetime | None = None,
) -> DrandRound:
    """Round ``round`` of ``chain`` from the first relay that serves a verified copy.

    Tries ``relays`` in order (``GET {relay}/{chain hash}/public/{round}``); a relay that does
    not answer, answers nonsense or serves a signature that does not verify is skipped.
    Raises :class:`RandomnessUnavailable` when the round is not due yet or no relay served it.
    """
    due = chain.round_time(round)
    if due > (now or datetime.now(UTC)):
        raise RandomnessUnavailable(
            N_("drand round {round} is due at {due}"), {"round": round, "due": due.isoformat()}
        )
    failures: list[str] = []
    not_yet = False
    for relay in relays:
        url = f"{relay.rstrip('/')}/{chain.hash}/public/{round}"
        try:
            body = _get(url, timeout)
        except urllib.error.HTTPError as error:
            error.close()
            not_yet = not_yet or error.code in _NOT_YET_STATUSES
            failures.append(f"{relay}: HTTP {error.code}")
            continue
        except (urllib.error.URLError, OSError) as error:
            reason = getattr(error, "reason", None) or error
            failures.append(f"{relay}: {reason}")
            continue
        try:
            served = parse_round_json(body)
            if served.round != round:
                raise VerificationFailed(
                    N_("the relay served drand round {got}, expected {expected}"),
                    {"got": served.round, "expected": round},
                )
            verify_round(chain, served)
        except VerificationFailed as error:
            failures.append(f"{relay}: {error}")
            continue
        return served
    if not relays:
        failures.append("no relay configured")
    if not_yet:
        raise RandomnessUnavailable(
            N_("drand round {round} is due at {due} but no relay has it yet: {failures}"),
            {"round": round, "due": due.isoformat(), "failures": "; ".join(failures)},
        )
    raise RandomnessUnavailable(
        N_("no drand relay served round {round}: {failures}"),
        {"round": round, "failures": "; ".join(failures)},
    )


def _get(url: str, timeout: float) -> bytes:
    request = urllib.request.Request(
        url, headers={"Accept": "application/json", "User-Agent": "contest-auditor"}
    )
    with urllib.request.urlopen(request, timeout=timeout) as response:
        body: bytes = response.read(_MAX_ANSWER_BYTES + 1)
    if len(body) > _MAX_ANSWER_BYTES:
        raise OSError(f"answer longer than {_MAX_ANSWER_BYTES} bytes")
    return body
