"""Running a draw: freeze the eligible tickets, wait for public randomness, draw, replace.

Each step is a public log event (no personal data) followed by a signed checkpoint, so the
order of things — the list fixed and the randomness named before the randomness exists —
is on the record. Nobody can re-roll: a contest has one draw, and a disqualified winner is
replaced by the next unused alternate, in order.
"""

import hashlib
import json
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from itertools import pairwise
from typing import Any

from sqlalchemy import func, text, true
from sqlmodel import Session, col, select

from contest import audit
from contest.draw.parties import CommitParty, parties_for
from contest.draw.protocol import PROTOCOL, draw, draw_seed, entries_root, sorted_entries_root
from contest.draw.readiness import (
    NotReady,
    frozen_rules,
    missing_for_draw,
    missing_for_freeze,
    missing_for_randomness,
)
from contest.entries.confirmation import exclude_unconfirmed
from contest.entries.reconcile import require_agreement
from contest.errors import (
    AlreadyDone,
    FieldError,
    InvalidInput,
    NotFound,
    RandomnessUnavailable,
    RulesDoNotProvide,
    VerificationFailed,
)
from contest.i18n import N_, N_plural
from contest.ledger import events
from contest.ledger.note import Signer
from contest.ledger.store import append_event, integrate_pending, issue_checkpoint
from contest.lifecycle import Action, Stage, StageForbids, require
from contest.models import (
    Commitment,
    Contest,
    DrawRecord,
    Entry,
    ExcludedTicket,
    Replacement,
    Role,
    table_of,
)
from contest.randomness import SOURCES, RandomnessSource
from contest.randomness.commit_reveal import MIN_SECRET_BYTES
from contest.randomness.drand import QUICKNET, DrandRound
from contest.randomness.rfc3797 import announced_codes
from contest.rules.status import contest_stage
from contest.rules.versions import find_published, require_logged

DRAND_MARGIN = timedelta(minutes=1)
NAME_LENGTH = 200
NOTE_LENGTH = 2000
_SHA256_HEX = re.compile(r"[0-9a-f]{64}")


class ReplacementReason(StrEnum):
    """Why a drawn winner is replaced: the code the public log and the results show."""

    EMPLOYEE = "employee"
    RELATIVE = "relative"
    HOUSEHOLD = "household"
    PROXY = "proxy"
    DUPLICATE = "duplicate"
    INELIGIBLE = "ineligible"
    NO_CLAIM = "no_claim"
    DECLINED = "declined"
    UNREACHABLE = "unreachable"
    CONDITION_UNMET = "condition_unmet"
    """Checked again after the draw, no longer met a condition of the rules in the social
    network (:mod:`contest.draw.recheck`)."""
    BOT = "bot"
    """Entered by a script or a farm of made-up identities (the auditor confirmed a ``bot``
    flag, :mod:`contest.fraud.bots`, after the draw)."""


REPLACEMENT_LABELS: dict[ReplacementReason, str] = {
    ReplacementReason.EMPLOYEE: N_("works for the sponsor or an agency"),
    ReplacementReason.RELATIVE: N_("a relative of staff"),
    ReplacementReason.HOUSEHOLD: N_("shares a household with staff"),
    ReplacementReason.PROXY: N_("entered on behalf of staff"),
    ReplacementReason.DUPLICATE: N_("a duplicate entry"),
    ReplacementReason.INELIGIBLE: N_("does not meet the eligibility rules"),
    ReplacementReason.NO_CLAIM: N_("did not claim the prize in time"),
    ReplacementReason.DECLINED: N_("declined the prize"),
    ReplacementReason.UNREACHABLE: N_("could not be reached"),
    ReplacementReason.CONDITION_UNMET: N_("no longer met a condition of the rules in the "
                                          "social network when checked after the draw"),
    ReplacementReason.BOT: N_("entered by a script or a farm of made-up identities"),
}


def find_draw(session: Session, contest: Contest) -> DrawRecord | None:
    return session.exec(select(DrawRecord).where(DrawRecord.contest_id == contest.id)).first()


