"""E-mail confirmation of entries (double opt-in), the rules' ``defences.confirm_email``.

When the rules ask for it, an entry from a live channel that is asked to confirm
(:data:`ASKED_CHANNELS`: the form and the API) is taken and receipted as *waiting for
confirmation* (:func:`ask`, in the intake's transaction). A link goes to the entrant's
address (:func:`confirmation_message`, :func:`send_confirmation`): an HMAC-SHA256 (RFC 2104)
of the ticket under the deployment's secret, as the receipt's own link
(:func:`~contest.ledger.receipts.receipt_key`) but for this purpose only, so it is bound to
its entry, cannot be guessed, and is worth nothing for another entry. Opening it only shows
where the entry stands (:func:`standing`), as a mail scanner or a link preview fetching it
must confirm nothing; the entrant's press of the page's button confirms the entry once
(:func:`confirm`); pressed again it says so, and changes nothing.

Entries brought in (a CSV file, VK, Instagram) were made elsewhere and are never asked; the
Telegram bot's entrant is known to Telegram, which stands for the confirmation. An entry with
no e-mail address cannot be asked: with the option on, a live entry must give one
(:func:`contest.entries.door.door_refusals`).

The first link is not sent by the request that took the entry: the intake's transaction asks,
and a postman mails the links asked and never sent, many over one connection to the SMTP
server (:func:`unmailed`, :func:`mail_links`; the web's :mod:`web.postman` right after the
commit, and ``contest entries mail`` for any a stopped server or postman left). So a slow or
stopped mail server never slows or refuses an entry, and a link is never announced for an
entry that was rolled back.

The link may be sent again, at most :data:`MAILS_PER_WINDOW` mails to one address (over the
contest's entries with it) in any :data:`WINDOW`, the first one included
(:func:`mails_left`); a mail sent again is booked first (:func:`book_mail`), one address's
bookings one at a time, so that requests racing each other never send more. Not after the
close, when the link could confirm nothing.

An entry still waiting at the close does not count (reason ``unconfirmed``). The close
applies it when the contest is frozen (:func:`exclude_unconfirmed`, called by
:func:`contest.draw.service.freeze` before the tickets are fixed): every entry still waiting
gets the reason, each with an ``entry.recounted`` event on the public log, the limits are
counted again without them, and only then is the freeze's list read, so the list and the log
agree. A link opened after the close is refused (:attr:`Confirmed.TOO_LATE`), so what the
freeze finds waiting is what was waiting at the close.
"""

import base64
import hashlib
import hmac
import logging
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.policy import SMTP as SMTP_POLICY
from enum import StrEnum
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, func, update
from sqlmodel import Session, col, select

from contest.db import advisory_lock_id
from contest.entries.eligibility import Reason, apply_limits, verdict
from contest.i18n import N_, translate
from contest.ledger import events
from contest.ledger.note import Signer
from contest.ledger.store import stage_events
from contest.models import Channel, ConfirmationMail, Contest, Entry, EntryConfirmation
from contest.rules.document import RulesDocument
from contest.rules.versions import PublishedContest, find_published
from contest.smtp import Mailer, ascii_domain, one_line, refuses_address

log = logging.getLogger(__name__)

ASKED_CHANNELS: frozenset[Channel] = frozenset({Channel.FORM, Channel.API})
"""The channels whose entries are asked to confirm their address when the rules say so."""
MAILS_PER_WINDOW = 3
"""Mails with a link one address may be sent in any :data:`WINDOW` for a contest's entries,
the first one included."""
WINDOW = timedelta(hours=1)

_KEY_PURPOSE = b"contest-confirm-entry/1\n"  # an HMAC of this secret for nothing else


class Confirmed(StrEnum):
    """What confirming an entry did."""

    NOW = "now"
    """The entry is confirmed, at this moment."""
    BEFORE = "before"
    """It was confirmed before; nothing changed."""
    TOO_LATE = "too_late"
    """The entries closed before the entrant came to confirm: the entry stays unconfirmed."""
    NOT_ASKED = "not_asked"
    """The entry was never asked to confirm (taken before the option, or by a channel that
    is not asked): it needs nothing."""


def asks(rules: RulesDocument, channel: str) -> bool:
    """Whether an entry through ``channel`` under ``rules`` is asked to confirm."""
    return rules.defences.confirm_email and channel in ASKED_CHANNELS


