# ruff: noqa: F811 (the tests take the imported fixture ``world`` by its name)
"""The privacy crawl's world (tests/web/test_privacy_crawl.py) read through the
API: every chain, team, week and listing of chains, explore and teams, asked
for by every reference there is, shows a stranger and a team co-member none of
anyone's private strings, and shows team strings to nobody outside the team."""

import pytest
from sqlalchemy import select

from kindness.domain.teams import membership, weeks
from kindness.models import Act, Team, TeamWeek
from tests.clock import TODAY
from tests.factories import make_act, make_user

# The crawl's world, as a fixture of this module too (its name is each test's argument).
from tests.web.test_privacy_crawl import PRIVATE_MARKERS, TEAM_MARKER, world  # noqa: F401

pytestmark = pytest.mark.usefixtures("clock")
TEAM_STRINGS = ("TEAMMARKER-team", "TEAMMARKER-description", "TEAMMARKER-week-act")


@pytest.fixture
def hidden_team(session, world):
    """A private team of Ben's with a week and a team act in it."""
    team = membership.create(session, world["ben"], name="TEAMMARKER-team",
                             description="TEAMMARKER-description", is_public=False)  # fmt: skip
    weeks.schedule_week(session, team, world["ben"], TODAY, TODAY)
    session.commit()
    make_act(session, world["ben"], TODAY, what="TEAMMARKER-week-act", visibility="team")
    return team


def read_everything(client, session) -> dict[str, str]:
    """Every operation of chains, explore and teams, for every reference in the database."""
    paths = ["/api/v1/explore/chains", "/api/v1/explore/teams", "/api/v1/teams"]
    for words in ("PRIVMARKER", "TEAMMARKER", "privmarker act", "Public"):
        paths.append(f"/api/v1/explore/chains?q={words}")
        paths.append(f"/api/v1/explore/teams?q={words}")
    for sort in ("reach", "generations", "newest", "grown"):
        paths.append(f"/api/v1/explore/chains?sort={sort}")
    refs = session.scalars(select(Act.ref)).all()
    for ref in refs:
        paths.append(f"/api/v1/chains/{ref}")
        paths.extend(f"/api/v1/chains/{ref}?open={other}" for other in refs)
    for slug in session.scalars(select(Team.slug)):
        paths.extend((f"/api/v1/teams/{slug}", f"/api/v1/teams/{slug}/weeks"))
        for week_id in session.scalars(select(TeamWeek.id)):
            paths.append(f"/api/v1/teams/{slug}/weeks/{week_id}/tally")
    bodies = {}
    for path in paths:
        response = client.get(path)
        assert response.status_code in (200, 404), path
        # A refusal names the path asked for (its ``instance``): the asker's own words.
        bodies[path] = response.get_data(as_text=True).replace(path.partition("?")[0], "")
    return bodies


def assert_clean(bodies, forbidden):
    assert len(bodies) > 30
    for path, body in bodies.items():
        for marker in forbidden:
            assert marker.lower() not in body.lower(), (marker, path)


def test_a_stranger_reads_no_private_or_team_string(api_as, session, world, hidden_team):
    bodies = read_everything(api_as(make_user(session), "read"), session)
    assert_clean(bodies, (*PRIVATE_MARKERS, TEAM_MARKER, *TEAM_STRINGS))
    assert any("Public start" in body for body in bodies.values())


def test_a_co_member_reads_team_acts_but_no_private_string(api_as, session, world, hidden_team):
    bodies = read_everything(api_as(world["mate"], "read"), session)
    # Mate shares the public team with Ben, not the hidden one: Ben's team acts
    # show to Mate (whichever team), the hidden team's name and description do not.
    assert_clean(bodies, (*PRIVATE_MARKERS, "TEAMMARKER-team", "TEAMMARKER-description"))
    assert any(TEAM_MARKER in body for body in bodies.values())


def test_a_member_of_the_hidden_team_reads_its_strings_but_no_private_one(
    api_as,
    session,
    world,
    hidden_team,
):
    membership.join(session, hidden_team.invite_code, world["ada"], TODAY)
    session.commit()
    bodies = read_everything(api_as(world["ada"], "read"), session)
    # Ada's own acts, contact and note are hers to read; Ben's private act is not.
    assert_clean(bodies, ('PRIVMARKER-act"',))
    assert not any('"what":"PRIVMARKER-act"' in body.replace(" ", "") for body in bodies.values())
    joined = "\n".join(bodies.values())
    assert "TEAMMARKER-team" in joined and "TEAMMARKER-description" in joined
