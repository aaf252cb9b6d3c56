"""Running jobs, and handing committed outbox rows over to be run.

A job is delivered at least once and done exactly once:

- ``hand_over`` gives each committed row to the queue (Celery on Redis) with the
  row's id, and marks the row handed over; the row stays. If Redis does not
  answer, the rows stay unmarked and the periodic sweep hands them over when it
  is back.
- ``run`` deletes the job's row first thing, in the job's own transaction, and
  does the job only if the row was still there. A second copy of the message
  (kombu's restore, the sweep) finds the row gone and does nothing; on
  PostgreSQL a copy running at the same time waits on the row's lock until the
  first commits. A job that fails or whose worker dies rolls back, and its row
  with it: it is run again (a retry, or the sweep).
- The periodic sweep (``periodic.relay_stranded``) hands over again the rows
  handed over longer ago than the queue's visibility timeout: their message was
  lost (a worker killed between taking it off the list and recording it as
  taken: kombu's Redis transport does not do both at once).

Without Redis the rows run inline, one after the other, right after the commit
that wrote them, through the same ``run``: the row goes in the job's own
transaction, and a job that fails is run again by the sweep after the timeout.
"""

import contextvars
import json
import logging
from datetime import UTC, datetime
from typing import Any

from flask import Flask
from sqlalchemy import Engine, delete, select, update
from sqlalchemy.orm import Session

from kindness.db import WRITING
from kindness.domain import outbox
from kindness.jobs import queue
from kindness.jobs.registry import JOBS
from kindness.models import OutboxJob
from kindness.sessions import database

log = logging.getLogger(__name__)


def run(app: Flask, job: str, args: dict[str, Any], outbox_id: int | None = None) -> bool:
    """Run ``job`` as its own unit of work in ``app``: commit its work (and hand over
    the jobs it queued), or roll it back and re-raise. With ``outbox_id`` the job is
    that outbox row's: done only if the row is still there, deleting it in the same
    transaction. Return whether the job was done (False: done before)."""
    function = JOBS[job]
    with app.app_context():
        session = _job_session()
        try:
            if outbox_id is not None and not _take(session, outbox_id):
                session.rollback()
                log.info("job %s skipped: outbox row %d is done", job, outbox_id)
                return False
            function(session, **args)
            session.commit()
        except BaseException:
            session.rollback()
            outbox.forget(session)
            raise
        finally:
            session.close()
        hand_over(app, outbox.written(session))
    return True


def _take(session: Session, outbox_id: int) -> bool:
    """Delete the row in the job's transaction. On PostgreSQL a copy of the job
    running at the same time waits here until this one commits (and then finds
    nothing) or rolls back (and then takes the row)."""
    taken = session.execute(delete(OutboxJob).where(OutboxJob.id == outbox_id))
    return taken.rowcount == 1  # type: ignore[attr-defined]


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
                # Marked before it runs: a job that fails waits for the timeout.
                _mark(session, [row.id for row in rows])
                _run_inline(app, rows)
        finally:
            session.close()


def _mark(session: Session, ids: list[int]) -> None:
    """Record that the rows ``ids`` were handed over now: the sweep leaves them for
    the visibility timeout."""
    session.execute(
        update(OutboxJob).where(OutboxJob.id.in_(ids)).values(handed_over_at=datetime.now(UTC))
    )
    session.commit()


def _enqueue(app: Flask, session: Session, rows) -> None:
    try:
        queue.send(app, [(row.job, json.loads(row.args), row.id) for row in rows])
    except queue.Unavailable as error:
        log.warning("queue unavailable, %d job(s) wait in the outbox: %s", len(rows), error)
        return
    # After the send: a row marked but never sent would wait the whole timeout. A
    # process that dies between the two leaves the row unmarked: the sweep sends a
    # second copy, which finds the row gone. A job already done marks nothing.
    _mark(session, [row.id for row in rows])


def _run_inline(app: Flask, rows) -> None:
    for row in rows:
        try:
            # In a context of its own, as on a worker: the request that handed the job
            # over (its user, its session, its locale) is not the job's business.
            contextvars.Context().run(run, app, row.job, json.loads(row.args), row.id)
        except Exception:
            log.exception("job %s failed (outbox row %d is kept)", row.job, row.id)
