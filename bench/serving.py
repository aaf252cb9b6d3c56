"""Sync against gthread workers: real gunicorn with gunicorn.conf.py on a fresh
database, loaded by wrk on the landing page and the log-in page, interleaved rounds.

    .venv/bin/python bench/serving.py                  # PostgreSQL, 3 rounds of 10 s
    .venv/bin/python bench/serving.py --close            # a connection per request, as behind nginx
    .venv/bin/python bench/serving.py --db sqlite --rounds 2 --seconds 5

Needs wrk (Debian: apt-get install wrk).
"""

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))

from bench import harness  # noqa: E402
from kindness.cli import migrate  # noqa: E402
from tests.databases import fresh_database  # noqa: E402

CONFIGS = {
    "sync, 5 workers": ["--worker-class", "sync", "--workers", "5"],
    "gthread, 5 workers × 4 threads": [
        "--worker-class",
        "gthread",
        "--workers",
        "5",
        "--threads",
        "4",
    ],
    "gthread, 2 workers × 4 threads": [
        "--worker-class",
        "gthread",
        "--workers",
        "2",
        "--threads",
        "4",
    ],
}
PAGES = {"landing /": "/", "log-in /login": "/login"}


def serve(url: str, flags: list[str], port: int, folder: Path):
    env = {"DATABASE_URL": url, "KINDNESS_SECRET_KEY": "bench"}
    return harness.serve("app:app", env, flags, port, folder / "server.log")


def load(port: int, path: str, seconds: int, connections: int, close: bool) -> float:
    # nginx speaks HTTP/1.0 to its upstream unless told otherwise: a connection per request.
    headers = ["Connection: close"] if close else []
    done = harness.wrk(f"http://127.0.0.1:{port}{path}", seconds, connections, headers)
    if done.non_2xx:
        raise SystemExit("wrk saw errors:\n" + done.output)
    return done.rate


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=("sqlite", "postgresql"), default="postgresql")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--close", action="store_true", help="a new connection per request")
    args = parser.parse_args()
    results: dict[tuple[str, str], list[float]] = {}
    with tempfile.TemporaryDirectory() as tmp, fresh_database(args.db, Path(tmp)) as url:
        migrate.upgrade(url)
        for round_number in range(args.rounds):
            for name, flags in CONFIGS.items():
                port = harness.free_port()
                server = serve(url, flags, port, Path(tmp))
                try:
                    for page, path in PAGES.items():
                        load(port, path, 2, args.connections, args.close)  # warm up
                        rate = load(port, path, args.seconds, args.connections, args.close)
                        results.setdefault((name, page), []).append(rate)
                        print(f"round {round_number + 1}: {name}, {page}: {rate:.0f} req/s")
                finally:
                    harness.stop(server)
    close = ", Connection: close" if args.close else ", keep-alive"
    print(f"\nrequests/s, wrk -t2 -c{args.connections}{close}, median of {args.rounds} rounds")
    for (name, page), rates in results.items():
        spread = f"{min(rates):.0f}–{max(rates):.0f}"
        print(f"| {name} | {page} | {statistics.median(rates):.0f} | {spread} |")


if __name__ == "__main__":
    main()
