"""Handing a finished message to the world: an SMTP server, or a folder of ``.eml`` files.

SMTP goes through Python's own ``smtplib`` and ``email`` packages: maintained
with CPython, they speak SMTP, STARTTLS, implicit TLS and AUTH, and build
MIME messages correctly; the Flask wrappers (Flask-Mail, Flask-Mailman) add
an app-bound API on top and nothing the jobs need (the jobs own retries).
"""

import functools
import logging
import smtplib
import ssl
from collections.abc import Callable
from datetime import UTC, datetime
from email.message import EmailMessage
from pathlib import Path
from typing import Protocol

log = logging.getLogger(__name__)

SECURITY_CHOICES = ("none", "starttls", "tls")
TIMEOUT_SECONDS = 30


class TemporaryFailure(Exception):
    """The message may go through later (server down, busy, 4xx)."""


class PermanentFailure(Exception):
    """The server refused the message for good (5xx for the recipient or the content)."""


class Transport(Protocol):
    def send(
        self, message: EmailMessage, key: str, accepted: Callable[[], None] | None = None
    ) -> str:
        """Send ``message``; return where it went (for the log). ``accepted`` is called
        as soon as the message is taken (for SMTP before the goodbye: the shorter the
        time between the server taking a mail and its being recorded as sent, the
        smaller the chance that a worker dying in between sends it twice)."""
        ...


class SMTPTransport:
    def __init__(
        self,
        host: str,
        port: int,
        security: str = "none",
        username: str | None = None,
        password: str | None = None,
    ):
        if security not in SECURITY_CHOICES:
            raise ValueError(f"MAIL_SECURITY must be one of {', '.join(SECURITY_CHOICES)}")
        self.host, self.port, self.security = host, port, security
        self.username, self.password = username, password

    @functools.cached_property
    def _tls(self) -> ssl.SSLContext:
        # Made once: loading the system's certificates takes longer than sending a mail.
        return ssl.create_default_context()

    def _connect(self) -> smtplib.SMTP:
        if self.security == "tls":
            return smtplib.SMTP_SSL(
                self.host, self.port, timeout=TIMEOUT_SECONDS, context=self._tls
            )
        server = smtplib.SMTP(self.host, self.port, timeout=TIMEOUT_SECONDS)
        if self.security == "starttls":
            server.starttls(context=self._tls)
        return server

    def send(
        self, message: EmailMessage, key: str, accepted: Callable[[], None] | None = None
    ) -> str:
        try:
            server = self._connect()
            try:
                if self.username:
                    server.login(self.username, self.password or "")
                server.send_message(message)
                if accepted:
                    accepted()
            finally:
                _close(server)
        except smtplib.SMTPRecipientsRefused as error:
            codes = [code for code, _ in error.recipients.values()]
            if all(code >= 500 for code in codes):
                raise PermanentFailure(f"recipient refused: {error.recipients}") from error
            raise TemporaryFailure(f"recipient deferred: {error.recipients}") from error
        except smtplib.SMTPAuthenticationError as error:
            # The operator's settings, not the message: worth retrying once they are fixed.
            raise TemporaryFailure(f"SMTP login refused: {error.smtp_code}") from error
        except smtplib.SMTPResponseException as error:
            text = f"{error.smtp_code} {error.smtp_error!r}"
            if error.smtp_code >= 500:
                raise PermanentFailure(text) from error
            raise TemporaryFailure(text) from error
        except (smtplib.SMTPException, OSError) as error:
            raise TemporaryFailure(f"{type(error).__name__}: {error}") from error
        return f"smtp://{self.host}:{self.port}"


def _close(server: smtplib.SMTP) -> None:
    """Say goodbye; a message the server took is sent, whatever the goodbye meets
    (a failure here must not send it again)."""
    try:
        server.quit()
    except (smtplib.SMTPException, OSError):
        server.close()


class DirectoryTransport:
    """Development without a mail server: each message becomes an ``.eml`` file to read."""

    def __init__(self, folder: Path):
        self.folder = folder

    def send(
        self, message: EmailMessage, key: str, accepted: Callable[[], None] | None = None
    ) -> str:
        self.folder.mkdir(parents=True, exist_ok=True)
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
        safe_key = "".join(c if c.isalnum() or c in "-_" else "-" for c in key)
        path = self.folder / f"{stamp}-{safe_key}.eml"
        path.write_bytes(bytes(message))
        if accepted:
            accepted()
        log.info("mail to %s written to %s", message["To"], path)
        return str(path)


def from_config(config: dict, instance_path: str) -> Transport:
    """SMTP when ``MAIL_SERVER`` is set, else the instance folder's ``outbox/``."""
    if not config.get("MAIL_SERVER"):
        return DirectoryTransport(Path(instance_path) / "outbox")
    return SMTPTransport(
        host=config["MAIL_SERVER"],
        port=int(config["MAIL_PORT"]),
        security=config["MAIL_SECURITY"],
        username=config.get("MAIL_USERNAME") or None,
        password=config.get("MAIL_PASSWORD") or None,
    )