def _require_draw(session: Session, contest: Contest) -> DrawRecord:
    record = find_draw(session, contest)
    if record is None:
        raise NotFound(N_("the entries of {slug} are not frozen yet"), {"slug": contest.slug})
    return record


def commitments(session: Session, contest: Contest) -> list[Commitment]:
    """The parties' commitments of a commit-reveal draw, in commitment order."""
    return list(session.exec(select(Commitment).where(Commitment.contest_id == contest.id)
                             .order_by(col(Commitment.id))).all())


def commit(session: Session, *, contest: Contest, party: str, digest: str, now: datetime,
           signer: Signer, name: str = "", actor_id: int | None = None,
           role: Role | str | None = Role.ADMIN) -> Commitment:
    """A party commits SHA-256(secret) before the close (commit-reveal draws): once the
    entries are known, whoever knows every secret could grind one that picks a winner.

    ``party`` is a :class:`CommitParty` code, once per contest: a marketer (``role``) records
    the sponsor's side only, an auditor the independent parties; the operator (an admin)
    either. ``name`` (who speaks for the party) is kept in the private audit trail only.
    """
    require(Action.COMMIT, contest_stage(session, contest, now), slug=contest.slug, role=role)
    found = find_published(session, contest)
    if found is None or found.rules.selection.randomness != RandomnessSource.COMMIT_REVEAL:
        raise RulesDoNotProvide(N_("the rules of {slug} do not use commit-reveal randomness"),
                                {"slug": contest.slug})
    code, digest, name = party.strip().lower(), digest.strip().lower(), name.strip()
    errors: list[FieldError] = []
    if not code:
        errors.append(FieldError("party", "required", N_("is required")))
    elif code not in set(CommitParty):
        errors.append(FieldError("party", "invalid_choice",
                                 N_("must be one of {choices}, got {value}"),
                                 {"choices": ", ".join(CommitParty), "value": code[:40]}))
    elif code not in parties_for(role):
        errors.append(FieldError("party", "not_your_party",
                                 N_("{party} is not a party your role records; ask an auditor "
                                    "for the independent parties"), {"party": code}))
    elif any(row.party == code for row in commitments(session, contest)):
        errors.append(FieldError("party", "duplicate", N_("party {party} already committed"),
                                 {"party": code}))
    if len(name) > NAME_LENGTH:
        errors.append(FieldError("name", "too_long", N_("must be at most {limit} characters"),
                                 {"limit": NAME_LENGTH}))
    if not _SHA256_HEX.fullmatch(digest):
        errors.append(FieldError("digest", "not_sha256",
                                 N_("must be {expected} hex characters, got {got}"),
                                 {"expected": 64, "got": repr(digest[:80])}))
    if errors:
        raise InvalidInput(N_plural("the commitment has {count} error",
                                    "the commitment has {count} errors"), errors)
    row = Commitment(contest_id=contest.id or 0, party=code, digest=digest, committed_at=now)
    session.add(row)
    session.flush()
    audit.record(session, actor_id=actor_id, action="draw.commit", subject=f"contest:"
                 f"{contest.slug}", now=now, detail={"party": code, "name": name})
    append_event(session, event=events.randomness_committed(
        contest=contest.slug, party=row.party, digest=row.digest, at=now), now=now, signer=signer)
    issue_checkpoint(session, signer=signer, now=now)
    return row


