"""Offline verification of a draw bundle: trust nothing but mathematics and one public key.

``verify_bundle`` re-does every step of ``docs/PROTOCOL.md`` and raises
:class:`DrawNotVerifiable` naming the first check that fails:

1. the rules hash is the SHA-256 of the bundled rules' canonical JSON;
2. the tickets are distinct 32-hex-digit strings in ascending order, none also excluded;
3. the entries root is the RFC 6962 root over the tickets;
4. the randomness proof verifies and gives the bundled value, and it is what the freeze named;
5. the seed and the winners and alternates follow from contest-draw/1;
6. the checkpoint carries a valid signature of the log key;
7. the freeze and draw events are in the log under that checkpoint, the freeze first, and
   they say what the bundle says;
8. with witnesses named, the checkpoint carries a valid cosignature of each (C2SP
   tlog-cosignature), so no witness saw a log this one does not extend.

The bundle holds the freeze, not the entries' events it was made from: :func:`verify_freeze`
reads the log itself (C2SP tlog-tiles, every tile checked against the bundle's checkpoint)
and checks that the frozen tickets are the contest's logged accepted tickets less the logged
exclusions, each with its reasons, naming the first ticket missing or unexplained; then it
replays the contest's events as a monitor (:mod:`contest.ledger.monitor`).
"""

import json
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from contest.canonical import canonical_json, sha256_hex
from contest.draw.protocol import PROTOCOL, TICKET, DrawResult, draw, draw_seed, entries_root
from contest.errors import ContestError, DrawNotVerifiable, VerificationFailed
from contest.ledger.merkle import leaf_hash, verify_inclusion
from contest.ledger.monitor import replay
from contest.ledger.note import Checkpoint, Verifier, open_checkpoint
from contest.ledger.tally import Tally, freeze_problems
from contest.ledger.tile_client import read_log
from contest.randomness import SOURCES, RandomnessSource
from contest.randomness.drand import CHAINS
from contest.witness.cosignature import Cosignature, CosignatureVerifier, verify_cosignatures

CHECKS = ("rules", "tickets", "entries_root", "randomness", "seed", "winners", "checkpoint",
          "log", "witnesses")


@dataclass(frozen=True)
class Verified:
    contest: str
    winners: tuple[str, ...]
    alternates: tuple[str, ...]
    tree_size: int
    checks: tuple[str, ...] = CHECKS
    cosignatures: tuple[Cosignature, ...] = ()
    """The cosignatures of the witnesses required, in the order they were named."""


def _fail(check: str, message: str) -> DrawNotVerifiable:
    return DrawNotVerifiable("{check}: {message}", {"check": check, "message": message})


def _field(bundle: Mapping[str, Any], name: str, kind: type) -> Any:
    value = bundle.get(name)
    if not isinstance(value, kind):
        raise _fail("format", f"field {name!r} must be {kind.__name__}, "
                              f"got {type(value).__name__}")
    return value


def verify_bundle(bundle: Mapping[str, Any], *, verifier_key: str | None = None,
                  witnesses: Sequence[str] = ()) -> Verified:
    """Check ``bundle``; ``verifier_key`` pins the log key (default: the bundle's own);
    each of ``witnesses`` (verifier keys ``name+keyid+base64``) must have cosigned the
    bundle's checkpoint."""
    if bundle.get("protocol") != PROTOCOL:
        raise _fail("format", f"protocol must be {PROTOCOL!r}, got {bundle.get('protocol')!r}")
    contest = _field(bundle, "contest", str)
    rules, rules_sha256 = _hashed_rules(bundle)
    tickets, excluded = _tickets(bundle)
    root = entries_root(tickets).hex()
    if root != _field(bundle, "entries_root", str):
        raise _fail("entries_root", f"the tickets give root {root}, the bundle says "
                                    f"{bundle['entries_root']}")
    randomness = _field(bundle, "randomness", dict)
    value = _randomness(randomness)
    seed = draw_seed(bytes.fromhex(rules_sha256), bytes.fromhex(root), value)
    if seed.hex() != bundle.get("seed"):
        raise _fail("seed", f"the seed is {seed.hex()}, the bundle says {bundle.get('seed')}")
    result = _drawn(bundle, rules, tickets, seed)
    checkpoint = _checkpoint(bundle, verifier_key)
    freeze = _logged(bundle, checkpoint, expected_freeze={
        "type": "entries.frozen", "contest": contest, "rules_sha256": rules_sha256,
        "entries_root": root, "eligible": len(tickets), "excluded": excluded,
        "randomness": randomness.get("plan")}, expected_draw={
        "type": "draw.made", "contest": contest, "protocol": PROTOCOL,
        "rules_sha256": rules_sha256, "entries_root": root, "value": value.hex(),
        "seed": seed.hex(), "winners": list(result.winners),
        "alternates": list(result.alternates)})
    _randomness_was_unknown_at_freeze(randomness, freeze)
    _replacements(bundle, contest, list(result.winners), list(result.alternates),
                  bundle["draw_event"]["leaf_index"], checkpoint.size, checkpoint.root_hash)
    return Verified(contest, result.winners, result.alternates, checkpoint.size,
                    cosignatures=_cosignatures(bundle, witnesses))


