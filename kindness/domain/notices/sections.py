"""What each section of a daily letter says, for many people at once.

Each function takes the people due a letter now (each with their local date and
the moment their previous letter was written) and answers, per person id, the
ids of what to tell; a fixed number of queries whatever the number of people.
"""

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from kindness.domain import calendar, ideas
from kindness.domain.chains import graph
from kindness.models import Act, Challenge, Membership, Notification, TeamWeek, User

# Long lists of ids go to the database in slices of this many.
CHUNK = 500
# A weekly digest of travelled kindness looks back this far, on Mondays.
WEEK = timedelta(days=7)
MONDAY = 0


@dataclass(frozen=True)
class Person:
    user: User
    # The person's local date now, and the start of what their letter tells.
    today: date
    since: datetime


def chunks(people: Sequence[Person]) -> Iterator[dict[int, Person]]:
    for start in range(0, len(people), CHUNK):
        yield {person.user.id: person for person in people[start : start + CHUNK]}


def claimed(session: Session, people: Sequence[Person], now: datetime) -> dict[int, list[int]]:
    """The "claimed" notices of each person since their previous letter."""
    found: dict[int, list[int]] = {}
    for group in chunks([p for p in people if p.user.notify_claimed]):
        earliest = min(person.since for person in group.values())
        rows = session.execute(
            select(Notification.id, Notification.user_id, Notification.created_at)
            .where(
                Notification.kind == "claimed",
                Notification.user_id.in_(list(group)),
                Notification.created_at > earliest,
                Notification.created_at <= now,
            )
            .order_by(Notification.created_at, Notification.id)
        ).all()
        for notice_id, user_id, created_at in rows:
            if created_at > group[user_id].since:
                found.setdefault(user_id, []).append(notice_id)
    return found


def travelled_since(person: Person, now: datetime) -> datetime | None:
    """Where a person's digest of travelled kindness starts, or None when today's
    letter carries none: daily since the previous letter, weekly on Mondays for
    the week before, never in a letter otherwise (``immediately`` is mailed at once)."""
    choice = person.user.notify_travelled
    if choice == "daily":
        return person.since
    if choice == "weekly" and person.today.weekday() == MONDAY:
        return now - WEEK
    return None


def travelled(session: Session, people: Sequence[Person], now: datetime) -> dict[int, list[int]]:
    """The "travelled" notices of each person whose digest is due.

    A notice written since the window began, and also an older one still unread
    when kindness grew below its act within the window: the inbox writes no
    second notice while one is unread, yet the digest must tell of the growth."""
    windows = {
        person.user.id: since
        for person in people
        if (since := travelled_since(person, now)) is not None
    }
    found: dict[int, list[int]] = {}
    for group in chunks([p for p in people if p.user.id in windows]):
        earliest = min(windows[user_id] for user_id in group)
        rows = session.execute(
            select(
                Notification.id,
                Notification.user_id,
                Act.id,  # the notice's act, joined below
                Notification.created_at,
                Act.root_id,
            )
            .join(Act, Act.id == Notification.act_id)
            .where(
                Notification.kind == "travelled",
                Notification.user_id.in_(list(group)),
                or_(Notification.created_at > earliest, Notification.read_at.is_(None)),
                Notification.created_at <= now,
            )
            .order_by(Notification.created_at, Notification.id)
        ).all()
        older = []
        for notice_id, user_id, act_id, created_at, root_id in rows:
            if created_at > windows[user_id]:
                found.setdefault(user_id, []).append(notice_id)
            else:
                older.append((notice_id, user_id, act_id, root_id))
        for notice_id, user_id in _grown_below(session, older, windows, now):
            found.setdefault(user_id, []).append(notice_id)
    return found


def _grown_below(
    session: Session,
    older: list[tuple[int, int, int, int]],
    windows: dict[int, datetime],
    now: datetime,
) -> list[tuple[int, int]]:
    """(notice, person) of the unread notices below whose act someone else passed
    kindness on within the person's window."""
    if not older:
        return []
    earliest = min(windows[user_id] for _notice, user_id, _act, _root in older)
    forwards = {
        act_id: (author_id, created_at)
        for act_id, author_id, created_at in session.execute(
            select(Act.id, Act.author_id, Act.created_at).where(
                Act.root_id.in_({root for *_rest, root in older}),
                Act.depth > 0,
                Act.created_at > earliest,
                Act.created_at <= now,
            )
        )
    }
    if not forwards:
        return []
    grew_below: dict[int, list[int]] = {}
    for forward_id, ancestor_id in graph.above(
        session, list(forwards), [act for _notice, _user, act, _root in older]
    ):
        grew_below.setdefault(ancestor_id, []).append(forward_id)
    return [
        (notice_id, user_id)
        for notice_id, user_id, act_id, _root in older
        if any(
            forwards[forward][0] != user_id and forwards[forward][1] > windows[user_id]
            for forward in grew_below.get(act_id, [])
        )
    ]


