"""Benchmark of explore's text search and category filter, on SQLite and PostgreSQL.

For each size (default 10k, 100k and 1M acts, in chains of 1 to 10 acts, a
fifth of them public, texts of English and German words), loads a fresh
database through the migrations (so the full-text index and its triggers are
the real ones), then times explore's first page (20 chains):

- search for a rare word (in 25 public acts, whatever the size),
- search for a common word (in about 1 act in 10),
- a type-ahead prefix of the common word,
- the category filter,

each as the app's ``explore.listing`` (the page's three statements: the chains,
their texts, their thumbnails) and as the bare SQL of its first two statements
through the raw driver, in interleaved rounds (app, bare, app, bare, ...), with
the garbage collector as it is in a server. Prints a table per database.

    .venv/bin/python bench/search.py                           # both, 10k 100k 1M
    .venv/bin/python bench/search.py --db sqlite --acts 10000 100000 --runs 21

PostgreSQL comes from KINDNESS_BENCH_POSTGRES_URL (default: the local server);
the benchmark makes and drops a database of its own there.
"""

import argparse
import logging
import random
import secrets
import shutil
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import click
from sqlalchemy import create_engine

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import harness
from kindness import create_app
from kindness.cli import migrate
from kindness.domain import explore, search
from kindness.models import CATEGORIES
from kindness.sessions import get_session

DAY = date(2026, 1, 1)
NOW = datetime(2026, 1, 1, tzinfo=UTC)
USERS = 2000
RARE, COMMON, RARE_ACTS, COMMON_SHARE = "quokka", "coffee", 25, 0.1
WORDS = [
    "carried",
    "shopping",
    "upstairs",
    "neighbour",
    "helped",
    "bus",
    "stop",
    "umbrella",
    "stranger",
    "gave",
    "lent",
    "repaired",
    "bicycle",
    "garden",
    "apples",
    "shared",
    "soup",
    "friend",
    "sick",
    "blood",
    "donated",
    "snow",
    "shovelled",
    "elderly",
    "couple",
    "door",
    "wrote",
    "note",
    "driver",
    "thank",
    "tourist",
    "directions",
    "station",
    "children",
    "story",
    "library",
    "plants",
    "watered",
    "football",
    "team",
    "coached",
    "stroller",
    "stairs",
    "bakery",
    "paid",
    "next",
    "person",
    "Nachbarin",
    "Fahrrad",
    "repariert",
    "Kaffee",
    "Kollegin",
    "gekocht",
    "Äpfel",
    "verschenkt",
    "Schnee",
    "geschippt",
    "Ehepaar",
    "nebenan",
    "Busfahrer",
    "Dankeskarte",
    "Straße",
    "Suppe",
    "Freund",
    "Blut",
    "gespendet",
    "Bücherei",
    "vorgelesen",
    "Kinder",
    "Pflanzen",
    "gegossen",
    "Einkäufe",
    "getragen",
    "Treppe",
    "Kinderwagen",
    "Bäckerei",
    "Müller",
]


def texts(total: int, public: list[bool], rng: random.Random) -> list[str]:
    """Act texts: 4 to 9 words (a long tail of rarer words), the common word in
    about one in ten, the rare word in RARE_ACTS public acts."""
    made = []
    for _ in range(total):
        words = []
        for _ in range(rng.randint(4, 9)):
            if rng.random() < 0.5:
                words.append(rng.choice(WORDS))
            else:
                words.append(f"w{int(rng.paretovariate(1.1) * 10) % 50_000}")
        if rng.random() < COMMON_SHARE:
            words.insert(rng.randrange(len(words)), COMMON.capitalize())
        made.append(" ".join(words))
    public_ids = [number for number, shown in enumerate(public) if shown]
    for number in rng.sample(public_ids, RARE_ACTS):
        made[number] += f" for a {RARE}"
    return made


def forest(total: int, rng: random.Random) -> tuple[list[tuple], list[tuple]]:
    """Acts (chains of 1 to 10, each forward's author its parent's recipient) and
    their chain statistics."""
    public = [rng.random() < 0.2 for _ in range(total)]
    words = texts(total, public, rng)
    acts, stats = [], []
    act_id = 1
    while act_id <= total:
        size = min(rng.randint(1, 10), total - act_id + 1)
        root, recipients, depths, people = act_id, {}, {}, set()
        shown = 0
        for number in range(size):
            if number == 0:
                parent, author, depth = None, rng.randrange(1, USERS + 1), 0
            else:
                parent = rng.randrange(root, act_id)
                author, depth = recipients[parent], depths[parent] + 1
            recipient = rng.randrange(1, USERS + 1)
            if recipient == author:
                recipient = recipient % USERS + 1
            recipients[act_id], depths[act_id] = recipient, depth
            people.update((author, recipient))
            visible = public[act_id - 1]
            shown += visible
            acts.append(
                (
                    act_id, secrets.token_urlsafe(9), author, words[act_id - 1],
                    DAY + timedelta(days=depth), rng.choice(CATEGORIES),
                    "public" if visible else "private", parent, root, depth, recipient, True,
                    NOW, NOW,
                )
            )  # fmt: skip
            act_id += 1
        generations = max(depths.values()) + 1
        stats.append(
            (root, size, generations, len(people), 0, shown, DAY,
             DAY + timedelta(days=generations - 1), NOW, NOW)
        )  # fmt: skip
    return acts, stats


