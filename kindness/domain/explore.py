"""Explore: the public chains, read from the chain statistics; the category
filter looks at public acts through a partial index, the text search through the
database's full-text index of public, shown acts (``search.py``). Each
chain is named by the text of its first public act (by generation), or under a
filter or search by the first public act that matched: never a text that is
not public (private, for teams, hidden by a moderator, removed)."""

from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import (
    ColumnElement,
    Select,
    case,
    func,
    literal_column,
    select,
    union_all,
)
from sqlalchemy.engine import Row
from sqlalchemy.orm import Session, aliased

from kindness.domain.chains.graph import PUBLIC_AND_SHOWN
from kindness.domain.chains.statistics import LISTING_ORDERS
from kindness.domain.search import Query, parse
from kindness.domain.search import each_act as search_each_act
from kindness.domain.search import first_found as search_first_found
from kindness.domain.search import found as search_found
from kindness.domain.search import matching as search_matching
from kindness.models import Act, ChainStats

PAGE_SIZE = 20
# The deepest page of a listing anyone may ask for (the explore pages and the API).
PAGE_MAX = 10_000
THUMB_ACTS = 15
QUERY_MAX = 100
# Up to this many matching acts, a filtered listing reads their chains by id; beyond,
# it walks the chains in order (see _filtered).
FEW = 500
# Beyond this many matching acts, the walk asks each act of a chain for the words
# rather than finding the set of all matching acts first (see _filtered).
MANY = 5000


@dataclass(frozen=True)
class Listing:
    chains: Sequence[Row]
    thumbs: dict[int, list[Row]]
    refs: dict[int, str]
    page: int
    has_next: bool
    # The text each chain is shown by (its first public act, or the first that matched).
    texts: dict[int, str | None] = field(default_factory=dict)
    # The words searched for (None: no search), to highlight them in those texts.
    search: Query | None = None


def like_escape(text: str) -> str:
    """Text searched for with LIKE, its wildcards taken literally (the team directory)."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def listing(
    session: Session,
    order: str = "reach",
    page: int = 1,
    category: str | None = None,
    query: str | None = None,
) -> Listing:
    """One page of public chains with a small picture's worth of acts each, in a
    fixed number of queries. ``query`` is read as plain words (``search.parse``);
    a query without any word is no search."""
    search = parse(query)
    statement = select(*ChainStats.__table__.columns).where(ChainStats.public_acts > 0)
    if category or search:
        statement = _filtered(session, statement, order, page, category, search)
    else:
        statement = (
            statement.order_by(*LISTING_ORDERS[order])
            .limit(PAGE_SIZE + 1)
            .offset((page - 1) * PAGE_SIZE)
        )
    rows = session.execute(statement).all()
    has_next = len(rows) > PAGE_SIZE
    rows = rows[:PAGE_SIZE]
    roots = [row.root_id for row in rows]
    named = session.execute(_named(session, roots, category, search)).all() if roots else []
    return Listing(
        chains=rows,
        thumbs=thumbnails(session, roots),
        refs={root_id: ref for root_id, ref, _text in named},
        texts={root_id: text for root_id, _ref, text in named},
        page=page,
        has_next=has_next,
        search=search,
    )


def _filtered(
    session: Session,
    statement: Select,
    order: str,
    page: int,
    category: str | None,
    search: Query | None,
) -> Select:
    """The chains with a public act in the category or with the words, in one
    statement that costs little whether few acts match or many.

    Few matching acts (at most FEW): their chains are read by id and sorted. More:
    the chains are walked in the listing's order, each asked whether it has a
    matching act, until the page is full (many matches fill it soon). A search's
    walk asks a set of all matching ids, found once, while there are at most
    MANY; beyond, each act of a walked chain is asked on its own (finding tens of
    thousands of matches would cost more than the few hundred chains the page
    takes). All are in the statement; a LIMIT of 0 (SQLite) or a one-time
    filter (PostgreSQL), decided once from counts of at most FEW + 1 and MANY + 1
    matching acts, leaves the others out before they start (a WHERE would be
    checked on every chain by SQLite)."""
    condition = _matching(session, category, search)
    if search and not category:
        # Up to MANY + 1 matching acts, found once (one read of the index's list,
        # which PostgreSQL's GIN index reads whole whatever the LIMIT) and counted.
        sample = (
            search_first_found(session, search, MANY + 1)
            .cte("sample")
            .prefix_with("MATERIALIZED", dialect="postgresql")
        )
        counted = select(func.count()).select_from(sample).scalar_subquery()
        # The few are read only when there are at most FEW; the LIMIT tells the
        # planner so (it would plan for MANY and walk every chain asking for them).
        few = select(Act.root_id).where(Act.id.in_(select(sample.c[0]).limit(FEW + 1))).cte("few")
        plenty = counted
    else:
        few = select(Act.root_id).where(condition).limit(FEW + 1).cte("few")
        counted = select(func.count()).select_from(few).scalar_subquery()
        plenty = None
    # The walk asks each chain; the set of matching ids is found once for all of them.
    probe = PUBLIC_AND_SHOWN & search_found(session, search) if search else condition
    if category and search:
        probe = probe & (Act.category == category)
        if _postgresql(session):
            # The set as a materialised CTE, costed by the planner once rather than
            # a search per chain (which priced the statement into JIT compiling).
            matches = (
                select(Act.id.label("id"))
                .where(search_matching(session, search))
                .cte("matches")
                .prefix_with("MATERIALIZED")
            )
            in_matches = Act.id.in_(select(matches.c.id)).is_(True)
            probe = PUBLIC_AND_SHOWN & in_matches & (Act.category == category)
    elif search:
        # The sample is that set when the walk asks it (at most MANY matches), and
        # costs PostgreSQL's planner its size rather than a second search per chain.
        # IS TRUE keeps it a set hashed once, not a join planned inside each probe.
        in_sample = Act.id.in_(select(sample.c[0]))
        probe = in_sample.is_(True) if _postgresql(session) else in_sample
    # The chains of the few, as a whole (materialised on PostgreSQL): with a LIMIT
    # of 21 it could read, PostgreSQL would walk every chain asking for the few.
    few_chains = (
        statement.where(ChainStats.root_id.in_(select(few.c.root_id)))
        .cte("few_chains")
        .prefix_with("MATERIALIZED", dialect="postgresql")
    )
    keys = [str(clause.element.key) for clause in LISTING_ORDERS[order]]
    by_id = select(few_chains)

    def walked(probe: ColumnElement[bool]) -> Select:
        # Each chain, in the listing's order, asks for one matching act (LIMIT 1)
        # in a scalar subquery. Not EXISTS: PostgreSQL turns that into a semi-join
        # and, planning for a tenth of the chains (it cannot read the LIMIT's CASE
        # below), joins every matching act with every chain by hash; a scalar
        # subquery stays a probe per chain read from the listing's index.
        one = (
            select(literal_column("1"))
            .where(Act.root_id == ChainStats.root_id, probe)
            .limit(1)
            .scalar_subquery()
        )
        return statement.where(one.is_not(None))

    in_order: Sequence[ColumnElement] = LISTING_ORDERS[order]
    choices: list[tuple[Select, Sequence[ColumnElement], ColumnElement[bool]]] = [
        (by_id, [few_chains.c[key].desc() for key in keys], counted <= FEW)
    ]
    if plenty is None:
        choices.append((walked(probe), in_order, counted > FEW))
    else:
        assert search is not None
        choices.append((walked(probe), in_order, (counted > FEW) & (plenty <= MANY)))
        choices.append((walked(search_each_act(session, search)), in_order, plenty > MANY))
    parts = []
    for part, ordering, chosen in choices:
        ordered = part.order_by(*ordering).offset((page - 1) * PAGE_SIZE)
        if _postgresql(session):
            # A LIMIT it can read: PostgreSQL plans a LIMIT it cannot (the CASE) for
            # a tenth of the rows, which at 1M acts costed the walk past JIT's
            # thresholds (a second of compiling for a 20 ms statement). The choice
            # is a WHERE without columns, checked once (a "One-Time Filter").
            limited = ordered.where(chosen).limit(PAGE_SIZE + 1)
        else:
            limited = ordered.limit(case((chosen, PAGE_SIZE + 1), else_=0))
        parts.append(select(limited.subquery()))
    both = union_all(*parts).subquery()
    # The listing's order again, on the union's columns (every order is descending).
    return select(both).order_by(*(both.c[key].desc() for key in keys))


def _postgresql(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def _named(session: Session, roots: list[int], category: str | None, search: Query | None):
    """The chains' references and the texts they are shown by, in one statement."""
    root = aliased(Act)
    if search is None:
        return select(root.id, root.ref, _first_text(session, root.id, category)).where(
            root.id.in_(roots)
        )
    # The first match of each shown chain by generation, one index-ordered LIMIT 1
    # per chain: PostgreSQL reads the chain's acts in (depth, id) order and asks
    # each for its own words (search.each_act) until one has them, rather than the
    # index's whole list of a common word's matches, or every act of a chain of
    # 100,000; SQLite asks the set of matches, found once for the statement.
    condition = search_each_act(session, search)
    if category:
        condition = condition & (Act.category == category)
    first = (
        select(Act.what)
        .where(Act.root_id == root.id, condition)
        .order_by(Act.depth, Act.id)
        .limit(1)
        .scalar_subquery()
    )
    return select(root.id, root.ref, first).where(root.id.in_(roots))


