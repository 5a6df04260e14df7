"""Filing, answering and extending complaints, and what the auditor and the public see.

A complaint is filed by anyone (the form on every contest page, or the JSON API) and gets at
once a number, a private link for the person to follow it, and a deadline counted in the
rules' business days (:mod:`contest.complaints.deadlines`). Its acknowledgement, any
extension and its answer are public log events with the number, kind and moments only. An
auditor may move a deadline later only with a reason the person is shown, and answers once,
publicly (the answer's text joins the contest's public record) or privately.

A complaint that a winner is staff or a front person asks for a re-check of the winners it
names in the participant graph; :func:`recheck_winners` runs it and attaches the result for
the auditor.
"""

import json
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import func
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from contest.audit import record
from contest.complaints.deadlines import due_at, end_of_day
from contest.complaints.kinds import KIND_LABELS, Kind
from contest.complaints.mail import mail_address
from contest.draw.service import current_winners, find_draw
from contest.entries.tickets import TICKET_PATTERN
from contest.errors import AlreadyDone, FieldError, InvalidInput, NotFound, TryAgain
from contest.fraud.review import recheck_tickets
from contest.i18n import N_, N_plural
from contest.ledger import events
from contest.ledger.note import Signer
from contest.ledger.store import append_event, issue_checkpoint
from contest.lifecycle import Action, require
from contest.models import (
    Complaint,
    ComplaintExtension,
    ComplaintStatus,
    Contest,
    Entry,
)
from contest.rules.document import RulesDocument
from contest.rules.publishing import is_published
from contest.rules.status import stage_of
from contest.text import text_error

CONTACT_LIMIT = 254
TEXT_LIMIT = 5000
FIELDS = ("contact", "ticket", "kind", "text")
"""What a person states; the moment and the deadline are the desk's."""


_ERRORS = N_plural("the complaint has {count} error", "the complaint has {count} errors")
_TICKET_IN_TEXT = re.compile(r"\b[0-9a-fA-F]{32}\b")


@dataclass(frozen=True)
class QueuedComplaint:
    """A complaint as the auditor's queue shows it."""

    complaint: Complaint
    now: datetime

    @property
    def overdue(self) -> bool:
        """Open after its deadline, or answered after it."""
        answered = self.complaint.answered_at
        return (answered or self.now) > self.complaint.due_at

    @property
    def kind_label(self) -> str:
        return KIND_LABELS.get(self.complaint.kind, self.complaint.kind)


@dataclass(frozen=True)
class ComplaintSummary:
    """The public figures of one contest's complaint desk."""

    received: int
    answered: int
    answered_on_time: int
    open: int
    overdue: int
    median_response: timedelta | None


def _text(data: Mapping[str, Any], name: str) -> str:
    value = data.get(name)
    return value.strip() if isinstance(value, str) else ""


