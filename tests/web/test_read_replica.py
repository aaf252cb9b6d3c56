"""The read replica (``DATABASE_REPLICA_URL``): the explore and chain pages read
from it, everything else from the primary; it refuses writes; a browser that
has just written reads from the primary for a while; without it nothing changes.

The "replica" is a second engine on the same database: enough to see which
engine every statement goes to. The data is committed for real (a session
joined to the test's transaction could not be seen from a second engine), in
a database of this module's own.
"""

import re
from collections.abc import Iterator
from datetime import timedelta

import pytest
import time_machine
from flask import Flask
from flask import session as cookie_session
from sqlalchemy import event, select, text, update
from sqlalchemy.exc import DBAPIError

from kindness import create_app
from kindness.cli import migrate
from kindness.domain.teams import membership
from kindness.models import Act, User
from kindness.sessions import ReplicaWrite, get_read_session, get_session
from kindness.web.read_your_writes import WROTE_AT, remember_write
from tests.clock import NOON_IN_BERLIN, TODAY
from tests.conftest import TEST_CONFIG
from tests.databases import BACKENDS, fresh_database
from tests.factories import claim, make_act, make_user

# A port nothing listens on: connecting is refused at once.
CLOSED = "127.0.0.1:9"


@pytest.fixture(scope="module", params=BACKENDS)
def world(request, tmp_path_factory) -> Iterator[dict]:
    """A migrated database of this module's own, with a public chain of two acts
    (ada's, passed on by ben), a private act of ada's and a public team."""
    folder = tmp_path_factory.mktemp("replica")
    with (
        fresh_database(request.param, folder) as url,
        time_machine.travel(NOON_IN_BERLIN, tick=False),
    ):
        migrate.upgrade(url)
        app = create_app({**TEST_CONFIG, "DATABASE_URL": url})
        with app.app_context():
            session = get_session()
            ada = make_user(session, display_name="Ada")
            ben = make_user(session, display_name="Ben")
            root = make_act(session, ada, TODAY, what="Shared an umbrella", visibility="public")
            claim(session, root, ben)
            forward = make_act(
                session, ben, TODAY, what="Paid a coffee", visibility="public", parent=root
            )
            membership.create(session, ada, name="Umbrella Club", description=None, is_public=True)
            session.commit()
            world = {"url": url, "ada": ada, "ben": ben, "root": root, "forward": forward}
        app.extensions["kindness.db"].engine.dispose()
        yield world


@pytest.fixture
def replica_app(world, smtp_server) -> Iterator[Flask]:
    """The app with a "replica": a second engine on the same database."""
    app = create_app(
        {**TEST_CONFIG, "DATABASE_URL": world["url"], "DATABASE_REPLICA_URL": world["url"]}
    )
    yield app
    db = app.extensions["kindness.db"]
    db.engine.dispose()
    db.replica_engine.dispose()


class Statements:
    """The statements each engine runs while it listens."""

    def __init__(self, app: Flask):
        db = app.extensions["kindness.db"]
        self.primary: list[str] = []
        self.replica: list[str] = []
        for engine, statements in ((db.engine, self.primary), (db.replica_engine, self.replica)):
            event.listen(engine, "before_cursor_execute", self._recorder(statements))

    @staticmethod
    def _recorder(statements: list[str]):
        def record(_conn, _cursor, statement, *_args):
            statements.append(statement)

        return record

    def clear(self) -> None:
        self.primary.clear()
        self.replica.clear()


# What the primary is asked on a replica's page for a signed-in visitor.
VIEWER_TABLES = {"users", "memberships", "notifications"}


def tables_read(statements: list[str]) -> set[str]:
    return {table for statement in statements for table in re.findall(r"FROM (\w+)", statement)}


def chain_paths(ref: str) -> list[str]:
    return [
        f"/chains/{ref}",
        f"/chains/{ref}.svg",
        f"/chains/{ref}.json",
        f"/chains/{ref}.graphml",
        f"/chains/{ref}/card.svg",
        f"/chains/{ref}/card.png",
    ]


EXPLORE_PATHS = ["/explore", "/explore?q=umbrella", "/explore?sort=newest", "/explore/teams"]


def log_in(app: Flask, user: User):
    client = app.test_client()
    with client.session_transaction() as flask_session:
        flask_session["_user_id"] = user.get_id()
        flask_session["_fresh"] = True
    return client


def fetch(client, path: str, statements: Statements, expected: str | None = None):
    statements.clear()
    response = client.get(path)
    body = response.get_data()  # streamed answers are read to the end
    assert response.status_code == 200, path
    if expected is not None:
        assert expected.encode() in body, path


def test_explore_and_chain_pages_read_only_from_the_replica(replica_app, world):
    statements = Statements(replica_app)
    client = replica_app.test_client()
    for path in EXPLORE_PATHS + chain_paths(world["forward"].ref):
        fetch(client, path, statements)
        assert statements.replica, path
        assert statements.primary == [], path  # an anonymous visitor: nothing is asked of it
    fetch(client, "/explore?q=umbrella", statements, expected=world["root"].ref)
    fetch(client, "/explore/teams", statements, expected="Umbrella Club")
    fetch(client, f"/chains/{world['root'].ref}.json", statements, expected="Paid a coffee")


