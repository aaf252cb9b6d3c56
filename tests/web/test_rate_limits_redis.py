"""With REDIS_URL set, rate-limit counters live in Redis, shared by every process."""

import os

import pytest

from tests.conftest import joined_app
from tests.factories import PASSWORD, make_user
from tests.workers import reachable_redis


def redis_url() -> str:
    return os.environ.get("KINDNESS_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


@pytest.fixture
def redis_client():
    client = reachable_redis(redis_url())
    yield client
    client.close()


def test_failed_logins_are_counted_in_redis_across_app_instances(database, redis_client):
    # Database 15 of the local Redis belongs to these tests alone.
    redis_client.flushdb()
    overrides = {"REDIS_URL": redis_url()}
    try:
        with joined_app(database, **overrides) as first:
            assert first.config["RATELIMIT_STORAGE_URI"] == redis_url()
            session = first.extensions["kindness.db"].sessionmaker()
            make_user(session, email="ada@example.org")
            wrong = {"email": "ada@example.org", "password": "wrong password"}
            for _ in range(5):
                assert first.test_client().post("/login", data=wrong).status_code == 422
            assert any(b"login" in key for key in redis_client.keys("*"))
            # A second process (a second app) sees the same counters.
            with joined_app(database, **overrides) as second:
                right = {"email": "ada@example.org", "password": PASSWORD}
                assert second.test_client().post("/login", data=right).status_code == 429
            session.close()
    finally:
        redis_client.flushdb()
