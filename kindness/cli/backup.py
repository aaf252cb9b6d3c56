"""Backups that restore: ``flask --app app backup FILE`` and ``restore FILE``.

A backup is the database's own kind of file, a SQLite database or a pg_dump
archive in the custom format, so its first bytes say which kind of database it
came from (a restore into the other kind is refused) and the standard tools
read it too. It holds the schema's Alembic revision with the rows; after a
restore the operator is told whether ``db upgrade`` has to follow.
"""

from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import Engine, inspect, literal, select, table
from sqlalchemy.engine import URL, make_url

from kindness.cli import backup_postgres, backup_sqlite, migrate
from kindness.db import SEARCH_OBJECTS
from kindness.sessions import database

KINDS = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
UPGRADE = "flask --app app db upgrade"


def _database_url() -> URL:
    url = make_url(current_app.config["DATABASE_URL"])
    if url.get_backend_name() not in KINDS:
        raise click.ClickException(f"Backups know SQLite and PostgreSQL, not {url.drivername}.")
    return url


def _sqlite_path(url: URL) -> Path:
    if not url.database or url.database == ":memory:" or url.database.startswith("file:"):
        raise click.ClickException(f"DATABASE_URL names no SQLite file ({url}).")
    return Path(url.database)


def _kind_of_file(backup: Path) -> str:
    with backup.open("rb") as opened:
        start = opened.read(len(backup_sqlite.MAGIC))
    if start.startswith(backup_sqlite.MAGIC):
        return "sqlite"
    if start.startswith(backup_postgres.MAGIC):
        return "postgresql"
    raise click.ClickException(
        f"{backup} is not a backup of Kindness (neither a SQLite database nor a pg_dump "
        "archive in the custom format); nothing was restored."
    )


def _tables_with_rows(engine: Engine) -> list[str]:
    """The tables that hold rows, besides Alembic's record of the revision and the
    search index's own tables (FTS5 keeps rows in them even when it is empty)."""
    with engine.connect() as connection:
        names = sorted(inspect(connection).get_table_names())
        return [
            name
            for name in names
            if name != "alembic_version"
            and ("table", name) not in SEARCH_OBJECTS
            and connection.scalar(select(literal(1)).select_from(table(name)).limit(1))
        ]


def _revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return migrate.current_revision(connection)


def _advice(revision: str | None) -> str:
    """What the operator does next, given the revision the restored schema is at."""
    scripts = migrate.scripts()
    newest = scripts.get_current_head()
    if revision == newest:
        return f"The schema is at revision {revision}, the newest this code knows."
    if revision in {script.revision for script in scripts.walk_revisions()}:
        return (
            f"The schema is at the backup's revision {revision}; this code's newest is "
            f"{newest}. Run `{UPGRADE}` before you start the app."
        )
    return (
        f"The schema is at revision {revision}, which this code does not know: the backup "
        "comes from a newer version of Kindness. Run that version (or restore an older backup)."
    )


@click.command("backup")
@click.argument("file", type=click.Path(dir_okay=False, writable=True, path_type=Path))
@with_appcontext
def backup_command(file: Path) -> None:
    """Back up the database into FILE, consistently while the app runs."""
    url = _database_url()
    engine = database().engine
    revision = _revision(engine)
    file.parent.mkdir(parents=True, exist_ok=True)
    if url.get_backend_name() == "sqlite":
        if file.resolve() == _sqlite_path(url).resolve():
            raise click.ClickException(f"{file} is the database itself; name another file.")
        backup_sqlite.back_up(_sqlite_path(url), file)
    else:
        backup_postgres.dump(url, file, current_app.config["POSTGRES_BIN"])
    size = file.stat().st_size
    click.echo(
        f"Backed up the {KINDS[url.get_backend_name()]} database {url} at revision "
        f"{revision} into {file} ({size:,} bytes)."
    )


@click.command("restore")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Replace a database that holds data.")
@with_appcontext
def restore_command(file: Path, force: bool) -> None:
    """Restore the backup in FILE into the configured database."""
    url = _database_url()
    kind, came_from = url.get_backend_name(), _kind_of_file(file)
    if came_from != kind:
        raise click.ClickException(
            f"{file} is a backup of a {KINDS[came_from]} database, and DATABASE_URL names a "
            f"{KINDS[kind]} database; a backup restores only into its own kind. Nothing "
            "was restored."
        )
    tools = current_app.config["POSTGRES_BIN"]
    if kind == "sqlite":
        backup_sqlite.check(file)
    else:
        backup_postgres.check(file, url, tools)
    engine = database().engine
    exists = kind != "sqlite" or _sqlite_path(url).is_file()
    filled = _tables_with_rows(engine) if exists else []
    if filled and not force:
        raise click.ClickException(
            f"The database {url} holds data (in {', '.join(filled)}). A restore replaces "
            f"all of it with the backup; if that is what you want, run "
            f"`flask --app app restore --force {file}`. Nothing was restored."
        )
    # Pooled connections must not outlive the tables they knew.
    engine.dispose()
    if kind == "sqlite":
        backup_sqlite.restore(file, _sqlite_path(url))
    else:
        backup_postgres.restore(file, url, tools)
    engine.dispose()
    click.echo(f"Restored {file} into the {KINDS[kind]} database {url}.")
    click.echo(_advice(_revision(engine)))
