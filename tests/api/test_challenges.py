"""/api/v1/challenges: the current week, start, abandon, reflect, and the past
weeks, by the same rules as the Weeks pages."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from kindness.models import Challenge
from tests.clock import TODAY
from tests.factories import make_act, make_challenge, make_user

pytestmark = pytest.mark.usefixtures("clock")

PROBLEM = "application/problem+json"


@pytest.fixture
def ada(session):
    return make_user(session, display_name="Ada")


def weeks_of(session, user) -> list[tuple]:
    session.expire_all()
    return session.execute(
        select(Challenge.starts_on, Challenge.abandoned_at, Challenge.reflection)
        .where(Challenge.user_id == user.id)
        .order_by(Challenge.id)
    ).all()


def test_no_current_week_is_a_null_week(api_as, ada):
    response = api_as(ada).get("/api/v1/challenges/current")
    assert response.status_code == 200
    assert response.get_json() == {"week": None}


def test_start_today_then_read_it_as_current(api_as, session, ada):
    api = api_as(ada)
    make_act(session, ada, TODAY, what="Helped at the bakery")
    response = api.post("/api/v1/challenges", json={"pledge": True})
    assert response.status_code == 201
    week = response.get_json()
    assert week["starts_on"] == TODAY.isoformat()
    assert week["ends_on"] == (TODAY + timedelta(days=6)).isoformat()
    assert week["status"] == "active"
    assert week["abandoned"] is False
    assert week["tally"] == {"acts": 1, "days_with_act": 1, "people_helped": 1}
    current = api.get("/api/v1/challenges/current").get_json()["week"]
    assert current["id"] == week["id"]
    assert current["tally"]["acts"] == 1


def test_schedule_a_week_ahead(api_as, session, ada):
    later = TODAY + timedelta(days=3)
    response = api_as(ada).post(
        "/api/v1/challenges", json={"pledge": True, "starts_on": later.isoformat()}
    )
    assert response.status_code == 201
    assert response.get_json()["status"] == "scheduled"
    assert weeks_of(session, ada) == [(later, None, None)]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"pledge": False}, "pledge"),
        ({}, "pledge"),
        ({"pledge": True, "starts_on": (TODAY - timedelta(days=1)).isoformat()}, "starts_on"),
        ({"pledge": True, "starts_on": (TODAY + timedelta(days=15)).isoformat()}, "starts_on"),
        ({"pledge": True, "starts_on": "someday"}, "starts_on"),
        ({"pledge": True, "colour": "green"}, "colour"),
    ],
)
def test_a_start_out_of_the_rules_is_422_and_starts_nothing(api_as, session, ada, body, field):
    response = api_as(ada).post("/api/v1/challenges", json=body)
    assert response.status_code == 422
    assert response.mimetype == PROBLEM
    assert field in response.get_json()["errors"]["json"]
    assert weeks_of(session, ada) == []


def test_one_week_at_a_time_is_409(api_as, session, ada):
    make_challenge(session, ada, TODAY)
    response = api_as(ada).post(
        "/api/v1/challenges",
        json={"pledge": True, "starts_on": (TODAY + timedelta(days=7)).isoformat()},
    )
    assert response.status_code == 409
    assert response.get_json()["type"] == "/developers/api#problem-rule-violation"
    assert "already have a week running" in response.get_json()["detail"]
    assert len(weeks_of(session, ada)) == 1


def test_abandon_a_running_week_then_start_again(api_as, session, ada):
    api = api_as(ada)
    week = make_challenge(session, ada, TODAY)
    response = api.post(f"/api/v1/challenges/{week.id}/abandon")
    assert response.status_code == 200
    assert response.get_json()["status"] == "abandoned"
    assert response.get_json()["abandoned_at"] is not None
    assert api.get("/api/v1/challenges/current").get_json() == {"week": None}
    again = api.post(f"/api/v1/challenges/{week.id}/abandon")
    assert again.status_code == 409
    assert api.post("/api/v1/challenges", json={"pledge": True}).status_code == 201


def test_reflect_on_a_finished_week_and_clear_it(api_as, session, ada):
    api = api_as(ada)
    week = make_challenge(session, ada, TODAY - timedelta(days=8), today=TODAY - timedelta(days=8))
    path = f"/api/v1/challenges/{week.id}/reflection"
    response = api.put(path, json={"reflection": "  It made me smile.  "})
    assert response.status_code == 200
    assert response.get_json()["reflection"] == "It made me smile."
    assert response.get_json()["status"] == "finished"
    assert api.get(f"/api/v1/challenges/{week.id}").get_json()["reflection"] == "It made me smile."
    assert api.put(path, json={"reflection": None}).get_json()["reflection"] is None
    assert weeks_of(session, ada)[0][2] is None


def test_a_reflection_before_the_last_day_is_409(api_as, session, ada):
    week = make_challenge(session, ada, TODAY)
    response = api_as(ada).put(
        f"/api/v1/challenges/{week.id}/reflection", json={"reflection": "Too soon"}
    )
    assert response.status_code == 409
    assert weeks_of(session, ada)[0][2] is None


@pytest.mark.parametrize("body", [{"reflection": "x" * 2001}, {}, {"reflection": 5}])
def test_a_bad_reflection_is_422_and_changes_nothing(api_as, session, ada, body):
    week = make_challenge(session, ada, TODAY - timedelta(days=8), today=TODAY - timedelta(days=8))
    response = api_as(ada).put(f"/api/v1/challenges/{week.id}/reflection", json=body)
    assert response.status_code == 422
    assert "reflection" in response.get_json()["errors"]["json"]
    assert weeks_of(session, ada)[0][2] is None


def past_weeks(session, user, count: int) -> list[Challenge]:
    """``count`` finished weeks of ``user``, a week apart, the newest last."""
    weeks = []
    for number in range(count, 0, -1):
        first = TODAY - timedelta(days=7 * number)
        weeks.append(make_challenge(session, user, first, today=first))
    return weeks


def test_the_list_pages_through_every_week_newest_first(api_as, session, ada):
    weeks = past_weeks(session, ada, 5)
    make_act(session, ada, weeks[-1].starts_on, what="Watered the plants")
    api = api_as(ada)
    seen, cursor = [], None
    while True:
        query = {"limit": 2} | ({"cursor": cursor} if cursor else {})
        page = api.get("/api/v1/challenges", query_string=query).get_json()
        seen += page["items"]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert [item["id"] for item in seen] == [week.id for week in reversed(weeks)]
    assert seen[0]["tally"]["acts"] == 1
    assert {item["status"] for item in seen} == {"finished"}


@pytest.mark.parametrize(
    "query",
    [{"limit": 0}, {"limit": 101}, {"limit": "many"}, {"cursor": "nonsense"}],
)
def test_bad_list_arguments_are_422(api_as, ada, query):
    response = api_as(ada).get("/api/v1/challenges", query_string=query)
    assert response.status_code == 422
    assert response.mimetype == PROBLEM


def test_a_cursor_with_a_wrong_date_or_id_is_422(api_as, ada):
    from kindness.api.pagination import encode

    api = api_as(ada)
    for key in (["not a date", 1], ["2026-11-01", 2**40], ["2026-11-01", 0]):
        response = api.get("/api/v1/challenges", query_string={"cursor": encode(key)})
        assert response.status_code == 422, key


def test_the_list_costs_the_same_whatever_its_page_size(api_as, session, ada, count_queries):
    past_weeks(session, ada, 6)
    api = api_as(ada)
    api.get("/api/v1/me")  # the token's first use of the day writes its last-used date
    counts = []
    for limit in (1, 6):
        with count_queries() as counter:
            response = api.get("/api/v1/challenges", query_string={"limit": limit})
        assert len(response.get_json()["items"]) == limit
        counts.append(counter.count)
    assert counts[0] == counts[1] <= 3
