"""The person's own weeks (personal challenges), with their reflection and tally."""

from dataclasses import dataclass
from datetime import date

from marshmallow import fields

from kindness.domain import challenges
from kindness.models import Challenge
from kindness.schemas.base import Present, Shape

STATUSES = ("scheduled", "active", "finished", "abandoned")


@dataclass(frozen=True)
class ChallengeWeek:
    """A week with what only a day can tell (its status) and, when counted, its tally."""

    challenge: Challenge
    status: str
    tally: challenges.Tally | None = None

    @classmethod
    def of(
        cls, challenge: Challenge, today: date, tally: challenges.Tally | None = None
    ) -> "ChallengeWeek":
        return cls(challenge, challenges.status(challenge, today), tally)


class TallySchema(Shape):
    """Dumps a ``domain.challenges.Tally``."""

    acts = fields.Integer(metadata={"description": "Acts dated in the week."})
    days_with_act = fields.Integer(metadata={"description": "Days of the week with an act."})
    people_helped = fields.Integer(metadata={"description": "Distinct people helped."})


class ChallengeSchema(Shape):
    """Dumps a ``ChallengeWeek``."""

    id = fields.Integer(
        attribute="challenge.id", dump_only=True, metadata={"description": "The week's number."}
    )
    starts_on = fields.Date(
        attribute="challenge.starts_on", metadata={"description": "Its first local date."}
    )
    ends_on = fields.Date(
        attribute="challenge.ends_on",
        dump_only=True,
        metadata={"description": "Its last local date (six days after the first)."},
    )
    status = fields.String(
        dump_only=True,
        metadata={"description": "Where the week stands today.", "enum": list(STATUSES)},
    )
    pledged_at = fields.AwareDateTime(
        attribute="challenge.pledged_at",
        dump_only=True,
        metadata={"description": "When the no-strings pledge was given (UTC)."},
    )
    abandoned = Present(
        attribute="challenge.abandoned_at",
        metadata={"description": "Whether the week was abandoned."},
    )
    abandoned_at = fields.AwareDateTime(
        attribute="challenge.abandoned_at",
        dump_only=True,
        allow_none=True,
        metadata={"description": "When it was abandoned (UTC), if it was."},
    )
    reflection = fields.String(
        attribute="challenge.reflection",
        allow_none=True,
        metadata={"description": "The person's reflection on the week, if written."},
    )
    tally = fields.Nested(
        TallySchema,
        dump_only=True,
        allow_none=True,
        metadata={"description": "What the week holds (null where not counted)."},
    )
