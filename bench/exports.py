"""Benchmark of the chain downloads (``.json``, ``.graphml``) of a 100k-act chain.

Builds the forest of bench/chains.py (the 100k wide chain among others), then
times, in interleaved rounds, the app's downloads through the WSGI app (body
read to the end, identity and gzip), the 304 answer to a browser that has the
download already, and the bare SQL of the same rows through the raw driver
(fetched whole, nothing written): wall time, and this process's CPU time
(with SQLite, the database's work too; with PostgreSQL, not the server's).
Memory: the peak of Python allocations during one download above what was
allocated before it (tracemalloc, in a round of its own, as tracing slows
everything; the drivers' own buffers are one batch of 2,000 rows).

    .venv/bin/python bench/exports.py                  # both databases
    .venv/bin/python bench/exports.py --db sqlite --runs 5

Goal (issue 15): a 100k-act ``.json`` under 600 ms and under 50 MB above idle.
"""

import argparse
import gc
import random
import shutil
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

import click
from sqlalchemy import create_engine, text

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import harness
from bench.chains import build_forest, load, release
from kindness import create_app
from kindness.cli import migrate

# The same rows as the app's export reads (kindness/domain/chains/export.py).
BARE = (
    "SELECT a.id, a.ref, a.parent_id, a.depth, a.performed_on, a.author_id, a.what,"
    " a.category, a.visibility, a.removed_at IS NOT NULL, a.hidden_at IS NOT NULL,"
    " a.recipient_id, a.recipient_named, au.display_name, ru.display_name, c.name"
    " FROM acts a LEFT JOIN users au ON au.id = a.author_id"
    " LEFT JOIN users ru ON ru.id = a.recipient_id"
    " LEFT JOIN contacts c ON c.id = a.contact_id AND c.owner_id = -1"
    " WHERE a.root_id = {root} ORDER BY a.depth, a.id"
)


def download(client, url: str, **headers) -> tuple[int, int]:
    response = client.get(url, headers=headers)
    size = sum(len(chunk) for chunk in response.response)
    response.close()
    return response.status_code, size


def measure(url: str, root: int, runs: int) -> list[tuple[str, float, str]]:
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "bench", "RATELIMIT_ENABLED": False})
    engine = create_engine(url)
    raw = engine.raw_connection()
    with engine.connect() as connection:
        ref = connection.execute(text("SELECT ref FROM acts WHERE id = :id"), {"id": root}).scalar()
        small = connection.execute(
            text("SELECT ref FROM acts WHERE root_id <> :id AND parent_id IS NULL LIMIT 1"),
            {"id": root},
        ).scalar()
    client = app.test_client()
    # Warm the imports, the statements' caches and the pool on a small chain.
    for form in ("json", "graphml"):
        download(client, f"/chains/{small}.{form}")
    gc.collect()
    results: list[tuple[str, float, str]] = []
    sizes = {}
    tags = {}
    for form in ("json", "graphml"):
        response = client.get(f"/chains/{ref}.{form}")
        tags[form] = response.headers["ETag"]
        sizes[form] = sum(len(chunk) for chunk in response.response)
        response.close()
        sizes[form + " gzip"] = download(client, f"/chains/{ref}.{form}", **{
            "Accept-Encoding": "gzip"
        })[1]  # fmt: skip

    def bare() -> None:
        cursor = raw.cursor()
        cursor.execute(BARE.format(root=root))
        cursor.fetchall()
        cursor.close()

    gzip = {"Accept-Encoding": "gzip"}
    cases = {
        "json": lambda: download(client, f"/chains/{ref}.json"),
        "json gzip": lambda: download(client, f"/chains/{ref}.json", **gzip),
        "graphml": lambda: download(client, f"/chains/{ref}.graphml"),
        "graphml gzip": lambda: download(client, f"/chains/{ref}.graphml", **gzip),
        "json 304": lambda: download(
            client, f"/chains/{ref}.json", **{"If-None-Match": tags["json"]}
        ),
        "bare SQL (raw driver, fetchall)": bare,
    }
    timings: dict[str, list[float]] = {name: [] for name in cases}
    cpu: dict[str, list[float]] = {name: [] for name in cases}
    for _ in range(runs):  # interleaved: one of each per round
        for name, function in cases.items():
            gc.collect()
            start, start_cpu = time.perf_counter(), time.process_time()
            function()
            timings[name].append((time.perf_counter() - start) * 1000)
            cpu[name].append((time.process_time() - start_cpu) * 1000)
    for name, values in timings.items():
        size = f" {sizes[name] / 1e6:.1f} MB" if name in sizes else ""
        note = f"(CPU here {statistics.median(cpu[name]):.0f} ms){size}"
        results.append((f"100k {name}", statistics.median(values), note))
    for form in ("json", "graphml"):
        gc.collect()
        tracemalloc.start()
        base = tracemalloc.get_traced_memory()[0]
        tracemalloc.reset_peak()
        download(client, f"/chains/{ref}.{form}")
        peak = tracemalloc.get_traced_memory()[1] - base
        tracemalloc.stop()
        results.append((f"100k {form}: peak Python memory above idle", peak / 1e6, "MB"))
    raw.close()
    engine.dispose()
    app.extensions["kindness.db"].engine.dispose()
    for name, value, unit in results:
        if unit == "MB":
            click.echo(f"  {name:<52} {value:8.1f} MB", err=True)
        else:
            click.echo(f"  {name:<52} {value:8.1f} ms  {unit}", err=True)
    return results


def run(backend: str, total: int, runs: int) -> list[tuple[str, float, str]]:
    forest = build_forest(total, random.Random(20261126))
    root = forest.named["100k wide"]
    acts = forest.chains[root].acts
    click.echo(f"\n{backend}: {total:,} acts, the wide chain of {acts:,}", err=True)
    if backend == "sqlite":
        folder = tempfile.mkdtemp(prefix="kindness-bench-")
        try:
            url = f"sqlite:///{folder}/bench.sqlite3"
            migrate.upgrade(url)
            load(url, forest)
            release(forest)
            return measure(url, root, runs)
        finally:
            shutil.rmtree(folder, ignore_errors=True)
    with harness.scratch_postgres() as url:
        migrate.upgrade(url)
        load(url, forest)
        release(forest)
        return measure(url, root, runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--acts", type=int, default=400_000, help="the forest (100k wide at 400k)")
    parser.add_argument("--runs", type=int, default=7)
    options = parser.parse_args()
    import logging

    logging.getLogger("alembic").setLevel(logging.WARNING)
    backends = ("sqlite", "postgresql") if options.db == "both" else (options.db,)
    table = {backend: run(backend, options.acts, options.runs) for backend in backends}
    print(f"\n| measurement (median of {options.runs}) | " + " | ".join(backends) + " |")
    print("|---|" + "---|" * len(backends))
    for number, (name, _value, unit) in enumerate(table[backends[0]]):
        cells = []
        for backend in backends:
            value, unit = table[backend][number][1:]
            cells.append(f"{value:.1f} MB" if unit == "MB" else f"{value:.0f} ms {unit}".strip())
        print(f"| {name} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
