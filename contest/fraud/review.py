"""The auditor's review of fraud flags on a contest's stored entries.

:func:`scan_contest` recounts the entry limits of the whole contest, runs the
participant-graph scan (:mod:`contest.fraud.scan`) over the contest's entries, staff roster
and declared relatives and stores its flags on the entries that count; a new scan replaces
the open flags and keeps every decided one. :func:`decide` records an auditor's
decision, singly or in bulk: a confirmed flag makes its entry ineligible with the flag's kind
as the reason code (so the freeze lists it as excluded for that reason); a dismissal needs a
written reason. Each decision is an audit record (who, when, the written reason) and a log
event with the ticket and reason code only. The public sees nothing of this but the
freeze's count of excluded entries per reason code.
"""

import hashlib
import json
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, fields
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from contest.audit import record
from contest.entries.eligibility import EntrantKeys, apply_limits, exclude, set_aside
from contest.errors import AlreadyDone, FieldError, InvalidInput, NotFound
from contest.fraud.bots import throwaway_test
from contest.fraud.detectors import DETECTORS
from contest.fraud.people import RELATION_NAMES, Person, PersonKind, in_submission_order
from contest.fraud.scan import Progress, scan
from contest.i18n import N_, Message, N_plural, translate
from contest.identity.accounts import AccountProfile
from contest.identity.contacts import split_values
from contest.identity.ties import EDITION, limits_count
from contest.ledger import events
from contest.ledger.note import Signer
from contest.ledger.store import append_event, issue_checkpoint
from contest.lifecycle import Action, require
from contest.models import (
    AccountProfileRecord,
    Contest,
    DeclaredRelative,
    Entry,
    FlagStatus,
    FraudFlag,
    FraudScan,
    StaffMember,
    User,
)
from contest.rules.status import contest_stage
from contest.rules.versions import PublishedContest, find_published

KINDS = tuple(DETECTORS)
"""The flag kinds, which are also the reason codes of confirmed exclusions."""

REASON_LIMIT = 2000

STATUS_NAMES: dict[str, str] = {
    FlagStatus.OPEN: N_("waiting for a decision"),
    FlagStatus.CONFIRMED: N_("confirmed: the entry is excluded"),
    FlagStatus.DISMISSED: N_("dismissed: the entry stays")}
"""One flag's status in words."""


class Decision(StrEnum):
    CONFIRM = "confirm"
    DISMISS = "dismiss"


@dataclass(frozen=True)
class ScanSummary:
    """What one scan of a contest found: new open flags, and decided flags found again."""

    entries: int
    staff: int
    relatives: int
    open_flags: int
    already_decided: int
    by_kind: dict[str, int]
    seconds: float


@dataclass(frozen=True)
class QueuedFlag:
    """A flag as the auditor's queue shows it: the flag, its entry, and its evidence."""

    flag: FraudFlag
    entry: Entry

    @property
    def evidence(self) -> list[dict[str, str]]:
        edges: list[dict[str, str]] = json.loads(self.flag.evidence_json)
        return edges

    @property
    def beyond_limits(self) -> bool:
        """A duplicate the entry limits did not count (:mod:`contest.identity.ties`): a shared
        device, or a name, birth date and address alike, which the auditor weighs, while
        the entry's receipt says it is eligible until the flag is confirmed."""
        return self.flag.kind == "duplicate" and not limits_count(
            edge["label"] for edge in self.evidence)


def contest_people(session: Session, contest: Contest) -> tuple[
        list[Person], list[Person], list[Person]]:
    """The contest's entrants (in submission order, keyed by ticket, each with what the
    network said of their social account), staff and relatives."""
    facts = [fact.name for fact in fields(AccountProfile)]
    profiles = {
        row.account: AccountProfile(**{fact: getattr(row, fact) for fact in facts})
        for row in session.exec(select(AccountProfileRecord).where(
            AccountProfileRecord.contest_id == contest.id))}
    entrants = [
        Person(PersonKind.ENTRANT, entry.ticket, entry.full_name,
               emails=(entry.email,) if entry.email else (),
               phones=(entry.phone,) if entry.phone else (),
               accounts=(entry.account,) if entry.account else (), birth_date=entry.birth_date,
               address=entry.address or "", city=entry.city or "",
               postal_code=entry.postal_code or "", country=entry.country or "",
               ip=entry.ip or "", device_id=entry.device_id or "",
               user_agent=entry.user_agent or "", submitted_at=entry.submitted_at,
               ticket=entry.ticket, order=index,
               profile=profiles.get(entry.account) if entry.account else None,
               set_aside=set_aside(entry.reasons))
        for index, entry in enumerate(session.exec(
            select(Entry).where(Entry.contest_id == contest.id)
            .order_by(col(Entry.submitted_at), col(Entry.id))))]
    staff = [
        Person(PersonKind.STAFF, member.staff_id, member.full_name,
               emails=tuple(split_values(member.email)),
               phones=tuple(split_values(member.phone)),
               accounts=tuple(split_values(member.account)), birth_date=member.birth_date,
               address=member.address, city=member.city,
               postal_code=member.postal_code, country=member.country,
               staff_id=member.staff_id)
        for member in session.exec(select(StaffMember).where(
            StaffMember.contest_id == contest.id).order_by(col(StaffMember.staff_id)))]
    relatives = [
        Person(PersonKind.RELATIVE, f"{relative.staff_id}#{relative.id}", relative.full_name,
               emails=tuple(split_values(relative.email)),
               phones=tuple(split_values(relative.phone)),
               accounts=tuple(split_values(relative.account)), address=relative.address,
               city=relative.city,
               postal_code=relative.postal_code, country=relative.country,
               staff_id=relative.staff_id, relation=relative.relation)
        for relative in session.exec(select(DeclaredRelative).where(
            DeclaredRelative.contest_id == contest.id).order_by(col(DeclaredRelative.id)))]
    return in_submission_order(entrants), staff, relatives


