"""A contact of the person's private address book."""

from marshmallow import fields

from kindness.schemas.base import Shape


class ContactSchema(Shape):
    """Dumps a ``Contact`` (or ``domain.contacts.ContactRow``)."""

    id = fields.Integer(dump_only=True, metadata={"description": "The contact's number."})
    name = fields.String(metadata={"description": "The name, seen by its owner alone."})
    note = fields.String(allow_none=True, metadata={"description": "A private note."})
