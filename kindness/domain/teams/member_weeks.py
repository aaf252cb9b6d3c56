"""A member's own view of their teams' weeks: the running or next week of each
team on the dashboard (the member's own acts beside the team's collective
tally), and every week they take or took part in on their Weeks page.

A team week is seven calendar dates; an act counts when its own date falls on
one of them; which day is "today" is decided in the team's time zone. Each
answer takes a fixed number of queries, whatever the number of teams or members.
"""

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session

from kindness.domain.dates import local_today, week_days
from kindness.domain.teams.weeks import not_cancelled, week_status
from kindness.models import Act, Membership, Team, TeamWeek, TeamWeekMember, User

# The dashboard shows the weeks of at most this many teams (the soonest first).
DASHBOARD_TEAMS = 5
# The Weeks page lists at most this many team weeks (the newest first).
LISTED_WEEKS = 100


@dataclass
class MemberWeek:
    """A team week as one member sees it on their dashboard."""

    week: TeamWeek
    team: Team
    # Today in the team's time zone: it decides past, today and to come.
    today: date
    # The member's own acts per day in the week.
    own_per_day: dict[date, int] = field(default_factory=dict)
    # The team's collective tally: acts of everyone taking part, and how many acted.
    team_acts: int = 0
    members_who_acted: int = 0
    # The team's week after this one, when one is scheduled already.
    next_week: TeamWeek | None = None

    @property
    def days(self) -> list[date]:
        return week_days(self.week.starts_on)

    @property
    def status(self) -> str:
        return week_status(self.week, self.today)

    @property
    def own_acts(self) -> int:
        return sum(self.own_per_day.values())


def _taking_part(user_id: int):
    """The weeks the person takes part in, of the teams they still belong to."""
    return (
        select(TeamWeek, Team)
        .join(Team, Team.id == TeamWeek.team_id)
        .join(
            TeamWeekMember,
            (TeamWeekMember.week_id == TeamWeek.id) & (TeamWeekMember.user_id == user_id),
        )
        .join(Membership, (Membership.team_id == Team.id) & (Membership.user_id == user_id))
        .where(not_cancelled())
    )


def on_dashboard(session: Session, user: User, now: datetime | None = None) -> list[MemberWeek]:
    """The running or else the next week of each of the person's teams (the soonest
    first, at most ``DASHBOARD_TEAMS``) with the week after it, in three queries."""
    now = now or datetime.now(UTC)
    utc_today = now.astimezone(UTC).date()
    rows = session.execute(
        _taking_part(user.id)
        # Every time zone is within a day of UTC; each team's own today decides below.
        .where(TeamWeek.ends_on >= utc_today - timedelta(days=1))
        .order_by(TeamWeek.starts_on, TeamWeek.id)
    ).all()
    shown: dict[int, MemberWeek] = {}
    for week, team in rows:
        today = local_today(team.time_zone, now)
        if week.ends_on < today:
            continue
        if team.id not in shown:
            shown[team.id] = MemberWeek(week=week, team=team, today=today)
        elif shown[team.id].next_week is None:
            shown[team.id].next_week = week
    found = list(shown.values())[:DASHBOARD_TEAMS]
    if not found:
        return []
    by_week = {item.week.id: item for item in found}
    tallies = session.execute(
        select(TeamWeekMember.week_id, func.count(Act.id), func.count(func.distinct(Act.author_id)))
        .join(TeamWeek, TeamWeek.id == TeamWeekMember.week_id)
        .join(
            Act,
            and_(
                Act.author_id == TeamWeekMember.user_id,
                Act.performed_on >= TeamWeek.starts_on,
                Act.performed_on <= TeamWeek.ends_on,
                Act.removed_at.is_(None),
            ),
        )
        .where(TeamWeekMember.week_id.in_(list(by_week)))
        .group_by(TeamWeekMember.week_id)
    ).all()
    for week_id, acts, members in tallies:
        by_week[week_id].team_acts, by_week[week_id].members_who_acted = acts, members
    own = session.execute(
        select(Act.performed_on, func.count(Act.id))
        .where(
            Act.author_id == user.id,
            Act.removed_at.is_(None),
            Act.performed_on >= min(item.week.starts_on for item in found),
            Act.performed_on <= max(item.week.ends_on for item in found),
        )
        .group_by(Act.performed_on)
    ).all()
    for day, count in own:
        for item in found:
            if item.week.starts_on <= day <= item.week.ends_on:
                item.own_per_day[day] = count
    return found


@dataclass(frozen=True)
class ListedWeek:
    """A team week on the member's Weeks page, with the member's own tally in it."""

    week: TeamWeek
    team: Team
    status: str
    own_acts: int
    own_days: int


def listed(session: Session, user: User, now: datetime | None = None) -> list[ListedWeek]:
    """Every week of the person's teams they take or took part in (not cancelled),
    the latest first, with their own acts in each, in one query."""
    now = now or datetime.now(UTC)
    window = and_(
        Act.author_id == user.id,
        Act.performed_on >= TeamWeek.starts_on,
        Act.performed_on <= TeamWeek.ends_on,
        Act.removed_at.is_(None),
    )
    rows = session.execute(
        _taking_part(user.id)
        .add_columns(func.count(Act.id), func.count(func.distinct(Act.performed_on)))
        .outerjoin(Act, window)
        .group_by(TeamWeek.id, Team.id)
        .order_by(TeamWeek.starts_on.desc(), TeamWeek.id.desc())
        .limit(LISTED_WEEKS)
    ).all()
    return [
        ListedWeek(
            week=week,
            team=team,
            status=week_status(week, local_today(team.time_zone, now)),
            own_acts=acts,
            own_days=days,
        )
        for week, team, acts, days in rows
    ]
