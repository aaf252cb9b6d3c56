"""Flask commands: ``flask --app app db upgrade`` and friends."""

import click
from alembic import command
from flask import Flask, current_app
from flask.cli import AppGroup, with_appcontext

from kindness.cli import backup, demo, jobs, migrate

db_cli = AppGroup("db", help="Apply the Alembic migrations to the configured database.")


@db_cli.command("upgrade")
@click.argument("revision", default="head")
def upgrade_command(revision: str) -> None:
    """Upgrade the database to REVISION (default: the newest)."""
    migrate.upgrade(current_app.config["DATABASE_URL"], revision)
    click.echo(f"Database upgraded to {revision}.")


@db_cli.command("downgrade")
@click.argument("revision", default="-1")
def downgrade_command(revision: str) -> None:
    """Downgrade the database to REVISION (default: one step back)."""
    migrate.downgrade(current_app.config["DATABASE_URL"], revision)
    click.echo(f"Database downgraded to {revision}.")


@db_cli.command("current")
def current_command() -> None:
    """Show the revision the database is at."""
    command.current(migrate.alembic_config(current_app.config["DATABASE_URL"]))


@click.command("make-admin")
@click.argument("email")
@with_appcontext
def make_admin_command(email: str) -> None:
    """Make the account with EMAIL a moderator (admin)."""
    from kindness.domain import moderation
    from kindness.domain.errors import NotFound
    from kindness.sessions import get_session

    session = get_session()
    try:
        user = moderation.make_admin(session, email)
    except NotFound:
        raise click.ClickException(f"No account with the email {email}.") from None
    session.commit()
    click.echo(f"{user.display_name} <{user.email}> is an admin now.")


def init_app(app: Flask) -> None:
    app.cli.add_command(db_cli)
    app.cli.add_command(make_admin_command)
    app.cli.add_command(demo.seed_demo_command)
    app.cli.add_command(jobs.jobs_cli)
    app.cli.add_command(backup.backup_command)
    app.cli.add_command(backup.restore_command)
