"""The private servers of the load and fault run (bench/load.py): a PostgreSQL cluster
and a Redis of its own, on loopback ports of their own, that the run may stop, kill and
restart without touching anyone else's; the app instances (gunicorn), the Celery worker
and the scheduler (celery beat) on them.

Not a script of its own.
"""

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from bench.harness import PROJECT, serve
from bench.harness import stop as stop_gunicorn

HOST = "127.0.0.1"


def _postgres_bin() -> Path:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"))
    if not found:
        raise SystemExit("no PostgreSQL server programs under /usr/lib/postgresql/*/bin")
    return found[-1].parent


def _wait_port(port: int, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with socket.create_connection((HOST, port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.05)
    raise SystemExit(f"nothing answers on {HOST}:{port} after {seconds:.0f} s")


@dataclass
class Postgres:
    """A cluster made by initdb in ``folder`` (owned by the ``postgres`` user when this
    runs as root, since initdb refuses root), trust authentication, loopback only."""

    folder: Path
    port: int
    bin: Path = field(default_factory=_postgres_bin)

    def _run(self, *command: str) -> None:
        prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        subprocess.run(  # noqa: S603 (the server's own programs, our arguments)
            [*prefix, *command], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT
        )

    @property
    def data(self) -> Path:
        return self.folder / "data"

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://postgres@{HOST}:{self.port}/{database}"

    def create(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            shutil.chown(self.folder, "postgres", "postgres")
        self._run(
            str(self.bin / "initdb"), "-D", str(self.data), "-U", "postgres",
            "--auth=trust", "--encoding=UTF8", "--locale=C.UTF-8",
        )  # fmt: skip
        with (self.data / "postgresql.conf").open("a") as conf:
            conf.write(
                f"listen_addresses = '{HOST}'\nport = {self.port}\n"
                f"unix_socket_directories = '{self.folder}'\nmax_connections = 200\n"
            )

    def _ctl(self, action: str, *extra: str) -> None:
        log = self.folder / "postgres.log"
        self._run(
            str(self.bin / "pg_ctl"), action, "-D", str(self.data), "-l", str(log), "-w",
            "-t", "60", *extra,
        )  # fmt: skip

    def start(self) -> None:
        self._ctl("start")

    def restart(self) -> None:
        """What an operator does for a configuration change or a minor upgrade: the
        sessions are cut (fast shutdown), the server comes back."""
        self._ctl("restart", "-m", "fast")

    def stop(self) -> None:
        self._ctl("stop", "-m", "fast")


@dataclass
class Redis:
    folder: Path
    port: int
    process: subprocess.Popen | None = None

    def url(self, number: int = 0) -> str:
        return f"redis://{HOST}:{self.port}/{number}"

    def start(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        # The append-only file, flushed every second, as a Redis that holds a job queue
        # is run: a stop and start keeps the queued jobs (see README, "Load and faults").
        self.process = subprocess.Popen(  # noqa: S603
            ["redis-server", "--bind", HOST, "--port", str(self.port), "--save", "",  # noqa: S607
             "--appendonly", "yes", "--appendfsync", "everysec", "--dir", str(self.folder)],
            stdout=(self.folder / "redis.log").open("a"),
            stderr=subprocess.STDOUT,
        )  # fmt: skip
        _wait_port(self.port, 20)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()  # SIGTERM: Redis flushes its file and exits
            self.process.wait(timeout=30)
        self.process = None


@dataclass
class App:
    """One app instance: gunicorn with gunicorn.conf.py on its own port."""

    name: str
    port: int
    env: dict[str, str]
    log: Path
    process: subprocess.Popen | None = None

    def start(self) -> None:
        self.process = serve("app:app", self.env, [], self.port, self.log)

    def wait_ready(self, seconds: float = 60) -> None:
        """Until /readyz answers 200 (the database answers and is migrated)."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://{HOST}:{self.port}/readyz", timeout=2):
                    return
            except OSError:
                time.sleep(0.2)

    def stop(self) -> None:
        """SIGTERM: gunicorn's graceful stop (requests under way finish)."""
        if self.process is not None:
            stop_gunicorn(self.process)
        self.process = None


@dataclass
class Celery:
    """``celery -A kindness.jobs.worker <role>`` in a process group of its own, so that a
    kill reaches the worker's pool processes too (as when its host dies)."""

    role: list[str]
    env: dict[str, str]
    log: Path
    process: subprocess.Popen | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(  # noqa: S603
            [sys.executable, "-m", "celery", "-A", "kindness.jobs.worker", *self.role,
             "--loglevel=INFO"],
            cwd=PROJECT,
            env={**os.environ, **self.env},
            stdout=self.log.open("a"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip

    def kill(self) -> None:
        """SIGKILL to the whole group: no warm shutdown, nothing handed back."""
        if self.process is not None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
        self.process = None

    def stop(self) -> None:
        if self.process is None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
        self.process = None