def check_complaint(session: Session, contest: Contest,
                    data: Mapping[str, Any]) -> tuple[str, str | None, Kind, str]:
    """The complaint's fields, or :class:`InvalidInput` naming every one that is wrong.

    Only the text may have several lines; a field that is not text
    (:func:`~contest.text.refused_character`) is named for that alone."""
    errors: list[FieldError] = []
    refused: set[str] = set()
    for name in FIELDS:
        value = data.get(name)
        if value is not None and not isinstance(value, str):
            errors.append(FieldError(name, "not_a_string", N_("must be a string")))
        elif value and (error := text_error(name, value, one_line=name != "text")):
            errors.append(error)
            refused.add(name)
    contact, ticket, kind_text, text = (_text(data, name) for name in FIELDS)
    if "contact" in refused:
        pass
    elif not contact:
        errors.append(FieldError("contact", "required", N_(
            "say how we can answer you: an e-mail address, a phone number or a profile")))
    elif len(contact) > CONTACT_LIMIT:
        errors.append(FieldError("contact", "too_long", N_(
            "at most {expected} characters, got {got}"),
            {"expected": CONTACT_LIMIT, "got": len(contact)}))
    elif "@" in contact and not contact.startswith("@") and mail_address(contact) is None:
        errors.append(FieldError("contact", "invalid_email", N_(
            "\"{value}\" is not an email address"), {"value": contact}))
    if ticket and "ticket" not in refused:
        ticket = ticket.lower()
        if not TICKET_PATTERN.fullmatch(ticket):
            errors.append(FieldError("ticket", "invalid_ticket", N_(
                "a ticket is 32 letters a-f and digits, as on your receipt")))
        elif session.exec(select(Entry.id).where(Entry.contest_id == contest.id,
                                                 Entry.ticket == ticket)).first() is None:
            errors.append(FieldError("ticket", "unknown_ticket", N_(
                "no entry with this ticket in this contest")))
    kind: Kind | None = None
    if "kind" in refused:
        pass
    elif not kind_text:
        errors.append(FieldError("kind", "required", N_("choose what the complaint is about")))
    else:
        try:
            kind = Kind(kind_text)
        except ValueError:
            errors.append(FieldError("kind", "unknown_kind", N_(
                "\"{value}\" is not a kind of complaint; one of: {allowed}"),
                {"value": kind_text, "allowed": ", ".join(Kind)}))
    if "text" in refused:
        pass
    elif not text:
        errors.append(FieldError("text", "required", N_("say what happened")))
    elif len(text) > TEXT_LIMIT:
        errors.append(FieldError("text", "too_long", N_(
            "at most {expected} characters, got {got}"),
            {"expected": TEXT_LIMIT, "got": len(text)}))
    if errors:
        raise InvalidInput(_ERRORS, errors)
    assert kind is not None
    return contact, ticket or None, kind, text


def deadline(rules: RulesDocument, received_at: datetime) -> datetime:
    """When a complaint received at ``received_at`` must be answered under ``rules``."""
    countries = rules.eligibility.countries
    return due_at(received_at, rules.complaints.response_business_days,
                  country=countries[0] if countries else None,
                  timezone=rules.period.timezone)


def file_complaint(session: Session, *, contest: Contest, rules: RulesDocument,
                   data: Mapping[str, Any], language: str, now: datetime,
                   signer: Signer) -> Complaint:
    """Take a complaint: number it, set its deadline, log its acknowledgement."""
    require(Action.COMPLAIN, stage_of(rules, None, now), slug=contest.slug, role=None)
    contact, ticket, kind, text = check_complaint(session, contest, data)
    due = deadline(rules, now)
    if session.get_bind().dialect.name == "postgresql":
        # Numbers are per contest and without gaps: one complaint at a time per contest.
        session.exec(select(Contest.id).where(Contest.id == contest.id).with_for_update())
    for _attempt in range(5):
        number = (session.exec(select(func.max(Complaint.number)).where(
            Complaint.contest_id == contest.id)).one() or 0) + 1
        complaint = Complaint(
            contest_id=contest.id or 0, number=number, key=secrets.token_urlsafe(32),
            kind=kind.value, contact=contact, ticket=ticket, text=text, language=language,
            received_at=now, first_due_at=due, due_at=due)
        try:
            with session.begin_nested():
                session.add(complaint)
            break
        except IntegrityError:
            continue  # another complaint took the number meanwhile
    else:
        raise TryAgain(N_("the complaint desk is busy; send the complaint again"))
    append_event(session, event=events.complaint_acknowledged(
        contest=contest.slug, number=number, kind=kind.value, received_at=now,
        due_at=due), now=now, signer=signer)
    issue_checkpoint(session, signer=signer, now=now)
    return complaint


def find_complaint(session: Session, *, contest: Contest, number: int) -> Complaint:
    complaint = session.exec(select(Complaint).where(Complaint.contest_id == contest.id,
                                                     Complaint.number == number)).first()
    if complaint is None:
        raise NotFound(N_("no complaint {number} in {slug}"),
                       {"number": number, "slug": contest.slug})
    return complaint


def find_by_key(session: Session, key: str) -> Complaint:
    """The complaint behind a person's private link; none of a contest the public may not
    see (see :func:`~contest.rules.versions.published_contest`)."""
    complaint = session.exec(select(Complaint).where(Complaint.key == key)).first()
    if complaint is None or not is_published(session, complaint.contest_id):
        raise NotFound(N_("no such complaint"))
    return complaint


