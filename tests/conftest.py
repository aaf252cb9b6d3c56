"""Fixtures: the app on each database, a client, the frozen clock, logging in
(``log_in``, and ``auth`` for tests of the forms themselves), a rolled-back
session per test, a query counter, and a real SMTP server (``mailbox``) that
every app of the run sends its mail to."""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import pytest
import time_machine
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event
from sqlalchemy.orm import Session

from kindness import create_app
from kindness.cli import migrate
from kindness.models import User
from tests.catalogs import compile_catalogs
from tests.clock import NOON_IN_BERLIN
from tests.databases import BACKENDS, TestDatabase, fresh_database, open_engine
from tests.mailbox import Mailbox, start

# Cheap argon2 parameters keep the suite fast; the production ones are tested apart.
TEST_CONFIG = {
    "TESTING": True,
    "SECRET_KEY": "test-secret-key",
    "WTF_CSRF_ENABLED": False,
    "ARGON2_TIME_COST": 1,
    "ARGON2_MEMORY_COST": 8,
    "ARGON2_PARALLELISM": 1,
    "RATELIMIT_STORAGE_URI": "memory://",
    "REDIS_URL": None,
}


@pytest.fixture
def clock() -> Iterator[time_machine.Traveller]:
    """Freeze time at NOON_IN_BERLIN (``clock.move_to`` travels elsewhere)."""
    with time_machine.travel(NOON_IN_BERLIN, tick=False) as traveller:
        yield traveller


@pytest.fixture(scope="session", autouse=True)
def compiled_catalogs() -> None:
    compile_catalogs()


@pytest.fixture(scope="session", params=BACKENDS)
def database(request, tmp_path_factory) -> Iterator[TestDatabase]:
    """A migrated database, made once per backend for the whole run."""
    with fresh_database(request.param, tmp_path_factory.mktemp("db")) as url:
        migrate.upgrade(url)
        engine = open_engine(url)
        yield TestDatabase(request.param, url, engine)
        engine.dispose()


@pytest.fixture(scope="session")
def smtp_server() -> Iterator[Mailbox]:
    """One SMTP server (aiosmtpd) for the whole run; every app sends its mail there."""
    mailbox = Mailbox()
    controller = start(mailbox)
    TEST_CONFIG.update(MAIL_SERVER=mailbox.host, MAIL_PORT=mailbox.port)
    yield mailbox
    controller.stop()


@pytest.fixture
def mailbox(smtp_server: Mailbox) -> Mailbox:
    """The SMTP server's mail, emptied for this test."""
    smtp_server.received.clear()
    smtp_server.refuse = None
    return smtp_server


@contextmanager
def joined_app(database: TestDatabase, **overrides) -> Iterator[Flask]:
    """Build the app with every session joined to one transaction rolled back at the end."""
    app = create_app({**TEST_CONFIG, "DATABASE_URL": database.url, **overrides})
    connection = database.engine.connect()
    transaction = connection.begin()
    db = app.extensions["kindness.db"]
    db.engine.dispose()
    # Commits inside the app release savepoints; nothing reaches the database for real.
    db.sessionmaker.configure(bind=connection, join_transaction_mode="create_savepoint")
    app.extensions["kindness.test_connection"] = connection
    try:
        yield app
    finally:
        transaction.rollback()
        connection.close()


@pytest.fixture
def app(database: TestDatabase, smtp_server: Mailbox) -> Iterator[Flask]:
    with joined_app(database) as app:
        yield app


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(app: Flask):
    return app.test_cli_runner()


@pytest.fixture
def session(app: Flask) -> Iterator[Session]:
    """A session for arranging and checking data, in the same transaction as the app."""
    db_session = app.extensions["kindness.db"].sessionmaker()
    yield db_session
    db_session.close()


@dataclass
class QueryCounter:
    statements: list[str] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.statements)


@pytest.fixture
def count_queries(app: Flask):
    """Count the SQL statements run inside a ``with count_queries() as counter:`` block."""
    connection = app.extensions["kindness.test_connection"]

    @contextmanager
    def counting() -> Iterator[QueryCounter]:
        counter = QueryCounter()

        def record(_conn, _cursor, statement, *_args):
            if not statement.lstrip().upper().startswith(("SAVEPOINT", "RELEASE", "ROLLBACK")):
                counter.statements.append(statement)

        event.listen(connection, "before_cursor_execute", record)
        try:
            yield counter
        finally:
            event.remove(connection, "before_cursor_execute", record)

    return counting


@pytest.fixture
def log_in(app: Flask) -> Callable[..., FlaskClient]:
    """``log_in(user)``: a new client logged in as ``user``; ``log_in(user, client)``
    logs in that client instead. It writes Flask-Login's session keys, as
    Flask-Login's own test client does, without a request or a password hash:
    the way every test logs in, except those of the log-in form (``auth``)."""

    def log_in_as(user: User, client: FlaskClient | None = None) -> FlaskClient:
        client = app.test_client() if client is None else client
        with client.session_transaction() as flask_session:
            flask_session["_user_id"] = user.get_id()
            flask_session["_fresh"] = True
        return client

    return log_in_as


class AuthActions:
    """Sign up, log in and log out through the real forms, for the tests of those
    forms (every other test logs in with ``log_in``)."""

    def __init__(self, client: FlaskClient):
        self.client = client

    def signup(
        self,
        email: str = "ada@example.org",
        password: str = "a quiet morning walk",
        display_name: str = "Ada",
        time_zone: str = "Europe/Berlin",
        locale: str = "en",
        **extra,
    ):
        data = {
            "email": email,
            "password": password,
            "display_name": display_name,
            "time_zone": time_zone,
            "locale": locale,
            **extra,
        }
        return self.client.post("/signup", data=data)

    def login(
        self, email: str = "ada@example.org", password: str = "a quiet morning walk", **extra
    ):
        return self.client.post("/login", data={"email": email, "password": password, **extra})

    def logout(self):
        return self.client.post("/logout")


@pytest.fixture
def auth(client: FlaskClient) -> AuthActions:
    return AuthActions(client)
