"""The load and fault run: two app instances (gunicorn) and a background worker on
PostgreSQL and Redis, N simulated people doing the real mix for a bounded time, and
faults during the run; afterwards every acknowledged write is looked for in the database
and every mail on the SMTP server.

Everything runs on this machine's loopback address, on servers of the run's own: a
PostgreSQL cluster made by initdb in a temporary folder, a Redis, two gunicorn instances
(A and B), a Celery worker and the scheduler (celery beat), and an SMTP server (aiosmtpd)
inside this process. At fixed fractions of the run:

    instance B stopped (SIGTERM) ... started again
    Redis stopped (SIGTERM) ... started again
    the worker killed (SIGKILL, its whole process group) ... started again
    PostgreSQL restarted (pg_ctl restart -m fast)

It prints the requests, p50/p99 by kind, every status, the faults with their times, and
the checks: acknowledged acts lost or stored twice, claims, notices queued, sent, lost or
sent twice, chain figures against a recomputation, 5xx inside and outside the PostgreSQL
restart. It exits 1 when a check fails.

    .venv/bin/python bench/load.py                        # 30 people, 120 s
    .venv/bin/python bench/load.py --users 10 --seconds 40
"""

import argparse
import asyncio
import collections
import os
import secrets
import shutil
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))

import redis  # noqa: E402
from sqlalchemy import create_engine, func, select  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402

from bench import harness, load_checks  # noqa: E402
from bench.load_people import Balancer, Person, World, live, new_rng  # noqa: E402
from bench.load_servers import App, Celery, Postgres, Redis  # noqa: E402
from kindness import create_app  # noqa: E402
from kindness.cli import migrate  # noqa: E402
from kindness.domain import accounts  # noqa: E402
from kindness.domain.teams import membership  # noqa: E402
from kindness.extensions import passwords  # noqa: E402
from kindness.models import Mail, OutboxJob, User  # noqa: E402
from tests.mailbox import Mailbox, start  # noqa: E402

PASSWORD = "load-and-faults-2026"  # noqa: S105 (the seeded people's, on a throw-away database)
BASE_URL = "https://kind.example"
DATABASE = "kindness_load"

# When each fault begins and ends, as fractions of the run.
SCHEDULE = {
    "instance B stopped": (0.12, 0.25),
    "Redis stopped": (0.33, 0.45),
    "worker killed": (0.55, 0.62),
    "PostgreSQL restart": (0.72, None),
}


@dataclass
class Fault:
    name: str
    began: float
    ended: float = float("nan")


def seed(url: str, people: int) -> tuple[list[str], str]:
    """People who chose "travelled: immediately" with confirmed addresses, all in one
    team: through the domain's own functions, committed once."""
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "seed", "RATELIMIT_ENABLED": False})
    emails = []
    with app.app_context():
        session = app.extensions["kindness.db"].sessionmaker()
        hasher = passwords()
        users = []
        for number in range(people):
            user = accounts.sign_up(
                session,
                hasher,
                email=f"person{number}@load.kindness.invalid",
                display_name=f"Person {number}",
                password=PASSWORD,
                time_zone="Europe/Berlin",
                locale="de" if number % 2 else "en",
                notify_travelled="immediately",
            )
            user.email_confirmed_at = datetime.now(UTC)
            users.append(user)
            emails.append(user.email)
        team = membership.create(
            session, users[0], name="Load testers", description=None, is_public=True
        )
        for user in users[1:]:
            membership.join(session, team.invite_code, user, datetime.now(UTC).date())
        slug = team.slug
        session.commit()
        session.close()
        app.extensions["kindness.db"].engine.dispose()
    return emails, slug


async def faults(world: World, servers: dict, balancer: Balancer, seconds: float) -> list[Fault]:
    """Run the fault schedule on the run's clock, each fault on its own (they overlap
    when a restart takes long); stops and starts run in threads, so the people go on."""

    async def stop_instance() -> None:
        balancer.out.add("B")  # out of the rotation first, as a deploy does
        await asyncio.sleep(1.0)
        await asyncio.to_thread(servers["B"].stop)

    async def start_instance() -> None:
        await asyncio.to_thread(servers["B"].start)
        print(f"  {world.now():6.1f} s  instance B: /healthz answers", flush=True)
        await asyncio.to_thread(servers["B"].wait_ready)
        balancer.out.discard("B")  # back once /readyz says so

    def threaded(action):
        return lambda: asyncio.to_thread(action)

    actions = {
        "instance B stopped": (stop_instance, start_instance),
        "Redis stopped": (threaded(servers["redis"].stop), threaded(servers["redis"].start)),
        "worker killed": (threaded(servers["worker"].kill), threaded(servers["worker"].start)),
        "PostgreSQL restart": (threaded(servers["postgres"].restart), None),
    }

    async def one(name: str) -> Fault:
        begin, end = SCHEDULE[name]
        begin_action, end_action = actions[name]
        await asyncio.sleep(max(0.0, begin * seconds - world.now()))
        fault = Fault(name, world.now())
        print(f"  {fault.began:6.1f} s  {name}", flush=True)
        await begin_action()
        if end is not None:
            await asyncio.sleep(max(0.0, end * seconds - world.now()))
            await end_action()
        fault.ended = world.now()
        print(f"  {fault.ended:6.1f} s  {name}: back", flush=True)
        return fault

    return list(await asyncio.gather(*(one(name) for name in SCHEDULE)))


