"""The public team directory (/explore/teams): public teams only, by name or
newest, searchable, 20 a page, each with its member count and its running or
next week; never an act's text, never a private team, and a fixed number of
queries whatever the number of teams and members."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import insert, select

from kindness.domain.teams import directory, membership, weeks
from kindness.models import Membership, Team, TeamWeek
from tests.clock import TODAY
from tests.factories import make_act, make_user

pytestmark = pytest.mark.usefixtures("clock")

# Measured on SQLite and PostgreSQL: the signed-in user, the unread count, the
# page of teams with their member counts, and their weeks.
BUDGET = 4


def team(session, owner, name, description=None, public=True, members=()):
    made = membership.create(session, owner, name=name, description=description, is_public=public)
    for member in members:
        membership.join(session, made.invite_code, member, TODAY)
    session.commit()
    return made


def names(page: str) -> list[str]:
    return re.findall(r'<h2><a href="/teams/[^"]+">([^<]+)</a></h2>', page)


@pytest.fixture
def ada(session):
    return make_user(session, display_name="Ada")


def test_only_public_teams_and_no_acts_text(app, session, ada, log_in):
    bea = make_user(session)
    choir = team(session, ada, "Choir", "We sing on Sundays", members=[bea])
    team(session, ada, "Secret Society", "Hush-hush plans", public=False)
    weeks.schedule_week(session, choir, ada, TODAY, TODAY)
    session.commit()
    make_act(session, bea, TODAY, what="PrivateActMarker")
    make_act(session, bea, TODAY, what="TeamActMarker", visibility="team")
    make_act(session, ada, TODAY, what="PublicActMarker", visibility="public")
    for client in (app.test_client(), log_in(make_user(session))):
        page = client.get("/explore/teams")
        assert page.status_code == 200
        assert names(page.text) == ["Choir"]
        assert "We sing on Sundays" in page.text and "2 members" in page.text
        assert "This week: Nov 26, 2026 to Dec 2, 2026" in page.text
        for hidden in ("Secret Society", "Hush-hush", "ActMarker"):
            assert hidden not in page.text
        # Joining is by invite only: no join button, no invite code.
        assert "/teams/join/" not in page.text and choir.invite_code not in page.text
        assert '<form method="post"' not in page.text.split("<main", 1)[1].split("</main>")[0]


def test_explore_links_to_the_directory(client):
    assert 'href="/explore/teams"' in client.get("/explore").text


def test_search_by_name_or_description_in_any_case(session, ada, client):
    team(session, ada, "Café Crew", "Coffee for the night shift")
    team(session, ada, "Garden Club", "We plant trees")
    team(session, ada, "100% Kind", "Percent signs are no wildcards")
    assert names(client.get("/explore/teams?q=CAFÉ").text) == ["Café Crew"]
    assert names(client.get("/explore/teams?q=trees").text) == ["Garden Club"]
    assert names(client.get("/explore/teams?q=night+SHIFT").text) == ["Café Crew"]
    assert names(client.get("/explore/teams?q=%25").text) == ["100% Kind"]
    nothing = client.get("/explore/teams?q=nobody")
    assert names(nothing.text) == [] and "No public team matches yet." in nothing.text


def test_sorted_by_name_or_newest_never_by_size(session, ada, client, clock):
    crowd = [make_user(session) for _ in range(3)]
    for name, members in (("beta", crowd), ("Alpha", ()), ("gamma", crowd[:1])):
        team(session, ada, name, members=members)
        clock.shift(timedelta(minutes=1))
    assert names(client.get("/explore/teams").text) == ["Alpha", "beta", "gamma"]
    assert names(client.get("/explore/teams?sort=name").text) == ["Alpha", "beta", "gamma"]
    assert names(client.get("/explore/teams?sort=newest").text) == ["gamma", "Alpha", "beta"]
    assert set(directory.ORDERS) == {"name", "newest"}
    for bad in ("members", "size", "activity", "acts"):
        assert client.get(f"/explore/teams?sort={bad}").status_code == 400


def test_twenty_a_page_and_bad_page_numbers(session, ada, client):
    for number in range(25):
        team(session, ada, f"Team {number:02d}")
    first = client.get("/explore/teams")
    assert names(first.text) == [f"Team {n:02d}" for n in range(20)]
    assert 'rel="next" href="/explore/teams?page=2"' in first.text
    second = client.get("/explore/teams?page=2")
    assert names(second.text) == [f"Team {n:02d}" for n in range(20, 25)]
    assert 'rel="prev"' in second.text and 'rel="next"' not in second.text
    searched = client.get("/explore/teams?q=team&sort=newest")
    assert (
        "page=2" in searched.text and "q=team" in searched.text and "sort=newest" in searched.text
    )
    beyond = client.get("/explore/teams?page=9")
    assert beyond.status_code == 200 and names(beyond.text) == []
    for bad in ("0", "-1", "abc", "1.5", "99999999999"):
        response = client.get(f"/explore/teams?page={bad}")
        assert response.status_code == 400, bad
        assert names(response.text) == []
    assert client.get("/explore/teams?q=" + "x" * 101).status_code == 400


def test_each_team_shows_its_running_or_next_week_not_a_cancelled_or_ended_one(
    session, ada, client
):
    running = team(session, ada, "Running")
    coming = team(session, ada, "Coming")
    cancelled = team(session, ada, "Cancelled")
    ended = team(session, ada, "Ended")
    weeks.schedule_week(session, running, ada, TODAY - timedelta(days=3), TODAY - timedelta(days=3))
    weeks.schedule_week(session, running, ada, TODAY + timedelta(days=10), TODAY)
    weeks.schedule_week(session, coming, ada, TODAY + timedelta(days=4), TODAY)
    called_off = weeks.schedule_week(session, cancelled, ada, TODAY + timedelta(days=1), TODAY)
    called_off.cancelled_at = datetime.now(UTC)
    weeks.schedule_week(session, ended, ada, TODAY - timedelta(days=20), TODAY - timedelta(days=20))
    session.commit()
    page = client.get("/explore/teams").text
    entries = dict(re.findall(r">([A-Za-z]+)</a></h2>.*?<p class=\"muted\">(.*?)</p>", page, re.S))
    said = {name: " ".join(text.split()) for name, text in entries.items()}
    assert said["Running"] == "1 member · This week: Nov 23, 2026 to Nov 29, 2026"
    assert said["Coming"] == "1 member · Next week: Nov 30, 2026 to Dec 6, 2026"
    assert said["Cancelled"] == "1 member · No week planned"
    assert said["Ended"] == "1 member · No week planned"


def test_which_week_is_running_is_decided_in_the_teams_time_zone(session, ada, clock):
    """Late on Sunday 29 November in New York it is already Monday in Tokyo: a week
    ending on the 29th still runs for a team in New York, not for one in Tokyo."""
    east = team(session, ada, "East")
    west = team(session, ada, "West")
    for made in (east, west):
        start = TODAY - timedelta(days=3)
        weeks.schedule_week(session, made, ada, start, today=start)
    east.time_zone, west.time_zone = "Asia/Tokyo", "America/New_York"
    session.commit()
    moment = datetime(2026, 11, 30, 3, 0, tzinfo=UTC)  # 22:00 on the 29th in New York
    found = {e.name: e.week for e in directory.listing(session, now=moment).entries}
    assert found["East"] is None
    assert found["West"] is not None and found["West"].running
    assert found["West"].ends_on.isoformat() == "2026-11-29"


def add_public_teams(session, owner, count, start):
    """``count`` public teams of one owner, each with a running week (plain inserts:
    the page, not the set-up, is measured)."""
    session.execute(
        insert(Team),
        [{"slug": f"t{n}", "name": f"T{n}", "name_key": f"t{n}", "is_public": True,
          "invite_code": f"code{n}", "time_zone": "Europe/Berlin"}
         for n in range(start, start + count)],
    )  # fmt: skip
    ids = session.scalars(select(Team.id).where(Team.slug.like("t%"))).all()
    fresh = [team_id for team_id in ids if team_id not in _seen(session)]
    session.execute(
        insert(Membership),
        [{"team_id": tid, "user_id": owner.id, "role": "owner"} for tid in fresh],
    )
    session.execute(
        insert(TeamWeek),
        [
            {"team_id": tid, "starts_on": TODAY, "ends_on": TODAY + timedelta(days=6)}
            for tid in fresh
        ],
    )
    session.commit()


def _seen(session):
    return set(session.scalars(select(Membership.team_id)))


def test_a_fixed_number_of_queries_for_5_and_500_teams_and_members(
    session, ada, log_in, count_queries
):
    client = log_in(ada)
    crowd = team(session, ada, "A crowd", "Many of us")
    add_public_teams(session, ada, 4, 0)
    with count_queries() as few:
        page = client.get("/explore/teams")
    assert len(names(page.text)) == 5 and "This week" in page.text
    session.execute(
        insert(Membership),
        [{"team_id": crowd.id, "user_id": make_user(session).id, "role": "member"}
         for _ in range(499)],
    )  # fmt: skip
    add_public_teams(session, ada, 495, 4)
    session.commit()
    with count_queries() as many:
        page = client.get("/explore/teams")
    assert len(names(page.text)) == 20 and "500 members" in page.text
    assert few.count == many.count <= BUDGET
