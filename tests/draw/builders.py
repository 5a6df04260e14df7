"""Contests closed and drawn for tests, with each kind of public randomness."""

import copy
import dataclasses
import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlmodel import Session, col, select

from contest.draw.protocol import entries_root as draw_entries_root
from contest.draw.service import (
    DRAND_MARGIN,
    commit,
    freeze,
    make_draw,
    reveal,
    take_randomness,
)
from contest.fraud.review import Decision, decide, flag_queue, scan_contest
from contest.ledger import events
from contest.ledger.note import Signer
from contest.ledger.store import append_event, contest_events, issue_checkpoint
from contest.ledger.tally import ENTRY_EVENTS, tally
from contest.models import (
    Channel,
    Contest,
    DrawRecord,
    Entry,
    ExcludedTicket,
    RulesVersion,
    StaffMember,
)
from contest.randomness import RandomnessSource
from contest.randomness.drand import QUICKNET
from contest.rules.document import Selection
from contest.rules.versions import PublishedContest, find_published
from tests.builders import SIGNER, log_publication, make_contest, make_entry, rules_document

VECTORS = json.loads((Path(__file__).parent / "vectors" / "drand.json").read_text())
ROUND = next(r for r in VECTORS["rounds"] if r["round"] == 1_000_000)
DUE = QUICKNET.round_time(ROUND["round"])
CLOSES = DUE - timedelta(minutes=2)
SCANNED = CLOSES + timedelta(seconds=1)
FREEZE = DUE - timedelta(seconds=61)
# Two parties' secrets for commit-reveal draws, and published numbers for RFC 3797 ones.
SECRETS = {"sponsor": "11" * 16, "auditor": "22" * 16}
LOTTERY = ["9319", "2 5 12 8 10", "9 18 26 34 41 45"]


def closed_contest(session: Session, entrants: int = 30,
                   source: RandomnessSource = RandomnessSource.DRAND, reviewed: bool = True,
                   winners: int = 3, alternates: int = 2, slug: str = "winter-giveaway",
                   **rules: Any) -> Contest:
    """A contest whose entries closed at :data:`CLOSES`, its draw published for :data:`DUE`;
    every tenth entrant is under age. ``reviewed``: its staff roster is loaded and an auditor
    scanned the entries just after the close (finding nothing), as the freeze requires."""
    opens = CLOSES - timedelta(days=10)
    document = rules_document(opens_at=opens, closes_at=CLOSES, winners=winners,
                              alternates=alternates,
                              selection=Selection(randomness=source), **rules)
    document = dataclasses.replace(document, period=dataclasses.replace(
        document.period, draw_at=DUE))
    contest, version = make_contest(session, slug=slug, rules=document,
                                    now=CLOSES - timedelta(days=11))
    assert version is not None
    log_publication(session, contest, version)  # as publishing does: the log's first event
    for number in range(entrants):
        make_entry(session, PublishedContest(contest, version, document),
                   data={"full_name": f"Anna Smith{number}", "email": f"p{number}@example.com",
                         "birth_date": "1990-01-01" if number % 10 else "2015-01-01",
                         "country": "US"},
                   # The live channel refuses the under-age: they come in a file.
                   channel=Channel.API if number % 10 else Channel.CSV, idempotency_key=None,
                   now=CLOSES - timedelta(hours=entrants - number))
    session.commit()
    if reviewed:
        review(session, contest)
    return contest


STAFF_EMAIL = "olga@snowfall.example"


def review(session: Session, contest: Contest, *, confirm_staff: bool = False) -> None:
    """Load a one-person staff roster, scan the entries just after the close, and dismiss
    what the scan finds among the look-alike test entrants (Anna Smith0, Anna Smith1…);
    ``confirm_staff``: confirm the flags on the staff member's own entries instead."""
    session.add(StaffMember(contest_id=contest.id or 0, staff_id="S1", full_name="Olga Ivanova",
                            email=STAFF_EMAIL, phone="+12125550100"))
    session.flush()
    scan_contest(session, contest=contest, now=SCANNED)
    queue = flag_queue(session, contest=contest, limit=1000)
    staff = [item.flag.id or 0 for item in queue
             if confirm_staff and item.entry.email == STAFF_EMAIL]
    found = [item.flag.id or 0 for item in queue if item.flag.id not in staff]
    if staff:
        decide(session, contest=contest, flag_ids=staff, decision=Decision.CONFIRM,
               reason="", actor_id=None, now=SCANNED, signer=SIGNER)
    if found:
        decide(session, contest=contest, flag_ids=found, decision=Decision.DISMISS,
               reason="numbered test entrants, not one person", actor_id=None, now=SCANNED,
               signer=SIGNER)
    session.commit()


