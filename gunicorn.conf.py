"""gunicorn's settings for Kindness: ``gunicorn -c gunicorn.conf.py app:app``
(``make serve-gunicorn``). Command-line flags and GUNICORN_CMD_ARGS override them.

Why these values: README.md, "Production" and "Benchmarks".
"""

import gc
import multiprocessing
import os
from pathlib import Path


def _number(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


bind = [f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"]

# gthread workers, chosen by measurement on this project's machine (README,
# "Benchmarks"): 1.2 to 2.6 times the requests per second of sync workers on the
# landing and log-in pages, with and without keep-alive. KINDNESS_WORKER_CLASS=sync
# switches back (then each worker serves one request at a time, and belongs
# behind a buffering proxy that absorbs slow clients); bench/serving.py measures.
worker_class = os.environ.get("KINDNESS_WORKER_CLASS", "gthread")
# Threads of a gthread worker. The pages are CPU work under one GIL per process,
# so threads overlap only the waits (database, Redis, a slow client).
threads = _number("KINDNESS_THREADS", 4)
# Twice the cores and one: a page that holds one process's GIL for a while (a big
# chain, a PNG card) stalls only that process's threads. Memory grows with the count.
workers = _number("KINDNESS_WORKERS", 2 * multiprocessing.cpu_count() + 1)

# A worker silent for this long is killed and replaced (a stuck request).
timeout = _number("KINDNESS_TIMEOUT", 30)
# On TERM or HUP, requests under way get this long to finish before the worker dies.
graceful_timeout = _number("KINDNESS_GRACEFUL_TIMEOUT", 30)
# Seconds a kept-alive connection waits for its next request. Short: a connection
# stays with the worker that accepted it, so long-lived ones pile onto a few workers.
keepalive = _number("KINDNESS_KEEPALIVE", 5)

# Not preloaded: each worker builds its own app after the fork, so no database or
# Redis connection is ever shared between processes, and `kill -HUP` starts
# workers on the code as it is on disk now (a deploy without dropping a request).
# The price is a few MB more per worker and a slower start.
preload_app = False

# The heartbeat file in memory, not on a container's overlay disk, which can
# stall it long enough for the master to kill a healthy worker.
if os.path.isdir("/dev/shm"):  # noqa: S108 (gunicorn's own advice, one file per worker)
    worker_tmp_dir = "/dev/shm"  # noqa: S108

# Access log to standard output unless KINDNESS_ACCESS_LOG names a file ("" for none);
# the secret codes in paths never reach it (kindness/serving.py).
accesslog = os.environ.get("KINDNESS_ACCESS_LOG", "-") or None
errorlog = "-"
logger_class = "kindness.serving.RedactingLogger"


def post_worker_init(worker) -> None:
    """Flask logs an unhandled error as "Exception on <path>" through the app's own
    logger, past gunicorn's: redact that one too. Then the loaded app is moved out of
    the garbage collector's sight: it lives as long as the worker, and a request that
    makes many objects (a big chain's rows) would otherwise have the collector walk it
    all again and again (bench/chains.py: a 50k-act chain read 4x faster frozen)."""
    from kindness.serving import redact_logger

    redact_logger(worker.wsgi.logger)
    gc.collect()
    gc.freeze()


def on_starting(server) -> None:
    """The metrics of an earlier run's workers must not be added to this one's:
    empty the multiprocess folder (README, "Seeing it run") before any worker starts."""
    folder = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        for old in Path(folder).glob("*.db"):
            old.unlink()
