"""Benchmark of the chain graph in SQL, on SQLite and PostgreSQL.

Builds a forest (default 1,000,000 acts: chains of 1k, 10k and 100k acts, a
10,000-deep chain, and many chains of 1 to 10 acts), then times each chain
function of the app against the bare SQL of the same query (through SQLAlchemy
Core and through the raw driver), the forward insert in single-act transactions,
and the full chain page, in interleaved rounds (median, lowest–highest). The
garbage collector is paused in the timed calls of every column; two app columns
run with it on, and with what was alive before frozen. bench/all.py runs this
and the other benchmarks of issue 15.

    .venv/bin/python bench/chains.py                      # both databases, 1M acts
    .venv/bin/python bench/chains.py --db sqlite --acts 200000 --runs 5

PostgreSQL comes from KINDNESS_BENCH_POSTGRES_URL (default: the local server);
the benchmark makes and drops a database of its own there.
"""

import argparse
import gc
import random
import re
import secrets
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import click
from sqlalchemy import create_engine, text

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import harness
from kindness import create_app
from kindness.cli import migrate
from kindness.domain import acts, outbox
from kindness.domain.acts import ActInput
from kindness.domain.chains import graph
from kindness.domain.chains import statistics as chain_statistics
from kindness.models import User
from kindness.sessions import get_session

DAY = date(2026, 1, 1)
NOW = datetime(2026, 1, 1, tzinfo=UTC)
USERS = 2000
ACT_COLUMNS = (
    "id", "ref", "author_id", "what", "performed_on", "category", "visibility",
    "parent_id", "root_id", "depth", "recipient_id", "recipient_named",
    "created_at", "updated_at",
)  # fmt: skip


@dataclass
class Chain:
    root: int
    acts: int = 0
    deepest: int = 0
    unnamed: int = 0
    public: int = 0
    first_on: date = DAY
    last_on: date = DAY
    members: dict[int, int] = field(default_factory=dict)


@dataclass
class Forest:
    rows: list[tuple] = field(default_factory=list)
    chains: dict[int, Chain] = field(default_factory=dict)
    named: dict[str, int] = field(default_factory=dict)  # label -> root id
    deepest_act: int = 0
    wide_child: int = 0
    # An act of the 1k chain with a recipient: the parent of the timed forwards.
    insert_parent: tuple = ()


