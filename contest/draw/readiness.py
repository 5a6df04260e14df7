"""What each step of the draw still waits for, and who must act.

The lifecycle (:mod:`contest.lifecycle`) says which step a stage allows; this module says what
else must be true first, so the draw desk can show a marketer what is missing and whom to
ask, and the draw service can refuse with the same words:

- **freeze**: the entries are closed; an auditor's fraud scan covers every entry received and
  the staff roster on file, and recounted the entry limits under the running rule of who is
  one person (so the freeze fixes no verdict counted by another rule); no flag is still
  open; the roster is loaded when the rules exclude employees; a commit-reveal draw has at
  least one commitment; every social network source the rules name was read after the
  close, whole or with its gap accepted for a public reason (:mod:`contest.sources.reading`).
- **randomness**: the public event the freeze named has happened (a drand round's time, the
  moment of announced public numbers); every committed party has revealed.
- **draw**: the published draw moment has come.
"""

import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from contest.draw.parties import INDEPENDENT
from contest.errors import Conflict
from contest.fraud.review import latest_scan, roster_fingerprint
from contest.i18n import N_, N_plural, Plural, translate
from contest.identity import EDITION
from contest.lifecycle import Action, Actor, Stage
from contest.models import (
    Commitment,
    Contest,
    DrawRecord,
    Entry,
    FlagStatus,
    FraudFlag,
    StaffMember,
)
from contest.randomness import RandomnessSource
from contest.rules.document import RulesDocument
from contest.rules.status import contest_stage, stage_of
from contest.rules.versions import find_published, require_logged, rules_of_version
from contest.sources.reading import latest_reads, social_sources


@dataclass(frozen=True)
class Missing:
    """One thing a draw step waits for: a stable code, who must act, and what to tell them."""

    code: str
    actor: Actor
    message: str | Plural
    params: dict[str, Any] = field(default_factory=dict)

    def text(self, language: str = "en") -> str:
        return translate(self.message, language, self.params)


class NotReady(Conflict):
    """A draw step was asked for before what it waits for is done."""

    code = "not_ready"

    def __init__(self, step: Action, missing: list[Missing]) -> None:
        super().__init__(N_("the {step} waits for: {missing}"),
                         {"step": step.value, "missing": "; ".join(m.text() for m in missing)})
        self.step = step
        self.missing = tuple(missing)

    def text(self, language: str = "en") -> str:
        return translate(N_("not yet: {missing}"), language,
                         {"missing": "; ".join(m.text(language) for m in self.missing)})


def missing_for_freeze(session: Session, contest: Contest, now: datetime) -> list[Missing]:
    """What the freeze still waits for (empty: it may go ahead)."""
    found = find_published(session, contest)
    if found is None:
        return [Missing("not_published", Actor.MARKETER, N_("publish the rules"))]
    rules = found.rules
    missing: list[Missing] = []
    if now < rules.period.closes_at:
        missing.append(Missing("not_closed", Actor.MARKETER,
                               N_("the entries close at {closes_at}"),
                               {"closes_at": rules.period.closes_at.isoformat()}))
    missing.extend(_sources_missing(session, contest, rules))
    roster = session.exec(select(func.count()).select_from(StaffMember).where(
        StaffMember.contest_id == contest.id)).one()
    if rules.exclusions.employees and roster == 0:
        missing.append(Missing("no_roster", Actor.AUDITOR,
                               N_("the rules exclude employees: load the staff roster")))
    entries = session.exec(select(func.count()).select_from(Entry).where(
        Entry.contest_id == contest.id)).one()
    scan = latest_scan(session, contest)
    if scan is None:
        missing.append(Missing("no_scan", Actor.AUDITOR,
                               N_plural("an auditor must scan the {count} entry for staff, "
                                        "relatives, proxies and duplicates",
                                        "an auditor must scan the {count} entries for staff, "
                                        "relatives, proxies and duplicates"),
                               {"count": entries}))
    else:
        unscanned = session.exec(select(func.count()).select_from(Entry).where(
            Entry.contest_id == contest.id, col(Entry.id) > scan.last_entry_id)).one()
        if unscanned:
            missing.append(Missing("scan_stale", Actor.AUDITOR,
                                   N_plural("an auditor must scan again: {count} entry came "
                                            "after the last scan",
                                            "an auditor must scan again: {count} entries came "
                                            "after the last scan"), {"count": unscanned}))
        elif scan.identity_edition != EDITION:
            missing.append(Missing("identity_changed", Actor.AUDITOR,
                                   N_("an auditor must scan again: who counts as one person "
                                      "changed after the last scan, and the scan recounts the "
                                      "entry limits")))
        elif scan.roster_sha256 != roster_fingerprint(session, contest):
            missing.append(Missing("roster_changed", Actor.AUDITOR,
                                   N_("an auditor must scan again: the staff roster changed "
                                      "after the last scan")))
    open_flags = session.exec(select(func.count()).select_from(FraudFlag).where(
        FraudFlag.contest_id == contest.id, FraudFlag.status == FlagStatus.OPEN.value)).one()
    if open_flags:
        missing.append(Missing("open_flags", Actor.AUDITOR,
                               N_plural("an auditor must confirm or dismiss {count} open flag",
                                        "an auditor must confirm or dismiss {count} open flags"),
                               {"count": open_flags}))
    if rules.selection.randomness == RandomnessSource.COMMIT_REVEAL and not session.exec(
            select(Commitment.id).where(Commitment.contest_id == contest.id,
                                        col(Commitment.party).in_(INDEPENDENT))).first():
        missing.append(Missing("no_independent_commitment", Actor.AUDITOR,
                               N_("a commit-reveal draw needs the commitment of a party the "
                                  "sponsor does not speak for (an auditor, a notary, the "
                                  "entrants' delegate or a witness), made before the close")))
    return missing