def freeze(session: Session, *, contest: Contest, now: datetime, signer: Signer,
           actor_id: int | None = None, announced_sources: str = "",
           announced_at: datetime | None = None) -> DrawRecord:
    """Fix the eligible tickets at the close and name the randomness before it exists.

    Only a closed contest is frozen, and only once an auditor's scan covers every entry and
    no flag is open (:func:`contest.draw.readiness.missing_for_freeze`). An RFC 3797 draw names
    its public numbers (``announced_sources``: codes of
    :data:`contest.randomness.rfc3797.PUBLIC_NUMBERS`) and the moment they are published
    (``announced_at``, in the future).
    """
    require(Action.FREEZE, contest_stage(session, contest, now), slug=contest.slug)
    missing = missing_for_freeze(session, contest, now)
    if missing:
        raise NotReady(Action.FREEZE, missing)
    found = find_published(session, contest)
    assert found is not None, "a closed contest has published rules"
    version, rules = found.version, found.rules
    # The freeze puts this fingerprint on the log: it must be the one published there.
    require_logged(session, contest, version)
    plan = _randomness_plan(session, contest, rules.selection.randomness, now,
                            announced_sources, announced_at)
    # The close applies the confirmation asked of entrants (the log hears of each entry
    # that no longer counts) before the list is read.
    exclude_unconfirmed(session, contest=contest, rules=rules, signer=signer, now=now)
    tickets, root = _frozen_tickets(session, contest)
    excluded = _excluded_tickets(session, contest)
    # What is fixed must be what the log says (every entry accepted is on it by now).
    integrate_pending(session, signer=signer)
    require_agreement(session, contest, tickets=tickets, excluded=excluded)
    leaf = append_event(session, event=events.entries_frozen(
        contest=contest.slug, rules_sha256=version.sha256, entries_root=root,
        eligible=len(tickets), excluded=[item.to_data() for item in excluded], randomness=plan,
        at=now), now=now, signer=signer)
    _fast_compression(session)
    record = DrawRecord(
        contest_id=contest.id or 0, rules_version_id=version.id or 0, rules_sha256=version.sha256,
        frozen_at=now, frozen_by_id=actor_id, entries_root=root,
        randomness_source=rules.selection.randomness.value,
        randomness_plan_json=json.dumps(plan), freeze_leaf_index=leaf.leaf_index)
    record.tickets, record.excluded = tickets, excluded
    session.add(record)
    session.flush()
    issue_checkpoint(session, signer=signer, now=now)
    return record


# The eligible tickets are read in slices by their first hex digit, each slice a single string
# from the database (group_concat, string_agg): a fraction of the cost of a million rows.
_SLICE_BOUNDS = "123456789abcdef"


def _frozen_tickets(session: Session, contest: Contest) -> tuple[list[str], str]:
    """The contest's eligible tickets in ascending order and their entries root (hex).

    A national promotion freezes a million tickets, so each slice is hashed while the next
    is read (see :func:`sorted_entries_root`). Should entries be accepted between the count
    and the slices, the tickets are read again in one statement.
    """
    entries = table_of(Entry)
    # "= true" rather than "IS TRUE": PostgreSQL only takes the former as an index condition.
    eligible = (entries.c.contest_id == contest.id, entries.c.eligible == true())
    connection = session.connection()
    expected = connection.execute(select(func.count()).select_from(entries)
                                  .where(*eligible)).scalar_one()

    def slices() -> Iterator[list[str]]:
        for low, high in pairwise([None, *_SLICE_BOUNDS, None]):
            bounded = [*eligible]
            if low is not None:
                bounded.append(entries.c.ticket >= low)
            if high is not None:
                bounded.append(entries.c.ticket < high)
            ordered = select(entries.c.ticket).where(*bounded).order_by(entries.c.ticket)
            joined = connection.execute(select(func.aggregate_strings(
                ordered.subquery().c.ticket, "\n"))).scalar_one()
            yield joined.split("\n") if joined else []

    tickets, root = sorted_entries_root(slices(), expected=expected)
    if len(tickets) != expected:
        tickets = sorted(connection.execute(select(entries.c.ticket).where(*eligible)).scalars())
        root = entries_root(tickets)
    return tickets, root.hex()


def _fast_compression(session: Session) -> None:
    """PostgreSQL compresses the frozen list (33 MB for a million tickets) with pglz by
    default, which costs a second; lz4, where the server has it, costs a tenth of that."""
    if session.get_bind().dialect.name != "postgresql":
        return
    connection = session.connection()
    if connection.execute(text("SELECT 'lz4' = ANY(enumvals) FROM pg_settings "
                               "WHERE name = 'default_toast_compression'")).scalar():
        connection.execute(text("SET LOCAL default_toast_compression = 'lz4'"))


