"""The mail log against a real SMTP server: sent once, retried with back-off after a
temporary refusal, given up and recorded after a permanent one; a rolled-back request
sends nothing; with Redis down a request still succeeds and its mail waits."""

import smtplib
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage

import pytest
from flask import Flask
from sqlalchemy import delete, func, select

from kindness.domain import confirmation, mails, outbox
from kindness.domain.errors import RuleViolation
from kindness.jobs import dispatch
from kindness.jobs.sending import send_mail
from kindness.mail import transport
from kindness.mail.builders import BUILDERS
from kindness.models import Mail, OutboxJob, User
from kindness.sessions import get_session
from tests.conftest import joined_app
from tests.factories import make_user
from tests.mailbox import Mailbox, free_port
from tests.workers import queue_redis, queue_url


def queue_confirmation(session, user: User) -> Mail:
    """Queue the confirmation mail as sign-up does; the jobs are left to the test."""
    mail = confirmation.send_link(session, user)
    assert mail is not None
    session.commit()
    return mail


def send(app: Flask, mail: Mail) -> None:
    dispatch.run(app, "send_mail", {"mail_id": mail.id})


def state_of(session, mail: Mail) -> Mail:
    session.expire_all()
    row = session.get(Mail, mail.id)
    assert row is not None
    return row


def test_a_mail_is_sent_once_however_often_its_job_runs(app, session, mailbox: Mailbox):
    user = make_user(session, email="ada@example.org")
    mail = queue_confirmation(session, user)
    send(app, mail)
    send(app, mail)  # a retried job, a second worker: the claim stops both
    assert len(mailbox.to("ada@example.org")) == 1
    row = state_of(session, mail)
    assert (row.state, row.attempts, row.error) == ("sent", 1, None)
    assert row.sent_at is not None


def test_a_temporary_refusal_is_retried_after_its_back_off(app, session, mailbox: Mailbox, clock):
    user = make_user(session, email="ada@example.org")
    mail = queue_confirmation(session, user)
    mailbox.refuse = "451 4.3.0 greylisted, try again later"
    send(app, mail)
    row = state_of(session, mail)
    assert (row.state, row.attempts) == ("queued", 1)
    assert "451" in row.error
    assert mailbox.received == []

    mailbox.refuse = None
    clock.shift(timedelta(seconds=30))
    dispatch.run(app, "tick", {})
    assert mailbox.received == []  # the minute of back-off is not over
    clock.shift(timedelta(seconds=31))
    dispatch.run(app, "tick", {})
    assert len(mailbox.to("ada@example.org")) == 1
    assert (state_of(session, mail).state, state_of(session, mail).attempts) == ("sent", 2)


def test_temporary_refusals_end_in_failed_after_the_last_attempt(
    app, session, mailbox: Mailbox, clock
):
    user = make_user(session, email="ada@example.org")
    mail = queue_confirmation(session, user)
    mailbox.refuse = "421 4.7.0 too busy"
    send(app, mail)
    for wait in mails.BACK_OFF:
        clock.shift(wait + timedelta(seconds=1))
        dispatch.run(app, "tick", {})
    row = state_of(session, mail)
    assert (row.state, row.attempts) == ("failed", mails.MAX_ATTEMPTS)
    assert "421" in row.error
    clock.shift(timedelta(days=1))
    dispatch.run(app, "tick", {})
    assert state_of(session, mail).attempts == mails.MAX_ATTEMPTS  # given up for good


def test_a_permanent_refusal_is_recorded_and_never_retried(app, session, mailbox: Mailbox, clock):
    user = make_user(session, email="ada@example.org")
    mail = queue_confirmation(session, user)
    mailbox.refuse = "550 5.1.1 no such user here"
    send(app, mail)
    mailbox.refuse = None
    clock.shift(timedelta(days=1))
    dispatch.run(app, "tick", {})
    row = state_of(session, mail)
    assert (row.state, row.attempts) == ("failed", 1)
    assert "550" in row.error and "no such user" in row.error
    assert mailbox.received == []


def test_a_rolled_back_request_sends_nothing(database, mailbox: Mailbox):
    with joined_app(database) as app:

        @app.post("/test/queue-then-refuse/<int:user_id>")
        def queue_then_refuse(user_id: int):
            session = get_session()
            user = session.get(User, user_id)
            confirmation.send_link(session, user)
            raise RuleViolation("refused after queueing")

        session = app.extensions["kindness.db"].sessionmaker()
        user = make_user(session, email="ada@example.org")
        answer = app.test_client().post(f"/test/queue-then-refuse/{user.id}")
        assert answer.status_code == 409
        assert session.scalar(select(func.count()).select_from(Mail)) == 0
        assert session.scalar(select(func.count()).select_from(OutboxJob)) == 0
        assert mailbox.received == []
        session.close()


SIGN_UP = {
    "email": "new@example.org",
    "password": "a quiet morning walk",
    "display_name": "Nia",
    "time_zone": "Europe/Berlin",
    "locale": "en",
}


