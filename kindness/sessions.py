"""Database sessions in the app: one engine per app, kept in
``app.extensions``, and one session per app context, closed at teardown.

Where a request's work is committed or rolled back is the web layer's
boundary (``kindness.web.boundary``); CLI commands commit their own unit.
"""

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import Flask, current_app, g
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from kindness.db import make_engine

EXTENSION = "kindness.db"
MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"


@dataclass
class Database:
    engine: Engine
    sessionmaker: sessionmaker


def init_app(app: Flask) -> None:
    engine = make_engine(app.config["DATABASE_URL"], echo=app.config["SQLALCHEMY_ECHO"])
    app.extensions[EXTENSION] = Database(
        engine=engine, sessionmaker=sessionmaker(bind=engine, expire_on_commit=False)
    )
    app.teardown_appcontext(close_session)


def database() -> Database:
    return current_app.extensions[EXTENSION]


def get_session() -> Session:
    """Return this app context's session, opening it on first use."""
    if "db_session" not in g:
        g.db_session = database().sessionmaker()
    return g.db_session


def close_session(_exc: BaseException | None = None) -> None:
    session = g.pop("db_session", None)
    if session is not None:
        session.close()


@cache
def _newest_revisions() -> frozenset[str]:
    return frozenset(ScriptDirectory(str(MIGRATIONS)).get_heads())


def schema_is_current(session: Session) -> bool:
    """Whether the database is migrated to the newest revision (for /readyz)."""
    applied = MigrationContext.configure(session.connection()).get_current_heads()
    return frozenset(applied) == _newest_revisions()
