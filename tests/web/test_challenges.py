"""Personal weeks: the rules, derived progress and the pages."""

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from kindness.domain import challenges
from kindness.domain.errors import InvalidInput, RuleViolation
from kindness.models import Challenge
from tests.clock import TODAY
from tests.factories import make_act, make_acts, make_challenge, make_contact, make_user

pytestmark = pytest.mark.usefixtures("clock")


@pytest.fixture
def ada(session):
    return make_user(session, email="ada@example.org", display_name="Ada")


@pytest.fixture
def logged_in(client, ada, log_in):
    log_in(ada, client)
    return ada


def count(session) -> int:
    session.expire_all()
    return session.scalar(select(func.count(Challenge.id)))


def test_start_today_after_the_pledge(client, session, logged_in):
    assert "without expecting anything back" in client.get("/challenges/new").get_data(as_text=True)
    response = client.post("/challenges/new", data={"pledge": "y"})
    assert response.status_code == 302
    challenge = session.scalars(select(Challenge)).one()
    assert (challenge.starts_on, challenge.ends_on) == (TODAY, TODAY + timedelta(days=6))
    dashboard = client.get("/").get_data(as_text=True)
    assert "0 of 7 days" in dashboard


def test_the_pledge_must_be_ticked(client, session, logged_in):
    response = client.post("/challenges/new", data={"starts_on": TODAY.isoformat()})
    assert "tick the no-strings pledge" in response.get_data(as_text=True)
    assert count(session) == 0


@pytest.mark.parametrize(
    ("starts_on", "message"),
    [
        (TODAY - timedelta(days=1), "cannot start in the past"),
        (TODAY + timedelta(days=15), "at most 14 days ahead"),
        ("someday", "Not a valid date value"),
    ],
)
def test_scheduling_limits(client, session, logged_in, starts_on, message):
    value = starts_on.isoformat() if isinstance(starts_on, date) else starts_on
    response = client.post("/challenges/new", data={"pledge": "y", "starts_on": value})
    assert message in response.get_data(as_text=True)
    assert count(session) == 0


def test_schedule_fourteen_days_ahead(client, session, logged_in):
    later = TODAY + timedelta(days=14)
    client.post("/challenges/new", data={"pledge": "y", "starts_on": later.isoformat()})
    assert session.scalars(select(Challenge)).one().starts_on == later
    assert "Your week starts on" in client.get("/").get_data(as_text=True)


def test_one_active_or_scheduled_week_at_a_time(client, session, logged_in):
    make_challenge(session, logged_in, TODAY + timedelta(days=3), today=TODAY)
    response = client.post("/challenges/new", data={"pledge": "y"})
    assert "already have a week running or scheduled" in response.get_data(as_text=True)
    assert count(session) == 1
    with pytest.raises(RuleViolation):
        challenges.start(session, logged_in, starts_on=TODAY, pledged=True, today=TODAY)


def test_a_new_week_after_the_last_one_finished_or_was_abandoned(session, ada):
    old = make_challenge(session, ada, TODAY - timedelta(days=7), today=TODAY - timedelta(days=7))
    assert challenges.status(old, TODAY) == "finished"
    current = make_challenge(session, ada, TODAY)
    challenges.abandon(session, ada, current.id, TODAY)
    assert challenges.status(current, TODAY) == "abandoned"
    again = challenges.start(session, ada, starts_on=TODAY, pledged=True, today=TODAY)
    assert challenges.status(again, TODAY) == "active"


def test_abandon_after_confirming(client, session, logged_in):
    challenge = make_challenge(session, logged_in, TODAY)
    page = client.get(f"/challenges/{challenge.id}/abandon").get_data(as_text=True)
    assert "Set the week aside?" in page
    assert client.post(f"/challenges/{challenge.id}/abandon").status_code == 302
    session.expire_all()
    assert session.get(Challenge, challenge.id).abandoned_at is not None
    again = client.post(f"/challenges/{challenge.id}/abandon", follow_redirects=True)
    assert "Only a running or scheduled week can be abandoned" in again.get_data(as_text=True)


