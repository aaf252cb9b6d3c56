"""The real thing: a forward logged through the app reaches the author above it by
mail, sent by a separate Celery worker process on Redis, reading the app's
committed database (which it could not see if the request had been rolled back)."""

import time
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select, update

from kindness import create_app
from kindness.cli import migrate
from kindness.models import Mail, OutboxJob, User
from tests.clock import TODAY
from tests.conftest import TEST_CONFIG
from tests.databases import BACKENDS, fresh_database
from tests.factories import PASSWORD, claim, make_act, make_user
from tests.mailbox import Mailbox
from tests.workers import queue_redis, queue_url, workers

WAIT_SECONDS = 60


def wait_for(condition, seconds: float = WAIT_SECONDS) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return condition()


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_forward_is_mailed_by_the_worker_process(backend, tmp_path, mailbox: Mailbox):
    queue = queue_redis()
    with fresh_database(backend, tmp_path) as url:
        migrate.upgrade(url)
        settings = {
            **TEST_CONFIG,
            "DATABASE_URL": url,
            "REDIS_URL": queue_url(),
            "RATELIMIT_STORAGE_URI": "memory://",
            "BASE_URL": "https://kind.example",
        }
        app = create_app(settings)
        session = app.extensions["kindness.db"].sessionmaker()
        giver = make_user(session, email="giver@example.org", display_name="Gita")
        taker = make_user(session, email="taker@example.org", display_name="Tom")
        session.execute(
            update(User)
            .where(User.id == giver.id)
            .values(email_confirmed_at=datetime.now(UTC), notify_travelled="immediately")
        )
        session.commit()
        act = claim(session, make_act(session, giver, TODAY), taker)

        client = app.test_client()
        assert (
            client.post("/login", data={"email": taker.email, "password": PASSWORD}).status_code
            == 302
        )
        answer = client.post(
            "/acts/new",
            data={
                "what": "Helped a neighbour carry a sofa",
                "performed_on": TODAY.isoformat(),
                "category": "help",
                "visibility": "private",
                "parent_ref": act.ref,
            },
        )
        assert answer.status_code == 302

        # Committed and handed to Redis: the outbox row is marked handed over (its job
        # deletes it), the queue holds the job, and nothing was sent by the app itself.
        session.rollback()  # a new transaction: see what the request committed
        assert session.scalar(select(func.count()).select_from(OutboxJob)) == 1
        assert session.scalar(select(func.count()).where(OutboxJob.handed_over_at.is_(None))) == 0
        assert queue.llen("celery") >= 1
        time.sleep(1)
        assert mailbox.to(giver.email) == []

        environment = {
            "DATABASE_URL": url,
            "REDIS_URL": queue_url(),
            "KINDNESS_SECRET_KEY": settings["SECRET_KEY"],
            "KINDNESS_BASE_URL": settings["BASE_URL"],
            "KINDNESS_MAIL_SERVER": mailbox.host,
            "KINDNESS_MAIL_PORT": str(mailbox.port),
        }
        with workers(environment, log_folder=tmp_path):
            arrived = wait_for(lambda: mailbox.to(giver.email))
        log = (tmp_path / "worker-0.log").read_text()
        assert arrived, f"no mail within {WAIT_SECONDS} s; worker log:\n{log[-3000:]}"

        [mail] = mailbox.to(giver.email)
        assert "kind.example/chains/" in mail.text
        assert mail.message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        assert "kindness.run" in log and "succeeded" in log
        session.rollback()  # a new transaction: see what the worker committed
        row = session.scalars(select(Mail).where(Mail.user_id == giver.id)).one()
        assert (row.kind, row.state, row.attempts) == ("travelled", "sent", 1)
        assert session.scalar(select(func.count()).select_from(OutboxJob)) == 0
        assert mailbox.to(taker.email) == []
        session.close()
        app.extensions["kindness.db"].engine.dispose()
    queue.flushdb()
    queue.close()
