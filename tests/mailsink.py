"""A real SMTP server on localhost (aiosmtpd) that keeps what it receives, for mail tests."""

import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

from aiosmtpd.controller import Controller


@dataclass
class MailSink:
    """What the server received, parsed, in order."""

    port: int = 0
    messages: list[EmailMessage] = field(default_factory=list)
    refused: set[str] = field(default_factory=set)
    """Recipients the server refuses (550), as a mailbox that does not exist."""
    connections: int = 0
    """The sessions clients opened (counted at their EHLO)."""
    gate: threading.Event | None = None
    """When set to an event, each message waits for it before it is accepted: a mail
    server that is slow to answer."""

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"

    async def handle_EHLO(self, server: Any, session: Any, envelope: Any,  # noqa: N802
                          hostname: str, responses: list[str]) -> list[str]:
        self.connections += 1
        session.host_name = hostname
        return responses

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any,  # noqa: N802
                          address: str, rcpt_options: list[str]) -> str:
        if address in self.refused:
            return "550 5.1.1 no such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        if self.gate is not None:
            self.gate.wait()  # holds this server's own thread only
        message = message_from_bytes(envelope.content, policy=policy.default)
        assert isinstance(message, EmailMessage)
        self.messages.append(message)
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@contextmanager
def mail_sink(*, smtputf8: bool = True) -> Iterator[MailSink]:
    """The server, running; ``smtputf8=False``: one that does not speak SMTPUTF8 (RFC 6531),
    as many relays."""
    sink = MailSink(port=free_port())
    controller = Controller(sink, hostname="127.0.0.1", port=sink.port,
                            enable_SMTPUTF8=smtputf8)
    controller.start()
    try:
        yield sink
    finally:
        controller.stop()