def load(url: str, acts: list[tuple], stats: list[tuple]) -> float:
    """Bulk-load users, acts and statistics (COPY on PostgreSQL); the seconds it took."""
    start = time.perf_counter()
    engine = create_engine(url)
    users = [
        (n, f"bench{n}@example.org", f"Person {n}", "x", "UTC", "en", secrets.token_hex(8), NOW,
         False, False)
        for n in range(1, USERS + 1)
    ]  # fmt: skip
    tables = [
        ("users", "id, email, display_name, password_hash, time_zone, locale, session_token,"
         " created_at, is_admin, profile_public", users),
        ("acts", "id, ref, author_id, what, performed_on, category, visibility, parent_id,"
         " root_id, depth, recipient_id, recipient_named, created_at, updated_at", acts),
        ("chain_stats", "root_id, acts, generations, reach, unnamed, public_acts, first_on,"
         " last_on, started_at, grown_at", stats),
    ]  # fmt: skip
    postgres = url.startswith("postgresql")
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        for table, columns, rows in tables:
            for begin in range(0, len(rows), 20_000):
                batch = rows[begin : begin + 20_000]
                if postgres:
                    with cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                        for row in batch:
                            copy.write_row(row)
                else:
                    marks = ", ".join("?" for _ in columns.split(","))
                    cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", batch)
        if not postgres:
            cursor.execute("ANALYZE")
        raw.commit()
        if postgres:
            raw.driver_connection.autocommit = True
            raw.cursor().execute("VACUUM ANALYZE")
    finally:
        raw.close()
        engine.dispose()
    return time.perf_counter() - start


SHOWN = "a.visibility = 'public' AND a.removed_at IS NULL AND a.hidden_at IS NULL"
MATCH = {
    "postgresql": "to_tsvector('simple'::regconfig, kindness_search_text(a.what))"
    " @@ to_tsquery('simple'::regconfig, %(q)s)",
    "sqlite": "a.id IN (SELECT rowid FROM acts_search WHERE acts_search MATCH :q)",
}
# The walk's question to each chain: the matching ids, found once.
PROBE = {
    "postgresql": "a.id IN (SELECT b.id FROM acts b WHERE b.visibility = 'public' AND"
    " b.removed_at IS NULL AND b.hidden_at IS NULL AND to_tsvector('simple'::regconfig,"
    " kindness_search_text(b.what)) @@ to_tsquery('simple'::regconfig, %(q)s))",
    "sqlite": MATCH["sqlite"],
}


def bare_statements(backend: str, condition: str, probe: str) -> tuple[str, str]:
    """The listing's first two statements as hand-written SQL, shaped as the app's
    (``condition`` on acts ``a``; ``probe``, the same as a set found once)."""
    parts = []
    for source, chosen in (
        ("root_id IN (SELECT root_id FROM few)", "<="),
        (f"EXISTS (SELECT 1 FROM acts a WHERE a.root_id = cs.root_id AND {SHOWN} AND {probe})",
         ">"),
    ):  # fmt: skip
        parts.append(
            f"SELECT * FROM (SELECT * FROM chain_stats cs WHERE public_acts > 0 AND {source}"
            " ORDER BY reach DESC, root_id DESC LIMIT CASE WHEN (SELECT count(*) FROM few)"
            f" {chosen} {explore.FEW} THEN 21 ELSE 0 END) AS part{len(parts)}"
        )
    listing = (
        f"WITH few AS (SELECT a.root_id FROM acts a WHERE {SHOWN} AND {condition}"
        f" LIMIT {explore.FEW + 1}) " + " UNION ALL ".join(parts)
    )
    texts = (
        "SELECT r.id, r.ref, (SELECT a.what FROM acts a WHERE a.root_id = r.id AND"
        f" {SHOWN} AND {condition} ORDER BY a.depth, a.id LIMIT 1) FROM acts r"
        " WHERE r.id IN ({roots})"
    )
    if backend == "postgresql":
        return listing, texts
    return listing.replace("%(q)s", ":q"), texts.replace("%(q)s", ":q")


