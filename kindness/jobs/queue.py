"""The queue: Celery with Redis as its broker.

Celery because it brings, well kept, what the jobs need beyond a queue: workers
on any number of hosts (``celery worker``), one scheduler for periodic jobs
(``celery beat``), late acknowledgement (a job whose worker dies is run again)
and a JSON wire format. Retries of mail are the mail log's own (``domain.mails``),
so they survive a Redis restart and work without Redis too.

There is one task, ``kindness.run``, which runs a job of ``registry.JOBS`` by
name, with the id of its outbox row (``dispatch.run`` does the job only while
that row is there); the app publishes to it, the worker runs it.
"""

from datetime import timedelta
from typing import Any, cast

import redis
from celery import Celery
from flask import Flask
from kombu.exceptions import OperationalError
from sqlalchemy.exc import OperationalError as DatabaseUnavailable

TASK = "kindness.run"
# The Redis list the jobs wait in (Celery's default queue, named here so /metrics can count it).
QUEUE = "celery"
EXTENSION = "kindness.queue"
# How often the scheduler runs the periodic jobs (``periodic.tick``).
TICK_EVERY = timedelta(minutes=1)
# How long a request may spend reaching Redis before its jobs wait in the outbox.
CONNECT_SECONDS = 2


# How often a job that met a database that did not answer is tried again (about
# 8 minutes of waits in all).
RETRIES = 12


class Unavailable(Exception):
    """Redis did not take the jobs."""


def enabled(app: Flask) -> bool:
    return bool(app.config.get("REDIS_URL"))


def make_celery(app: Flask) -> Celery:
    """The Celery app for ``app``: publishes jobs, and runs them in a worker."""
    celery = Celery("kindness", broker=app.config["REDIS_URL"], set_as_current=False)
    celery.conf.update(
        task_default_queue=QUEUE,
        task_serializer="json",
        accept_content=["json"],
        task_ignore_result=True,
        # A job is acknowledged when it is done: one whose worker dies is run again.
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=4,
        worker_hijack_root_logger=False,
        broker_connection_retry_on_startup=True,
        # A request must not hang on a Redis that is down: fail fast, the outbox keeps the job.
        task_publish_retry=False,
        broker_transport_options={
            "socket_connect_timeout": 2,
            "socket_timeout": 5,
            # When the jobs of a worker that died (taken, never acknowledged) run again:
            # after the visibility timeout, found by a sweep every 10 s (kombu's default
            # throttle sweeps only every tenth time, about every 100 s).
            "visibility_timeout": int(app.config["QUEUE_VISIBILITY_SECONDS"]),
            "unacked_restore_throttle": 1,
        },
        broker_connection_timeout=2,
        beat_schedule={
            "tick": {"task": TASK, "schedule": TICK_EVERY, "kwargs": {"job": "tick", "args": {}}}
        },
    )

    # A job that meets a database that does not answer (a restart, a fail-over) or a
    # transaction that lost a race is run again soon, with back-off (its outbox row was
    # rolled back with it, so the retry does it; a retry of a job that did commit
    # finds its row gone and does nothing). Any other error is a bug, logged, and
    # left to the sweep (its row stays: run again after the visibility timeout).
    @celery.task(
        name=TASK,
        # This app's own: a shared task would join every Celery app made later in the
        # process (the tests make one per Flask app) and run with the first Flask app.
        shared=False,
        autoretry_for=(DatabaseUnavailable,),
        retry_backoff=2,  # 2, 4, 8, ... seconds
        retry_backoff_max=60,
        retry_jitter=False,
        max_retries=RETRIES,
    )
    def run_job(job: str, args: dict[str, Any], outbox_id: int | None = None) -> None:
        # Without an outbox row: the scheduler's tick (and messages queued before the
        # rows carried ids), each safe to run twice.
        from kindness.jobs import dispatch

        dispatch.run(app, job, args, outbox_id)

    return celery


def celery_of(app: Flask) -> Celery:
    if EXTENSION not in app.extensions:
        app.extensions[EXTENSION] = make_celery(app)
    return app.extensions[EXTENSION]


def send(app: Flask, jobs: list[tuple[str, dict[str, Any], int]]) -> int:
    """Publish ``jobs`` (name, arguments, outbox row id) on one connection; return how
    many the queue took (all, or raise)."""
    celery = celery_of(app)
    try:
        with celery.connection_for_write() as connection:
            # One quick try: left to itself, kombu retries a refused connection forever.
            connection.ensure_connection(
                max_retries=1, interval_start=0, interval_step=0, timeout=CONNECT_SECONDS
            )
            for job, args, outbox_id in jobs:
                kwargs = {"job": job, "args": args, "outbox_id": outbox_id}
                celery.send_task(TASK, kwargs=kwargs, connection=connection)
    except (OperationalError, OSError) as error:
        raise Unavailable(str(error)) from error
    return len(jobs)


def depth(app: Flask) -> int:
    """How many jobs wait in the queue on Redis (raise ``Unavailable`` when it does not answer)."""
    client = redis.Redis.from_url(
        app.config["REDIS_URL"], socket_timeout=0.5, socket_connect_timeout=0.5
    )
    try:
        return cast(int, client.llen(QUEUE))  # a sync client: never an awaitable
    except redis.RedisError as error:
        raise Unavailable(str(error)) from error
    finally:
        client.close()
