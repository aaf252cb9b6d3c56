"""The daily letter: every notice but "travelled: immediately" reaches a person in
at most one mail a day, at the hour they chose in their own time zone.

The periodic tick (every minute) asks ``queue_due``: which time zones are at
someone's letter hour now, computed with each zone's rules for this very moment
(so a daylight-saving change or a half-hour zone is right), which people there
have not had today's letter, and what each letter would say. A letter that
would say nothing is not written; one that would is queued under the key
``letter:<person>:<local date>``, which makes it once a day. Its content (the
ids of what it tells) is chosen here and kept in the mail's params; the mail
builder only words it.
"""

from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, and_, func, or_, select
from sqlalchemy.orm import Session

from kindness.domain import mails
from kindness.domain.dates import local_today, zone
from kindness.domain.notices import sections
from kindness.domain.notices.choices import KINDS
from kindness.domain.notices.sections import Person
from kindness.models import Mail, User

# Without a previous letter, the first one tells of the last day.
FIRST_LOOK_BACK = timedelta(hours=24)
# However long ago the previous letter was, a letter tells of the last week at most.
LONGEST_LOOK_BACK = timedelta(days=7)
# A daylight-saving jump skips at most this many hours (one, these days).
LONGEST_JUMP = 3
# A letter whose hour passed without a tick (the scheduler was down) still goes this
# many hours later, on the same local day.
CATCH_UP = 3


@dataclass
class Letter:
    """What one day's letter tells: ids of notices, weeks and challenges, an idea."""

    day: date
    claimed: list[int] = field(default_factory=list)
    travelled: list[int] = field(default_factory=list)
    team_scheduled: list[int] = field(default_factory=list)
    team_starts: list[int] = field(default_factory=list)
    team_moved: list[int] = field(default_factory=list)
    team_cancelled: list[int] = field(default_factory=list)
    week_ends: list[int] = field(default_factory=list)
    idea: int | None = None

    def kinds(self) -> list[str]:
        """The kinds of notice the letter carries (what its unsubscribe link turns off)."""
        team_week = (
            self.team_scheduled or self.team_starts or self.team_moved or self.team_cancelled
        )
        return carried(self.claimed, self.travelled, team_week, self.week_ends, self.idea)

    def params(self) -> dict[str, Any]:
        return {**asdict(self), "day": self.day.isoformat()}

    @classmethod
    def from_params(cls, params: dict[str, Any]) -> "Letter":
        return cls(**{**params, "day": date.fromisoformat(params["day"])})


def carried(*sections: object) -> list[str]:
    """The kinds (in the order of ``choices.KINDS``) whose section has something."""
    return [
        kind
        for kind, section in zip(KINDS, sections, strict=True)
        if section is not None and section != []
    ]


def key(user_id: int, day: date) -> str:
    return f"letter:{user_id}:{day.isoformat()}"


def due_hours(time_zone: str, now: datetime) -> set[int]:
    """The letter hours due in ``time_zone`` at ``now``: the local hour, and the hours
    a daylight-saving jump forward skipped just before it (a letter set for 2:00
    comes at 3:00 on the night 2:00 does not exist). An hour lived twice (the jump
    back) is due twice; the letter's key makes it once."""
    place = zone(time_zone)
    hour = now.astimezone(place).hour
    before = (now - timedelta(hours=1)).astimezone(place).hour
    gap = (hour - before) % 24
    if gap == 0 or gap > LONGEST_JUMP:
        return {hour}
    return {(before + step) % 24 for step in range(1, gap + 1)}


def wants_letters() -> ColumnElement[bool]:
    """A person with any notice that a letter may carry, who may be mailed notices."""
    return and_(
        User.email_confirmed_at.is_not(None),
        User.suspended_at.is_(None),
        or_(
            User.notify_claimed.is_(True),
            User.notify_team_week.is_(True),
            User.notify_week_ends.is_(True),
            User.daily_idea.is_(True),
            User.notify_travelled.in_(("daily", "weekly")),
        ),
    )