@dataclass(frozen=True)
class FreezeChecked:
    """A freeze found to be the log's: ``tickets`` frozen and ``excluded`` left out are the
    contest's logged entries, whose ``events`` (all of the contest's) replayed clean."""

    log: str
    tickets: int
    excluded: int
    events: int


def verify_freeze(bundle: Mapping[str, Any], *, log_url: str,
                  verifier_key: str | None = None, timeout: float = 30.0) -> FreezeChecked:
    """Check ``bundle``'s freeze against the log served as C2SP tlog-tiles under ``log_url``
    (its tree as of the bundle's checkpoint, whose signature is checked with ``verifier_key``
    or the bundle's own). Raises :class:`DrawNotVerifiable`: ``log`` when the log cannot be
    read or is not the checkpoint's, ``freeze`` naming the first ticket missing or
    unexplained (or when the log has no entry to check the freeze against), ``monitor``
    naming the first of the contest's events not valid given the ones before it."""
    contest = _field(bundle, "contest", str)
    tickets, excluded = _tickets(bundle)
    checkpoint = _checkpoint(bundle, verifier_key)
    freeze = _field(bundle, "freeze_event", dict)
    try:
        leaves = read_log(log_url, checkpoint, timeout=timeout)
    except ContestError as failure:
        raise _fail("log", str(failure)) from None
    index = freeze.get("leaf_index")
    if (not isinstance(index, int) or isinstance(index, bool) or not 0 <= index < len(leaves)
            or leaves[index] != str(freeze.get("leaf")).encode("utf-8")):
        raise _fail("log", f"leaf {index!r} of the log is not the bundle's freeze event")
    rules = bundle.get("rules")
    replayed = replay(((number, event) for number, event in _events(leaves)
                       if event.get("contest") == contest),
                      rules_of=lambda slug, sha256: (
                          rules if (slug, sha256) == (contest, bundle.get("rules_sha256"))
                          and isinstance(rules, dict) else None))
    counted = replayed.entries.get(contest, Tally())
    if not counted.reasons and (tickets or excluded):
        raise _fail("freeze", f"the log holds no entry.accepted event of {contest} before the "
                              f"freeze (leaf {index}): the freeze cannot be checked against it")
    # What did not add up while replaying is the monitor's to name, at its leaf, below.
    problems = freeze_problems(Tally(counted.reasons), tickets=tickets, excluded=excluded)
    if problems:
        more = f" ({len(problems)} problems in all)" if len(problems) > 1 else ""
        raise _fail("freeze", problems[0] + more)
    findings = (*replayed.problems, *replayed.unchecked)
    if findings:
        raise _fail("monitor", str(findings[0]))
    return FreezeChecked(log_url, len(tickets), len(excluded), replayed.events)


def _events(leaves: Sequence[bytes]) -> Iterator[tuple[int, dict[str, Any]]]:
    """Each leaf as an event (a leaf that is no JSON object is no event of a contest)."""
    for number, leaf in enumerate(leaves):
        try:
            event = json.loads(leaf)
        except ValueError:
            continue
        if isinstance(event, dict):
            yield number, event


def _hashed_rules(bundle: Mapping[str, Any]) -> tuple[dict[str, Any], str]:
    """The bundled rules and their hash, which must be SHA-256 of their canonical JSON."""
    rules = _field(bundle, "rules", dict)
    rules_sha256 = _field(bundle, "rules_sha256", str)
    try:
        computed = sha256_hex(canonical_json(rules))
    except ValueError as problem:  # RFC 8785 has no form for it (a huge number, a NaN…)
        raise _fail("rules", f"the rules cannot be put in canonical JSON: {problem}") from None
    if computed != rules_sha256:
        raise _fail("rules", f"the rules hash to {computed}, the bundle says {rules_sha256}")
    return rules, rules_sha256


