"""Access to the team operations: a private team is 404 to those outside it,
exactly as a missing one, for every operation; a week of another team is 404
under your team's slug; a read token may not join (403), and nothing changes."""

import pytest
from sqlalchemy import func, select

from kindness.domain.teams import membership, weeks
from kindness.models import Membership
from tests.clock import TODAY
from tests.factories import make_crew, make_user

pytestmark = pytest.mark.usefixtures("clock")
PROBLEM = "application/problem+json"

TEAMS = "/api/v1/teams"
TEAM = "/api/v1/teams/{slug}"
JOIN = "/api/v1/teams/join"
WEEKS = "/api/v1/teams/{slug}/weeks"
TALLY = "/api/v1/teams/{slug}/weeks/{week_id}/tally"


@pytest.fixture
def crew(session):
    crew = make_crew(session)
    crew["week"] = weeks.schedule_week(session, crew["team"], crew["owner"], TODAY, TODAY)
    theirs = membership.create(session, crew["stranger"], name="Stan's own", description=None,
                               is_public=False)  # fmt: skip
    crew["their_week"] = weeks.schedule_week(session, theirs, crew["stranger"], TODAY, TODAY)
    crew["theirs"] = theirs
    session.commit()
    return crew


def memberships(session) -> int:
    return session.scalar(select(func.count()).select_from(Membership))


@pytest.mark.parametrize(
    "path",
    [
        TEAM.format(slug="night-shift"),
        WEEKS.format(slug="night-shift"),
        TALLY.format(slug="night-shift", week_id="{week}"),
    ],
)
def test_a_private_teams_operations_are_404_to_a_stranger(api_as, session, crew, path):
    assert crew["team"].slug == "night-shift"
    path = path.replace("{week}", str(crew["week"].id))
    member = api_as(crew["member"]).get(path)
    assert member.status_code == 200
    before = memberships(session)
    response = api_as(crew["stranger"]).get(path)
    missing = api_as(crew["stranger"]).get(path.replace("night-shift", "no-such-team"))
    assert response.status_code == missing.status_code == 404
    assert response.mimetype == PROBLEM
    assert "Night Shift" not in response.get_data(as_text=True)
    assert memberships(session) == before


def test_another_teams_week_is_404_under_my_teams_slug(api_as, crew):
    path = TALLY.format(slug=crew["team"].slug, week_id=crew["their_week"].id)
    client = api_as(crew["member"])
    assert client.get(path).status_code == 404
    for week_id in (2**31 - 1, 2**31):
        assert client.get(TALLY.format(slug=crew["team"].slug, week_id=week_id)).status_code == 404


def test_my_teams_list_none_of_another(api_as, crew):
    body = api_as(crew["member"]).get(TEAMS).get_json()
    assert [item["slug"] for item in body["items"]] == [crew["team"].slug]


def test_a_read_token_may_not_join_and_nothing_changes(api_as, session, crew):
    before = memberships(session)
    response = api_as(crew["stranger"], "read").post(JOIN, json={"code": crew["team"].invite_code})
    assert response.status_code == 403
    assert response.mimetype == PROBLEM
    assert memberships(session) == before
    assert membership.role_of(session, crew["team"], crew["stranger"].id) is None


def test_a_code_that_is_no_teams_is_404_and_joins_nothing(api_as, session, crew):
    before = memberships(session)
    ada = make_user(session)
    response = api_as(ada).post(
        JOIN,
        json={
            "code": crew["team"].invite_code[:-1]
            + ("A" if crew["team"].invite_code[-1] != "A" else "B")
        },
    )
    assert response.status_code == 404
    assert memberships(session) == before
