"""Every figure of issue 15's Bar in one command: runs the benchmarks one after the
other (each interleaves its own rounds), shows their progress, and prints their
tables together at the end with each one's run time.

    .venv/bin/python bench/all.py              # the Bar's sizes, no pages: ~40 minutes (estimated)
    .venv/bin/python bench/all.py --quick      # smaller sizes, fewer rounds: about 8 minutes
    .venv/bin/python bench/all.py --pages      # and bench/pages.py (--quick: 4 minutes; else 25)
    .venv/bin/python bench/all.py --only chains concurrency

Also ``make bench`` (the Bar's sizes) and ``make bench QUICK=1``.
"""

import argparse
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.harness import machine

BENCH = Path(__file__).resolve().parent

# name: (what it gives, the Bar's arguments, quick arguments)
RUNS = {
    "chains": (
        "chain functions app / Core / raw driver, forwards, chain pages",
        ["--acts", "1000000", "--runs", "7", "--inserts", "700"],
        ["--acts", "200000", "--runs", "7", "--inserts", "140"],
    ),
    "search": (
        "explore search (rare, common, type-ahead) and category at 10k / 100k / 1M",
        [],
        ["--acts", "10000", "100000", "--runs", "11"],
    ),
    "forwards": (
        "a forward at depth 1 and at depth 10,000 (PostgreSQL)",
        [],
        ["--forwards", "15", "--rounds", "3"],
    ),
    "concurrency": (
        "1, 4 and 16 concurrent writers, many chains and one chain (PostgreSQL)",
        ["--rounds", "5", "--seconds", "5"],
        ["--rounds", "3", "--seconds", "3"],
    ),
    "exports": (
        "the 100k chain's .json and .graphml: time and peak memory",
        [],
        ["--runs", "3"],
    ),
    "pages": (
        "every page against the bare Flask floor (gunicorn, wrk)",
        [],
        ["--quick"],
    ),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller sizes, fewer rounds")
    parser.add_argument("--pages", action="store_true", help="bench/pages.py as well")
    parser.add_argument("--only", nargs="+", choices=sorted(RUNS), help="these benchmarks")
    options = parser.parse_args()
    names = options.only or [name for name in RUNS if name != "pages" or options.pages]
    began = time.perf_counter()
    header = f"machine: {machine()}"
    outputs = []
    for name in names:
        about, full, quick = RUNS[name]
        arguments = quick if options.quick else full
        command = [sys.executable, str(BENCH / f"{name}.py"), *arguments]
        print(f"\n== bench/{name}.py {' '.join(arguments)}: {about}", file=sys.stderr)
        started = time.perf_counter()
        # Progress goes to the terminal as it comes; the tables (stdout) are kept for the end.
        done = subprocess.run(command, stdout=subprocess.PIPE, text=True, check=False)  # noqa: S603
        seconds = time.perf_counter() - started
        status = "" if done.returncode == 0 else f", FAILED (exit {done.returncode})"
        outputs.append((name, arguments, about, seconds, status, done.stdout))
    print(header)
    for name, arguments, about, seconds, status, stdout in outputs:
        print(f"\n## bench/{name}.py {' '.join(arguments)}\n\n{about}; run time "
              f"{seconds / 60:.1f} min{status}\n{stdout.rstrip()}")  # fmt: skip
    if "pages" not in names:
        print("\nbench/pages.py (the pages against the floor) was not run: add --pages.")
    print(f"\nall: {(time.perf_counter() - began) / 60:.1f} min; machine at the end: {machine()}")


if __name__ == "__main__":
    main()
