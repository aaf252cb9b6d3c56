"""The JSON API against its floors: Kindness's /api/v1 reads beside a bare Flask
JSON answer, and beside the bare SQL those reads run.

Two measurements, each as a ratio measured side by side in interleaved rounds
(this machine is shared and noisy):

- Served: the app and the bare Flask app of bench/floor.py (its /json: 25 small
  items as JSON, no database) run under real gunicorn with gunicorn.conf.py;
  wrk loads one URL at a time at 8 connections: floor, an API read, floor, the
  next read... For each it prints requests/s, p50/p99, the gunicorn workers'
  CPU per request and its share of the floor just before it.
- In-process: one page of 25 acts through the app (test client, token check,
  serialisation) against the same rows read by a bare SQL statement on the same
  engine, alternating, so the share of the time that is not the database shows.

The world: a person with 300 acts (half for one of 30 contacts) and a read token
on a fresh database (PostgreSQL by default, KINDNESS_BENCH_POSTGRES_URL).

    .venv/bin/python bench/api.py                 # 3 rounds of 10 s (~4 min)
    .venv/bin/python bench/api.py --quick         # 1 round of 3 s
    .venv/bin/python bench/api.py --db sqlite

Needs wrk (Debian: apt-get install wrk).
"""

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
import urllib.request
from datetime import date, timedelta
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))

from sqlalchemy import select  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402

from bench import harness  # noqa: E402
from kindness import create_app  # noqa: E402
from kindness.cli import migrate  # noqa: E402
from kindness.domain import accounts, acts, api_tokens, contacts  # noqa: E402
from kindness.domain.acts import ActInput  # noqa: E402
from kindness.domain.passwords import Passwords  # noqa: E402
from kindness.models import Act  # noqa: E402
from kindness.sessions import get_session  # noqa: E402
from tests.databases import fresh_database  # noqa: E402

SEED = 20261202
ACTS = 300
CONTACTS = 30
PAGE = 25
TODAY = date(2026, 12, 2)
# name, path on the app (None: the floor's /json)
READS = (
    ("GET /api/v1/me", "/api/v1/me"),
    (f"GET /api/v1/acts?limit={PAGE}", f"/api/v1/acts?limit={PAGE}"),
)


def build_world(url: str) -> str:
    """The person, their acts and contacts; returns a read token's secret."""
    migrate.upgrade(url)
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "bench"})
    rng = random.Random(SEED)
    with app.app_context():
        session = get_session()
        person = accounts.sign_up(
            session,
            Passwords(time_cost=1, memory_cost=8, parallelism=1),
            email="api-bench@bench.invalid",
            display_name="Bench",
            password="bench-api-kindly-2026",  # noqa: S106 (a throwaway database)
            time_zone="Europe/Berlin",
            locale="en",
        )
        people = [contacts.add(session, person, f"Neighbour {n}") for n in range(CONTACTS)]
        for number in range(ACTS):
            acts.log(
                session,
                person,
                ActInput(
                    what=f"Small kindness number {number}",
                    performed_on=TODAY - timedelta(days=rng.randrange(365)),
                    contact_id=rng.choice(people).id if number % 2 else None,
                    note="Bench note" if number % 3 else None,
                ),
                TODAY,
            )
        _token, secret = api_tokens.make(session, person, "bench", "read", None, TODAY)
        session.commit()
    return secret


def fetch_json(url: str, headers: dict[str, str]) -> object:
    request = urllib.request.Request(url, headers=headers)  # noqa: S310 (our own server)
    with urllib.request.urlopen(request, timeout=60) as answer:  # noqa: S310
        return json.load(answer)


