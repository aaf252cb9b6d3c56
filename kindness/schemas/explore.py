"""The public listings of the explore pages (the API's ``/explore/...``): public
chains by the text of a public act, and the directory of public teams. Nothing
here is anyone's private data."""

from dataclasses import dataclass

from marshmallow import fields

from kindness.schemas.base import Shape


@dataclass(frozen=True)
class ListedChain:
    """One chain of ``domain.explore.listing``: its figures row, reference and text."""

    stats: object  # a row of chain_stats
    ref: str
    text: str | None


def _month(day) -> str:
    return day.strftime("%Y-%m")


class ListedChainSchema(Shape):
    """Dumps a ``ListedChain``."""

    ref = fields.String(
        dump_only=True, metadata={"description": "The chain's reference (/chains/<ref>)."}
    )
    text = fields.String(
        dump_only=True,
        allow_none=True,
        metadata={
            "description": "The text of its first public act; under a filter or a search, "
            "of the first that matched."
        },
    )
    acts = fields.Integer(attribute="stats.acts", dump_only=True, metadata={"description": "Acts."})
    reach = fields.Integer(
        attribute="stats.reach", dump_only=True, metadata={"description": "People it reached."}
    )
    generations = fields.Integer(
        attribute="stats.generations", dump_only=True, metadata={"description": "Generations."}
    )
    started_in = fields.Function(
        lambda chain: _month(chain.stats.first_on),
        dump_only=True,
        metadata={"type": "string", "description": "The month it started (YYYY-MM)."},
    )
    last_grew_in = fields.Function(
        lambda chain: _month(chain.stats.last_on),
        dump_only=True,
        metadata={"type": "string", "description": "The month it last grew (YYYY-MM)."},
    )


class ComingWeekSchema(Shape):
    """Dumps a ``domain.teams.directory.Week``."""

    starts_on = fields.Date(dump_only=True, metadata={"description": "Its first date."})
    ends_on = fields.Date(dump_only=True, metadata={"description": "Its last date."})
    running = fields.Boolean(
        dump_only=True, metadata={"description": "Whether today (the team's) is one of its days."}
    )


class ListedTeamSchema(Shape):
    """Dumps a ``domain.teams.directory.Entry``: a public team as the directory
    shows it. Joining stays by invite code."""

    slug = fields.String(dump_only=True, metadata={"description": "The team's address."})
    name = fields.String(dump_only=True, metadata={"description": "The team's name."})
    description = fields.String(
        dump_only=True, allow_none=True, metadata={"description": "What it says of itself."}
    )
    members = fields.Integer(dump_only=True, metadata={"description": "How many members it has."})
    week = fields.Nested(
        ComingWeekSchema,
        dump_only=True,
        allow_none=True,
        metadata={"description": "Its running week, else its next one; null when none is planned."},
    )
