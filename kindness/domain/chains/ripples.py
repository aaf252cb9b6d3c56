"""Where a person's kindness went: what grew below their own acts.

Only counts leave this module (acts per generation, generations, people), never
the text, author or recipient of an act below, so a private forward counts and
shows nothing. Every figure comes from one statement, however many acts are
asked for; below a root it reads the chain's statistics and its count per depth,
and walks (recursively) only below the person's forwards.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache

from sqlalchemy import ColumnElement, Select, bindparam, case, func, literal, select, union_all
from sqlalchemy.orm import Session, aliased

from kindness.domain.chains.graph import walk_below
from kindness.domain.keyset import after_descending
from kindness.models import Act, ChainMember, ChainStats

# The dashboard shows the acts of this many days back that travelled furthest.
DASHBOARD_DAYS = 90
DASHBOARD_LIMIT = 5
# The walk below a person's forwards stops after this many rows: below one forward
# may lie most of a chain of 100,000 acts, and the page's cost is to be set by the
# page, not by the biggest chain (README, "Ten million acts"). What it did not
# reach is shown as "at least".
WALK_LIMIT = 2000


@dataclass(frozen=True)
class Travelled:
    """One of the person's own acts and the counts of what grew below it."""

    act_id: int
    ref: str
    what: str | None
    performed_on: date
    acts_below: int
    generations: int
    people: int
    per_generation: tuple[int, ...]  # acts in generation 1, 2, ... below the act
    # The walk stopped at WALK_LIMIT before it had read all below the act: the
    # figures are lower bounds ("at least").
    at_least: bool = False


def _statement(*origins: ColumnElement[bool], limit: int | None) -> Select:
    """Totals per origin (the ``limit`` that travelled furthest: most acts below,
    then most generations, then the newest) with their acts per generation, one
    row per (origin, generation below).

    Below a root lies its whole chain: its totals are the chain's statistics
    (``chain_stats``, and ``chain_members`` for whether the root's author was
    also a recipient in it) and its acts per generation one count per depth on
    the chain's index, never a recursive walk, however big the chain. Only what
    grew below the person's forwards is walked, and only from those, and no
    further than WALK_LIMIT rows in all. Both databases walk a recursive query
    generation by generation (every origin's generation n before any n + 1) and
    stop it when the LIMIT is met; so when it was met at generation n, an origin
    whose walk reached n - 1 or further may have more below it (``at_least``),
    and one whose walk ended before was read whole."""
    # People reached as in graph.ripples: named recipients once, unnamed ones each.
    # For a root: the chain's reach counts its author once more, unless they were
    # also a recipient in it (their places in the chain then exceed the root's one).
    root_totals = (
        select(
            Act.id.label("origin"),
            (ChainStats.acts - 1).label("acts_below"),
            (ChainStats.generations - 1).label("generations"),
            (ChainStats.reach - case((ChainMember.places > 1, 0), else_=1)).label("people"),
            literal(0).label("at_least"),
        )
        .join(ChainStats, ChainStats.root_id == Act.id)
        .join(
            ChainMember,
            (ChainMember.root_id == Act.id) & (ChainMember.user_id == Act.author_id),
        )
        .where(*origins, Act.parent_id.is_(None), ChainStats.acts > 1)
    )
    walk = select(walk_below(*origins, Act.parent_id.is_not(None))).limit(WALK_LIMIT).cte("walked")
    # The generation the walk was stopped in, or NULL when it read everything.
    stopped_in = (
        select(case((func.count() >= WALK_LIMIT, func.max(walk.c.level))))
        .select_from(walk)
        .scalar_subquery()
    )
    forward_totals = (
        select(
            walk.c.origin,
            (func.count(walk.c.id) - 1).label("acts_below"),
            func.max(walk.c.level).label("generations"),
            (
                func.count(func.distinct(Act.recipient_id))
                + func.sum(case((Act.recipient_id.is_(None), 1), else_=0))
            ).label("people"),
            case((func.max(walk.c.level) >= stopped_in - 1, 1), else_=0).label("at_least"),
        )
        .join(Act, Act.id == walk.c.id)
        .group_by(walk.c.origin)
        .having(func.count(walk.c.id) > 1)
    )
    every = union_all(root_totals, forward_totals).subquery("every")
    totals = select(every).order_by(
        every.c.acts_below.desc(), every.c.generations.desc(), every.c.origin.desc()
    )
    if limit is not None:
        totals = totals.limit(limit)
    chosen = totals.cte("chosen")
    chosen_origins = select(chosen.c.origin)
    levels = union_all(
        # Below a chosen root: its chain by depth (a forward's id is no chain's root_id).
        select(Act.root_id.label("origin"), Act.depth.label("level"), func.count().label("acts"))
        .where(Act.root_id.in_(chosen_origins), Act.depth > 0)
        .group_by(Act.root_id, Act.depth),
        # Below a chosen forward: the walk (whose origins are forwards only).
        select(walk.c.origin, walk.c.level, func.count())
        .where(walk.c.level > 0, walk.c.origin.in_(chosen_origins))
        .group_by(walk.c.origin, walk.c.level),
    ).cte("levels")
    return (
        select(
            chosen.c.origin,
            Act.ref,
            Act.what,
            Act.performed_on,
            chosen.c.acts_below,
            chosen.c.generations,
            chosen.c.people,
            chosen.c.at_least,
            levels.c.level,
            levels.c.acts,
        )
        .join(Act, Act.id == chosen.c.origin)
        .join(levels, levels.c.origin == chosen.c.origin)
        .order_by(
            chosen.c.acts_below.desc(),
            chosen.c.generations.desc(),
            chosen.c.origin.desc(),
            levels.c.level,
        )
    )


