"""What a queued letter's ids stand for, read when it is sent: the notices, weeks
and idea it tells of, as they are now and as the person still wants them (a kind
turned off since the letter was queued is left out; so is what was deleted)."""

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from kindness.domain import ideas, inbox
from kindness.domain.inbox import Entry
from kindness.domain.notices.choices import is_on
from kindness.domain.notices.letters import Letter, carried
from kindness.models import Challenge, Membership, Team, TeamWeek, User


@dataclass(frozen=True)
class TeamWeekNotice:
    team_name: str
    team_slug: str
    starts_on: date
    ends_on: date
    starts_today: bool
    # What the letter tells of it: scheduled, starts, moved or cancelled.
    change: str = "scheduled"


@dataclass(frozen=True)
class WeekEnding:
    challenge_id: int
    starts_on: date
    ends_on: date


@dataclass(frozen=True)
class IdeaOfTheDay:
    number: int
    idea: ideas.Idea


@dataclass
class Told:
    day: date
    claimed: list[Entry] = field(default_factory=list)
    travelled: list[Entry] = field(default_factory=list)
    team_weeks: list[TeamWeekNotice] = field(default_factory=list)
    week_ends: list[WeekEnding] = field(default_factory=list)
    idea: IdeaOfTheDay | None = None

    def kinds(self) -> list[str]:
        return carried(self.claimed, self.travelled, self.team_weeks, self.week_ends, self.idea)


def read(session: Session, user: User, letter: Letter) -> Told:
    told = Told(day=letter.day)
    if is_on(user, "claimed"):
        told.claimed = inbox.entries_by_id(session, user, letter.claimed)
    if is_on(user, "travelled"):
        told.travelled = inbox.entries_by_id(session, user, letter.travelled)
    if is_on(user, "team_week"):
        told.team_weeks = _team_weeks(session, user, letter)
    if is_on(user, "week_ends"):
        told.week_ends = _week_ends(session, user, letter.week_ends)
    if is_on(user, "daily_idea") and letter.idea is not None:
        idea = ideas.by_number(letter.idea)
        told.idea = IdeaOfTheDay(letter.idea, idea) if idea is not None else None
    return told


def _team_weeks(session: Session, user: User, letter: Letter) -> list[TeamWeekNotice]:
    """The weeks of teams the person still belongs to, as they stand now: those
    starting today first; a week cancelled since is told only as cancelled, and a
    week told as scheduled or starting is not told again as moved."""
    ids = letter.team_scheduled + letter.team_starts + letter.team_moved + letter.team_cancelled
    if not ids:
        return []
    rows = session.execute(
        select(
            TeamWeek.id,
            Team.name,
            Team.slug,
            TeamWeek.starts_on,
            TeamWeek.ends_on,
            TeamWeek.cancelled_at,
        )
        .join(Team, Team.id == TeamWeek.team_id)
        .join(Membership, (Membership.team_id == Team.id) & (Membership.user_id == user.id))
        .where(TeamWeek.id.in_(ids))
    ).all()
    notices = []
    for week_id, name, slug, starts_on, ends_on, cancelled_at in rows:
        if cancelled_at is not None:
            change = "cancelled" if week_id in letter.team_cancelled else None
        elif week_id in letter.team_starts:
            change = "starts"
        elif week_id in letter.team_scheduled:
            change = "scheduled"
        elif week_id in letter.team_moved:
            change = "moved"
        else:
            change = None
        if change is not None:
            notices.append(
                TeamWeekNotice(name, slug, starts_on, ends_on, change == "starts", change)
            )
    return sorted(notices, key=lambda n: (not n.starts_today, n.starts_on, n.team_name))


def _week_ends(session: Session, user: User, ids: list[int]) -> list[WeekEnding]:
    if not ids:
        return []
    rows = session.execute(
        select(Challenge.id, Challenge.starts_on, Challenge.ends_on).where(
            Challenge.id.in_(ids),
            Challenge.user_id == user.id,
            Challenge.abandoned_at.is_(None),
        )
    ).all()
    return [WeekEnding(*row) for row in rows]
