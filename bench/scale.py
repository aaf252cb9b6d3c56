"""Ten million acts: the pages, their query plans, and acts partitioned by chain root.

A bench, never a test. It fills a scratch PostgreSQL database (``kindness_scale`` on
the server of KINDNESS_BENCH_POSTGRES_URL, default the local one) with 100,000
people and 10,000,000 acts by COPY (bench/scale_world.py says how), then:

1. checks that ``chain_stats`` and ``chain_members`` equal what the domain's
   ``recompute`` gives, on the planted chains and a sample of the others;
2. explains every SELECT of the explore, chain, dashboard and team pages
   (bench/scale_plans.py) and fails (exit 1) if one reads a big table sequentially;
3. times those pages under gunicorn with wrk at 32 connections against the bare
   Flask floor (bench/floor.py), in interleaved rounds: req/s, p50/p99, share of floor;
4. copies acts into a table hash-partitioned by root_id and times the domain's chain
   statements on both, interleaved (bench/scale_partitions.py).

    .venv/bin/python bench/scale.py                       # 10M acts: build ~40 min, the rest ~15
    .venv/bin/python bench/scale.py --acts 100000 --users 5000 --rounds 1 --seconds 3
    .venv/bin/python bench/scale.py --reuse --keep        # the database of an earlier --keep run
    .venv/bin/python bench/scale.py --drop                # drop kindness_scale and stop

Without --keep the database is dropped at the end. Needs wrk.
"""

import argparse
import logging
import random
import re
import statistics
import sys
import tempfile
import time
from math import inf, nan
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))

from sqlalchemy import create_engine, select, text  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402

from bench import harness, scale_partitions, scale_plans, scale_world  # noqa: E402
from bench.pages import PostgresBackends, Run, Server, fetch, log_in, measure  # noqa: E402
from kindness import create_app  # noqa: E402
from kindness.domain.chains import statistics as chain_statistics  # noqa: E402
from kindness.models import ChainMember, ChainStats  # noqa: E402

FLOOR = "floor"
# key: (name, path from the world, signed in)
PAGES = {
    "explore": ("explore", lambda w: "/explore", False),
    "explore-search": ("explore, search “colleague”", lambda w: "/explore?q=colleague", False),
    "chain-typical": ("chain page, 5 acts",
                      lambda w: f"/chains/{w.refs['typical (5 acts)']}", False),
    "chain-10k": ("chain page, 10,000 acts", lambda w: f"/chains/{w.refs['10k']}", False),
    "chain-100k": ("chain page, 100,000 acts (wide)",
                   lambda w: f"/chains/{w.refs['100k wide']}", False),
    "dashboard": ("dashboard of the busiest person", lambda w: "/", True),
    "team": (f"team page ({scale_world.TEAM_SIZE} members, week running)",
             lambda w: f"/teams/{w.team_slug}", True),
}  # fmt: skip
DEFAULT_PAGES = "explore,explore-search,chain-typical,chain-10k,dashboard,team"


# -- 1. statistics as the domain computes them --------------------------------------


def check_statistics(url: str, world: scale_world.World, sample: int) -> int:
    """Recompute the planted chains (but the 100k one: ORM rows, minutes) and
    ``sample`` random ones with the domain, in a transaction rolled back; abort on
    any difference. Returns how many chains were compared."""
    engine = create_engine(url)
    rng = random.Random(scale_world.SEED)
    roots = [root for label, root in world.chains.items() if label != "100k wide"]
    try:
        with Session(engine) as session:
            highest = session.scalar(select(ChainStats.root_id).order_by(ChainStats.root_id.desc()))
            while len(roots) < len(world.chains) + sample:
                found = session.scalar(
                    select(ChainStats.root_id)
                    .where(ChainStats.root_id >= rng.randint(1, highest))
                    .order_by(ChainStats.root_id)
                    .limit(1)
                )
                if found is not None and found not in roots:
                    roots.append(found)
            for root in roots:
                before = _figures(session, root)
                chain_statistics.recompute(session, root)
                session.expire_all()
                after = _figures(session, root)
                if before != after:
                    raise SystemExit(f"ABORT: chain {root}: loaded {before}, recomputed {after}")
            session.rollback()
    finally:
        engine.dispose()
    return len(roots)