def _matching(
    session: Session, category: str | None = None, search: Query | None = None
) -> ColumnElement[bool]:
    """Public, shown acts in the category and with the words searched for, when
    given (found by the full-text index, which holds public, shown acts only)."""
    condition = search_matching(session, search) if search else PUBLIC_AND_SHOWN
    if category:
        condition = condition & (Act.category == category)
    return condition


def _first_text(
    session: Session, root_id, category: str | None = None, search: Query | None = None
):
    """The text of the first matching public act of the chain ``root_id`` (a value,
    or a column of an alias of ``Act``), as a correlated subquery: the chain's
    index is read in (depth, id) order up to the first match."""
    return (
        select(Act.what)
        .where(Act.root_id == root_id, _matching(session, category, search))
        .order_by(Act.depth, Act.id)
        .limit(1)
        .scalar_subquery()
    )


def first_public_text(session: Session, root_id: int) -> str | None:
    """The text of the chain's first public act (by generation), if it has one."""
    return session.execute(select(_first_text(session, root_id))).scalar()


def thumbnails(session: Session, roots: list[int]) -> dict[int, list[Row]]:
    """The first acts (by generation) of each chain, for a small picture: one
    statement, a UNION of one index-ordered LIMIT per chain, so a chain of
    100,000 acts costs no more than one of ten."""
    if not roots:
        return {}
    parts = []
    for root_id in roots:
        first = (
            select(Act.id, Act.parent_id, Act.root_id, Act.depth, PUBLIC_AND_SHOWN.label("public"))
            .where(Act.root_id == root_id)
            .order_by(Act.depth, Act.id)
            .limit(THUMB_ACTS)
            .subquery()
        )
        parts.append(select(first))
    statement = union_all(*parts) if len(parts) > 1 else parts[0]
    rows = sorted(session.execute(statement).all(), key=lambda row: (row.depth, row.id))
    thumbs: dict[int, list[Row]] = {}
    for row in rows:
        thumbs.setdefault(row.root_id, []).append(row)
    return thumbs
