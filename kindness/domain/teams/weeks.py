"""The weeks a team takes together: scheduling, the collective tally, the feed.

A team's week counts the acts its members dated within it, whatever their
visibility; visibility decides only what is shown. Who took part in a week is
kept, so figures stay right after members leave.
"""

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import Integer, String, and_, func, insert, literal, select, tuple_, update
from sqlalchemy.orm import Session

from kindness.db import UTCDateTime
from kindness.domain.acts import people_helped
from kindness.domain.chains import graph
from kindness.domain.dates import (
    check_week_start,
    coming_monday,
    latest_week_start,
    local_today,
    week_days,
    week_ends_on,
)
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


def suggested_start(team_weeks: list[TeamWeek], today: date) -> date:
    """The date the schedule form offers: the coming Monday, or the first Monday
    after it whose seven days no other live week of the team takes."""
    start = coming_monday(today)
    taken = [(w.starts_on, w.ends_on) for w in team_weeks if w.cancelled_at is None]
    while start <= latest_week_start(today, SCHEDULE_AHEAD_DAYS):
        ends_on = week_ends_on(start)
        if not any(first <= ends_on and last >= start for first, last in taken):
            return start
        start += timedelta(days=7)
    return coming_monday(today)


def of_team(
    session: Session,
    team: Team,
    *,
    before: tuple[date, int] | None = None,
    limit: int | None = None,
) -> list[TeamWeek]:
    """The team's weeks, the latest first; ``before`` a (first day, id) and
    ``limit`` read one page of them."""
    statement = (
        select(TeamWeek)
        .where(TeamWeek.team_id == team.id)
        .order_by(TeamWeek.starts_on.desc(), TeamWeek.id.desc())
    )
    if before is not None:
        statement = statement.where(tuple_(TeamWeek.starts_on, TeamWeek.id) < tuple_(*before))
    if limit is not None:
        statement = statement.limit(limit)
    return list(session.scalars(statement))


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


# The per-person view shows itself only with at least this many people in it, so
# nobody's days can be worked out from the collective figures by subtraction.
MIN_SHOWN = 3
# The week's "acts grew from them" counts this far and then says "1000+": below a
# member's act may lie a chain of 100,000 acts, and counting it exactly would make
# the page read all of it (README, "Ten million acts").
FORWARDS_SHOWN = 1000


@dataclass(frozen=True)
class Participant:
    """One member in the participation view: the days they took part, never a count."""

    user_id: int
    name: str
    days: frozenset[date]


@dataclass
class WeekSummary:
    week: TeamWeek
    acts: int = 0
    members_who_acted: int = 0
    people_helped: int = 0
    forwards: int = 0  # above FORWARDS_SHOWN: "more than" (``forwards_beyond``)
    acts_per_day: dict[date, int] = field(default_factory=dict)
    members_per_day: dict[date, int] = field(default_factory=dict)
    # Who took part on which days, by name (a collective tally, never an order by
    # activity): members who took part and stay in the view (``in_participation``);
    # empty when fewer than MIN_SHOWN would be shown (``participation_withheld``).
    participants: list[Participant] = field(default_factory=list)
    participation_withheld: bool = False

    @property
    def days(self) -> list[date]:
        return week_days(self.week.starts_on)

    @property
    def forwards_beyond(self) -> bool:
        """Whether more acts grew than the page counts: it then says FORWARDS_SHOWN+."""
        return self.forwards > FORWARDS_SHOWN

    @property
    def forwards_shown(self) -> int:
        return min(self.forwards, FORWARDS_SHOWN)