def contest_of(session: Session, complaint: Complaint) -> Contest:
    """The contest ``complaint`` is about."""
    contest = session.get(Contest, complaint.contest_id)
    assert contest is not None  # a foreign key: a complaint's contest is never deleted
    return contest


def extensions_of(session: Session, complaint: Complaint) -> list[ComplaintExtension]:
    return list(session.exec(select(ComplaintExtension).where(
        ComplaintExtension.complaint_id == complaint.id).order_by(col(ComplaintExtension.id))))


def _written(text: str, field: str, missing: str) -> str:
    """What an auditor wrote (an answer, a reason): text, of one or more lines."""
    error = text_error(field, text)
    if error is not None:
        raise InvalidInput(_ERRORS, [error])
    text = text.strip()
    if not text:
        raise InvalidInput(_ERRORS, [FieldError(field, "required", missing)])
    if len(text) > TEXT_LIMIT:
        raise InvalidInput(_ERRORS, [FieldError(field, "too_long", N_(
            "at most {expected} characters, got {got}"),
            {"expected": TEXT_LIMIT, "got": len(text)})])
    return text


def _still_open(complaint: Complaint) -> None:
    if complaint.status != ComplaintStatus.OPEN:
        raise AlreadyDone(N_("complaint {number} is already answered"),
                          {"number": complaint.number})


def extend(session: Session, *, contest: Contest, complaint: Complaint, until: date,
           timezone: str, reason: str, actor_id: int | None, now: datetime,
           signer: Signer) -> ComplaintExtension:
    """Move an open complaint's deadline to the end of ``until`` (sponsor's time zone),
    with a ``reason`` the person is shown."""
    _still_open(complaint)
    reason = _written(reason, "reason", N_("say why the answer needs more time"))
    new_due = end_of_day(until, timezone)
    if new_due <= complaint.due_at or new_due <= now:
        raise InvalidInput(_ERRORS, [FieldError("until", "not_later", N_(
            "the new deadline must be later than the one in force ({due})"),
            {"due": complaint.due_at.astimezone(new_due.tzinfo).date().isoformat()})])
    extension = ComplaintExtension(complaint_id=complaint.id or 0,
                                   previous_due_at=complaint.due_at, due_at=new_due,
                                   reason=reason, at=now, by_id=actor_id)
    session.add(extension)
    append_event(session, event=events.complaint_extended(
        contest=contest.slug, number=complaint.number, previous_due_at=complaint.due_at,
        due_at=new_due, at=now), now=now, signer=signer)
    complaint.due_at = new_due
    session.add(complaint)
    record(session, actor_id=actor_id, action="complaint.extended",
           subject=f"{contest.slug}#{complaint.number}", now=now,
           detail={"due_at": new_due.isoformat(), "reason": reason})
    issue_checkpoint(session, signer=signer, now=now)
    return extension


def answer(session: Session, *, contest: Contest, complaint: Complaint, text: str,
           public: bool, actor_id: int | None, now: datetime, signer: Signer) -> Complaint:
    """Answer an open complaint once: publicly (the text joins the public record) or only
    to the person."""
    _still_open(complaint)
    complaint.answer = _written(text, "answer", N_("write the answer"))
    complaint.answer_public = public
    complaint.answered_at, complaint.answered_by_id = now, actor_id
    session.add(complaint)
    append_event(session, event=events.complaint_answered(
        contest=contest.slug, number=complaint.number, kind=complaint.kind,
        received_at=complaint.received_at, first_due_at=complaint.first_due_at,
        due_at=complaint.due_at, public=public, at=now), now=now, signer=signer)
    record(session, actor_id=actor_id, action="complaint.answered",
           subject=f"{contest.slug}#{complaint.number}", now=now,
           detail={"public": public, "on_time": now <= complaint.due_at})
    issue_checkpoint(session, signer=signer, now=now)
    return complaint


