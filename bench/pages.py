"""Every main page against the floor: Kindness and a bare Flask app side by side.

Both run under real gunicorn with gunicorn.conf.py (the bare app is bench/floor.py,
one small Jinja template), on a fixed generated data set in a fresh database: the
demo world (``flask seed-demo``), a person with 300 acts, a team of 200 members in a
running team week, and chains of 100 and 10,000 acts. wrk loads one page at a time
at 8 connections, in interleaved rounds (floor, page A, floor, page B, ...); for each
page it prints requests/s, p50/p99 latency, server CPU per request (the gunicorn
workers' own counters in /proc, plus PostgreSQL's backends) and the share of the
floor measured just before it, next to the goal of issue 15.

    .venv/bin/python bench/pages.py                        # PostgreSQL, 3 rounds of 15 s (~25 min)
    .venv/bin/python bench/pages.py --quick                # 3 s a page, 1 round (~4 min)
    .venv/bin/python bench/pages.py --db sqlite --rounds 2 --pages dashboard,team
    .venv/bin/python bench/pages.py --profile dashboard --profile team --runs 30

``--profile`` builds the same data, then runs the page in-process under cProfile
and prints where the time goes. Needs wrk (Debian: apt-get install wrk).
"""

import argparse
import cProfile
import io
import pstats
import random
import re
import statistics
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from http.cookiejar import CookieJar
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))

from sqlalchemy import create_engine, func, insert, select, text, update  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402

from bench import harness  # noqa: E402
from kindness import create_app  # noqa: E402
from kindness.cli import demo, migrate  # noqa: E402
from kindness.domain import accounts, acts, passes  # noqa: E402
from kindness.domain.acts import ActInput  # noqa: E402
from kindness.domain.chains import statistics as chain_statistics  # noqa: E402
from kindness.domain.dates import today_for  # noqa: E402
from kindness.domain.ideas import load_ideas  # noqa: E402
from kindness.domain.teams import membership, weeks  # noqa: E402
from kindness.extensions import passwords  # noqa: E402
from kindness.models import (  # noqa: E402
    Act,
    ChainStats,
    Notification,
    Pass,
    User,
    new_ref,
    new_session_token,
)
from kindness.sessions import get_session  # noqa: E402
from tests.databases import fresh_database  # noqa: E402

SEED = 20261215
DEMO_USERS = 40
EMAIL = "bench-person@bench.invalid"
PASSWORD = "bench-pages-kindly-2026"  # noqa: S105 (a throwaway account in a throwaway database)
PERSON_ACTS = 300
TEAM_SIZE = 200
CHAIN_SIZES = (100, 10_000)
CONTACT_NAMES = (
    "Mrs Patel", "Grandpa Joe", "Sam from work", "the bus driver", "Aunt Ruth",
    "Lily from choir", "Herr Becker", "Oma Hilde", "Kollegin Jana", "Mr Okafor",
)  # fmt: skip
FLOOR = "floor"


@dataclass
class World:
    """What the pages need to be addressed: the person, the team, the chains."""

    team_slug: str = ""
    chain_refs: dict[int, str] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)


@dataclass
class Page:
    key: str
    name: str
    path: Callable[[World], str]
    signed_in: bool
    goal_share: float | None = None  # of the floor's requests per second
    goal_cpu_ms: float | None = None  # server CPU per request
    # What the page must show, checked once before timing: (regular expression, group value).
    expect: Callable[[World], tuple[str, str]] | None = None


def _chain_count(size: int) -> Callable[[World], tuple[str, str]]:
    return lambda _world: (r"<strong>(\d+)</strong> acts?\b", str(size))


