"""``/api/v1/inbox``: the person's notices (a claim, kindness that travelled on,
a team week), newest first, and marking them read."""

from marshmallow import Schema, fields

from kindness.api import keys, pagination
from kindness.api.auth import current_person
from kindness.api.pagination import PageArgs, page_of
from kindness.api.strict import Blueprint
from kindness.domain import inbox
from kindness.schemas.inbox import NotificationSchema
from kindness.sessions import get_session

blueprint = Blueprint(
    "api_inbox", __name__, url_prefix="/inbox", description="Your inbox: notices, read or not."
)


class InboxMarkedSchema(Schema):
    marked = fields.Integer(
        required=True, metadata={"description": "How many notices were unread and are read now."}
    )


@blueprint.route("")
@blueprint.arguments(PageArgs, location="query")
@blueprint.response(200, page_of(NotificationSchema, "NotificationPage"))
def list_notices(args):
    """Your notices, newest first, each marked read or not."""
    entries = inbox.entries_page(
        get_session(), current_person(), keys.moment_key(args["cursor"]), args["limit"] + 1
    )
    return pagination.page(
        entries,
        args["limit"],
        lambda entry: [entry.notification.created_at.isoformat(), entry.notification.id],
    )


@blueprint.route("/<id:notification_id>/read", methods=["POST"])
@blueprint.response(200, NotificationSchema)
def mark_read(notification_id: int):
    """Mark one notice read (one read already stays as it was)."""
    return inbox.mark_one_read(get_session(), current_person(), notification_id)


@blueprint.route("/read", methods=["POST"])
@blueprint.response(200, InboxMarkedSchema)
def mark_all_read():
    """Mark all your notices read."""
    return {"marked": inbox.mark_all_read(get_session(), current_person())}
