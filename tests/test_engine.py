"""The engine the app makes (kindness.db.make_engine), on both databases."""

import pytest
from sqlalchemy import text

from kindness.db import make_engine
from tests import databases


def test_postgresql_connections_run_without_jit(database: databases.TestDatabase):
    # JIT compiled short searches for longer than they ran (README, "Ten million acts").
    engine = make_engine(database.url)
    try:
        with engine.connect() as connection:
            if database.backend == "sqlite":
                assert connection.execute(text("PRAGMA foreign_keys")).scalar_one() == 1
            else:
                assert connection.execute(text("SHOW jit")).scalar_one() == "off"
    finally:
        engine.dispose()


@pytest.mark.parametrize("read_only", [False, True])
def test_the_read_only_engine_keeps_the_same_settings(
    database: databases.TestDatabase, read_only: bool
):
    engine = make_engine(database.url, read_only=read_only)
    try:
        with engine.connect() as connection:
            if database.backend == "postgresql":
                assert connection.execute(text("SHOW jit")).scalar_one() == "off"
                expected = "on" if read_only else "off"
                assert (
                    connection.execute(text("SHOW transaction_read_only")).scalar_one() == expected
                )
            else:
                expected = 1 if read_only else 0
                assert connection.execute(text("PRAGMA query_only")).scalar_one() == expected
    finally:
        engine.dispose()
