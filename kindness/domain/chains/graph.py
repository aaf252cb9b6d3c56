"""Chains: the graph of forwarded acts in SQL.

Acts are the nodes and ``acts.parent_id`` the edges. ``root_id`` and ``depth``
are set once at insert, so a whole chain (and its statistics) is one indexed
query; subtrees and ancestor paths use a recursive CTE with a depth guard.
``chain_stats`` is kept current in the same transaction as every change, so
listings never read the acts. Big chains are read as plain rows, never as ORM
objects, and every walk over them is iterative.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from sqlalchemy import (
    CTE,
    ColumnElement,
    bindparam,
    case,
    func,
    literal,
    literal_column,
    select,
)
from sqlalchemy.engine import Row
from sqlalchemy.orm import Session

from kindness.models import Act

# An act that counts as public: public, not removed, not hidden by a moderator.
# 'public' is written into the statement, not bound: a partial index on public
# acts (ix_acts_public_category, ix_acts_search) serves only a condition that
# says 'public' itself, which a bound value does not on SQLite, nor in
# PostgreSQL's generic plan of a prepared statement.
PUBLIC_AND_SHOWN = (
    (Act.visibility == literal_column("'public'"))
    & Act.removed_at.is_(None)
    & Act.hidden_at.is_(None)
)

# Deeper than any chain can grow in practice; stops a corrupt cycle from looping.
MAX_DEPTH = 1_000_000


@dataclass(frozen=True)
class Ripple:
    """What grew below one of a person's acts."""

    act_id: int
    acts_below: int
    generations_below: int
    people: int


# -- reading the graph -------------------------------------------------------
# The statements are built once (on first use) with bound parameters and run on
# the session's connection as Core: no ORM objects, no per-call construction.


@cache
def _whole_chain_statement():
    return (
        select(Act.id, Act.parent_id, Act.depth)
        .where(Act.root_id == bindparam("root_id"))
        .order_by(Act.depth, Act.id)
    )


@cache
def _subtree_statement():
    anchor = select(Act.id, Act.parent_id, Act.depth, literal(0).label("level")).where(
        Act.id == bindparam("act_id")
    )
    walk = anchor.cte("subtree", recursive=True)
    walk = walk.union_all(
        select(Act.id, Act.parent_id, Act.depth, walk.c.level + 1)
        .join(walk, Act.parent_id == walk.c.id)
        .where(walk.c.level < MAX_DEPTH)
    )
    return select(walk.c.id, walk.c.parent_id, walk.c.depth).order_by(walk.c.depth, walk.c.id)


@cache
def _ancestors_statement():
    anchor = select(
        Act.id, Act.parent_id, Act.depth, Act.author_id, literal(0).label("level")
    ).where(Act.id == bindparam("act_id"))
    walk = anchor.cte("ancestors", recursive=True)
    walk = walk.union_all(
        select(Act.id, Act.parent_id, Act.depth, Act.author_id, walk.c.level + 1)
        .join(walk, Act.id == walk.c.parent_id)
        .where(walk.c.level < MAX_DEPTH)
    )
    return select(walk.c.id, walk.c.parent_id, walk.c.depth, walk.c.author_id).order_by(
        walk.c.depth
    )


def whole_chain(session: Session, root_id: int) -> Sequence[Row]:
    """(id, parent_id, depth) of every act of the chain, parents before children."""
    return session.connection().execute(_whole_chain_statement(), {"root_id": root_id}).all()


def subtree(session: Session, act_id: int) -> Sequence[Row]:
    """(id, parent_id, depth) of an act and everything below it, parents first."""
    return session.connection().execute(_subtree_statement(), {"act_id": act_id}).all()


def ancestors(session: Session, act_id: int) -> Sequence[Row]:
    """(id, parent_id, depth, author_id) of the path from the root down to the act."""
    return session.connection().execute(_ancestors_statement(), {"act_id": act_id}).all()


