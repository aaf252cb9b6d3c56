"""Explore's search on a database built by bench/scale.py: EXPLAIN (ANALYZE, BUFFERS)
of the listing's statements for a common word, a type-ahead prefix, the category
filter and their mixes, so that one can see the buffers follow the page, not the
matches. A bench, never a test.

    .venv/bin/python bench/scale.py --acts 1000000 --users 20000 \\
        --database kindness_scale_search --keep --skip pages,partitions
    .venv/bin/python bench/scale_search.py --database kindness_scale_search [--plans]

The thumbnails' statement is left out (it is the plain listing's, bench/scale.py
checks it). Each case runs once to warm the caches, then once timed and explained.
"""

import argparse
import sys
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))

from sqlalchemy import create_engine, event  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402

from bench import harness, scale_world  # noqa: E402
from kindness.domain import explore  # noqa: E402

# The bench's acts are the curated ideas' texts: every English word is common.
CASES = {
    "common word (colleague)": {"query": "colleague"},
    "common word, page 5": {"query": "colleague", "page": 5},
    "type-ahead (coff)": {"query": "coff"},
    "German word (knopf, fewer matches)": {"query": "knopf"},
    "no match (zzzqx)": {"query": "zzzqx"},
    "category (help)": {"category": "help"},
    "common word in a category": {"query": "colleague", "category": "help"},
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", default=scale_world.DATABASE)
    parser.add_argument("--plans", action="store_true", help="print the plans as text")
    args = parser.parse_args()
    if not args.database.startswith("kindness_scale"):
        parser.error("--database must start with kindness_scale")
    print(f"machine: {harness.machine()}")
    engine = create_engine(scale_world.database_url(args.database))
    sent: list[tuple[str, object]] = []
    event.listen(
        engine, "before_cursor_execute", lambda _c, _cu, st, p, _x, _m: sent.append((st, p))
    )
    print("| case | listing ms | statement | ms | planning ms | buffers hit/read | JIT |")
    print("|---|---|---|---|---|---|---|")
    with Session(engine) as session:
        for name, arguments in CASES.items():
            explore.listing(session, **arguments)
            sent.clear()
            started = time.perf_counter()
            explore.listing(session, **arguments)
            wall = (time.perf_counter() - started) * 1000
            # The filtered chains and their texts: the first two statements.
            for number, (statement, parameters) in enumerate(sent[:2]):
                explained = session.connection().exec_driver_sql(
                    "EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) " + statement, parameters
                )
                top = explained.scalar_one()[0]
                plan = top["Plan"]
                jit = top.get("JIT", {}).get("Timing", {}).get("Total", 0)
                print(
                    f"| {name if number == 0 else ''} | {f'{wall:.0f}' if number == 0 else ''}"
                    f" | {'chains' if number == 0 else 'texts'} | {top['Execution Time']:.1f}"
                    f" | {top['Planning Time']:.1f} | {plan.get('Shared Hit Blocks', 0)}/"
                    f"{plan.get('Shared Read Blocks', 0)} | {jit:.0f} |"
                )
                if args.plans:
                    text = session.connection().exec_driver_sql(
                        "EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) " + statement, parameters
                    )
                    print("\n".join("    " + line for line in text.scalars()))
            session.rollback()
    engine.dispose()


if __name__ == "__main__":
    main()