def drawn(session: Session, signer: Signer,
          source: RandomnessSource = RandomnessSource.DRAND, **closed: Any) -> Contest:
    """A closed contest (:func:`closed_contest`, given ``closed``), frozen, its randomness
    taken and its winners drawn."""
    contest = closed_contest(session, source=source, **closed)
    draw_closed(session, signer, contest, source)
    return contest


def draw_closed(session: Session, signer: Signer, contest: Contest,
                source: RandomnessSource = RandomnessSource.DRAND, *,
                frozen: bool = False) -> None:
    """Freeze ``contest`` (closed at :data:`CLOSES`; ``frozen``: already), take its
    ``source``'s randomness and draw its winners, as :func:`drawn` does."""
    proof: dict[str, Any] = {}
    announced, announced_at = "", None
    if source == RandomnessSource.COMMIT_REVEAL:
        for party, secret in SECRETS.items():
            commit(session, contest=contest, party=party, now=CLOSES - timedelta(days=1),
                   digest=hashlib.sha256(bytes.fromhex(secret)).hexdigest(), signer=signer)
    elif source == RandomnessSource.RFC3797:
        announced, announced_at = "us-ny-lotto", DUE
    if not frozen:
        freeze(session, contest=contest, now=FREEZE, signer=signer,
               announced_sources=announced, announced_at=announced_at)
    if source == RandomnessSource.DRAND:
        proof = {"chain_hash": QUICKNET.hash, "round": ROUND["round"],
                 "signature": ROUND["signature"]}
    elif source == RandomnessSource.COMMIT_REVEAL:
        for party, secret in SECRETS.items():
            reveal(session, contest=contest, party=party, secret_hex=secret, now=DUE)
    else:
        proof = {"sources": LOTTERY}
    take_randomness(session, contest=contest, now=DUE + timedelta(seconds=5), signer=signer,
                    proof=proof)
    make_draw(session, contest=contest, now=DUE + timedelta(seconds=10), signer=signer)
    session.commit()


@dataclass(frozen=True)
class LoggedDraw:
    contest: Contest
    dropped: str | None
    """The logged eligible ticket a dishonest freeze left out, if any."""


def logged_draw(session: Session, signer: Signer, *, drop_one: bool = False,
                staff_entrant: bool = False, **closed: Any) -> LoggedDraw:
    """A contest drawn as :func:`drawn` draws one, whose whole road is on the log: its rules'
    publication, one ``entry.accepted`` event per entry taken (with its ticket and reason
    codes), the auditor's decisions, the freeze, the randomness and the draw.

    ``staff_entrant``: a staff member enters too, and the auditor confirms the flag on her
    entry (an ``auditor.decision`` that excludes it).

    ``drop_one``: the freeze leaves out one logged eligible ticket, as a server running
    other code would (:func:`dishonest_freeze`); the rest of the draw follows from it, so the
    bundle alone verifies."""
    contest = closed_contest(session, reviewed=False, **closed)
    version = session.exec(select(RulesVersion).where(
        RulesVersion.contest_id == contest.id)).one()
    if staff_entrant:
        found = find_published(session, contest)
        assert found is not None
        make_entry(session, found, data={"full_name": "Olga Ivanova", "email": STAFF_EMAIL,
                                         "birth_date": "1985-03-04", "country": "US"},
                   channel=Channel.API, now=CLOSES - timedelta(minutes=30))
        session.commit()
    taken = session.exec(select(Entry).where(Entry.contest_id == contest.id)
                         .order_by(col(Entry.id))).all()
    review(session, contest, confirm_staff=staff_entrant)
    dropped = None
    if drop_one:
        dropped = next(entry.ticket for entry in taken if entry.eligible)
        dishonest_freeze(session, signer, contest, version, leave_out=dropped)
    draw_closed(session, signer, contest, frozen=drop_one)
    return LoggedDraw(contest, dropped)


