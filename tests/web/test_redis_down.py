"""Redis does not answer: log-in, sign-up and the pass-it-on card answer as ever,
and their limits still count, in this process, until it is back. On both
databases."""

from collections.abc import Iterator

import pytest
from flask import Flask
from sqlalchemy import select

from kindness.domain import passes
from kindness.extensions import limiter
from kindness.models import Act, User
from tests.clock import TODAY
from tests.conftest import joined_app
from tests.factories import PASSWORD, make_act, make_user
from tests.web.test_health import CLOSED

pytestmark = pytest.mark.usefixtures("clock")

REDIS_DOWN = f"redis://{CLOSED}/0"


@pytest.fixture
def app(database, mailbox) -> Iterator[Flask]:
    with joined_app(database, REDIS_URL=REDIS_DOWN) as app:
        assert app.config["RATELIMIT_STORAGE_URI"] == REDIS_DOWN
        yield app
    # The limiter is one object for every app of the test run: the next app's
    # storage is not to be taken for dead because this one's was.
    limiter._storage_dead = False


def test_log_in_answers_and_its_limit_still_counts(app, session):
    make_user(session, email="ada@example.org")
    session.commit()
    client = app.test_client()
    right = {"email": "ada@example.org", "password": PASSWORD}
    assert client.post("/login", data=right).status_code == 302
    client.post("/logout")
    wrong = {"email": "ada@example.org", "password": "wrong password"}
    assert [client.post("/login", data=wrong).status_code for _ in range(5)] == [422] * 5
    limited = client.post("/login", data=right)
    assert limited.status_code == 429 and "Slow down" in limited.get_data(as_text=True)


def test_sign_up_answers_and_its_limit_still_counts(app, session):
    app.config["SIGNUP_LIMIT"] = "2 per hour"
    client = app.test_client()
    signed_up = client.post(
        "/signup",
        data={
            "email": "ben@example.org",
            "password": "a quiet morning walk",
            "display_name": "Ben",
            "time_zone": "Europe/Berlin",
            "locale": "en",
        },
    )
    assert signed_up.status_code == 302
    assert session.scalar(select(User).where(User.email == "ben@example.org")) is not None
    assert client.post("/signup", data={"email": "bad"}).status_code == 422
    assert client.post("/signup", data={"email": "bad"}).status_code == 429


def test_the_card_and_its_claim_answer_and_their_limit_still_counts(app, session):
    app.config["CLAIM_LIMIT"] = "3 per minute"
    ada = make_user(session, display_name="Ada", email="ada@example.org")
    ben = make_user(session, display_name="Ben", email="ben@example.org")
    act = make_act(session, ada, TODAY, what="Shovelled the snow")
    code = passes.create(session, act, show_text=True).code
    session.commit()
    client = app.test_client()
    with client.session_transaction() as flask_session:
        flask_session["_user_id"] = ben.get_id()
    page = client.get(f"/p/{code}")
    assert page.status_code == 200 and "Shovelled the snow" in page.get_data(as_text=True)
    claimed = client.post(f"/p/{code}", data={"named": "y"})
    assert claimed.status_code == 302
    session.expire_all()
    assert session.scalars(select(Act.recipient_id).where(Act.id == act.id)).one() == ben.id
    # Three looks at the card a minute (the claim is counted apart): the fourth waits.
    assert [client.get(f"/p/{code}").status_code for _ in range(3)] == [200, 200, 429]
