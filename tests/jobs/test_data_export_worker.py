"""The real thing: "Download my data" asked for on the Settings page is built by a
separate Celery worker process on Redis, once, from the app's committed database,
and the person is told in their inbox."""

import io
import zipfile

import pytest
from sqlalchemy import func, select

from kindness import create_app
from kindness.cli import migrate
from kindness.models import DataExport, Notification, OutboxJob
from tests.clock import TODAY
from tests.conftest import TEST_CONFIG
from tests.databases import BACKENDS, fresh_database
from tests.factories import PASSWORD, make_act, make_contact, make_user
from tests.jobs.test_worker import WAIT_SECONDS, wait_for
from tests.workers import queue_redis, queue_url, workers


@pytest.mark.parametrize("backend", BACKENDS)
def test_the_worker_builds_the_export_once(backend, tmp_path):
    queue = queue_redis()
    with fresh_database(backend, tmp_path) as url:
        migrate.upgrade(url)
        settings = {**TEST_CONFIG, "DATABASE_URL": url, "REDIS_URL": queue_url()}
        app = create_app(settings)
        session = app.extensions["kindness.db"].sessionmaker()
        ada = make_user(session, email="ada@example.org", display_name="Ada")
        friend = make_contact(session, ada, "Grete", note="Likes tulips")
        make_act(session, ada, TODAY, what="Carried the shopping", contact=friend)

        client = app.test_client()
        assert client.post("/login", data={"email": ada.email, "password": PASSWORD}).status_code
        assert client.post("/settings/data").status_code == 302
        # Committed and handed to Redis; nothing built by the app itself.
        session.rollback()
        export = session.scalars(select(DataExport)).one()
        assert export.state == "building"
        assert session.scalar(select(func.count()).where(OutboxJob.handed_over_at.is_(None))) == 0
        assert queue.llen("celery") == 1
        assert "We are gathering your data" in client.get("/settings").get_data(as_text=True)

        environment = {
            "DATABASE_URL": url,
            "REDIS_URL": queue_url(),
            "KINDNESS_SECRET_KEY": settings["SECRET_KEY"],
        }

        def built() -> bool:
            session.rollback()  # a new transaction: see what the worker committed
            return session.scalar(select(DataExport.state)) == "ready"

        with workers(environment, log_folder=tmp_path):
            done = wait_for(built)
        log = (tmp_path / "worker-0.log").read_text()
        assert done, f"not built within {WAIT_SECONDS} s; worker log:\n{log[-3000:]}"
        assert "kindness.run" in log and "succeeded" in log

        session.rollback()
        assert session.scalar(select(func.count()).select_from(OutboxJob)) == 0
        notices = session.scalars(select(Notification).where(Notification.kind == "data_export"))
        assert [notice.data_export_id for notice in notices] == [export.id]
        answer = client.get(f"/settings/data/{export.id}/download")
        assert answer.status_code == 200
        with zipfile.ZipFile(io.BytesIO(answer.data)) as archive:
            contacts = archive.read("kindness-data/csv/contacts.csv").decode()
        assert "Grete" in contacts and "Likes tulips" in contacts
        session.close()
        app.extensions["kindness.db"].engine.dispose()
    queue.flushdb()
    queue.close()
