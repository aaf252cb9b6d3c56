"""The weeks a team takes together: scheduling, the collective tally, the feed.

A team's week counts the acts its members dated within it, whatever their
visibility; visibility decides only what is shown. Who took part in a week is
kept, so figures stay right after members leave.
"""

from dataclasses import dataclass, field
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session

from kindness.domain.acts import people_helped
from kindness.domain.chains import graph
from kindness.domain.dates import check_week_start, week_days, week_ends_on
from kindness.domain.errors import InvalidInput, NotFound
from kindness.domain.teams.membership import require_manager
from kindness.models import Act, Membership, Team, TeamWeek, TeamWeekMember, User

SCHEDULE_AHEAD_DAYS = 90


def schedule_week(
    session: Session, team: Team, actor: User, starts_on: date, today: date
) -> TeamWeek:
    """Schedule a week for the whole team (owner and admins): every member takes part."""
    require_manager(session, team, actor)
    check_week_start(starts_on, today, SCHEDULE_AHEAD_DAYS)
    ends_on = week_ends_on(starts_on)
    overlapping = session.scalar(
        select(TeamWeek.id).where(
            TeamWeek.team_id == team.id,
            TeamWeek.starts_on <= ends_on,
            TeamWeek.ends_on >= starts_on,
        )
    )
    if overlapping is not None:
        raise InvalidInput(_l("This week overlaps another week of the team."), "starts_on")
    week = TeamWeek(team_id=team.id, starts_on=starts_on, ends_on=ends_on, created_by_id=actor.id)
    session.add(week)
    session.flush()
    member_ids = session.scalars(select(Membership.user_id).where(Membership.team_id == team.id))
    session.add_all(TeamWeekMember(week_id=week.id, user_id=uid) for uid in member_ids)
    session.flush()
    return week


def of_team(session: Session, team: Team) -> list[TeamWeek]:
    return list(
        session.scalars(
            select(TeamWeek).where(TeamWeek.team_id == team.id).order_by(TeamWeek.starts_on.desc())
        )
    )


def get_week(session: Session, team: Team, week_id: int) -> TeamWeek:
    week = session.get(TeamWeek, week_id)
    if week is None or week.team_id != team.id:
        raise NotFound()
    return week


def current_week(session: Session, team: Team, today: date) -> TeamWeek | None:
    """The running week, else the next one, else the last one."""
    running = session.scalar(
        select(TeamWeek)
        .where(TeamWeek.team_id == team.id, TeamWeek.ends_on >= today)
        .order_by(TeamWeek.starts_on)
        .limit(1)
    )
    if running is not None:
        return running
    return session.scalar(
        select(TeamWeek)
        .where(TeamWeek.team_id == team.id)
        .order_by(TeamWeek.starts_on.desc())
        .limit(1)
    )


@dataclass
class WeekSummary:
    week: TeamWeek
    acts: int = 0
    members_who_acted: int = 0
    people_helped: int = 0
    forwards: int = 0
    acts_per_day: dict[date, int] = field(default_factory=dict)
    members_per_day: dict[date, int] = field(default_factory=dict)
    # (user id, display name, acts per day, total) of everyone who acted, by name:
    # a collective tally, never an order by activity.
    progress: list[tuple[int, str, dict[date, int], int]] = field(default_factory=list)

    @property
    def days(self) -> list[date]:
        return week_days(self.week.starts_on)


def _week_acts(week: TeamWeek):
    """Acts of the week's participants dated within it."""
    return and_(
        Act.author_id == TeamWeekMember.user_id,
        TeamWeekMember.week_id == week.id,
        Act.performed_on >= week.starts_on,
        Act.performed_on <= week.ends_on,
        Act.removed_at.is_(None),
    )


def summarise(session: Session, week: TeamWeek) -> WeekSummary:
    """The collective tally of a week, in a fixed number of queries whatever the
    number of members."""
    summary = WeekSummary(week=week)
    per_member_day = session.execute(
        select(User.id, User.display_name, Act.performed_on, func.count(Act.id))
        .join(TeamWeekMember, _week_acts(week))
        .join(User, User.id == Act.author_id)
        .group_by(User.id, User.display_name, Act.performed_on)
    ).all()
    people: dict[int, tuple[str, dict[date, int]]] = {}
    for author_id, name, day, count in per_member_day:
        people.setdefault(author_id, (name, {}))[1][day] = count
        summary.acts_per_day[day] = summary.acts_per_day.get(day, 0) + count
        summary.members_per_day[day] = summary.members_per_day.get(day, 0) + 1
    summary.acts = sum(summary.acts_per_day.values())
    summary.members_who_acted = len(people)
    summary.progress = sorted(
        ((uid, name, days, sum(days.values())) for uid, (name, days) in people.items()),
        key=lambda item: (item[1].lower(), item[0]),
    )
    summary.people_helped = (
        session.scalar(select(people_helped()).join(TeamWeekMember, _week_acts(week))) or 0
    )
    week_act_ids = select(Act.id).join(TeamWeekMember, _week_acts(week))
    summary.forwards = graph.acts_below(session, Act.id.in_(week_act_ids))
    return summary


def feed(session: Session, week: TeamWeek, viewer_id: int | None, mates: frozenset[int],
         limit: int = 50) -> list[tuple[Act, str]]:  # fmt: skip
    """The week's acts the viewer may read (team-visible for co-members, public for
    all), newest first, with the author's display name; private acts only count."""
    visible = Act.visibility == "public"
    if mates:
        # Team acts show to people who share a team with their author.
        visible = visible | ((Act.visibility == "team") & Act.author_id.in_(list(mates)))
    rows = session.execute(
        select(Act, User.display_name)
        .join(TeamWeekMember, _week_acts(week))
        .join(User, User.id == Act.author_id)
        .where(Act.hidden_at.is_(None) | (Act.author_id == (viewer_id or -1)))
        .where(visible | (Act.author_id == (viewer_id or -1)))
        .order_by(Act.performed_on.desc(), Act.id.desc())
        .limit(limit)
    ).all()
    return [(act, name) for act, name in rows]


@dataclass(frozen=True)
class WeekTable:
    """A week as a table for a spreadsheet: one row per participant."""

    week: TeamWeek
    days: list[date]
    # Member display name, acts on each day, total: everyone who took part, by name.
    rows: list[list]


def table(session: Session, team: Team, actor: User, week_id: int) -> WeekTable:
    """The week's table (owner and admins only: it names everyone's counts)."""
    require_manager(session, team, actor)
    summary = summarise(session, get_week(session, team, week_id))
    return WeekTable(week=summary.week, days=summary.days, rows=_table_rows(session, summary))


def _table_rows(session: Session, summary: WeekSummary) -> list[list]:
    participants = session.execute(
        select(User.id, User.display_name)
        .join(TeamWeekMember, TeamWeekMember.user_id == User.id)
        .where(TeamWeekMember.week_id == summary.week.id)
        .order_by(func.lower(User.display_name), User.id)
    ).all()
    by_user = {uid: days for uid, _name, days, _total in summary.progress}
    rows = []
    for user_id, name in participants:
        days = by_user.get(user_id, {})
        counts = [days.get(day, 0) for day in summary.days]
        rows.append([name, *counts, sum(counts)])
    return rows