def dishonest_freeze(session: Session, signer: Signer, contest: Contest,
                     version: RulesVersion, *, leave_out: str) -> DrawRecord:
    """The freeze of a server that left ``leave_out`` out (neither frozen nor excluded),
    signed and recorded as the honest freeze would be: from the contest's logged entries, so
    it does not depend on where the honest freeze reads them."""
    issue_checkpoint(session, signer=signer, now=FREEZE)  # the entries pending, integrated
    counted = tally(contest_events(session, contest=contest.slug, types=ENTRY_EVENTS),
                    contest=contest.slug)
    tickets = [ticket for ticket in counted.eligible() if ticket != leave_out]
    excluded = [ExcludedTicket(ticket, tuple(sorted(reasons)))
                for ticket, reasons in sorted(counted.excluded().items())]
    root = draw_entries_root(tickets).hex()
    drand_round = QUICKNET.round_at(FREEZE + DRAND_MARGIN)
    plan = {"source": RandomnessSource.DRAND.value, "chain_hash": QUICKNET.hash,
            "round": drand_round, "due_at": events.moment(QUICKNET.round_time(drand_round))}
    leaf = append_event(session, event=events.entries_frozen(
        contest=contest.slug, rules_sha256=version.sha256, entries_root=root,
        eligible=len(tickets), excluded=[item.to_data() for item in excluded],
        randomness=plan, at=FREEZE), now=FREEZE, signer=signer)
    record = DrawRecord(contest_id=contest.id or 0, rules_version_id=version.id or 0,
                        rules_sha256=version.sha256, frozen_at=FREEZE, entries_root=root,
                        randomness_source=RandomnessSource.DRAND.value,
                        randomness_plan_json=json.dumps(plan), freeze_leaf_index=leaf.leaf_index)
    record.tickets, record.excluded = tuple(tickets), tuple(excluded)
    session.add(record)
    issue_checkpoint(session, signer=signer, now=FREEZE)
    session.commit()
    return record


# Each way of tampering with a bundle, and the check that must catch it.
TAMPERING = {
    "ticket": "tickets|entries_root", "order": "tickets", "seed": "seed", "winner": "winners",
    "signature": "checkpoint", "randomness": "randomness", "log_index_type": "log",
}


def tampered(bundle: dict[str, Any], change: str) -> dict[str, Any]:
    """A copy of ``bundle`` with one kind of :data:`TAMPERING` done to it."""
    copy_ = copy.deepcopy(bundle)
    if change == "ticket":
        copy_["tickets"][0] = "0" * 32
    elif change == "order":
        copy_["tickets"][0], copy_["tickets"][1] = copy_["tickets"][1], copy_["tickets"][0]
    elif change == "seed":
        copy_["seed"] = "00" * 32
    elif change == "winner":
        copy_["winners"][0] = copy_["alternates"][0]
    elif change == "signature":
        text = copy_["checkpoint"]
        head, _, line = text.rstrip("\n").rpartition(" ")
        copy_["checkpoint"] = f"{head} {('A' if line[0] != 'A' else 'B')}{line[1:]}\n"
    elif change == "randomness":
        copy_["randomness"]["proof"]["signature"] = VECTORS["rounds"][0]["signature"]
    elif change == "log_index_type":  # false for 0 (or true for 1): JSON says no number
        copy_["freeze_event"]["leaf_index"] = bool(copy_["freeze_event"]["leaf_index"])
    else:
        raise ValueError(change)
    return copy_


def unsaved_record(excluded_json: str = "[]") -> DrawRecord:
    """A draw record that is never stored, to read and write its lists."""
    return DrawRecord(contest_id=1, rules_version_id=1, rules_sha256="0" * 64,
                      frozen_at=datetime(2026, 1, 1, tzinfo=UTC), entries_root="0" * 64,
                      excluded_json=excluded_json, randomness_source="drand",
                      randomness_plan_json="{}", freeze_leaf_index=0)