def _excluded_tickets(session: Session, contest: Contest) -> list[ExcludedTicket]:
    """Every ineligible ticket with its reason codes, in ticket order."""
    entries = table_of(Entry)
    rows = session.connection().execute(
        select(entries.c.ticket, entries.c.reasons)
        .where(entries.c.contest_id == contest.id, entries.c.eligible.is_(False))
        .order_by(entries.c.ticket))
    return [ExcludedTicket(ticket, tuple(reasons)) for ticket, reasons in rows]


def _randomness_plan(session: Session, contest: Contest, source: RandomnessSource,
                     now: datetime, announced_sources: str,
                     announced_at: datetime | None) -> dict[str, Any]:
    if source == RandomnessSource.DRAND:
        round_number = QUICKNET.round_at(now + DRAND_MARGIN)
        return {"source": source.value, "chain_hash": QUICKNET.hash, "round": round_number,
                "due_at": events.moment(QUICKNET.round_time(round_number))}
    if source == RandomnessSource.COMMIT_REVEAL:
        rows = session.exec(select(Commitment).where(Commitment.contest_id == contest.id)
                            .order_by(col(Commitment.id))).all()
        assert rows, "missing_for_freeze waits for an independent party's commitment"
        return {"source": source.value,
                "commitments": [{"party": r.party, "digest": r.digest} for r in rows]}
    errors: list[FieldError] = []
    codes = announced_codes(announced_sources)
    if isinstance(codes, FieldError):
        errors.append(codes)
    if announced_at is None:
        errors.append(FieldError("announced_at", "required", N_(
            "say when those numbers are published: the randomness is taken only after that")))
    elif announced_at.tzinfo is None or announced_at <= now:
        errors.append(FieldError("announced_at", "not_future", N_(
            "the numbers must be published after the freeze ({now}), got {got}"),
            {"now": events.moment(now), "got": announced_at.isoformat()}))
    if errors or announced_at is None or isinstance(codes, FieldError):
        raise InvalidInput(N_plural("the freeze has {count} error",
                                    "the freeze has {count} errors"), errors)
    # Codes from a closed list, never the words typed: the plan is on the public log.
    return {"source": source.value, "announced": ", ".join(codes),
            "due_at": events.moment(announced_at)}


def reveal(session: Session, *, contest: Contest, party: str, secret_hex: str,
           now: datetime) -> None:
    """A party reveals its secret after the freeze; it must match the party's commitment."""
    require(Action.REVEAL, contest_stage(session, contest, now), slug=contest.slug)
    row = session.exec(select(Commitment).where(
        Commitment.contest_id == contest.id, Commitment.party == party.strip().lower())).first()
    if row is None:
        raise NotFound(N_("no commitment by {party}"), {"party": party})
    if row.secret_hex is not None:
        raise AlreadyDone(N_("party {party} has already revealed"), {"party": row.party})
    try:
        secret = bytes.fromhex(secret_hex.strip())
    except ValueError:
        raise InvalidInput(N_plural("the reveal has {count} error",
                                    "the reveal has {count} errors"), [FieldError(
            "secret", "not_hex", N_("must be hex, got {got}"),
            {"got": repr(secret_hex[:80])})]) from None
    if len(secret) < MIN_SECRET_BYTES:
        raise InvalidInput(N_plural("the reveal has {count} error",
                                    "the reveal has {count} errors"), [FieldError(
            "secret", "secret_short", N_("a secret needs at least {expected} bytes, got {got}"),
            {"expected": MIN_SECRET_BYTES, "got": len(secret)})])
    if hashlib.sha256(secret).hexdigest() != row.digest:
        raise VerificationFailed(
            N_("party {party} revealed a secret whose SHA-256 is {got}, but committed "
               "{expected}"),
            {"party": row.party, "got": hashlib.sha256(secret).hexdigest(),
             "expected": row.digest})
    row.secret_hex, row.revealed_at = secret.hex(), now
    session.add(row)
    session.flush()


