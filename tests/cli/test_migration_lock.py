"""The release step run twice at once: both `flask db upgrade` processes succeed,
one after the other, and the schema ends at the newest revision."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text

from kindness import PROJECT_ROOT, models  # noqa: F401  (models fill the metadata)
from kindness.cli import migrate
from kindness.db import Base
from tests.databases import BACKENDS, fresh_database, open_engine


def waiting_for_the_lock(url: str, lock_file: Path) -> int:
    """How many processes wait for the migration lock now."""
    if url.startswith("postgresql"):
        engine = open_engine(url)
        try:
            with engine.connect() as connection:
                return connection.scalar(
                    text(
                        "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted"
                    )
                )
        finally:
            engine.dispose()
    # Linux lists a process blocked on a flock() with "->" before its line.
    inode = f":{lock_file.stat().st_ino} "
    lines = Path("/proc/locks").read_text().splitlines()
    return sum(1 for line in lines if "->" in line and "FLOCK" in line and inode in line)


@pytest.mark.parametrize("backend", BACKENDS)
def test_two_upgrades_at_once_both_succeed_at_head(backend, tmp_path):
    with fresh_database(backend, tmp_path) as url:
        env = {**os.environ, "DATABASE_URL": url, "KINDNESS_SECRET_KEY": "test"}
        command = [sys.executable, "-m", "flask", "--app", "app", "db", "upgrade"]
        lock_file = Path(f"{url.removeprefix('sqlite:///')}.migrate-lock")
        # Hold the lock while both start, so they reach it together and must take turns.
        with migrate.migration_lock(url):
            runs = [
                subprocess.Popen(  # noqa: S603 (our own interpreter and arguments)
                    command,
                    cwd=PROJECT_ROOT,
                    env=env,
                    stdout=subprocess.PIPE,
                    stderr=subprocess.STDOUT,
                    text=True,
                )
                for _ in range(2)
            ]
            deadline = time.monotonic() + 60
            while waiting_for_the_lock(url, lock_file) < 2:
                assert all(run.poll() is None for run in runs), "an upgrade ran past the lock"
                assert time.monotonic() < deadline, "the upgrades never waited for the lock"
                time.sleep(0.1)
        outputs = [run.communicate(timeout=120)[0] for run in runs]
        assert [run.returncode for run in runs] == [0, 0], outputs
        assert all("Database upgraded to head." in output for output in outputs)

        engine = open_engine(url)
        try:
            with engine.connect() as connection:
                versions = connection.scalars(text("SELECT version_num FROM alembic_version"))
                assert list(versions) == list(
                    ScriptDirectory(str(PROJECT_ROOT / "migrations")).get_heads()
                )
                assert set(Base.metadata.tables) <= set(inspect(connection).get_table_names())
        finally:
            engine.dispose()
