"""Storage basics: the declarative base with its naming convention, column
types, the engine factory, and naming the constraint an IntegrityError broke.
No Flask here: the models import this module.
"""

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    DateTime,
    Dialect,
    Engine,
    MetaData,
    PrimaryKeyConstraint,
    UniqueConstraint,
    create_engine,
    event,
)
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.types import TypeDecorator

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


class UTCDateTime(TypeDecorator[datetime]):
    """A timestamp stored in UTC and always read back time-zone aware.

    SQLite keeps no offset, so without this a value would come back naive there
    and aware on PostgreSQL.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is not None:
            if value.tzinfo is None:
                raise ValueError("naive datetime given for a UTC column")
            value = value.astimezone(UTC)
            if dialect.name == "sqlite":
                value = value.replace(tzinfo=None)
        return value

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value


# An execution option for a transaction that is going to write (see _begin_sqlite).
WRITING = {"kindness_writing": True}


def make_engine(url: str, echo: bool = False, read_only: bool = False) -> Engine:
    """Create an engine; SQLite gets foreign keys, WAL and working savepoints.

    A ``read_only`` engine (the read replica's) refuses every write in the
    database itself: PostgreSQL begins each transaction READ ONLY, SQLite's
    connections are ``query_only``. A hot standby refuses writes anyway; this
    makes a primary used as a stand-in replica (tests, one-host setups) refuse them too.
    """
    if url.startswith("sqlite"):
        engine = create_engine(url, echo=echo, connect_args={"timeout": 30})
        event.listen(engine, "connect", _configure_sqlite_connection)
        if read_only:
            event.listen(engine, "connect", _sqlite_query_only)
        event.listen(engine, "begin", _begin_sqlite)
        return engine
    options = {"postgresql_readonly": True} if read_only else {}
    return create_engine(
        url,
        echo=echo,
        pool_pre_ping=True,
        execution_options=options,
        # No JIT compilation: the app's statements are short lookups and index walks,
        # and PostgreSQL's cost estimate for a LIMIT it cannot read at planning time
        # crossed the JIT thresholds, compiling for 76-165 ms a search that runs
        # in a few (README, "Ten million acts").
        connect_args={"options": "-c jit=off"},
    )


def _begin_sqlite(connection: Connection) -> None:
    # pysqlite opens transactions lazily and breaks SAVEPOINT; let SQLAlchemy
    # emit BEGIN itself (the fix from SQLAlchemy's SQLite dialect notes). A
    # transaction that is going to write takes the write lock at once: SQLite
    # refuses at once ("database is locked", no waiting) to turn a read into a
    # write while another connection writes, but lets IMMEDIATE wait its turn.
    writing = connection.get_execution_options().get("kindness_writing", False)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if writing else "BEGIN")


def _configure_sqlite_connection(dbapi_connection: Any, _record: Any) -> None:
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.execute("PRAGMA synchronous = NORMAL")
    cursor.close()


def _sqlite_query_only(dbapi_connection: Any, _record: Any) -> None:
    # After the WAL pragma above, which may have to write the database's header.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA query_only = ON")
    cursor.close()


def constraint_name(error: IntegrityError) -> str | None:
    """The name of the constraint that ``error`` reports, the same on both databases.

    PostgreSQL names it (psycopg's ``diag``); SQLite names a CHECK constraint but
    only the columns of a unique key ("UNIQUE constraint failed: users.email"),
    which the models map back to the name the naming convention gave it. None
    when it cannot be told (a foreign key or NOT NULL on SQLite).
    """
    diag = getattr(error.orig, "diag", None)
    if diag is not None:
        return diag.constraint_name
    message = str(error.orig)
    if message.startswith("CHECK constraint failed: "):
        return message.removeprefix("CHECK constraint failed: ")
    if message.startswith("UNIQUE constraint failed: "):
        return _unique_keys().get(message.removeprefix("UNIQUE constraint failed: "))
    return None


def lost_race(error: DBAPIError) -> bool:
    """Whether another transaction got in the way and trying again would do: on
    SQLite a write after a read whose snapshot another connection has moved on
    from (WAL), on PostgreSQL a serialization failure or a deadlock."""
    orig = error.orig
    return getattr(orig, "sqlite_errorname", None) == "SQLITE_BUSY_SNAPSHOT" or getattr(
        orig, "sqlstate", None
    ) in ("40001", "40P01")


def _unique_keys() -> dict[str, str]:
    """Unique keys by their columns as SQLite lists them ("table.a, table.b")."""
    keys: dict[str, str | None] = {}
    for table in Base.metadata.tables.values():
        uniques = [
            (constraint.name, constraint.columns)
            for constraint in table.constraints
            if isinstance(constraint, UniqueConstraint | PrimaryKeyConstraint)
        ] + [(index.name, index.columns) for index in table.indexes if index.unique]
        for name, columns in uniques:
            listed = ", ".join(f"{table.name}.{column.name}" for column in columns)
            # Two keys on the same columns (a partial index, say) cannot be told apart.
            keys[listed] = None if listed in keys else str(name)
    return {listed: name for listed, name in keys.items() if name is not None}


# Explore's full-text search objects, made by migration 0010 in each database's own
# dialect and not in the models: PostgreSQL's expression index, SQLite's FTS5 table
# and the shadow tables FTS5 keeps beside it (its triggers are not compared anyway).
SEARCH_OBJECTS = frozenset(
    {
        ("index", "ix_acts_search"),
        ("table", "acts_search"),
        ("table", "acts_search_data"),
        ("table", "acts_search_idx"),
        ("table", "acts_search_docsize"),
        ("table", "acts_search_config"),
    }
)


def include_object(
    _object: Any, name: str | None, type_: str, reflected: bool, compare_to: Any
) -> bool:
    """Alembic's filter for comparing the database with the models: everything but
    the search objects found in the database (they have no model to match)."""
    return not (reflected and compare_to is None and (type_, name) in SEARCH_OBJECTS)
