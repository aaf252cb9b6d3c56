"""The probes: /healthz (the process serves) and /readyz (the database answers
and is migrated; Redis is reported, never fatal)."""

import pytest

from kindness import create_app
from kindness.cli import migrate
from tests.conftest import TEST_CONFIG, joined_app
from tests.databases import BACKENDS, fresh_database
from tests.web.test_rate_limits_redis import redis_client, redis_url  # noqa: F401  (fixture)

# A port nothing listens on: connecting is refused at once.
CLOSED = "127.0.0.1:9"


def test_live_while_the_process_serves(client, count_queries):
    with count_queries() as queries:
        response = client.get("/healthz")
    assert response.status_code == 200 and response.json == {"status": "ok"}
    assert queries.statements == []  # the database is not asked


def test_live_while_the_database_does_not_answer():
    url = f"postgresql+psycopg://postgres@{CLOSED}/nothing?connect_timeout=2"
    app = create_app({**TEST_CONFIG, "DATABASE_URL": url, "REDIS_URL": f"redis://{CLOSED}/0"})
    client = app.test_client()
    live, ready = client.get("/healthz"), client.get("/readyz")
    assert live.status_code == 200 and live.json == {"status": "ok"}
    assert ready.status_code == 503 and ready.json["redis"] == "down"


def test_ready_when_the_database_is_migrated(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json == {
        "status": "ready",
        "database": "up",
        "migrations": "current",
        "redis": "not configured",
    }


@pytest.mark.parametrize("backend", BACKENDS)
def test_not_ready_while_migrations_are_behind(backend, tmp_path):
    with fresh_database(backend, tmp_path) as url:
        migrate.upgrade(url, "0004")
        app = create_app({**TEST_CONFIG, "DATABASE_URL": url})
        response = app.test_client().get("/readyz")
        app.extensions["kindness.db"].engine.dispose()
    assert response.status_code == 503
    assert response.json["migrations"] == "behind" and response.json["database"] == "up"


def test_not_ready_when_the_database_does_not_answer():
    url = f"postgresql+psycopg://postgres@{CLOSED}/nothing?connect_timeout=2"
    app = create_app({**TEST_CONFIG, "DATABASE_URL": url})
    response = app.test_client().get("/readyz")
    assert response.status_code == 503
    assert response.json["database"] == "down" and response.json["status"] == "unavailable"


def test_redis_is_reported_never_fatal(database, redis_client):  # noqa: F811
    with joined_app(database, REDIS_URL=f"redis://{CLOSED}/0") as app:
        down = app.test_client().get("/readyz")
    with joined_app(database, REDIS_URL=redis_url()) as app:
        up = app.test_client().get("/readyz")
    assert down.status_code == 200 and down.json["redis"] == "down"
    assert up.status_code == 200 and up.json["redis"] == "up"
