"""A real SMTP server for the tests: aiosmtpd on a free local port, keeping what it receives."""

import email
import email.policy
import socket
from dataclasses import dataclass, field
from email.message import EmailMessage

from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Received:
    sender: str
    recipients: list[str]
    message: EmailMessage
    # The message as it came over the wire.
    raw: bytes = b""

    @property
    def text(self) -> str:
        part = self.message.get_body(preferencelist=("plain",))
        assert part is not None, "the mail has no plain-text part"
        return part.get_content()

    @property
    def html(self) -> str:
        part = self.message.get_body(preferencelist=("html",))
        assert part is not None, "the mail has no HTML part"
        return part.get_content()


@dataclass
class Mailbox:
    """What the server accepted, in order; ``refuse`` makes it answer the next mails
    with that SMTP reply instead (``"451 try later"``, ``"550 no such user"``)."""

    host: str = "127.0.0.1"
    port: int = 0
    received: list[Received] = field(default_factory=list)
    refuse: str | None = None

    async def handle_DATA(self, server, session, envelope) -> str:
        if self.refuse:
            return self.refuse
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        assert isinstance(message, EmailMessage)
        self.received.append(
            Received(envelope.mail_from, list(envelope.rcpt_tos), message, envelope.content)
        )
        return "250 OK"

    def to(self, address: str) -> list[Received]:
        return [mail for mail in self.received if address in mail.recipients]


def start(mailbox: Mailbox) -> Controller:
    mailbox.port = free_port()
    controller = Controller(mailbox, hostname=mailbox.host, port=mailbox.port)
    controller.start()
    return controller