PAGES = [
    Page("landing", "landing (anonymous)", lambda w: "/", False, goal_share=0.5),
    Page("login", "log-in page", lambda w: "/login", False, goal_share=0.5),
    Page("signup", "sign-up page", lambda w: "/signup", False, goal_share=0.5),
    Page("dashboard", "dashboard (signed in)", lambda w: "/", True, goal_share=0.2),
    Page("chain100", "chain page, 100 acts", lambda w: f"/chains/{w.chain_refs[100]}", False,
         goal_share=0.2, expect=_chain_count(100)),
    Page("chain10k", "chain page, 10,000 acts", lambda w: f"/chains/{w.chain_refs[10_000]}",
         False, goal_cpu_ms=60, expect=_chain_count(10_000)),
    Page("explore", "explore", lambda w: "/explore", False, goal_share=0.2),
    Page("team", f"team page ({TEAM_SIZE} members)", lambda w: f"/teams/{w.team_slug}", True,
         goal_share=0.2),
    Page("history", "history (the person's acts)", lambda w: "/acts", True, goal_share=0.2),
    Page("inbox", "inbox", lambda w: "/inbox", True, goal_share=0.2),
    Page("settings", "settings", lambda w: "/settings", True),
    Page("team-chains", "team chains page", lambda w: f"/teams/{w.team_slug}/chains", True),
    Page("chain-json", "chain .json, 100 acts", lambda w: f"/chains/{w.chain_refs[100]}.json",
         False, expect=lambda w: (r'"acts":\s*(\d+)', "100")),
    Page("healthz", "/healthz", lambda w: "/healthz", False),
]  # fmt: skip
PAGE_KEYS = [page.key for page in PAGES]


# -- the data set --------------------------------------------------------------


def build_world(url: str) -> World:
    """Fill the fresh database at ``url``: the demo world, then the bench's own data."""
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "bench", "RATELIMIT_ENABLED": False})
    world = World()
    rng = random.Random(SEED)
    started = time.perf_counter()
    with app.app_context():
        session = get_session()
        hasher = passwords()
        demo.seed(session, hasher, users=DEMO_USERS, seed=1)
        session.commit()
        demo_ids = list(session.scalars(select(User.id)))
        person = accounts.sign_up(session, hasher, email=EMAIL, display_name="Bench Person",
                                  password=PASSWORD, time_zone="UTC", locale="en")  # fmt: skip
        session.commit()
        today = today_for(person)
        members = _add_members(session, person.password_hash, TEAM_SIZE - 1, rng)
        team = membership.create(
            session,
            person,
            name="Bench Team",
            description="Many people, one week.",
            is_public=False,
        )
        for member in members:
            membership.join(session, team.invite_code, member, today)
        starts_on = today - timedelta(days=2)
        weeks.schedule_week(session, team, person, starts_on, today=starts_on)
        session.commit()
        world.team_slug = team.slug
        world.counts["week acts"] = _week_acts(session, members, starts_on, today, rng)
        _person_acts(session, person, PERSON_ACTS - len(CHAIN_SIZES), today, rng)
        member_ids = [member.id for member in members]
        for size in CHAIN_SIZES:
            pool = member_ids if size <= TEAM_SIZE else member_ids + demo_ids
            world.chain_refs[size] = _chain(session, person, size, pool, today, rng)
        session.commit()
        world.counts["person's acts"] = session.scalar(
            select(func.count()).select_from(Act).where(Act.author_id == person.id)
        )
        world.counts["acts"] = session.scalar(select(func.count()).select_from(Act))
        world.counts["users"] = session.scalar(select(func.count()).select_from(User))
    app.extensions["kindness.db"].engine.dispose()
    if url.startswith("postgresql"):
        # What autovacuum does on a live server: planner statistics, visibility map.
        engine = create_engine(url, isolation_level="AUTOCOMMIT")
        with engine.connect() as connection:
            connection.execute(text("VACUUM ANALYZE"))
        engine.dispose()
    world.counts["seconds to build"] = round(time.perf_counter() - started)
    return world


def _add_members(session: Session, password_hash: str, count: int, rng: random.Random):
    """Team members by core insert: one password hash for all (argon2 per row would
    take longer than the rest of the build); everything else as sign-up writes it."""
    session.execute(
        insert(User),
        [
            {
                "email": f"member-{number}@bench.invalid",
                "display_name": f"Member {number:03d}",
                "password_hash": password_hash,
                "time_zone": "UTC",
                "locale": rng.choice(("en", "de")),
                "session_token": new_session_token(),
            }
            for number in range(1, count + 1)
        ],
    )
    return list(
        session.scalars(
            select(User).where(User.email.like("member-%@bench.invalid")).order_by(User.id)
        )
    )


