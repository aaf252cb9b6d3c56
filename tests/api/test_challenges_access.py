"""Access to /api/v1/challenges: another person's week answers 404 and stays as it
was; a read token's write answers 403 and changes nothing."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from kindness.models import Challenge
from tests.clock import TODAY
from tests.factories import make_challenge, make_user

pytestmark = pytest.mark.usefixtures("clock")

# Every operation on one week, with a body that would be accepted.
ON_A_WEEK = [
    ("GET", "/api/v1/challenges/{challenge_id}", None),
    ("POST", "/api/v1/challenges/{challenge_id}/abandon", None),
    ("PUT", "/api/v1/challenges/{challenge_id}/reflection", {"reflection": "Mine now"}),
]
WRITES = [
    ("POST", "/api/v1/challenges", {"pledge": True}),
    ("POST", "/api/v1/challenges/{challenge_id}/abandon", None),
    ("PUT", "/api/v1/challenges/{challenge_id}/reflection", {"reflection": "Mine now"}),
]


@pytest.fixture
def weeks(session):
    """Ada, without a week; Ben, whose week ends today (it may be abandoned and
    reflected on)."""
    ada = make_user(session, display_name="Ada")
    ben = make_user(session, display_name="Ben")
    first = TODAY - timedelta(days=6)
    week = make_challenge(session, ben, first, today=first)
    return ada, ben, week


def state(session) -> list[tuple]:
    session.expire_all()
    return session.execute(
        select(Challenge.user_id, Challenge.abandoned_at, Challenge.reflection).order_by(
            Challenge.id
        )
    ).all()


@pytest.mark.parametrize(("method", "template", "body"), ON_A_WEEK)
def test_another_persons_week_is_404_and_unchanged(api_as, session, weeks, method, template, body):
    ada, _ben, week = weeks
    before = state(session)
    response = api_as(ada).open(template.format(challenge_id=week.id), method=method, json=body)
    assert response.status_code == 404
    assert response.get_json()["type"] == "/developers/api#problem-not-found"
    assert state(session) == before


@pytest.mark.parametrize(("method", "template", "body"), WRITES)
def test_a_read_token_may_not_write(api_as, session, weeks, method, template, body):
    _ada, ben, week = weeks
    before = state(session)
    response = api_as(ben, scope="read").open(
        template.format(challenge_id=week.id), method=method, json=body
    )
    assert response.status_code == 403
    assert response.get_json()["type"] == "/developers/api#problem-forbidden"
    assert state(session) == before


def test_the_current_week_and_the_list_are_ones_own(api_as, weeks):
    ada, ben, week = weeks
    assert api_as(ada).get("/api/v1/challenges/current").get_json() == {"week": None}
    assert api_as(ada).get("/api/v1/challenges").get_json()["items"] == []
    assert (
        api_as(ben, scope="read").get("/api/v1/challenges/current").get_json()["week"]["id"]
        == week.id
    )
    (listed,) = api_as(ben, scope="read").get("/api/v1/challenges").get_json()["items"]
    assert listed["id"] == week.id
