"""E-mail to people who complained: the acknowledgement with its deadline, and the answer.

Mail goes through the SMTP server the settings name (``CONTEST_SMTP_URL``,
``CONTEST_MAIL_FROM``), in the language the person wrote in. Only a contact that is an
e-mail address gets mail; a phone number or a profile is answered by other means, and every
complaint can be followed on its private page whatever the contact. A server that is down
loses nothing: the complaint is already stored and acknowledged on screen, and
``contest complaints mail`` sends what is still unsent.

Every header value is folded to one clean line (:func:`~contest.smtp.one_line`),
and a message that cannot be built or sent, for whatever reason, stays unsent for the next
try without stopping the others.

:func:`mail_complaint` is the one way a complaint is mailed, by the web as soon as it is
filed or answered and by ``contest complaints mail`` afterwards: its caller has committed
the complaint first (a mail cannot be taken back, so it never announces a complaint that
could still be rolled back) and commits the moment it was mailed after.
"""

import logging
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from contest.complaints.kinds import KIND_LABELS
from contest.i18n import N_, translate
from contest.models import Complaint, ComplaintStatus, Contest
from contest.rules.versions import find_published
from contest.smtp import EMAIL, Mailer, one_line

log = logging.getLogger(__name__)


def mail_address(contact: str) -> str | None:
    """The contact as an e-mail address, or None when it is something else."""
    contact = contact.strip()
    return contact if EMAIL.fullmatch(contact) else None


def _local(moment: datetime, timezone: str) -> str:
    return moment.astimezone(ZoneInfo(timezone)).strftime("%Y-%m-%d %H:%M %Z")


def complaint_link(base_url: str, complaint: Complaint) -> str:
    """The person's own page of ``complaint``, at the deployment's public address."""
    return f"{base_url.rstrip('/')}/complaints/{complaint.key}"


def _message(complaint: Complaint, subject: str, contest: Contest,
             paragraphs: list[str], link: str) -> EmailMessage:
    language = complaint.language
    message = EmailMessage()
    message["To"] = one_line(complaint.contact)
    message["Subject"] = one_line(translate(subject, language, {
        "number": complaint.number, "contest": one_line(contest.title)}))
    follow = translate(N_("Follow your complaint here: {link}"), language, {"link": link})
    message.set_content("\n\n".join([*paragraphs, follow]) + "\n")
    return message


def acknowledgement(complaint: Complaint, *, contest: Contest, timezone: str,
                    link: str) -> EmailMessage:
    """The acknowledgement: the number, what the complaint is about, the deadline, the link."""
    language = complaint.language
    kind = translate(KIND_LABELS.get(complaint.kind, complaint.kind), language)
    return _message(complaint, N_("Complaint {number} about \"{contest}\" is received"),
                    contest, [
                        translate(N_("We have received your complaint number {number} "
                                     "({kind})."), language,
                                  {"number": complaint.number, "kind": kind}),
                        translate(N_("We will answer by {due}."), language,
                                  {"due": _local(complaint.due_at, timezone)})], link)


def answer_message(complaint: Complaint, *, contest: Contest, link: str) -> EmailMessage:
    """The answer, as the auditor wrote it."""
    return _message(complaint, N_("Answer to complaint {number} about \"{contest}\""),
                    contest, [complaint.answer], link)


def send_pending(session: Session, *, complaint: Complaint, contest: Contest, timezone: str,
                 link: str, mailer: Mailer, now: datetime) -> str | None:
    """Send the complaint's acknowledgement and answer if not sent yet. None when nothing is
    left unsent; otherwise why not (a server down, a mailbox refused…): that is logged, and
    what was not sent waits for the next try."""
    if mail_address(complaint.contact) is None:
        return None
    try:
        if complaint.mailed_at is None:
            mailer.send(acknowledgement(complaint, contest=contest, timezone=timezone,
                                        link=link))
            complaint.mailed_at = now
        if complaint.status == ComplaintStatus.ANSWERED and complaint.answer_mailed_at is None:
            mailer.send(answer_message(complaint, contest=contest, link=link))
            complaint.answer_mailed_at = now
    except Exception as error:  # whatever it is, this complaint waits and the others go on
        log.warning("complaint %s#%s: mail not sent: %s", contest.slug, complaint.number, error,
                    exc_info=not isinstance(error, OSError))
        return one_line(f"{type(error).__name__}: {error}")
    finally:
        session.add(complaint)
    return None


@dataclass(frozen=True)
class Post:
    """How complaint mail goes out: the SMTP server, and the deployment's public address the
    links in the mail lead to (``CONTEST_BASE_URL``)."""

    mailer: Mailer
    base_url: str

    @classmethod
    def from_settings(cls, smtp_url: str, mail_from: str, base_url: str) -> "Post | None":
        """The configured post, or None when no SMTP server is set (see
        :meth:`Mailer.from_settings`, which names a wrong setting)."""
        mailer = Mailer.from_settings(smtp_url, mail_from)
        return None if mailer is None else cls(mailer, base_url)


def mail_complaint(session: Session, *, complaint: Complaint, post: Post,
                   now: datetime) -> str | None:
    """Mail what is still unsent of ``complaint`` (see :func:`send_pending`, whose answer
    this is), its moments in the time zone of its contest's rules and its link to the
    person's own page."""
    contest = session.get(Contest, complaint.contest_id)
    assert contest is not None, f"complaint {complaint.id} names a missing contest"
    return send_pending(session, complaint=complaint, contest=contest,
                        timezone=contest_timezone(session, contest),
                        link=complaint_link(post.base_url, complaint), mailer=post.mailer,
                        now=now)


def contest_timezone(session: Session, contest: Contest) -> str:
    """The time zone a complaint's moments are shown in, to the person and in the mail: that
    of the contest's current rules (UTC before any is published)."""
    found = find_published(session, contest)
    return found.rules.period.timezone if found else "UTC"


def unsent(session: Session) -> list[Complaint]:
    """Complaints with an acknowledgement or an answer still to mail."""
    rows = session.exec(select(Complaint).where(
        (col(Complaint.mailed_at).is_(None))
        | (col(Complaint.answered_at).is_not(None)
           & col(Complaint.answer_mailed_at).is_(None)))
        .order_by(col(Complaint.id))).all()
    return [row for row in rows if mail_address(row.contact) is not None]