def queue(session: Session, *, contest: Contest, now: datetime,
          status: ComplaintStatus | None = ComplaintStatus.OPEN) -> list[QueuedComplaint]:
    """The contest's complaints, the nearest deadline first (overdue ones at the top)."""
    query = select(Complaint).where(Complaint.contest_id == contest.id)
    if status is not None:
        waiting = col(Complaint.answered_at).is_(None)
        query = query.where(waiting if status == ComplaintStatus.OPEN else ~waiting)
    rows = session.exec(query.order_by(col(Complaint.due_at), col(Complaint.number))).all()
    return [QueuedComplaint(row, now) for row in rows]


def summary(session: Session, *, contest: Contest, now: datetime) -> ComplaintSummary:
    """Received, answered, answered on time, open, overdue, and the median response time."""
    rows = session.exec(select(Complaint.received_at, Complaint.due_at, Complaint.answered_at)
                        .where(Complaint.contest_id == contest.id)).all()
    answered = [(received, due, at) for received, due, at in rows if at is not None]
    waiting = [due for _, due, at in rows if at is None]
    return ComplaintSummary(
        received=len(rows), answered=len(answered),
        answered_on_time=sum(1 for _, due, at in answered if at <= due),
        open=len(waiting), overdue=sum(1 for due in waiting if now > due),
        median_response=_median([at - received for received, _, at in answered])
        if answered else None)


def _median(durations: list[timedelta]) -> timedelta:
    """The middle duration, or the mean of the two middle ones (as :func:`statistics.median`,
    whose types admit only numbers)."""
    ordered = sorted(durations)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle]) / 2


def public_answers(session: Session, *, contest: Contest) -> list[Complaint]:
    """Complaints answered publicly, newest answer first (for the public record)."""
    return list(session.exec(select(Complaint).where(
        Complaint.contest_id == contest.id, col(Complaint.answer_public).is_(True))
        .order_by(col(Complaint.answered_at).desc())))


def needs_recheck(complaint: Complaint) -> bool:
    return complaint.kind == Kind.WINNER_STAFF_OR_PROXY and complaint.rechecked_at is None


def named_winners(session: Session, *, contest: Contest, complaint: Complaint) -> list[str]:
    """The winners a complaint is about: those whose tickets it names (in the ticket field
    or the text); if it names none, every current winner. Before the draw, the ticket it
    names, if any."""
    named = {match.lower() for match in _TICKET_IN_TEXT.findall(complaint.text)}
    if complaint.ticket:
        named.add(complaint.ticket)
    record_ = find_draw(session, contest)
    winners = current_winners(session, record_) if record_ is not None else []
    if not winners:
        return sorted(named & set(session.exec(select(Entry.ticket).where(
            Entry.contest_id == contest.id, col(Entry.ticket).in_(named))).all()))
    chosen = [ticket for ticket in winners if ticket in named]
    return chosen or winners


def recheck_winners(session: Session, *, contest: Contest, complaint: Complaint,
                    now: datetime) -> list[dict[str, object]]:
    """Re-check the winners a complaint names in the participant graph (a fresh scan of the
    contest) and attach, for each, its flags to the complaint."""
    tickets = named_winners(session, contest=contest, complaint=complaint)
    flags = recheck_tickets(session, contest=contest, tickets=tickets) if tickets else {}
    result: list[dict[str, object]] = [{"ticket": ticket, "flags": flags.get(ticket, [])}
                                       for ticket in tickets]
    complaint.recheck_json = json.dumps(result, ensure_ascii=False)
    complaint.rechecked_at = now
    session.add(complaint)
    record(session, actor_id=None, action="complaint.rechecked",
           subject=f"{contest.slug}#{complaint.number}", now=now,
           detail={"tickets": tickets,
                   "flagged": sorted(t for t in tickets if flags.get(t))})
    return result


def recheck_result(complaint: Complaint) -> list[dict[str, Any]] | None:
    """The attached re-check, or None when none was run."""
    if complaint.rechecked_at is None:
        return None
    result: list[dict[str, Any]] = json.loads(complaint.recheck_json or "[]")
    return result
