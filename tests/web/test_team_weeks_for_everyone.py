"""The team week is everyone's week: it shows on each member's dashboard and Weeks
page and in their inbox (scheduled, moved, cancelled, begun); owners and admins
move or cancel a week that has not ended; the tick tells a week began in its
team's time zone, once."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from kindness.domain.dates import today_for
from kindness.domain.teams import member_weeks, membership, weeks
from kindness.jobs import periodic
from kindness.models import Notification, Team, TeamWeek, TeamWeekMember
from tests.clock import TODAY
from tests.factories import make_act, make_crew, make_user

pytestmark = pytest.mark.usefixtures("clock")


@pytest.fixture
def crew(app, session):
    """owner, admin, member in a private team (Berlin), and a stranger."""
    return make_crew(session, description=None)


def notices(session, kind=None):
    session.expire_all()
    query = select(Notification.user_id, Notification.kind, Notification.team_week_id)
    if kind:
        query = query.where(Notification.kind == kind)
    return sorted(session.execute(query.order_by(Notification.id)).all())


def week_row(session, week_id):
    session.expire_all()
    week = session.get(TeamWeek, week_id)
    return week.starts_on, week.ends_on, week.cancelled_at


# -- the member's pages ------------------------------------------------------


def test_a_scheduled_then_running_week_on_the_members_dashboard_and_weeks_page(
    session, crew, log_in
):
    team, owner, member = crew["team"], crew["owner"], crew["member"]
    client = log_in(member)
    page = client.get("/").get_data(as_text=True)
    assert "Team week:" not in page
    assert "Start whenever you are ready" in page
    assert "No week yet." in client.get("/challenges").get_data(as_text=True)

    coming = weeks.schedule_week(session, team, owner, TODAY + timedelta(days=8), TODAY)
    session.commit()
    page = client.get("/").get_data(as_text=True)
    assert "Team week: Night Shift" in page
    assert "Scheduled" in page and "Your team: no act yet" in page
    assert f'href="/teams/{team.slug}/weeks/{coming.id}"' in page
    assert "Your team's week counts for you too" in page
    listing = client.get("/challenges").get_data(as_text=True)
    assert "No week yet." not in listing and "Your teams' weeks" in listing
    assert "Night Shift · Scheduled" in listing

    # Running: the member's own acts beside the team's collective tally.
    running = weeks.schedule_week(session, team, owner, TODAY - timedelta(days=0), TODAY)
    session.commit()
    make_act(session, member, TODAY, what="Mia helps")
    make_act(session, owner, TODAY)
    make_act(session, owner, TODAY - timedelta(days=1))  # before the week: not in it
    make_act(session, crew["stranger"], TODAY)  # not a member
    page = client.get("/").get_data(as_text=True)
    assert f'href="/teams/{team.slug}/weeks/{running.id}"' in page
    assert f"/weeks/{coming.id}" not in page  # one card per team: the running one
    # ... which names the week scheduled after it.
    assert "Next team week: Dec 4, 2026 to Dec 10, 2026" in page
    assert "Running now" in page
    assert "<strong>1</strong> act of yours" in page
    assert "Your team: 2 acts by 2 members" in page
    assert 'id="team-week-' in page  # the week strip
    listing = client.get("/challenges").get_data(as_text=True)
    assert "Night Shift · Running now" in listing and "Night Shift · Scheduled" in listing

    for week in (running, coming):
        weeks.cancel_week(session, team, owner, week.id, TODAY)
    session.commit()
    page = client.get("/").get_data(as_text=True)
    assert "Team week:" not in page
    assert "No week yet." in client.get("/challenges").get_data(as_text=True)


def test_the_days_of_a_team_week_are_the_teams_own(session, crew):
    """Late evening in New York is already the next day in Tokyo: a Tokyo team's
    week that starts then is running for its member in New York."""
    team, owner, member = crew["team"], crew["owner"], crew["member"]
    team.time_zone = "Asia/Tokyo"
    member.time_zone = "America/New_York"
    session.commit()
    now = datetime(2026, 11, 26, 22, tzinfo=UTC)  # Thu 17:00 in New York, Fri 7:00 in Tokyo
    friday = TODAY + timedelta(days=1)
    week = weeks.schedule_week(session, team, owner, friday, TODAY)
    session.commit()
    [shown] = member_weeks.on_dashboard(session, member, now)
    assert shown.week.id == week.id and shown.today == friday and shown.status == "active"
    [listed] = member_weeks.listed(session, member, now)
    assert listed.status == "active"


def test_the_dashboard_takes_the_same_queries_for_one_team_or_five_big_ones(
    session, crew, count_queries, log_in
):
    member = crew["member"]
    weeks.schedule_week(session, crew["team"], crew["owner"], TODAY, TODAY)
    session.commit()
    make_act(session, member, TODAY)
    client = log_in(member)
    with count_queries() as few:
        assert "Team week: Night Shift" in client.get("/").get_data(as_text=True)
    for number in range(4):
        owner = make_user(session)
        team = membership.create(
            session, owner, name=f"Team {number}", description=None, is_public=False
        )
        membership.join(session, team.invite_code, member, TODAY)
        for _ in range(12):
            mate = make_user(session)
            membership.join(session, team.invite_code, mate, TODAY)
        weeks.schedule_week(session, team, owner, TODAY + timedelta(days=number), TODAY)
        session.commit()
        make_act(session, owner, TODAY + timedelta(days=number))
    with count_queries() as many:
        page = client.get("/").get_data(as_text=True)
    assert page.count("Team week:") == 5
    assert few.count == many.count
    assert many.count <= 14  # the budget of tests/web/test_query_budgets.py


# -- moving and cancelling ---------------------------------------------------


@pytest.mark.parametrize("who", ["owner", "admin"])
def test_managers_move_and_cancel_a_week_and_the_members_are_told(session, crew, log_in, who):
    team, actor = crew["team"], crew[who]
    week = weeks.schedule_week(session, team, crew["owner"], TODAY + timedelta(days=5), TODAY)
    session.commit()
    client = log_in(actor)
    page = client.get(f"/teams/{team.slug}").get_data(as_text=True)
    assert 'name="move-starts_on"' in page and "Cancel this week…" in page

    new_start = TODAY + timedelta(days=20)
    response = client.post(
        f"/teams/{team.slug}/weeks/{week.id}/move", data={"move-starts_on": new_start.isoformat()}
    )
    assert response.status_code == 302
    assert week_row(session, week.id) == (new_start, new_start + timedelta(days=6), None)
    others = sorted(u.id for k, u in crew.items() if k not in (who, "stranger", "team"))
    moved = notices(session, "week_moved")
    assert [user_id for user_id, _kind, _week in moved] == others  # once each, not the actor
    assert {week_id for *_rest, week_id in moved} == {week.id}

    confirm = client.get(f"/teams/{team.slug}/weeks/{week.id}/cancel")
    assert confirm.status_code == 200
    assert "Cancel the week" in confirm.get_data(as_text=True)
    assert client.post(f"/teams/{team.slug}/weeks/{week.id}/cancel").status_code == 302
    assert week_row(session, week.id)[2] is not None
    assert [u for u, _k, _w in notices(session, "week_cancelled")] == others
    page = client.get(f"/teams/{team.slug}/weeks/{week.id}").get_data(as_text=True)
    assert "This week is cancelled." in page and 'name="move-starts_on"' not in page
    # Nothing of a week that will not happen: no tally, chart, CSV or participation.
    assert "day-chart" not in page and ".csv" not in page and "Who took part" not in page
    # A cancelled week frees its days, and is no longer the team's current week.
    assert weeks.current_week(session, team, TODAY) is None
    weeks.schedule_week(session, team, actor, new_start, TODAY)


def test_members_and_strangers_cannot_move_or_cancel(session, crew, log_in):
    team = crew["team"]
    week = weeks.schedule_week(session, team, crew["owner"], TODAY + timedelta(days=5), TODAY)
    session.commit()
    before = week_row(session, week.id)
    data = {"move-starts_on": (TODAY + timedelta(days=20)).isoformat()}
    for who in ("member", "stranger"):
        client = log_in(crew[who])
        page = client.get(f"/teams/{team.slug}").get_data(as_text=True)
        assert "move-starts_on" not in page and "Cancel this week" not in page
        assert client.post(f"/teams/{team.slug}/weeks/{week.id}/move", data=data).status_code == 404
        assert client.get(f"/teams/{team.slug}/weeks/{week.id}/cancel").status_code == 404
        assert client.post(f"/teams/{team.slug}/weeks/{week.id}/cancel").status_code == 404
    # A week of another team, reached through a team one manages: 404 too.
    other = membership.create(
        session, crew["stranger"], name="Elsewhere", description=None, is_public=True
    )
    elsewhere = weeks.schedule_week(
        session, other, crew["stranger"], TODAY + timedelta(days=5), TODAY
    )
    session.commit()
    owner = log_in(crew["owner"])
    assert owner.post(f"/teams/{team.slug}/weeks/{elsewhere.id}/cancel").status_code == 404
    assert owner.post(f"/teams/{team.slug}/weeks/{elsewhere.id}/move", data=data).status_code == 404
    assert week_row(session, week.id) == before
    assert week_row(session, elsewhere.id)[2] is None
    assert notices(session, "week_moved") == notices(session, "week_cancelled") == []


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ((TODAY - timedelta(days=1)).isoformat(), "A week cannot start in the past."),
        ((TODAY + timedelta(days=91)).isoformat(), "at most 90 days ahead"),
        ((TODAY + timedelta(days=12)).isoformat(), "overlaps another week of the team"),
        ((TODAY + timedelta(days=5)).isoformat(), "The week starts on this day already."),
        ("next tuesday", "This field is required."),
        ("", "This field is required."),
    ],
)
def test_a_bad_new_date_is_refused_with_a_message_and_changes_nothing(
    session, crew, log_in, value, message
):
    team, owner = crew["team"], crew["owner"]
    week = weeks.schedule_week(session, team, owner, TODAY + timedelta(days=5), TODAY)
    weeks.schedule_week(session, team, owner, TODAY + timedelta(days=15), TODAY)
    session.commit()
    before, told = week_row(session, week.id), notices(session)
    response = log_in(owner).post(
        f"/teams/{team.slug}/weeks/{week.id}/move", data={"move-starts_on": value}
    )
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert week_row(session, week.id) == before
    assert notices(session) == told


def test_a_running_week_is_cancelled_not_moved_and_a_past_one_neither(session, crew, log_in):
    team, owner = crew["team"], crew["owner"]
    running = weeks.schedule_week(session, team, owner, TODAY, TODAY)
    session.commit()
    client = log_in(owner)
    page = client.get(f"/teams/{team.slug}").get_data(as_text=True)
    assert "it can no longer be moved" in page and "Cancel this week…" in page
    data = {"move-starts_on": (TODAY + timedelta(days=20)).isoformat()}
    response = client.post(f"/teams/{team.slug}/weeks/{running.id}/move", data=data)
    assert response.status_code == 409
    assert "This week has begun" in response.get_data(as_text=True)
    assert week_row(session, running.id)[0] == TODAY

    later = TODAY + timedelta(days=7)
    assert weeks.week_status(running, later) == "finished"
    with pytest.raises(Exception, match="over"), session.begin_nested():
        weeks.cancel_week(session, team, owner, running.id, later)
    assert client.post(f"/teams/{team.slug}/weeks/{running.id}/cancel").status_code == 302
    assert week_row(session, running.id)[2] is not None
    # Cancelling twice tells nobody twice.
    assert client.post(f"/teams/{team.slug}/weeks/{running.id}/cancel").status_code == 302
    assert len(notices(session, "week_cancelled")) == 2


# -- the inbox ----------------------------------------------------------------


def test_the_inbox_tells_of_a_week_scheduled_moved_and_cancelled(session, crew, log_in):
    team, owner, member = crew["team"], crew["owner"], crew["member"]
    owner_client, client = log_in(owner), log_in(member)
    assert (
        owner_client.post(
            f"/teams/{team.slug}/weeks", data={"starts_on": (TODAY + timedelta(days=3)).isoformat()}
        ).status_code
        == 302
    )
    week = session.scalar(select(TeamWeek).where(TeamWeek.team_id == team.id))
    # One notice per member but the one who scheduled it.
    assert notices(session) == sorted(
        (u.id, "week_scheduled", week.id) for u in (crew["admin"], member)
    )
    assert "Nothing yet" in owner_client.get("/inbox").get_data(as_text=True)

    page = client.get("/inbox").get_data(as_text=True)
    assert "Night Shift scheduled a team week: Nov 29, 2026 to Dec 5, 2026." in page
    assert f'href="/teams/{team.slug}/weeks/{week.id}"' in page
    assert 'aria-label="1 unread"' in page
    moved_to = TODAY + timedelta(days=10)
    owner_client.post(
        f"/teams/{team.slug}/weeks/{week.id}/move", data={"move-starts_on": moved_to.isoformat()}
    )
    owner_client.post(f"/teams/{team.slug}/weeks/{week.id}/cancel")
    page = client.get("/inbox").get_data(as_text=True)
    assert "Night Shift moved its team week: now Dec 6, 2026 to Dec 12, 2026." in page
    assert "Night Shift cancelled its team week: Dec 6, 2026 to Dec 12, 2026." in page
    assert 'aria-label="3 unread"' in page

    ids = [str(n.id) for n in session.scalars(select(Notification).filter_by(user_id=member.id))]
    assert client.post("/inbox/read", data={"id": ids}).status_code == 302
    assert 'class="badge"' not in client.get("/inbox").get_data(as_text=True)
    session.expire_all()
    assert (
        session.scalar(
            select(func.count(Notification.id)).where(
                Notification.user_id == member.id, Notification.read_at.is_(None)
            )
        )
        == 0
    )


def test_the_inbox_in_german(session, crew, log_in):
    team, owner, member = crew["team"], crew["owner"], crew["member"]
    member.locale = "de"
    weeks.schedule_week(session, team, owner, TODAY + timedelta(days=3), TODAY)
    session.commit()
    page = log_in(member).get("/inbox").get_data(as_text=True)
    assert "Night Shift hat eine Teamwoche geplant: 29.11.2026 bis 05.12.2026." in page
    assert "Zur Woche des Teams" in page


# -- the tick: a week has begun, in its team's time zone ---------------------


def test_a_newcomer_joins_the_weeks_still_running_in_the_teams_time_zone(
    session, crew, log_in, clock
):
    """Thursday 20:00 UTC is Friday in Tokyo: a Tokyo team's week that ended on
    Thursday is over, although the newcomer in New York still lives Thursday."""
    team, owner = crew["team"], crew["owner"]
    team.time_zone = "Asia/Tokyo"
    ended = weeks.schedule_week(
        session, team, owner, TODAY - timedelta(days=6), TODAY - timedelta(days=6)
    )
    coming = weeks.schedule_week(session, team, owner, TODAY + timedelta(days=4), TODAY)
    newcomer = make_user(session, display_name="Nora", time_zone="America/New_York")
    session.commit()
    clock.move_to(datetime(2026, 11, 26, 20, tzinfo=UTC))
    assert ended.ends_on == TODAY and today_for(newcomer) == TODAY
    assert log_in(newcomer).post(f"/teams/join/{team.invite_code}").status_code == 302
    taking_part = set(
        session.scalars(select(TeamWeekMember.week_id).where(TeamWeekMember.user_id == newcomer.id))
    )
    assert taking_part == {coming.id}


def test_the_tick_tells_a_week_began_once_in_the_teams_time_zone(app, session, crew, clock):
    tokyo, owner = crew["team"], crew["owner"]
    tokyo.time_zone = "Asia/Tokyo"
    new_york = membership.create(
        session, owner, name="Big Apple", description=None, is_public=False
    )
    new_york.time_zone = "America/New_York"
    membership.join(session, new_york.invite_code, crew["member"], TODAY)
    session.commit()
    friday = TODAY + timedelta(days=1)
    in_tokyo = weeks.schedule_week(session, tokyo, owner, friday, TODAY)
    in_new_york = weeks.schedule_week(session, new_york, owner, friday, TODAY)
    session.commit()

    # Thursday 20:00 UTC: Friday 05:00 in Tokyo, Thursday 15:00 in New York.
    clock.move_to(datetime(2026, 11, 26, 20, tzinfo=UTC))
    assert today_for(tokyo) == friday and today_for(new_york) == TODAY
    for _ in range(2):
        periodic.tick(session)
    started = notices(session, "week_started")
    assert started == sorted(
        (u.id, "week_started", in_tokyo.id) for u in (owner, crew["admin"], crew["member"])
    )
    assert session.get(TeamWeek, in_tokyo.id).started_told_at is not None
    assert session.get(TeamWeek, in_new_york.id).started_told_at is None

    # Friday 06:00 in New York: its week begins; Tokyo's is not told again.
    clock.move_to(datetime(2026, 11, 27, 11, tzinfo=UTC))
    periodic.tick(session)
    periodic.tick(session)
    started = notices(session, "week_started")
    assert len(started) == 5
    assert sorted(u for u, _k, w in started if w == in_new_york.id) == sorted(
        [owner.id, crew["member"].id]
    )


def test_a_cancelled_week_is_never_told_as_begun(app, session, crew, clock):
    team, owner = crew["team"], crew["owner"]
    week = weeks.schedule_week(session, team, owner, TODAY + timedelta(days=1), TODAY)
    weeks.cancel_week(session, team, owner, week.id, TODAY)
    session.commit()
    clock.move_to(datetime(2026, 11, 27, 11, tzinfo=UTC))
    periodic.tick(session)
    assert notices(session, "week_started") == []
    assert session.get(Team, team.id) is not None
