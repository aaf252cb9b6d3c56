"""What the serving benchmarks share: a gunicorn started with gunicorn.conf.py,
wrk runs read into numbers, and the CPU time of a server's worker processes.

Used by bench/serving.py and bench/pages.py; not a script of its own.
"""

import os
import platform
import re
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
# Clock ticks per second of /proc/<pid>/stat's CPU times.
TICKS = os.sysconf("SC_CLK_TCK")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def serve(
    app: str, env: dict[str, str], flags: list[str], port: int, log: Path
) -> subprocess.Popen:
    """Start ``gunicorn -c gunicorn.conf.py <flags> <app>`` on ``port`` in the project
    folder and wait until /healthz answers (the bare app has one too)."""
    environment = {**os.environ, "PORT": str(port), "KINDNESS_ACCESS_LOG": "", **env}
    server = subprocess.Popen(  # noqa: S603 (our own interpreter and arguments)
        [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", *flags, app],
        cwd=PROJECT,
        env=environment,
        stdout=log.open("a"),
        stderr=subprocess.STDOUT,
    )
    for _ in range(300):
        if server.poll() is not None:
            break
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1)
            return server
        except OSError:
            time.sleep(0.1)
    stop(server)
    raise SystemExit(f"gunicorn did not start ({app}); see {log}")


def stop(server: subprocess.Popen) -> None:
    server.terminate()
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


def workers(master: int) -> list[int]:
    """The process ids of a gunicorn master's workers (its children)."""
    children = Path(f"/proc/{master}/task/{master}/children")
    if children.exists():
        return [int(pid) for pid in children.read_text().split()]
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == master:
            found.append(int(stat.parent.name))
    return found


def cpu_seconds(pids: list[int]) -> dict[int, float]:
    """User plus system CPU time of each process (all its threads), in seconds."""
    times = {}
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # gone: a worker replaced meanwhile
        # Fields 14 and 15 of stat (utime, stime); [0] here is field 3.
        times[pid] = (int(fields[11]) + int(fields[12])) / TICKS
    return times


def cpu_used(before: dict[int, float], after: dict[int, float]) -> float:
    """CPU seconds spent between two readings by the processes present in both."""
    return sum(after[pid] - before[pid] for pid in after if pid in before)


@dataclass
class Load:
    rate: float  # requests per second
    requests: int
    p50_ms: float
    p99_ms: float
    non_2xx: int
    errors: str  # wrk's socket error line, if any
    output: str


_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def _milliseconds(value: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", value).groups()
    return float(number) * _UNITS[unit]


def wrk(
    url: str,
    seconds: float,
    connections: int,
    headers: list[str] = (),
    threads: int = 2,
    timeout: str = "30s",
) -> Load:
    """Run wrk against ``url``; ``--latency`` gives the percentiles."""
    header_flags = [flag for header in headers for flag in ("-H", header)]
    done = subprocess.run(  # noqa: S603
        ["wrk", f"-t{threads}", f"-c{connections}", f"-d{max(1, round(seconds))}s", "--latency",  # noqa: S607 (wrk takes whole seconds)
         f"--timeout={timeout}",
         *header_flags, url],
        capture_output=True,
        text=True,
        check=True,
    )  # fmt: skip
    out = done.stdout
    percentiles = dict(re.findall(r"^\s+(50|99)%\s+([\d.]+\w+)", out, re.MULTILINE))
    non_2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    errors = re.search(r"Socket errors:.*", out)
    return Load(
        rate=float(re.search(r"Requests/sec:\s+([\d.]+)", out)[1]),
        requests=int(re.search(r"(\d+) requests in", out)[1]),
        p50_ms=_milliseconds(percentiles["50"]) if "50" in percentiles else float("nan"),
        p99_ms=_milliseconds(percentiles["99"]) if "99" in percentiles else float("nan"),
        non_2xx=int(non_2xx[1]) if non_2xx else 0,
        errors=errors[0] if errors else "",
        output=out,
    )


def machine() -> str:
    """The cores and CPU model, for the top of a report."""
    model = platform.processor() or "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    load = ", ".join(f"{value:.2f}" for value in os.getloadavg())
    return (
        f"{os.cpu_count()} cores (nproc {len(os.sched_getaffinity(0))}), {model}; "
        f"load average {load}; Python {platform.python_version()}, {platform.system()}"
    )


@contextmanager
def scratch_postgres() -> Iterator[str]:
    """The URL of a new, empty PostgreSQL database on the server that
    KINDNESS_BENCH_POSTGRES_URL names (default: the local one), dropped afterwards."""
    from sqlalchemy import create_engine, make_url, text

    server = make_url(os.environ.get(
        "KINDNESS_BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
    ))  # fmt: skip
    name = f"kindness_bench_{secrets.token_hex(4)}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield server.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