def _week_acts(week: TeamWeek):
    """Acts of the week's participants dated within it: an act's ``performed_on`` is
    already its author's local date, so it counts when that date is one of the
    week's seven, wherever its author lives (docs/design.md, "Rules")."""
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
        select(
            User.id,
            User.display_name,
            Membership.in_participation,
            Act.performed_on,
            func.count(Act.id),
        )
        .join(TeamWeekMember, _week_acts(week))
        .join(User, User.id == Act.author_id)
        # Members who left are counted, never shown: they can no longer choose.
        .outerjoin(
            Membership,
            (Membership.team_id == week.team_id) & (Membership.user_id == Act.author_id),
        )
        .group_by(User.id, User.display_name, Membership.in_participation, Act.performed_on)
    ).all()
    shown: dict[int, tuple[str, set[date]]] = {}
    acted: set[int] = set()
    for author_id, name, in_participation, day, count in per_member_day:
        acted.add(author_id)
        if in_participation:
            shown.setdefault(author_id, (name, set()))[1].add(day)
        summary.acts_per_day[day] = summary.acts_per_day.get(day, 0) + count
        summary.members_per_day[day] = summary.members_per_day.get(day, 0) + 1
    summary.acts = sum(summary.acts_per_day.values())
    summary.members_who_acted = len(acted)
    if len(shown) >= MIN_SHOWN:
        summary.participants = sorted(
            (Participant(uid, name, frozenset(days)) for uid, (name, days) in shown.items()),
            key=lambda person: (person.name.lower(), person.user_id),
        )
    else:
        summary.participation_withheld = bool(acted)
    summary.people_helped = (
        session.scalar(select(people_helped()).join(TeamWeekMember, _week_acts(week))) or 0
    )
    week_act_ids = select(Act.id).join(TeamWeekMember, _week_acts(week))
    summary.forwards = graph.acts_below(session, Act.id.in_(week_act_ids), up_to=FORWARDS_SHOWN)
    return summary


def feed(session: Session, week: TeamWeek, viewer_id: int | None, mates: frozenset[int],
         limit: int = 50) -> list[tuple[Act, str]]:  # fmt: skip
    """The week's acts shared with the viewer (team-visible for co-members, public
    for all), newest first, with the author's display name. Private acts only
    count, and so do hidden ones: not even their author sees them here, since this
    is what members shared (``viewer_id`` is in ``mates`` when they are in a team)."""
    visible = Act.visibility == "public"
    if mates:
        # Team acts show to people who share a team with their author.
        visible = visible | ((Act.visibility == "team") & Act.author_id.in_(list(mates)))
    rows = session.execute(
        select(Act, User.display_name)
        .join(TeamWeekMember, _week_acts(week))
        .join(User, User.id == Act.author_id)
        .where(Act.hidden_at.is_(None), visible)
        .order_by(Act.performed_on.desc(), Act.id.desc())
        .limit(limit)
    ).all()
    return [(act, name) for act, name in rows]


@dataclass(frozen=True)
class DayFigures:
    day: date
    acts: int
    members: int  # members who took part that day
    people_helped: int


@dataclass(frozen=True)
class WeekTable:
    """A week for a spreadsheet: how many took part each day and the week's totals.

    No row per person: a spreadsheet sums rows into per-person totals and sorts
    them, which is the leaderboard the team page refuses to be. Who took part on
    which days stays on the page, under its opt-out and its MIN_SHOWN rule.
    """

    week: TeamWeek
    days: list[DayFigures]
    acts: int
    members: int  # members who took part at least once
    people_helped: int


def table(session: Session, team: Team, actor: User, week_id: int) -> WeekTable:
    """The week's figures for a spreadsheet (owner and admins only)."""
    require_manager(session, team, actor)
    summary = summarise(session, get_week(session, team, week_id))
    helped = dict(
        session.execute(
            select(Act.performed_on, people_helped())
            .join(TeamWeekMember, _week_acts(summary.week))
            .group_by(Act.performed_on)
        ).all()
    )
    return WeekTable(
        week=summary.week,
        days=[
            DayFigures(
                day=day,
                acts=summary.acts_per_day.get(day, 0),
                members=summary.members_per_day.get(day, 0),
                people_helped=helped.get(day, 0) or 0,
            )
            for day in summary.days
        ],
        acts=summary.acts,
        members=summary.members_who_acted,
        people_helped=summary.people_helped,
    )
