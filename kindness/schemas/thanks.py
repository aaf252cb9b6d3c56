"""Thank-you notes: private to the recipient who wrote one and the giver it thanks."""

from marshmallow import fields

from kindness.schemas.base import Shape


class ThanksSchema(Shape):
    """Dumps a ``Thanks`` (the note inside a received act or an inbox entry)."""

    id = fields.Integer(dump_only=True, metadata={"description": "The note's number."})
    text = fields.String(metadata={"description": "What the note says."})
    created_at = fields.AwareDateTime(
        dump_only=True, metadata={"description": "When it was written (UTC)."}
    )


class _NoteSchema(Shape):
    id = fields.Integer(
        attribute="thanks.id", dump_only=True, metadata={"description": "The note's number."}
    )
    act_ref = fields.String(
        dump_only=True, metadata={"description": "Reference of the act it thanks for."}
    )
    text = fields.String(
        attribute="thanks.text", dump_only=True, metadata={"description": "What it says."}
    )
    created_at = fields.AwareDateTime(
        attribute="thanks.created_at",
        dump_only=True,
        metadata={"description": "When it was written (UTC)."},
    )


class SentThanksSchema(_NoteSchema):
    """Dumps a ``domain.thanks.Note`` the person wrote."""

    to_name = fields.String(
        attribute="other_name",
        dump_only=True,
        allow_none=True,
        metadata={"description": "The giver's display name (null: no longer there)."},
    )


class ReceivedThanksSchema(_NoteSchema):
    """Dumps a ``domain.thanks.Note`` the person received."""

    from_name = fields.String(
        attribute="other_name",
        dump_only=True,
        allow_none=True,
        metadata={"description": "The writer's display name, if they chose to be named."},
    )
