"""A team's weeks and a week's collective tally, as the team page shows them to
whoever may see the team (the API's ``/teams/<slug>/weeks``). Counts only: who
took part on which days stays on the page, under its opt-out."""

from dataclasses import dataclass
from datetime import date

from marshmallow import fields

from kindness.domain.teams.weeks import WeekSummary
from kindness.models import TeamWeek
from kindness.schemas.base import Shape
from kindness.schemas.teams import WEEK_STATUSES


@dataclass(frozen=True)
class ListedWeek:
    """A week of the team with where it stands today (the team's today)."""

    week: TeamWeek
    status: str


@dataclass(frozen=True)
class DayTally:
    day: date
    acts: int
    members: int


@dataclass(frozen=True)
class Tally:
    """A ``domain.teams.weeks.WeekSummary``'s figures, by name."""

    week: ListedWeek
    acts: int
    members_who_acted: int
    people_helped: int
    forwards: int
    forwards_beyond: bool
    days: list[DayTally]


class WeekSchema(Shape):
    """Dumps a ``ListedWeek``."""

    id = fields.Integer(
        attribute="week.id", dump_only=True, metadata={"description": "The team week's number."}
    )
    starts_on = fields.Date(
        attribute="week.starts_on", dump_only=True, metadata={"description": "Its first date."}
    )
    ends_on = fields.Date(
        attribute="week.ends_on", dump_only=True, metadata={"description": "Its last date."}
    )
    status = fields.String(
        dump_only=True,
        metadata={"description": "Where it stands today.", "enum": list(WEEK_STATUSES)},
    )


class DayTallySchema(Shape):
    day = fields.Date(dump_only=True, metadata={"description": "One of the week's days."})
    acts = fields.Integer(dump_only=True, metadata={"description": "Acts dated on it."})
    members = fields.Integer(dump_only=True, metadata={"description": "Members who acted on it."})


class TeamTallySchema(Shape):
    """Dumps a ``Tally``: the collective figures of a team week, never a ranking."""

    week = fields.Nested(WeekSchema, dump_only=True, metadata={"description": "The week."})
    acts = fields.Integer(dump_only=True, metadata={"description": "Acts of its members in it."})
    members_who_acted = fields.Integer(
        dump_only=True, metadata={"description": "Members with at least one act in it."}
    )
    people_helped = fields.Integer(
        dump_only=True, metadata={"description": "People their acts were for."}
    )
    forwards = fields.Integer(
        dump_only=True,
        metadata={"description": "Acts that grew from them, counted up to a limit."},
    )
    forwards_beyond = fields.Boolean(
        dump_only=True,
        metadata={"description": "True when more acts grew than `forwards` counts."},
    )
    days = fields.List(
        fields.Nested(DayTallySchema),
        dump_only=True,
        metadata={"description": "Each of its seven days."},
    )


def tally_of(summary: WeekSummary, status: str) -> Tally:
    """The figures of ``summary`` (participants left out: counts only)."""
    return Tally(
        week=ListedWeek(summary.week, status),
        acts=summary.acts,
        members_who_acted=summary.members_who_acted,
        people_helped=summary.people_helped,
        forwards=summary.forwards_shown,
        forwards_beyond=summary.forwards_beyond,
        days=[
            DayTally(
                day,
                summary.acts_per_day.get(day, 0),
                summary.members_per_day.get(day, 0),
            )
            for day in summary.days
        ],
    )