def _run(session: Session, contest: Contest, progress: Progress | None,
         found: PublishedContest | None) -> tuple[
        list[Person], list[Person], list[Person], Any]:
    per_person, region = 1, None
    disposable: Callable[[str], bool] | None = None
    if found is not None:
        rules = found.rules
        per_person = rules.limits.per_person
        region = rules.eligibility.countries[0] if rules.eligibility.countries else None
        disposable = throwaway_test(rules.defences)
    entrants, staff, relatives = contest_people(session, contest)
    result = scan(entrants, staff, relatives, per_person=per_person, default_region=region,
                  progress=progress, disposable=disposable)
    return entrants, staff, relatives, result


def scan_contest(session: Session, *, contest: Contest, now: datetime,
                 actor_id: int | None = None,
                 progress: Progress | None = None) -> ScanSummary:
    """Scan the contest's entries and store the flags on entries that still count; record
    what the scan covered (the freeze asks for a scan of every entry received)."""
    require(Action.SCAN, contest_stage(session, contest, now), slug=contest.slug)
    found = find_published(session, contest)
    # The limits first, under the running rule of who is one person (a deploy may have
    # changed it since the verdicts were given): the scan judges the entries that count now,
    # including any the recount lets in, and the freeze asks for a scan that did this.
    recounted = {} if found is None else apply_limits(
        session, contest_id=contest.id or 0, rules=found.rules)
    entrants, staff, relatives, result = _run(session, contest, progress, found)
    # Read afresh: the limits update eligibility in bulk, behind the loaded rows' backs.
    entries = {entry.ticket: entry for entry in session.exec(
        select(Entry).where(Entry.contest_id == contest.id)
        .execution_options(populate_existing=True))}
    stored = session.exec(select(FraudFlag).where(FraudFlag.contest_id == contest.id)).all()
    decided = {(f.entry_id, f.kind, f.related_to) for f in stored
               if f.status != FlagStatus.OPEN}
    for flag in stored:
        if flag.status == FlagStatus.OPEN:
            session.delete(flag)
    session.flush()
    opened = Counter[str]()
    seen_decided = 0
    for flag in result.flags:
        entry = entries.get(flag.entry_id)
        if entry is None or entry.id is None:
            continue
        if (entry.id, flag.kind, flag.related_to) in decided:
            seen_decided += 1
            continue
        if not entry.eligible:
            continue  # already excluded for another reason: nothing to decide
        session.add(FraudFlag(
            contest_id=contest.id or 0, entry_id=entry.id, kind=flag.kind,
            score=round(flag.score, 3), related_to=flag.related_to,
            evidence_json=json.dumps(list(flag.evidence), ensure_ascii=False),
            found_at=now))
        opened[flag.kind] += 1
    session.add(FraudScan(
        contest_id=contest.id or 0, scanned_at=now, by_id=actor_id,
        last_entry_id=max((e.id or 0 for e in entries.values()), default=0),
        roster_sha256=roster_fingerprint(session, contest), identity_edition=EDITION))
    session.flush()
    summary = ScanSummary(
        entries=len(entrants), staff=len(staff), relatives=len(relatives),
        open_flags=sum(opened.values()), already_decided=seen_decided,
        by_kind={kind: opened.get(kind, 0) for kind in KINDS},
        seconds=float(result.stats["seconds"]))
    record(session, actor_id=actor_id, action="fraud.scan", subject=contest.slug, now=now,
           detail={"open_flags": summary.open_flags, "by_kind": summary.by_kind,
                   "verdicts_recounted": len(recounted)})
    return summary


