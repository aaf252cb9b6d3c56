"""The weeks a team takes together: scheduling, the collective tally, the feed.

A team's week counts the acts its members dated within it, whatever their
visibility; visibility decides only what is shown. Who took part in a week is
kept, so figures stay right after members leave.
"""

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import Integer, String, and_, func, insert, literal, select, update
from sqlalchemy.orm import Session

from kindness.db import UTCDateTime
from kindness.domain.acts import people_helped
from kindness.domain.chains import graph
from kindness.domain.dates import check_week_start, local_today, week_days, week_ends_on
from kindness.domain.errors import InvalidInput, NotFound, RuleViolation
from kindness.domain.teams.membership import require_manager
from kindness.models import Act, Membership, Notification, Team, TeamWeek, TeamWeekMember, User

SCHEDULE_AHEAD_DAYS = 90


def not_cancelled():
    """A week that still takes place (a cancelled one is kept for its notices)."""
    return TeamWeek.cancelled_at.is_(None)


def week_status(week: TeamWeek, team_today: date) -> str:
    """One of scheduled, active, finished, cancelled; "today" is the team's."""
    if week.cancelled_at is not None:
        return "cancelled"
    if team_today < week.starts_on:
        return "scheduled"
    if team_today > week.ends_on:
        return "finished"
    return "active"


def _check_free(
    session: Session, team: Team, starts_on: date, ends_on: date, except_id: int | None = None
) -> None:
    """No other week of the team (cancelled ones aside) shares a day with these."""
    overlapping = session.scalar(
        select(TeamWeek.id).where(
            TeamWeek.team_id == team.id,
            TeamWeek.starts_on <= ends_on,
            TeamWeek.ends_on >= starts_on,
            not_cancelled(),
            TeamWeek.id != (except_id or -1),
        )
    )
    if overlapping is not None:
        raise InvalidInput(_l("This week overlaps another week of the team."), "starts_on")


def _tell_members(session: Session, week: TeamWeek, kind: str, actor_id: int | None) -> None:
    """One inbox notice of ``kind`` for every member of the week's team but the one
    who did it, in one INSERT ... SELECT whatever the number of members."""
    session.execute(
        insert(Notification).from_select(
            ["user_id", "kind", "team_week_id", "created_at"],
            select(
                Membership.user_id,
                literal(kind, String(20)),
                literal(week.id, Integer()),
                literal(datetime.now(UTC), UTCDateTime()),
            ).where(Membership.team_id == week.team_id, Membership.user_id != (actor_id or -1)),
        )
    )


def schedule_week(
    session: Session, team: Team, actor: User, starts_on: date, today: date
) -> TeamWeek:
    """Schedule a week for the whole team (owner and admins): every member takes part."""
    require_manager(session, team, actor)
    check_week_start(starts_on, today, SCHEDULE_AHEAD_DAYS)
    ends_on = week_ends_on(starts_on)
    _check_free(session, team, starts_on, ends_on)
    week = TeamWeek(team_id=team.id, starts_on=starts_on, ends_on=ends_on, created_by_id=actor.id)
    session.add(week)
    session.flush()
    member_ids = session.scalars(select(Membership.user_id).where(Membership.team_id == team.id))
    session.add_all(TeamWeekMember(week_id=week.id, user_id=uid) for uid in member_ids)
    session.flush()
    _tell_members(session, week, "week_scheduled", actor.id)
    return week


def _changeable(session: Session, team: Team, actor: User, week_id: int, today: date) -> TeamWeek:
    """The week a manager moves or cancels: one of the team's that has not ended
    (``today`` is the team's) and is not cancelled."""
    require_manager(session, team, actor)
    week = get_week(session, team, week_id)
    if week.cancelled_at is not None:
        raise RuleViolation(_l("This week is cancelled already."))
    if week.ends_on < today:
        raise RuleViolation(_l("This week is over; it can no longer be changed."))
    return week


