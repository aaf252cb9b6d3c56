"""Forwards under concurrency on PostgreSQL: 1, 4 and 16 writers, each act its own
transaction, the app's domain path against the bare writes, to many chains and to
one chain, then a consistency check and a profile of one writer.

Writers are processes (no GIL between them), forked once at the start and kept for
every round; each has its own app, engine and raw driver connection. A round runs
every case for ``--seconds`` with all its writers started at the same instant, in
the order app, bare, app, bare, ... (so both sides of a ratio meet the same load
from the rest of the machine); ``--rounds`` rounds, median and lowest–highest.

- **app**: what ``POST /acts/new`` does for a forward, without the web around it:
  a new session (one app context per act, as per request), the author read by id
  (as the log-in loader does), ``acts.log`` of a forward, commit; a lost race is
  rolled back and counted as the boundary's 409 ("try again"), any other error is
  counted and rolled back. The job hand-over after the commit (a Redis push, or the
  fan-out inline without Redis) is left out: bench/forwards.py times the fan-out.
- **bare**: the same rows written by hand through the raw driver (psycopg, no
  SQLAlchemy): insert the act, add it to the chain's figures, write the outbox
  row, commit. No reads: the bare side knows the parent.

Targets: *many chains*, each writer forwarding in a chain of its own; *one chain*,
every writer forwarding its own received act of the same chain, so all of them
update that chain's one ``chain_stats`` row (a row lock held to the commit).

After the rounds: every act a writer saw committed is in the database, every
chain's figures equal the domain's ``statistics.recompute`` of its acts, and
errors by kind. Then cProfile of one writer on the app path (in this process).

    .venv/bin/python bench/concurrency.py                       # 3 rounds of 3 s a case
    .venv/bin/python bench/concurrency.py --rounds 5 --seconds 5 --writers 1 4 16

About (12 cases × rounds × seconds) plus 30 s: 2 minutes with the defaults.
PostgreSQL comes from KINDNESS_BENCH_POSTGRES_URL (default: the local server);
the benchmark makes and drops a database of its own there.
"""

import argparse
import cProfile
import io
import logging
import multiprocessing
import os
import pstats
import secrets
import statistics
import sys
import time
from datetime import UTC, date, datetime
from pathlib import Path

import click
from sqlalchemy import create_engine, insert, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from kindness import create_app
from kindness.cli import migrate
from kindness.db import lost_race
from kindness.domain import acts, outbox
from kindness.domain.acts import ActInput
from kindness.domain.chains import statistics as chain_statistics
from kindness.models import Act, ChainMember, ChainStats, User
from kindness.sessions import get_session
from tests.chain_shapes import insert_people

DAY = date(2026, 3, 2)
CONFIG = {"SECRET_KEY": "bench", "RATELIMIT_ENABLED": False, "REDIS_URL": None}
BARE_ACT = (
    "INSERT INTO acts (ref, author_id, what, performed_on, category, visibility, parent_id,"
    " root_id, depth, recipient_named, created_at, updated_at) VALUES (%s, %s, %s, %s,"
    " 'other', 'private', %s, %s, %s, false, %s, %s) RETURNING id"
)
BARE_STATS = (
    "UPDATE chain_stats SET acts = acts + 1, generations = greatest(generations, %s),"
    " unnamed = unnamed + 1, reach = reach + 1, first_on = least(first_on, %s),"
    " last_on = greatest(last_on, %s), grown_at = %s WHERE root_id = %s"
)
BARE_OUTBOX = "INSERT INTO outbox (job, args, created_at) VALUES ('travelled', %s, %s)"


# -- the writers ---------------------------------------------------------------


def writer(number: int, url: str, commands, results) -> None:
    """One writer process: waits for a command, runs it, reports, until told to stop."""
    logging.getLogger("kindness").setLevel(logging.CRITICAL)
    app = create_app({**CONFIG, "DATABASE_URL": url})
    import psycopg

    raw = psycopg.connect(_driver_url(url))
    while True:
        command = commands.get()
        if command is None:
            break
        side, parent, start_at, seconds = command
        function = _app_forward if side == "app" else _bare_forward
        target = app if side == "app" else raw
        ids, errors = [], {}
        while time.time() < start_at:
            time.sleep(0.001)
        cpu = time.process_time()
        end = start_at + seconds
        while time.time() < end:
            try:
                ids.append(function(target, parent))
            except Exception as error:  # counted and reported: the run goes on
                kind = _kind(error)
                errors[kind] = errors.get(kind, 0) + 1
                if side == "bare":
                    raw.rollback()
        results.put((number, ids, errors, time.process_time() - cpu))
    raw.close()
    app.extensions["kindness.db"].engine.dispose()


