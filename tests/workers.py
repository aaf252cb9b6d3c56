"""Real Celery worker processes for the tests and the benchmarks: started on their own
Redis database against a database of their own, stopped at the end."""

import os
import secrets
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import redis

from tests.databases import in_ci

PROJECT = Path(__file__).resolve().parent.parent


def queue_url() -> str:
    """The Redis database the queue tests use (and empty)."""
    return os.environ.get("KINDNESS_TEST_QUEUE_URL", "redis://127.0.0.1:6379/14")


def reachable_redis(url: str) -> redis.Redis:
    """A client of the Redis database at ``url``; skips the test when Redis does not
    answer on a developer's machine, and fails it in CI (CI=true)."""
    client = redis.Redis.from_url(url)
    try:
        client.ping()
    except redis.exceptions.ConnectionError as error:
        client.close()
        if in_ci():
            pytest.fail(f"Redis is not reachable at {url}: {error}", pytrace=False)
        pytest.skip(f"Redis is not reachable at {url}")
    return client


def queue_redis() -> redis.Redis:
    """A client of the queue's Redis database, emptied."""
    client = reachable_redis(queue_url())
    client.flushdb()
    return client


@contextmanager
def workers(
    environment: dict[str, str], count: int = 1, log_folder: Path | None = None
) -> Iterator[list[subprocess.Popen]]:
    """Start ``count`` worker processes (one job at a time each) with ``environment``
    added to this one's; stop them (warm shutdown) when the block ends."""
    env = {**os.environ, **environment}
    processes = []
    logs = []
    try:
        for number in range(count):
            log = (log_folder / f"worker-{number}.log").open("w") if log_folder else None
            if log:
                logs.append(log)
            command = [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "kindness.jobs.worker",
                "worker",
                "--pool=solo",
                "--loglevel=INFO",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "-n",
                f"test-{number}-{secrets.token_hex(3)}@localhost",
            ]
            processes.append(
                subprocess.Popen(  # noqa: S603 (our own interpreter and arguments)
                    command,
                    cwd=PROJECT,
                    env=env,
                    stdout=log or subprocess.DEVNULL,
                    stderr=subprocess.STDOUT,
                )
            )
        yield processes
    finally:
        for process in processes:
            process.send_signal(signal.SIGTERM)
        for process in processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        for log in logs:
            log.close()