async def run_people(
    instances: dict[str, int], emails: list[str], slug: str, servers: dict, args
) -> tuple[World, list[Fault]]:
    world = World(started=time.monotonic(), deadline=args.seconds, slug=slug)
    balancer = Balancer(instances, world)
    people = [
        Person(number, email, PASSWORD, balancer, new_rng(args.seed, number))
        for number, email in enumerate(emails)
    ]
    schedule = asyncio.create_task(faults(world, servers, balancer, args.seconds))
    try:
        await asyncio.gather(*(live(person, people) for person in people))
        done = await schedule
    finally:
        for person in people:
            await person.close()
    return world, done


def drain(engine, queue: redis.Redis, mailbox: Mailbox, limit: float) -> float:
    """Wait (at most ``limit`` s) until the outbox and the queue are empty and every mail
    is out of ``queued``/``sending``, and the SMTP server got as many as the log says."""
    began = time.monotonic()
    while time.monotonic() - began < limit:
        with Session(engine) as session:
            outbox = session.scalar(select(func.count()).select_from(OutboxJob))
            busy = session.scalar(
                select(func.count()).select_from(Mail).where(Mail.state.in_(("queued", "sending")))
            )
            sent = session.scalar(
                select(func.count()).select_from(Mail).where(Mail.state == "sent")
            )
        try:
            waiting = queue.llen("celery") + queue.hlen("unacked")
        except redis.RedisError:
            waiting = -1
        if outbox == 0 and busy == 0 and waiting == 0 and len(mailbox.received) >= sent:
            time.sleep(3)  # a late duplicate would arrive now
            return time.monotonic() - began
        time.sleep(1)
    return float("nan")


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else float("nan")


