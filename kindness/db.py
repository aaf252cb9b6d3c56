"""The database: engine, the session of each request, and the declarative base.

One engine per app lives in ``app.extensions``; each app context gets one
session, closed at teardown. Views commit once, at the request boundary.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime

from flask import Flask, current_app, g
from sqlalchemy import DateTime, Engine, MetaData, create_engine, event
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker
from sqlalchemy.types import TypeDecorator

EXTENSION = "kindness.db"

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator):
    """A timestamp stored in UTC and always read back time-zone aware.

    SQLite keeps no offset, so without this a value would come back naive there
    and aware on PostgreSQL.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is not None:
            if value.tzinfo is None:
                raise ValueError("naive datetime given for a UTC column")
            value = value.astimezone(UTC)
            if dialect.name == "sqlite":
                value = value.replace(tzinfo=None)
        return value

    def process_result_value(self, value, dialect):
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value


@dataclass
class Database:
    engine: Engine
    sessionmaker: sessionmaker


def make_engine(url: str, echo: bool = False) -> Engine:
    """Create an engine; SQLite gets foreign keys, WAL and working savepoints."""
    if url.startswith("sqlite"):
        engine = create_engine(url, echo=echo, connect_args={"timeout": 30})
        event.listen(engine, "connect", _configure_sqlite_connection)
        # pysqlite opens transactions lazily and breaks SAVEPOINT; let SQLAlchemy
        # emit BEGIN itself (the fix from SQLAlchemy's SQLite dialect notes).
        event.listen(engine, "begin", lambda connection: connection.exec_driver_sql("BEGIN"))
        return engine
    return create_engine(url, echo=echo, pool_pre_ping=True)


def _configure_sqlite_connection(dbapi_connection, _record) -> None:
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.execute("PRAGMA synchronous = NORMAL")
    cursor.close()


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


@contextmanager
def transaction() -> Iterator[Session]:
    """Run a block in this context's session and commit it, or roll back on error."""
    session = get_session()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
