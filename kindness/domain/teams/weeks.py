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


# The per-person view shows itself only with at least this many people in it, so
# nobody's days can be worked out from the collective figures by subtraction.
MIN_SHOWN = 3


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
    forwards: int = 0
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
    summary.forwards = graph.acts_below(session, Act.id.in_(week_act_ids))
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
