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
from sqlalchemy import Engine, delete, select
from sqlalchemy.orm import Session

from kindness.db import WRITING
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
        session = _job_session()
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


def _job_session() -> Session:
    """A session for a job. On SQLite every transaction of a job begins as a writer
    (as a request's POST does, ``kindness.db``): two workers then wait for each other
    instead of one failing with "database is locked" when its read turns into a write."""
    db = database()
    bind = db.sessionmaker.kw.get("bind")
    if isinstance(bind, Engine) and bind.dialect.name == "sqlite":
        return db.sessionmaker(bind=bind.execution_options(**WRITING))
    return db.sessionmaker()


def hand_over(app: Flask, ids: list[int]) -> None:
    """Give the committed outbox rows ``ids`` to the queue, or run them here without one."""
    if not ids:
        return
    with app.app_context():
        session = _job_session()
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
            # In a context of its own, as on a worker: the request that handed the job
            # over (its user, its session, its locale) is not the job's business.
            contextvars.Context().run(run, app, row.job, json.loads(row.args))
        except Exception:
            log.exception("job %s failed (outbox row %d)", row.job, row.id)
