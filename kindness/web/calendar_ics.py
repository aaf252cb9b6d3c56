"""The calendar feed as iCalendar (RFC 5545, with RFC 7986's NAME and
REFRESH-INTERVAL): one all-day entry per date of the person's weeks, in their
language, and the same bytes on every refresh of the same day's data.

Nothing in it is "now": a calendar app compares what it fetched with what it
has, and a stamp that changed on every fetch would make each refresh look like
an edit of every entry.
"""

import hashlib
import hmac
from datetime import UTC, datetime, time, timedelta
from urllib.parse import urlsplit

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from icalendar import Calendar, Event

from kindness.domain import ideas
from kindness.domain.calendar_feed import FeedDay, WeekDay
from kindness.models import CHALLENGE_DAYS, User
from kindness.urls import absolute_url_for

PRODID = "-//Kindness//Kindness weeks//EN"
# How often a calendar app should fetch the feed again: the day's idea changes
# when the person logs it, weeks are scheduled days ahead.
REFRESH = timedelta(hours=6)


def feed(user: User, days: list[FeedDay]) -> bytes:
    """The person's feed: ``days`` as all-day entries, in the person's language."""
    with force_locale(user.locale):
        calendar = Calendar()
        calendar.add("prodid", PRODID)
        calendar.add("version", "2.0")
        calendar.add("calscale", "GREGORIAN")
        name = _("Kindness weeks")
        calendar.add("name", name)
        calendar.add("x-wr-calname", name)
        calendar.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
        calendar.add("x-published-ttl", "PT6H")
        uid_prefix = f"{feed_id(user.id)}-"
        uid_host = urlsplit(current_app.config["BASE_URL"]).hostname or "kindness"
        for day in days:
            uid = f"{uid_prefix}{day.day:%Y%m%d}@{uid_host}"
            calendar.add_component(_event(str(user.locale), day, uid))
    return calendar.to_ical()


def feed_id(user_id: int) -> str:
    """Names the person's feed in its entries' UIDs without telling their id: a UID
    stays the same across refreshes (and new links), so apps update, not duplicate."""
    key = current_app.config["SECRET_KEY"].encode()
    message = f"kindness.calendar-feed:{user_id}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()[:24]


def _event(locale: str, day: FeedDay, uid: str) -> Event:
    idea = ideas.load_ideas()[day.idea_number].text(locale)
    weeks = [_week_label(week_day) for week_day in day.weeks]
    link = absolute_url_for("acts.new", idea=day.idea_number)
    event = Event()
    event.add("uid", uid)
    # Derived from the data: the start of the earliest week the date belongs to.
    first_start = min(week_day.week.starts_on for week_day in day.weeks)
    event.add("dtstamp", datetime.combine(first_start, time(), UTC))
    event.add("dtstart", day.day)
    event.add("dtend", day.day + timedelta(days=1))
    event.add("summary", f"{' · '.join(weeks)}: {idea}")
    event.add("description", "\n\n".join([idea, _("Log this: %(url)s", url=link), *weeks]))
    event.add("url", link)
    # An all-day reminder, not an appointment: it keeps the day free.
    event.add("transp", "TRANSPARENT")
    return event


def _week_label(week_day: WeekDay) -> str:
    if week_day.week.team_name is None:
        return _("Kindness week, day %(day)d of %(days)d", day=week_day.number, days=CHALLENGE_DAYS)
    return _(
        "Team week of %(team)s, day %(day)d of %(days)d",
        team=week_day.week.team_name,
        day=week_day.number,
        days=CHALLENGE_DAYS,
    )
