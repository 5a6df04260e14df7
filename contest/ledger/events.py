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


def entry_accepted(*, contest: str, ticket: str, rules_sha256: str, channel: str,
                   reasons: Sequence[str], at: datetime,
                   adopted: bool = False) -> dict[str, Any]:
    """An entry was accepted: its ticket, the rules it entered under, the channel it came
    through (``form``, ``api``, ``csv``…), the reason codes that already keep it from
    counting (``[]``: it counts), and the moment it was received, to the second.

    ``adopted``: the entry was accepted before entries were logged, and is put on the log
    later (``contest log adopt-entries``), as the leaf says (``"adopted": true``)."""
    event = {"type": "entry.accepted", "contest": contest, "ticket": ticket,
             "rules_sha256": rules_sha256, "channel": str(channel), "reasons": sorted(reasons),
             "at": moment(at.replace(microsecond=0))}
    return {"adopted": True, **event} if adopted else event


def entry_recounted(*, contest: str, ticket: str, reasons: Sequence[str],
                    at: datetime) -> dict[str, Any]:
    """An accepted entry's limits were counted again (an entry of the same person came in
    with an earlier moment, or an exclusion freed an allowance): its reason codes are now
    ``reasons`` (``[]``: it counts)."""
    return {"type": "entry.recounted", "contest": contest, "ticket": ticket,
            "reasons": sorted(reasons), "at": moment(at.replace(microsecond=0))}


def entries_imported(*, contest: str, file_sha256: str, rows: int, accepted: int,
                     eligible: int, ineligible: int, already_imported: int, rejected: int,
                     after_close: bool, role: str, at: datetime) -> dict[str, Any]:
    """Entries gathered elsewhere were imported: the file's hash and the counts, who (a role,
    never a name) and when; never a row."""
    return {"type": "entries.imported", "contest": contest, "file_sha256": file_sha256,
            "rows": rows, "accepted": accepted, "eligible": eligible, "ineligible": ineligible,
            "already_imported": already_imported, "rejected": rejected,
            "after_close": after_close, "role": role, "at": moment(at)}


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


def complaint_acknowledged(*, contest: str, number: int, kind: str, received_at: datetime,
                           due_at: datetime) -> dict[str, Any]:
    """A complaint arrived and was acknowledged with its deadline (who sent it, and what it
    says, stay private)."""
    return {"type": "complaint.acknowledged", "contest": contest, "number": number,
            "kind": kind, "received_at": moment(received_at), "due_at": moment(due_at),
            "at": moment(received_at)}


def complaint_extended(*, contest: str, number: int, previous_due_at: datetime,
                       due_at: datetime, at: datetime) -> dict[str, Any]:
    """A complaint's deadline was moved later; the person was told why (the reason stays
    between the auditor and them)."""
    return {"type": "complaint.extended", "contest": contest, "number": number,
            "previous_due_at": moment(previous_due_at), "due_at": moment(due_at),
            "at": moment(at)}


def complaint_answered(*, contest: str, number: int, kind: str, received_at: datetime,
                       first_due_at: datetime, due_at: datetime, public: bool,
                       at: datetime) -> dict[str, Any]:
    """A complaint was answered; ``on_time`` says whether by the deadline in force, and
    ``first_due_at`` is the one first promised, so an extension shows."""
    return {"type": "complaint.answered", "contest": contest, "number": number, "kind": kind,
            "received_at": moment(received_at), "first_due_at": moment(first_due_at),
            "due_at": moment(due_at), "on_time": at <= due_at, "public": public,
            "at": moment(at)}


def source_read(*, contest: str, source: int, network: str,
                lists: Sequence[Mapping[str, Any]], complete: bool, entrants: int, taken: int,
                unmet: int, problems: Mapping[str, int], at: datetime) -> dict[str, Any]:
    """A social network source of the rules (``source``: its place in the rules' list, 0
    first) was read: each list's count as the network reports it (``null``: it reports
    none) against the count read, whether every list was read whole, how many people the
    read found, how many of them became new entries, how many did not meet a condition, and
    how many each problem kept from a check (reason codes); never an account or a name."""
    return {"type": "source.read", "contest": contest, "source": source, "network": network,
            "lists": [dict(item) for item in lists], "complete": complete,
            "entrants": entrants, "taken": taken, "unmet": unmet,
            "problems": dict(sorted(problems.items())), "at": moment(at)}


def source_gap_accepted(*, contest: str, source: int, read_leaf: int, reason: str,
                        at: datetime) -> dict[str, Any]:
    """A marketer accepted that the read at log index ``read_leaf`` of source ``source`` is
    incomplete, for the public reason ``reason`` (a code)."""
    return {"type": "source.gap_accepted", "contest": contest, "source": source,
            "read_leaf": read_leaf, "reason": reason, "at": moment(at)}


def condition_checked(*, contest: str, ticket: str, role: str, condition: str, result: str,
                      reason: str, at: datetime) -> dict[str, Any]:
    """A drawn winner's or alternate's (``role``) condition was checked again before the
    results were published: ``met``, ``unmet`` or ``unknown`` with the network's reason
    code."""
    return {"type": "condition.checked", "contest": contest, "ticket": ticket, "role": role,
            "condition": condition, "result": result, "reason": reason, "at": moment(at)}
