"""PostgreSQL's side of backups: ``pg_dump --format=custom`` out (one snapshot
of a running database) and ``pg_restore`` in, all in one transaction.

The tools get the connection from DATABASE_URL in libpq's environment variables
(PGHOST, PGUSER, PGPASSWORD, ...), never on their command lines, where ``ps``
shows them to every user of the machine.
"""

import os
import re
import shutil
import subprocess
from glob import glob
from pathlib import Path

import click
from sqlalchemy.engine import URL

# The first bytes of a pg_dump archive in the custom format.
MAGIC = b"PGDMP"
# Debian and Ubuntu keep each major version's client tools here.
VERSIONED_TOOLS = "/usr/lib/postgresql/*/bin"

# libpq's environment variables for the connection options a URL's query may carry.
QUERY_ENVIRONMENT = {
    "host": "PGHOST",
    "port": "PGPORT",
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "sslcrl": "PGSSLCRL",
    "sslpassword": "PGSSLPASSWORD",
    "connect_timeout": "PGCONNECT_TIMEOUT",
    "application_name": "PGAPPNAME",
    "options": "PGOPTIONS",
    "target_session_attrs": "PGTARGETSESSIONATTRS",
    "client_encoding": "PGCLIENTENCODING",
    "channel_binding": "PGCHANNELBINDING",
    "gssencmode": "PGGSSENCMODE",
    "passfile": "PGPASSFILE",
    "service": "PGSERVICE",
}


def environment(url: URL) -> dict[str, str]:
    """This process's environment with the connection of ``url`` in libpq's variables
    (what the URL leaves out, libpq takes from the environment, as the app's driver does)."""
    if not url.database:
        raise click.ClickException("DATABASE_URL names no database.")
    given = {
        "PGHOST": url.host,
        "PGPORT": str(url.port) if url.port else None,
        "PGUSER": url.username,
        "PGPASSWORD": url.password,
        "PGDATABASE": url.database,
    }
    for option, value in url.query.items():
        if option not in QUERY_ENVIRONMENT:
            raise click.ClickException(
                f"DATABASE_URL has the option {option!r}, which cannot be passed on to "
                "pg_dump and pg_restore; take it out or set its PG... environment variable."
            )
        given[QUERY_ENVIRONMENT[option]] = ",".join(value) if isinstance(value, tuple) else value
    return {**os.environ, **{name: str(value) for name, value in given.items() if value}}


def _major_version(folder: str) -> int:
    found = re.search(r"/(\d+)/bin$", folder)
    return int(found.group(1)) if found else 0


def find_tool(name: str, folder: str | None) -> str:
    """The path of PostgreSQL's tool ``name``: in ``folder`` when given, else on
    PATH, else the newest one in /usr/lib/postgresql/<version>/bin."""
    if folder:
        candidates = [str(Path(folder) / name)]
    else:
        candidates = [shutil.which(name) or ""] + [
            str(Path(versioned) / name)
            for versioned in sorted(glob(VERSIONED_TOOLS), key=_major_version, reverse=True)
        ]
    for candidate in candidates:
        if candidate and os.access(candidate, os.X_OK) and Path(candidate).is_file():
            return candidate
    where = folder or f"PATH or {VERSIONED_TOOLS}"
    raise click.ClickException(
        f"PostgreSQL's {name} was not found in {where}. Install PostgreSQL's client tools "
        "of the server's major version or newer (Debian: apt-get install postgresql-client), "
        "or set KINDNESS_POSTGRES_BIN to the folder that holds them."
    )


def _run(arguments: list[str], url: URL) -> str:
    """Run a client tool against ``url``'s database; its error output becomes the message."""
    tool = Path(arguments[0]).name
    try:
        done = subprocess.run(  # noqa: S603 (an argument list, no shell)
            arguments, env=environment(url), capture_output=True, text=True, check=False
        )
    except OSError as error:
        raise click.ClickException(f"Could not run {arguments[0]}: {error}.") from None
    if done.returncode != 0:
        raise click.ClickException(f"{tool} failed:\n{done.stderr.strip()}")
    return done.stdout


def _dbname(url: URL) -> str:
    """``--dbname`` as a libpq connection string, so that no database name is read as one."""
    quoted = (url.database or "").replace("\\", "\\\\").replace("'", "\\'")
    return f"--dbname=dbname='{quoted}'"


def dump(url: URL, target: Path, tools: str | None) -> None:
    """Write the database to ``target``, which appears only once the dump is whole."""
    partial = target.with_name(target.name + ".partial")
    try:
        _run(
            [
                find_tool("pg_dump", tools),
                "--format=custom",
                "--no-password",
                f"--file={partial}",
                _dbname(url),
            ],
            url,
        )
        partial.replace(target)
    finally:
        partial.unlink(missing_ok=True)


def check(backup: Path, url: URL, tools: str | None) -> None:
    """Refuse a file that pg_restore cannot read, or that holds no Kindness database."""
    try:
        listing = _run([find_tool("pg_restore", tools), "--list", str(backup)], url)
    except click.ClickException as error:
        raise click.ClickException(
            f"{backup} is not a readable pg_dump archive; it was not restored.\n{error.message}"
        ) from None
    if not re.search(r"^\d+; .* TABLE \S+ alembic_version ", listing, re.MULTILINE):
        raise click.ClickException(
            f"{backup} is a pg_dump archive, but not of a Kindness database (it has no "
            "alembic_version table); it was not restored."
        )


def restore(backup: Path, url: URL, tools: str | None) -> None:
    """Replace the database's tables with those of ``backup``, in one transaction:
    if anything fails, the database is left as it was."""
    try:
        _run(
            [
                find_tool("pg_restore", tools),
                "--clean",
                "--if-exists",
                "--no-owner",
                "--no-privileges",
                "--single-transaction",
                "--exit-on-error",
                "--no-password",
                _dbname(url),
                str(backup),
            ],
            url,
        )
    except click.ClickException as error:
        raise click.ClickException(
            f"{error.message}\nNothing was restored: the database is as it was. If it has "
            "tables the backup lacks (from a newer version), restore into a new, empty "
            "database instead."
        ) from None