def move_week(
    session: Session, team: Team, actor: User, week_id: int, starts_on: date, today: date
) -> TeamWeek:
    """Move a week that has not begun to a new first day (owner and admins), by the
    rules of scheduling; its members are told. A running week stays where it is:
    its members have begun and were told so; it can be cancelled instead."""
    week = _changeable(session, team, actor, week_id, today)
    if week.starts_on <= today:
        raise RuleViolation(
            _l("This week has begun, so it can no longer be moved. You can cancel it.")
        )
    check_week_start(starts_on, today, SCHEDULE_AHEAD_DAYS)
    if starts_on == week.starts_on:
        raise InvalidInput(_l("The week starts on this day already."), "starts_on")
    ends_on = week_ends_on(starts_on)
    _check_free(session, team, starts_on, ends_on, except_id=week.id)
    week.starts_on, week.ends_on = starts_on, ends_on
    session.flush()
    _tell_members(session, week, "week_moved", actor.id)
    return week


def cancel_week(session: Session, team: Team, actor: User, week_id: int, today: date) -> TeamWeek:
    """Cancel a week that has not ended (owner and admins); its members are told.
    The week is kept, marked cancelled, so their notices can still name it."""
    week = _changeable(session, team, actor, week_id, today)
    week.cancelled_at = datetime.now(UTC)
    session.flush()
    _tell_members(session, week, "week_cancelled", actor.id)
    return week


def tell_started(session: Session, now: datetime) -> int:
    """Tell the members of each week whose first day has begun in its team's time
    zone, once (``started_told_at``); return how many weeks were told.

    Claimed by one conditional UPDATE stamped with ``now``: a second tick running
    at the same moment finds the weeks taken and tells nothing twice."""
    utc_today = now.astimezone(UTC).date()
    # Every time zone is within a day of UTC: these are all the weeks that may be due.
    candidates = session.execute(
        select(TeamWeek.id, TeamWeek.starts_on, TeamWeek.ends_on, Team.time_zone)
        .join(Team, Team.id == TeamWeek.team_id)
        .where(
            not_cancelled(),
            TeamWeek.started_told_at.is_(None),
            TeamWeek.starts_on <= utc_today + timedelta(days=1),
            TeamWeek.ends_on >= utc_today - timedelta(days=1),
        )
    ).all()
    due = [
        week_id
        for week_id, starts_on, ends_on, time_zone in candidates
        if starts_on <= local_today(time_zone, now) <= ends_on
    ]
    if not due:
        return 0
    session.execute(
        update(TeamWeek)
        .where(TeamWeek.id.in_(due), TeamWeek.started_told_at.is_(None))
        .values(started_told_at=now)
        .execution_options(synchronize_session=False)
    )
    claimed = list(
        session.scalars(
            select(TeamWeek.id).where(TeamWeek.id.in_(due), TeamWeek.started_told_at == now)
        )
    )
    if claimed:
        # Everyone taking part who is still in the team.
        session.execute(
            insert(Notification).from_select(
                ["user_id", "kind", "team_week_id", "created_at"],
                select(
                    TeamWeekMember.user_id,
                    literal("week_started", String(20)),
                    TeamWeekMember.week_id,
                    literal(now, UTCDateTime()),
                )
                .join(TeamWeek, TeamWeek.id == TeamWeekMember.week_id)
                .join(
                    Membership,
                    (Membership.team_id == TeamWeek.team_id)
                    & (Membership.user_id == TeamWeekMember.user_id),
                )
                .where(TeamWeekMember.week_id.in_(claimed)),
            )
        )
    session.flush()
    return len(claimed)


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
    """The running week, else the next one, else the last one (never a cancelled one)."""
    running = session.scalar(
        select(TeamWeek)
        .where(TeamWeek.team_id == team.id, TeamWeek.ends_on >= today, not_cancelled())
        .order_by(TeamWeek.starts_on)
        .limit(1)
    )
    if running is not None:
        return running
    return session.scalar(
        select(TeamWeek)
        .where(TeamWeek.team_id == team.id, not_cancelled())
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
