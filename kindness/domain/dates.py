"""Local dates: "today" is today in the user's own time zone."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


def zone(time_zone: str) -> ZoneInfo:
    try:
        return ZoneInfo(time_zone)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def local_today(time_zone: str, now: datetime | None = None) -> date:
    """Return the calendar date it is now in ``time_zone``."""
    moment = now or datetime.now(UTC)
    return moment.astimezone(zone(time_zone)).date()


def today_for(user, now: datetime | None = None) -> date:
    """Today in the user's time zone."""
    return local_today(user.time_zone, now)
