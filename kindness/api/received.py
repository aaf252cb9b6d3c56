"""``/api/v1/received``: kindness that came to the person, the acts they claimed
(to pass on), as the Received page shows them."""

from kindness.api import keys, pagination
from kindness.api.auth import current_person
from kindness.api.pagination import PageArgs, page_of
from kindness.api.strict import Blueprint
from kindness.domain import passes
from kindness.schemas.received import ReceivedSchema
from kindness.sessions import get_session

blueprint = Blueprint(
    "api_received",
    __name__,
    url_prefix="/received",
    description="Kindness you received: the acts whose cards you claimed.",
)


@blueprint.route("")
@blueprint.arguments(PageArgs, location="query")
@blueprint.response(200, page_of(ReceivedSchema, "ReceivedPage"))
def list_received(args):
    """Acts you claimed, newest first (by their date), as the Received page shows
    them: the text only where the card showed it or the act is public."""
    items = passes.received_page(
        get_session(), current_person(), keys.dated_key(args["cursor"]), args["limit"] + 1
    )
    return pagination.page(
        items, args["limit"], lambda item: [item.act.performed_on.isoformat(), item.act.id]
    )
