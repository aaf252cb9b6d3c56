"""The person's teams with their role, and the team weeks they took part in."""

from dataclasses import dataclass

from marshmallow import fields

from kindness.models import ROLES, Team
from kindness.schemas.base import Shape

WEEK_STATUSES = ("scheduled", "active", "finished", "cancelled")


@dataclass(frozen=True)
class MyTeam:
    """One of ``domain.teams.membership.my_teams``'s rows, by name."""

    team: Team
    role: str | None  # None: not a member (a public team, read by anyone)
    members: int


class TeamSchema(Shape):
    """Dumps a ``MyTeam``."""

    slug = fields.String(
        attribute="team.slug",
        dump_only=True,
        metadata={"description": "The team's address (/teams/<slug>)."},
    )
    name = fields.String(attribute="team.name", metadata={"description": "The team's name."})
    description = fields.String(
        attribute="team.description",
        allow_none=True,
        metadata={"description": "What the team says about itself."},
    )
    is_public = fields.Boolean(
        attribute="team.is_public",
        metadata={"description": "Whether the team is listed in the public directory."},
    )
    time_zone = fields.String(
        attribute="team.time_zone",
        metadata={"description": "The zone that decides which day of a team week is today."},
    )
    role = fields.String(
        dump_only=True,
        metadata={"description": "The person's role in the team.", "enum": list(ROLES)},
    )
    members = fields.Integer(dump_only=True, metadata={"description": "How many members it has."})


class TeamWeekSchema(Shape):
    """Dumps a ``domain.teams.member_weeks.ListedWeek``: a team week the person
    takes or took part in, with their own acts in it."""

    id = fields.Integer(
        attribute="week.id", dump_only=True, metadata={"description": "The team week's number."}
    )
    team_slug = fields.String(
        attribute="team.slug", dump_only=True, metadata={"description": "The team's address."}
    )
    team_name = fields.String(
        attribute="team.name", dump_only=True, metadata={"description": "The team's name."}
    )
    starts_on = fields.Date(
        attribute="week.starts_on", dump_only=True, metadata={"description": "Its first date."}
    )
    ends_on = fields.Date(
        attribute="week.ends_on", dump_only=True, metadata={"description": "Its last date."}
    )
    status = fields.String(
        dump_only=True,
        metadata={"description": "Where the week stands today.", "enum": list(WEEK_STATUSES)},
    )
    own_acts = fields.Integer(
        dump_only=True, metadata={"description": "The person's own acts dated in it."}
    )
    own_days = fields.Integer(
        dump_only=True, metadata={"description": "Its days with an act of the person's."}
    )


class TeamReadSchema(TeamSchema):
    """Dumps a ``MyTeam`` read by its slug: a public team is read by anyone, who
    then has no role in it."""

    role = fields.String(
        dump_only=True,
        allow_none=True,
        metadata={
            "description": "Your role in the team; null when you are not a member.",
            "enum": [*ROLES, None],
        },
    )
