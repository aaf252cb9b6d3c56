"""Benchmark of the mail pipeline: one forward at the foot of a chain of N authors who
chose "travelled: immediately", fanned out and mailed by real Celery workers on Redis
to a real SMTP server (aiosmtpd, in this process).

It measures, on a fresh database of its own and Redis database 13 (emptied):

- the fan-out job: N inbox notices and N queued mails in one job (one worker);
- the drain: N mails sent by two workers (``--workers``), each claiming, writing
  (in the recipient's language) and sending its mail over its own SMTP connection;

and checks the outcome: every mail ``sent`` in the mail log, exactly N messages on
the SMTP server, one per recipient (no duplicate, none lost), nothing failed.

    .venv/bin/python bench/notices.py                   # PostgreSQL, 10,000 notices
    .venv/bin/python bench/notices.py --db sqlite --notices 2000
"""

import argparse
import collections
import os
import secrets
import sys
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import func, insert, select, text

from kindness import create_app
from kindness.cli import migrate
from kindness.domain import acts, outbox
from kindness.domain.acts import ActInput
from kindness.jobs import dispatch
from kindness.models import Act, ChainMember, ChainStats, Mail, OutboxJob, User
from tests.databases import fresh_database
from tests.mailbox import Mailbox, start
from tests.workers import queue_redis, queue_url, workers

DAY = date(2026, 11, 20)
SECRET = secrets.token_hex(16)


def build_chain(session, authors: int) -> User:
    """A chain of ``authors`` acts, each by the recipient of the one above (the first
    claimed every card); returns the last recipient, who has not passed it on yet."""
    now = datetime.now(UTC)
    session.execute(
        insert(User),
        [
            {
                "email": f"author{n}@example.org",
                "display_name": f"Author {n}",
                "password_hash": "-",  # nobody logs in
                "time_zone": "Europe/Berlin",
                "locale": "de" if n % 2 else "en",
                "email_confirmed_at": now,
                "notify_travelled": "immediately",
            }
            for n in range(authors + 1)
        ],
    )
    ids = list(session.scalars(select(User.id).order_by(User.id)))
    first = session.scalar(select(func.coalesce(func.max(Act.id), 0))) + 1
    rows = [
        {
            "id": first + depth,
            "author_id": ids[depth],
            "recipient_id": ids[depth + 1],
            "what": f"Kindness number {depth}",
            "performed_on": DAY,
            "category": "help",
            "visibility": "private",
            "parent_id": first + depth - 1 if depth else None,
            "root_id": first,
            "depth": depth,
        }
        for depth in range(authors)
    ]
    for start_at in range(0, len(rows), 1000):  # parents before children
        session.execute(insert(Act), rows[start_at : start_at + 1000])
    if session.get_bind().dialect.name == "postgresql":  # ids given: move the sequence on
        session.execute(
            text("SELECT setval(pg_get_serial_sequence('acts', 'id'), max(id)) FROM acts")
        )
    session.execute(
        insert(ChainStats).values(
            root_id=first,
            acts=authors,
            generations=authors,
            reach=authors + 1,
            first_on=DAY,
            last_on=DAY,
        )
    )
    session.execute(
        insert(ChainMember), [{"root_id": first, "user_id": user_id} for user_id in ids]
    )
    session.commit()
    return session.get(User, ids[-1])


def wait(condition, what: str, limit: float) -> float:
    started = time.perf_counter()
    while not condition():
        if time.perf_counter() - started > limit:
            raise SystemExit(f"gave up waiting for {what} after {limit:.0f} s")
        time.sleep(0.2)
    return time.perf_counter() - started


def run(backend: str, notices: int, worker_count: int, folder: Path) -> None:
    queue = queue_redis()
    mailbox = Mailbox()
    server = start(mailbox)
    with fresh_database(backend, folder) as url:
        migrate.upgrade(url)
        settings = {
            "DATABASE_URL": url,
            "REDIS_URL": queue_url(),
            "SECRET_KEY": SECRET,
            "BASE_URL": "https://kind.example",
            "MAIL_SERVER": mailbox.host,
            "MAIL_PORT": mailbox.port,
            "RATELIMIT_ENABLED": False,
        }
        app = create_app(settings)
        session = app.extensions["kindness.db"].sessionmaker()
        print(f"{backend}: a chain of {notices:,} authors ...", flush=True)
        last = build_chain(session, notices)
        foot = session.scalar(select(Act).where(Act.recipient_id == last.id))
        acts.log(
            session,
            last,
            ActInput(
                what="Passed it on at the foot of the chain",
                performed_on=DAY,
                contact_id=None,
                category="help",
                visibility="private",
                note=None,
                parent_ref=foot.ref,
            ),
            today=DAY,
        )
        session.commit()
        # As the request boundary does after its commit: the fan-out goes to Redis.
        dispatch.hand_over(app, outbox.written(session))
        assert queue.llen("celery") == 1

        def count(*where) -> int:
            session.rollback()  # a new snapshot: see the workers' commits
            return session.scalar(select(func.count()).select_from(Mail).where(*where))

        environment = {
            "DATABASE_URL": url,
            "REDIS_URL": queue_url(),
            "KINDNESS_SECRET_KEY": SECRET,
            "KINDNESS_BASE_URL": settings["BASE_URL"],
            "KINDNESS_MAIL_SERVER": mailbox.host,
            "KINDNESS_MAIL_PORT": str(mailbox.port),
        }
        with workers(environment, count=worker_count, log_folder=folder) as processes:
            fan_out = wait(lambda: count() == notices, "the fan-out", 600)
            drain = wait(
                lambda: count(Mail.state.in_(("sent", "failed"))) == notices, "the drain", 1800
            )
            settle = wait(lambda: len(mailbox.received) >= notices, "the SMTP server", 60)
            time.sleep(2)  # a late duplicate would arrive now
        server.stop()
        alive = sum(process.returncode in (0, None) for process in processes)

        states = dict(session.execute(select(Mail.state, func.count()).group_by(Mail.state)).all())
        per_recipient = collections.Counter(
            address for mail in mailbox.received for address in mail.recipients
        )
        duplicates = sum(n - 1 for n in per_recipient.values() if n > 1)
        lost = notices - len(per_recipient)
        left = session.scalar(select(func.count()).select_from(OutboxJob))
        session.close()
        app.extensions["kindness.db"].engine.dispose()
        queue.flushdb()
        queue.close()

    sending = drain + settle
    print(f"  fan-out: {notices:,} notices and mails queued in {fan_out:.1f} s (one job)")
    print(
        f"  drain: {notices:,} mails sent by {worker_count} workers in {sending:.1f} s"
        f" = {notices / sending:,.0f} mails/s"
    )
    print(
        f"  mail log: {states}; SMTP server: {len(mailbox.received):,} messages,"
        f" {len(per_recipient):,} recipients; duplicates {duplicates}, lost {lost},"
        f" outbox rows left {left}, workers stopped cleanly {alive}/{worker_count}"
    )
    if duplicates or lost or states.get("sent") != notices:
        raise SystemExit("FAILED: a mail was duplicated, lost or not sent")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=("postgresql", "sqlite"), default="postgresql")
    parser.add_argument("--notices", type=int, default=10_000)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    # A Redis database of its own: a test run at the same time must not meet these jobs.
    os.environ.setdefault("KINDNESS_TEST_QUEUE_URL", "redis://127.0.0.1:6379/13")
    with tempfile.TemporaryDirectory() as folder:
        run(args.db, args.notices, args.workers, Path(folder))


if __name__ == "__main__":
    main()