def _figures(session: Session, root: int) -> tuple:
    stats = session.execute(
        select(ChainStats.acts, ChainStats.generations, ChainStats.reach, ChainStats.unnamed,
               ChainStats.public_acts, ChainStats.first_on, ChainStats.last_on)
        .where(ChainStats.root_id == root)
    ).one()  # fmt: skip
    members = session.execute(
        select(ChainMember.user_id, ChainMember.places).where(ChainMember.root_id == root)
    ).all()
    return tuple(stats), sorted(tuple(member) for member in members)


# -- 2. query plans -------------------------------------------------------------------


def plans(url: str, world: scale_world.World, keys: list[str]) -> bool:
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "bench", "RATELIMIT_ENABLED": False})
    signed_in, anonymous = app.test_client(), app.test_client()
    form = signed_in.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', form)[1]
    answer = signed_in.post(
        "/login",
        data={
            "csrf_token": token,
            "email": world.email,
            "password": scale_world.PASSWORD,
            "next": "",
        },
    )
    if answer.status_code != 302:
        raise SystemExit(f"ABORT: log-in in-process answered {answer.status_code}")
    pages = {
        PAGES[key][0]: (signed_in if PAGES[key][2] else anonymous, PAGES[key][1](world))
        for key in keys
    }
    try:
        found = scale_plans.explain_pages(app, pages)
    finally:
        app.extensions["kindness.db"].engine.dispose()
    return scale_plans.report(found)


# -- 3. the pages against the floor ----------------------------------------------------


def pages(args, url: str, world: scale_world.World, folder: Path) -> None:
    flags = args.gunicorn.split()
    floor_port, app_port = harness.free_port(), harness.free_port()
    env = {"DATABASE_URL": url, "KINDNESS_SECRET_KEY": "bench"}
    floor = harness.serve("bench.floor:app", {}, flags, floor_port, folder / "floor.log")
    kindness = harness.serve("app:app", env, flags, app_port, folder / "kindness.log")
    backends = PostgresBackends(url)
    try:
        floor_server = Server("floor", floor, f"http://127.0.0.1:{floor_port}")
        app_server = Server("kindness", kindness, f"http://127.0.0.1:{app_port}")
        cookie = ["Cookie: " + log_in(app_server.base, world.email, scale_world.PASSWORD)]
        print(f"\ngunicorn.conf.py {' '.join(flags) or '(as is)'}: "
              f"{len(harness.workers(kindness.pid))} Kindness workers, "
              f"{len(harness.workers(floor.pid))} floor workers; wrk -t2 -c{args.connections}, "
              f"{args.seconds} s a page, {args.rounds} round(s)")  # fmt: skip
        for key in args.pages:
            name, path, signed_in = PAGES[key]
            status, _, body = fetch(app_server.base + path(world), cookie if signed_in else [])
            if status != 200:
                raise SystemExit(f"ABORT: {name} answered {status}:\n{body[:1000]}")
            print(f"  {name:<44} {path(world):<34} 200, {len(body) / 1024:.0f} KiB")
        print("warming up (not counted)", file=sys.stderr)
        harness.wrk(floor_server.base + "/", 2, args.connections)
        for key in args.pages:
            _name, path, signed_in = PAGES[key]
            harness.wrk(app_server.base + path(world), 2, args.connections,
                        cookie if signed_in else [])  # fmt: skip
        results: dict[str, list] = {FLOOR: []}
        for number in range(1, args.rounds + 1):
            print(f"round {number} of {args.rounds}", file=sys.stderr)
            for key in args.pages:
                name, path, signed_in = PAGES[key]
                headers = cookie if signed_in else []
                base = measure(floor_server, "/", [], args.seconds, args.connections, None)
                run = _measure(app_server, path(world), headers, args, backends)
                status, _, _ = fetch(app_server.base + path(world), headers)
                if status != 200:
                    raise SystemExit(f"ABORT: {name} answered {status} after its run")
                run.share = run.rate / base.rate
                results[FLOOR].append(base)
                results.setdefault(key, []).append(run)
                print(
                    f"  {name:<44} {run.rate:8.1f} req/s  p50 {run.p50_ms:7.1f} ms  "
                    f"p99 {run.p99_ms:7.1f} ms  {run.share:6.1%} of floor",
                    file=sys.stderr,
                )
        _report_pages(args, results, backends.readable)
    except SystemExit:
        print((folder / "kindness.log").read_text()[-3000:], file=sys.stderr)
        raise
    finally:
        backends.close()
        harness.stop(kindness)
        harness.stop(floor)


