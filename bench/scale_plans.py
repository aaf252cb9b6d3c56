"""Query plans of bench/scale.py: each page runs once in-process (Flask's test
client) while a SQLAlchemy event records its statements; each SELECT is then
explained with ``EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON)`` in a transaction that
is rolled back, and its plan is searched for a sequential scan of a big table.
Not a script of its own.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import event, text

# A table with more rows than this must be read by an index on every page.
BIG_ROWS = 100_000


@dataclass
class Plan:
    page: str
    statement: str
    milliseconds: float
    indexes: list[str] = field(default_factory=list)
    seq_scans: list[str] = field(default_factory=list)  # of big tables: the failure
    small_seq_scans: list[str] = field(default_factory=list)
    shared_hit: int = 0
    shared_read: int = 0


def _walk(node: dict, plan: Plan, big: set[str]) -> None:
    relation = node.get("Relation Name")
    if node["Node Type"] == "Seq Scan":
        (plan.seq_scans if relation in big else plan.small_seq_scans).append(relation)
    index = node.get("Index Name")
    if index and index not in plan.indexes:
        plan.indexes.append(index)
    for child in node.get("Plans", ()):
        _walk(child, plan, big)


def big_tables(connection) -> set[str]:
    return set(
        connection.execute(
            text(
                "SELECT relname FROM pg_class WHERE relkind = 'r' AND reltuples > :rows"
                " AND relnamespace = 'public'::regnamespace"
            ),
            {"rows": BIG_ROWS},
        ).scalars()
    )


def short(statement: str, width: int = 90) -> str:
    one_line = re.sub(r"\s+", " ", statement).strip()
    return one_line if len(one_line) <= width else one_line[: width - 1] + "…"


def explain_pages(app, pages: dict[str, tuple[Callable, str]]) -> list[Plan]:
    """``pages``: name -> (a test client, path). Each page is fetched once to warm
    caches, once while recording, and every SELECT it sent is explained."""
    engine = app.extensions["kindness.db"].engine
    recorded: list[tuple[str, object]] = []

    def record(_conn, _cursor, statement, parameters, _context, _executemany):
        recorded.append((statement, parameters))

    plans = []
    for name, (client, path) in pages.items():
        answer = client.get(path)
        if answer.status_code != 200:
            raise SystemExit(f"ABORT: {name} ({path}) answered {answer.status_code}")
        recorded.clear()
        event.listen(engine, "before_cursor_execute", record)
        try:
            client.get(path)
        finally:
            event.remove(engine, "before_cursor_execute", record)
        statements = [
            (statement, parameters)
            for statement, parameters in recorded
            if statement.lstrip().upper().startswith(("SELECT", "WITH"))
        ]
        with engine.connect() as connection:
            big = big_tables(connection)
            try:
                for statement, parameters in statements:
                    result = connection.exec_driver_sql(
                        "EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) " + statement, parameters
                    ).scalar_one()
                    top = result[0]
                    plan = Plan(name, statement, top["Execution Time"])
                    _walk(top["Plan"], plan, big)
                    plan.shared_hit = top["Plan"].get("Shared Hit Blocks", 0)
                    plan.shared_read = top["Plan"].get("Shared Read Blocks", 0)
                    plans.append(plan)
            finally:
                connection.rollback()
    return plans


def report(plans: list[Plan]) -> bool:
    """Print one line per statement; True when no big table is read sequentially."""
    print(
        "\n| page | statement | indexes used | seq scans (small tables) | ms | buffers hit/read |"
    )
    print("|---|---|---|---|---|---|")
    for plan in plans:
        scans = ", ".join(plan.seq_scans + plan.small_seq_scans) or "–"
        if plan.seq_scans:
            scans = "**SEQ SCAN of " + ", ".join(plan.seq_scans) + "**"
        print(
            f"| {plan.page} | `{short(plan.statement, 70)}` | {', '.join(plan.indexes) or '–'} | "
            f"{scans} | {plan.milliseconds:.2f} | {plan.shared_hit}/{plan.shared_read} |"
        )
    bad = [plan for plan in plans if plan.seq_scans]
    for plan in bad:
        print(f"\nSEQ SCAN on {', '.join(plan.seq_scans)} ({plan.page}):\n{plan.statement}")
    return not bad