def ask(session: Session, *, entry_ids: list[int], now: datetime) -> None:
    """Mark the entries ``entry_ids``, just taken, as waiting for confirmation."""
    for entry_id in entry_ids:
        session.add(EntryConfirmation(entry_id=entry_id, asked_at=now))
    session.flush()


def confirmation_key(ticket: str, secret: bytes) -> str:
    """The key of ``ticket``'s confirmation link: 32 hex characters of an HMAC-SHA256."""
    # A ticket is hex; whatever else a URL puts there is encoded without failing.
    digest = hmac.new(secret, _KEY_PURPOSE + ticket.encode("utf-8", "replace"),
                      hashlib.sha256).digest()
    return digest[:16].hex()


def confirmation_link(base_url: str, ticket: str, secret: bytes) -> str:
    """The address of ``ticket``'s confirmation page at the deployment's public address
    ``base_url`` (``CONTEST_BASE_URL``), as the mail gives it."""
    return f"{base_url.rstrip('/')}/confirm/{ticket}/{confirmation_key(ticket, secret)}"


def is_confirmation_key(ticket: str, key: str, secret: bytes) -> bool:
    """Whether ``key`` is ``ticket``'s confirmation key (compared in constant time)."""
    return hmac.compare_digest(confirmation_key(ticket, secret).encode(),
                               key.encode("utf-8", "replace"))


def confirmation_of(session: Session, entry_id: int) -> EntryConfirmation | None:
    """The entry's confirmation row, or ``None`` when it was never asked."""
    return session.get(EntryConfirmation, entry_id)


def waiting(session: Session, entry_id: int) -> bool:
    """Whether the entry was asked to confirm and has not yet."""
    found = confirmation_of(session, entry_id)
    return found is not None and found.confirmed_at is None


def standing(session: Session, *, entry: Entry, rules: RulesDocument,
             now: datetime) -> Confirmed | None:
    """What confirming ``entry`` at ``now`` would answer, changing nothing: ``None`` when it
    waits and may still be confirmed (``rules``: its contest's current rules)."""
    assert entry.id is not None
    found = confirmation_of(session, entry.id)
    if found is None:
        return Confirmed.NOT_ASKED
    if found.confirmed_at is not None:
        return Confirmed.BEFORE
    if now >= rules.period.closes_at:
        return Confirmed.TOO_LATE
    return None


def confirm(session: Session, *, entry: Entry, rules: RulesDocument,
            now: datetime) -> Confirmed:
    """Confirm ``entry`` at ``now`` (``rules``: its contest's current rules, whose close
    ends the confirmations); the caller commits. Confirming again changes nothing."""
    assert entry.id is not None
    already = standing(session, entry=entry, rules=rules, now=now)
    if already is not None:
        return already
    found = confirmation_of(session, entry.id)
    assert found is not None
    found.confirmed_at = now
    session.add(found)
    session.flush()
    return Confirmed.NOW


def _same_address(session: Session, entry_id: int) -> list[ColumnElement[bool]]:
    """Which entries share the mailbox of the entry ``entry_id``: those of its contest with
    its e-mail key (the entry alone when it has none)."""
    entry = session.get(Entry, entry_id)
    if entry is None or entry.email_key is None:
        return [col(Entry.id) == entry_id]
    return [col(Entry.contest_id) == entry.contest_id, col(Entry.email_key) == entry.email_key]


def mails_left(session: Session, *, entry_id: int, now: datetime) -> tuple[int, datetime | None]:
    """How many more mails the entry's address may be sent now, and when the next one may go
    when none may (the moment the oldest mail of the window leaves it). The limit is the
    mailbox's, over every entry of the contest with its address, so that a script entering
    someone's address many times floods it with no more mails than one entry would."""
    sent = list(session.exec(
        select(ConfirmationMail.sent_at)
        .join(Entry, col(Entry.id) == col(ConfirmationMail.entry_id))
        .where(*_same_address(session, entry_id), col(ConfirmationMail.sent_at) > now - WINDOW)
        .order_by(col(ConfirmationMail.sent_at))).all())
    left = max(0, MAILS_PER_WINDOW - len(sent))
    return left, (sent[0] + WINDOW if left == 0 else None)


