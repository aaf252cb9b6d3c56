"""The outbox: work to do after the current transaction commits.

A rule that calls for a background job (mail a notice, fan a forward out to the
authors above it) writes an ``outbox`` row in the same transaction as its own
work. Only after the commit does the relay (``kindness.jobs.dispatch``) hand the
row to the queue (marking it ``handed_over_at``), or run it inline without Redis.
A rolled-back request therefore sends nothing, and a job written while Redis is
down waits in the table until the periodic relay finds Redis back.

The row stays until its job deletes it, in the job's own transaction: a job is
done once however often its message is delivered, and a job whose message was
lost, or whose transaction rolled back, is handed over again by the periodic
relay once the queue's visibility timeout has passed.
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
    """The arguments of the rows of ``job`` not done yet (handed over or not)."""
    return [
        json.loads(args)
        for args in session.scalars(select(OutboxJob.args).where(OutboxJob.job == job))
    ]


def waiting(session: Session) -> int:
    """How many rows wait to be handed over: the queue's depth without Redis (the
    rows handed over are counted in the queue itself)."""
    query = select(func.count()).select_from(OutboxJob).where(OutboxJob.handed_over_at.is_(None))
    return session.scalar(query) or 0