def _measure(server: Server, path: str, headers: list[str], args, backends) -> Run:
    """One wrk run; a page none of whose requests finished within the run counts as
    0 req/s with unknown latency (it happened to the team page on the loaded machine)."""
    try:
        return measure(server, path, headers, args.seconds, args.connections, backends)
    except SystemExit as error:
        if "Non-2xx" in str(error) or not re.search(r"\s0 requests in", str(error)):
            raise
        print(f"  note: {path}: no request finished within {args.seconds} s", file=sys.stderr)
        return Run(rate=0.0, p50_ms=inf, p99_ms=inf, cpu_ms=nan, db_cpu_ms=nan)


def _report_pages(args, results: dict[str, list], db_readable: bool) -> None:
    def median(runs, name: str) -> float:
        return statistics.median(getattr(run, name) for run in runs)

    print(
        f"\nmedians of {args.rounds} round(s), {args.seconds} s a page, wrk -t2 "
        f"-c{args.connections}; CPU per request: gunicorn workers + PostgreSQL backends"
    )
    print("\n| page | req/s | p50 | p99 | server CPU/req | share of floor |")
    print("|---|---|---|---|---|---|")
    floor = results[FLOOR]
    print(f"| bare Flask template (floor) | {median(floor, 'rate'):.0f} | "
          f"{median(floor, 'p50_ms'):.1f} ms | {median(floor, 'p99_ms'):.1f} ms | "
          f"{median(floor, 'cpu_ms'):.2f} ms | 100 % |")  # fmt: skip
    for key in args.pages:
        runs = results[key]
        db = f" + {median(runs, 'db_cpu_ms'):.1f} ms db" if db_readable else ""
        print(f"| {PAGES[key][0]} | {median(runs, 'rate'):.1f} | {median(runs, 'p50_ms'):.1f} ms | "
              f"{median(runs, 'p99_ms'):.1f} ms | {median(runs, 'cpu_ms'):.1f} ms{db} | "
              f"{median(runs, 'share'):.1%} |")  # fmt: skip


# -- 4. partitioned by chain root -----------------------------------------------------


def partitions(args, url: str, world: scale_world.World) -> None:
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            seconds = scale_partitions.build(connection, args.partitions)
            connection.commit()
            sizes = connection.execute(
                text("SELECT pg_size_pretty(pg_total_relation_size('public.acts')),"
                     " (SELECT pg_size_pretty(sum(pg_total_relation_size(inhrelid)))"
                     "  FROM pg_inherits WHERE inhparent = 'partitioned.acts'::regclass)")
            ).one()  # fmt: skip
        print(f"\npartitioned copy of acts: {args.partitions} partitions by HASH (root_id), "
              f"built in {seconds:.0f} s; size with indexes: plain {sizes[0]}, "
              f"partitioned {sizes[1]} (no full-text index)")  # fmt: skip
        print("\npartitions the plan reads (of the copy):")
        for name, count in scale_partitions.pruning(engine, world.chains):
            print(f"  {name}: {count} of {args.partitions}")
        results = scale_partitions.measure(
            engine, world.chains, world.deepest_act, args.partition_rounds, args.calls
        )
        print(f"\nchain statements, ms a call: median of {args.calls} calls, median of "
              f"{args.partition_rounds} interleaved rounds")  # fmt: skip
        print("\n| statement | plain | partitioned | partitioned / plain |")
        print("|---|---|---|---|")

        def shown(ms: float) -> str:
            return f"> {scale_partitions.TIMEOUT_S * 1000:.0f}" if ms == inf else f"{ms:.2f}"

        for name, (plain, partitioned) in results.items():
            ratio = f"{partitioned / plain:.2f}" if inf not in (plain, partitioned) else "–"
            print(f"| {name} | {shown(plain)} | {shown(partitioned)} | {ratio} |")
        if not args.keep:
            with engine.connect() as connection:
                connection.execute(text(f"DROP SCHEMA {scale_partitions.SCHEMA} CASCADE"))
                connection.commit()
    finally:
        engine.dispose()


