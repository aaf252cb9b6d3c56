"""Alembic, wired to the app: the configuration, the upgrade/downgrade calls and
the revisions a database is at and the code knows.

Migrating is one release step, but two instances started together must not race:
an upgrade or downgrade holds a lock on the database while it runs, and whoever
comes second waits, then finds the schema already at its revision.
"""

import fcntl
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, func, select
from sqlalchemy.engine import make_url

from kindness import PROJECT_ROOT
from kindness.db import make_engine

# The key of PostgreSQL's advisory lock for migrations ("kind" in ASCII); any
# other user of advisory locks on this database must pick another number.
MIGRATION_LOCK = 0x6B696E64


def alembic_config(database_url: str) -> Config:
    config = Config(str(PROJECT_ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(PROJECT_ROOT / "migrations"))
    # Passed as an attribute, not an ini option, so '%' in passwords needs no escaping.
    config.attributes["database_url"] = database_url
    return config


@contextmanager
def migration_lock(database_url: str) -> Iterator[None]:
    """Hold the database's migration lock: PostgreSQL's advisory lock (released
    when the connection ends, even if this process dies), or on SQLite an
    exclusive lock on a file beside the database."""
    url = make_url(database_url)
    if url.get_backend_name() == "postgresql":
        engine = make_engine(database_url)
        try:
            with engine.connect() as connection:
                connection.execute(select(func.pg_advisory_lock(MIGRATION_LOCK)))
                connection.commit()
                try:
                    yield
                finally:
                    connection.execute(select(func.pg_advisory_unlock(MIGRATION_LOCK)))
                    connection.commit()
        finally:
            engine.dispose()
    elif url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:"):
        with Path(f"{url.database}.migrate-lock").open("w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            yield
    else:
        yield


def upgrade(database_url: str, revision: str = "head") -> None:
    with migration_lock(database_url):
        command.upgrade(alembic_config(database_url), revision)


def downgrade(database_url: str, revision: str) -> None:
    with migration_lock(database_url):
        command.downgrade(alembic_config(database_url), revision)


def scripts(database_url: str = "") -> ScriptDirectory:
    return ScriptDirectory.from_config(alembic_config(database_url))


def current_revision(connection: Connection) -> str | None:
    """The revision the database behind ``connection`` is at (None: not migrated)."""
    return MigrationContext.configure(connection).get_current_revision()
