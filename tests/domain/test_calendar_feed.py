"""The calendar feed's rules: its secret link, and the dates it holds."""

from datetime import UTC, datetime, timedelta

import pytest

from kindness.domain import calendar_feed, ideas
from kindness.domain.errors import NotFound
from kindness.domain.teams import membership, weeks
from tests.clock import TODAY
from tests.factories import make_challenge, make_user


def test_a_link_opens_its_owner_s_feed_until_replaced_or_stopped(session):
    ada = make_user(session)
    first = calendar_feed.make_link(session, ada)
    assert len(first) == 43
    assert calendar_feed.owner_of(session, first) is ada
    second = calendar_feed.make_link(session, ada)
    assert second != first
    with pytest.raises(NotFound):
        calendar_feed.owner_of(session, first)
    assert calendar_feed.owner_of(session, second) is ada
    calendar_feed.stop(session, ada)
    assert ada.calendar_token is None
    with pytest.raises(NotFound):
        calendar_feed.owner_of(session, second)


@pytest.mark.parametrize("token", ["", "short", "a" * 65, "ä" * 43, "a" * 42 + "'", "a.b" * 15])
def test_malformed_tokens_are_not_found(session, token):
    with pytest.raises(NotFound):
        calendar_feed.owner_of(session, token)


def test_a_suspended_person_has_no_feed(session):
    ada = make_user(session)
    token = calendar_feed.make_link(session, ada)
    ada.suspended_at = datetime.now(UTC)
    session.flush()
    with pytest.raises(NotFound):
        calendar_feed.owner_of(session, token)


def test_days_number_each_week_s_days_own_week_first(session):
    ada, bea = make_user(session), make_user(session)
    team = membership.create(session, bea, name="Night Shift", description=None, is_public=False)
    membership.join(session, team.invite_code, ada, TODAY)
    weeks.schedule_week(session, team, bea, TODAY, TODAY)
    make_challenge(session, ada, TODAY + timedelta(days=2), today=TODAY)
    days = calendar_feed.days(session, ada, TODAY)
    assert [d.day for d in days] == [TODAY + timedelta(days=n) for n in range(9)]
    overlap = days[3]
    assert [(w.week.team_name, w.number) for w in overlap.weeks] == [(None, 2), ("Night Shift", 4)]
    assert [(w.week.team_name, w.number) for w in days[0].weeks] == [("Night Shift", 1)]
    assert [d.idea_number for d in days] == [
        ideas.number_of_the_day(ada.id, d.day, set()) for d in days
    ]


def test_days_keep_to_the_window(session):
    ada = make_user(session)
    make_challenge(session, ada, TODAY - timedelta(days=33), today=TODAY - timedelta(days=33))
    days = calendar_feed.days(session, ada, TODAY)
    first = TODAY - timedelta(days=calendar_feed.DAYS_BACK)
    assert [d.day for d in days] == [first + timedelta(days=n) for n in range(4)]
    assert [d.weeks[0].number for d in days] == [4, 5, 6, 7]
    assert calendar_feed.days(session, ada, TODAY + timedelta(days=10)) == []