def _idea_input(rng: random.Random, locale: str, **fields) -> ActInput:
    idea = rng.choice(load_ideas())
    return ActInput(what=idea.text(locale), category=idea.category, **fields)


def _week_acts(session, members, starts_on: date, today: date, rng: random.Random) -> int:
    """Members act during the running week (through the domain): the team page's tally."""
    count = 0
    for member in members:
        for _ in range(rng.choice((0, 1, 1, 2, 3))):
            day = starts_on + timedelta(days=rng.randint(0, (today - starts_on).days))
            visibility = rng.choice(("team", "team", "public", "private"))
            acts.log(session, member, _idea_input(rng, member.locale, performed_on=day,
                                                  visibility=visibility), today)  # fmt: skip
            count += 1
    session.commit()
    return count


def _person_acts(session, person: User, count: int, today: date, rng: random.Random) -> None:
    """The person's year of acts, through the domain (contacts included)."""
    for _ in range(count):
        day = today - timedelta(days=rng.randint(0, 364))
        contact = rng.choice(CONTACT_NAMES) if rng.random() < 0.35 else None
        visibility = rng.choice(("private", "private", "team", "public"))
        acts.log(session, person, _idea_input(rng, "en", performed_on=day, visibility=visibility,
                                              new_contact_name=contact), today)  # fmt: skip
    session.commit()