def _lock_address(session: Session, entry_id: int) -> None:
    """Hold, to the end of the transaction, the lock of the mails to the entry's address: a
    PostgreSQL advisory lock on it (as the intake's on people's keys); on SQLite, which
    lets one writer at a time, a write that begins the transaction."""
    entry = session.get(Entry, entry_id)
    assert entry is not None
    if session.get_bind().dialect.name == "postgresql":
        lock = advisory_lock_id(
            f"{entry.contest_id}:confirmation-mail:{entry.email_key or entry_id}")
        session.connection().execute(select(func.pg_advisory_xact_lock(lock)))
    else:
        session.connection().execute(
            update(EntryConfirmation).where(col(EntryConfirmation.entry_id) == entry_id)
            .values(asked_at=EntryConfirmation.asked_at))


def book_mail(session: Session, *, entry_id: int,
              now: datetime) -> ConfirmationMail | datetime:
    """Book one of the mails of the :data:`WINDOW` to the entry's address for its link,
    about to be sent again: the mail booked (the caller commits it, then sends with
    :func:`send_confirmation`), or the moment the next may be booked when none is left. The
    address is locked first (:func:`_lock_address`), so that requests racing each other (an
    entrant's clicks, or a script flooding a mailbox through the site) book one at a time
    and never more than the limit; committed before the mail goes, the booking holds no
    lock while the mail server answers."""
    _lock_address(session, entry_id)
    left, next_at = mails_left(session, entry_id=entry_id, now=now)
    if left == 0:
        assert next_at is not None
        return next_at
    booked = ConfirmationMail(entry_id=entry_id, sent_at=now)
    session.add(booked)
    session.flush()
    return booked


def confirmation_message(*, to: str, language: str, contest_title: str, ticket: str,
                         link: str, closes_at: str) -> EmailMessage:
    """The mail with the link, in the entrant's language."""
    title = one_line(contest_title)
    message = EmailMessage()
    message["To"] = ascii_domain(one_line(to))
    message["Subject"] = one_line(translate(N_("Confirm your entry in \"{contest}\""),
                                            language, {"contest": title}))
    paragraphs = [
        translate(N_("You entered \"{contest}\" (ticket {ticket}). To take part, confirm "
                     "that this e-mail address is yours: open this link and press the "
                     "button on its page:"), language,
                  {"contest": title, "ticket": ticket}),
        link,
        translate(N_("An entry not confirmed by the close ({closes_at}) does not count."),
                  language, {"closes_at": closes_at}),
        translate(N_("If you did not enter, ignore this mail: nothing more will be sent "
                     "unless the link is asked for again."), language),
    ]
    message.set_content("\n\n".join(paragraphs) + "\n")
    return message


@dataclass(frozen=True)
class NotSent:
    """Why a mail was not sent: the error, in one line (logged), and whether the mail
    server refused the address itself (:func:`~contest.smtp.refuses_address`), which
    asking again does not mend."""

    reason: str
    address_refused: bool


def send_confirmation(session: Session, *, entry: Entry, contest: Contest,
                      rules: RulesDocument, link: str, mailer: Mailer,
                      booked: ConfirmationMail) -> NotSent | None:
    """Mail ``entry``'s link now, the mail ``booked`` for it (:func:`book_mail`); the caller
    commits. ``None`` when sent; otherwise why not (a server down, a refused mailbox),
    logged, and the booking given back: the entrant may ask again."""
    assert entry.id is not None and entry.email is not None
    try:
        mailer.send(_message(entry, contest.title, rules, link))
    except Exception as error:  # whatever it is, the entrant may ask again
        session.delete(booked)
        session.flush()
        return NotSent(_failure(entry.ticket, error), refuses_address(error))
    return None


def _message(entry: Entry, title: str, rules: RulesDocument, link: str) -> EmailMessage:
    """``entry``'s mail with its ``link``, the close in the rules' time zone."""
    assert entry.email is not None
    return confirmation_message(to=entry.email, language=entry.language, contest_title=title,
                                ticket=entry.ticket, link=link, closes_at=_close(rules))


def _close(rules: RulesDocument) -> str:
    """The close of the entries as the mail says it: local time in the rules' time zone."""
    closes = rules.period.closes_at.astimezone(ZoneInfo(rules.period.timezone))
    return closes.strftime("%Y-%m-%d %H:%M %Z")


