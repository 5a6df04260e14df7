"""E-mail to people who complained: the acknowledgement with its deadline, and the answer.

Mail goes through the SMTP server the settings name (``CONTEST_SMTP_URL``,
``CONTEST_MAIL_FROM``), in the language the person wrote in. Only a contact that is an
e-mail address gets mail; a phone number or a profile is answered by other means, and every
complaint can be followed on its private page whatever the contact. A server that is down
loses nothing: the complaint is already stored and acknowledged on screen, and
``contest complaints mail`` sends what is still unsent.
"""

import logging
import re
import smtplib
import ssl
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from urllib.parse import unquote, urlparse
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from contest.complaints.desk import KIND_LABELS
from contest.errors import ConfigError
from contest.i18n import N_, translate
from contest.models import Complaint, ComplaintStatus, Contest

log = logging.getLogger(__name__)
_EMAIL = re.compile(r"[^@\s]+@[^@\s.]+(\.[^@\s.]+)+")
SCHEMES = {"smtp": 25, "smtp+starttls": 587, "smtps": 465}


@dataclass(frozen=True)
class Mailer:
    """An SMTP server to send through: ``smtp://``, ``smtp+starttls://`` or ``smtps://``,
    with an optional ``user:password@``."""

    url: str
    sender: str
    timeout: float = 10.0

    @classmethod
    def from_settings(cls, url: str, sender: str) -> "Mailer | None":
        """The configured mailer, or None when no SMTP server is set."""
        if not url:
            return None
        parsed = urlparse(url)
        if parsed.scheme not in SCHEMES or not parsed.hostname:
            raise ConfigError(
                "CONTEST_SMTP_URL must look like smtp://host:25, smtp+starttls://user:"
                "password@host:587 or smtps://host:465, got {value!r}", {"value": url})
        if not _EMAIL.fullmatch(sender):
            raise ConfigError("CONTEST_MAIL_FROM must be an e-mail address, got {value!r}",
                              {"value": sender})
        return cls(url, sender)

    def send(self, message: EmailMessage) -> None:
        parsed = urlparse(self.url)
        port = parsed.port or SCHEMES[parsed.scheme]
        host = parsed.hostname or ""
        message["From"] = self.sender
        server: smtplib.SMTP
        if parsed.scheme == "smtps":
            server = smtplib.SMTP_SSL(host, port, timeout=self.timeout,
                                      context=ssl.create_default_context())
        else:
            server = smtplib.SMTP(host, port, timeout=self.timeout)
        with server:
            if parsed.scheme == "smtp+starttls":
                server.starttls(context=ssl.create_default_context())
            if parsed.username:
                server.login(unquote(parsed.username), unquote(parsed.password or ""))
            server.send_message(message)


def mail_address(contact: str) -> str | None:
    """The contact as an e-mail address, or None when it is something else."""
    contact = contact.strip()
    return contact if _EMAIL.fullmatch(contact) else None


def _local(moment: datetime, timezone: str) -> str:
    return moment.astimezone(ZoneInfo(timezone)).strftime("%Y-%m-%d %H:%M %Z")


def acknowledgement(complaint: Complaint, *, contest: Contest, timezone: str,
                    link: str) -> EmailMessage:
    """The acknowledgement: the number, what the complaint is about, the deadline, the link."""
    language = complaint.language
    message = EmailMessage()
    message["To"] = complaint.contact
    message["Subject"] = translate(N_("Complaint {number} about \"{contest}\" is received"),
                                   language, {"number": complaint.number,
                                              "contest": contest.title})
    message.set_content("\n\n".join([
        translate(N_("We have received your complaint number {number} ({kind})."), language,
                  {"number": complaint.number,
                   "kind": translate(KIND_LABELS.get(complaint.kind, complaint.kind),
                                     language)}),
        translate(N_("We will answer by {due}."), language,
                  {"due": _local(complaint.due_at, timezone)}),
        translate(N_("Follow your complaint here: {link}"), language, {"link": link}),
    ]) + "\n")
    return message


def answer_message(complaint: Complaint, *, contest: Contest, link: str) -> EmailMessage:
    """The answer, as the auditor wrote it."""
    language = complaint.language
    message = EmailMessage()
    message["To"] = complaint.contact
    message["Subject"] = translate(N_("Answer to complaint {number} about \"{contest}\""),
                                   language, {"number": complaint.number,
                                              "contest": contest.title})
    message.set_content("\n\n".join([
        complaint.answer,
        translate(N_("Follow your complaint here: {link}"), language, {"link": link}),
    ]) + "\n")
    return message


def send_pending(session: Session, *, complaint: Complaint, contest: Contest, timezone: str,
                 link: str, mailer: Mailer, now: datetime) -> bool:
    """Send the complaint's acknowledgement and answer if not sent yet; a server error is
    logged and leaves them for the next try. True when nothing is left unsent."""
    if mail_address(complaint.contact) is None:
        return True
    try:
        if complaint.mailed_at is None:
            mailer.send(acknowledgement(complaint, contest=contest, timezone=timezone,
                                        link=link))
            complaint.mailed_at = now
        if complaint.status == ComplaintStatus.ANSWERED and complaint.answer_mailed_at is None:
            mailer.send(answer_message(complaint, contest=contest, link=link))
            complaint.answer_mailed_at = now
    except (OSError, smtplib.SMTPException) as error:
        log.warning("complaint %s#%s: mail not sent: %s", contest.slug, complaint.number, error)
        return False
    finally:
        session.add(complaint)
    return True


def unsent(session: Session) -> list[Complaint]:
    """Complaints with an acknowledgement or an answer still to mail."""
    rows = session.exec(select(Complaint).where(
        (col(Complaint.mailed_at).is_(None))
        | ((Complaint.status == ComplaintStatus.ANSWERED.value)
           & col(Complaint.answer_mailed_at).is_(None)))
        .order_by(col(Complaint.id))).all()
    return [row for row in rows if mail_address(row.contact) is not None]
