"""SQLite's side of backups, through SQLite's online backup API: it copies one
consistent snapshot while the app keeps writing (the database is in WAL mode, so
the copy neither waits for writers nor holds them up), and it writes into a
database that other connections may hold open, under SQLite's own locks."""

import sqlite3
from contextlib import closing
from pathlib import Path

import click

# The first bytes of every SQLite database file.
MAGIC = b"SQLite format 3\x00"


def _open_read_only(path: Path) -> sqlite3.Connection:
    try:
        return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=30)
    except sqlite3.Error as error:
        raise click.ClickException(f"Cannot open the SQLite database {path}: {error}.") from None


def back_up(database: Path, target: Path) -> None:
    """Copy the database at ``database`` into the file ``target``, which appears
    only once the copy is whole (a failed backup leaves no half file behind)."""
    if not database.is_file():
        raise click.ClickException(f"There is no SQLite database at {database}.")
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    try:
        with (
            closing(_open_read_only(database)) as source,
            closing(sqlite3.connect(partial)) as copy,
        ):
            # In one step (pages=-1): the whole copy is read in one transaction, one snapshot.
            source.backup(copy)
            # A backup is one self-contained file, without WAL side files.
            copy.execute("PRAGMA journal_mode = DELETE")
        partial.replace(target)
    except sqlite3.Error as error:
        raise click.ClickException(f"The backup of {database} failed: {error}.") from None
    finally:
        partial.unlink(missing_ok=True)


def check(backup: Path) -> None:
    """Refuse a file that is not a whole SQLite database made by Kindness."""
    try:
        with closing(_open_read_only(backup)) as connection:
            verdict = connection.execute("PRAGMA quick_check").fetchall()
            versioned = connection.execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'"
            ).fetchone()
    except sqlite3.Error as error:
        raise click.ClickException(
            f"{backup} is not a readable SQLite database ({error}); it was not restored."
        ) from None
    if verdict != [("ok",)]:
        found = "; ".join(row[0] for row in verdict[:3])
        raise click.ClickException(f"{backup} is damaged ({found}); it was not restored.")
    if versioned is None:
        raise click.ClickException(
            f"{backup} is a SQLite database, but not one of Kindness (it has no "
            "alembic_version table); it was not restored."
        )


def restore(backup: Path, database: Path) -> None:
    """Replace the database at ``database`` (created when missing) with ``backup``."""
    database.parent.mkdir(parents=True, exist_ok=True)
    try:
        with (
            closing(_open_read_only(backup)) as source,
            closing(sqlite3.connect(database, timeout=30)) as target,
        ):
            source.backup(target)
    except sqlite3.Error as error:
        raise click.ClickException(
            f"Restoring {backup} into {database} failed, which is left as it was: {error}."
        ) from None
