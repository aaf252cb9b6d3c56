"""The periodic jobs, run every minute by the scheduler (``celery beat``) or by
``flask jobs tick``: each is safe to run twice; outbox rows not handed over (or
handed over and not done within the queue's visibility timeout) and mail retries
wait for the next tick, and a letter whose hour was missed still goes later that day."""

import logging
from datetime import UTC, datetime, timedelta

from flask import current_app
from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from kindness.domain import mails, outbox
from kindness.jobs import data_exports, notices
from kindness.models import OutboxJob

# Outbox rows older than this were not handed over after their commit (Redis was down).
STRANDED_AFTER = timedelta(seconds=30)


log = logging.getLogger(__name__)


def tick(session: Session) -> None:
    """Each step in a transaction of its own: one that fails leaves the others done."""
    now = datetime.now(UTC)
    steps = (
        relay_stranded,
        retry_mail,
        notices.tell_weeks_started,
        notices.queue_letters,
        data_exports.delete_expired,
    )
    for step in steps:
        try:
            step(session, now)
            session.commit()
        except Exception:
            log.exception("periodic step %s failed", step.__name__)
            session.rollback()


def relay_stranded(session: Session, now: datetime) -> None:
    """Hand over again the outbox rows whose own relay did not reach the queue, and
    those the queue has had for longer than its visibility timeout without their job
    being done: the message was lost (or the job failed), and a copy of it that does
    turn up finds the row gone (``dispatch.run``)."""
    lost_after = timedelta(seconds=int(current_app.config["QUEUE_VISIBILITY_SECONDS"]))
    ids = session.scalars(
        select(OutboxJob.id)
        .where(
            or_(
                and_(
                    OutboxJob.handed_over_at.is_(None),
                    OutboxJob.created_at <= now - STRANDED_AFTER,
                ),
                OutboxJob.handed_over_at <= now - lost_after,
            )
        )
        .order_by(OutboxJob.id)
        .limit(1000)
    )
    outbox.adopt(session, list(ids))


def retry_mail(session: Session, now: datetime) -> None:
    """Queue again the mails whose back-off is over, and those a dead worker left sending."""
    stale_after = timedelta(seconds=int(current_app.config["MAIL_STALE_SECONDS"]))
    mails.due_for_retry(session, now, stale_after=stale_after)
