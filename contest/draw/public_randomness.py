"""The randomness step of a draw as a person takes it, at the terminal
(``contest draw randomness``) or at the draw desk: one function for both.

The freeze's plan says which public randomness the draw waits for
(:func:`named_randomness` tells it as a person reads it: which drand round, which numbers,
and from when they exist). For a drand draw the desk or the terminal fetches the round from
the relays (the deployment's ``CONTEST_DRAND_RELAYS``), or the person pastes the round's JSON
from any relay; for an RFC 3797 draw they bring the published numbers; a commit-reveal draw
needs nothing, its reveals are recorded already.
:func:`~contest.draw.service.take_randomness` then verifies the proof against the plan and
records the value on the public log.
"""

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from contest.draw.service import find_draw, randomness_proof, take_randomness
from contest.ledger.note import Signer
from contest.models import Contest, DrawRecord
from contest.randomness import RandomnessSource
from contest.randomness.drand import (
    CHAINS,
    QUICKNET,
    DrandRound,
    fetch_round,
    parse_round_json,
)


@dataclass(frozen=True)
class NamedRandomness:
    """The public randomness a freeze named, as the desk and the results page tell it.

    ``published_at`` is when it exists (a drand round's time, the announced numbers'
    moment; none for commit-reveal, whose parties reveal when they do). A drand draw names its
    ``round`` and its chain (by name and hash); an RFC 3797 draw the codes of the
    ``announced`` numbers; a commit-reveal draw its ``parties``.
    """

    source: RandomnessSource
    published_at: datetime | None = None
    round: int | None = None
    chain_name: str = ""
    chain_hash: str = ""
    announced: tuple[str, ...] = ()
    parties: tuple[str, ...] = ()

    def is_out(self, now: datetime) -> bool:
        """Whether the randomness exists at ``now``."""
        return self.published_at is None or self.published_at <= now

    def round_url(self, relay: str) -> str:
        """Where ``relay`` (a drand relay's base address) serves the round."""
        return f"{relay.rstrip('/')}/{self.chain_hash}/public/{self.round}"


def named_randomness(record: DrawRecord) -> NamedRandomness:
    """What the freeze of ``record`` named as its public randomness."""
    plan = json.loads(record.randomness_plan_json)
    source = RandomnessSource(record.randomness_source)
    due = plan.get("due_at")
    published_at = datetime.fromisoformat(due.replace("Z", "+00:00")) if due else None
    if source == RandomnessSource.DRAND:
        chain = CHAINS.get(str(plan.get("chain_hash", "")).lower())
        number = int(plan["round"])
        return NamedRandomness(source, chain.round_time(number) if chain else published_at,
                               round=number, chain_name=chain.name if chain else "",
                               chain_hash=str(plan.get("chain_hash", "")))
    if source == RandomnessSource.RFC3797:
        codes = tuple(code.strip() for code in str(plan.get("announced", "")).split(",")
                      if code.strip())
        return NamedRandomness(source, published_at, announced=codes)
    return NamedRandomness(source, parties=tuple(
        str(item.get("party", "")) for item in plan.get("commitments", [])))


def take_public_randomness(session: Session, *, contest: Contest,
                           round_json: str | bytes | None = None, relays: Sequence[str] = (),
                           sources: Sequence[str] = (), now: datetime,
                           signer: Signer) -> DrawRecord:
    """Take the randomness the freeze of ``contest`` named, from what the person brought:
    ``round_json``, a drand round as a relay serves it (verified here), or else (``None``)
    the drand ``relays`` to fetch it from (none: nothing is fetched); ``sources``, the published
    numbers of an RFC 3797 draw (blank ones left out). What the plan does not ask for is
    ignored."""
    record = find_draw(session, contest)
    plan = json.loads(record.randomness_plan_json) if record else {}
    drand_round: DrandRound | None = None
    if plan.get("source") == RandomnessSource.DRAND.value:
        if round_json is not None:
            drand_round = parse_round_json(round_json)
        elif relays:
            drand_round = fetch_round(QUICKNET, int(plan["round"]), relays, now=now)
    proof = randomness_proof(plan, drand_round=drand_round, sources=sources)
    return take_randomness(session, contest=contest, proof=proof, now=now, signer=signer)
