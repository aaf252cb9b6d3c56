"""Local dates and weeks: the seven days of a week and when one may start."""

from datetime import date, timedelta

import pytest

from kindness.domain import challenges
from kindness.domain.dates import (
    check_week_start,
    days_from,
    latest_week_start,
    week_days,
    week_ends_on,
)
from kindness.domain.errors import InvalidInput
from kindness.domain.teams import weeks
from tests.clock import TODAY


def test_a_week_is_seven_consecutive_days_across_a_month_and_a_year():
    days = week_days(date(2026, 12, 29))
    assert days == [date(2026, 12, 29) + timedelta(days=n) for n in range(7)]
    assert days[-1] == week_ends_on(date(2026, 12, 29)) == date(2027, 1, 4)
    assert len(set(days)) == 7


def test_days_from_includes_both_ends():
    assert days_from(TODAY, TODAY) == [TODAY]
    assert days_from(TODAY, TODAY + timedelta(days=2)) == [
        TODAY,
        TODAY + timedelta(days=1),
        TODAY + timedelta(days=2),
    ]
    assert days_from(TODAY, TODAY - timedelta(days=1)) == []


@pytest.mark.parametrize("ahead", [challenges.SCHEDULE_AHEAD_DAYS, weeks.SCHEDULE_AHEAD_DAYS])
def test_a_week_starts_today_or_up_to_the_limit_ahead(ahead):
    assert latest_week_start(TODAY, ahead) == TODAY + timedelta(days=ahead)
    for starts_on in (TODAY, TODAY + timedelta(days=1), latest_week_start(TODAY, ahead)):
        check_week_start(starts_on, TODAY, ahead)  # no error
    with pytest.raises(InvalidInput, match="cannot start in the past") as past:
        check_week_start(TODAY - timedelta(days=1), TODAY, ahead)
    with pytest.raises(InvalidInput, match=f"at most {ahead} days ahead") as late:
        check_week_start(TODAY + timedelta(days=ahead + 1), TODAY, ahead)
    assert past.value.field == late.value.field == "starts_on"
