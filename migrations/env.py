"""Alembic environment: the app's models and database, batch mode on SQLite."""

from logging.config import fileConfig

from alembic import context

from kindness import create_app, models  # noqa: F401  (models fill the metadata)
from kindness.db import Base, UTCDateTime, include_object, make_engine

config = context.config
if config.config_file_name and config.attributes.get("configure_logging", True):
    fileConfig(config.config_file_name, disable_existing_loggers=False)


def database_url() -> str:
    url = config.attributes.get("database_url")
    if url:
        return url
    return create_app().config["DATABASE_URL"]


def run_migrations() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = make_engine(database_url())
    with engine.connect() as connection:
        _run(connection)
    engine.dispose()


def render_item(type_, obj, autogen_context):
    """Write the app's column types as plain SQLAlchemy types, so a revision
    never imports app code (an old revision must not break when the app moves)."""
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False


def _run(connection) -> None:
    sqlite = connection.dialect.name == "sqlite"
    if sqlite:
        # Batch migrations rebuild tables; SQLite's foreign keys must be off meanwhile
        # (a PRAGMA that only works outside a transaction, so on the raw connection).
        connection.connection.driver_connection.execute("PRAGMA foreign_keys = OFF")
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=sqlite,
        compare_type=True,
        render_item=render_item,
        # Explore's search objects (migration 0010) have no model; all else is compared.
        include_object=include_object,
    )
    with context.begin_transaction():
        context.run_migrations()
        if sqlite:
            broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
            if broken:
                raise RuntimeError(f"migration left broken foreign keys: {broken[:5]}")
    connection.commit()
    if sqlite:
        connection.connection.driver_connection.execute("PRAGMA foreign_keys = ON")


if context.is_offline_mode():
    raise SystemExit("Offline migrations are not supported; run against a database.")
run_migrations()
