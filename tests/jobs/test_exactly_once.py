"""At-least-once delivery, exactly-once effect: a job's outbox row stays until the
job deletes it in its own transaction, so a message delivered twice does the work
once, a lost message is handed over again by the sweep, and a failed job is kept."""

import base64
import json
import threading
import time
from datetime import timedelta

import pytest
from sqlalchemy import func, select, text

from kindness import create_app
from kindness.cli import migrate
from kindness.domain import confirmation, outbox
from kindness.jobs import dispatch, queue
from kindness.jobs.registry import JOBS
from kindness.models import Mail, OutboxJob
from tests.conftest import TEST_CONFIG, joined_app
from tests.databases import BACKENDS, fresh_database
from tests.factories import make_user
from tests.mailbox import Mailbox
from tests.workers import queue_redis, queue_url

VISIBILITY = 120


@pytest.fixture
def done(monkeypatch) -> list[int]:
    """A job ``note`` that records its argument each time it does its work, and
    fails (after recording nothing) for a negative one."""
    calls: list[int] = []

    def note(_session, number: int) -> None:
        if number < 0:
            raise ValueError("a bug")
        calls.append(number)

    monkeypatch.setitem(JOBS, "note", note)
    return calls


def rows(session) -> list[tuple[int, bool]]:
    """The outbox rows left: (id, handed over)."""
    # Ends the test's own (savepoint) transaction: a rollback would undo what the
    # jobs committed since it began, all on the one connection of ``joined_app``.
    session.commit()
    return [
        (row.id, row.handed_over_at is not None)
        for row in session.execute(select(OutboxJob.id, OutboxJob.handed_over_at))
    ]


def write(session, *numbers: int) -> list[int]:
    ids = [outbox.later(session, "note", number=number) for number in numbers]
    session.commit()
    outbox.written(session)
    return ids


def messages(client) -> list[dict]:
    """The kwargs of the job messages waiting on Redis, oldest first."""
    raw = reversed(client.lrange(queue.QUEUE, 0, -1))  # LPUSHed: the newest is first
    return [_kwargs(message) for message in raw]


def _kwargs(message: bytes) -> dict:
    envelope = json.loads(message)
    body = json.loads(base64.b64decode(envelope["body"]))
    return body[1]  # Celery's protocol 2 body: (args, kwargs, embed)


def deliver(app, kwargs: dict) -> None:
    """Run the queue's task on ``kwargs`` here, as a worker would."""
    result = queue.celery_of(app).tasks[queue.TASK].apply(kwargs=kwargs)
    assert result.successful(), result.traceback


@pytest.fixture
def redis_app(database):
    client = queue_redis()
    with joined_app(database, REDIS_URL=queue_url(), QUEUE_VISIBILITY_SECONDS=VISIBILITY) as app:
        yield app, app.extensions["kindness.db"].sessionmaker(), client
    client.flushdb()
    client.close()


def test_a_message_delivered_twice_does_its_work_once(redis_app, done):
    app, session, client = redis_app
    [row_id] = write(session, 7)
    dispatch.hand_over(app, [row_id])
    assert rows(session) == [(row_id, True)]  # handed over, kept until done
    [message] = messages(client)
    assert message == {"job": "note", "args": {"number": 7}, "outbox_id": row_id}

    deliver(app, message)
    deliver(app, message)  # kombu's restore, or the sweep's copy
    assert done == [7]
    assert rows(session) == []


def test_a_lost_message_is_handed_over_again_after_the_timeout_and_done_once(
    redis_app, done, clock
):
    app, session, client = redis_app
    [lost, kept] = write(session, 1, 2)
    dispatch.hand_over(app, [lost, kept])
    [first, second] = messages(client)
    client.delete(queue.QUEUE)  # both taken off the list; the worker ran one, then died
    deliver(app, second)
    assert rows(session) == [(lost, True)]

    # Before the timeout the queue may still have it: the sweep leaves it alone.
    clock.shift(timedelta(seconds=VISIBILITY - 10))
    dispatch.run(app, "tick", {})
    assert messages(client) == []

    clock.shift(timedelta(seconds=20))
    dispatch.run(app, "tick", {})
    assert messages(client) == [first]
    deliver(app, first)
    deliver(app, first)  # and the first copy turning up after all
    assert done == [2, 1]
    assert rows(session) == []


def test_a_job_that_fails_leaves_its_row_to_be_run_again(redis_app, done):
    app, session, client = redis_app
    [row_id] = write(session, -1)
    dispatch.hand_over(app, [row_id])
    [message] = messages(client)
    result = queue.celery_of(app).tasks[queue.TASK].apply(kwargs=message)
    assert result.failed()
    assert rows(session) == [(row_id, True)]
    assert done == []


def test_a_retry_of_a_job_that_committed_does_nothing(redis_app, done, monkeypatch):
    """The job committed, then handing over the jobs it wrote met the database down:
    the task's retry finds the row gone instead of doing the work again."""
    from sqlalchemy.exc import OperationalError

    app, session, client = redis_app
    [row_id] = write(session, 5)
    dispatch.hand_over(app, [row_id])
    [message] = messages(client)
    down = OperationalError("SELECT 1", {}, ConnectionError("the database is shutting down"))
    hand_over = dispatch.hand_over
    failures = [down]

    def hand_over_once_down(app, ids):
        if failures:
            raise failures.pop()
        hand_over(app, ids)

    monkeypatch.setattr(dispatch, "hand_over", hand_over_once_down)
    deliver(app, message)  # raised once, retried (``apply`` runs the retry here)
    assert failures == []
    assert done == [5]
    assert rows(session) == []