def test_a_signed_in_viewer_is_known_from_the_primary_and_the_chain_read_from_the_replica(
    replica_app, world
):
    statements = Statements(replica_app)
    client = log_in(replica_app, world["ada"])
    for path in EXPLORE_PATHS + chain_paths(world["root"].ref):
        fetch(client, path, statements)
        assert statements.replica, path
        # Only who is looking and their own: the person (Flask-Login), on chain pages
        # their team mates (the masking), on HTML pages their unread notices (the header).
        assert "users" in tables_read(statements.primary), path
        assert tables_read(statements.primary) <= VIEWER_TABLES, (path, statements.primary)


def test_the_dashboard_and_writes_go_to_the_primary_only(replica_app, world):
    statements = Statements(replica_app)
    client = log_in(replica_app, world["ben"])
    fetch(client, "/", statements, expected="Paid a coffee")
    assert statements.primary and statements.replica == []
    statements.clear()
    response = client.post("/acts/new", data={"what": "Held the door", "visibility": "public"})
    assert response.status_code == 302
    assert any(s.lstrip().upper().startswith("INSERT") for s in statements.primary)
    assert statements.replica == []


def test_a_browser_reads_its_own_writes_from_the_primary_for_a_while(replica_app, world, clock):
    statements = Statements(replica_app)
    writer, other = log_in(replica_app, world["ben"]), replica_app.test_client()
    response = writer.post("/acts/new", data={"what": "Carried a pram", "visibility": "public"})
    assert response.status_code == 302
    with replica_app.app_context():
        ref = get_session().scalar(select(Act.ref).where(Act.what == "Carried a pram"))
    chain = f"/chains/{ref}"
    fetch(writer, chain, statements, expected="Carried a pram")
    assert statements.replica == [] and statements.primary
    fetch(other, chain, statements)  # someone else meanwhile: the replica
    assert statements.replica and statements.primary == []
    clock.shift(timedelta(seconds=replica_app.config["READ_YOUR_WRITES_SECONDS"]))
    fetch(writer, chain, statements, expected="Carried a pram")
    assert statements.replica and tables_read(statements.primary) <= VIEWER_TABLES


def test_a_refused_write_opens_no_window(replica_app, world, clock):
    statements = Statements(replica_app)
    writer = log_in(replica_app, world["ben"])
    response = writer.post("/acts/new", data={"what": ""})  # refused: nothing written
    assert response.status_code == 422
    fetch(writer, f"/chains/{world['root'].ref}", statements)
    assert statements.replica


def test_a_request_that_wrote_opens_the_window_whatever_its_method(replica_app, world):
    with replica_app.test_request_context("/any-get"):
        session = get_session()
        session.scalars(select(User)).all()
        remember_write(session)
        assert WROTE_AT not in cookie_session  # a GET that only read
        session.execute(update(User).where(User.id == world["ada"].id).values(locale="de"))
        remember_write(session)
        assert WROTE_AT in cookie_session
        session.rollback()


def test_a_write_on_the_replica_session_fails_and_changes_nothing(replica_app, world):
    with replica_app.test_request_context("/explore"):
        session = get_read_session()
        assert session is not get_session()
        ada = session.get(User, world["ada"].id)
        ada.display_name = "Changed on the replica"
        with pytest.raises(ReplicaWrite):
            session.flush()
        session.rollback()
        with pytest.raises(ReplicaWrite):
            session.commit()
        # Past the session's guard, the database itself refuses.
        with pytest.raises(DBAPIError):
            session.execute(text("UPDATE acts SET what = 'Changed'"))
        session.rollback()
    with replica_app.app_context():
        primary = get_session()
        assert primary.get(User, world["ada"].id).display_name == "Ada"
        assert "Changed" not in primary.scalars(select(Act.what)).all()


def test_ready_reports_the_replica_and_is_not_stopped_by_it(replica_app, world):
    response = replica_app.test_client().get("/readyz")
    assert response.status_code == 200 and response.json["replica"] == "up"
    url = f"postgresql+psycopg://postgres@{CLOSED}/nothing?connect_timeout=2"
    down = create_app({**TEST_CONFIG, "DATABASE_URL": world["url"], "DATABASE_REPLICA_URL": url})
    response = down.test_client().get("/readyz")
    down.extensions["kindness.db"].engine.dispose()
    assert response.status_code == 200
    assert response.json["replica"] == "down" and response.json["status"] == "ready"


def test_a_replica_down_stops_only_its_pages(world, smtp_server):
    url = f"postgresql+psycopg://postgres@{CLOSED}/nothing?connect_timeout=2"
    app = create_app({**TEST_CONFIG, "DATABASE_URL": world["url"], "DATABASE_REPLICA_URL": url})
    client = log_in(app, world["ada"])
    explore, chain = client.get("/explore"), client.get(f"/chains/{world['root'].ref}")
    dashboard = client.get("/")
    app.extensions["kindness.db"].engine.dispose()
    assert explore.status_code == 503 and chain.status_code == 503
    assert explore.headers["Retry-After"] == "30"
    assert dashboard.status_code == 200 and b"Shared an umbrella" in dashboard.data


def test_without_a_replica_every_read_is_on_the_one_session(app, client, count_queries):
    db = app.extensions["kindness.db"]
    assert not db.has_replica
    assert db.replica_engine is db.engine and db.read_sessionmaker is db.sessionmaker
    with app.test_request_context("/explore"):
        assert get_read_session() is get_session()
    with count_queries() as queries:
        assert client.get("/explore").status_code == 200
    assert queries.count > 0  # read through the test's connection, as every page is
    response = client.post("/language", data={"locale": "de"})
    assert response.status_code == 302
    with client.session_transaction() as flask_session:
        assert "wrote_at" not in flask_session
    assert "replica" not in client.get("/readyz").json