def _tickets(bundle: Mapping[str, Any]) -> tuple[list[str], list[dict[str, Any]]]:
    """The eligible tickets (distinct, ascending, of the ticket form) and the excluded ones
    (none also eligible)."""
    tickets: list[str] = _field(bundle, "tickets", list)
    for position, ticket in enumerate(tickets):
        if not isinstance(ticket, str) or not TICKET.fullmatch(ticket):
            raise _fail("tickets", f"ticket {position} is {ticket!r}, not 32 lowercase hex "
                                   "digits")
        if position and ticket <= tickets[position - 1]:
            raise _fail("tickets", f"ticket {position} ({ticket}) is not after ticket "
                                   f"{position - 1} ({tickets[position - 1]}): the list must "
                                   "be sorted ascending without repeats")
    excluded: list[dict[str, Any]] = _field(bundle, "excluded", list)
    for position, item in enumerate(excluded):
        if (not isinstance(item, dict) or not isinstance(item.get("ticket"), str)
                or not isinstance(item.get("reason"), str)):
            raise _fail("format", f"excluded item {position} is {item!r:.80}, not "
                                  "{\"ticket\": …, \"reason\": …} with text values")
    overlap = {item["ticket"] for item in excluded} & set(tickets)
    if overlap:
        raise _fail("tickets", f"ticket {sorted(overlap)[0]} is both eligible and excluded")
    return tickets, excluded


def _drawn(bundle: Mapping[str, Any], rules: Mapping[str, Any], tickets: list[str],
           seed: bytes) -> DrawResult:
    """The draw contest-draw/1 makes from ``seed``, which must be the bundle's."""
    winners_count, alternates_count = rules.get("winners"), rules.get("alternates")
    if not isinstance(winners_count, int) or not isinstance(alternates_count, int):
        raise _fail("rules", "the rules must give whole numbers of winners and alternates")
    result = draw(tickets, seed, winners_count, alternates_count)
    for name, expected in (("winners", result.winners), ("alternates", result.alternates)):
        got = tuple(_field(bundle, name, list))
        if got != expected:
            raise _fail("winners", f"the {name} are {list(expected)}, the bundle says "
                                   f"{list(got)}")
    return result


def _checkpoint(bundle: Mapping[str, Any], verifier_key: str | None) -> Checkpoint:
    """The bundled checkpoint, its signature checked with the pinned or the bundled key."""
    log = _field(bundle, "log", dict)
    if not isinstance(log.get("verifier_key"), str) or not isinstance(log.get("tree_size"), int):
        raise _fail("format", "field 'log' must hold a verifier_key (text) and a tree_size "
                              "(a whole number)")
    key = verifier_key or log["verifier_key"]
    if not isinstance(key, str):
        raise _fail("checkpoint", "no log verifier key in the bundle or given")
    try:
        return open_checkpoint(_field(bundle, "checkpoint", str), [Verifier.from_key(key)])
    except VerificationFailed as failure:
        raise _fail("checkpoint", str(failure)) from None


def _cosignatures(bundle: Mapping[str, Any],
                  witnesses: Sequence[str]) -> tuple[Cosignature, ...]:
    """The cosignature of each witness named on the bundle's checkpoint (whose log signature
    has been checked); the first witness without a valid one fails the check."""
    try:
        keys = [CosignatureVerifier.from_key(key) for key in witnesses]
        return verify_cosignatures(bundle["checkpoint"], keys)
    except VerificationFailed as failure:
        raise _fail("witnesses", str(failure)) from None


def _logged(bundle: Mapping[str, Any], checkpoint: Checkpoint, *,
            expected_freeze: Mapping[str, Any],
            expected_draw: Mapping[str, Any]) -> dict[str, Any]:
    """The freeze and draw events, in the checkpointed log in that order and saying what the
    bundle says; returns the logged freeze event."""
    frozen = _event(bundle, "freeze_event", checkpoint.size, checkpoint.root_hash)
    drawn = _event(bundle, "draw_event", checkpoint.size, checkpoint.root_hash)
    if bundle["freeze_event"]["leaf_index"] >= bundle["draw_event"]["leaf_index"]:
        raise _fail("log", "the draw event comes before the freeze event in the log")
    for name, event, wanted in (("freeze", frozen, expected_freeze),
                                ("draw", drawn, expected_draw)):
        for field, want in wanted.items():
            if event.get(field) != want:
                raise _fail("log", f"the logged {name} event says {field} = "
                                   f"{_short(event.get(field))}, the bundle says "
                                   f"{_short(want)}")
    return frozen


