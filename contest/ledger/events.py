"""The public log's events: what each says, and nothing personal.

Each builder returns the plain JSON data of one event; the log stores its RFC 8785 bytes.
Moments are UTC ISO 8601 with a ``Z``; digests are lowercase hex.
"""

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any


def moment(value: datetime) -> str:
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z")


def rules_published(*, contest: str, version: int, rules_sha256: str, reason: str,
                    at: datetime) -> dict[str, Any]:
    return {"type": "rules.published" if version == 1 else "rules.amended", "contest": contest,
            "version": version, "rules_sha256": rules_sha256, "reason": reason, "at": moment(at)}


def randomness_committed(*, contest: str, party: str, digest: str,
                         at: datetime) -> dict[str, Any]:
    return {"type": "randomness.committed", "contest": contest, "party": party,
            "digest": digest, "at": moment(at)}


def entries_frozen(*, contest: str, rules_sha256: str, entries_root: str, eligible: int,
                   excluded: Sequence[Mapping[str, str]], randomness: Mapping[str, Any],
                   at: datetime) -> dict[str, Any]:
    return {"type": "entries.frozen", "contest": contest, "rules_sha256": rules_sha256,
            "entries_root": entries_root, "eligible": eligible,
            "excluded": [dict(item) for item in excluded], "randomness": dict(randomness),
            "at": moment(at)}


def randomness_revealed(*, contest: str, source: str, value: str, proof: Mapping[str, Any],
                        at: datetime) -> dict[str, Any]:
    return {"type": "randomness.revealed", "contest": contest, "source": source,
            "value": value, "proof": dict(proof), "at": moment(at)}


def draw_made(*, contest: str, protocol: str, rules_sha256: str, entries_root: str,
              value: str, seed: str, winners: Sequence[str], alternates: Sequence[str],
              at: datetime) -> dict[str, Any]:
    return {"type": "draw.made", "contest": contest, "protocol": protocol,
            "rules_sha256": rules_sha256, "entries_root": entries_root, "value": value,
            "seed": seed, "winners": list(winners), "alternates": list(alternates),
            "at": moment(at)}


def winner_replaced(*, contest: str, ticket: str, reason: str, replacement: str | None,
                    at: datetime) -> dict[str, Any]:
    return {"type": "winner.replaced", "contest": contest, "ticket": ticket, "reason": reason,
            "replacement": replacement, "at": moment(at)}


def auditor_decided(*, contest: str, ticket: str, decision: str, reason: str,
                    at: datetime) -> dict[str, Any]:
    """An auditor confirmed a flag (``reason`` is its kind: the entry is excluded for it) or
    dismissed one (``reason`` is ``dismissed``; the written reason stays private)."""
    return {"type": "auditor.decision", "contest": contest, "ticket": ticket,
            "decision": decision, "reason": reason, "at": moment(at)}
