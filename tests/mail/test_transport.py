"""Handing messages to a real SMTP server (aiosmtpd), and to the development outbox folder."""

from email.message import EmailMessage

import pytest

from kindness.mail import transport
from tests.mailbox import Mailbox, free_port


def message(to: str = "ada@example.org") -> EmailMessage:
    mail = EmailMessage()
    mail["From"] = "Kindness <no-reply@kind.example>"
    mail["To"] = to
    mail["Subject"] = "Grüße"
    mail.set_content("Hallo, schön, dass du da bist.")
    mail.add_alternative("<p>Hallo</p>", subtype="html")
    return mail


def smtp(mailbox: Mailbox) -> transport.SMTPTransport:
    return transport.SMTPTransport(mailbox.host, mailbox.port)


def test_smtp_delivers_text_and_html(mailbox: Mailbox):
    smtp(mailbox).send(message(), "test:1")
    [received] = mailbox.received
    assert received.recipients == ["ada@example.org"]
    assert received.message["Subject"] == "Grüße"
    assert "schön" in received.text
    assert received.html.strip() == "<p>Hallo</p>"


@pytest.mark.parametrize(
    ("reply", "failure"),
    [
        ("451 4.3.0 try again later", transport.TemporaryFailure),
        ("554 5.6.0 message refused", transport.PermanentFailure),
    ],
)
def test_smtp_refusals_are_told_apart(mailbox: Mailbox, reply: str, failure: type):
    mailbox.refuse = reply
    with pytest.raises(failure, match=reply[:3]):
        smtp(mailbox).send(message(), "test:1")
    assert mailbox.received == []


def test_no_server_is_a_temporary_failure():
    closed = transport.SMTPTransport("127.0.0.1", free_port())
    with pytest.raises(transport.TemporaryFailure, match="ConnectionRefused"):
        closed.send(message(), "test:1")


def test_without_a_server_each_message_is_an_eml_file(tmp_path):
    outbox = transport.from_config({"MAIL_SERVER": None}, str(tmp_path))
    where = outbox.send(message(), "confirm:7:abc/..")
    [path] = (tmp_path / "outbox").iterdir()
    assert str(path) == where
    assert path.suffix == ".eml" and "confirm-7-abc---" in path.name
    assert b"Subject: =?utf-8?q?Gr=C3=BC=C3=9Fe?=" in path.read_bytes()


def test_an_unknown_security_setting_is_refused():
    with pytest.raises(ValueError, match="MAIL_SECURITY"):
        transport.SMTPTransport("127.0.0.1", 25, security="ssl")


def test_the_mail_is_recorded_as_accepted_before_the_goodbye(mailbox: Mailbox):
    """The shorter the time between the server taking a mail and its being recorded,
    the smaller the chance that a worker killed in between sends it twice."""
    events: list[str] = []

    class Watched(transport.SMTPTransport):
        def _connect(self):
            server = super()._connect()
            quit_ = server.quit
            server.quit = lambda: (events.append("goodbye"), quit_())[1]
            return server

    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = "a@kind.example", "b@example.org", "Hi"
    message.set_content("Hello")
    Watched(mailbox.host, mailbox.port).send(
        message, "test:1", accepted=lambda: events.append(f"accepted {len(mailbox.received)}")
    )
    assert events == ["accepted 1", "goodbye"]
