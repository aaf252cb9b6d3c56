"""A person's weeks as dates: their own (not given up) and their teams'."""

from datetime import timedelta

import pytest

from kindness.domain import calendar, challenges
from kindness.domain.calendar import Week
from kindness.domain.teams import membership, weeks
from tests.clock import TODAY
from tests.factories import make_challenge, make_user


def day(offset: int):
    return TODAY + timedelta(days=offset)


@pytest.fixture
def ada(session):
    return make_user(session, display_name="Ada")


def make_team(session, owner, name: str, *members):
    team = membership.create(session, owner, name=name, description=None, is_public=False)
    for member in members:
        membership.join(session, team.invite_code, member, TODAY)
    session.commit()
    return team


def schedule(session, team, owner, starts_on):
    week = weeks.schedule_week(session, team, owner, starts_on, TODAY)
    session.commit()
    return week


def test_the_person_s_own_week(session, ada):
    challenge = make_challenge(session, ada, day(2), today=TODAY)
    found = calendar.weeks_of(session, ada.id, day(0), day(30))
    assert found == [Week(starts_on=day(2), ends_on=day(8), id=challenge.id)]
    assert calendar.weeks_of(session, make_user(session).id, day(0), day(30)) == []


def test_a_week_given_up_is_no_longer_a_week(session, ada):
    challenge = make_challenge(session, ada, TODAY)
    challenges.abandon(session, ada, challenge.id, TODAY)
    session.commit()
    assert calendar.weeks_of(session, ada.id, day(-10), day(10)) == []
    assert not calendar.in_a_week(session, ada.id, TODAY)


def test_weeks_of_the_person_s_teams_only(session, ada):
    bea = make_user(session)
    ours = make_team(session, bea, "Night Shift", ada)
    theirs = make_team(session, bea, "Book Club")
    week = schedule(session, ours, bea, day(3))
    schedule(session, theirs, bea, day(3))
    found = calendar.weeks_of(session, ada.id, day(0), day(30))
    assert found == [
        Week(starts_on=day(3), ends_on=day(9), team_name="Night Shift", team_slug=ours.slug,
             id=week.id)
    ]  # fmt: skip
    assert len(calendar.weeks_of(session, bea.id, day(0), day(30))) == 2


def test_only_weeks_touching_the_dates(session, ada):
    make_challenge(session, ada, day(5), today=TODAY)
    assert calendar.weeks_of(session, ada.id, day(-20), day(4)) == []
    assert calendar.weeks_of(session, ada.id, day(12), day(40)) == []
    assert len(calendar.weeks_of(session, ada.id, day(11), day(11))) == 1
    assert len(calendar.weeks_of(session, ada.id, day(0), day(5))) == 1


def test_overlapping_weeks_share_their_dates(session, ada):
    bea = make_user(session)
    team = make_team(session, bea, "Night Shift", ada)
    own = make_challenge(session, ada, day(0), today=TODAY)
    team_week = schedule(session, team, bea, day(4))
    found = calendar.weeks_of(session, ada.id, day(-30), day(120))
    assert [week.id for week in found] == [own.id, team_week.id]
    days = calendar.by_day(found, day(-30), day(120))
    assert list(days) == [day(n) for n in range(11)]
    for offset in range(11):
        names = [week.team_name for week in days[day(offset)]]
        expected = ([None] if offset <= 6 else []) + (["Night Shift"] if offset >= 4 else [])
        assert names == expected, offset
    for offset in (0, 4, 6, 10):
        assert calendar.in_a_week(session, ada.id, day(offset))
    for offset in (-1, 11):
        assert not calendar.in_a_week(session, ada.id, day(offset))


def test_by_day_keeps_to_the_dates_asked(session, ada):
    make_challenge(session, ada, day(0), today=TODAY)
    found = calendar.weeks_of(session, ada.id, day(2), day(4))
    assert list(calendar.by_day(found, day(2), day(4))) == [day(2), day(3), day(4)]
    assert calendar.by_day([], day(0), day(100)) == {}