def report(world: World, done: list[Fault], args) -> dict[str, int]:
    records = world.records
    print(f"\nRequests: {len(records):,} in {args.seconds} s ({len(records) / args.seconds:.1f}/s)")
    by_kind = collections.defaultdict(list)
    for record in records:
        by_kind[record.kind].append(record)
    print("\n| kind | requests | p50 ms | p99 ms | statuses |")
    print("|---|---|---|---|---|")
    for kind in sorted(by_kind):
        rows = by_kind[kind]
        times = [r.ms for r in rows]
        statuses = collections.Counter(r.status for r in rows)
        shown = ", ".join(f"{s}: {n}" for s, n in sorted(statuses.items()))
        print(
            f"| {kind} | {len(rows)} | {statistics.median(times):.0f} |"
            f" {percentile(times, 0.99):.0f} | {shown} |"
        )
    every = collections.Counter(r.status for r in records)
    print("\nEvery status: " + ", ".join(f"{s}: {n}" for s, n in sorted(every.items())))
    by_instance = collections.Counter(r.instance for r in records)
    print("Answered by instance: " + ", ".join(f"{k}: {n}" for k, n in sorted(by_instance.items())))

    print("\n| fault | began (s) | back (s) |")
    print("|---|---|---|")
    for fault in done:
        print(f"| {fault.name} | {fault.began:.1f} | {fault.ended:.1f} |")
    restart = next(f for f in done if f.name == "PostgreSQL restart")

    def inside(record) -> bool:
        return record.at <= restart.ended and record.at + record.ms / 1000 >= restart.began

    failed = [r for r in records if r.status.startswith("5") or r.status.startswith("error")]
    split = {
        "5xx or no answer inside the PostgreSQL restart": sum(1 for r in failed if inside(r)),
        "5xx or no answer outside it": sum(1 for r in failed if not inside(r)),
    }
    outside = collections.Counter((r.kind, r.status, round(r.at)) for r in failed if not inside(r))
    if outside:
        print("Outside the restart:", dict(outside.most_common(15)))
    return split


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=30)
    parser.add_argument("--seconds", type=float, default=120)
    parser.add_argument("--drain", type=float, default=200, help="longest wait for the mail")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--visibility", type=int, default=30, help="KINDNESS_QUEUE_VISIBILITY_SECONDS"
    )
    parser.add_argument("--stale", type=int, default=60, help="KINDNESS_MAIL_STALE_SECONDS")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers per instance")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = parser.parse_args()
    began = time.monotonic()
    print(harness.machine())
    folder = Path(tempfile.mkdtemp(prefix="kindness-load-"))
    folder.chmod(0o755)  # the postgres user runs the cluster inside it
    postgres = Postgres(folder / "postgres", harness.free_port())
    redis_server = Redis(folder / "redis", harness.free_port())
    mailbox = Mailbox()
    smtp = start(mailbox)
    servers: dict = {"postgres": postgres, "redis": redis_server}
    failures: dict[str, int] = {}
    try:
        postgres.create()
        postgres.start()
        redis_server.start()
        admin = create_engine(postgres.url(), isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.exec_driver_sql(f"CREATE DATABASE {DATABASE}")
        admin.dispose()
        url = postgres.url(DATABASE)
        migrate.upgrade(url)
        emails, slug = seed(url, args.users)
        print(f"PostgreSQL on :{postgres.port}, Redis on :{redis_server.port},"
              f" SMTP on :{mailbox.port}; {args.users} people seeded in team {slug}",
              flush=True)  # fmt: skip
        env = {
            "DATABASE_URL": url,
            "REDIS_URL": redis_server.url(0),
            "KINDNESS_SECRET_KEY": secrets.token_hex(32),
            "KINDNESS_BASE_URL": BASE_URL,
            "KINDNESS_ALLOWED_HOSTS": "127.0.0.1",
            "KINDNESS_PROXY_HOPS": "1",
            "KINDNESS_MAIL_SERVER": mailbox.host,
            "KINDNESS_MAIL_PORT": str(mailbox.port),
            "KINDNESS_WORKERS": str(args.workers),
            "KINDNESS_BEAT_SCHEDULE": str(folder / "beat-schedule"),
            # The recovery windows, shortened so that they end within the run's drain
            # (production: 5 and 15 minutes): the jobs of the killed worker come back
            # after 30 s, a mail it left "sending" is sent again after 60 s.
            "KINDNESS_QUEUE_VISIBILITY_SECONDS": str(args.visibility),
            "KINDNESS_MAIL_STALE_SECONDS": str(args.stale),
        }
        instances = {"A": harness.free_port(), "B": harness.free_port()}
        for name, port in instances.items():
            servers[name] = App(name, port, env, folder / f"app-{name}.log")
            servers[name].start()
        servers["worker"] = Celery(["worker", "--concurrency=2"], env, folder / "worker.log")
        servers["beat"] = Celery(
            ["beat", f"--schedule={folder / 'beat-schedule'}"], env, folder / "beat.log"
        )
        servers["worker"].start()
        servers["beat"].start()
        print(f"instances A :{instances['A']} and B :{instances['B']}, worker and scheduler up;"
              f" {args.users} people for {args.seconds:.0f} s", flush=True)  # fmt: skip

        world, done = asyncio.run(run_people(instances, emails, slug, servers, args))

        engine = create_engine(url)
        queue = redis.Redis.from_url(redis_server.url(0))
        print("\nwaiting for the queue and the mail to drain ...", flush=True)
        drained = drain(engine, queue, mailbox, args.drain)
        print(f"drained in {drained:.0f} s after the end of the load")
        split = report(world, done, args)

        outcome = load_checks.Outcome()
        with Session(engine) as session:
            user_ids = {
                number: session.scalar(select(User.id).where(User.email == email))
                for number, email in enumerate(emails)
            }
            load_checks.check_acts(session, world, user_ids, outcome)
            load_checks.check_cards_and_claims(session, world, user_ids, outcome)
            load_checks.check_mail(session, mailbox.received, outcome)
            load_checks.check_chain_stats(session, outcome)
        outcome.fail("5xx or no answer outside the PostgreSQL restart",
                     split["5xx or no answer outside it"])  # fmt: skip
        outcome.notes["5xx or no answer inside the PostgreSQL restart"] = split[
            "5xx or no answer inside the PostgreSQL restart"
        ]
        engine.dispose()
        queue.close()
        print("\n| check (must be 0) | count |")
        print("|---|---|")
        for name, count in outcome.failures.items():
            print(f"| {name} | {count} |")
        print("\n| for information | count |")
        print("|---|---|")
        for name, count in outcome.notes.items():
            print(f"| {name} | {count} |")
        for example in outcome.examples:
            print("  e.g.", example)
        failures = {name: count for name, count in outcome.failures.items() if count}
    finally:
        for name in ("beat", "worker", "A", "B"):
            if name in servers:
                servers[name].stop()
        smtp.stop()
        redis_server.stop()
        try:
            postgres.stop()
        except Exception as error:  # report, and still clean up
            print(f"stopping PostgreSQL: {error}")
        if args.keep:
            print(f"kept {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)
        print(f"\nrun time {time.monotonic() - began:.0f} s; load average now "
              + ", ".join(f"{v:.2f}" for v in os.getloadavg()))  # fmt: skip
    if failures:
        raise SystemExit(f"FAILED: {failures}")
    print("every check is zero")


if __name__ == "__main__":
    main()
