"""Alembic, wired to the app: the configuration, the upgrade/downgrade calls and
the revisions a database is at and the code knows."""

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection

from kindness import PROJECT_ROOT


def alembic_config(database_url: str) -> Config:
    config = Config(str(PROJECT_ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(PROJECT_ROOT / "migrations"))
    # Passed as an attribute, not an ini option, so '%' in passwords needs no escaping.
    config.attributes["database_url"] = database_url
    return config


def upgrade(database_url: str, revision: str = "head") -> None:
    command.upgrade(alembic_config(database_url), revision)


def downgrade(database_url: str, revision: str) -> None:
    command.downgrade(alembic_config(database_url), revision)


def scripts(database_url: str = "") -> ScriptDirectory:
    return ScriptDirectory.from_config(alembic_config(database_url))


def current_revision(connection: Connection) -> str | None:
    """The revision the database behind ``connection`` is at (None: not migrated)."""
    return MigrationContext.configure(connection).get_current_revision()
