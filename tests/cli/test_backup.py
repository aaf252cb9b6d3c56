"""Backups that restore: a populated database, backed up while a writer holds an
open transaction, restored into a fresh one, has every row of every table and
its Alembic revision back; bad files, full databases and the other kind of
database are refused with a message and leave the database as it was."""

import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import MetaData, select
from sqlalchemy.engine import make_url

from kindness import create_app
from kindness.cli import migrate
from kindness.cli.backup_postgres import environment
from kindness.domain import mails, thanks
from kindness.domain.teams import membership, weeks
from kindness.models import Contact
from tests.clock import TODAY
from tests.databases import BACKENDS, fresh_database, open_engine
from tests.factories import claim, make_act, make_challenge, make_contact, make_user
from tests.notices import make_person

CONFIG = {
    "TESTING": True,
    "SECRET_KEY": "test-secret-key",
    "REDIS_URL": None,
    "RATELIMIT_STORAGE_URI": "memory://",
}
UPGRADE = "flask --app app db upgrade"
# The tables the populated world fills (every other one may be empty).
FILLED = {
    "users", "contacts", "acts", "chain_stats", "chain_members", "passes", "thanks",
    "notifications", "teams", "memberships", "team_weeks", "team_week_members",
    "challenges", "mails", "outbox", "alembic_version",
}  # fmt: skip


@contextmanager
def app_on(url: str, **settings) -> Iterator[Flask]:
    app = create_app({**CONFIG, "DATABASE_URL": url, **settings})
    try:
        yield app
    finally:
        app.extensions["kindness.db"].engine.dispose()


@contextmanager
def migrated(backend: str, folder: Path, revision: str = "head") -> Iterator[str]:
    with fresh_database(backend, folder) as url:
        migrate.upgrade(url, revision)
        yield url


def run(app: Flask, *args: str):
    return app.test_cli_runner().invoke(args=[str(arg) for arg in args])


def refused(result) -> bool:
    """The command stopped with a message (a ClickException), not a traceback."""
    return result.exit_code == 1 and isinstance(result.exception, SystemExit)


def everything(url: str) -> dict[str, list[tuple]]:
    """Every row of every table in the database, each table's rows sorted."""
    engine = open_engine(url)
    try:
        metadata = MetaData()
        with engine.connect() as connection:
            metadata.reflect(connection)
            return {
                name: sorted((tuple(row) for row in connection.execute(select(table))), key=repr)
                for name, table in metadata.tables.items()
            }
    finally:
        engine.dispose()


def populate(app: Flask) -> None:
    """Users, a chain of acts with claimed passes, thanks, a team with its week,
    a personal week, notifications, and queued mails with their outbox jobs."""
    session = app.extensions["kindness.db"].sessionmaker()
    try:
        ada = make_person(session, display_name="Ada Lovelace", mail_hour=9)
        ben = make_person(session, display_name="Jürgen „Ben“ 🌱", locale="de")
        cleo = make_user(session, display_name="Cleo")
        grete = make_contact(session, ada, "Grete", note="Lives on the third floor")
        root = make_act(
            session, ada, TODAY, contact=grete, visibility="public", note="Her first snow"
        )
        claim(session, root, ben, named=True)
        forward = make_act(session, ben, TODAY, parent=root, visibility="team")
        claim(session, forward, cleo)
        make_act(session, cleo, TODAY, parent=forward)
        thanks.write(session, ben, root.ref, "You made my morning.")
        team = membership.create(
            session, ada, name="Night Shift", description="Nurses on nights", is_public=False
        )
        membership.join(session, team.invite_code, ben, TODAY)
        weeks.schedule_week(session, team, ada, TODAY, today=TODAY)
        make_challenge(session, cleo, TODAY)
        mails.queue(
            session, key="letter:ada", kind="letter", to_address=ada.email, user=ada,
            params={"day": TODAY.isoformat()},
        )  # fmt: skip
        session.commit()
    finally:
        session.close()


def populated_backup(backend: str, folder: Path, file: Path) -> dict[str, list[tuple]]:
    """Back up a populated database into ``file``; return its rows."""
    with migrated(backend, folder) as url, app_on(url) as source:
        populate(source)
        assert run(source, "backup", file).exit_code == 0
        return everything(url)


