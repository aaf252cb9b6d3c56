"""/metrics under real gunicorn: two sync workers count apart, and a scrape of either
one reports the sum (prometheus_client's multiprocess mode, PROMETHEUS_MULTIPROC_DIR)."""

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from prometheus_client import CollectorRegistry
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.parser import text_string_to_metric_families

from kindness.cli import migrate
from tests.databases import BACKENDS, fresh_database

PROJECT = Path(__file__).resolve().parent.parent.parent
REQUESTS = "kindness_http_requests_total"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 (our own server)
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def requests_total(samples) -> float:
    return sum(sample.value for sample in samples if sample.name == REQUESTS)


def per_worker(folder: Path, work: Path) -> dict[str, float]:
    """Each worker's own request count, read from its file alone."""
    counts = {}
    for file in folder.glob("counter_*.db"):
        alone = work / file.stem
        alone.mkdir(parents=True)
        shutil.copy(file, alone / file.name)
        registry = CollectorRegistry()
        MultiProcessCollector(registry, path=str(alone))
        counts[file.stem] = requests_total(
            sample for family in registry.collect() for sample in family.samples
        )
    return counts


@pytest.fixture(params=BACKENDS)
def gunicorn(request, tmp_path) -> Iterator[tuple[str, Path]]:
    """gunicorn with two sync workers on a fresh, migrated database; its base URL
    and its multiprocess folder."""
    with (
        fresh_database(request.param, tmp_path) as url,
        (tmp_path / "gunicorn.log").open("w") as log,
    ):
        migrate.upgrade(url)
        folder = tmp_path / "prometheus"
        folder.mkdir()
        config = tmp_path / "gunicorn.conf.py"
        config.write_text("")  # this test's settings only, whatever the project's file says
        port = free_port()
        environment = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("KINDNESS_", "PROMETHEUS_")) and key != "REDIS_URL"
        }
        environment.update(
            DATABASE_URL=url,
            KINDNESS_SECRET_KEY="metrics-test-key",
            KINDNESS_BASE_URL=f"http://127.0.0.1:{port}",
            PROMETHEUS_MULTIPROC_DIR=str(folder),
        )
        server = subprocess.Popen(  # noqa: S603 (our own interpreter and arguments)
            [
                sys.executable,
                "-m",
                "gunicorn",
                "--config",
                str(config),
                "--workers",
                "2",
                "--worker-class",
                "sync",
                "--bind",
                f"127.0.0.1:{port}",
                "app:app",
            ],
            cwd=PROJECT,
            env=environment,
            stdout=subprocess.DEVNULL,
            stderr=log,
        )
        try:
            yield f"http://127.0.0.1:{port}", folder
        finally:
            server.send_signal(signal.SIGTERM)
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()


def test_metrics_of_two_workers_are_summed(gunicorn, tmp_path):
    base, folder = gunicorn
    sent = 0
    deadline = time.monotonic() + 30
    while True:  # until the server answers (each answer counts)
        try:
            status, _ = get(f"{base}/healthz")
        except OSError:
            assert time.monotonic() < deadline, (tmp_path / "gunicorn.log").read_text()
            time.sleep(0.2)
            continue
        sent += 1
        if status == 200:
            break
    paths = [f"/p/code-{number}" if number % 2 else "/" for number in range(40)]
    with ThreadPoolExecutor(max_workers=8) as pool:
        for _round in range(10):  # until both workers have answered some
            statuses = list(pool.map(lambda path: get(base + path)[0], paths))
            sent += len(statuses)
            assert set(statuses) <= {200, 404, 429}
            served = per_worker(folder, tmp_path / f"round-{_round}")
            if len(served) == 2 and all(served.values()):
                break
    assert len(served) == 2 and all(served.values()), served
    status, text = get(f"{base}/metrics")
    assert status == 200
    samples = [
        sample for family in text_string_to_metric_families(text) for sample in family.samples
    ]
    assert requests_total(samples) == sent
    assert sum(served.values()) == sent
    routes = {sample.labels["route"] for sample in samples if sample.name == REQUESTS}
    assert "/p/<code>" in routes and not any("code-" in route for route in routes)
