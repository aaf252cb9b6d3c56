"""``/api/v1/teams``: my teams with my role, a team by slug (members, or anyone
for a public team), joining by invite code, a team's weeks and a week's tally."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from kindness.api import pagination
from kindness.domain.teams import membership, weeks
from kindness.models import Membership
from tests.clock import TODAY
from tests.factories import make_act, make_crew, make_user

pytestmark = pytest.mark.usefixtures("clock")
PROBLEM = "application/problem+json"


@pytest.fixture
def crew(session):
    return make_crew(session)


def memberships(session) -> int:
    return session.scalar(select(func.count()).select_from(Membership))


def test_my_teams_with_my_role_by_name(api_as, session, crew):
    other = membership.create(session, crew["member"], name="Allotment", description=None,
                              is_public=True)  # fmt: skip
    session.commit()
    body = api_as(crew["member"], "read").get("/api/v1/teams").get_json()
    assert body["next_cursor"] is None
    listed = [(item["name"], item["slug"], item["role"], item["members"]) for item in body["items"]]
    assert listed == [
        ("Allotment", other.slug, "owner", 1),
        ("Night Shift", crew["team"].slug, "member", 3),
    ]
    assert body["items"][1]["description"] == "Nurses"
    assert body["items"][1]["is_public"] is False
    assert "invite_code" not in str(body) and crew["team"].invite_code not in str(body)
    assert api_as(crew["stranger"]).get("/api/v1/teams").get_json()["items"] == []


def test_my_teams_page_by_cursor_in_a_fixed_number_of_queries(api_as, session, count_queries):
    olga = make_user(session)
    for name in ("Cedar", "ash", "Birch"):
        membership.create(session, olga, name=name, description=None, is_public=False)
    session.commit()
    client = api_as(olga)
    client.get("/api/v1/teams")
    with count_queries() as counter:
        first = client.get("/api/v1/teams?limit=2").get_json()
    assert counter.count <= 3, counter.statements
    assert [item["name"] for item in first["items"]] == ["ash", "Birch"]
    second = client.get("/api/v1/teams", query_string={"limit": 2, "cursor": first["next_cursor"]})
    assert [item["name"] for item in second.get_json()["items"]] == ["Cedar"]
    assert second.get_json()["next_cursor"] is None


def test_a_member_reads_the_team_with_their_role(api_as, crew):
    response = api_as(crew["admin"]).get(f"/api/v1/teams/{crew['team'].slug}")
    assert response.status_code == 200
    body = response.get_json()
    assert (body["name"], body["role"], body["members"]) == ("Night Shift", "admin", 3)


def test_a_private_team_is_404_to_a_stranger_as_a_missing_one(api_as, crew):
    client = api_as(crew["stranger"])
    hidden = client.get(f"/api/v1/teams/{crew['team'].slug}")
    missing = client.get("/api/v1/teams/no-such-team")
    assert hidden.status_code == missing.status_code == 404
    assert hidden.mimetype == PROBLEM
    assert hidden.get_json()["type"] == missing.get_json()["type"]
    assert "Night" not in hidden.get_data(as_text=True)


def test_a_public_team_is_read_by_anyone_without_a_role(api_as, session, crew):
    crew["team"].is_public = True
    session.commit()
    body = api_as(crew["stranger"]).get(f"/api/v1/teams/{crew['team'].slug}").get_json()
    assert (body["name"], body["role"], body["members"]) == ("Night Shift", None, 3)


def test_joining_by_invite_code_makes_a_member_of_the_running_weeks(api_as, session, crew):
    weeks.schedule_week(session, crew["team"], crew["owner"], TODAY, TODAY)
    session.commit()
    client = api_as(crew["stranger"])
    response = client.post("/api/v1/teams/join", json={"code": crew["team"].invite_code})
    assert response.status_code == 200
    assert (response.get_json()["role"], response.get_json()["members"]) == ("member", 4)
    assert membership.role_of(session, crew["team"], crew["stranger"].id) == "member"
    # Once more: a member stays one.
    again = client.post("/api/v1/teams/join", json={"code": crew["team"].invite_code})
    assert again.status_code == 200 and again.get_json()["members"] == 4
    (week,) = weeks.of_team(session, crew["team"])
    tally = client.get(f"/api/v1/teams/{crew['team'].slug}/weeks/{week.id}/tally")
    assert tally.status_code == 200


def test_an_unknown_or_old_invite_code_is_404_and_joins_nothing(api_as, session, crew):
    old = crew["team"].invite_code
    membership.rotate_invite(session, crew["team"], crew["owner"])
    session.commit()
    before = memberships(session)
    for code in (old, "nosuchcode"):
        response = api_as(crew["stranger"]).post("/api/v1/teams/join", json={"code": code})
        assert response.status_code == 404
        assert response.mimetype == PROBLEM
    assert memberships(session) == before


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"code": ""},
        {"code": "x" * 33},
        {"code": 12},
        {"code": "abc def"},
        {"code": "abc", "role": "owner"},
    ],
)
def test_a_bad_join_body_is_422_and_joins_nothing(api_as, session, crew, body):
    before = memberships(session)
    response = api_as(crew["stranger"]).post("/api/v1/teams/join", json=body)
    assert response.status_code == 422
    assert response.mimetype == PROBLEM
    assert response.get_json()["errors"]["json"]
    assert memberships(session) == before


def test_a_nul_in_the_code_is_refused_and_joins_nothing(api_as, session, crew):
    before = memberships(session)
    response = api_as(crew["stranger"]).post("/api/v1/teams/join", json={"code": "abc\x00"})
    assert (response.status_code, response.mimetype) == (400, PROBLEM)
    assert memberships(session) == before


@pytest.fixture
def week(session, crew):
    """A running week of the crew with acts of two members, and a later one."""
    later = weeks.schedule_week(session, crew["team"], crew["owner"], TODAY + timedelta(days=14),
                                TODAY)  # fmt: skip
    running = weeks.schedule_week(session, crew["team"], crew["owner"], TODAY, TODAY)
    session.commit()
    make_act(session, crew["member"], TODAY, what="Night soup", visibility="team")
    make_act(session, crew["member"], TODAY, what="Quiet help")
    make_act(session, crew["admin"], TODAY, what="Carried a bag", visibility="public")
    return {"running": running, "later": later}


def test_a_teams_weeks_latest_first_with_their_status(api_as, crew, week):
    body = api_as(crew["member"]).get(f"/api/v1/teams/{crew['team'].slug}/weeks").get_json()
    assert [(item["id"], item["status"]) for item in body["items"]] == [
        (week["later"].id, "scheduled"),
        (week["running"].id, "active"),
    ]
    assert body["items"][1]["starts_on"] == TODAY.isoformat()
    paged = api_as(crew["member"]).get(f"/api/v1/teams/{crew['team'].slug}/weeks?limit=1")
    cursor = paged.get_json()["next_cursor"]
    rest = api_as(crew["member"]).get(
        f"/api/v1/teams/{crew['team'].slug}/weeks", query_string={"limit": 1, "cursor": cursor}
    )
    assert [item["id"] for item in rest.get_json()["items"]] == [week["running"].id]


def test_listing_weeks_costs_a_fixed_number_of_queries(api_as, session, crew, week, count_queries):
    client = api_as(crew["member"])
    path = f"/api/v1/teams/{crew['team'].slug}/weeks"
    client.get(path)
    with count_queries() as counter:
        assert client.get(path).status_code == 200
    assert counter.count <= 4, counter.statements


def test_the_tally_counts_every_act_of_the_week_and_names_no_one(api_as, crew, week):
    path = f"/api/v1/teams/{crew['team'].slug}/weeks/{week['running'].id}/tally"
    response = api_as(crew["admin"], "read").get(path)
    assert response.status_code == 200
    body = response.get_json()
    assert (body["acts"], body["members_who_acted"], body["forwards"]) == (3, 2, 0)
    assert body["forwards_beyond"] is False
    assert body["week"]["status"] == "active"
    assert len(body["days"]) == 7
    today = next(day for day in body["days"] if day["day"] == TODAY.isoformat())
    assert (today["acts"], today["members"]) == (3, 2)
    text = response.get_data(as_text=True)
    for private in ("Night soup", "Quiet help", "Mia", "Adam"):
        assert private not in text


@pytest.mark.parametrize(
    "query", [{"limit": 0}, {"limit": 101}, {"cursor": "x"}, {"cursor": pagination.encode([1])},
              {"cursor": pagination.encode(["not a date", 1])}],
)  # fmt: skip
def test_bad_pages_are_422_problems(api_as, crew, query):
    client = api_as(crew["member"])
    for path in ("/api/v1/teams", f"/api/v1/teams/{crew['team'].slug}/weeks"):
        response = client.get(path, query_string=query)
        if path == "/api/v1/teams" and "not a date" in str(query):
            continue  # a (text, number) key is the weeks'; the teams take two texts
        assert response.status_code == 422, path
        assert response.mimetype == PROBLEM
        assert set(response.get_json()["errors"]["query"]) == set(query)