def _chain(session, person: User, size: int, pool: list[int], today: date, rng) -> str:
    """A chain of ``size`` acts rooted in an act of ``person``.

    The root goes through the domain; the forwards are core inserts that keep what
    the app keeps: each forward's author is its parent's recipient (the database
    checks it), root_id and depth, dates never before the parent's, a claimed pass
    for each act passed on, and the chain's statistics and members rebuilt by the
    domain's own ``recompute``. Shaped like the demo's chains: mostly the newest
    acts are passed on, at most three times each.
    """
    first_day = today - timedelta(days=60)
    root = acts.log(session, person, _idea_input(rng, "en", performed_on=first_day,
                                                 visibility="public"), today)  # fmt: skip
    session.flush()
    first_id = session.scalar(select(func.max(Act.id))) + 1
    ids = [root.id, *range(first_id, first_id + size - 1)]
    author = {root.id: person.id}
    depth = {root.id: 0}
    children = {root.id: 0}
    recipient: dict[int, int] = {}
    ideas = load_ideas()
    now = datetime.now(UTC)
    rows = []
    for index in range(1, size):
        while True:
            if rng.random() < 0.7:
                parent = ids[rng.randrange(max(0, index - 6), index)]
            else:
                parent = ids[rng.randrange(index)]
            if children[parent] < 3:
                break
        if parent not in recipient:
            recipient[parent] = rng.choice([user for user in pool if user != author[parent]])
        act_id = ids[index]
        author[act_id] = recipient[parent]
        depth[act_id] = depth[parent] + 1
        children[parent] += 1
        children[act_id] = 0
        idea = rng.choice(ideas)
        rows.append({
            "id": act_id, "ref": new_ref(), "author_id": author[act_id], "what": idea.text_en,
            "performed_on": first_day + timedelta(days=60 * index // size),
            "category": idea.category,
            "visibility": rng.choice(("public", "public", "team", "private", "private")),
            "parent_id": parent, "root_id": root.id, "depth": depth[act_id],
            "created_at": now, "updated_at": now,
        })  # fmt: skip
    for row in rows:
        row["recipient_id"] = recipient.get(row["id"])
        row["recipient_named"] = row["id"] in recipient and rng.random() < 0.6
    root.recipient_id = recipient[root.id]
    root.recipient_named = True
    session.flush()
    for start in range(0, len(rows), 2000):
        session.execute(insert(Act.__table__), rows[start : start + 2000])
    if session.get_bind().dialect.name == "postgresql":
        session.execute(
            text("SELECT setval(pg_get_serial_sequence('acts', 'id'), (SELECT max(id) FROM acts))")
        )
    session.execute(
        insert(Pass.__table__),
        [
            {"act_id": act_id, "code": passes.new_code(), "show_text": True, "created_at": now,
             "claimed_at": now, "claimed_by_id": user_id}
            for act_id, user_id in recipient.items()
        ],
    )  # fmt: skip
    chain_statistics.recompute(session, root.id)
    session.execute(update(ChainStats).where(ChainStats.root_id == root.id).values(grown_at=now))
    # The inbox: the root's claim, and news of acts further down (half of them read).
    notices = [{"user_id": person.id, "kind": "claimed", "act_id": root.id, "created_at": now}]
    for number, row in enumerate(rows[:30]):
        notices.append({"user_id": person.id, "kind": "travelled", "act_id": row["id"],
                        "created_at": now - timedelta(minutes=number),
                        "read_at": now if number % 2 else None})  # fmt: skip
    session.execute(insert(Notification.__table__), notices)
    session.commit()
    return root.ref


# -- the servers and the load ----------------------------------------------------


def log_in(base: str, email: str = EMAIL, password: str = PASSWORD) -> str:
    """A real log-in: GET /login for the CSRF token, POST the form; return the cookies."""
    jar = CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    form = opener.open(base + "/login").read().decode()
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', form)
    if token is None:
        raise SystemExit("no CSRF token on /login")
    data = urllib.parse.urlencode(
        {"csrf_token": token[1], "email": email, "password": password, "next": ""}
    ).encode()
    answer = opener.open(base + "/login", data=data)
    page = answer.read().decode()
    if answer.geturl().rstrip("/") != base or "csrf_token" not in page:
        raise SystemExit(f"log-in failed: ended at {answer.geturl()}")
    return "; ".join(f"{cookie.name}={cookie.value}" for cookie in jar)


def fetch(url: str, headers: list[str]) -> tuple[int, str, str]:
    """One GET without following redirects: (status, final URL, body)."""

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    request = urllib.request.Request(url)  # noqa: S310 (our own server)
    for header in headers:
        name, value = header.split(": ", 1)
        request.add_header(name, value)
    try:
        with urllib.request.build_opener(NoRedirect).open(request, timeout=120) as answer:
            return answer.status, answer.geturl(), answer.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, url, error.read().decode(errors="replace")


def check(page: Page, url: str, headers: list[str], world: World) -> str:
    """Abort loudly unless the page answers 200 (and shows what it must)."""
    status, _, body = fetch(url, headers)
    if status != 200:
        raise SystemExit(f"ABORT: {page.name} ({url}) answered {status}:\n{body[:2000]}")
    if page.expect:
        pattern, wanted = page.expect(world)
        found = re.search(pattern, body)
        if found is None or found[1] != wanted:
            raise SystemExit(
                f"ABORT: {page.name} shows {found[1] if found else 'no'} acts, not {wanted}"
            )
        return f"200, {wanted} acts, {len(body) / 1024:.0f} KiB"
    return f"200, {len(body) / 1024:.0f} KiB"


class PostgresBackends:
    """CPU time of the PostgreSQL server processes serving one database (readable
    when the server runs on this machine); zero on SQLite, whose work is in-process."""

    def __init__(self, url: str):
        self.engine = create_engine(url) if url.startswith("postgresql") else None
        self.readable = self.engine is not None

    def pids(self) -> list[int]:
        if self.engine is None:
            return []
        with self.engine.connect() as connection:
            return list(
                connection.scalars(
                    text(
                        "SELECT pid FROM pg_stat_activity WHERE datname = current_database()"
                        " AND backend_type = 'client backend'"
                        " AND pid <> pg_backend_pid()"
                    )
                )
            )

    def cpu(self) -> dict[int, float]:
        times = harness.cpu_seconds(self.pids())
        if self.engine is not None and not times:
            self.readable = False
        return times

    def close(self) -> None:
        if self.engine is not None:
            self.engine.dispose()


@dataclass
class Run:
    rate: float
    p50_ms: float
    p99_ms: float
    cpu_ms: float  # gunicorn workers' CPU per request
    db_cpu_ms: float  # PostgreSQL backends' CPU per request
    share: float | None = None  # of the floor run just before


@dataclass
class Server:
    name: str
    process: object
    base: str
    headers: list[str] = field(default_factory=list)


def measure(server: Server, path: str, headers: list[str], seconds: float,
            connections: int, backends: PostgresBackends | None) -> Run:  # fmt: skip
    pids = harness.workers(server.process.pid)
    before, db_before = harness.cpu_seconds(pids), backends.cpu() if backends else {}
    load = harness.wrk(server.base + path, seconds, connections, headers)
    after, db_after = harness.cpu_seconds(pids), backends.cpu() if backends else {}
    if load.non_2xx or load.requests == 0:
        raise SystemExit(f"ABORT: {server.name} {path}: wrk saw errors\n{load.output}")
    if load.errors:
        print(f"  note: {server.name} {path}: {load.errors}")
    per_request = 1000 / load.requests
    return Run(
        rate=load.rate,
        p50_ms=load.p50_ms,
        p99_ms=load.p99_ms,
        cpu_ms=harness.cpu_used(before, after) * per_request,
        db_cpu_ms=harness.cpu_used(db_before, db_after) * per_request,
    )


def goal_text(page: Page, share: float, cpu_ms: float) -> str:
    if page.goal_share is not None:
        met = "met" if share >= page.goal_share else "MISSED"
        return f"≥ {page.goal_share:.0%} of floor: {met}"
    if page.goal_cpu_ms is not None:
        met = "met" if cpu_ms < page.goal_cpu_ms else "MISSED"
        return f"< {page.goal_cpu_ms:.0f} ms CPU: {met}"
    return "–"


def bench(args, url: str, world: World, folder: Path) -> None:
    pages = [page for page in PAGES if page.key in args.pages]
    flags = args.gunicorn.split()
    env = {"DATABASE_URL": url, "KINDNESS_SECRET_KEY": "bench"}
    floor_port, app_port = harness.free_port(), harness.free_port()
    floor = harness.serve("bench.floor:app", {}, flags, floor_port, folder / "floor.log")
    kindness = harness.serve("app:app", env, flags, app_port, folder / "kindness.log")
    backends = PostgresBackends(url)
    try:
        floor_server = Server("floor", floor, f"http://127.0.0.1:{floor_port}")
        app_server = Server("kindness", kindness, f"http://127.0.0.1:{app_port}")
        cookie = ["Cookie: " + log_in(app_server.base)]
        workers = len(harness.workers(kindness.pid))
        print(f"gunicorn.conf.py {' '.join(flags) or '(as is)'}: {workers} Kindness workers, "
              f"{len(harness.workers(floor.pid))} floor workers; wrk -t2 -c{args.connections}, "
              f"{args.seconds:g} s a page, {args.rounds} round(s)\n")  # fmt: skip
        floor_page = Page(FLOOR, "bare Flask template (floor)", lambda w: "/", False)
        print(f"  {'floor /':<32} {check(floor_page, floor_server.base + '/', [], world)}")
        for page in pages:
            headers = cookie if page.signed_in else []
            status = check(page, app_server.base + page.path(world), headers, world)
            print(f"  {page.name:<32} {page.path(world):<40} {status}")
        print("\nwarming up (not counted)")
        harness.wrk(floor_server.base + "/", args.warm, args.connections)
        for page in pages:
            headers = cookie if page.signed_in else []
            harness.wrk(app_server.base + page.path(world), args.warm, args.connections, headers)
        results: dict[str, list[Run]] = {FLOOR: []}
        for number in range(1, args.rounds + 1):
            print(f"\nround {number} of {args.rounds}")
            for page in pages:
                headers = cookie if page.signed_in else []
                base = measure(floor_server, "/", [], args.seconds, args.connections, None)
                run = measure(app_server, page.path(world), headers, args.seconds,
                              args.connections, backends)  # fmt: skip
                # A page must still answer 200 after its run (a lost session would
                # redirect, which wrk does not count as an error).
                check(page, app_server.base + page.path(world), headers, world)
                run.share = run.rate / base.rate
                results[FLOOR].append(base)
                results.setdefault(page.key, []).append(run)
                print(f"  {page.name:<32} {run.rate:8.1f} req/s  {run.cpu_ms:7.2f} ms CPU  "
                      f"{run.share:6.1%} of floor ({base.rate:.0f} req/s)")  # fmt: skip
        report(args, pages, results, backends.readable)
    finally:
        backends.close()
        harness.stop(kindness)
        harness.stop(floor)


def report(args, pages: list[Page], results: dict[str, list[Run]], db_readable: bool) -> None:
    def median(runs: list[Run], name: str) -> float:
        return statistics.median(getattr(run, name) for run in runs)

    def spread(runs: list[Run], name: str, form: str) -> str:
        values = [getattr(run, name) for run in runs]
        middle = format(statistics.median(values), form)
        if len(values) == 1:
            return middle
        return f"{middle} ({format(min(values), form)}–{format(max(values), form)})"

    db = args.db
    where = " + PostgreSQL backends" if db == "postgresql" else " (SQLite runs in them)"
    print(f"\nmedians of {args.rounds} round(s), {args.seconds:g} s a page, {db}; "
          f"(min–max) over rounds; CPU per request: gunicorn workers{where}")  # fmt: skip
    print("\n| page | req/s | p50 | p99 | server CPU/req | share of floor | goal |")
    print("|---|---|---|---|---|---|---|")
    floor = results[FLOOR]
    print(f"| bare Flask template (floor) | {spread(floor, 'rate', '.0f')} | "
          f"{median(floor, 'p50_ms'):.2f} ms | {median(floor, 'p99_ms'):.2f} ms | "
          f"{median(floor, 'cpu_ms'):.2f} ms | 100 % | – |")  # fmt: skip
    for page in pages:
        runs = results[page.key]
        cpu = f"{spread(runs, 'cpu_ms', '.2f')} ms"
        if db == "postgresql":
            cpu += f" + {median(runs, 'db_cpu_ms'):.2f} ms db" if db_readable else " + ? db"
        share = statistics.median(run.share for run in runs)
        print(f"| {page.name} | {spread(runs, 'rate', '.1f')} | {median(runs, 'p50_ms'):.1f} ms | "
              f"{median(runs, 'p99_ms'):.1f} ms | {cpu} | {spread(runs, 'share', '.1%')} | "
              f"{goal_text(page, share, median(runs, 'cpu_ms'))} |")  # fmt: skip


# -- profiles --------------------------------------------------------------------


def profile(args, url: str, world: World) -> None:
    """Each page of ``--profile`` ``--runs`` times in-process under cProfile."""
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "bench"})
    signed_in = app.test_client()
    form = signed_in.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', form)[1]
    answer = signed_in.post("/login", data={"csrf_token": token, "email": EMAIL,
                                            "password": PASSWORD, "next": ""})  # fmt: skip
    assert answer.status_code == 302, answer.status_code
    anonymous = app.test_client()
    for key in args.profile:
        page = next(page for page in PAGES if page.key == key)
        client = signed_in if page.signed_in else anonymous
        path = page.path(world)
        for _ in range(3):  # warm: imports, templates, caches
            status = client.get(path).status_code
            if status != 200:
                raise SystemExit(f"ABORT: {page.name} ({path}) answered {status}")
        started = time.perf_counter()
        for _ in range(args.runs):
            client.get(path)
        plain_ms = (time.perf_counter() - started) * 1000 / args.runs
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(args.runs):
            client.get(path)
        profiler.disable()
        out = io.StringIO()
        stats = pstats.Stats(profiler, stream=out)
        print(f"\n== profile: {page.name} ({path}), {args.runs} requests in-process, "
              f"{plain_ms:.1f} ms a request without the profiler ==")  # fmt: skip
        print("-- own time by area, ms a request (under the profiler, which inflates small calls)")
        for area, seconds in _areas(stats):
            print(f"   {area:<52} {seconds * 1000 / args.runs:8.1f}")
        stats.strip_dirs()
        print(f"-- by own time (tottime), top {args.top}")
        stats.sort_stats("tottime").print_stats(args.top)
        print(_trim(out.getvalue()))
        out.seek(0)
        out.truncate()
        print(f"-- by cumulative time, top {args.top}")
        stats.sort_stats("cumulative").print_stats(args.top)
        print(_trim(out.getvalue()))
    app.extensions["kindness.db"].engine.dispose()