def test_inline_each_job_runs_once_and_a_failed_one_waits_for_the_timeout(
    app, session, done, clock
):
    [good, bad] = write(session, 3, -1)
    dispatch.hand_over(app, [good, bad])
    dispatch.hand_over(app, [good, bad])  # the request's relay and a sweep, say
    assert done == [3]
    assert rows(session) == [(bad, True)]

    timeout = app.config["QUEUE_VISIBILITY_SECONDS"]
    clock.shift(timedelta(seconds=timeout + 1))
    done.clear()
    JOBS["note"] = lambda _session, number: done.append(number)  # the bug is fixed
    dispatch.run(app, "tick", {})
    assert done == [-1]
    assert rows(session) == []


def test_a_job_run_twice_by_id_does_its_work_once(app, session, done):
    [row_id] = write(session, 9)
    assert dispatch.run(app, "note", {"number": 9}, row_id) is True
    assert dispatch.run(app, "note", {"number": 9}, row_id) is False
    assert done == [9]
    assert session.scalar(select(func.count()).select_from(OutboxJob)) == 0


def test_a_mail_job_run_again_sends_nothing_twice(app, session, mailbox: Mailbox):
    """Its row is gone after the first run; and a copy without a row (the mail
    retry's own) finds the mail claimed and sent."""
    user = make_user(session, email="ada@example.org")
    confirmation.send_link(session, user)
    session.commit()
    [row_id] = outbox.written(session)
    [mail_id] = session.scalars(select(Mail.id)).all()
    for _ in range(2):
        dispatch.run(app, "send_mail", {"mail_id": mail_id}, row_id)
    dispatch.run(app, "send_mail", {"mail_id": mail_id})
    assert len(mailbox.to("ada@example.org")) == 1
    session.commit()
    assert session.get(Mail, mail_id).state == "sent"


@pytest.mark.parametrize("backend", BACKENDS)
def test_two_copies_at_the_same_moment_do_the_work_once(backend, tmp_path, monkeypatch):
    """The second copy waits on the row (PostgreSQL's row lock, SQLite's one writer)
    while the first is inside its job, then finds the row gone."""
    inside, finish = threading.Event(), threading.Event()
    calls: list[int] = []

    def slow_note(_session, number: int) -> None:
        calls.append(number)
        inside.set()
        assert finish.wait(30)

    monkeypatch.setitem(JOBS, "note", slow_note)
    with fresh_database(backend, tmp_path) as url:
        migrate.upgrade(url)
        app = create_app({**TEST_CONFIG, "DATABASE_URL": url})
        session = app.extensions["kindness.db"].sessionmaker()
        [row_id] = write(session, 4)
        session.close()
        results: list[bool] = []

        def copy() -> None:
            results.append(dispatch.run(app, "note", {"number": 4}, row_id))

        first = threading.Thread(target=copy)
        first.start()
        assert inside.wait(30)
        second = threading.Thread(target=copy)
        second.start()
        if backend == "postgresql":
            assert waits_on_a_lock(app), "the second copy did not wait for the first"
        finish.set()
        first.join(30)
        second.join(30)
        assert sorted(results) == [False, True]
        assert calls == [4]
        app.extensions["kindness.db"].engine.dispose()


def waits_on_a_lock(app) -> bool:
    """Whether a session of this database waits on a lock (polled for a few seconds)."""
    engine = app.extensions["kindness.db"].engine
    query = text(
        "SELECT count(*) FROM pg_stat_activity"
        " WHERE datname = current_database() AND wait_event_type = 'Lock'"
    )
    for _ in range(100):
        with engine.connect() as connection:
            if connection.scalar(query):
                return True
        time.sleep(0.1)
    return False


def test_a_sent_mail_is_recorded_after_the_database_comes_back(
    app, session, mailbox: Mailbox, monkeypatch, clock
):
    """The load run's PostgreSQL restart: the SMTP server took the mail, recording it
    failed, and the stale-mail sweep sent it again. Now the recording waits."""
    from sqlalchemy.exc import OperationalError

    from kindness.domain import mails

    user = make_user(session, email="ada@example.org")
    confirmation.send_link(session, user)
    session.commit()
    [mail_id] = session.scalars(select(Mail.id)).all()
    mark_sent = mails.mark_sent
    down = OperationalError("UPDATE mails", {}, ConnectionError("the database is shutting down"))
    failures = [down, down]

    def mark_sent_after_a_restart(*args, **kwargs):
        if failures:
            raise failures.pop()
        mark_sent(*args, **kwargs)

    monkeypatch.setattr(mails, "mark_sent", mark_sent_after_a_restart)
    dispatch.run(app, "send_mail", {"mail_id": mail_id})
    assert failures == []
    session.commit()
    assert session.get(Mail, mail_id).state == "sent"

    clock.shift(timedelta(seconds=app.config["MAIL_STALE_SECONDS"] + 60))
    dispatch.run(app, "tick", {})
    assert len(mailbox.to("ada@example.org")) == 1
