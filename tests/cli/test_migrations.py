"""Alembic: upgrade an empty database to exactly the models, and back down."""

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text
from sqlalchemy.exc import IntegrityError

from kindness import models  # noqa: F401  (fills the metadata)
from kindness.cli import migrate
from kindness.db import SEARCH_OBJECTS, Base, include_object
from kindness.models import MODERATION_ACTIONS
from tests.databases import BACKENDS, fresh_database, open_engine


@pytest.mark.parametrize("backend", BACKENDS)
def test_upgrade_matches_models_and_downgrade_empties(backend, tmp_path):
    with fresh_database(backend, tmp_path) as url:
        migrate.upgrade(url)
        engine = open_engine(url)
        try:
            with engine.connect() as connection:
                options = {"compare_type": True, "render_as_batch": backend == "sqlite"}
                context = MigrationContext.configure(
                    connection, opts={**options, "include_object": include_object}
                )
                assert compare_metadata(context, Base.metadata) == []
                # Without the filter, the only differences are the search objects,
                # which are in the database and not in the models.
                unfiltered = MigrationContext.configure(connection, opts=options)
                left_out = compare_metadata(unfiltered, Base.metadata)
                assert left_out
                assert {_object_of(difference) for difference in left_out} <= SEARCH_OBJECTS
                tables = set(inspect(connection).get_table_names())
            assert set(Base.metadata.tables) <= tables
            migrate.downgrade(url, "base")
            with engine.connect() as connection:
                assert set(inspect(connection).get_table_names()) <= {"alembic_version"}
            migrate.upgrade(url)
        finally:
            engine.dispose()


def _object_of(difference) -> tuple[str, str]:
    """("table" or "index", name) of one difference Alembic found."""
    kind, found = difference[0], difference[1]
    assert kind in ("remove_table", "remove_index"), difference
    return kind.removeprefix("remove_"), found.name


@pytest.mark.parametrize("backend", BACKENDS)
def test_the_migrated_log_takes_every_moderation_step(backend, tmp_path):
    """CHECK constraints are not compared above: the migrated one must take each
    code the models know (0007 added the thank-you steps) and refuse others."""
    insert = text(
        "INSERT INTO moderation_actions (action, created_at) VALUES (:action, CURRENT_TIMESTAMP)"
    )
    with fresh_database(backend, tmp_path) as url:
        migrate.upgrade(url)
        engine = open_engine(url)
        try:
            with engine.begin() as connection:
                for action in MODERATION_ACTIONS:
                    connection.execute(insert, {"action": action})
            with pytest.raises(IntegrityError), engine.begin() as connection:
                connection.execute(insert, {"action": "obliterate"})
            migrate.downgrade(url, "0006")
            with engine.connect() as connection:
                kept = connection.execute(text("SELECT action FROM moderation_actions"))
                assert sorted(kept.scalars()) == ["hide", "restore", "suspend", "unsuspend"]
            migrate.upgrade(url)
        finally:
            engine.dispose()
