"""How a chain grew: its figures, its acts per week, and the week of each act.

Everything here is about weeks, never days: a private act may show that it
exists and in which week (ISO weeks, starting on Monday), but not its exact
date (docs/design.md, "Who sees what"). Dates are read only to be rounded down
to their week's Monday before they leave this module.

A fixed number of aggregate queries, whatever the size of the chain: acts per
(day, generation), and the fan-out of every act.
"""

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache

from sqlalchemy import bindparam, case, func, select
from sqlalchemy.orm import Session

from kindness.models import Act, ChainStats


def week_of(day: date) -> date:
    """The Monday starting the ISO week of ``day``."""
    return day - timedelta(days=day.weekday())


@dataclass(frozen=True)
class Growth:
    acts: int
    reach: int
    generations: int
    widest_generation: int
    # Acts passed on more than once: where the chain branches.
    branches: int
    # Acts passed on at least once.
    passed_on: int
    # (Monday of the week, acts that week), every week from the first to the last.
    weeks: tuple[tuple[date, int], ...]

    @property
    def span_weeks(self) -> int:
        return len(self.weeks)

    @property
    def first_week(self) -> date | None:
        return self.weeks[0][0] if self.weeks else None

    @property
    def passed_on_share(self) -> float:
        """The share of acts that were passed on, 0 to 1."""
        return self.passed_on / self.acts if self.acts else 0.0

    def week_index(self, day: date) -> int:
        """The number of the week of ``day`` counted from the chain's first week (0)."""
        assert self.weeks, "an empty chain has no weeks"
        return (week_of(day) - self.weeks[0][0]).days // 7

    def as_data(self) -> dict:
        """Every figure, as plain JSON-ready values."""
        return {
            "acts": self.acts,
            "reach": self.reach,
            "generations": self.generations,
            "widest_generation": self.widest_generation,
            "branches": self.branches,
            "passed_on": self.passed_on,
            "passed_on_share": round(self.passed_on_share, 4),
            "span_weeks": self.span_weeks,
            "weeks": [{"week": week.isoformat(), "acts": acts} for week, acts in self.weeks],
        }


@cache
def _by_day_and_generation_statement():
    return (
        select(Act.performed_on, Act.depth, func.count(Act.id))
        .where(Act.root_id == bindparam("root_id"))
        .group_by(Act.performed_on, Act.depth)
    )


@cache
def _fan_out_statement():
    children = (
        select(func.count(Act.id).label("children"))
        .where(Act.root_id == bindparam("root_id"), Act.parent_id.is_not(None))
        .group_by(Act.parent_id)
        .subquery()
    )
    return select(
        func.count(),
        func.coalesce(func.sum(case((children.c.children > 1, 1), else_=0)), 0),
    ).select_from(children)


@cache
def _days_statement(some: bool):
    query = select(Act.id, Act.performed_on).where(Act.root_id == bindparam("root_id"))
    if some:
        query = query.where(Act.id.in_(bindparam("ids", expanding=True)))
    return query


def of_chain(session: Session, stats: ChainStats) -> Growth:
    """The figures and weekly growth of the chain of ``stats``, in two queries."""
    connection = session.connection()
    per_week: Counter[date] = Counter()
    per_generation: Counter[int] = Counter()
    for day, depth, count in connection.execute(
        _by_day_and_generation_statement(), {"root_id": stats.root_id}
    ):
        per_week[week_of(day)] += count
        per_generation[depth] += count
    passed_on, branches = connection.execute(_fan_out_statement(), {"root_id": stats.root_id}).one()
    weeks: list[tuple[date, int]] = []
    if per_week:
        week, last = min(per_week), max(per_week)
        while week <= last:
            weeks.append((week, per_week[week]))
            week += timedelta(days=7)
    return Growth(
        acts=sum(per_generation.values()),
        reach=stats.reach,
        generations=max(per_generation) + 1 if per_generation else 0,
        widest_generation=max(per_generation.values(), default=0),
        branches=int(branches),
        passed_on=int(passed_on),
        weeks=tuple(weeks),
    )


def weeks(session: Session, root_id: int, act_ids: Iterable[int] | None = None) -> dict[int, date]:
    """The Monday of the week of each of the chain's ``act_ids`` (default: all its
    acts), in one query: an act's week, never its day."""
    parameters: dict = {"root_id": root_id}
    if act_ids is not None:
        parameters["ids"] = list(act_ids)
        if not parameters["ids"]:
            return {}
    rows = session.connection().execute(_days_statement(act_ids is not None), parameters)
    return {act_id: week_of(day) for act_id, day in rows}


def week_indexes(
    session: Session, growth: Growth, root_id: int, act_ids: Iterable[int]
) -> dict[int, int]:
    """The week number (from the chain's first week, 0) of each of the chain's
    ``act_ids``, in one query."""
    if not growth.weeks:
        return {}
    return {
        act_id: growth.week_index(week) for act_id, week in weeks(session, root_id, act_ids).items()
    }