def unmailed(session: Session, *, entry_ids: Iterable[int] | None = None,
             limit: int | None = 1000) -> list[int]:
    """Entries waiting for confirmation that were never sent a link (of ``entry_ids`` when
    given), oldest first, at most ``limit`` (``None``: all)."""
    query = (select(EntryConfirmation.entry_id)
             .outerjoin(ConfirmationMail,
                        col(ConfirmationMail.entry_id) == col(EntryConfirmation.entry_id))
             .where(col(EntryConfirmation.confirmed_at).is_(None),
                    col(ConfirmationMail.id).is_(None))
             .order_by(col(EntryConfirmation.entry_id)))
    if entry_ids is not None:
        query = query.where(col(EntryConfirmation.entry_id).in_(list(entry_ids)))
    return list(session.exec(query if limit is None else query.limit(limit)).all())


_TICKET, _LINK = "@@ticket@@", "@@link@@"
"""What a :class:`Letter`'s text holds where each entrant's ticket and link go."""


@dataclass(frozen=True)
class Letter:
    """The first mail of one contest's entrants in one language, written once for a round
    of many (:func:`confirmation_message`'s words): its headers as the mail package folds
    them, and its text, whose ticket and link are filled in for each entrant. Building a
    message with the mail package costs a couple of milliseconds, the most of a round."""

    head: bytes
    text: str

    @classmethod
    def of(cls, found: PublishedContest, language: str) -> "Letter":
        message = confirmation_message(
            to="entrant@example.invalid", language=language, contest_title=found.contest.title,
            ticket=_TICKET, link=_LINK, closes_at=_close(found.rules))
        head = SMTP_POLICY.fold_binary("Subject", message["Subject"]) + (
            b'MIME-Version: 1.0\r\nContent-Type: text/plain; charset="utf-8"\r\n'
            b"Content-Transfer-Encoding: base64\r\n")
        return cls(head, message.get_content())

    def to(self, address: str, ticket: str, link: str) -> bytes:
        """The mail to ``address`` (ASCII) with ``ticket`` and its ``link``, written."""
        text = self.text.replace(_TICKET, ticket).replace(_LINK, link)
        body = base64.encodebytes(text.encode("utf-8")).replace(b"\n", b"\r\n")
        return b"To: " + address.encode("ascii") + b"\r\n" + self.head + b"\r\n" + body


@dataclass(frozen=True)
class Posted:
    """What :func:`mail_links` did: the links sent, why each that was not sent failed (by
    ticket), and how many wait because their address had all the mails of the window."""

    sent: int
    failed: dict[str, str]
    held: int = 0


def mail_links(session: Session, *, entry_ids: list[int], link: Callable[[str], str],
               mailer: Mailer, now: datetime) -> Posted:
    """Send the first link of each entry of ``entry_ids`` still waiting and never sent one,
    all over one connection to ``mailer``'s server; ``link`` gives a ticket's confirmation
    address. Each mail sent is kept (:class:`~contest.models.ConfirmationMail`); the caller
    commits. A server that cannot be reached, or refuses a mailbox, fails those entries
    only: their links wait for the next postman, or for the entrant to ask again. An entry
    whose contest closed is sent nothing (its link would confirm nothing): a mail server
    away for weeks, back after the close, mails no past contest's entrants. Nor is an
    entry whose address was sent all the mails of the window (:func:`mails_left`): it waits,
    for a later round or the entrant's request."""
    todo = unmailed(session, entry_ids=entry_ids, limit=len(entry_ids))
    if not todo:
        return Posted(0, {})
    entries = session.exec(select(Entry).where(col(Entry.id).in_(todo))
                           .order_by(col(Entry.id))).all()
    contests: dict[int, PublishedContest | None] = {}
    mailed = _mailed_to(session, entries, now)
    letters: dict[tuple[int, str], Letter] = {}
    sent: set[str] = set()
    failed: dict[str, str] = {}
    held = 0
    try:
        with mailer.connection() as outgoing:
            for entry in entries:
                assert entry.id is not None
                if entry.contest_id not in contests:
                    contest = session.get(Contest, entry.contest_id)
                    contests[entry.contest_id] = (None if contest is None
                                                  else find_published(session, contest))
                found = contests[entry.contest_id]
                if (found is None or entry.email is None
                        or now >= found.rules.period.closes_at):
                    continue  # after the close a link confirms nothing: no mail
                address = (entry.contest_id, entry.email_key or entry.ticket)
                if mailed[address] >= MAILS_PER_WINDOW:
                    held += 1
                    continue
                try:
                    to = ascii_domain(one_line(entry.email))
                    if to.isascii():
                        key = (entry.contest_id, entry.language)
                        if key not in letters:
                            letters[key] = Letter.of(found, entry.language)
                        outgoing.send_written(
                            to, letters[key].to(to, entry.ticket, link(entry.ticket)))
                    else:  # a login beyond ASCII: the mail server must speak SMTPUTF8
                        outgoing.send(_message(entry, found.contest.title, found.rules,
                                               link(entry.ticket)))
                except Exception as error:  # this mailbox only: the next may go
                    failed[entry.ticket] = _failure(entry.ticket, error)
                    continue
                session.add(ConfirmationMail(entry_id=entry.id, sent_at=now))
                mailed[address] += 1
                sent.add(entry.ticket)
    except Exception as error:  # the server: the rest wait for the next postman
        reason = _failure("(connection)", error)
        failed |= {entry.ticket: reason for entry in entries
                   if entry.ticket not in failed and entry.ticket not in sent}
    session.flush()
    return Posted(len(sent), failed, held)