# Where a function's own time goes, by the first matching part of its file's path.
AREAS = (
    ("/psycopg/", "PostgreSQL: the driver and waiting for the server"),
    ("sqlite3", "SQLite (the driver and the database itself)"),
    ("/sqlalchemy/", "SQLAlchemy"),
    ("/templates/", "Jinja templates of the app"),
    ("/jinja2/", "Jinja runtime"),
    ("/markupsafe/", "markupsafe (escaping, Markup)"),
    ("/babel/", "Babel (dates, numbers, plurals)"),
    ("/flask_babel/", "Flask-Babel (lookups per call)"),
    ("/flask_wtf/", "Flask-WTF (CSRF tokens)"),
    ("/wtforms/", "WTForms"),
    ("/werkzeug/", "Werkzeug (routing, url_for, locals)"),
    ("/flask/", "Flask"),
    ("/kindness/render/", "kindness/render (SVG pictures)"),
    ("/kindness/domain/", "kindness/domain"),
    ("/kindness/web/", "kindness/web"),
    ("/kindness/", "kindness, other"),
)


def _areas(stats: pstats.Stats) -> list[tuple[str, float]]:
    totals: dict[str, float] = {}
    for (filename, _line, _function), (_cc, _nc, own, _cum, _callers) in stats.stats.items():
        area = next((name for part, name in AREAS if part in filename), None)
        if area is None:
            area = "built-ins (str.join, hasattr, ...)" if filename == "~" else "other Python"
        totals[area] = totals.get(area, 0.0) + own
    return sorted(totals.items(), key=lambda item: -item[1])