def randomness_proof(plan: Mapping[str, Any], *, drand_round: DrandRound | None = None,
                     sources: Sequence[str] = ()) -> dict[str, Any]:
    """The proof :func:`take_randomness` checks, from what the operator brought: the drand
    round (fetched or pasted) or the published numbers. Commit-reveal proofs come from the
    recorded reveals, so they need nothing here."""
    if plan.get("source") == RandomnessSource.DRAND.value:
        if drand_round is None:
            raise RandomnessUnavailable(N_("paste or fetch drand round {round}"),
                                        {"round": plan.get("round")})
        return {"chain_hash": plan["chain_hash"], "round": drand_round.round,
                "signature": drand_round.signature.hex()}
    if plan.get("source") == RandomnessSource.RFC3797.value:
        return {"sources": [source.strip() for source in sources if source.strip()]}
    return {}


def take_randomness(session: Session, *, contest: Contest, proof: Mapping[str, Any],
                    now: datetime, signer: Signer) -> DrawRecord:
    """Verify the public randomness against the freeze's plan and record its value."""
    require(Action.TAKE_RANDOMNESS, contest_stage(session, contest, now), slug=contest.slug)
    record = _require_draw(session, contest)
    missing = missing_for_randomness(session, record, now)
    if missing:
        raise NotReady(Action.TAKE_RANDOMNESS, missing)
    plan = json.loads(record.randomness_plan_json)
    proof = dict(proof)
    if record.randomness_source == RandomnessSource.DRAND.value:
        if proof.get("round") != plan["round"] or proof.get("chain_hash") != plan["chain_hash"]:
            raise VerificationFailed(
                N_("the freeze named drand round {expected} of chain {chain}, got round {got}"),
                {"expected": plan["round"], "chain": plan["chain_hash"],
                 "got": proof.get("round")})
    elif record.randomness_source == RandomnessSource.COMMIT_REVEAL.value:
        rows = session.exec(select(Commitment).where(Commitment.contest_id == contest.id)
                            .order_by(col(Commitment.id))).all()
        proof = {"commitments": plan["commitments"],
                 "reveals": [{"party": r.party, "secret": r.secret_hex} for r in rows]}
    value = SOURCES[RandomnessSource(record.randomness_source)]().verify(proof)
    record.randomness_proof_json = json.dumps(proof)
    record.value = value.hex()
    session.add(record)
    append_event(session, event=events.randomness_revealed(
        contest=contest.slug, source=record.randomness_source, value=record.value, proof=proof,
        at=now), now=now, signer=signer)
    issue_checkpoint(session, signer=signer, now=now)
    return record


def make_draw(session: Session, *, contest: Contest, now: datetime, signer: Signer,
              actor_id: int | None = None) -> DrawRecord:
    """Draw winners and alternates by ``contest-draw/1``; only once per contest, not before
    the published draw moment, and with the numbers of winners and alternates of the rules
    version the freeze named (no later amendment can reach the draw)."""
    stage = contest_stage(session, contest, now)
    if stage == Stage.DRAWN:
        raise StageForbids(N_("{slug} is already drawn; a draw is never repeated"),
                           {"slug": contest.slug})
    require(Action.DRAW, stage, slug=contest.slug)
    record = _require_draw(session, contest)
    missing = missing_for_draw(session, record, now)
    if missing:
        raise NotReady(Action.DRAW, missing)
    rules = frozen_rules(session, record)
    assert record.value is not None, "randomness is taken in this stage"
    seed = draw_seed(bytes.fromhex(record.rules_sha256), bytes.fromhex(record.entries_root),
                     bytes.fromhex(record.value))
    result = draw(record.tickets, seed, rules.winners, rules.alternates)
    leaf = append_event(session, event=events.draw_made(
        contest=contest.slug, protocol=PROTOCOL, rules_sha256=record.rules_sha256,
        entries_root=record.entries_root, value=record.value, seed=seed.hex(),
        winners=result.winners, alternates=result.alternates, at=now), now=now, signer=signer)
    record.seed, record.drawn_at, record.drawn_by_id = seed.hex(), now, actor_id
    record.winners, record.alternates = result.winners, result.alternates
    record.draw_leaf_index = leaf.leaf_index
    session.add(record)
    issue_checkpoint(session, signer=signer, now=now)
    return record


def current_winners(session: Session, record: DrawRecord) -> list[str]:
    """The winners after every replacement, in order."""
    return [ticket for ticket in winner_places(session, record) if ticket is not None]