def _sources_missing(session: Session, contest: Contest,
                     rules: RulesDocument) -> list[Missing]:
    """What the social network sources still wait for: a read after the close, whole or
    with its gap accepted."""
    missing: list[Missing] = []
    reads = latest_reads(session, contest)
    for index, source in social_sources(rules.sources):
        read = reads.get(index)
        params = {"source": index + 1, "network": source.network.value}
        if read is None or read.read_at < rules.period.closes_at:
            missing.append(Missing(
                "source_unread", Actor.MARKETER,
                N_("read source {source} ({network}) after the close") if read is None else
                N_("read source {source} ({network}) again: its latest read was before the "
                   "close"), params))
        elif not read.complete and read.gap_reason is None:
            counts = ", ".join(f"{name} {count['read']}/{count['reported']}"
                               for name, count in read.counts.items())
            missing.append(Missing(
                "source_incomplete", Actor.MARKETER,
                N_("the read of source {source} ({network}) is incomplete ({counts}): read it "
                   "again or accept the gap with a public reason"), params | {"counts": counts}))
    return missing


def missing_for_randomness(session: Session, record: DrawRecord,
                           now: datetime) -> list[Missing]:
    """What taking the frozen draw's randomness still waits for."""
    plan = _plan(record)
    missing: list[Missing] = []
    due = plan.get("due_at")
    if due is not None and now < datetime.fromisoformat(due.replace("Z", "+00:00")):
        missing.append(Missing("randomness_not_due", Actor.MARKETER,
                               N_("the public randomness named at the freeze exists only from "
                                  "{due_at}"), {"due_at": due}))
    if record.randomness_source == RandomnessSource.COMMIT_REVEAL.value:
        waiting = session.exec(select(Commitment.party).where(
            Commitment.contest_id == record.contest_id,
            col(Commitment.secret_hex).is_(None)).order_by(col(Commitment.id))).all()
        if waiting:
            missing.append(Missing("reveals_missing", Actor.MARKETER,
                                   N_("the draw waits for: {parties}"),
                                   {"parties": ", ".join(waiting)}))
    return missing


def missing_for_draw(session: Session, record: DrawRecord, now: datetime) -> list[Missing]:
    """What the draw itself still waits for: the published draw moment."""
    rules = frozen_rules(session, record)
    if now < rules.period.draw_at:
        return [Missing("draw_not_due", Actor.MARKETER,
                        N_("the rules publish the draw for {draw_at}"),
                        {"draw_at": rules.period.draw_at.isoformat()})]
    return []


def frozen_rules(session: Session, record: DrawRecord) -> RulesDocument:
    """The rules version the freeze named: every later step takes its parameters from it."""
    return rules_of_version(session, record.rules_version_id)


def next_step(session: Session, contest: Contest, now: datetime) -> tuple[
        Stage, Action | None, list[Missing]]:
    """The contest's stage, the draw desk's next step in it, and what that step waits for.

    The desk acts under the contest's newest published rules, so they are first held against
    their fingerprint and the public log (raises :class:`~contest.errors.RulesTampered`)."""
    found = find_published(session, contest)
    if found is not None:
        require_logged(session, contest, found.version)
    record = session.exec(select(DrawRecord).where(DrawRecord.contest_id == contest.id)).first()
    if record is None:
        stage = contest_stage(session, contest, now)
        if stage == Stage.DRAFT:
            return stage, None, []
        return stage, Action.FREEZE, missing_for_freeze(session, contest, now)
    stage = stage_of(None, record, now)
    if stage == Stage.FROZEN:
        return stage, Action.TAKE_RANDOMNESS, missing_for_randomness(session, record, now)
    if stage == Stage.RANDOMNESS_TAKEN:
        return stage, Action.DRAW, missing_for_draw(session, record, now)
    return stage, None, []


def _plan(record: DrawRecord) -> dict[str, Any]:
    plan: dict[str, Any] = json.loads(record.randomness_plan_json)
    return plan