def served(args, url: str, secret: str, folder: Path) -> None:
    flags = args.gunicorn.split()
    env = {"DATABASE_URL": url, "KINDNESS_SECRET_KEY": "bench", "KINDNESS_API_RATE_LIMIT": ""}
    floor_port, app_port = harness.free_port(), harness.free_port()
    floor = harness.serve("bench.floor:app", {}, flags, floor_port, folder / "floor.log")
    kindness = harness.serve("app:app", env, flags, app_port, folder / "kindness.log")
    floor_base, app_base = f"http://127.0.0.1:{floor_port}", f"http://127.0.0.1:{app_port}"
    auth = {"Authorization": f"Bearer {secret}"}
    wrk_headers = [f"Authorization: Bearer {secret}"]
    try:
        page = fetch_json(app_base + READS[1][1], auth)
        if len(page["items"]) != PAGE or page["next_cursor"] is None:
            raise SystemExit(f"ABORT: the acts page is not {PAGE} items with a next cursor")
        print(f"floor /json: {len(fetch_json(floor_base + '/json', {})['items'])} items; "
              f"app {READS[1][1]}: {len(page['items'])} acts\n")  # fmt: skip
        for _name, path in READS:
            harness.wrk(app_base + path, args.warm, args.connections, wrk_headers)
        harness.wrk(floor_base + "/json", args.warm, args.connections)
        rows: dict[str, list[tuple[float, float, float, float, float]]] = {}
        floor_pids, app_pids = harness.workers(floor.pid), harness.workers(kindness.pid)
        for number in range(1, args.rounds + 1):
            print(f"round {number} of {args.rounds}")
            for name, path in READS:
                base = harness.wrk(floor_base + "/json", args.seconds, args.connections)
                before = harness.cpu_seconds(app_pids)
                load = harness.wrk(app_base + path, args.seconds, args.connections, wrk_headers)
                cpu = harness.cpu_used(before, harness.cpu_seconds(app_pids))
                if load.non_2xx or base.non_2xx or not load.requests:
                    raise SystemExit(f"ABORT: {name}: wrk saw errors\n{load.output}")
                share = load.rate / base.rate
                cpu_ms = cpu * 1000 / load.requests
                rows.setdefault(name, []).append(
                    (load.rate, load.p50_ms, load.p99_ms, cpu_ms, share)
                )
                print(f"  {name:<28} {load.rate:8.1f} req/s  {cpu_ms:6.2f} ms CPU  "
                      f"{share:6.1%} of floor ({base.rate:.0f} req/s)")  # fmt: skip
        print(f"\nserved, medians of {args.rounds} round(s) of {args.seconds:g} s, {args.db}, "
              f"{len(app_pids)} app / {len(floor_pids)} floor workers, "
              f"wrk -c{args.connections}")  # fmt: skip
        print("\n| read | req/s | p50 | p99 | app CPU/req | share of bare Flask JSON |")
        print("|---|---|---|---|---|---|")
        for name, runs in rows.items():
            medians = (statistics.median(column) for column in zip(*runs, strict=True))
            rate, p50, p99, cpu_ms, share = medians
            print(f"| {name} | {rate:.0f} | {p50:.1f} ms | {p99:.1f} ms | {cpu_ms:.2f} ms "
                  f"| {share:.0%} |")  # fmt: skip
    finally:
        harness.stop(kindness)
        harness.stop(floor)


def in_process(args, url: str, secret: str) -> None:
    """The acts page through the app against its bare SQL, alternating."""
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "bench", "API_RATE_LIMIT": ""})
    client = app.test_client()
    headers = {"Authorization": f"Bearer {secret}"}
    engine = app.extensions["kindness.db"].engine
    bare = (
        select(Act.id, Act.what, Act.performed_on, Act.category, Act.visibility, Act.note)
        .order_by(Act.performed_on.desc(), Act.id.desc())
        .limit(PAGE + 1)
    )
    path = READS[1][1]

    def through_app() -> None:
        assert client.get(path, headers=headers).status_code == 200

    def bare_sql() -> None:
        with Session(engine) as session:
            assert len(session.execute(bare).all()) == PAGE + 1

    for _ in range(20):
        through_app()
        bare_sql()
    times: dict[str, list[float]] = {"app": [], "sql": []}
    for _ in range(args.calls):
        for key, call in (("app", through_app), ("sql", bare_sql)):
            started = time.perf_counter()
            call()
            times[key].append(time.perf_counter() - started)
    app_ms = statistics.median(times["app"]) * 1000
    sql_ms = statistics.median(times["sql"]) * 1000
    print(f"\nin-process, {args.calls} alternating calls each, medians ({args.db}):")
    print("\n| read | through the app | its bare SQL | app / SQL |")
    print("|---|---|---|---|")
    print(f"| {PAGE} acts (GET {path}) | {app_ms:.2f} ms | {sql_ms:.2f} ms "
          f"| {app_ms / sql_ms:.1f}x |")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=("postgresql", "sqlite"), default="postgresql")
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--warm", type=float, default=2)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--calls", type=int, default=300)
    parser.add_argument("--gunicorn", default="", help="extra gunicorn flags")
    parser.add_argument("--quick", action="store_true", help="1 round of 3 s, 100 calls")
    args = parser.parse_args()
    if args.quick:
        args.rounds, args.seconds, args.warm, args.calls = 1, 3, 1, 100
    print(harness.machine())
    with tempfile.TemporaryDirectory() as folder, fresh_database(args.db, Path(folder)) as url:
        secret = build_world(url)
        served(args, url, secret, Path(folder))
        in_process(args, url, secret)


if __name__ == "__main__":
    main()
