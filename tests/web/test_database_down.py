"""The database does not answer: every page that needs it answers the site's 503
page with every security header, for an unknown and for a signed-in visitor (who
is then treated as unknown), logged once with the request id; the next request
after the database is back works. On both databases."""

import logging
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from flask import Flask

from kindness.db import make_engine
from kindness.domain.passes import new_code
from kindness.web.security import HEADERS
from tests.conftest import TEST_CONFIG
from tests.factories import make_user
from tests.web.test_health import CLOSED

SIGNED_IN_PAGES = ["/", "/acts", "/contacts", "/settings", "/inbox", "/no/such/page"]
# Pages whose view reads the database before anything asks who the visitor is: the
# 503 page must not be the first to ask (the load and fault run found a 500 there).
VIEW_FIRST_PAGES = [f"/p/{new_code()}", "/explore", "/chains/no-such-ref"]
# Pages that need no database answer as ever: the landing page, forms, a 404.
ANONYMOUS_PAGES = ["/explore", f"/p/{new_code()}", "/teams/join/" + new_code()]


def unreachable_url(backend: str, tmp_path) -> str:
    if backend == "sqlite":
        return f"sqlite:///{tmp_path / 'no' / 'such' / 'folder' / 'kindness.sqlite3'}"
    return f"postgresql+psycopg://postgres@{CLOSED}/nothing?connect_timeout=2"


@contextmanager
def database_down(app: Flask, backend: str, tmp_path) -> Iterator[None]:
    """Point the app's sessions at a database that does not answer, then back."""
    sessions = app.extensions["kindness.db"].sessionmaker
    engine = make_engine(unreachable_url(backend, tmp_path))
    sessions.configure(bind=engine)
    try:
        yield
    finally:
        sessions.configure(bind=app.extensions["kindness.test_connection"])
        engine.dispose()


def assert_unavailable_page(response, title="Back in a moment", unknown=True) -> None:
    page = response.get_data(as_text=True)
    assert response.status_code == 503, (response.status_code, page[:300])
    assert f"<h1>{title}</h1>" in page and 'class="card narrow error-page"' in page
    assert ("Log out" not in page) == unknown  # the visitor is unknown unless loaded before
    for name, value in HEADERS.items():
        assert response.headers[name] == value
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Retry-After"]  # ours, or the rate limit's where it is later
    assert response.headers["X-Request-ID"]


@pytest.fixture
def ada(session):
    return make_user(session, display_name="Ada Lovelace", email="ada@example.org")


@pytest.mark.parametrize("path", SIGNED_IN_PAGES)
def test_a_signed_in_visitor_gets_the_503_page(app, database, tmp_path, ada, log_in, path):
    client = log_in(ada)
    with database_down(app, database.backend, tmp_path):
        response = client.get(path)
    assert_unavailable_page(response)
    assert "Ada Lovelace" not in response.get_data(as_text=True)


@pytest.mark.parametrize("path", VIEW_FIRST_PAGES)
def test_a_signed_in_visitor_gets_the_503_page_when_the_view_asks_first(
    app, database, tmp_path, ada, log_in, path
):
    client = log_in(ada)
    with database_down(app, database.backend, tmp_path):
        response = client.get(path)
    assert_unavailable_page(response)
    assert "Ada Lovelace" not in response.get_data(as_text=True)


@pytest.mark.parametrize("path", ANONYMOUS_PAGES)
def test_an_anonymous_visitor_gets_the_503_page(app, database, tmp_path, client, path):
    with database_down(app, database.backend, tmp_path):
        response = client.get(path)
    assert_unavailable_page(response)


def test_pages_without_the_database_still_answer(app, database, tmp_path, client):
    with database_down(app, database.backend, tmp_path):
        landing = client.get("/")
        form = client.get("/login")
        missing = client.get("/no/such/page")
        live = client.get("/healthz")
        stylesheet = client.get("/static/css/kindness.css")
    assert landing.status_code == 200 and "Kindness" in landing.get_data(as_text=True)
    assert form.status_code == 200 and 'name="password"' in form.get_data(as_text=True)
    assert missing.status_code == 404
    assert live.status_code == 200 and live.json == {"status": "ok"}
    assert stylesheet.status_code == 200
    stylesheet.close()