def hours_to_catch_up(time_zone: str, now: datetime) -> set[int]:
    """The letter hours due now, and those of the last ``CATCH_UP`` hours of the same
    local day: a tick that did not run (the scheduler was down) is made up for
    later that day, never the next day."""
    today = now.astimezone(zone(time_zone)).date()
    hours: set[int] = set()
    for back in range(CATCH_UP + 1):
        moment = now - timedelta(hours=back)
        if moment.astimezone(zone(time_zone)).date() == today:
            hours |= due_hours(time_zone, moment)
    return hours


def due(session: Session, now: datetime) -> list[Person]:
    """The people whose letter hour it is now (or was, a little earlier today) and
    who have not had today's letter."""
    by_hour: dict[int, list[str]] = {}
    for time_zone in session.scalars(select(User.time_zone).where(wants_letters()).distinct()):
        for hour in hours_to_catch_up(time_zone, now):
            by_hour.setdefault(hour, []).append(time_zone)
    if not by_hour:
        return []
    users = session.scalars(
        select(User)
        .where(
            wants_letters(),
            or_(
                *(
                    and_(User.mail_hour == hour, User.time_zone.in_(zones))
                    for hour, zones in by_hour.items()
                )
            ),
        )
        .order_by(User.id)
    ).all()
    people = []
    for start in range(0, len(users), sections.CHUNK):
        batch = {user.id: user for user in users[start : start + sections.CHUNK]}
        todays = {user.id: local_today(user.time_zone, now) for user in batch.values()}
        keys = {key(user_id, day): user_id for user_id, day in todays.items()}
        done = set(session.scalars(select(Mail.key).where(Mail.key.in_(list(keys)))))
        previous = dict(
            session.execute(
                select(Mail.user_id, func.max(Mail.created_at))
                .where(Mail.kind == "letter", Mail.user_id.in_(list(batch)))
                .group_by(Mail.user_id)
            ).all()
        )
        for letter_key, user_id in keys.items():
            if letter_key in done:
                continue
            since = max(previous.get(user_id) or now - FIRST_LOOK_BACK, now - LONGEST_LOOK_BACK)
            people.append(Person(batch[user_id], todays[user_id], since))
    return people


def write(session: Session, people: Sequence[Person], now: datetime) -> dict[int, Letter]:
    """The letter of each person that has something to say."""
    letters = {person.user.id: Letter(day=person.today) for person in people}
    for user_id, ids in sections.claimed(session, people, now).items():
        letters[user_id].claimed = ids
    for user_id, ids in sections.travelled(session, people, now).items():
        letters[user_id].travelled = ids
    for user_id, (scheduled, starting) in sections.team_weeks(session, people, now).items():
        letters[user_id].team_scheduled, letters[user_id].team_starts = scheduled, starting
    for user_id, (moved, cancelled) in sections.team_week_changes(session, people, now).items():
        letters[user_id].team_moved, letters[user_id].team_cancelled = moved, cancelled
    for user_id, ids in sections.week_ends(session, people).items():
        letters[user_id].week_ends = ids
    for person in people:
        letters[person.user.id].idea = sections.idea(session, person)
    return {user_id: letter for user_id, letter in letters.items() if letter.kinds()}


def queue_due(session: Session, now: datetime | None = None) -> int:
    """Queue the letters due now; return how many."""
    now = now or datetime.now(UTC)
    people = due(session, now)
    letters = write(session, people, now)
    queued = 0
    for person in people:
        letter = letters.get(person.user.id)
        if letter is None:
            continue
        mail = mails.queue(
            session,
            key=key(person.user.id, person.today),
            kind="letter",
            to_address=person.user.email,
            user=person.user,
            params=letter.params(),
        )
        if mail is not None:
            # The letter tells of what came before ``now``; the next one starts there.
            mail.created_at = now
            queued += 1
    return queued
