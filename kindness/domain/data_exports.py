""" "Download my data": the rules of a person's data export.

One export per person: asking again while one is being built is refused, asking
again later replaces the last one. A job builds it after the request's commit
(``jobs.data_exports``); it is kept in the database (every app instance can serve
it) up to a size cap, then deleted a day after it was finished (or asked for, if
it never was) by the periodic tick. Only its owner reads it; for anyone else it
does not exist.
"""

from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select
from sqlalchemy.orm import Session, undefer

from kindness.domain import inbox, outbox
from kindness.domain.errors import NotFound, RuleViolation
from kindness.models import DataExport, User

# How long an export is kept, and how long one may wait to be built.
LIFETIME = timedelta(days=1)
# The job that builds it (``jobs.registry``).
JOB = "data_export"


class StillBuilding(RuleViolation):
    def __init__(self) -> None:
        super().__init__(
            _l("Your data is being gathered already. This page shows it as soon as it is ready.")
        )


def current(session: Session, user: User, now: datetime) -> DataExport | None:
    """The person's export, unless it has expired (and waits for the tick to go)."""
    return session.scalar(
        select(DataExport).where(DataExport.user_id == user.id, DataExport.expires_at > now)
    )


def request(session: Session, user: User, now: datetime) -> DataExport:
    """Ask for a new export, built by a job after the commit; the last one goes."""
    # Locked, so that two requests at once wait for each other; with no row to lock,
    # the unique user_id refuses the second insert (``conflicts``).
    last = session.scalar(select(DataExport).where(DataExport.user_id == user.id).with_for_update())
    if last is not None:
        if last.state == "building" and last.expires_at > now:
            raise StillBuilding()
        session.delete(last)
        session.flush()
    export = DataExport(
        user_id=user.id, state="building", created_at=now, expires_at=now + LIFETIME
    )
    session.add(export)
    session.flush()
    outbox.later(session, JOB, export_id=export.id)
    return export


def to_build(session: Session, export_id: int) -> DataExport | None:
    """The export the job is to build; None when it went meanwhile (replaced, or its
    person's account deleted) or is built already."""
    export = session.get(DataExport, export_id)
    return export if export is not None and export.state == "building" else None


def finish(
    session: Session, export: DataExport, content: bytes | None, max_bytes: int, now: datetime
) -> None:
    """Keep the built zip, or (``content`` None: it grew beyond ``max_bytes``) record
    that it failed; either way the person is told in their inbox."""
    export.finished_at = now
    export.expires_at = now + LIFETIME
    if content is None or len(content) > max_bytes:
        export.state = "failed"
        export.size = None
    else:
        export.state = "ready"
        export.content = content
        export.size = len(content)
    session.flush()
    inbox.notify_export(session, export)


def download(session: Session, user: User, export_id: int, now: datetime) -> DataExport:
    """The person's ready export with its content; anyone else's, or one that is not
    ready or has expired, is NotFound."""
    export = session.scalar(
        select(DataExport)
        .options(undefer(DataExport.content))
        .where(
            DataExport.id == export_id,
            DataExport.user_id == user.id,
            DataExport.state == "ready",
            DataExport.expires_at > now,
        )
    )
    if export is None:
        raise NotFound()
    return export


def delete_expired(session: Session, now: datetime) -> int:
    """Delete the exports whose day is over (their inbox notices go with them)."""
    gone = session.execute(delete(DataExport).where(DataExport.expires_at <= now))
    return gone.rowcount  # type: ignore[attr-defined]
