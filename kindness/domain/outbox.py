"""The outbox: work to do after the current transaction commits.

A rule that calls for a background job (mail a notice, fan a forward out to the
authors above it) writes an ``outbox`` row in the same transaction as its own
work. Only after the commit does the relay (``kindness.jobs.dispatch``) hand the
row to the queue, or run it inline without Redis. A rolled-back request
therefore sends nothing, and a job written while Redis is down waits in the
table until the periodic relay finds Redis back.
"""

import json
from functools import cache
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from kindness.models import OutboxJob

# The session's ``info`` key listing the outbox rows written in its transaction.
PENDING = "kindness.outbox"


@cache
def _insert_statement():
    return insert(OutboxJob).returning(OutboxJob.id)


def later(session: Session, job: str, **args: Any) -> int:
    """Write job ``job`` with keyword arguments ``args`` (JSON values) to the outbox;
    return the row's id.

    One Core insert, not an ORM object: nothing reads the row back in this
    transaction, and a unit-of-work flush would cost more than the insert (it is
    on the path of every forward)."""
    row_id = (
        session.connection()
        .execute(_insert_statement(), {"job": job, "args": json.dumps(args, sort_keys=True)})
        .scalar_one()
    )
    session.info.setdefault(PENDING, []).append(row_id)
    return row_id


def written(session: Session) -> list[int]:
    """The ids of the outbox rows written in the session's transaction, forgetting them."""
    return session.info.pop(PENDING, [])


def forget(session: Session) -> None:
    """The transaction was rolled back: its rows are gone with it."""
    session.info.pop(PENDING, None)


def adopt(session: Session, ids: list[int]) -> None:
    """Hand over rows written earlier (stranded while the queue was down) with this
    transaction's own."""
    session.info.setdefault(PENDING, []).extend(ids)


def pending_arguments(session: Session, job: str) -> list[dict[str, Any]]:
    """The arguments of the rows of ``job`` still waiting to be handed over."""
    return [
        json.loads(args)
        for args in session.scalars(select(OutboxJob.args).where(OutboxJob.job == job))
    ]


def waiting(session: Session) -> int:
    """How many rows wait to be handed over (or run): the queue's depth without Redis."""
    return session.scalar(select(func.count()).select_from(OutboxJob)) or 0
