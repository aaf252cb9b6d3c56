"""Kindness the person received: acts they claimed, to pass on."""

from marshmallow import fields

from kindness.schemas.base import Shape
from kindness.schemas.thanks import ThanksSchema


class ReceivedSchema(Shape):
    """Dumps a ``domain.passes.Received``: the text only where the card showed it
    or the act is public, as the Received page."""

    ref = fields.String(
        attribute="act.ref",
        dump_only=True,
        metadata={"description": "The act's reference: its chain, and the parent to pass on."},
    )
    what = fields.String(
        dump_only=True,
        allow_none=True,
        metadata={"description": "What the giver did, where they let the card show it."},
    )
    giver_name = fields.String(
        dump_only=True,
        allow_none=True,
        metadata={"description": "The giver's display name (null: someone)."},
    )
    claimed_at = fields.AwareDateTime(
        dump_only=True, allow_none=True, metadata={"description": "When it was claimed (UTC)."}
    )
    named = fields.Boolean(
        attribute="act.recipient_named",
        metadata={"description": "Whether the person chose to be named in its chain."},
    )
    thanks = fields.Nested(
        ThanksSchema,
        dump_only=True,
        allow_none=True,
        metadata={"description": "The person's thank-you note to the giver, if written."},
    )


class GrownSchema(Shape):
    """Dumps a ``domain.chains.ripples.Travelled``: one of the person's own acts
    and the counts of what grew below it (never the text or people below it)."""

    act_id = fields.Integer(dump_only=True, metadata={"description": "The person's act's number."})
    ref = fields.String(dump_only=True, metadata={"description": "The act's reference."})
    what = fields.String(dump_only=True, metadata={"description": "What the person did."})
    performed_on = fields.Date(dump_only=True, metadata={"description": "When (local date)."})
    acts_below = fields.Integer(
        dump_only=True, metadata={"description": "Acts that grew anywhere below it."}
    )
    generations = fields.Integer(dump_only=True, metadata={"description": "Generations below it."})
    people = fields.Integer(dump_only=True, metadata={"description": "People reached below it."})
    per_generation = fields.List(
        fields.Integer(),
        dump_only=True,
        metadata={"description": "Acts in the first, second, ... generation below it."},
    )
    at_least = fields.Boolean(
        dump_only=True,
        metadata={"description": "The figures are lower bounds: the chain below is very big."},
    )
