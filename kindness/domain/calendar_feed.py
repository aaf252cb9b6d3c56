"""The private calendar feed: its secret link (made, replaced, stopped), whose
feed a link opens, and what the feed holds: each date of the person's weeks and
their teams' weeks, with the weeks it belongs to and the idea of that day."""

import re
import secrets
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from kindness.domain import calendar, ideas
from kindness.domain.calendar import Week
from kindness.domain.errors import NotFound
from kindness.models import User

# A subscription shows the last month (what was just done) and four months ahead:
# weeks are scheduled at most 90 days ahead, so nothing planned is left out, and a
# calendar app refreshing every few hours never reads a long history.
DAYS_BACK = 30
DAYS_AHEAD = 120

# secrets.token_urlsafe(32) makes 43 characters; anything else is not a link we made.
TOKEN = re.compile(r"[A-Za-z0-9_-]{32,64}")


def make_link(session: Session, user: User) -> str:
    """Give the person a new secret feed link; an earlier one stops working."""
    user.calendar_token = secrets.token_urlsafe(32)
    session.flush()
    return user.calendar_token


def stop(session: Session, user: User) -> None:
    """Stop the feed: its link answers nothing any more."""
    user.calendar_token = None
    session.flush()


def owner_of(session: Session, token: str) -> User:
    """The person whose feed ``token`` opens; NotFound for a token that is malformed,
    replaced, stopped or never made, and for a suspended account (no hint which)."""
    if not TOKEN.fullmatch(token):
        raise NotFound()
    user = session.scalar(select(User).where(User.calendar_token == token))
    if user is None or user.suspended_at is not None:
        raise NotFound()
    return user


@dataclass(frozen=True)
class WeekDay:
    """A week a date belongs to, and which of its days the date is (1 to 7)."""

    week: Week
    number: int


@dataclass(frozen=True)
class FeedDay:
    day: date
    # The person's own week first, then their teams' weeks by name.
    weeks: tuple[WeekDay, ...]
    idea_number: int


def days(session: Session, user: User, today: date) -> list[FeedDay]:
    """Every date from DAYS_BACK before ``today`` (the person's local date) to
    DAYS_AHEAD after it that lies in one of their weeks, earliest first, each with
    the idea the daily mail sends that day. Three queries, however many weeks."""
    first, last = today - timedelta(days=DAYS_BACK), today + timedelta(days=DAYS_AHEAD)
    weeks = calendar.weeks_of(session, user.id, first, last)
    logged = ideas.logged_from(session, user.id)
    return [
        FeedDay(
            day=day,
            weeks=tuple(
                WeekDay(week, (day - week.starts_on).days + 1)
                for week in sorted(on_day, key=_own_first)
            ),
            idea_number=ideas.number_of_the_day(user.id, day, logged),
        )
        for day, on_day in calendar.by_day(weeks, first, last).items()
    ]


def _own_first(week: Week) -> tuple[bool, str, int]:
    return (week.team_name is not None, week.team_name or "", week.id)
