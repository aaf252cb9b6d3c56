"""Chain statistics: size, reach, generations and dates of a chain.

``chain_stats`` (and ``chain_members``, for reach) are kept current in the same
transaction as every insert and claim, so listings never read the acts; after
the rare edits and removals a chain's figures are recomputed from its acts.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import cache

from sqlalchemy import (
    Date,
    Integer,
    bindparam,
    case,
    delete,
    func,
    insert,
    select,
    union,
    update,
)
from sqlalchemy.engine import Row
from sqlalchemy.orm import Session
from sqlalchemy.sql.expression import UnaryExpression

from kindness.db import UTCDateTime
from kindness.domain.chains.graph import PUBLIC_AND_SHOWN
from kindness.models import Act, ChainMember, ChainStats

LISTING_ORDERS: dict[str, tuple[UnaryExpression, ...]] = {
    "reach": (ChainStats.reach.desc(), ChainStats.root_id.desc()),
    "generations": (ChainStats.generations.desc(), ChainStats.root_id.desc()),
    "newest": (ChainStats.started_at.desc(), ChainStats.root_id.desc()),
    "grown": (ChainStats.grown_at.desc(), ChainStats.root_id.desc()),
}


@dataclass(frozen=True)
class Statistics:
    acts: int
    reach: int
    generations: int
    widest_generation: int
    first_on: date | None
    last_on: date | None


def _totals(session: Session, root_id: int) -> Row:
    """Acts, deepest depth, first and last date, unnamed recipients and public acts
    of a chain, in one indexed aggregate."""
    return (
        session.connection()
        .execute(
            select(
                func.count(Act.id),
                func.max(Act.depth),
                func.min(Act.performed_on),
                func.max(Act.performed_on),
                func.sum(case((Act.recipient_id.is_(None), 1), else_=0)),
                func.sum(case((PUBLIC_AND_SHOWN, 1), else_=0)),
            ).where(Act.root_id == root_id)
        )
        .one()
    )


def of_chain(session: Session, root_id: int) -> Statistics:
    """Size, reach, generations, widest generation and dates of a chain, from its acts."""
    connection = session.connection()
    acts, deepest, first_on, last_on, unnamed, _public = _totals(session, root_id)
    if not acts:
        return Statistics(0, 0, 0, 0, None, None)
    widest = connection.execute(
        select(func.count(Act.id))
        .where(Act.root_id == root_id)
        .group_by(Act.depth)
        .order_by(func.count(Act.id).desc())
        .limit(1)
    ).scalar_one()
    return Statistics(
        acts=acts,
        reach=_named_people(session, root_id) + int(unnamed or 0),
        generations=deepest + 1,
        widest_generation=widest,
        first_on=first_on,
        last_on=last_on,
    )


def _named_people(session: Session, root_id: int) -> int:
    """Distinct signed-in people (root author and claimed recipients), counting a
    removed root author as one unknown person."""
    people = union(
        select(Act.recipient_id.label("person")).where(
            Act.root_id == root_id, Act.recipient_id.is_not(None)
        ),
        select(Act.author_id.label("person")).where(Act.id == root_id, Act.author_id.is_not(None)),
    ).subquery()
    connection = session.connection()
    named = connection.execute(select(func.count()).select_from(people)).scalar() or 0
    root_author = connection.execute(select(Act.author_id).where(Act.id == root_id)).scalar()
    return named + (1 if root_author is None else 0)


def listing(
    session: Session,
    order: str = "reach",
    limit: int = 20,
    offset: int = 0,
    public_only: bool = False,
) -> Sequence[Row]:
    """Chains for a listing (rows of chain_stats), read from the statistics table alone."""
    return (
        session.connection()
        .execute(_listing_statement(order, public_only), {"limit": limit, "offset": offset})
        .all()
    )


@cache
def _listing_statement(order: str, public_only: bool):
    query = (
        select(*ChainStats.__table__.columns)
        .order_by(*LISTING_ORDERS[order])
        .limit(bindparam("limit", type_=Integer, literal_execute=True))
        .offset(bindparam("offset", type_=Integer, literal_execute=True))
    )
    if public_only:
        query = query.where(ChainStats.public_acts > 0)
    return query


# -- keeping the statistics current -----------------------------------------


def _lock(session: Session, root_id: int) -> None:
    """Serialise changes to one chain's figures (a row lock on PostgreSQL; SQLite
    serialises all writers anyway)."""
    session.execute(
        select(ChainStats.root_id).where(ChainStats.root_id == root_id).with_for_update()
    )


def _add_member(session: Session, root_id: int, user_id: int) -> int:
    """Count one more place of ``user_id`` in the chain; return 1 if they are new to it."""
    places = session.scalar(
        select(ChainMember.places).where(
            ChainMember.root_id == root_id, ChainMember.user_id == user_id
        )
    )
    if places is None:
        session.add(ChainMember(root_id=root_id, user_id=user_id, places=1))
        session.flush()
        return 1
    session.execute(
        update(ChainMember)
        .where(ChainMember.root_id == root_id, ChainMember.user_id == user_id)
        .values(places=ChainMember.places + 1)
    )
    return 0


def record_root(session: Session, act: Act) -> None:
    """Start the figures of a new chain of one act (Core inserts: no flush needed)."""
    connection = session.connection()
    connection.execute(
        insert(ChainStats),
        {
            "root_id": act.id,
            "acts": 1,
            "generations": 1,
            "reach": 2 if act.recipient_id is None else 1,
            "unnamed": 1 if act.recipient_id is None else 0,
            "public_acts": 1 if act.visibility == "public" else 0,
            "first_on": act.performed_on,
            "last_on": act.performed_on,
        },
    )
    connection.execute(
        insert(ChainMember), {"root_id": act.id, "user_id": act.author_id, "places": 1}
    )


@cache
def _record_forward_statement():
    generations = bindparam("generations", type_=Integer)
    day = bindparam("day", type_=Date)
    return (
        update(ChainStats)
        .where(ChainStats.root_id == bindparam("root"))
        .values(
            acts=ChainStats.acts + 1,
            generations=case(
                (ChainStats.generations < generations, generations),
                else_=ChainStats.generations,
            ),
            unnamed=ChainStats.unnamed + 1,
            reach=ChainStats.reach + 1,
            public_acts=ChainStats.public_acts + bindparam("public"),
            first_on=case((ChainStats.first_on > day, day), else_=ChainStats.first_on),
            last_on=case((ChainStats.last_on < day, day), else_=ChainStats.last_on),
            grown_at=bindparam("now", type_=UTCDateTime),
        )
    )


def record_forward(session: Session, act: Act) -> None:
    """Add a new forward to its chain's figures: one more act and one more (unnamed) person.

    One UPDATE does it; the row lock it takes on PostgreSQL serialises concurrent
    forwards of the same chain.
    """
    session.connection().execute(
        _record_forward_statement(),
        {
            "root": act.root_id,
            "generations": act.depth + 1,
            "day": act.performed_on,
            "public": 1 if act.visibility == "public" else 0,
            "now": datetime.now(UTC),
        },
    )


def record_claim(session: Session, act: Act, user_id: int) -> None:
    """An unnamed recipient became a signed-in person, who may be in the chain already."""
    _lock(session, act.root_id)
    new_person = _add_member(session, act.root_id, user_id)
    session.execute(
        update(ChainStats)
        .where(ChainStats.root_id == act.root_id)
        .values(unnamed=ChainStats.unnamed - 1, reach=ChainStats.reach - 1 + new_person)
    )


def recompute(session: Session, root_id: int) -> None:
    """Rebuild a chain's figures from its acts (after edits and removals, which are rare)."""
    _lock(session, root_id)
    session.flush()
    acts, deepest, first_on, last_on, unnamed, public_acts = _totals(session, root_id)
    if not acts:
        return
    session.execute(delete(ChainMember).where(ChainMember.root_id == root_id))
    places = {}
    root_author = session.scalar(select(Act.author_id).where(Act.id == root_id))
    if root_author is not None:
        places[root_author] = 1
    for user_id, count in session.execute(
        select(Act.recipient_id, func.count())
        .where(Act.root_id == root_id, Act.recipient_id.is_not(None))
        .group_by(Act.recipient_id)
    ):
        assert user_id is not None  # the query skips acts without a recipient
        places[user_id] = places.get(user_id, 0) + count
    session.add_all(
        ChainMember(root_id=root_id, user_id=user_id, places=count)
        for user_id, count in places.items()
    )
    session.execute(
        update(ChainStats)
        .where(ChainStats.root_id == root_id)
        .values(
            acts=acts,
            generations=deepest + 1,
            unnamed=int(unnamed or 0),
            reach=len(places) + int(unnamed or 0) + (1 if root_author is None else 0),
            public_acts=int(public_acts or 0),
            first_on=first_on,
            last_on=last_on,
        )
    )
    session.flush()
