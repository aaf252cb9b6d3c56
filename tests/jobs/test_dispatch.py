"""Handing committed outbox rows over: to Redis when it answers (marked, kept until
their job is done), kept unmarked when it does not, run inline without Redis; the
periodic tick finds the rows left behind (see also ``test_exactly_once``)."""

import json
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select, update

from kindness.domain import outbox
from kindness.jobs import dispatch
from kindness.models import OutboxJob
from tests.conftest import joined_app
from tests.mailbox import free_port
from tests.workers import queue_redis, queue_url


def count_rows(session) -> int:
    return session.scalar(select(func.count()).select_from(OutboxJob))


def write_rows(session, jobs: int) -> list[int]:
    ids = [outbox.later(session, "tick") for _ in range(jobs)]
    session.commit()
    outbox.written(session)
    return ids


def test_rows_go_to_redis_and_stay_in_the_outbox_marked_until_their_job_is_done(database):
    queue = queue_redis()
    with joined_app(database, REDIS_URL=queue_url()) as app:
        session = app.extensions["kindness.db"].sessionmaker()
        ids = write_rows(session, 3)
        dispatch.hand_over(app, ids)
        assert count_rows(session) == 3
        assert outbox.waiting(session) == 0  # counted in the queue now, not twice
        messages = [json.loads(raw) for raw in queue.lrange("celery", 0, -1)]
        assert len(messages) == 3
        assert {message["headers"]["task"] for message in messages} == {"kindness.run"}
        session.close()
    queue.flushdb()
    queue.close()


def test_with_redis_down_the_rows_wait_in_the_outbox(database, caplog):
    with joined_app(database, REDIS_URL=f"redis://127.0.0.1:{free_port()}/0") as app:
        session = app.extensions["kindness.db"].sessionmaker()
        ids = write_rows(session, 2)
        dispatch.hand_over(app, ids)
        assert count_rows(session) == outbox.waiting(session) == 2
        assert "queue unavailable, 2 job(s) wait in the outbox" in caplog.text
        session.close()


def test_the_tick_hands_over_rows_left_behind_and_runs_them_without_redis(app, session, clock):
    stranded = write_rows(session, 1)
    recent = write_rows(session, 1)
    session.execute(
        update(OutboxJob)
        .where(OutboxJob.id.in_(stranded))
        .values(created_at=datetime.now(UTC) - timedelta(minutes=5))
    )
    session.commit()
    dispatch.run(app, "tick", {})
    # The stranded row ran (inline: no Redis) and is gone; the recent one is its own
    # request's business for a little longer.
    assert list(session.scalars(select(OutboxJob.id))) == recent


def test_jobs_tick_command_runs_once(app, runner):
    result = runner.invoke(args=["jobs", "tick"])
    assert result.exit_code == 0, result.output
    assert "Periodic jobs done; the jobs they made were run here." in result.output


def _task_with(app, monkeypatch, failures: list[Exception]):
    """The queue's task, run here (``apply``), over a ``dispatch.run`` that raises
    ``failures`` one after the other and then succeeds; returns the calls made."""
    from kindness.jobs import queue

    calls = []

    def run(_app, job, args, _outbox_id=None):
        calls.append(job)
        if failures:
            raise failures.pop(0)

    monkeypatch.setattr(dispatch, "run", run)
    app.config["REDIS_URL"] = "redis://127.0.0.1:1/0"  # never reached: the task runs here
    return queue.make_celery(app).tasks[queue.TASK], calls


def test_a_job_that_meets_the_database_down_is_run_again(app, monkeypatch):
    """The load run's PostgreSQL restart: a fan-out that failed there was acknowledged
    and lost. Now it is tried again until the database answers."""
    from sqlalchemy.exc import OperationalError

    down = OperationalError("SELECT 1", {}, ConnectionError("the database is shutting down"))
    task, calls = _task_with(app, monkeypatch, [down, down])
    result = task.apply(kwargs={"job": "travelled", "args": {"act_id": 1}})
    assert calls == ["travelled"] * 3
    assert result.successful()


def test_a_job_with_a_bug_is_not_run_again(app, monkeypatch):
    task, calls = _task_with(app, monkeypatch, [ValueError("a bug")])
    result = task.apply(kwargs={"job": "travelled", "args": {"act_id": 1}})
    assert calls == ["travelled"]
    assert result.failed()
