"""/api/v1/inbox: the person's notices, newest first with their read state, and
marking one or all of them read."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from kindness.models import Notification
from tests.clock import NOON_IN_BERLIN, TODAY
from tests.factories import claim, make_act, make_user

PROBLEM = "application/problem+json"


@pytest.fixture
def people(session, clock):
    """Ada, three of whose acts Ben claimed (the last named, a minute after the
    others, which came at the same moment): three notices."""
    ada = make_user(session, display_name="Ada")
    ben = make_user(session, display_name="Ben")
    acts = []
    for number in range(3):
        if number == 2:
            clock.move_to(NOON_IN_BERLIN + timedelta(minutes=1))
        act = make_act(session, ada, TODAY - timedelta(days=number), what=f"Ada's act {number}")
        claim(session, act, ben, named=number == 2)
        acts.append(act)
    return ada, ben, acts


def unread_of(session, user) -> list[int]:
    session.expire_all()
    return list(
        session.scalars(
            select(Notification.id)
            .where(Notification.user_id == user.id, Notification.read_at.is_(None))
            .order_by(Notification.id)
        )
    )


def test_the_inbox_lists_notices_newest_first(api_as, people):
    ada, _ben, acts = people
    page = api_as(ada).get("/api/v1/inbox").get_json()
    assert page["next_cursor"] is None
    items = page["items"]
    assert [item["act_ref"] for item in items] == [act.ref for act in reversed(acts)]
    assert {item["kind"] for item in items} == {"claimed"}
    assert [item["read"] for item in items] == [False, False, False]
    assert items[0]["claimer_name"] == "Ben"  # he chose to be named on the last one
    assert items[1]["claimer_name"] is None
    assert items[0]["act_what"] == "Ada's act 2"


def test_the_inbox_pages_with_a_cursor(api_as, people):
    ada, _ben, acts = people
    api = api_as(ada)
    refs, cursor = [], None
    for _page in range(3):  # a notice a page: across a moment, and within one
        query = {"limit": 1} | ({"cursor": cursor} if cursor else {})
        page = api.get("/api/v1/inbox", query_string=query).get_json()
        refs += [item["act_ref"] for item in page["items"]]
        cursor = page["next_cursor"]
    assert cursor is None
    assert refs == [act.ref for act in reversed(acts)]


def test_mark_one_read(api_as, session, people):
    ada, _ben, _acts = people
    api = api_as(ada)
    first, *others = unread_of(session, ada)
    response = api.post(f"/api/v1/inbox/{first}/read")
    assert response.status_code == 200
    assert response.get_json()["id"] == first
    assert response.get_json()["read"] is True
    read_at = response.get_json()["read_at"]
    assert read_at is not None
    assert unread_of(session, ada) == others
    again = api.post(f"/api/v1/inbox/{first}/read").get_json()
    assert again["read_at"] == read_at
    listed = {item["id"]: item["read"] for item in api.get("/api/v1/inbox").get_json()["items"]}
    assert listed == {first: True} | dict.fromkeys(others, False)


def test_mark_all_read(api_as, session, people):
    ada, ben, _acts = people
    bens = make_act(session, ben, TODAY, what="Ben's act")
    claim(session, bens, ada)
    api = api_as(ada)
    api.post(f"/api/v1/inbox/{unread_of(session, ada)[0]}/read")
    response = api.post("/api/v1/inbox/read")
    assert response.status_code == 200
    assert response.get_json() == {"marked": 2}
    assert unread_of(session, ada) == []
    assert len(unread_of(session, ben)) == 1  # Ben's notice is his to read
    assert api.post("/api/v1/inbox/read").get_json() == {"marked": 0}


def test_a_missing_notice_is_404(api_as, session, people):
    ada, _ben, _acts = people
    for number in (2**31 - 1, 999999):
        response = api_as(ada).post(f"/api/v1/inbox/{number}/read")
        assert response.status_code == 404
        assert response.mimetype == PROBLEM
    for path in ("/api/v1/inbox/0/read", f"/api/v1/inbox/{2**31}/read", "/api/v1/inbox/x/read"):
        assert api_as(ada).post(path).status_code == 404
    assert len(unread_of(session, ada)) == 3


@pytest.mark.parametrize(
    "query", [{"limit": 0}, {"limit": 101}, {"cursor": "!!"}, {"cursor": "WyJub3ciLDFd"}]
)
def test_bad_list_arguments_are_422(api_as, people, query):
    response = api_as(people[0]).get("/api/v1/inbox", query_string=query)
    assert response.status_code == 422
    assert response.mimetype == PROBLEM


def test_a_cursor_with_a_moment_without_zone_is_422(api_as, people):
    from kindness.api.pagination import encode

    cursor = encode(["2026-11-26T12:00:00", 1])
    response = api_as(people[0]).get("/api/v1/inbox", query_string={"cursor": cursor})
    assert response.status_code == 422


def test_the_inbox_costs_the_same_whatever_its_page_size(api_as, people, count_queries):
    api = api_as(people[0])
    api.get("/api/v1/me")  # the token's first use of the day writes its last-used date
    counts = []
    for limit in (1, 3):
        with count_queries() as counter:
            items = api.get("/api/v1/inbox", query_string={"limit": limit}).get_json()["items"]
        assert len(items) == limit
        counts.append(counter.count)
    assert counts[0] == counts[1] <= 3
