"""The SMTP server mail goes through, as the settings name it (``CONTEST_SMTP_URL``,
``CONTEST_MAIL_FROM``). Only the standard library: the settings check it at start-up.

A header is one line (RFC 5322 §2.2): :func:`one_line` folds any text that goes into one
(a contest title from old data may hold CR/LF) so that building a message never fails and
never lets a value add headers of its own.
"""

import re
import smtplib
import ssl
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.message import EmailMessage
from urllib.parse import unquote, urlparse

from contest.errors import ConfigError
from contest.urls import mask_url

EMAIL = re.compile(r"[^@\s\x00-\x1f\x7f]+@[^@\s.\x00-\x1f\x7f]+(\.[^@\s.\x00-\x1f\x7f]+)+")
SCHEMES = {"smtp": 25, "smtp+starttls": 587, "smtps": 465}
_BREAKS = re.compile(r"[\s\x00-\x1f\x7f-\x9f]+")  # \s covers U+2028, U+2029 and the like


def ascii_domain(address: str) -> str:
    """``address`` with its domain in IDNA's ASCII form (``anna@почта.рф`` →
    ``anna@xn--80a1acny.xn--p1ai``): what every mail server takes, where the domain as
    written needs one that speaks SMTPUTF8 (RFC 6531), which many relays do not. A login
    with letters beyond ASCII still needs it; an address IDNA cannot write stays as it is."""
    login, at, domain = address.rpartition("@")
    if not at or domain.isascii():
        return address
    try:
        return f"{login}@{domain.encode('idna').decode('ascii')}"
    except UnicodeError:
        return address


def refuses_address(error: Exception) -> bool:
    """Whether ``error``, raised sending a message, is the server's lasting refusal of its
    address: a permanent (5yz, RFC 5321 4.2.1) reply to every recipient (no such mailbox),
    or an address with letters beyond ASCII in its login, which a server without SMTPUTF8
    cannot take. Trying again does not mend it; a server away or busy (4yz) may."""
    if isinstance(error, smtplib.SMTPNotSupportedError):
        return True
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return bool(error.recipients) and all(
            code >= 500 for code, _ in error.recipients.values())
    return False


def one_line(text: str) -> str:
    """``text`` as a clean header value: every run of line breaks, control characters and
    spaces becomes one space, and none leads or trails."""
    return _BREAKS.sub(" ", text).strip()


@dataclass(frozen=True)
class Mailer:
    """An SMTP server to send through: ``smtp://``, ``smtp+starttls://`` or ``smtps://``,
    with an optional ``user:password@``."""

    url: str = field(repr=False)  # it may hold a password
    sender: str
    timeout: float = 10.0

    @classmethod
    def from_settings(cls, url: str, sender: str) -> "Mailer | None":
        """The configured mailer, or None when no SMTP server is set."""
        if not url:
            return None
        if not _readable(url):
            raise ConfigError(
                "CONTEST_SMTP_URL must look like smtp://host:25, smtp+starttls://user:"
                "password@host:587 or smtps://host:465, got {value!r}", {"value": mask_url(url)})
        if not EMAIL.fullmatch(sender):
            raise ConfigError("CONTEST_MAIL_FROM must be an e-mail address, got {value!r}",
                              {"value": sender})
        return cls(url, sender)

    def send(self, message: EmailMessage) -> None:
        """Send one message, on a connection of its own."""
        with self.connection() as outgoing:
            outgoing.send(message)

    @contextmanager
    def connection(self) -> Iterator["Connection"]:
        """One connection to the server, for many messages (:class:`Connection`). A message
        the server refuses raises where it is sent, and the connection serves the next."""
        parsed = urlparse(self.url)
        port = parsed.port or SCHEMES[parsed.scheme]
        host = parsed.hostname or ""
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
            yield Connection(server, one_line(self.sender))


@dataclass(frozen=True)
class Connection:
    """An open connection to the mail server, as :meth:`Mailer.connection` gives it."""

    server: smtplib.SMTP
    sender: str

    def send(self, message: EmailMessage) -> None:
        """Send ``message``, its ``From`` set to the sender."""
        message["From"] = self.sender
        self.server.send_message(message)

    def send_written(self, to: str, written: bytes) -> None:
        """Send a message written already (:class:`bytes` with CRLF line ends: every header
        but ``From``, then the body) to ``to``, an address in ASCII: a round of many mails
        built from one, without the cost of building each."""
        if not (to.isascii() and self.sender.isascii()):
            raise ValueError("a message written already goes to and from ASCII addresses")
        self.server.sendmail(self.sender, [to],
                             b"From: " + self.sender.encode("ascii") + b"\r\n" + written)


def _readable(url: str) -> bool:
    """Whether ``url`` names a known scheme, a host and, if any, a port from 0 to 65535."""
    try:
        parsed = urlparse(url)
        _ = parsed.port
    except ValueError:  # an unclosed "[", a port that is not a number or out of range
        return False
    return parsed.scheme in SCHEMES and bool(parsed.hostname)
