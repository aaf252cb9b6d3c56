"""Pass-it-on cards the person made for their acts, and who claimed them."""

from marshmallow import fields

from kindness.schemas.base import Shape

CARD_STATES = ("open", "claimed", "revoked")


class CardSchema(Shape):
    """Dumps a ``domain.passes.AuthorCard``."""

    act_id = fields.Integer(
        attribute="link.act_id",
        dump_only=True,
        metadata={"description": "The number of the person's act the card hands on."},
    )
    code = fields.String(
        attribute="link.code",
        dump_only=True,
        metadata={"description": "The claim code (/p/<code>): whoever holds it may claim."},
    )
    show_text = fields.Boolean(
        attribute="link.show_text",
        metadata={"description": "Whether the card shows the act's text to its holder."},
    )
    state = fields.String(
        dump_only=True,
        metadata={"description": "Open, claimed or revoked.", "enum": list(CARD_STATES)},
    )
    created_at = fields.AwareDateTime(
        attribute="link.created_at",
        dump_only=True,
        metadata={"description": "When it was made (UTC)."},
    )
    revoked_at = fields.AwareDateTime(
        attribute="link.revoked_at",
        dump_only=True,
        allow_none=True,
        metadata={"description": "When the person withdrew it (UTC), if they did."},
    )
    claimed_at = fields.AwareDateTime(
        attribute="link.claimed_at",
        dump_only=True,
        allow_none=True,
        metadata={"description": "When it was claimed (UTC), if it was."},
    )
    claimed_by = fields.String(
        dump_only=True,
        allow_none=True,
        metadata={"description": "The claimer's display name, if they chose to be named."},
    )