def roster_fingerprint(session: Session, contest: Contest) -> str:
    """SHA-256 over the contest's staff roster and declared relatives as stored: a scan made
    with another roster does not cover the one on file now."""
    staff = [[m.staff_id, m.full_name, m.email, m.phone, str(m.birth_date or ""), m.address,
              m.city, m.postal_code, m.country, m.department, m.company, m.account]
             for m in session.exec(select(StaffMember).where(
                 StaffMember.contest_id == contest.id).order_by(col(StaffMember.staff_id)))]
    relatives = [[r.id, r.staff_id, r.full_name, r.relation, r.email, r.phone, r.address,
                  r.city, r.postal_code, r.country, r.account]
                 for r in session.exec(select(DeclaredRelative).where(
                     DeclaredRelative.contest_id == contest.id).order_by(col(DeclaredRelative.id)))]
    text = json.dumps([staff, relatives], ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def latest_scan(session: Session, contest: Contest) -> FraudScan | None:
    return session.exec(select(FraudScan).where(FraudScan.contest_id == contest.id)
                        .order_by(col(FraudScan.id).desc()).limit(1)).first()


def recheck(session: Session, *, contest: Contest, ticket: str) -> list[dict[str, object]]:
    """A fresh scan of the whole contest, answering for one entry (say, a winner someone
    complained about): its flags in the ``flags.json`` form, highest score first. Nothing is
    stored."""
    if session.exec(select(Entry.id).where(Entry.contest_id == contest.id,
                                           Entry.ticket == ticket)).first() is None:
        raise NotFound(N_("no entry with ticket {ticket} in {slug}"),
                       {"ticket": ticket, "slug": contest.slug})
    return recheck_tickets(session, contest=contest, tickets=[ticket])[ticket]


def recheck_tickets(session: Session, *, contest: Contest,
                    tickets: Sequence[str]) -> dict[str, list[dict[str, object]]]:
    """One fresh scan of the whole contest, answering for several entries: each ticket's
    flags in the ``flags.json`` form, highest score first. Nothing is stored."""
    result = _run(session, contest, None, find_published(session, contest))[3]
    found: dict[str, list[dict[str, object]]] = {ticket: [] for ticket in tickets}
    for flag in result.to_data()["flags"]:
        if flag["entry_id"] in found:
            found[flag["entry_id"]].append(flag)
    return found


def flag_queue(session: Session, *, contest: Contest, kind: str | None = None,
               status: FlagStatus = FlagStatus.OPEN, limit: int = 200,
               offset: int = 0) -> list[QueuedFlag]:
    """The contest's flags in ``status``, highest score first, optionally of one kind."""
    query = (select(FraudFlag, Entry).join(Entry, col(Entry.id) == FraudFlag.entry_id)
             .where(FraudFlag.contest_id == contest.id, FraudFlag.status == status.value))
    if kind:
        query = query.where(FraudFlag.kind == kind)
    rows = session.exec(query.order_by(col(FraudFlag.score).desc(), col(FraudFlag.kind),
                                       col(Entry.ticket)).offset(offset).limit(limit)).all()
    return [QueuedFlag(flag, entry) for flag, entry in rows]


def flag_counts(session: Session, *, contest: Contest) -> dict[str, dict[str, int]]:
    """``{status: {kind: count}}`` over the contest's flags."""
    counts: dict[str, dict[str, int]] = {status.value: dict.fromkeys(KINDS, 0)
                                         for status in FlagStatus}
    for status, kind, count in session.exec(
            select(FraudFlag.status, FraudFlag.kind, func.count())
            .where(FraudFlag.contest_id == contest.id)
            .group_by(FraudFlag.status, FraudFlag.kind)).all():
        counts.setdefault(status, {})[kind] = count
    return counts


def find_flag(session: Session, *, contest: Contest, flag_id: int) -> QueuedFlag:
    row = session.exec(select(FraudFlag, Entry).join(Entry, col(Entry.id) == FraudFlag.entry_id)
                       .where(FraudFlag.contest_id == contest.id,
                              FraudFlag.id == flag_id)).first()
    if row is None:
        raise NotFound(N_("no flag {number} in {slug}"), {"number": flag_id, "slug": contest.slug})
    return QueuedFlag(*row)


def decided_by(session: Session, *, flag: FraudFlag) -> User | None:
    """The auditor's account that decided ``flag``; None while it is open, or when it was
    decided on the command line (no account)."""
    return None if flag.decided_by_id is None else session.get(User, flag.decided_by_id)


def decide(session: Session, *, contest: Contest, flag_ids: Sequence[int], decision: Decision,
           reason: str, actor_id: int | None, now: datetime, signer: Signer) -> list[FraudFlag]:
    """Confirm or dismiss open flags. Confirming excludes each entry with the flag's kind as
    its reason code; dismissing needs a written reason. All or nothing."""
    reason = reason.strip()
    if not flag_ids:
        raise InvalidInput(N_plural("the decision has {count} error",
                                    "the decision has {count} errors"), [FieldError(
            "flags", "none_chosen", N_("choose at least one flag"))])
    if decision == Decision.DISMISS and not reason:
        raise InvalidInput(N_plural("the decision has {count} error",
                                    "the decision has {count} errors"), [FieldError(
            "reason", "required", N_("say why the flag is dismissed"))])
    if len(reason) > REASON_LIMIT:
        raise InvalidInput(N_plural("the decision has {count} error",
                                    "the decision has {count} errors"), [FieldError(
            "reason", "too_long", N_("at most {expected} characters, got {got}"),
            {"expected": REASON_LIMIT, "got": len(reason)})])
    require(Action.DECIDE_FLAG, contest_stage(session, contest, now), slug=contest.slug)
    chosen = [find_flag(session, contest=contest, flag_id=flag_id) for flag_id in flag_ids]
    for item in chosen:
        if item.flag.status != FlagStatus.OPEN:
            raise AlreadyDone(N_("flag {number} was already decided ({status})"),
                              {"number": item.flag.id,
                               "status": Message(STATUS_NAMES.get(item.flag.status,
                                                                  item.flag.status))})
    status = FlagStatus.CONFIRMED if decision == Decision.CONFIRM else FlagStatus.DISMISSED
    for item in chosen:
        flag, entry = item.flag, item.entry
        flag.status, flag.decided_at, flag.decided_by_id = status.value, now, actor_id
        flag.reason = reason
        session.add(flag)
        code = flag.kind if status == FlagStatus.CONFIRMED else "dismissed"
        if status == FlagStatus.CONFIRMED:
            exclude(entry, flag.kind)
            session.add(entry)
        record(session, actor_id=actor_id, action=f"flag.{status.value}", subject=entry.ticket,
               now=now, detail={"contest": contest.slug, "flag": flag.id, "kind": flag.kind,
                                "reason": reason})
        append_event(session, event=events.auditor_decided(
            contest=contest.slug, ticket=entry.ticket, decision=status.value, reason=code,
            at=now), now=now, signer=signer)
    freed = False
    if status == FlagStatus.CONFIRMED:
        found = find_published(session, contest)
        if found is not None:
            # An excluded entry no longer uses up its person's or household's allowance.
            excluded = [item.entry for item in chosen]
            changed = apply_limits(session, contest_id=contest.id or 0, rules=found.rules,
                                   people=EntrantKeys.of(excluded))
            freed = any(not reasons for reasons in changed.values())
    session.flush()
    issue_checkpoint(session, signer=signer, now=now)
    if freed:
        # An entry over the limit when the entries were scanned now counts (a staff member's
        # second entry, say): the scan never judged it, so scan again; its flags, if any,
        # wait for the auditor like the others, and the freeze waits for them.
        scan_contest(session, contest=contest, now=now, actor_id=actor_id)
    return [item.flag for item in chosen]


def node_names(session: Session, *, contest: Contest, nodes: Sequence[str],
               language: str = "en") -> dict[str, str]:
    """Display names for the person nodes among ``nodes`` (for the auditor, never public); a
    relative's tie is named in ``language``."""
    tickets, staff_ids, relative_ids = [], [], []
    for node in nodes:
        kind, _, key = node.partition(":")
        if kind == PersonKind.ENTRANT.value:
            tickets.append(key)
        elif kind == PersonKind.STAFF.value:
            staff_ids.append(key)
        elif kind == PersonKind.RELATIVE.value and key.rpartition("#")[2].isdigit():
            relative_ids.append(int(key.rpartition("#")[2]))
    names: dict[str, str] = {}
    if tickets:
        for ticket, name in session.exec(select(Entry.ticket, Entry.full_name).where(
                Entry.contest_id == contest.id, col(Entry.ticket).in_(tickets))):
            names[f"{PersonKind.ENTRANT.value}:{ticket}"] = name
    if staff_ids:
        for staff_id, name in session.exec(select(StaffMember.staff_id, StaffMember.full_name)
                                           .where(StaffMember.contest_id == contest.id,
                                                  col(StaffMember.staff_id).in_(staff_ids))):
            names[f"{PersonKind.STAFF.value}:{staff_id}"] = f"{name} ({staff_id})"
    if relative_ids:
        for relative in session.exec(select(DeclaredRelative).where(
                DeclaredRelative.contest_id == contest.id,
                col(DeclaredRelative.id).in_(relative_ids))):
            tie = RELATION_NAMES.get(relative.relation, relative.relation)
            names[f"{PersonKind.RELATIVE.value}:{relative.staff_id}#{relative.id}"] = (
                f"{relative.full_name} ({translate(tie, language)}, {relative.staff_id})")
    return names
