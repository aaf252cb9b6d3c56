"""``flask jobs tick``: the periodic jobs, once or every minute, without a scheduler.

In production ``celery -A kindness.jobs.worker beat`` runs them; in development
(``make run``, no Redis) this command does, in a second terminal.
"""

import time

import click
from flask import current_app
from flask.cli import AppGroup

from kindness.jobs import dispatch, queue

jobs_cli = AppGroup("jobs", help="Background jobs: the periodic tick.")


@jobs_cli.command("tick")
@click.option(
    "--every",
    type=click.IntRange(min=1),
    default=None,
    help="Repeat every SECONDS until stopped (default: run once).",
)
@click.option("--quiet", is_flag=True, help="Print nothing when all went well.")
def tick_command(every: int | None, quiet: bool) -> None:
    """Run the periodic jobs: sweep the outbox, retry mail, send the day's letters."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    where = "queued for the workers" if queue.enabled(app) else "run here"
    while True:
        try:
            dispatch.run(app, "tick", {})
        except Exception as error:
            if every is None:
                raise
            # Repeating (make run): a failed round is reported, the next one tried.
            click.echo(f"Periodic jobs failed: {error}", err=True)
        else:
            if not quiet:
                click.echo(f"Periodic jobs done; the jobs they made were {where}.")
        if every is None:
            return
        time.sleep(every)
