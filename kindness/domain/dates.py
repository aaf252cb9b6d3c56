"""Local dates: "today" is today in the user's own time zone; a week is seven
consecutive dates, and when one may start is checked in one place."""

import zoneinfo
from datetime import UTC, date, datetime, timedelta
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flask_babel import lazy_gettext as _l

from kindness.domain.errors import InvalidInput
from kindness.models import CHALLENGE_DAYS


@cache
def time_zones() -> tuple[str, ...]:
    """The zones a person or team may choose, sorted: the IANA places ("Area/City")
    and UTC, without the ``Etc/`` offsets and old aliases that name no place."""
    return tuple(
        sorted(
            name
            for name in zoneinfo.available_timezones()
            if ("/" in name or name == "UTC") and not name.startswith("Etc/")
        )
    )


def check_time_zone(time_zone: str, field: str = "time_zone") -> str:
    """``time_zone`` when it is one of ``time_zones()``, else refused."""
    if time_zone not in _known_zones():
        raise InvalidInput(_l("Choose one of the time zones."), field)
    return time_zone


@cache
def _known_zones() -> frozenset[str]:
    return frozenset(time_zones())


def zone(time_zone: str) -> ZoneInfo:
    try:
        return ZoneInfo(time_zone)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def local_today(time_zone: str, now: datetime | None = None) -> date:
    """Return the calendar date it is now in ``time_zone``."""
    moment = now or datetime.now(UTC)
    return moment.astimezone(zone(time_zone)).date()


def today_for(user_or_team, now: datetime | None = None) -> date:
    """Today in the time zone of a user, or of a team (which decides which day of
    a team week is today)."""
    return local_today(user_or_team.time_zone, now)


def days_from(first: date, last: date) -> list[date]:
    """Every date from ``first`` to ``last``, both included."""
    return [first + timedelta(days=offset) for offset in range((last - first).days + 1)]


def week_ends_on(starts_on: date) -> date:
    """The last of the seven days of a week (a personal or a team one)."""
    return starts_on + timedelta(days=CHALLENGE_DAYS - 1)


def week_days(starts_on: date) -> list[date]:
    """The seven dates of a week starting on ``starts_on``."""
    return days_from(starts_on, week_ends_on(starts_on))


def coming_monday(today: date) -> date:
    """The Monday a week planned today would most likely start on: today when it
    is a Monday (a week may start today), else the next one."""
    return today + timedelta(days=(7 - today.weekday()) % 7)


def latest_week_start(today: date, ahead_days: int) -> date:
    """The last day a week scheduled today may start on."""
    return today + timedelta(days=ahead_days)


def check_week_start(starts_on: date, today: date, ahead_days: int) -> None:
    """A week starts today or on a day at most ``ahead_days`` ahead, never in the past."""
    if starts_on < today:
        raise InvalidInput(_l("A week cannot start in the past."), "starts_on")
    if starts_on > latest_week_start(today, ahead_days):
        raise InvalidInput(
            _l("A week can start at most %(count)d days ahead.", count=ahead_days), "starts_on"
        )
