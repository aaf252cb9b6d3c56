"""The person's own acts, as their act page shows them."""

from marshmallow import fields, validate
from sqlalchemy.orm import selectinload

from kindness.models import CATEGORIES, VISIBILITIES, Act
from kindness.schemas.base import Present, Shape

# Load these with the acts to be dumped (both relationships raise when not loaded):
# ``select(Act).options(*ACT_LOADS)``.
ACT_LOADS = (selectinload(Act.contact), selectinload(Act.parent))


class ActSchema(Shape):
    """Dumps one of the person's own ``Act``s (loaded with ``ACT_LOADS``)."""

    id = fields.Integer(
        dump_only=True,
        metadata={"description": "The act's number: /acts/<id> and /api/v1/acts/{id}."},
    )
    ref = fields.String(
        dump_only=True,
        metadata={"description": "Public reference of the act and its chain (/chains/<ref>)."},
    )
    what = fields.String(metadata={"description": "What was done."})
    performed_on = fields.Date(metadata={"description": "The local date it was done on."})
    category = fields.String(
        validate=validate.OneOf(CATEGORIES),
        metadata={"description": "The act's category.", "enum": list(CATEGORIES)},
    )
    visibility = fields.String(
        validate=validate.OneOf(VISIBILITIES),
        metadata={"description": "Who may read the act.", "enum": list(VISIBILITIES)},
    )
    note = fields.String(
        allow_none=True, metadata={"description": "A private note, for the author alone."}
    )
    contact_id = fields.Integer(
        allow_none=True, metadata={"description": "The contact it was done for, if named."}
    )
    contact_name = fields.String(
        attribute="contact.name",
        dump_only=True,
        allow_none=True,
        metadata={"description": "That contact's name (null: nobody named)."},
    )
    generation = fields.Integer(
        attribute="depth",
        dump_only=True,
        metadata={"description": "The act's depth in its chain (0: it starts the chain)."},
    )
    parent_ref = fields.String(
        attribute="parent.ref",
        dump_only=True,
        allow_none=True,
        metadata={"description": "The received act this one passes on (null: none)."},
    )
    claimed = Present(
        attribute="recipient_id",
        metadata={"description": "Whether the person helped has claimed the act's card."},
    )
    hidden = Present(
        attribute="hidden_at",
        metadata={"description": "Whether a moderator has hidden the act from others."},
    )
    created_at = fields.AwareDateTime(
        dump_only=True, metadata={"description": "When it was logged (UTC)."}
    )
    updated_at = fields.AwareDateTime(
        dump_only=True, metadata={"description": "When it was last changed (UTC)."}
    )