def _mailed_to(session: Session, entries: Sequence[Entry],
               now: datetime) -> Counter[tuple[int, str]]:
    """The mails of the window sent to the addresses of ``entries``, by contest and e-mail
    key (one query)."""
    keys = {entry.email_key for entry in entries if entry.email_key}
    if not keys:
        return Counter()
    rows = session.exec(
        select(Entry.contest_id, Entry.email_key)
        .join(ConfirmationMail, col(ConfirmationMail.entry_id) == col(Entry.id))
        .where(col(Entry.email_key).in_(keys), col(ConfirmationMail.sent_at) > now - WINDOW)
    ).all()
    return Counter((contest_id, key) for contest_id, key in rows if key is not None)


def _failure(ticket: str, error: Exception) -> str:
    log.warning("entry %s: confirmation not sent: %s", ticket, error,
                exc_info=not isinstance(error, OSError))
    return one_line(f"{type(error).__name__}: {error}")


def exclude_unconfirmed(session: Session, *, contest: Contest, rules: RulesDocument,
                        signer: Signer, now: datetime) -> int:
    """Give every entry of ``contest`` still waiting for confirmation the reason
    ``unconfirmed``, count the limits again, and put each change on the log as an
    ``entry.recounted`` event; how many entries were waiting. Done once, by the freeze."""
    rows = session.exec(
        select(Entry).join(EntryConfirmation,
                           col(EntryConfirmation.entry_id) == col(Entry.id))
        .where(Entry.contest_id == contest.id, col(EntryConfirmation.confirmed_at).is_(None))
        .order_by(col(Entry.id))).all()
    changed: dict[int, tuple[str, ...]] = {}
    tickets: dict[int, str] = {}
    for entry in rows:
        assert entry.id is not None
        tickets[entry.id] = entry.ticket
        if Reason.UNCONFIRMED.value in entry.reasons:
            continue
        held = verdict([*entry.reasons, Reason.UNCONFIRMED.value])
        entry.eligible, entry.reasons = held["eligible"], held["reasons"]
        session.add(entry)
        changed[entry.id] = entry.reasons
    if not changed:
        return len(rows)
    session.flush()
    assert contest.id is not None
    recounted = apply_limits(session, contest_id=contest.id, rules=rules)
    changed |= recounted
    missing = sorted(set(changed) - set(tickets))
    if missing:
        for entry_id, ticket in session.exec(select(Entry.id, Entry.ticket)
                                             .where(col(Entry.id).in_(missing))).all():
            assert entry_id is not None
            tickets[entry_id] = ticket
    stage_events(session, events=[
        events.entry_recounted(contest=contest.slug, ticket=tickets[entry_id],
                               reasons=changed[entry_id], at=now)
        for entry_id in sorted(changed)], now=now, signer=signer)
    return len(rows)


def count_waiting(session: Session, contest: Contest) -> int:
    """How many entries of ``contest`` wait for confirmation."""
    return session.exec(
        select(func.count()).select_from(EntryConfirmation)
        .join(Entry, col(Entry.id) == col(EntryConfirmation.entry_id))
        .where(Entry.contest_id == contest.id,
               col(EntryConfirmation.confirmed_at).is_(None))).one()
