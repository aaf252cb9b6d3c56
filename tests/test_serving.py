"""Real gunicorn with gunicorn.conf.py: no secret code reaches its access log, and a
HUP replaces the workers without dropping a request."""

import logging
import os
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from kindness import PROJECT_ROOT
from kindness.cli import migrate
from kindness.serving import RedactingFilter, redact
from tests.databases import fresh_database


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def fetch(url: str, headers: dict[str, str] | None = None, timeout: float = 10) -> int:
    """GET ``url`` without following redirects; return the status."""

    class NoRedirects(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *_args, **_kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirects)
    try:
        request = urllib.request.Request(url, headers=headers or {})  # noqa: S310 (our own server)
        with opener.open(request, timeout=timeout) as answer:
            return answer.status
    except urllib.error.HTTPError as error:
        return error.code


@dataclass
class Served:
    base: str
    access_log: Path
    error_log: Path
    master: subprocess.Popen

    def workers(self) -> set[int]:
        children = Path(f"/proc/{self.master.pid}/task/{self.master.pid}/children")
        return {int(pid) for pid in children.read_text().split()}


@pytest.fixture
def gunicorn(tmp_path) -> Iterator[Served]:
    """Serve the app with gunicorn.conf.py and 2 workers on a fresh, migrated SQLite
    database."""
    port = free_port()
    access_log = tmp_path / "access.log"
    error_log = tmp_path / "error.log"
    with fresh_database("sqlite", tmp_path) as url:
        migrate.upgrade(url)
        env = {**os.environ, "DATABASE_URL": url, "KINDNESS_SECRET_KEY": "test", "PORT": str(port)}
        server = subprocess.Popen(  # noqa: S603 (our own interpreter and arguments)
            [
                *(sys.executable, "-m", "gunicorn", "--config", "gunicorn.conf.py"),
                *("--workers", "2", "--access-logfile", str(access_log)),
                *("--error-logfile", str(error_log), "app:app"),
            ],
            cwd=PROJECT_ROOT,
            env=env,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 60
            while True:
                assert server.poll() is None, error_log.read_text()
                try:
                    if fetch(base + "/healthz") == 200:
                        break
                except OSError:
                    pass
                assert time.monotonic() < deadline, "gunicorn did not start"
                time.sleep(0.1)
            yield Served(base, access_log, error_log, server)
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=60)


def test_no_code_reaches_the_access_log(gunicorn):
    base, access_log, error_log = gunicorn.base, gunicorn.access_log, gunicorn.error_log
    codes = {name: f"{name}{secrets.token_urlsafe(12)}" for name in ("claim", "invite", "reset")}
    codes |= {name: f"{name}{secrets.token_urlsafe(12)}" for name in ("confirm", "stop", "feed")}
    paths = [
        f"/p/{codes['claim']}",
        f"/teams/join/{codes['invite']}",
        f"/password/reset/{codes['reset']}",
        f"/confirm/{codes['confirm']}",
        f"/unsubscribe/{codes['stop']}",
        f"/calendar/{codes['feed']}.ics",
    ]
    agent = f"kindness-test-{secrets.token_hex(4)}"
    for path in paths:
        fetch(base + path, {"User-Agent": agent})
    # A code in the query (?next= after a log-in) and in the Referer.
    fetch(
        base + f"/login?next=%2Fteams%2Fjoin%2F{codes['invite']}",
        {"User-Agent": agent, "Referer": f"{base}/p/{codes['claim']}?from=card"},
    )
    # The two workers write each line after answering: wait until all seven are there.
    deadline = time.monotonic() + 10
    while access_log.read_text().count(agent) < 7 and time.monotonic() < deadline:
        time.sleep(0.1)
    log = access_log.read_text()

    lines = [line for line in log.splitlines() if agent in line]
    assert len(lines) == 7
    assert all(line.startswith("127.0.0.1 - - [") for line in lines)
    # Two workers: a line may land before the one of the request asked just before.
    for path in paths:
        assert any(f'"GET {redact(path)} HTTP/1.1"' in line for line in lines), path
    assert '"GET /p/[redacted] HTTP/1.1" 404' in log
    assert '"GET /calendar/[redacted].ics HTTP/1.1"' in log
    assert '"GET /login?next=%2Fteams%2Fjoin%2F[redacted] HTTP/1.1" 200' in log
    assert f'"{base}/p/[redacted]?from=card" "{agent}"' in log
    for code in codes.values():
        assert code not in log
        assert code not in error_log.read_text()


def test_hup_replaces_the_workers_without_dropping_a_request(gunicorn):
    old = gunicorn.workers()
    assert len(old) == 2
    statuses: list[int | str] = []
    stop = threading.Event()

    def keep_asking() -> None:
        while not stop.is_set():
            try:
                # A request may wait while the new workers load the app: none is lost.
                statuses.append(fetch(gunicorn.base + "/healthz", timeout=60))
            except OSError as error:
                statuses.append(repr(error))

    asker = threading.Thread(target=keep_asking)
    asker.start()
    try:
        time.sleep(0.5)
        gunicorn.master.send_signal(signal.SIGHUP)
        deadline = time.monotonic() + 60
        while gunicorn.workers() & old or len(gunicorn.workers()) != 2:
            assert time.monotonic() < deadline, "the old workers were not replaced"
            time.sleep(0.1)
        time.sleep(0.5)
    finally:
        stop.set()
        asker.join()
    assert len(statuses) > 10
    assert set(statuses) == {200}


@pytest.mark.parametrize(
    ("text", "redacted"),
    [
        ("GET /p/Ab-1_x/card.png HTTP/1.1", "GET /p/[redacted]/card.png HTTP/1.1"),
        ("/password/reset/eyJ.abc.def?x=1", "/password/reset/[redacted]?x=1"),
        ("/login?next=%252Fp%252Fcode&a=b", "/login?next=%252Fp%252F[redacted]&a=b"),
        ("/PASSWORD/RESET/token", "/PASSWORD/RESET/[redacted]"),
        # Pages beside the secret ones keep their names.
        ("POST /confirm/send HTTP/1.1", "POST /confirm/send HTTP/1.1"),
        ("/settings/calendar/link", "/settings/calendar/link"),
        ("/chains/ab12/card.png", "/chains/ab12/card.png"),
    ],
)
def test_redact_takes_only_the_code(text, redacted):
    assert redact(text) == redacted


def test_a_logged_error_keeps_no_code():
    try:
        raise ValueError("no pass at /p/secret-code")
    except ValueError:
        record = logging.LogRecord(
            "kindness",
            logging.ERROR,
            __file__,
            1,
            "Exception on %s [%s]",
            ("/p/secret-code", "GET"),
            sys.exc_info(),
        )
    assert RedactingFilter().filter(record)
    assert logging.Formatter().format(record) == (
        "Exception on /p/[redacted] [GET]\n" + record.exc_text
    )
    assert "secret-code" not in logging.Formatter().format(record)
    assert "ValueError: no pass at /p/[redacted]" in record.exc_text


def test_starting_empties_the_metrics_folder_of_an_earlier_run(tmp_path, monkeypatch):
    import runpy

    folder = tmp_path / "metrics"
    folder.mkdir()
    (folder / "counter_123.db").write_bytes(b"old counts")
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(folder))
    settings = runpy.run_path(str(Path(__file__).resolve().parent.parent / "gunicorn.conf.py"))
    settings["on_starting"](server=None)
    assert folder.is_dir() and list(folder.iterdir()) == []
