"""The job that sends one mail: claim it, build it, hand it to the transport, record the outcome."""

import logging
import time

from flask import current_app
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from kindness.domain import mails
from kindness.mail import messages, transport

log = logging.getLogger(__name__)


def send_mail(session: Session, mail_id: int) -> None:
    outgoing = mails.claim(session, mail_id)
    if outgoing is None:
        return  # sent, failed for good, or being sent by another worker
    # The claim is committed before the slow part: another worker now skips this mail.
    session.commit()
    try:
        message = messages.build(session, outgoing)
        where = transport_of().send(
            message, outgoing.key, accepted=lambda: record_sent(session, mail_id)
        )
    except NotRecorded as error:
        # Sent: not a failure of the mail to record. The database's error goes up;
        # the mail stays "sending" and is sent again once stale.
        raise error.cause from None
    except messages.Skip as reason:
        session.rollback()
        mails.mark_skipped(session, mail_id, str(reason))
    except transport.PermanentFailure as error:
        log.warning("mail %s refused for good: %s", outgoing.key, error)
        mails.mark_failed(session, mail_id, str(error), permanent=True)
    except transport.TemporaryFailure as error:
        state = mails.mark_failed(session, mail_id, str(error), permanent=False)
        log.warning("mail %s not sent (%s, now %s)", outgoing.key, error, state)
    except Exception as error:
        # A bug or a lost database: recorded on the mail and retried like a refusal,
        # so that it ends as "failed" with its reason, never stays "sending".
        log.exception("mail %s could not be written or sent", outgoing.key)
        session.rollback()
        mails.mark_failed(session, mail_id, f"{type(error).__name__}: {error}", permanent=False)
    else:
        log.info("mail %s sent to %s", outgoing.key, where)


class NotRecorded(Exception):
    """The transport took the mail, and the database did not answer for long enough
    to record it."""

    def __init__(self, cause: OperationalError):
        super().__init__(str(cause))
        self.cause = cause


def record_sent(session: Session, mail_id: int) -> None:
    """The transport took the mail (called before SMTP's goodbye): record that,
    waiting out a database that does not answer (a restart) for up to half of
    ``MAIL_STALE_SECONDS``. Left ``sending``, the mail would be sent again once
    stale: a load run's PostgreSQL restart sent three notices twice that way."""
    give_up = time.monotonic() + int(current_app.config["MAIL_STALE_SECONDS"]) / 2
    wait = 0.2
    while True:
        try:
            mails.mark_sent(session, mail_id)
            session.commit()
            return
        except OperationalError as error:
            session.rollback()
            if time.monotonic() + wait > give_up:
                raise NotRecorded(error) from error
            log.warning("mail %d sent, recording it waits for the database", mail_id)
            time.sleep(wait)
            wait = min(wait * 2, 5.0)


def transport_of() -> transport.Transport:
    app = current_app
    if "kindness.mail" not in app.extensions:
        app.extensions["kindness.mail"] = transport.from_config(app.config, app.instance_path)
    return app.extensions["kindness.mail"]
