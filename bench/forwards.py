"""A forward at depth 1 against one at depth 10,000: logged (the request's part,
one transaction) and fanned out to the authors above (the "travelled" job, its own
transaction), in interleaved rounds on a fresh database.

The deep chain is a line of 10,000 acts whose authors take turns among 1,000
people, so a forward at its foot has 999 authors above it; before each forward
every notice is marked read (untimed), so each fan-out writes its notices anew.

    .venv/bin/python bench/forwards.py                     # PostgreSQL
    .venv/bin/python bench/forwards.py --db sqlite --forwards 50

Prints, per depth: milliseconds per forward (median of the rounds' means) for the
log and the fan-out, and the statements each issues.
"""

import argparse
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import event, update

from kindness import create_app
from kindness.cli import migrate
from kindness.domain import acts
from kindness.domain.acts import ActInput
from kindness.domain.notices import travelled
from kindness.models import Act, Notification, User
from kindness.sessions import get_session
from tests.chain_shapes import insert_chain, insert_people, line
from tests.databases import fresh_database

DAY = date(2026, 3, 2)
DEEP, PEOPLE = 10_000, 1_000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=("postgresql", "sqlite"), default="postgresql")
    parser.add_argument("--forwards", type=int, default=30, help="per depth and round")
    parser.add_argument("--rounds", type=int, default=3)
    options = parser.parse_args()
    import logging

    logging.getLogger("alembic").setLevel(logging.WARNING)
    with tempfile.TemporaryDirectory() as folder, fresh_database(options.db, Path(folder)) as url:
        migrate.upgrade(url)
        app = create_app({"DATABASE_URL": url, "SECRET_KEY": "bench"})
        with app.app_context():
            session = get_session()
            people = insert_people(session, PEOPLE, prefix="bench")
            session.commit()
            parents = {
                1: insert_chain(session, line(1), people[:2], day=DAY)[-1],
                DEEP: insert_chain(session, line(DEEP), people, day=DAY)[-1],
            }
            engine = session.get_bind()
            statements: list[str] = []
            event.listen(engine, "before_cursor_execute", lambda *a: statements.append(a[2]))

            def forward(depth: int) -> tuple[float, float, int, int]:
                parent = session.get(Act, parents[depth])
                taker = session.get(User, parent.recipient_id)
                session.execute(
                    update(Notification)
                    .where(Notification.read_at.is_(None))
                    .values(read_at=datetime.now(UTC))
                )
                session.commit()
                statements.clear()
                started = time.perf_counter()
                act = acts.log(
                    session, taker, ActInput(what="Passed on", parent_ref=parent.ref), DAY
                )
                session.commit()
                logged = time.perf_counter() - started
                logged_statements = len(statements)
                statements.clear()
                started = time.perf_counter()
                travelled.fan_out(session, act.id)
                session.commit()
                fanned = time.perf_counter() - started
                return logged, fanned, logged_statements, len(statements)

            results: dict[int, list[tuple[float, float, int, int]]] = {1: [], DEEP: []}
            for depth in parents:  # warm both
                forward(depth)
            for _round in range(options.rounds):
                for depth in parents:
                    runs = [forward(depth) for _ in range(options.forwards)]
                    results[depth].append(
                        (
                            statistics.mean(run[0] for run in runs),
                            statistics.mean(run[1] for run in runs),
                            runs[-1][2],
                            runs[-1][3],
                        )
                    )
            app.extensions["kindness.db"].engine.dispose()
    print(f"\n{options.db}: forwards per depth, {options.rounds} interleaved rounds "
          f"of {options.forwards}")  # fmt: skip
    print("| depth | log ms | fan-out ms | log statements | fan-out statements |")
    print("|---|---|---|---|---|")
    for depth, rounds in results.items():
        log_ms = statistics.median(r[0] for r in rounds) * 1000
        fan_ms = statistics.median(r[1] for r in rounds) * 1000
        print(f"| {depth:,} | {log_ms:.2f} | {fan_ms:.2f} | {rounds[-1][2]} | {rounds[-1][3]} |")


if __name__ == "__main__":
    main()