def team_weeks(
    session: Session, people: Sequence[Person], now: datetime
) -> dict[int, tuple[list[int], list[int]]]:
    """Per person, the weeks of their teams scheduled (by someone else) since their
    previous letter, and those that start today."""
    found: dict[int, tuple[list[int], list[int]]] = {}
    for group in chunks([p for p in people if p.user.notify_team_week]):
        earliest = min(person.since for person in group.values())
        todays = {person.today for person in group.values()}
        rows = session.execute(
            select(
                TeamWeek.id,
                Membership.user_id,
                TeamWeek.starts_on,
                TeamWeek.created_at,
                TeamWeek.created_by_id,
            )
            .join(Membership, Membership.team_id == TeamWeek.team_id)
            .where(
                Membership.user_id.in_(list(group)),
                TeamWeek.cancelled_at.is_(None),
                or_(
                    and_(TeamWeek.created_at > earliest, TeamWeek.created_at <= now),
                    TeamWeek.starts_on.in_(todays),
                ),
            )
            .order_by(TeamWeek.starts_on, TeamWeek.id)
        ).all()
        for week_id, user_id, starts_on, created_at, created_by_id in rows:
            person = group[user_id]
            scheduled, starting = found.setdefault(user_id, ([], []))
            if starts_on == person.today:
                starting.append(week_id)
            elif (
                starts_on > person.today and created_at > person.since and created_by_id != user_id
            ):
                scheduled.append(week_id)
    return {user_id: lists for user_id, lists in found.items() if lists[0] or lists[1]}


WEEK_CHANGES = ("week_moved", "week_cancelled")


def team_week_changes(
    session: Session, people: Sequence[Person], now: datetime
) -> dict[int, tuple[list[int], list[int]]]:
    """Per person, the weeks of their teams moved and those cancelled (by someone
    else: the notices say so) since their previous letter, each week once."""
    found: dict[int, tuple[list[int], list[int]]] = {}
    for group in chunks([p for p in people if p.user.notify_team_week]):
        earliest = min(person.since for person in group.values())
        rows = session.execute(
            select(
                Notification.user_id,
                Notification.kind,
                Notification.team_week_id,
                Notification.created_at,
            )
            .where(
                Notification.kind.in_(WEEK_CHANGES),
                Notification.user_id.in_(list(group)),
                Notification.created_at > earliest,
                Notification.created_at <= now,
            )
            .order_by(Notification.created_at, Notification.id)
        ).all()
        for user_id, kind, week_id, created_at in rows:
            if created_at <= group[user_id].since or week_id is None:
                continue
            moved, cancelled = found.setdefault(user_id, ([], []))
            told = cancelled if kind == "week_cancelled" else moved
            if week_id not in told:
                told.append(week_id)
    return found


def week_ends(session: Session, people: Sequence[Person]) -> dict[int, list[int]]:
    """The person's own week (not given up) whose last day is today."""
    found: dict[int, list[int]] = {}
    for group in chunks([p for p in people if p.user.notify_week_ends]):
        rows = session.execute(
            select(Challenge.id, Challenge.user_id, Challenge.ends_on).where(
                Challenge.user_id.in_(list(group)),
                Challenge.abandoned_at.is_(None),
                Challenge.ends_on.in_({person.today for person in group.values()}),
            )
        ).all()
        for challenge_id, user_id, ends_on in rows:
            if ends_on == group[user_id].today:
                found.setdefault(user_id, []).append(challenge_id)
    return found


def idea(session: Session, person: Person) -> int | None:
    """The person's idea of the day (the calendar's too), on a day inside a week of theirs."""
    if not person.user.daily_idea:
        return None
    if not calendar.in_a_week(session, person.user.id, person.today):
        return None
    logged = ideas.logged_from(session, person.user.id)
    return ideas.number_of_the_day(person.user.id, person.today, logged)
