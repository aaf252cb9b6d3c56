"""Acts partitioned by chain root, for bench/scale.py: a hash-partitioned copy of
``acts`` in schema ``partitioned`` with the same indexes, and the chain statements
of the domain timed on the plain and on the partitioned table.

The domain's statements name ``acts`` without a schema, so the very same
statements (and the same domain functions) read the copy when the search path
starts with ``partitioned``. PostgreSQL wants the partition key in every unique
index of a partitioned table: the primary key becomes (id, root_id) and the other
unique indexes get root_id as a last column; the foreign keys are left out (a copy
to read, not to write), and so is the full-text index (no chain statement reads it).
Not a script of its own.
"""

import re
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from sqlalchemy import Connection, bindparam, literal, select, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from kindness.domain.chains import graph
from kindness.domain.chains import statistics as chain_statistics
from kindness.models import Act

SCHEMA = "partitioned"
# A statement slower than this is stopped and shown as "> TIMEOUT s" (a recursive
# walk that reads every partition on each step can take hours on a deep chain).
TIMEOUT_S = 30


def build(connection: Connection, partitions: int) -> float:
    """Make (or make again) ``partitioned.acts`` from ``public.acts``; return seconds.
    A copy of as many rows and partitions, kept by an earlier ``--keep`` run, is reused."""
    began = time.perf_counter()
    kept = connection.execute(
        text("SELECT count(*) FROM pg_inherits WHERE inhparent = to_regclass(:name)"),
        {"name": f"{SCHEMA}.acts"},
    ).scalar_one()
    indexes = connection.execute(
        text("SELECT count(*) FROM pg_indexes WHERE schemaname = :schema AND tablename = 'acts'"),
        {"schema": SCHEMA},
    ).scalar_one()
    if (
        kept == partitions
        and indexes == len(index_statements(connection))
        and connection.execute(
            text(
                f"SELECT (SELECT count(*) FROM {SCHEMA}.acts) = (SELECT count(*) FROM public.acts)"
            )
        ).scalar_one()
    ):
        print("  partitioned copy: reusing the kept one", file=sys.stderr)
        return 0.0
    connection.execute(text(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE"))
    connection.execute(text(f"CREATE SCHEMA {SCHEMA}"))
    connection.execute(
        text(
            f"CREATE TABLE {SCHEMA}.acts"
            " (LIKE public.acts INCLUDING DEFAULTS INCLUDING CONSTRAINTS)"
            " PARTITION BY HASH (root_id)"
        )
    )
    for remainder in range(partitions):
        connection.execute(
            text(
                f"CREATE TABLE {SCHEMA}.acts_{remainder:02d} PARTITION OF {SCHEMA}.acts"
                f" FOR VALUES WITH (MODULUS {partitions}, REMAINDER {remainder})"
            )
        )
    connection.execute(text("SET maintenance_work_mem = '1GB'"))
    connection.execute(text("SET max_parallel_maintenance_workers = 2"))
    connection.execute(text(f"INSERT INTO {SCHEMA}.acts SELECT * FROM public.acts"))
    print(f"  partitioned copy: rows in {time.perf_counter() - began:.0f} s", file=sys.stderr)
    connection.execute(text(f"ALTER TABLE {SCHEMA}.acts ALTER COLUMN root_id SET NOT NULL"))
    for statement in index_statements(connection):
        connection.execute(text(statement))
    connection.execute(text(f"ANALYZE {SCHEMA}.acts"))
    return time.perf_counter() - began


def index_statements(connection: Connection) -> list[str]:
    """The indexes of public.acts, for the partitioned copy."""
    statements = []
    definitions = connection.execute(
        text(
            "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public'"
            " AND tablename = 'acts'"
        )
    ).all()
    for name, definition in definitions:
        if " USING gin " in definition:
            continue
        definition = definition.replace(" ON public.acts ", f" ON {SCHEMA}.acts ")
        definition = definition.replace(f"INDEX {name} ", f"INDEX p_{name} ", 1)
        if definition.startswith("CREATE UNIQUE"):
            columns = re.search(r"USING btree \(([^)]*)\)", definition)[1]
            if "root_id" not in columns.split(", "):
                definition = definition.replace(f"({columns})", f"({columns}, root_id)", 1)
        statements.append(definition)
    return statements


def partitions_read(connection: Connection, statement: str, parameters: dict) -> int:
    """How many partitions of the copy a statement's plan reads."""
    plan = connection.exec_driver_sql("EXPLAIN (FORMAT JSON) " + statement, parameters)
    names: set[str] = set()

    def walk(node: dict) -> None:
        if node.get("Schema") == SCHEMA or str(node.get("Relation Name", "")).startswith("acts_"):
            names.add(node.get("Relation Name"))
        for child in node.get("Plans", ()):
            walk(child)

    walk(plan.scalar_one()[0]["Plan"])
    return len(names)


# -- the walks with the chain's root given: what the partitioned table needs to prune


@cache
def ancestors_in_chain():
    """``graph``'s ancestors walk, each step also bound to the chain's root."""
    root = bindparam("root_id")
    anchor = select(Act.id, Act.parent_id, Act.depth, literal(0).label("level")).where(
        Act.id == bindparam("act_id"), Act.root_id == root
    )
    walk = anchor.cte("ancestors", recursive=True)
    walk = walk.union_all(
        select(Act.id, Act.parent_id, Act.depth, walk.c.level + 1)
        .join(walk, (Act.id == walk.c.parent_id) & (Act.root_id == root))
        .where(walk.c.level < graph.MAX_DEPTH)
    )
    return select(walk.c.id, walk.c.parent_id, walk.c.depth).order_by(walk.c.depth)


@cache
def subtree_in_chain():
    """``graph``'s subtree walk, each step also bound to the chain's root."""
    root = bindparam("root_id")
    anchor = select(Act.id, Act.parent_id, Act.depth, literal(0).label("level")).where(
        Act.id == bindparam("act_id"), Act.root_id == root
    )
    walk = anchor.cte("subtree", recursive=True)
    walk = walk.union_all(
        select(Act.id, Act.parent_id, Act.depth, walk.c.level + 1)
        .join(walk, (Act.parent_id == walk.c.id) & (Act.root_id == root))
        .where(walk.c.level < graph.MAX_DEPTH)
    )
    return select(walk.c.id, walk.c.parent_id, walk.c.depth).order_by(walk.c.depth, walk.c.id)


def _run(session: Session, statement, **parameters):
    return session.connection().execute(statement(), parameters).all()


@dataclass
class Case:
    name: str
    call: Callable[[Session], object]
    writes: bool = False  # run in a savepoint rolled back


def cases(chains: dict[str, int], deepest_act: int) -> list[Case]:
    """The chain statements on each named chain: the whole chain (by root), the
    subtree below the root's first child and the ancestors of the chain's last
    act (by act id), the statistics read (``of_chain``) and ``recompute``."""
    chosen = []
    for label in ("100k wide", "10k deep", "10k", "typical (5 acts)"):
        root = chains[label]
        last = deepest_act if label == "10k deep" else None
        chosen += [
            Case(f"{label}: whole chain", lambda s, r=root: graph.whole_chain(s, r)),
            Case(f"{label}: subtree of the first child", lambda s, r=root: graph.subtree(s, r + 1)),
            Case(
                f"{label}: ancestors of the last act",
                lambda s, r=root, a=last: graph.ancestors(s, a or _last(s, r)),
            ),
            Case(
                f"{label}: subtree, root given (variant)",
                lambda s, r=root: _run(s, subtree_in_chain, act_id=r + 1, root_id=r),
            ),
            Case(
                f"{label}: ancestors, root given (variant)",
                lambda s, r=root, a=last: _run(
                    s, ancestors_in_chain, act_id=a or _last(s, r), root_id=r
                ),
            ),
            Case(
                f"{label}: statistics (of_chain)", lambda s, r=root: chain_statistics.of_chain(s, r)
            ),
        ]
        if label != "100k wide":  # its recompute writes 60,000 ORM rows: Python's time, not SQL's
            chosen.append(
                Case(
                    f"{label}: recompute",
                    lambda s, r=root: chain_statistics.recompute(s, r),
                    writes=True,
                )
            )
    return chosen


_LAST: dict[int, int] = {}


def _last(session: Session, root: int) -> int:
    """The chain's last act of its deepest generation (read backwards on
    ix_acts_root_id_depth: ``max(id)`` would walk the primary key from the top)."""
    if root not in _LAST:
        _LAST[root] = session.execute(
            text("SELECT id FROM acts WHERE root_id = :root ORDER BY depth DESC, id DESC LIMIT 1"),
            {"root": root},
        ).scalar_one()
    return _LAST[root]


def _time(session: Session, case: Case, calls: int, path: str) -> float:
    """Milliseconds a call, the median of ``calls`` calls; infinity if one timed out."""
    taken = []
    for _ in range(calls):
        _use(session.connection(), path)
        if case.writes:
            savepoint = session.begin_nested()
        began = time.perf_counter()
        try:
            case.call(session)
            if case.writes:
                session.flush()
        except OperationalError as error:
            if "statement timeout" not in str(error):
                raise
            session.rollback()
            return float("inf")
        taken.append((time.perf_counter() - began) * 1000)
        if case.writes:
            savepoint.rollback()
    return statistics.median(taken)


def _use(connection: Connection, path: str) -> None:
    connection.execute(text(f"SET search_path = {path}"))
    connection.execute(text(f"SET statement_timeout = '{TIMEOUT_S}s'"))


def measure(engine, chains: dict[str, int], deepest_act: int, rounds: int, calls: int):
    """Interleaved rounds (plain, partitioned; the order swapped each round) of every
    case; returns case name -> (plain ms, partitioned ms), medians over rounds."""
    chosen = cases(chains, deepest_act)
    results: dict[str, dict[str, list[float]]] = {case.name: {} for case in chosen}
    layouts = {"plain": "public", "partitioned": f"{SCHEMA}, public"}
    with engine.connect() as connection:
        session = Session(bind=connection)
        too_slow: set[tuple[str, str]] = set()
        for case in chosen:  # warm both (and learn the last acts); note what times out
            for layout, path in layouts.items():
                if _time(session, case, 1, path) == float("inf"):
                    too_slow.add((case.name, layout))
        for number in range(rounds):
            order = list(layouts.items())
            if number % 2:
                order.reverse()
            for case in chosen:
                for layout, path in order:
                    taken = float("inf")
                    if (case.name, layout) not in too_slow:
                        taken = _time(session, case, calls, path)
                    results[case.name].setdefault(layout, []).append(taken)
            print(f"  partitions: round {number + 1} of {rounds} done", file=sys.stderr)
        session.rollback()
        session.close()
    return {
        name: (statistics.median(by["plain"]), statistics.median(by["partitioned"]))
        for name, by in results.items()
    }


def pruning(engine, chains: dict[str, int]) -> list[tuple[str, int]]:
    """Partitions read by the plan of each chain statement on the copy."""
    root = chains["10k"]
    with engine.connect() as connection:
        connection.execute(text(f"SET search_path = {SCHEMA}, public"))
        dialect = engine.dialect
        found = []
        for name, statement, parameters in (
            ("whole chain (WHERE root_id = :root)", graph._whole_chain_statement(),
             {"root_id": root}),
            ("subtree (recursive, by act id)", graph._subtree_statement(), {"act_id": root + 1}),
            ("ancestors (recursive, by act id)", graph._ancestors_statement(),
             {"act_id": root + 5}),
            ("subtree, root given (variant)", subtree_in_chain(),
             {"act_id": root + 1, "root_id": root}),
            ("ancestors, root given (variant)", ancestors_in_chain(),
             {"act_id": root + 5, "root_id": root}),
        ):  # fmt: skip
            compiled = statement.compile(dialect=dialect)
            found.append(
                (
                    name,
                    partitions_read(
                        connection, str(compiled), compiled.construct_params(parameters)
                    ),
                )
            )
        connection.rollback()
    return found