# -- main -------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--acts", type=int, default=10_000_000)
    parser.add_argument("--users", type=int, default=100_000)
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="use kindness_scale if it holds the same --acts and --users",
    )
    parser.add_argument("--keep", action="store_true", help="do not drop the database at the end")
    parser.add_argument("--drop", action="store_true", help="drop the database and stop")
    parser.add_argument(
        "--database",
        default=scale_world.DATABASE,
        help="the scratch database's name (made and dropped by the bench)",
    )
    parser.add_argument("--rounds", type=int, default=3, help="rounds of the page timings")
    parser.add_argument("--seconds", type=int, default=10, help="wrk time per page and round")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--pages", default=DEFAULT_PAGES,
                        help=f"comma-separated, of: {', '.join(PAGES)}")  # fmt: skip
    parser.add_argument("--gunicorn", default="", help="extra gunicorn flags for both servers")
    parser.add_argument("--partitions", type=int, default=16)
    parser.add_argument("--partition-rounds", type=int, default=3)
    parser.add_argument(
        "--timeout",
        type=int,
        default=scale_partitions.TIMEOUT_S,
        help="seconds after which a partition case's statement is stopped",
    )
    parser.add_argument("--calls", type=int, default=3, help="calls per statement and round")
    parser.add_argument("--sample", type=int, default=200, help="chains to recompute and compare")
    parser.add_argument("--skip", default="", help="comma-separated: plans, pages, partitions")
    args = parser.parse_args()
    args.pages = [key.strip() for key in args.pages.split(",") if key.strip()]
    if set(args.pages) - set(PAGES):
        parser.error(f"unknown page(s): {', '.join(sorted(set(args.pages) - set(PAGES)))}")
    skip = {part.strip() for part in args.skip.split(",") if part.strip()}
    scale_partitions.TIMEOUT_S = args.timeout
    logging.getLogger("alembic").setLevel(logging.WARNING)
    if not args.database.startswith("kindness_scale"):
        parser.error("--database must start with kindness_scale: the bench drops it")
    if args.drop:
        scale_world.drop(args.database)
        print(f"dropped {args.database}")
        return
    print(f"machine: {harness.machine()}")
    started = time.perf_counter()
    url = scale_world.database_url(args.database)
    world = scale_world.existing(args.database) if args.reuse else None
    if world is not None and (world.acts, world.users) != (args.acts, args.users):
        world = None
    failed = False
    try:
        if world is None:
            print(f"building {args.database}: {args.acts:,} acts, {args.users:,} people",
                  file=sys.stderr)  # fmt: skip
            world = scale_world.build(args.acts, args.users, args.database)
        else:
            print(f"reusing {args.database} (built in {world.seconds['all']:.0f} s)")
        print(
            "build, seconds by phase: "
            + ", ".join(f"{name} {value:.0f}" for name, value in world.seconds.items())
        )
        print("data: " + ", ".join(f"{value:,} {name}" for name, value in world.counts.items()))
        compared = check_statistics(url, world, args.sample)
        print(f"chain_stats and chain_members equal the domain's recompute on {compared} chains")
        if "plans" not in skip:
            failed = not plans(url, world, args.pages)
        if "pages" not in skip:
            with tempfile.TemporaryDirectory() as tmp:
                pages(args, url, world, Path(tmp))
        if "partitions" not in skip:
            partitions(args, url, world)
    finally:
        if not args.keep:
            scale_world.drop(args.database)
            print(f"\ndropped {args.database}")
    print(f"\nran {time.perf_counter() - started:.0f} s in all; machine at the end: "
          f"{harness.machine()}")  # fmt: skip
    if failed:
        raise SystemExit("FAILED: a page's statement reads a big table sequentially (above)")


if __name__ == "__main__":
    main()