def test_a_form_sent_while_the_database_is_down_gets_the_503_page(
    app, database, tmp_path, client, ada
):
    with database_down(app, database.backend, tmp_path):
        response = client.post("/login", data={"email": ada.email, "password": "whatever"})
    assert_unavailable_page(response)


def test_the_503_page_speaks_the_visitors_language(app, database, tmp_path, ada, log_in):
    client = log_in(ada)
    with database_down(app, database.backend, tmp_path):
        response = client.get("/contacts", headers={"Accept-Language": "de"})
    assert_unavailable_page(response, title="Gleich wieder da")
    assert "Wir erreichen unsere Daten gerade nicht." in response.get_data(as_text=True)


def test_the_error_is_logged_once_with_the_request_id(app, database, tmp_path, ada, log_in, caplog):
    client = log_in(ada)
    with database_down(app, database.backend, tmp_path), caplog.at_level(logging.INFO):
        response = client.get("/contacts", headers={"X-Request-ID": "outage-42"})
    assert response.status_code == 503 and response.headers["X-Request-ID"] == "outage-42"
    lines = [record for record in caplog.records if record.levelno >= logging.WARNING]
    assert len(lines) == 1, [record.getMessage() for record in lines]
    assert "request outage-42: GET /contacts: the database does not answer" in (
        lines[0].getMessage()
    )


def test_the_next_request_after_the_database_is_back_works(app, database, tmp_path, ada, log_in):
    client = log_in(ada)
    anonymous = app.test_client()
    with database_down(app, database.backend, tmp_path):
        assert client.get("/contacts").status_code == 503
        assert anonymous.get("/explore").status_code == 503
    back = client.get("/contacts")
    assert back.status_code == 200 and "Log out" in back.get_data(as_text=True)
    assert anonymous.get("/explore").status_code == 200


def test_an_app_started_while_the_database_is_down_answers_503(database, tmp_path):
    from kindness import create_app

    app = create_app({**TEST_CONFIG, "DATABASE_URL": unreachable_url(database.backend, tmp_path)})
    response = app.test_client().get("/explore")
    app.extensions["kindness.db"].engine.dispose()
    assert_unavailable_page(response)


def test_a_commit_the_database_drops_answers_503(ada, log_in, monkeypatch):
    from sqlalchemy.exc import OperationalError
    from sqlalchemy.orm import Session

    def gone(_session):
        raise OperationalError("COMMIT", {}, ConnectionError("server closed the connection"))

    client = log_in(ada)
    monkeypatch.setattr(Session, "commit", gone)
    response = client.post("/language", data={"locale": "de", "next": "/"})
    # Ada was loaded before the commit, but the page cannot read her again: unknown, it
    # speaks the language her cookie holds (the one this request chose).
    assert_unavailable_page(response, title="Gleich wieder da")


def test_a_visitor_loaded_before_the_database_went_away_gets_the_503_page(
    app, database, tmp_path, ada, log_in, monkeypatch
):
    """The load and fault run's PostgreSQL restart: the connection dies in the middle of
    a request that had loaded the visitor; the rollback expires them, and the 503 page
    must not read them again (it was a 500)."""
    from sqlalchemy.exc import OperationalError

    engine = make_engine(unreachable_url(database.backend, tmp_path))

    def gone(session, *args, **kwargs):
        session.bind = engine  # from here on, this request finds no database
        raise OperationalError("INSERT", {}, ConnectionError("server closed the connection"))

    client = log_in(ada)
    monkeypatch.setattr("kindness.domain.acts.log", gone)
    response = client.post("/acts/new", data={"what": "Held the door", "visibility": "private"})
    engine.dispose()
    assert_unavailable_page(response)
    assert "Ada Lovelace" not in response.get_data(as_text=True)