def path_up(act_id: ColumnElement[int]) -> CTE:
    """The recursive walk up from ``act_id`` to its root: (id, author_id, depth) of
    the act and of each of its ancestors, for statements that act on the path in
    the database (one statement however deep the act)."""
    anchor = select(Act.id, Act.parent_id, Act.author_id, Act.depth, literal(0).label("level"))
    walk = anchor.where(Act.id == act_id).cte("path_up", recursive=True)
    return walk.union_all(
        select(Act.id, Act.parent_id, Act.author_id, Act.depth, walk.c.level + 1)
        .join(walk, Act.id == walk.c.parent_id)
        .where(walk.c.level < MAX_DEPTH)
    )


def walk_below(*origins: ColumnElement[bool]) -> CTE:
    """The recursive walk down from the acts matching ``origins``: (origin, id,
    level) of each such act (level 0) and of every act below it."""
    anchor = select(Act.id.label("origin"), Act.id.label("id"), literal(0).label("level"))
    walk = anchor.where(*origins).cte("ripples", recursive=True)
    return walk.union_all(
        select(walk.c.origin, Act.id, walk.c.level + 1)
        .join(walk, Act.parent_id == walk.c.id)
        .where(walk.c.level < MAX_DEPTH)
    )


def acts_below(session: Session, *origins: ColumnElement[bool], up_to: int) -> int:
    """How many acts grew anywhere below the acts matching ``origins``, an act below
    two of them counted once, counting no further than ``up_to`` + 1: a figure
    above ``up_to`` means "more than ``up_to``".

    The walk keeps only act ids and joins them with UNION, so each act is read
    once (and a corrupt cycle ends); both databases produce the rows of a
    recursive query as the outer query asks for them, so the LIMIT stops the walk
    after ``up_to`` + 1 acts however big the chains below: the cost is bounded by
    the page, not by the biggest chain one of the acts started."""
    below = select(Act.id.label("id")).where(Act.parent_id.in_(select(Act.id).where(*origins)))
    walk = below.cte("grown", recursive=True)
    walk = walk.union(select(Act.id).join(walk, Act.parent_id == walk.c.id))
    first = select(walk.c.id).limit(up_to + 1).subquery("first")
    return session.scalar(select(func.count()).select_from(first)) or 0


def ripples(session: Session, author_id: int, act_ids: list[int] | None = None) -> list[Ripple]:
    """Everything downstream of a person's acts (or of the given ones), per act, in
    one recursive query."""
    origins = [Act.author_id == author_id]
    if act_ids is not None:
        origins.append(Act.id.in_(act_ids))
    walk = walk_below(*origins)
    rows = session.execute(
        select(
            walk.c.origin,
            func.count(walk.c.id) - 1,
            func.max(walk.c.level),
            func.count(func.distinct(Act.recipient_id))
            + func.sum(case((Act.recipient_id.is_(None), 1), else_=0)),
        )
        .join(Act, Act.id == walk.c.id)
        .group_by(walk.c.origin)
        .having(func.count(walk.c.id) > 1)
        .order_by(walk.c.origin)
    ).all()
    return [Ripple(*row) for row in rows]


def above(session: Session, act_ids: Sequence[int], among: Sequence[int]) -> list[tuple[int, int]]:
    """(act, ancestor) for each act of ``act_ids`` and each of its ancestors that is
    one of ``among``, in one recursive walk up from all of them."""
    if not act_ids or not among:
        return []
    anchor = select(
        Act.id.label("origin"), Act.parent_id.label("id"), literal(1).label("level")
    ).where(Act.id.in_(act_ids), Act.parent_id.is_not(None))
    walk = anchor.cte("above", recursive=True)
    walk = walk.union_all(
        select(walk.c.origin, Act.parent_id, walk.c.level + 1)
        .join(walk, Act.id == walk.c.id)
        .where(Act.parent_id.is_not(None), walk.c.level < MAX_DEPTH)
    )
    rows = session.execute(select(walk.c.origin, walk.c.id).where(walk.c.id.in_(among))).all()
    return [(origin, ancestor) for origin, ancestor in rows]