def add_user(app: Flask, **details):
    session = app.extensions["kindness.db"].sessionmaker()
    try:
        return make_user(session, **details)
    finally:
        session.close()


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_backup_taken_while_writing_restores_every_row(backend, tmp_path):
    file = tmp_path / "backups" / "kindness.backup"  # a folder made as needed
    with migrated(backend, tmp_path) as source_url, app_on(source_url) as source:
        populate(source)
        before = everything(source_url)
        # A writer in the middle of its transaction neither blocks the backup nor gets into it.
        writer = source.extensions["kindness.db"].sessionmaker()
        owner = before["users"][0][0]
        writer.add(Contact(owner_id=owner, name="Not committed yet"))
        writer.flush()
        backed_up = run(source, "backup", file)
        writer.rollback()
        writer.close()
    assert backed_up.exit_code == 0, backed_up.output
    assert f"at revision {migrate.scripts().get_current_head()}" in backed_up.output
    assert not file.with_name(file.name + ".partial").exists()

    with fresh_database(backend, tmp_path) as target_url, app_on(target_url) as target:
        restored = run(target, "restore", file)
        assert restored.exit_code == 0, restored.output
        assert "the newest this code knows" in restored.output
        after = everything(target_url)
        assert after == before
        assert {name for name, rows in after.items() if rows} >= FILLED
        assert after["alembic_version"] == [(migrate.scripts().get_current_head(),)]
        assert "Not committed yet" not in repr(after["contacts"])
        # The restored database takes new rows: its sequences came back too.
        assert add_user(target).id > max(row[0] for row in after["users"])


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_database_with_data_is_replaced_only_with_force(backend, tmp_path):
    file = tmp_path / "kindness.backup"
    wanted = populated_backup(backend, tmp_path, file)

    with migrated(backend, tmp_path) as target_url, app_on(target_url) as target:
        add_user(target, email="only@example.org")
        kept = everything(target_url)

        result = run(target, "restore", file)
        assert refused(result)
        assert "holds data (in users)" in result.output
        assert f"flask --app app restore --force {file}" in result.output
        assert everything(target_url) == kept

        forced = run(target, "restore", "--force", file)
        assert forced.exit_code == 0, forced.output
        assert everything(target_url) == wanted


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_file_that_is_no_backup_fails_cleanly(backend, tmp_path):
    whole = tmp_path / "whole.backup"
    populated_backup(backend, tmp_path, whole)
    garbage = tmp_path / "garbage.backup"
    garbage.write_text("Dear diary, today I backed nothing up.\n")
    truncated = tmp_path / "truncated.backup"
    truncated.write_bytes(whole.read_bytes()[:3000])
    # Readable at first: on PostgreSQL the restore itself fails half-way, in its transaction.
    cut_short = tmp_path / "cut-short.backup"
    cut_short.write_bytes(whole.read_bytes()[:-300])
    empty = tmp_path / "empty.backup"
    empty.write_bytes(b"")

    with migrated(backend, tmp_path) as target_url, app_on(target_url) as target:
        kept = everything(target_url)
        messages = {}
        for file in (garbage, truncated, cut_short, empty, tmp_path / "missing.backup"):
            result = run(target, "restore", file)
            assert refused(result) or result.exit_code == 2, (file, result.output)
            assert "Traceback" not in result.output
            messages[file.name] = result.output
            assert everything(target_url) == kept
    assert "is not a backup of Kindness" in messages["garbage.backup"]
    assert "is not a backup of Kindness" in messages["empty.backup"]
    for name in ("truncated.backup", "cut-short.backup"):
        assert re.search(r"(Nothing was|was not) restored", messages[name]), messages[name]
    assert "does not exist" in messages["missing.backup"]


def test_a_backup_restores_only_into_its_own_kind(tmp_path):
    files = {}
    with (
        migrated("sqlite", tmp_path) as sqlite_url,
        migrated("postgresql", tmp_path) as postgres_url,
        app_on(sqlite_url) as on_sqlite,
        app_on(postgres_url) as on_postgres,
    ):
        for backend, app in (("sqlite", on_sqlite), ("postgresql", on_postgres)):
            files[backend] = tmp_path / f"{backend}.backup"
            assert run(app, "backup", files[backend]).exit_code == 0
        kept = everything(postgres_url), everything(sqlite_url)

        into_postgres = run(on_postgres, "restore", "--force", files["sqlite"])
        into_sqlite = run(on_sqlite, "restore", "--force", files["postgresql"])

        assert refused(into_postgres) and refused(into_sqlite)
        assert (
            "is a backup of a SQLite database, and DATABASE_URL names a PostgreSQL database"
            in into_postgres.output
        )
        assert (
            "is a backup of a PostgreSQL database, and DATABASE_URL names a SQLite database"
            in into_sqlite.output
        )
        assert (everything(postgres_url), everything(sqlite_url)) == kept


@pytest.mark.parametrize("backend", BACKENDS)
def test_an_older_backup_comes_back_at_its_revision_and_says_to_upgrade(backend, tmp_path):
    file = tmp_path / "old.backup"
    with migrated(backend, tmp_path, "0007") as source_url, app_on(source_url) as source:
        assert run(source, "backup", file).exit_code == 0

    with fresh_database(backend, tmp_path) as target_url, app_on(target_url) as target:
        restored = run(target, "restore", file)
        assert restored.exit_code == 0, restored.output
        assert "at the backup's revision 0007" in restored.output
        assert f"Run `{UPGRADE}` before you start the app" in restored.output
        assert everything(target_url)["alembic_version"] == [("0007",)]
        migrate.upgrade(target_url)
        newest = migrate.scripts().get_current_head()
        assert everything(target_url)["alembic_version"] == [(newest,)]


def test_a_missing_postgres_tool_is_named(tmp_path):
    file = tmp_path / "kindness.backup"
    with migrated("postgresql", tmp_path) as url, app_on(url, POSTGRES_BIN=str(tmp_path)) as app:
        result = run(app, "backup", file)
    assert refused(result)
    assert f"PostgreSQL's pg_dump was not found in {tmp_path}" in result.output
    assert "KINDNESS_POSTGRES_BIN" in result.output
    assert not file.exists()


def test_the_connection_goes_to_the_tools_in_their_environment():
    url = make_url(
        "postgresql+psycopg://kind:p%40ss%20word@db.example:5433/kindness?sslmode=require"
    )

    given = environment(url)

    assert (given["PGHOST"], given["PGPORT"], given["PGUSER"]) == ("db.example", "5433", "kind")
    assert (given["PGPASSWORD"], given["PGDATABASE"]) == ("p@ss word", "kindness")
    assert given["PGSSLMODE"] == "require"


def test_a_connection_option_the_tools_cannot_take_is_refused():
    url = make_url("postgresql+psycopg://kind@db/kindness?prepare_threshold=0")

    with pytest.raises(Exception, match="the option 'prepare_threshold'"):
        environment(url)