def _kind(error: Exception) -> str:
    if isinstance(error, DBAPIError) and lost_race(error):
        return "409 lost race (" + str(getattr(error.orig, "sqlstate", "")) + ")"
    sqlstate = getattr(error, "sqlstate", None) or getattr(
        getattr(error, "orig", None), "sqlstate", None
    )
    return f"{type(error).__name__} {sqlstate or ''}".strip()


def _app_forward(app, parent: dict) -> int:
    """One request's worth of the domain: a session of its own, one transaction."""
    with app.app_context():
        session = get_session()
        try:
            author = session.get(User, parent["author"])
            act = acts.log(
                session, author, ActInput(what="Passed on", parent_ref=parent["ref"]), DAY
            )
            session.commit()
        except Exception:
            session.rollback()
            outbox.forget(session)
            raise
        outbox.written(session)  # the hand-over is not part of this measurement
        return act.id


def _bare_forward(raw, parent: dict) -> int:
    now = datetime.now(UTC)
    with raw.cursor() as cursor:
        cursor.execute(
            BARE_ACT,
            (secrets.token_urlsafe(9), parent["author"], "Passed on", DAY, parent["id"],
             parent["root"], parent["depth"] + 1, now, now),
        )  # fmt: skip
        act_id = cursor.fetchone()[0]
        cursor.execute(BARE_STATS, (parent["depth"] + 2, DAY, DAY, now, parent["root"]))
        cursor.execute(BARE_OUTBOX, (f'{{"act_id": {act_id}}}', now))
    raw.commit()
    return act_id


