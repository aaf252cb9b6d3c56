"""Personal one-week challenges: start, abandon, reflect, and progress derived
from the dates of the author's acts (never stored twice)."""

from dataclasses import dataclass
from datetime import UTC, date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session

from kindness.domain.acts import people_helped
from kindness.domain.dates import check_week_start, days_from, week_ends_on
from kindness.domain.errors import InvalidInput, NotFound, RuleViolation
from kindness.domain.keyset import after_descending
from kindness.models import Act, Challenge, User

SCHEDULE_AHEAD_DAYS = 14
REFLECTION_MAX = 2000


@dataclass(frozen=True)
class Tally:
    """What a window of days holds: acts, days with an act, people helped."""

    acts: int = 0
    days_with_act: int = 0
    people_helped: int = 0


@dataclass(frozen=True)
class Progress:
    days: list[date]
    acts_per_day: dict[date, int]
    tally: Tally

    @property
    def days_with_act(self) -> int:
        return self.tally.days_with_act


def status(challenge: Challenge, today: date) -> str:
    """One of scheduled, active, finished, abandoned."""
    if challenge.abandoned_at is not None:
        return "abandoned"
    if today < challenge.starts_on:
        return "scheduled"
    if today > challenge.ends_on:
        return "finished"
    return "active"


def current(session: Session, user: User, today: date) -> Challenge | None:
    """The user's active or scheduled challenge, if any."""
    return session.scalar(
        select(Challenge)
        .where(
            Challenge.user_id == user.id,
            Challenge.abandoned_at.is_(None),
            Challenge.ends_on >= today,
        )
        .order_by(Challenge.starts_on)
        .limit(1)
    )


def start(
    session: Session, user: User, *, starts_on: date, pledged: bool, today: date
) -> Challenge:
    """Start (or schedule) a week; one active or scheduled week at a time."""
    if not pledged:
        raise InvalidInput(_l("Please tick the no-strings pledge to start."), "pledge")
    check_week_start(starts_on, today, SCHEDULE_AHEAD_DAYS)
    # Lock the user's row so that two simultaneous starts cannot both pass the check.
    session.execute(select(User.id).where(User.id == user.id).with_for_update())
    if current(session, user, today) is not None:
        raise RuleViolation(
            _l("You already have a week running or scheduled. Finish or abandon it first.")
        )
    challenge = Challenge(
        user_id=user.id,
        starts_on=starts_on,
        ends_on=week_ends_on(starts_on),
    )
    session.add(challenge)
    session.flush()
    return challenge


def get_own(session: Session, user: User, challenge_id: int) -> Challenge:
    challenge = session.get(Challenge, challenge_id)
    if challenge is None or challenge.user_id != user.id:
        raise NotFound()
    return challenge


def abandon(session: Session, user: User, challenge_id: int, today: date) -> Challenge:
    challenge = get_own(session, user, challenge_id)
    if status(challenge, today) not in ("active", "scheduled"):
        raise RuleViolation(_l("Only a running or scheduled week can be abandoned."))
    challenge.abandoned_at = datetime.now(UTC)
    session.flush()
    return challenge


def may_reflect(challenge: Challenge, today: date) -> bool:
    """A reflection may be written from the week's last day on ("your week ends today —
    how was it?" leads here), or once it was set aside."""
    return status(challenge, today) in ("finished", "abandoned") or today == challenge.ends_on


def reflect(
    session: Session, user: User, challenge_id: int, reflection: str, today: date
) -> Challenge:
    challenge = get_own(session, user, challenge_id)
    if not may_reflect(challenge, today):
        raise RuleViolation(_l("You can write a reflection from the last day of the week on."))
    reflection = (reflection or "").strip()
    if len(reflection) > REFLECTION_MAX:
        raise InvalidInput(
            _l("Use at most %(count)d characters.", count=REFLECTION_MAX), "reflection"
        )
    challenge.reflection = reflection or None
    session.flush()
    return challenge


def _tally_columns():
    return (func.count(Act.id), func.count(func.distinct(Act.performed_on)), people_helped())


def window_progress(session: Session, author_id: int, starts_on: date, ends_on: date) -> Progress:
    """Acts per day of the author in a window of days, and their tally, in one query."""
    rows = session.execute(
        select(Act.performed_on, func.count(Act.id))
        .where(
            Act.author_id == author_id,
            Act.performed_on >= starts_on,
            Act.performed_on <= ends_on,
        )
        .group_by(Act.performed_on)
    ).all()
    acts_per_day = {row[0]: row[1] for row in rows}
    tally_row = session.execute(
        select(*_tally_columns()).where(
            Act.author_id == author_id,
            Act.performed_on >= starts_on,
            Act.performed_on <= ends_on,
        )
    ).one()
    return Progress(
        days=days_from(starts_on, ends_on), acts_per_day=acts_per_day, tally=Tally(*tally_row)
    )


def progress(session: Session, challenge: Challenge) -> Progress:
    return window_progress(session, challenge.user_id, challenge.starts_on, challenge.ends_on)


def history_with_tallies(
    session: Session,
    user: User,
    *,
    after: tuple[date, int] | None = None,
    limit: int | None = None,
) -> list[tuple[Challenge, Tally]]:
    """The user's challenges, newest first (all of them, or ``limit`` after the
    week whose (starts_on, id) is ``after``), each with its tally, in one query."""
    window = and_(
        Act.author_id == Challenge.user_id,
        Act.performed_on >= Challenge.starts_on,
        Act.performed_on <= Challenge.ends_on,
    )
    query = (
        select(Challenge, *_tally_columns())
        .outerjoin(Act, window)
        .where(Challenge.user_id == user.id)
        .group_by(Challenge.id)
        .order_by(Challenge.starts_on.desc(), Challenge.id.desc())
    )
    if after is not None:
        query = query.where(after_descending((Challenge.starts_on, Challenge.id), after))
    if limit is not None:
        query = query.limit(limit)
    rows = session.execute(query).all()
    return [(row[0], Tally(*row[1:])) for row in rows]


def totals(session: Session, user: User) -> Tally:
    """All-time tally of the user's acts."""
    row = session.execute(select(*_tally_columns()).where(Act.author_id == user.id)).one()
    return Tally(*row)


def acts_per_day(session: Session, user: User, since: date, until: date) -> dict[date, int]:
    rows = session.execute(
        select(Act.performed_on, func.count(Act.id))
        .where(Act.author_id == user.id, Act.performed_on >= since, Act.performed_on <= until)
        .group_by(Act.performed_on)
    )
    return {row[0]: row[1] for row in rows}


def forwards_grown(session: Session, user_id: int, windows: list[tuple[date, date]]) -> list[int]:
    """For each window of days, how many acts grew (anywhere below) from the
    user's acts dated in it: one query for the ripples, one for their dates."""
    from kindness.domain.chains import graph

    ripples = graph.ripples(session, user_id)
    if not ripples:
        return [0] * len(windows)
    dates = dict(
        session.execute(
            select(Act.id, Act.performed_on).where(Act.id.in_([r.act_id for r in ripples]))
        ).all()
    )
    return [
        sum(r.acts_below for r in ripples if start <= dates[r.act_id] <= end)
        for start, end in windows
    ]
