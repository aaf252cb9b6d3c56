"""``/api/v1/contacts``: the person's private address book, through the
functions of the contacts pages. A contact's ``id`` is the number in its page's
address (``/contacts/<id>``)."""

from typing import Any

from flask.views import MethodView
from marshmallow import Schema, fields, validate

from kindness.api import keys, pagination
from kindness.api.auth import current_person
from kindness.api.pagination import PageArgs, page_of
from kindness.api.strict import Blueprint
from kindness.domain import contacts
from kindness.schemas.contacts import ContactSchema
from kindness.sessions import get_session

blueprint = Blueprint(
    "api_contacts",
    __name__,
    url_prefix="/contacts",
    description="Your private address book: the people you helped.",
)


class ContactChanges(Schema):
    """What a PATCH may change; a field left out stays as it is."""

    name = fields.String(
        validate=validate.Length(min=1, max=contacts.NAME_MAX),
        metadata={"description": "The name, seen by you alone; one contact per name."},
    )
    note = fields.String(
        allow_none=True,
        validate=validate.Length(max=contacts.NOTE_MAX),
        metadata={"description": "A private note (null: none)."},
    )


class NewContact(ContactChanges):
    name = fields.String(
        required=True,
        validate=validate.Length(min=1, max=contacts.NAME_MAX),
        metadata={"description": "The name, seen by you alone; one contact per name."},
    )


@blueprint.route("")
@blueprint.arguments(PageArgs, location="query")
@blueprint.response(200, page_of(ContactSchema, "ContactPage"))
def list_contacts(args: dict[str, Any]):
    """Your contacts, in the order you added them, a page at a time."""
    limit = args["limit"]
    rows = contacts.after(get_session(), current_person(), keys.id_key(args["cursor"]), limit + 1)
    return pagination.page(rows, limit, lambda contact: [contact.id])


@blueprint.route("", methods=["POST"])
@blueprint.arguments(NewContact)
@blueprint.response(201, ContactSchema)
def add_contact(data: dict[str, Any]):
    """Add a contact."""
    return contacts.add(get_session(), current_person(), data["name"], data.get("note"))


@blueprint.route("/<id:contact_id>")
class OneContact(MethodView):
    # One view for every method: an id the converter refuses is then a 404 for
    # each of them (with a view per method, Werkzeug answers 405 for all but GET).

    @blueprint.response(200, ContactSchema)
    def get(self, contact_id: int):
        """One of your contacts."""
        return contacts.get_own(get_session(), current_person(), contact_id)

    @blueprint.arguments(ContactChanges)
    @blueprint.response(200, ContactSchema)
    def patch(self, changes: dict[str, Any], contact_id: int):
        """Rename one of your contacts or change its note: only the fields sent change."""
        person = current_person()
        session = get_session()
        contact = contacts.get_own(session, person, contact_id)
        return contacts.update(
            session,
            person,
            contact_id,
            changes.get("name", contact.name),
            changes.get("note", contact.note),
        )

    @blueprint.response(204)
    def delete(self, contact_id: int):
        """Delete one of your contacts.

        Your acts for them stay, done for “someone”."""
        contacts.delete(get_session(), current_person(), contact_id)