def _driver_url(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


# -- the data ------------------------------------------------------------------


def make_chains(session, writers: int) -> tuple[list[dict], list[dict]]:
    """Per writer, a chain of its own (a root it received) and, in one shared chain,
    a first-generation act it received. Figures from the domain's recompute."""
    people = insert_people(session, 2 * writers + 2, prefix="writer")
    rows, first = [], (session.scalar(select(Act.id).order_by(Act.id.desc()).limit(1)) or 0) + 1

    def act(author, recipient, parent=None, root=None, depth=0) -> dict:
        act_id = first + len(rows)
        rows.append({
            "id": act_id, "ref": f"w{act_id}", "author_id": author.id,
            "recipient_id": recipient.id, "recipient_named": True, "what": "Received",
            "performed_on": DAY, "category": "help", "visibility": "public",
            "parent_id": parent, "root_id": root or act_id, "depth": depth,
        })  # fmt: skip
        return {"id": act_id, "ref": f"w{act_id}", "author": recipient.id,
                "root": root or act_id, "depth": depth}  # fmt: skip

    many = [act(people[2 * n], people[2 * n + 1]) for n in range(writers)]
    shared_root = act(people[-2], people[-1])
    one = [
        act(people[-1], people[2 * n], parent=shared_root["id"], root=shared_root["id"], depth=1)
        for n in range(writers)
    ]
    session.execute(insert(Act), rows)
    session.execute(text("SELECT setval(pg_get_serial_sequence('acts', 'id'), max(id)) FROM acts"))
    for root in {parent["root"] for parent in [*many, *one]}:
        session.execute(insert(ChainStats).values(root_id=root, first_on=DAY, last_on=DAY))
        chain_statistics.recompute(session, root)
    session.commit()
    return many, one


def figures(session, roots: list[int]) -> dict:
    stats = {
        row.root_id: (row.acts, row.generations, row.reach, row.unnamed, row.public_acts,
                      row.first_on, row.last_on)
        for row in session.scalars(select(ChainStats).where(ChainStats.root_id.in_(roots)))
    }  # fmt: skip
    members = sorted(
        session.execute(
            select(ChainMember.root_id, ChainMember.user_id, ChainMember.places).where(
                ChainMember.root_id.in_(roots)
            )
        ).all()
    )
    return {"stats": stats, "members": members}


def check(url: str, roots: list[int], committed: list[int]) -> list[str]:
    """Every committed act present; every chain's figures what recompute makes of its acts."""
    app = create_app({**CONFIG, "DATABASE_URL": url})
    findings = []
    with app.app_context():
        session = get_session()
        # One array parameter: the committed ids may be far more than 65,535 parameters.
        present = set(
            session.scalars(text("SELECT id FROM acts WHERE id = ANY(:ids)"), {"ids": committed})
        )
        findings.append(f"acts committed by the writers: {len(committed):,}, "
                        f"in the database: {len(present):,}")  # fmt: skip
        before = figures(session, roots)
        for root in roots:
            chain_statistics.recompute(session, root)
        session.flush()
        after = figures(session, roots)
        session.rollback()
        wrong = [root for root in roots if before["stats"][root] != after["stats"][root]]
        findings.append(
            f"chain figures equal to a recompute: {len(roots) - len(wrong)} of {len(roots)} chains"
            + (f" (different: {wrong[:5]})" if wrong else "")
        )
        findings.append(
            "chain members equal to a recompute: "
            + ("yes" if before["members"] == after["members"] else "NO")
        )
        if len(present) != len(committed) or wrong or before["members"] != after["members"]:
            findings.append("INCONSISTENT")
    app.extensions["kindness.db"].engine.dispose()
    return findings


# -- the profile ---------------------------------------------------------------


def profile(url: str, parent: dict, count: int) -> str:
    app = create_app({**CONFIG, "DATABASE_URL": url})
    for _ in range(20):  # warm: statement caches, imports
        _app_forward(app, parent)
    profiler = cProfile.Profile()
    started = time.perf_counter()
    profiler.enable()
    for _ in range(count):
        _app_forward(app, parent)
    profiler.disable()
    wall = (time.perf_counter() - started) / count * 1000
    app.extensions["kindness.db"].engine.dispose()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    total = stats.total_tt / count * 1000
    areas: dict[str, float] = {}
    for (filename, _line, name), values in stats.stats.items():
        area = _area(filename, name)
        areas[area] = areas.get(area, 0.0) + values[2] / count * 1000
    out.write(
        f"{count} forwards by one writer under cProfile: {wall:.2f} ms each, {total:.2f} ms"
        " profiled; own time by area, ms an act: "
        + ", ".join(f"{area} {ms:.2f}" for area, ms in sorted(areas.items(), key=lambda a: -a[1]))
        + "\n"
    )
    stats.strip_dirs().sort_stats("tottime").print_stats(15)
    stats.sort_stats("cumulative").print_stats(20)
    return out.getvalue()


def _area(filename: str, name: str) -> str:
    """Where a function's own time goes, by package."""
    if "psycopg" in filename:
        # The driver's waits on the socket are the server's time (and the round trip).
        return "driver: waiting on the server" if name == "wait" else "driver (psycopg)"
    for area in ("sqlalchemy", "flask", "werkzeug", "kindness", "bench"):
        if f"/{area}/" in filename:
            return "SQLAlchemy" if area == "sqlalchemy" else area
    return "other (standard library, builtins)"


# -- the run -------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--writers", type=int, nargs="+", default=[1, 4, 16])
    parser.add_argument("--seconds", type=float, default=3.0, help="per case and round")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--profile", type=int, default=300, help="forwards profiled (0: none)")
    options = parser.parse_args()
    logging.getLogger("alembic").setLevel(logging.WARNING)
    began = time.perf_counter()
    server = make_url(os.environ.get(
        "KINDNESS_BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
    ))  # fmt: skip
    name = f"kindness_bench_{secrets.token_hex(4)}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = server.set(database=name).render_as_string(hide_password=False)
    most = max(options.writers)
    context = multiprocessing.get_context("fork")
    queues, results = [context.Queue() for _ in range(most)], context.Queue()
    processes = []
    try:
        migrate.upgrade(url)
        app = create_app({**CONFIG, "DATABASE_URL": url})
        with app.app_context():
            many, one = make_chains(get_session(), most)
        app.extensions["kindness.db"].engine.dispose()
        # Forked with no connection open in this process; each builds its own app.
        processes = [
            context.Process(target=writer, args=(n, url, queues[n], results), daemon=True)
            for n in range(most)
        ]
        for process in processes:
            process.start()
        cases = [
            (target, count, side)
            for target in ("many chains", "one chain")
            for count in options.writers
            for side in ("app", "bare")
        ]
        rates: dict[tuple, list[float]] = {case: [] for case in cases}
        cpus: dict[tuple, list[float]] = {case: [] for case in cases}
        errors: dict[tuple, dict[str, int]] = {case: {} for case in cases}
        committed: list[int] = []
        # A short warm-up round (every writer, both sides), not counted.
        for side in ("app", "bare"):
            run_case(queues, results, side, many[:most], 1.0, committed, {})
        click.echo(f"PostgreSQL, writers {options.writers}, {options.rounds} rounds "
                   f"of {options.seconds:g} s a case", err=True)  # fmt: skip
        for number in range(options.rounds):
            for case in cases:
                target, count, side = case
                parents = (many if target == "many chains" else one)[:count]
                done, cpu = run_case(
                    queues, results, side, parents, options.seconds, committed, errors[case]
                )
                rates[case].append(done / options.seconds)
                cpus[case].append(cpu * 1000 / max(done, 1))
                click.echo(f"  round {number + 1}: {target:<11} {count:>2} writers {side:<4}"
                           f" {done / options.seconds:8.0f} acts/s"
                           f" {cpus[case][-1]:6.2f} ms writer CPU an act", err=True)  # fmt: skip
        for queue in queues:
            queue.put(None)
        for process in processes:
            process.join(timeout=30)
        roots = sorted({parent["root"] for parent in [*many, *one]})
        report(options, cases, rates, cpus, errors)
        findings = check(url, roots, committed)
        profiled = profile(url, many[0], options.profile) if options.profile else ""
    finally:
        for process in processes:
            if process.is_alive():
                process.terminate()
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
    print("\nConsistency after the run:")
    for finding in findings:
        print(f"- {finding}")
    if profiled:
        print("\nProfile of the app path, one writer:\n```")
        print(profiled.rstrip())
        print("```")
    print(f"\nrun time {time.perf_counter() - began:.0f} s")


def run_case(queues, results, side, parents, seconds, committed, errors) -> tuple[int, float]:
    """All ``parents``' writers at once for ``seconds``: acts committed, writers' CPU seconds."""
    start_at = time.time() + 0.3
    for number, parent in enumerate(parents):
        queues[number].put((side, parent, start_at, seconds))
    done, cpu = 0, 0.0
    for _ in parents:
        _number, ids, failed, used = results.get(timeout=seconds + 120)
        done += len(ids)
        cpu += used
        committed.extend(ids)
        for kind, count in failed.items():
            errors[kind] = errors.get(kind, 0) + count
    return done, cpu


def spread(values: list[float]) -> str:
    return f"{statistics.median(values):,.0f} ({min(values):,.0f}–{max(values):,.0f})"


def report(options, cases, rates, cpus, errors) -> None:
    print(f"\nPostgreSQL, forwards in single-act transactions, acts/s: median of "
          f"{options.rounds} interleaved rounds of {options.seconds:g} s (lowest–highest); "
          "writers are processes")  # fmt: skip
    print("| target | writers | app acts/s | bare acts/s | bare ÷ app (median of rounds) "
          "| writer CPU an act, app / bare | errors (app / bare) |")  # fmt: skip
    print("|---|---|---|---|---|---|---|")
    for target, count, side in cases:
        if side != "app":
            continue
        app, bare = rates[(target, count, "app")], rates[(target, count, "bare")]
        ratio = statistics.median(b / a for a, b in zip(app, bare, strict=True) if a)
        app_errors = errors[(target, count, "app")] or "none"
        bare_errors = errors[(target, count, "bare")] or "none"
        cpu = " / ".join(f"{statistics.median(cpus[(target, count, s)]):.2f}"
                         for s in ("app", "bare"))  # fmt: skip
        print(f"| {target} | {count} | {spread(app)} | {spread(bare)} | {ratio:.2f} "
              f"| {cpu} ms | {_errors(app_errors)} / {_errors(bare_errors)} |")  # fmt: skip


def _errors(found) -> str:
    if isinstance(found, str):
        return found
    return ", ".join(f"{kind}: {count}" for kind, count in sorted(found.items()))


if __name__ == "__main__":
    main()