@cache
def _furthest_statement() -> Select:
    return _statement(
        Act.author_id == bindparam("author_id"),
        Act.performed_on >= bindparam("since"),
        limit=DASHBOARD_LIMIT,
    )


@cache
def _one_statement() -> Select:
    return _statement(
        Act.author_id == bindparam("author_id"), Act.id == bindparam("act_id"), limit=None
    )


def _collect(rows) -> list[Travelled]:
    found: dict[int, list] = {}
    for origin, ref, what, performed_on, below, generations, people, at_least, level, acts in rows:
        entry = found.setdefault(
            origin,
            [
                ref,
                what,
                performed_on,
                int(below),
                int(generations),
                int(people),
                bool(at_least),
                {},
            ],
        )
        entry[-1][int(level)] = int(acts)
    return [
        Travelled(
            act_id=origin,
            ref=ref,
            what=what,
            performed_on=performed_on,
            acts_below=below,
            generations=generations,
            people=people,
            per_generation=tuple(levels.get(n, 0) for n in range(1, generations + 1)),
            at_least=at_least,
        )
        for origin, (ref, what, performed_on, below, generations, people, at_least, levels) in (
            found.items()
        )
    ]


def furthest(session: Session, author_id: int, today: date) -> list[Travelled]:
    """The ``DASHBOARD_LIMIT`` acts of the author's last ``DASHBOARD_DAYS`` days
    (``today`` in their own dates) that travelled furthest, furthest first; acts
    that did not travel yet are left out. One statement."""
    since = today - timedelta(days=DASHBOARD_DAYS)
    rows = session.connection().execute(
        _furthest_statement(), {"author_id": author_id, "since": since}
    )
    return _collect(rows)


def below(session: Session, author_id: int, act_id: int) -> Travelled | None:
    """What grew below one of the author's own acts, or None while nothing has."""
    rows = session.connection().execute(
        _one_statement(), {"author_id": author_id, "act_id": act_id}
    )
    found = _collect(rows)
    return found[0] if found else None


def grown_page(
    session: Session, author_id: int, after: tuple[date, int] | None, limit: int
) -> list[Travelled]:
    """``limit`` of the author's acts that something grew below, newest first
    (performed_on, id), after ``after``, each with its counts: two statements,
    one for the page's acts (those with a forward), one for their figures."""
    child = aliased(Act)
    query = (
        select(Act.id)
        .where(
            Act.author_id == author_id,
            select(child.id).where(child.parent_id == Act.id).exists(),
        )
        .order_by(Act.performed_on.desc(), Act.id.desc())
        .limit(limit)
    )
    if after is not None:
        query = query.where(after_descending((Act.performed_on, Act.id), after))
    ids = list(session.scalars(query))
    if not ids:
        return []
    rows = session.connection().execute(_page_statement(), {"author_id": author_id, "act_ids": ids})
    found = {travelled.act_id: travelled for travelled in _collect(rows)}
    return [found[act_id] for act_id in ids if act_id in found]


@cache
def _page_statement() -> Select:
    return _statement(
        Act.author_id == bindparam("author_id"),
        Act.id.in_(bindparam("act_ids", expanding=True)),
        limit=None,
    )
