"""The directory of public teams (/explore/teams): found by name or description,
listed by name or newest first, never by size or activity (that would rank
teams). It shows what a team says of itself, its member count and its current
or next week; no act, so no act's text, and never a private team. Joining stays
by invite link only."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import ColumnElement, UnaryExpression, func, or_, select
from sqlalchemy.orm import Session

from kindness.domain.dates import today_for
from kindness.domain.explore import like_escape
from kindness.models import Membership, Team, TeamWeek

PAGE_SIZE = 20
QUERY_MAX = 100
ORDERS: dict[str, tuple[UnaryExpression, ...]] = {
    "name": (Team.name_key.asc(), Team.id.asc()),
    "newest": (Team.created_at.desc(), Team.id.desc()),
}


@dataclass(frozen=True)
class Week:
    starts_on: date
    ends_on: date
    running: bool  # today (in the team's time zone) is one of its days


@dataclass(frozen=True)
class Entry:
    slug: str
    name: str
    description: str | None
    members: int
    week: Week | None  # the running week, else the next one; None when none is planned


@dataclass(frozen=True)
class Directory:
    entries: Sequence[Entry]
    page: int
    has_next: bool


def _matching(query: str) -> ColumnElement[bool]:
    """The name (by its case-folded key) or the description contains ``query``."""
    pattern = f"%{like_escape(query.lower())}%"
    return or_(
        Team.name_key.like(pattern, escape="\\"),
        func.lower(Team.description).like(pattern, escape="\\"),
    )


def listing(
    session: Session,
    *,
    order: str = "name",
    page: int = 1,
    query: str | None = None,
    now: datetime | None = None,
) -> Directory:
    """One page of public teams, in two queries whatever the number of teams,
    members and weeks."""
    members = (
        select(func.count())
        .where(Membership.team_id == Team.id)
        .correlate(Team)
        .scalar_subquery()
        .label("members")
    )
    statement = select(Team, members).where(Team.is_public.is_(True))
    if query:
        statement = statement.where(_matching(query))
    rows = session.execute(
        statement.order_by(*ORDERS[order]).limit(PAGE_SIZE + 1).offset((page - 1) * PAGE_SIZE)
    ).all()
    has_next = len(rows) > PAGE_SIZE
    rows = rows[:PAGE_SIZE]
    todays = {team.id: today_for(team, now) for team, _members in rows}
    weeks = _coming_weeks(session, todays)
    return Directory(
        entries=[
            Entry(
                slug=team.slug,
                name=team.name,
                description=team.description,
                members=count,
                week=weeks.get(team.id),
            )
            for team, count in rows
        ],
        page=page,
        has_next=has_next,
    )


def _coming_weeks(session: Session, todays: dict[int, date]) -> dict[int, Week]:
    """Each team's running or next week that is not cancelled, by team id: one
    query for all of them (a team has few weeks ahead: at most 90 days' worth)."""
    if not todays:
        return {}
    found: dict[int, Week] = {}
    for team_id, starts_on, ends_on in session.execute(
        select(TeamWeek.team_id, TeamWeek.starts_on, TeamWeek.ends_on)
        .where(
            TeamWeek.team_id.in_(todays),
            TeamWeek.ends_on >= min(todays.values()),
            TeamWeek.cancelled_at.is_(None),
        )
        .order_by(TeamWeek.starts_on)
    ):
        today = todays[team_id]
        if team_id not in found and ends_on >= today:
            found[team_id] = Week(starts_on, ends_on, running=starts_on <= today)
    return found