def _trim(report: str) -> str:
    """pstats' table without its preamble."""
    lines = report.splitlines()
    start = next((n for n, line in enumerate(lines) if line.lstrip().startswith("ncalls")), 0)
    return "\n".join(lines[start:]).rstrip()


# -- main ------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=("postgresql", "sqlite"), default="postgresql")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=15, help="wrk time per page and round")
    parser.add_argument("--warm", type=float, default=2, help="warm-up seconds per page")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--quick", action="store_true", help="3 s a page, 1 round: a smoke test")
    parser.add_argument("--pages", default=",".join(PAGE_KEYS),
                        help=f"comma-separated, of: {', '.join(PAGE_KEYS)}")  # fmt: skip
    parser.add_argument("--gunicorn", default="", help="extra gunicorn flags for both servers")
    parser.add_argument("--profile", action="append", choices=PAGE_KEYS, default=[],
                        help="profile this page in-process, no load (repeatable)")  # fmt: skip
    parser.add_argument("--runs", type=int, default=30, help="requests per --profile page")
    parser.add_argument("--top", type=int, default=25, help="rows of each --profile table")
    args = parser.parse_args()
    if args.quick:
        args.seconds, args.rounds, args.warm = 3, 1, 1
    args.pages = [key.strip() for key in args.pages.split(",") if key.strip()]
    unknown = set(args.pages) - set(PAGE_KEYS)
    if unknown:
        parser.error(f"unknown page(s): {', '.join(sorted(unknown))}")
    import logging

    logging.getLogger("alembic").setLevel(logging.WARNING)
    print(f"machine: {harness.machine()}")
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp, fresh_database(args.db, Path(tmp)) as url:
        migrate.upgrade(url)
        world = build_world(url)
        print(f"data ({args.db}): " + ", ".join(f"{v:,} {k}" for k, v in world.counts.items()))
        if args.profile:
            profile(args, url, world)
        else:
            bench(args, url, world, Path(tmp))
    print(f"\nran {time.perf_counter() - started:.0f} s in all")


if __name__ == "__main__":
    main()