def test_with_redis_down_sign_up_succeeds_and_its_mail_waits_for_redis(
    database, mailbox: Mailbox, clock
):
    queue = queue_redis()
    down = f"redis://127.0.0.1:{free_port()}/0"
    with joined_app(database, REDIS_URL=down) as app:
        answer = app.test_client().post("/signup", data=SIGN_UP)
        assert answer.status_code == 302
        session = app.extensions["kindness.db"].sessionmaker()
        [mail] = session.scalars(select(Mail)).all()
        assert (mail.kind, mail.state, mail.to_address) == ("confirm", "queued", "new@example.org")
        assert session.scalar(select(func.count()).select_from(OutboxJob)) == 1
        assert mailbox.received == []

        # Redis is back: the tick hands the waiting job over to the queue.
        app.config["REDIS_URL"] = queue_url()
        app.extensions.pop("kindness.queue")
        clock.shift(timedelta(minutes=1))
        dispatch.run(app, "tick", {})
        assert outbox.waiting(session) == 0  # handed over: the row stays until its job runs
        assert queue.llen("celery") == 1
        session.close()
    queue.flushdb()
    queue.close()


@pytest.mark.parametrize("kind", ["letter", "travelled"])
def test_notice_mail_never_goes_to_an_unconfirmed_address(session, kind):
    user = make_user(session, email="ada@example.org")
    queued = mails.queue(
        session, key=f"{kind}:test", kind=kind, to_address=user.email, user=user, params={}
    )
    assert queued is None
    assert session.scalar(select(func.count()).select_from(Mail)) == 0


def test_send_mail_of_an_unknown_id_does_nothing(app, session, mailbox: Mailbox):
    send_mail(session, 2_000_000_000)
    assert mailbox.received == []


def test_a_mail_whose_job_was_lost_is_queued_again(app, session, mailbox: Mailbox, clock):
    user = make_user(session, email="ada@example.org")
    queue_confirmation(session, user)
    # The job vanished (Redis lost it, a worker failed before taking the mail).
    session.execute(delete(OutboxJob))
    session.commit()
    clock.shift(timedelta(minutes=10))
    dispatch.run(app, "tick", {})
    assert mailbox.received == []
    clock.shift(timedelta(minutes=6))
    dispatch.run(app, "tick", {})
    assert len(mailbox.to("ada@example.org")) == 1


def test_an_unexpected_error_is_recorded_and_retried(
    app, session, mailbox: Mailbox, clock, monkeypatch
):
    user = make_user(session, email="ada@example.org")
    mail = queue_confirmation(session, user)

    def broken(*_args):
        raise RuntimeError("the template is broken")

    monkeypatch.setitem(BUILDERS, "confirm", broken)
    send(app, mail)
    row = state_of(session, mail)
    assert (row.state, row.attempts) == ("queued", 1)
    assert row.error == "RuntimeError: the template is broken"
    monkeypatch.undo()
    clock.shift(mails.BACK_OFF[0] + timedelta(seconds=1))
    dispatch.run(app, "tick", {})
    assert state_of(session, mail).state == "sent"
    assert len(mailbox.to("ada@example.org")) == 1


def test_a_mail_with_nothing_left_to_say_is_skipped_not_failed(app, session, mailbox: Mailbox):
    user = make_user(session, email="ada@example.org")
    mail = queue_confirmation(session, user)
    user.email_confirmed_at = datetime.now(UTC)  # confirmed before the mail went
    session.commit()
    send(app, mail)
    row = state_of(session, mail)
    assert row.state == "skipped" and row.error
    assert mailbox.received == []


def test_a_failed_goodbye_after_the_server_took_the_mail_sends_it_once(mailbox: Mailbox):
    class RudeServer(transport.SMTPTransport):
        def _connect(self):
            server = super()._connect()
            server.quit = lambda: (_ for _ in ()).throw(smtplib.SMTPServerDisconnected("gone"))
            return server

    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = "a@kind.example", "b@example.org", "Hi"
    message.set_content("Hello")
    RudeServer(mailbox.host, mailbox.port).send(message, "test:1")
    assert len(mailbox.received) == 1


def test_a_mail_a_dead_worker_left_sending_is_sent_once_after_the_stale_window(
    app, session, mailbox: Mailbox, clock
):
    user = make_user(session, email="ada@example.org")
    mail = queue_confirmation(session, user)
    # A worker claimed the mail and died before sending it (the load run's SIGKILL).
    assert mails.claim(session, mail.id) is not None
    session.commit()
    send(app, mail)  # its job, run again meanwhile: the claim is not over
    assert mailbox.received == []
    app.config["MAIL_STALE_SECONDS"] = 120
    clock.shift(timedelta(seconds=100))
    dispatch.run(app, "tick", {})
    assert mailbox.received == []
    clock.shift(timedelta(seconds=30))
    dispatch.run(app, "tick", {})
    dispatch.run(app, "tick", {})
    assert len(mailbox.to("ada@example.org")) == 1
    row = state_of(session, mail)
    assert (row.state, row.attempts) == ("sent", 2)


def test_the_queue_gives_a_dead_workers_jobs_back_after_the_visibility_setting(app):
    from kindness.jobs.queue import make_celery

    app.config.update(REDIS_URL="redis://127.0.0.1:1/0", QUEUE_VISIBILITY_SECONDS=45)
    options = make_celery(app).conf.broker_transport_options
    assert options["visibility_timeout"] == 45
    assert options["unacked_restore_throttle"] == 1  # swept every 10 s, not every 100 s
