"""``/api/v1/acts``: the person's own acts: list (filtered, newest first, by
cursor), log, read, change and delete, through the functions of the act pages.

An act's ``id`` is the number in its page's address (``/acts/<id>``), the same
in ``/api/v1/acts/{id}``; its ``ref`` is the public name of its chain."""

from dataclasses import replace
from typing import Any

from flask.views import MethodView
from flask_smorest import abort
from marshmallow import Schema, fields, validate

from kindness.api import keys, pagination, strict
from kindness.api.auth import current_person
from kindness.api.pagination import PageArgs, page_of
from kindness.api.spec import ID_SCHEMA
from kindness.api.strict import Blueprint
from kindness.domain import acts, contacts
from kindness.domain.acts import ActInput, HistoryFilter
from kindness.domain.dates import today_for
from kindness.domain.errors import InvalidInput
from kindness.models import CATEGORIES, REF_MAX, VISIBILITIES, Act
from kindness.schemas.acts import ACT_LOADS, ActSchema
from kindness.sessions import get_session

blueprint = Blueprint(
    "api_acts", __name__, url_prefix="/acts", description="Your acts of kindness."
)

ID_RANGE = validate.Range(min=ID_SCHEMA["minimum"], max=ID_SCHEMA["maximum"])


class ActListArgs(PageArgs):
    date_from = fields.Date(
        data_key="from", metadata={"description": "Only acts done on this date or later."}
    )
    date_to = fields.Date(
        data_key="to", metadata={"description": "Only acts done on this date or earlier."}
    )
    category = fields.String(validate=validate.OneOf(CATEGORIES))
    visibility = fields.String(validate=validate.OneOf(VISIBILITIES))
    contact = fields.Integer(
        validate=ID_RANGE, metadata={"description": "Only acts for this contact of yours."}
    )


class ActChanges(Schema):
    """The fields of an act a person may change; those left out stay as they are."""

    what = fields.String(
        validate=validate.Length(min=acts.WHAT_MIN, max=acts.WHAT_MAX),
        metadata={"description": "What was done."},
    )
    performed_on = fields.Date(
        metadata={"description": "The local date it was done on: today or up to a year back."}
    )
    category = fields.String(validate=validate.OneOf(CATEGORIES))
    visibility = fields.String(
        validate=validate.OneOf(VISIBILITIES), metadata={"description": "Who may read the act."}
    )
    note = fields.String(
        allow_none=True,
        validate=validate.Length(max=acts.NOTE_MAX),
        metadata={"description": "A private note, for you alone (null: none)."},
    )
    contact_id = strict.Integer(
        allow_none=True,
        validate=ID_RANGE,
        metadata={"description": "One of your contacts it was done for (null: nobody named)."},
    )
    new_contact_name = fields.String(
        validate=validate.Length(max=contacts.NAME_MAX),
        metadata={
            "description": "A name to do it for instead: your contact of that name, made when"
            " new. Ignored when contact_id is given."
        },
    )


class NewAct(ActChanges):
    """A new act: only ``what`` is needed; the rest defaults as on the log form."""

    what = fields.String(
        required=True,
        validate=validate.Length(min=acts.WHAT_MIN, max=acts.WHAT_MAX),
        metadata={"description": "What was done."},
    )
    performed_on = fields.Date(
        metadata={"description": "The local date it was done on (default: your today)."}
    )
    category = fields.String(
        validate=validate.OneOf(CATEGORIES), metadata={"default": ActInput.category}
    )
    visibility = fields.String(
        validate=validate.OneOf(VISIBILITIES),
        metadata={"description": "Who may read the act.", "default": ActInput.visibility},
    )
    parent_ref = fields.String(
        validate=validate.Length(max=REF_MAX),
        metadata={"description": "The ref of an act you received: this act passes it on."},
    )
    idea_number = strict.Integer(
        validate=validate.Range(min=0, max=32767),
        metadata={"description": "The idea of the day it was logged from, if any."},
    )


def _shown(act_id: int) -> Act:
    """One's own act with everything ActSchema shows, read afresh."""
    return acts.get_own(get_session(), current_person(), act_id, loads=ACT_LOADS)


@blueprint.route("")
@blueprint.arguments(ActListArgs, location="query")
@blueprint.response(200, page_of(ActSchema, "ActPage"))
def list_acts(args: dict[str, Any]):
    """Your acts, newest first (by date, then as logged), filtered, a page at a time."""
    filters = HistoryFilter(
        contact_id=args.get("contact"),
        category=args.get("category"),
        date_from=args.get("date_from"),
        date_to=args.get("date_to"),
        visibility=args.get("visibility"),
    )
    last = keys.dated_key(args["cursor"])
    limit = args["limit"]
    try:
        rows = acts.after(get_session(), current_person(), filters, last, limit + 1, ACT_LOADS)
    except InvalidInput as error:
        # The filters came in the query, and are told as such.
        abort(422, messages={"query": {error.field: [str(error.message)]}})
    return pagination.page(rows, limit, lambda act: [act.performed_on.isoformat(), act.id])


@blueprint.route("", methods=["POST"])
@blueprint.arguments(NewAct)
@blueprint.response(201, ActSchema)
def log_act(data: dict[str, Any]):
    """Log an act.

    Only `what` is needed: the act is then done today (in your time zone), for
    nobody named, in the category `other`, and private."""
    person = current_person()
    idea_number = data.pop("idea_number", None)
    act = acts.log(
        get_session(), person, ActInput(**data), today_for(person), idea_number=idea_number
    )
    return _shown(act.id)


@blueprint.route("/<id:act_id>")
class OneAct(MethodView):
    # One view for every method: an id the converter refuses is then a 404 for
    # each of them (with a view per method, Werkzeug answers 405 for all but GET).

    @blueprint.response(200, ActSchema)
    def get(self, act_id: int):
        """One of your acts."""
        return _shown(act_id)

    @blueprint.arguments(ActChanges)
    @blueprint.response(200, ActSchema)
    def patch(self, changes: dict[str, Any], act_id: int):
        """Change one of your acts: only the fields sent change.

        Its date stays unless a new one is sent (an old act keeps its date)."""
        person = current_person()
        session = get_session()
        act = acts.get_own(session, person, act_id)
        data = ActInput(
            what=act.what or "",
            contact_id=act.contact_id,
            category=act.category,
            visibility=act.visibility,
            note=act.note,
        )
        if "new_contact_name" in changes and "contact_id" not in changes:
            data = replace(data, contact_id=None)
        acts.update(session, person, act_id, replace(data, **changes), today_for(person))
        return _shown(act_id)

    @blueprint.response(204)
    def delete(self, act_id: int):
        """Delete one of your acts.

        When others passed it on, it stays in their chain as an anonymous
        placeholder, without your words."""
        acts.delete(get_session(), current_person(), act_id)
