"""Running jobs, and handing committed outbox rows over to be run.

With ``REDIS_URL`` set, ``hand_over`` gives each row to the queue (Celery on
Redis) and deletes it once the queue has it; if Redis does not answer, the rows
stay and the periodic sweep hands them over when it is back. Without Redis the
rows run inline, one after the other, right after the commit that wrote them.

Every job is idempotent (mails have unique keys and are claimed before they are
sent), so a row handed over twice, by a request and by the sweep, does no harm.
"""

import contextvars
import json
import logging
from typing import Any

from flask import Flask
from sqlalchemy import delete, select

from kindness.domain import outbox
from kindness.jobs import queue
from kindness.jobs.registry import JOBS
from kindness.models import OutboxJob
from kindness.sessions import database

log = logging.getLogger(__name__)


def run(app: Flask, job: str, args: dict[str, Any]) -> None:
    """Run ``job`` as its own unit of work in ``app``: commit its work (and hand over
    the jobs it queued), or roll it back and re-raise."""
    function = JOBS[job]
    with app.app_context():
        session = database().sessionmaker()
        try:
            function(session, **args)
            session.commit()
        except BaseException:
            session.rollback()
            outbox.forget(session)
            raise
        finally:
            session.close()
        hand_over(app, outbox.written(session))


def hand_over(app: Flask, ids: list[int]) -> None:
    """Give the committed outbox rows ``ids`` to the queue, or run them here without one."""
    if not ids:
        return
    with app.app_context():
        session = database().sessionmaker()
        try:
            rows = session.execute(
                select(OutboxJob.id, OutboxJob.job, OutboxJob.args)
                .where(OutboxJob.id.in_(ids))
                .order_by(OutboxJob.id)
            ).all()
            if queue.enabled(app):
                _enqueue(app, session, rows)
            else:
                _run_inline(app, session, rows)
        finally:
            session.close()


def _enqueue(app: Flask, session, rows) -> None:
    try:
        sent = queue.send(app, [(row.job, json.loads(row.args)) for row in rows])
    except queue.Unavailable as error:
        log.warning("queue unavailable, %d job(s) wait in the outbox: %s", len(rows), error)
        return
    session.execute(delete(OutboxJob).where(OutboxJob.id.in_([row.id for row in rows[:sent]])))
    session.commit()


def _run_inline(app: Flask, session, rows) -> None:
    for row in rows:
        # Taken off the outbox first: a job that fails is logged, not run again and again.
        taken = session.execute(delete(OutboxJob).where(OutboxJob.id == row.id)).rowcount
        session.commit()
        if taken != 1:
            continue  # another process ran it
        try:
            # Run as a worker would: in an empty context, outside the request that
            # wrote the job (else rendering a mail would load the request's signed-in
            # user, in a database session of its own, inside the job's).
            contextvars.Context().run(run, app, row.job, json.loads(row.args))
        except Exception:
            log.exception("job %s failed (outbox row %d)", row.job, row.id)
