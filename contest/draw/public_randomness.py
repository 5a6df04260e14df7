"""The randomness step of a draw as a person takes it, at the terminal
(``contest draw randomness``) or at the draw desk: one function for both.

The freeze's plan says which public randomness the draw waits for. For a drand draw the
person pastes the round's JSON from any relay, or (at the terminal) names relays to fetch it
from; for an RFC 3797 draw they bring the published numbers; a commit-reveal draw needs
nothing, its reveals are recorded already. :func:`~contest.draw.service.take_randomness`
then verifies the proof against the plan and records the value on the public log.
"""

import json
from collections.abc import Sequence
from datetime import datetime

from sqlmodel import Session

from contest.draw.service import find_draw, randomness_proof, take_randomness
from contest.ledger.note import Signer
from contest.models import Contest, DrawRecord
from contest.randomness import RandomnessSource
from contest.randomness.drand import QUICKNET, DrandRound, fetch_round, parse_round_json


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