def _replacements(bundle: Mapping[str, Any], contest: str, winners: list[str],
                  alternates: list[str], after: int, size: int, root: bytes) -> None:
    """Each replacement is logged after the draw, of a winner at that moment, by the next
    unused alternate in order (none once they run out); ``current_winners`` is the result."""
    current, used, previous = list(winners), 0, after
    for position, item in enumerate(_field(bundle, "replacements", list)):
        name = f"replacement {position}"
        if not isinstance(item, dict):
            raise _fail("format", f"{name} must be an object")
        event = _event({name: item}, name, size, root)
        if item["leaf_index"] <= previous:
            raise _fail("replacements", f"{name} is logged at {item['leaf_index']}, not after "
                                        f"leaf {previous}")
        previous = item["leaf_index"]
        ticket = item.get("ticket")
        if ticket not in current:
            raise _fail("replacements", f"{name} replaces {ticket!r}, not a winner then")
        expected = alternates[used] if used < len(alternates) else None
        if item.get("replacement") != expected:
            raise _fail("replacements", f"{name} brings in {item.get('replacement')!r}, the next "
                                        f"unused alternate is {expected!r}")
        want = {"type": "winner.replaced", "contest": contest, "ticket": ticket,
                "reason": item.get("reason"), "replacement": expected}
        for field, value in want.items():
            if event.get(field) != value:
                raise _fail("log", f"the logged {name} says {field} = {_short(event.get(field))}"
                                   f", the bundle says {_short(value)}")
        spot = current.index(ticket)
        if expected is None:
            current.pop(spot)
        else:
            current[spot] = expected
            used += 1
    if _field(bundle, "current_winners", list) != current:
        raise _fail("replacements", f"the current winners are {current}, the bundle says "
                                    f"{_short(bundle['current_winners'])}")


def _randomness(randomness: Mapping[str, Any]) -> bytes:
    source = randomness.get("source")
    kind = next((known for known in RandomnessSource if known.value == source), None)
    if kind is None:
        raise _fail("randomness", f"unknown source {source!r}")
    proof = randomness.get("proof")
    if not isinstance(proof, dict):
        raise _fail("randomness", "the proof must be an object")
    plan = randomness.get("plan")
    if not isinstance(plan, dict):
        raise _fail("randomness", "the plan the freeze named must be an object")
    if kind == RandomnessSource.DRAND and (proof.get("round") != plan.get("round")
                                           or proof.get("chain_hash") != plan.get("chain_hash")):
        raise _fail("randomness", f"the freeze named round {plan.get('round')}, the proof is "
                                  f"round {proof.get('round')}")
    if kind == RandomnessSource.COMMIT_REVEAL and proof.get("commitments") != plan.get(
            "commitments"):
        raise _fail("randomness", "the commitments differ from those the freeze named")
    try:
        value = SOURCES[kind]().verify(proof)
    except VerificationFailed as failure:
        raise _fail("randomness", str(failure)) from None
    if value.hex() != randomness.get("value"):
        raise _fail("randomness", f"the proof gives value {value.hex()}, the bundle says "
                                  f"{randomness.get('value')}")
    return value


def _randomness_was_unknown_at_freeze(randomness: Mapping[str, Any],
                                      freeze: Mapping[str, Any]) -> None:
    """A drand round must be due after the freeze, so nobody knew it when the list was fixed."""
    plan = randomness.get("plan") or {}
    if randomness.get("source") != RandomnessSource.DRAND.value:
        return
    chain = CHAINS.get(str(plan.get("chain_hash")))
    if chain is None:
        raise _fail("randomness", f"unknown drand chain {plan.get('chain_hash')}")
    frozen_at = datetime.fromisoformat(str(freeze.get("at")).replace("Z", "+00:00"))
    due = chain.round_time(int(plan["round"]))
    if due <= frozen_at:
        raise _fail("randomness", f"drand round {plan['round']} was due at {due.isoformat()}, "
                                  f"before the freeze at {frozen_at.isoformat()}")


def _event(bundle: Mapping[str, Any], name: str, size: int, root: bytes) -> dict[str, Any]:
    item = _field(bundle, name, dict)
    leaf, index, proof = item.get("leaf"), item.get("leaf_index"), item.get("inclusion_proof")
    # JSON's true and false are no leaf index, though Python counts them as 1 and 0.
    if (not isinstance(leaf, str) or not isinstance(index, int) or isinstance(index, bool)
            or not isinstance(proof, list)):
        raise _fail("log", f"{name} needs leaf, leaf_index and inclusion_proof")
    try:
        hashes = [bytes.fromhex(h) for h in proof]
        verify_inclusion(leaf_hash(leaf.encode("utf-8")), index, size, hashes, root)
    except (ValueError, TypeError, VerificationFailed) as failure:
        raise _fail("log", f"{name} is not in the checkpointed log: {failure}") from None
    event: dict[str, Any] = json.loads(leaf)
    return event


def _short(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 80 else text[:77] + "..."

