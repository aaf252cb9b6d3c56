"""Explore: the public chains, read from the chain statistics; the category
filter and the text search look at public acts through a partial index."""

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import func, select, union_all
from sqlalchemy.engine import Row
from sqlalchemy.orm import Session

from kindness.domain.chains.graph import PUBLIC_AND_SHOWN
from kindness.domain.chains.statistics import LISTING_ORDERS
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


def _like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def listing(
    session: Session,
    order: str = "reach",
    page: int = 1,
    category: str | None = None,
    query: str | None = None,
) -> Listing:
    """One page of public chains with a small picture's worth of acts each, in a
    fixed number of queries."""
    statement = select(*ChainStats.__table__.columns).where(ChainStats.public_acts > 0)
    if category or query:
        public = select(Act.root_id).where(PUBLIC_AND_SHOWN)
        if category:
            public = public.where(Act.category == category)
        if query:
            public = public.where(
                func.lower(Act.what).like(f"%{_like_escape(query.lower())}%", escape="\\")
            )
        statement = statement.where(ChainStats.root_id.in_(public))
    rows = session.execute(
        statement.order_by(*LISTING_ORDERS[order])
        .limit(PAGE_SIZE + 1)
        .offset((page - 1) * PAGE_SIZE)
    ).all()
    has_next = len(rows) > PAGE_SIZE
    rows = rows[:PAGE_SIZE]
    roots = [row.root_id for row in rows]
    return Listing(
        chains=rows,
        thumbs=thumbnails(session, roots),
        refs=dict(session.execute(select(Act.id, Act.ref).where(Act.id.in_(roots))).all())
        if roots
        else {},
        page=page,
        has_next=has_next,
    )


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