def build_forest(total: int, rng: random.Random) -> Forest:
    """Make every row in memory: ids are assigned here, so parents are known."""
    forest = Forest()
    next_id = 1

    def grow(size: int, shape: str) -> int:
        nonlocal next_id
        root = next_id
        chain = Chain(root=root)
        forest.chains[root] = chain
        authors, recipients, depths = {}, {}, {}
        pending = []
        for number in range(size):
            act_id = next_id
            next_id += 1
            if number == 0:
                parent = None
                author = rng.randrange(1, USERS + 1)
                depth = 0
            else:
                if shape == "deep":
                    parent = act_id - 1
                elif shape == "wide":
                    # Mostly the root's children and grandchildren: wide, shallow.
                    parent = root + int(rng.random() ** 3 * (act_id - root))
                else:
                    parent = rng.randrange(root, act_id)
                if recipients[parent] is None:
                    recipients[parent] = _other(rng, authors[parent])
                author = recipients[parent]
                depth = depths[parent] + 1
            authors[act_id] = author
            depths[act_id] = depth
            recipients[act_id] = _other(rng, author) if rng.random() < 0.5 else None
            pending.append((act_id, parent, depth))
        for act_id, parent, depth in pending:
            day = DAY + timedelta(days=depth // 40)
            visibility = "public" if rng.random() < 0.2 else "private"
            recipient = recipients[act_id]
            forest.rows.append(
                (
                    act_id, secrets.token_urlsafe(9), authors[act_id], f"Act {act_id}", day,
                    "help", visibility, parent, root, depth, recipient, recipient is not None,
                    NOW, NOW,
                )
            )  # fmt: skip
            chain.acts += 1
            chain.deepest = max(chain.deepest, depth)
            chain.unnamed += recipient is None
            chain.public += visibility == "public"
            chain.last_on = max(chain.last_on, day)
            if recipient is not None:
                chain.members[recipient] = chain.members.get(recipient, 0) + 1
        chain.members[authors[root]] = chain.members.get(authors[root], 0) + 1
        return root

    forest.named["100k wide"] = grow(min(100_000, total // 4), "wide")
    forest.wide_child = forest.named["100k wide"] + 1
    forest.named["10k deep"] = grow(min(10_000, total // 20), "deep")
    forest.deepest_act = next_id - 1
    forest.named["10k"] = grow(min(10_000, total // 20), "random")
    forest.named["1k"] = grow(1_000, "random")
    forest.insert_parent = next(
        row for row in forest.rows if row[8] == forest.named["1k"] and row[10] is not None
    )
    while next_id <= total:
        grow(min(rng.randint(1, 10), total - next_id + 1), "random")
    return forest


def _other(rng: random.Random, user: int) -> int:
    other = rng.randrange(1, USERS)
    return other if other < user else other + 1


def load(url: str, forest: Forest) -> None:
    """Bulk-load users, acts, statistics and members with the DBAPI (COPY on PostgreSQL)."""
    engine = create_engine(url)
    users = [
        (
            n,
            f"bench{n}@example.org",
            f"Person {n}",
            "x",
            "UTC",
            "en",
            secrets.token_hex(8),
            NOW,
            False,
            False,
        )
        for n in range(1, USERS + 1)
    ]
    stats = [
        (c.root, c.acts, c.deepest + 1, len(c.members) + c.unnamed, c.unnamed, c.public,
         c.first_on, c.last_on, NOW, NOW)
        for c in forest.chains.values()
    ]  # fmt: skip
    members = [(c.root, u, n) for c in forest.chains.values() for u, n in c.members.items()]
    tables = [
        ("users", "id, email, display_name, password_hash, time_zone, locale, session_token,"
         " created_at, is_admin, profile_public", users),
        ("acts", ", ".join(ACT_COLUMNS), forest.rows),
        ("chain_stats", "root_id, acts, generations, reach, unnamed, public_acts, first_on,"
         " last_on, started_at, grown_at", stats),
        ("chain_members", "root_id, user_id, places", members),
    ]  # fmt: skip
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        postgres = url.startswith("postgresql")
        for table, columns, rows in tables:
            with click.progressbar(
                length=len(rows), label=f"  loading {table:<14}", file=sys.stderr
            ) as bar:
                for start in range(0, len(rows), 20_000):
                    batch = rows[start : start + 20_000]
                    if postgres:
                        with cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                            for row in batch:
                                copy.write_row(row)
                    else:
                        marks = ", ".join("?" for _ in columns.split(","))
                        cursor.executemany(
                            f"INSERT INTO {table} ({columns}) VALUES ({marks})", batch
                        )
                    bar.update(len(batch))
        if postgres:
            for table in ("users", "acts"):
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"(SELECT max(id) FROM {table}))"
                )
        else:
            cursor.execute("ANALYZE")
        raw.commit()
        if postgres:
            # What autovacuum does on a live server: statistics and the visibility
            # map (which lets index-only scans skip the table).
            raw.driver_connection.autocommit = True
            raw.cursor().execute("VACUUM ANALYZE")
    finally:
        raw.close()
        engine.dispose()


def timed_ms(function, collect: bool, frozen: bool = False) -> float:
    """One call's milliseconds; the garbage collector paused for it unless ``collect``
    (then it runs as in a server, after a collection that starts every call alike).
    ``frozen``: what was alive before the call is moved out of the collector's sight
    (``gc.freeze()``, as a server may do once its app is loaded) and back after."""
    gc.collect()
    if not collect:
        gc.disable()
    if frozen:
        gc.freeze()
    try:
        start = time.perf_counter()
        function()
        return (time.perf_counter() - start) * 1000
    finally:
        gc.enable()
        if frozen:
            gc.unfreeze()


@dataclass
class Figure:
    """A case's timings per column: the median, and the lowest and highest round."""

    name: str
    columns: dict[str, list[float]]
    unit: str = "ms"

    def median(self, column: str) -> float:
        return statistics.median(self.columns[column])

    def cell(self, column: str) -> str:
        values = self.columns.get(column)
        if not values:
            return "–"
        digits = 0 if self.unit == "/s" else 2
        return (f"{statistics.median(values):,.{digits}f} "
                f"({min(values):,.{digits}f}–{max(values):,.{digits}f})")  # fmt: skip


BARE = {
    "whole chain": "SELECT id, parent_id, depth FROM acts WHERE root_id = :root ORDER BY depth, id",
    "subtree": (
        "WITH RECURSIVE subtree(id, parent_id, depth, level) AS ("
        " SELECT id, parent_id, depth, 0 FROM acts WHERE id = :act"
        " UNION ALL SELECT a.id, a.parent_id, a.depth, s.level + 1 FROM acts a"
        " JOIN subtree s ON a.parent_id = s.id WHERE s.level < 1000000)"
        " SELECT id, parent_id, depth FROM subtree ORDER BY depth, id"
    ),
    "ancestors": (
        "WITH RECURSIVE up(id, parent_id, depth, author_id, level) AS ("
        " SELECT id, parent_id, depth, author_id, 0 FROM acts WHERE id = :act"
        " UNION ALL SELECT a.id, a.parent_id, a.depth, a.author_id, u.level + 1 FROM acts a"
        " JOIN up u ON a.id = u.parent_id WHERE u.level < 1000000)"
        " SELECT id, parent_id, depth, author_id FROM up ORDER BY depth"
    ),
    "statistics": [
        "SELECT count(id), max(depth), min(performed_on), max(performed_on),"
        " sum(CASE WHEN recipient_id IS NULL THEN 1 ELSE 0 END) FROM acts WHERE root_id = :root",
        "SELECT count(id) FROM acts WHERE root_id = :root GROUP BY depth"
        " ORDER BY count(id) DESC LIMIT 1",
        "SELECT count(*) FROM (SELECT recipient_id AS p FROM acts WHERE root_id = :root"
        " AND recipient_id IS NOT NULL UNION SELECT author_id FROM acts WHERE id = :root"
        " AND author_id IS NOT NULL) AS people",
        "SELECT author_id FROM acts WHERE id = :root",
    ],
    "top-20 listing": "SELECT * FROM chain_stats ORDER BY reach DESC, root_id DESC LIMIT 20",
}


def bare(connection, name: str, **params):
    """The bare SQL through SQLAlchemy Core (``text``, Row objects)."""
    statements = BARE[name] if isinstance(BARE[name], list) else [BARE[name]]
    for statement in statements:
        connection.execute(text(statement), params).all()


def raw_sql(name: str, postgres: bool) -> list[str]:
    """The bare SQL in the driver's own parameter style (psycopg: %(x)s; sqlite3: :x)."""
    statements = BARE[name] if isinstance(BARE[name], list) else [BARE[name]]
    if postgres:
        statements = [re.sub(r":(\w+)", r"%(\1)s", statement) for statement in statements]
    return statements


def raw(dbapi, name: str, postgres: bool, **params):
    """The bare SQL through the driver's cursor (psycopg or sqlite3): tuples, no SQLAlchemy."""
    cursor = dbapi.cursor()
    for statement in raw_sql(name, postgres):
        cursor.execute(statement, params)
        cursor.fetchall()
    cursor.close()


COLUMNS = ("app", "Core", "raw", "app, GC running", "app, GC running, start-up frozen")


def measure(url: str, forest: Forest, runs: int, inserts: int) -> list[Figure]:
    """Each chain function as the app calls it, as bare SQL through SQLAlchemy Core and
    through the raw driver, in interleaved rounds (every case and column once a round)."""
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "bench", "RATELIMIT_ENABLED": False})
    results = []
    wide, deep = forest.named["100k wide"], forest.named["10k deep"]
    postgres = url.startswith("postgresql")
    with app.app_context():
        session = get_session()
        connection = session.connection()
        dbapi = connection.connection  # the same transaction, no SQLAlchemy in between
        cases = [
            (f"whole chain, {forest.chains[forest.named['10k']].acts // 1000}k",
             lambda: graph.whole_chain(session, forest.named["10k"]),
             "whole chain", {"root": forest.named["10k"]}),
            (f"whole chain, {forest.chains[wide].acts // 1000}k wide",
             lambda: graph.whole_chain(session, wide), "whole chain", {"root": wide}),
            (f"subtree below a child of the {forest.chains[wide].acts // 1000}k root",
             lambda: graph.subtree(session, forest.wide_child), "subtree",
             {"act": forest.wide_child}),
            (f"ancestors of the deepest act (depth {forest.chains[deep].deepest})",
             lambda: graph.ancestors(session, forest.deepest_act), "ancestors",
             {"act": forest.deepest_act}),
            (f"statistics, {forest.chains[wide].acts // 1000}k chain",
             lambda: chain_statistics.of_chain(session, wide), "statistics", {"root": wide}),
            ("top-20 listing by reach", lambda: chain_statistics.listing(session, "reach", 20),
             "top-20 listing", {}),
        ]  # fmt: skip
        functions = {}
        for name, app_function, bare_name, params in cases:
            functions[name] = {
                "app": (app_function, False, False),
                "Core": (lambda b=bare_name, p=params: bare(connection, b, **p), False, False),
                "raw": (lambda b=bare_name, p=params: raw(dbapi, b, postgres, **p), False, False),
                "app, GC running": (app_function, True, False),
                "app, GC running, start-up frozen": (app_function, True, True),
            }
            for function, *_how in functions[name].values():
                function()  # warm the caches
        figures = {name: Figure(name, {column: [] for column in COLUMNS}) for name in functions}
        for _round in range(runs):
            for name, columns in functions.items():
                for column, (function, collect, frozen) in columns.items():
                    figures[name].columns[column].append(timed_ms(function, collect, frozen))
        for figure in figures.values():
            results.append(figure)
            ratio = figure.median("app") / figure.median("raw")
            click.echo(f"  {figure.name:<48} " + "   ".join(
                f"{column} {figure.median(column):8.2f}" for column in COLUMNS
            ) + f"   app÷raw {ratio:5.2f}", err=True)  # fmt: skip
        session.rollback()
        results.append(forward_inserts(session, forest, inserts, runs))
    results.extend(chain_pages(app, forest, runs))
    app.extensions["kindness.db"].engine.dispose()
    return results


def forward_inserts(session, forest: Forest, count: int, runs: int) -> Figure:
    """Forwards of one received act, each in its own transaction: the app's
    ``acts.log``, the same rows by hand through Core, and through the raw driver;
    ``runs`` interleaved rounds of ``count // runs`` forwards a column, GC paused."""
    row = forest.insert_parent
    parent_ref, taker = row[1], session.get(User, row[10])
    parent_id, root = row[0], row[8]
    postgres = session.get_bind().dialect.name == "postgresql"
    act_sql = (
        "INSERT INTO acts (ref, author_id, what, performed_on, category, visibility,"
        " parent_id, root_id, depth, recipient_named, created_at, updated_at)"
        " VALUES (:ref, :author, :what, :day, 'help', 'private', :parent, :root, :depth,"
        " false, :now, :now)"
    )
    stats_sql = (
        "UPDATE chain_stats SET acts = acts + 1, unnamed = unnamed + 1,"
        " reach = reach + 1, grown_at = :now WHERE root_id = :root"
    )
    outbox_sql = "INSERT INTO outbox (job, args, created_at) VALUES ('travelled', :args, :now)"

    def values(number: int) -> dict:
        return {"ref": secrets.token_urlsafe(9), "author": taker.id, "what": f"Bare {number}",
                "day": DAY, "parent": parent_id, "root": root, "depth": row[9] + 1,
                "now": datetime.now(UTC), "args": '{"act_id": 0}'}  # fmt: skip

    def app_side(batch: int) -> None:
        for number in range(batch):
            acts.log(session, taker, ActInput(what=f"Forward {number}", parent_ref=parent_ref), DAY)
            session.commit()
            outbox.written(session)

    def core_side(batch: int) -> None:
        for number in range(batch):
            connection = session.connection()
            for statement in (act_sql, stats_sql, outbox_sql):
                connection.execute(text(statement), values(number))
            session.commit()

    def raw_side(batch: int) -> None:
        dbapi = session.connection().connection
        statements = [
            re.sub(r":(\w+)", r"%(\1)s", statement) if postgres else statement
            for statement in (act_sql, stats_sql, outbox_sql)
        ]
        for number in range(batch):
            cursor = dbapi.cursor()
            if not postgres and not dbapi.in_transaction:
                cursor.execute("BEGIN")  # the connection is in autocommit mode (kindness.db)
            for statement in statements:
                cursor.execute(statement, values(number))
            dbapi.commit()
        session.rollback()  # hand the connection back to the pool clean

    batch = max(1, count // runs)
    sides = {"app": app_side, "Core": core_side, "raw": raw_side}
    for side in sides.values():
        side(5)  # warm
    figure = Figure("forwards, one transaction each (per second)", {c: [] for c in sides}, "/s")
    for _round in range(runs):
        for column, side in sides.items():
            milliseconds = timed_ms(lambda side=side: side(batch), collect=False)
            figure.columns[column].append(batch * 1000 / milliseconds)
    click.echo(f"  {figure.name:<48} " + "   ".join(
        f"{column} {figure.median(column):8.0f}/s" for column in sides
    ), err=True)  # fmt: skip
    return figure


def chain_pages(app, forest: Forest, runs: int) -> list[Figure]:
    results = []
    client = app.test_client()
    with app.app_context():
        refs = dict(
            get_session()
            .execute(
                text("SELECT id, ref FROM acts WHERE id IN (:a, :b)"),
                {"a": forest.named["10k"], "b": forest.named["100k wide"]},
            )
            .all()
        )
        refs.update(
            get_session()
            .execute(text("SELECT id, ref FROM acts WHERE id = :c"), {"c": forest.named["1k"]})
            .all()
        )
    for label, root in (
        ("1k", forest.named["1k"]),
        ("10k", forest.named["10k"]),
        ("100k summarised", forest.named["100k wide"]),
    ):
        url = f"/chains/{refs[root]}"
        first = client.get(url)
        assert first.status_code == 200
        times = [timed_ms(lambda url=url: client.get(url), True) for _ in range(runs)]
        page_ms = statistics.median(times)
        results.append(Figure(f"chain page (HTML + SVG), {label}", {"app, GC running": times}))
        size_kb = len(first.get_data()) / 1024
        click.echo(f"  {'chain page, ' + label:<48} {page_ms:9.1f} ms {size_kb:9.0f} KiB", err=True)
    # Explore reads the chain statistics; search and category look at public acts.
    for label, url in (
        ("explore, first page", "/explore"),
        ("explore, newest, page 50", "/explore?sort=newest&page=50"),
        ("explore, search of public acts", "/explore?q=act+12345"),
    ):
        assert client.get(url).status_code == 200
        times = [timed_ms(lambda url=url: client.get(url), True) for _ in range(runs)]
        page_ms = statistics.median(times)
        results.append(Figure(f"{label} (HTML)", {"app, GC running": times}))
        click.echo(f"  {label:<48} {page_ms:9.1f} ms", err=True)
    return results


def release(forest: Forest) -> Forest:
    """Drop the million rows built in memory before timing: a server process does
    not hold them, and the garbage collector would scan them on every pass."""
    forest.rows.clear()
    named = {root: forest.chains[root] for root in forest.named.values()}
    forest.chains.clear()
    forest.chains.update(named)
    gc.collect()
    return forest


def run(backend: str, total: int, runs: int, inserts: int, forest: Forest) -> list[tuple]:
    click.echo(f"\n{backend}: {total:,} acts in {len(forest.chains):,} chains", err=True)
    if backend == "sqlite":
        folder = tempfile.mkdtemp(prefix="kindness-bench-")
        url = f"sqlite:///{folder}/bench.sqlite3"
        migrate.upgrade(url)
        load(url, forest)
        return measure(url, release(forest), runs, inserts)
    with harness.scratch_postgres() as url:
        migrate.upgrade(url)
        load(url, forest)
        return measure(url, release(forest), runs, inserts)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--acts", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--inserts", type=int, default=1000)
    options = parser.parse_args()
    import logging

    logging.getLogger("alembic").setLevel(logging.WARNING)
    backends = ("sqlite", "postgresql") if options.db == "both" else (options.db,)
    table = {}
    for backend in backends:
        # The same forest (same seed) for each database, built anew and freed after loading.
        click.echo(f"building a forest of {options.acts:,} acts", err=True)
        forest = build_forest(options.acts, random.Random(20261126))
        table[backend] = run(backend, options.acts, options.runs, options.inserts, forest)
        del forest
    for backend in backends:
        print(f"\n{backend}, {options.acts:,} acts: milliseconds (forwards: per second), median"
              f" of {options.runs} interleaved rounds (lowest–highest). app, Core and raw with"
              " the garbage collector paused in the timed call; the last two with it running,"
              " as in a server, and with what was alive before frozen (gc.freeze())")  # fmt: skip
        print("| measurement | app | bare SQL, Core rows | bare SQL, raw driver | app ÷ raw "
              "| Core ÷ raw | app, GC running | app, GC running, start-up frozen |")  # fmt: skip
        print("|---|---|---|---|---|---|---|---|")
        for figure in table[backend]:
            ratios = ["–", "–"]
            if "raw" in figure.columns:
                app, core, raw_value = (figure.median(c) for c in ("app", "Core", "raw"))
                if figure.unit == "/s":  # rates: how many times faster the raw side is
                    ratios = [f"{raw_value / app:.2f}", f"{raw_value / core:.2f}"]
                else:
                    ratios = [f"{app / raw_value:.2f}", f"{core / raw_value:.2f}"]
            cells = [figure.cell(c) for c in ("app", "Core", "raw")] + ratios
            cells += [
                figure.cell("app, GC running"),
                figure.cell("app, GC running, start-up frozen"),
            ]
            print(f"| {figure.name} | " + " | ".join(cells) + " |")
    print(
        "\nThe other figures of issue 15's Bar: bench/search.py (explore search and category at"
        " 10k/100k/1M), bench/forwards.py (a forward at depth 1 and 10,000),"
        " bench/concurrency.py (1, 4 and 16 writers), bench/exports.py (the 100k .json);"
        " bench/all.py runs them all, bench/pages.py the pages."
    )


if __name__ == "__main__":
    main()
