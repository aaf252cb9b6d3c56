"""Database sessions in the app: the primary's engine, and a read replica's when
``DATABASE_REPLICA_URL`` is set, kept in ``app.extensions``; one session of each
per app context, opened on first use and closed at teardown.

``get_session()`` is the primary: everything that writes, and every read that
must see the writes just made. ``get_read_session()`` is for the public reads
that may lag a little (the explore and chain pages): the replica's read-only
session, or the primary's session itself when no replica is configured or
when this request is told to read from the primary (``read_from_primary``,
the web layer's read-your-writes window).

Where a request's work is committed or rolled back is the web layer's
boundary (``kindness.web.boundary``); CLI commands commit their own unit.
The replica's session is never committed: a write on it fails.
"""

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import Flask, current_app, g
from sqlalchemy import Engine, event, orm
from sqlalchemy.orm import ORMExecuteState, Session, sessionmaker

from kindness.db import make_engine

EXTENSION = "kindness.db"
MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"


class ReplicaWrite(RuntimeError):
    """A write attempted on the read replica's session: a bug in the view that did it."""


@dataclass
class Database:
    engine: Engine
    sessionmaker: sessionmaker
    # The read replica's; the very same objects as the primary's without one.
    replica_engine: Engine
    read_sessionmaker: orm.sessionmaker  # (the field above hides the plain name here)

    @property
    def has_replica(self) -> bool:
        return self.replica_engine is not self.engine


def init_app(app: Flask) -> None:
    echo = app.config["SQLALCHEMY_ECHO"]
    engine = make_engine(app.config["DATABASE_URL"], echo=echo)
    primary = sessionmaker(bind=engine, expire_on_commit=False)
    event.listen(primary, "after_flush", _note_write)
    event.listen(primary, "do_orm_execute", _note_bulk_write)
    replica_url = app.config["DATABASE_REPLICA_URL"]
    if replica_url:
        replica_engine = make_engine(replica_url, echo=echo, read_only=True)
        replica = sessionmaker(bind=replica_engine, autoflush=False)
        event.listen(replica, "before_flush", _refuse_write)
        event.listen(replica, "before_commit", _refuse_write)
    else:
        replica_engine, replica = engine, primary
    app.extensions[EXTENSION] = Database(
        engine=engine,
        sessionmaker=primary,
        replica_engine=replica_engine,
        read_sessionmaker=replica,
    )
    app.teardown_appcontext(close_session)


def database() -> Database:
    return current_app.extensions[EXTENSION]


def get_session() -> Session:
    """Return this app context's session on the primary, opening it on first use."""
    if "db_session" not in g:
        g.db_session = database().sessionmaker()
    return g.db_session


def get_read_session() -> Session:
    """Return this app context's session for public reads that may lag: the
    replica's, unless there is none or this request reads from the primary
    (then it is ``get_session()`` itself)."""
    db = database()
    if not db.has_replica or g.get("reads_on_primary"):
        return get_session()
    if "db_read_session" not in g:
        g.db_read_session = db.read_sessionmaker()
    return g.db_read_session


def read_sessionmaker() -> sessionmaker:
    """Where ``get_read_session()`` reads, for a session of its own (an answer
    streamed after the request's sessions are closed)."""
    db = database()
    return db.sessionmaker if g.get("reads_on_primary") else db.read_sessionmaker


def read_from_primary() -> None:
    """Send this request's lagging reads to the primary (read your own writes)."""
    g.reads_on_primary = True


def close_session(_exc: BaseException | None = None) -> None:
    for name in ("db_session", "db_read_session"):
        session = g.pop(name, None)
        if session is not None:
            session.close()


def wrote(session: Session) -> bool:
    """Whether ``session`` has written anything since it was opened (ORM flushes
    and ORM insert, update and delete statements)."""
    return session.info.get("wrote", False)


def _note_write(session: Session, _flush_context: object) -> None:
    session.info["wrote"] = True


def _note_bulk_write(state: ORMExecuteState) -> None:
    if state.is_insert or state.is_update or state.is_delete:
        state.session.info["wrote"] = True


def _refuse_write(session: Session, *_args: object) -> None:
    raise ReplicaWrite("the read replica's session is read-only: write on get_session()")


@cache
def _newest_revisions() -> frozenset[str]:
    return frozenset(ScriptDirectory(str(MIGRATIONS)).get_heads())


def schema_is_current(session: Session) -> bool:
    """Whether the database is migrated to the newest revision (for /readyz)."""
    applied = MigrationContext.configure(session.connection()).get_current_heads()
    return frozenset(applied) == _newest_revisions()