def test_progress_is_derived_from_act_dates(session, ada):
    challenge = make_challenge(session, ada, TODAY - timedelta(days=3), today=TODAY - timedelta(3))
    grete = make_contact(session, ada, "Grete")
    make_act(session, ada, TODAY - timedelta(days=3), contact=grete)
    make_act(session, ada, TODAY - timedelta(days=3), contact=grete)
    make_act(session, ada, TODAY - timedelta(days=1))
    make_act(session, ada, TODAY)
    make_act(session, ada, TODAY - timedelta(days=4))  # the day before the week
    progress = challenges.progress(session, challenge)
    assert progress.days_with_act == 3
    assert progress.acts_per_day[TODAY - timedelta(days=3)] == 2
    # Grete once, and two unnamed people.
    assert (progress.tally.acts, progress.tally.people_helped) == (4, 3)


def test_an_act_counts_for_a_personal_and_a_team_shaped_window_at_once(session, ada):
    personal = make_challenge(session, ada, TODAY - timedelta(days=5), today=TODAY - timedelta(5))
    make_acts(session, ada, [TODAY - timedelta(days=n) for n in range(8)])
    # A team week that overlaps the personal one by three days.
    team = challenges.window_progress(
        session, ada.id, TODAY - timedelta(days=2), TODAY + timedelta(days=4)
    )
    personal_progress = challenges.progress(session, personal)
    assert personal_progress.days_with_act == 6
    assert team.days_with_act == 3
    shared = set(personal_progress.acts_per_day) & set(team.acts_per_day)
    assert shared == {TODAY, TODAY - timedelta(days=1), TODAY - timedelta(days=2)}


def test_finished_week_summary_and_reflection(client, session, logged_in):
    start = TODAY - timedelta(days=10)
    challenge = make_challenge(session, logged_in, start, today=start)
    make_acts(session, logged_in, [start, start + timedelta(days=1), start + timedelta(days=1)])
    page = client.get(f"/challenges/{challenge.id}").get_data(as_text=True)
    assert "Summary" in page and "2 of 7 days" in page
    assert "3</strong> acts" in page
    response = client.post(
        f"/challenges/{challenge.id}/reflection", data={"reflection": "It felt good."}
    )
    assert response.status_code == 302
    session.expire_all()
    assert session.get(Challenge, challenge.id).reflection == "It felt good."
    listing = client.get("/challenges").get_data(as_text=True)
    assert "Finished" in listing and "3</strong> acts" in listing


def test_reflection_only_after_the_week_and_not_too_long(client, session, logged_in):
    challenge = make_challenge(session, logged_in, TODAY)
    early = client.post(
        f"/challenges/{challenge.id}/reflection",
        data={"reflection": "Early"},
        follow_redirects=True,
    )
    assert "from the last day of the week on" in early.get_data(as_text=True)
    with pytest.raises(InvalidInput):
        old = make_challenge(
            session, make_user(session), TODAY - timedelta(days=9), today=TODAY - timedelta(days=9)
        )
        challenges.reflect(
            session, session.get(type(logged_in), old.user_id), old.id, "x" * 2001, TODAY
        )
    session.expire_all()
    assert session.get(Challenge, challenge.id).reflection is None


def test_strip_reads_days_without_streak_wording(client, session, logged_in):
    challenge = make_challenge(
        session, logged_in, TODAY - timedelta(days=4), today=TODAY - timedelta(4)
    )
    make_acts(session, logged_in, [TODAY - timedelta(days=n) for n in (0, 1, 3, 4)])
    page = client.get("/").get_data(as_text=True)
    assert "4 of 7 days" in page
    assert "streak" not in page.lower()
    assert challenge.id


def test_the_last_day_of_a_week_asks_how_it_was(client, session, logged_in):
    challenge = make_challenge(
        session, logged_in, TODAY - timedelta(days=6), today=TODAY - timedelta(days=6)
    )
    page = client.get(f"/challenges/{challenge.id}").get_data(as_text=True)
    assert 'id="reflection-heading"' in page
    response = client.post(f"/challenges/{challenge.id}/reflection", data={"reflection": "Lovely."})
    assert response.status_code == 302
    session.expire_all()
    assert session.get(Challenge, challenge.id).reflection == "Lovely."
