"""Explore: the public chains, read from the chain statistics; the category
filter looks at public acts through a partial index, the text search through the
database's full-text index of public, shown acts (``search.py``). Each
chain is named by the text of its first public act (by generation), or under a
filter or search by the first public act that matched: never a text that is
not public (private, for teams, hidden by a moderator, removed)."""

from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import ColumnElement, select, union_all
from sqlalchemy.engine import Row
from sqlalchemy.orm import Session, aliased

from kindness.domain.chains.graph import PUBLIC_AND_SHOWN
from kindness.domain.chains.statistics import LISTING_ORDERS
from kindness.domain.search import Query, parse
from kindness.domain.search import matching as search_matching
from kindness.models import Act, ChainStats

PAGE_SIZE = 20
THUMB_ACTS = 15
QUERY_MAX = 100


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
        public = select(Act.root_id).where(_matching(session, category, search))
        statement = statement.where(ChainStats.root_id.in_(public))
    rows = session.execute(
        statement.order_by(*LISTING_ORDERS[order])
        .limit(PAGE_SIZE + 1)
        .offset((page - 1) * PAGE_SIZE)
    ).all()
    has_next = len(rows) > PAGE_SIZE
    rows = rows[:PAGE_SIZE]
    roots = [row.root_id for row in rows]
    root = aliased(Act)
    named = (
        session.execute(
            select(root.id, root.ref, _first_text(session, root.id, category, search)).where(
                root.id.in_(roots)
            )
        ).all()
        if roots
        else []
    )
    return Listing(
        chains=rows,
        thumbs=thumbnails(session, roots),
        refs={root_id: ref for root_id, ref, _text in named},
        texts={root_id: text for root_id, _ref, text in named},
        page=page,
        has_next=has_next,
        search=search,
    )


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