def winner_places(session: Session, record: DrawRecord) -> list[str | None]:
    """Who holds each place drawn (place 1 first) after every replacement: a replaced winner's
    place goes to the alternate who came in, or stays empty (``None``) when none was left."""
    places: list[str | None] = list(record.winners)
    for replaced in placed_replacements(session, record):
        places[replaced.place - 1] = replaced.replacement
    return places


@dataclass(frozen=True)
class PlacedReplacement:
    """A winner replaced, in the order it happened: the place (1-based), the ticket, the
    reason's code, the moment, and the alternate who came in (None: none was left)."""

    place: int
    ticket: str
    reason: str
    at: datetime
    replacement: str | None


def placed_replacements(session: Session, record: DrawRecord) -> list[PlacedReplacement]:
    """Every replacement of ``record``'s winners with the place it concerned."""
    places: list[str | None] = list(record.winners)
    found = []
    for row in replacements_of(session, record):
        if row.ticket in places:
            place = places.index(row.ticket) + 1
            places[place - 1] = row.replacement
            found.append(PlacedReplacement(place, row.ticket, row.reason, row.at,
                                           row.replacement))
    return found


def replacements_of(session: Session, record: DrawRecord) -> list[Replacement]:
    return list(session.exec(select(Replacement).where(Replacement.draw_id == record.id)
                             .order_by(col(Replacement.id))))


def replace_winner(session: Session, *, contest: Contest, ticket: str, reason: str,
                   now: datetime, signer: Signer, actor_id: int | None = None,
                   note: str = "", checked: bool = False) -> Replacement:
    """Disqualify a winner; the next unused alternate, in order, takes the place.

    ``reason`` is a :class:`ReplacementReason` code, public; ``note`` (the auditor's own
    words) stays in the private audit trail. ``condition_unmet`` says a network's check
    found a condition unmet: only the check after the draw gives it (``checked``), never a
    person by hand.
    """
    require(Action.REPLACE_WINNER, contest_stage(session, contest, now), slug=contest.slug)
    record = _require_draw(session, contest)
    # One problem at a time is found, so the heading counts none ("has 1 errors").
    not_replaced = N_("the winner was not replaced")
    code, ticket = reason.strip().lower(), ticket.strip().lower()
    if code not in set(ReplacementReason):
        raise InvalidInput(not_replaced, [FieldError(
            "reason", "invalid_choice", N_("must be one of {choices}, got {value}"),
            {"choices": ", ".join(ReplacementReason), "value": code[:40]})])
    if code == ReplacementReason.CONDITION_UNMET and not checked:
        raise InvalidInput(not_replaced, [FieldError(
            "reason", "reason_checked_only",
            N_("{value} is given only by the check of the conditions after the draw"),
            {"value": code})])
    if len(note) > NOTE_LENGTH:
        raise InvalidInput(not_replaced, [FieldError(
            "note", "too_long", N_("must be at most {limit} characters"),
            {"limit": NOTE_LENGTH})])
    if ticket not in current_winners(session, record):
        raise InvalidInput(not_replaced, [FieldError(
            "ticket", "not_a_winner", N_("{ticket} is not among the current winners"),
            {"ticket": ticket[:40]})])
    used = session.exec(select(func.count()).select_from(Replacement).where(
        Replacement.draw_id == record.id, col(Replacement.replacement).is_not(None))).one()
    alternates = record.alternates
    replacement = alternates[used] if used < len(alternates) else None
    leaf = append_event(session, event=events.winner_replaced(
        contest=contest.slug, ticket=ticket, reason=code, replacement=replacement, at=now),
        now=now, signer=signer)
    audit.record(session, actor_id=actor_id, action="draw.replace",
                 subject=f"contest:{contest.slug}", now=now,
                 detail={"ticket": ticket, "reason": code, "note": note.strip()})
    row = Replacement(draw_id=record.id or 0, ticket=ticket, reason=code,
                      replacement=replacement, at=now, by_id=actor_id,
                      leaf_index=leaf.leaf_index)
    session.add(row)
    session.flush()
    issue_checkpoint(session, signer=signer, now=now)
    return row
