"""The databases the tests run on: a fresh SQLite file and a fresh PostgreSQL
database per test session, both migrated with Alembic.

PostgreSQL comes from KINDNESS_TEST_POSTGRES_URL (default: the local server).
When it does not answer, its tests are skipped on a developer's machine and
fail in CI (CI=true), so a green CI always means both databases ran.
"""

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from kindness.db import make_engine

DEFAULT_POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
BACKENDS = ("sqlite", "postgresql")


def postgres_url() -> str:
    return os.environ.get("KINDNESS_TEST_POSTGRES_URL", DEFAULT_POSTGRES_URL)


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


def postgres_unavailable(reason: str) -> None:
    message = f"PostgreSQL is not reachable at {postgres_url()}: {reason}"
    if in_ci():
        pytest.fail(message + " (CI requires it)", pytrace=False)
    pytest.skip(message)


@dataclass
class TestDatabase:
    backend: str
    url: str
    engine: Engine


@contextmanager
def fresh_database(backend: str, folder: Path) -> Iterator[str]:
    """Yield the URL of a new, empty database of ``backend`` and remove it afterwards."""
    if backend == "sqlite":
        yield f"sqlite:///{folder / f'kindness-{secrets.token_hex(4)}.sqlite3'}"
        return
    server_url = make_url(postgres_url())
    name = f"kindness_test_{secrets.token_hex(6)}"
    admin = create_engine(server_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    except OperationalError as error:
        admin.dispose()
        postgres_unavailable(str(error.orig).strip().splitlines()[0])
    try:
        yield server_url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def open_engine(url: str) -> Engine:
    return make_engine(url)
