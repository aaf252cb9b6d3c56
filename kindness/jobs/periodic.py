"""The periodic jobs, run every minute by the scheduler (``celery beat``) or by
``flask jobs tick``: each is safe to run twice and catches up on what it missed."""

from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from kindness.domain import mails, outbox
from kindness.jobs import notices
from kindness.models import OutboxJob

# Outbox rows older than this were not handed over after their commit (Redis was down).
STRANDED_AFTER = timedelta(seconds=30)


def tick(session: Session) -> None:
    now = datetime.now(UTC)
    relay_stranded(session, now)
    mails.due_for_retry(session, now)
    notices.queue_letters(session, now)


def relay_stranded(session: Session, now: datetime) -> None:
    """Hand over again the outbox rows whose own relay did not reach the queue."""
    ids = session.scalars(
        select(OutboxJob.id)
        .where(OutboxJob.created_at <= now - STRANDED_AFTER)
        .order_by(OutboxJob.id)
        .limit(1000)
    )
    outbox.adopt(session, list(ids))
