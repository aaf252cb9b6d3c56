"""Which letter hours are due at a moment, by each time zone's own rules."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from kindness.domain.notices.letters import due_hours


def hours_of_a_day(time_zone: str, day: date, step=timedelta(hours=1)) -> dict[int, list[int]]:
    """Each letter hour with the UTC hours at which it is due on the local ``day``
    (23, 24 or 25 hours long), looked at every ``step`` from local midnight."""
    place = ZoneInfo(time_zone)
    moment = datetime.combine(day, time(0), place).astimezone(UTC)
    end = datetime.combine(day + timedelta(days=1), time(0), place).astimezone(UTC)
    due: dict[int, list[int]] = {}
    while moment < end:
        for hour in due_hours(time_zone, moment):
            due.setdefault(hour, []).append(moment.hour)
        moment += step
    return due


@pytest.mark.parametrize(
    ("time_zone", "utc_hour"),
    [("Asia/Tokyo", 22), ("America/Los_Angeles", 15), ("Europe/Berlin", 6), ("UTC", 7)],
)
def test_seven_in_the_morning_is_due_once_at_its_utc_hour(time_zone, utc_hour):
    due = hours_of_a_day(time_zone, date(2026, 11, 26))
    assert due[7] == [utc_hour]
    assert sorted(due) == list(range(24))


def test_a_half_hour_zone_is_due_at_the_half_hour():
    # Asia/Kolkata is UTC+5:30: 08:00 there is 02:30 UTC.
    assert due_hours("Asia/Kolkata", datetime(2026, 11, 26, 2, 30, tzinfo=UTC)) == {8}
    assert due_hours("Asia/Kolkata", datetime(2026, 11, 26, 2, 29, tzinfo=UTC)) == {7}


def test_spring_forward_gives_the_skipped_hour_with_the_next():
    # Los Angeles, 8 March 2026: 02:00 PST jumps to 03:00 PDT (10:00 UTC).
    due = hours_of_a_day("America/Los_Angeles", date(2026, 3, 8))
    assert due[2] == [10] and due[3] == [10]
    assert due[7] == [14]  # PDT, UTC-7
    assert sorted(due) == list(range(24))
    assert all(len(utc_hours) == 1 for utc_hours in due.values())


def test_fall_back_lives_one_hour_twice():
    # Los Angeles, 1 November 2026: 02:00 PDT falls back to 01:00 PST (09:00 UTC).
    due = hours_of_a_day("America/Los_Angeles", date(2026, 11, 1))
    assert due[1] == [8, 9]  # the letter's key makes it once
    assert due[7] == [15]  # PST, UTC-8


def test_an_unknown_zone_counts_as_utc():
    assert due_hours("Mars/Olympus_Mons", datetime(2026, 11, 26, 9, 15, tzinfo=UTC)) == {9}
