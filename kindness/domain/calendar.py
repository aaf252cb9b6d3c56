"""A person's weeks, personal and their teams', as dates: what the daily idea, the
notices and the calendar feed ask ("is today in a week of theirs?")."""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from kindness.domain.dates import days_from
from kindness.models import Challenge, Membership, Team, TeamWeek


@dataclass(frozen=True)
class Week:
    starts_on: date
    ends_on: date
    # None for the person's own week.
    team_name: str | None = None
    team_slug: str | None = None
    # The personal challenge's id, or the team week's id.
    id: int = 0


def weeks_of(session: Session, user_id: int, first: date, last: date) -> list[Week]:
    """The person's own weeks (not given up) and the weeks of the teams they belong to
    that touch the dates ``first`` to ``last``, earliest first."""
    own = session.execute(
        select(Challenge.id, Challenge.starts_on, Challenge.ends_on).where(
            Challenge.user_id == user_id,
            Challenge.abandoned_at.is_(None),
            Challenge.starts_on <= last,
            Challenge.ends_on >= first,
        )
    ).all()
    teams = session.execute(
        select(TeamWeek.id, TeamWeek.starts_on, TeamWeek.ends_on, Team.name, Team.slug)
        .join(Team, Team.id == TeamWeek.team_id)
        .join(Membership, Membership.team_id == TeamWeek.team_id)
        .where(
            Membership.user_id == user_id,
            TeamWeek.starts_on <= last,
            TeamWeek.ends_on >= first,
            TeamWeek.cancelled_at.is_(None),
        )
    ).all()
    weeks = [Week(starts_on=s, ends_on=e, id=i) for i, s, e in own] + [
        Week(starts_on=s, ends_on=e, team_name=name, team_slug=slug, id=i)
        for i, s, e, name, slug in teams
    ]
    return sorted(weeks, key=lambda week: (week.starts_on, week.team_name or "", week.id))


def by_day(weeks: list[Week], first: date, last: date) -> dict[date, list[Week]]:
    """Each date from ``first`` to ``last`` that lies in one of ``weeks``, with those weeks."""
    days: dict[date, list[Week]] = {}
    for week in weeks:
        for day in days_from(max(week.starts_on, first), min(week.ends_on, last)):
            days.setdefault(day, []).append(week)
    return dict(sorted(days.items()))


def in_a_week(session: Session, user_id: int, day: date) -> bool:
    return bool(weeks_of(session, user_id, day, day))