def cases(backend: str) -> list[tuple[str, dict, str, str, dict]]:
    """(name, listing arguments, bare condition, bare probe, bare parameters)."""
    rare, common, prefix = (search.parse(word) for word in (RARE, COMMON, COMMON[:4]))
    render = search._tsquery if backend == "postgresql" else search._fts5
    category = CATEGORIES[1]
    condition = "a.category = " + ("%(q)s" if backend == "postgresql" else ":q")
    return [
        (f"search, rare word ({RARE_ACTS} acts)", {"query": RARE}, MATCH[backend],
         PROBE[backend], {"q": render(rare)}),
        ("search, common word (1 act in 10)", {"query": COMMON}, MATCH[backend],
         PROBE[backend], {"q": render(common)}),
        (f"search, type-ahead '{COMMON[:4]}'", {"query": COMMON[:4]}, MATCH[backend],
         PROBE[backend], {"q": render(prefix)}),
        ("category filter", {"category": category}, condition, condition, {"q": category}),
    ]  # fmt: skip


def run_bare(raw, backend: str, condition: str, probe: str, params: dict) -> None:
    listing, texts = bare_statements(backend, condition, probe)
    cursor = raw.cursor()
    cursor.execute(listing, params)
    roots = [row[0] for row in cursor.fetchall()][:20]
    if roots:
        cursor.execute(texts.replace("{roots}", ", ".join(str(root) for root in roots)), params)
        cursor.fetchall()


def _without_thumbnails(session, roots):
    return {}


def measure(url: str, backend: str, runs: int) -> list[tuple[str, float, float, float]]:
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "bench", "RATELIMIT_ENABLED": False})
    results = []
    thumbnails = explore.thumbnails
    with app.app_context():
        session = get_session()
        raw = session.connection().connection
        for name, arguments, condition, probe, params in cases(backend):
            found = explore.listing(session, **arguments)
            run_bare(raw, backend, condition, probe, params)  # warm the caches
            app_times, search_times, bare_times = [], [], []
            for _ in range(runs):
                start = time.perf_counter()
                explore.listing(session, **arguments)
                app_times.append((time.perf_counter() - start) * 1000)
                # The same without the thumbnails' statement, which has nothing to do
                # with searching (it is the same for the plain listing).
                explore.thumbnails = _without_thumbnails
                start = time.perf_counter()
                explore.listing(session, **arguments)
                search_times.append((time.perf_counter() - start) * 1000)
                explore.thumbnails = thumbnails
                start = time.perf_counter()
                run_bare(raw, backend, condition, probe, params)
                bare_times.append((time.perf_counter() - start) * 1000)
            app_ms, search_ms, bare_ms = (
                statistics.median(times) for times in (app_times, search_times, bare_times)
            )
            results.append((name, app_ms, search_ms, bare_ms))
            click.echo(
                f"  {name:<38} page {app_ms:8.2f} ms   search {search_ms:8.2f} ms"
                f"   bare {bare_ms:8.2f} ms   ({len(found.chains)} chains shown)",
                err=True,
            )
        session.rollback()
    app.extensions["kindness.db"].engine.dispose()
    return results


def run(backend: str, total: int, runs: int) -> list[tuple[str, float, float, float]]:
    acts, stats = forest(total, random.Random(20261203))
    click.echo(f"\n{backend}: {total:,} acts in {len(stats):,} chains", err=True)
    if backend == "sqlite":
        folder = tempfile.mkdtemp(prefix="kindness-bench-")
        url = f"sqlite:///{folder}/bench.sqlite3"
        migrate.upgrade(url)
        seconds = load(url, acts, stats)
        del acts, stats
        click.echo(f"  loaded in {seconds:.0f} s (the triggers fill the FTS5 index)", err=True)
        try:
            return measure(url, backend, runs)
        finally:
            shutil.rmtree(folder)
    with harness.scratch_postgres() as url:
        migrate.upgrade(url)
        seconds = load(url, acts, stats)
        del acts, stats
        click.echo(f"  loaded in {seconds:.0f} s (COPY, the GIN index kept up)", err=True)
        return measure(url, backend, runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--acts", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--runs", type=int, default=21)
    options = parser.parse_args()
    logging.getLogger("alembic").setLevel(logging.WARNING)
    backends = ("sqlite", "postgresql") if options.db == "both" else (options.db,)
    for backend in backends:
        table = {total: run(backend, total, options.runs) for total in options.acts}
        smallest = options.acts[0]
        print(f"\n{backend}: explore's first page, median of {options.runs} interleaved rounds"
              " (page: explore.listing; search: the same without the thumbnails' statement;"
              " bare: its SQL by hand, raw driver)")  # fmt: skip
        print("| case | " + " | ".join(f"{n:,} acts: page / search / bare" for n in options.acts)
              + f" | search at {options.acts[-1]:,} ÷ at {smallest:,} |")  # fmt: skip
        print("|---|" + "---|" * (len(options.acts) + 1))
        for number, row in enumerate(table[smallest]):
            cells = [" / ".join(f"{value:.2f}" for value in table[n][number][1:]) + " ms"
                     for n in options.acts]  # fmt: skip
            growth = table[options.acts[-1]][number][2] / row[2]
            print(f"| {row[0]} | " + " | ".join(cells) + f" | {growth:.1f}× |")


if __name__ == "__main__":
    main()
