"""``/api/v1/forwards``: what grew from the person's own acts, as counts only
(as the dashboard and an act's page show it): never the text, author or
recipient of an act below."""

from kindness.api import keys, pagination
from kindness.api.auth import current_person
from kindness.api.pagination import PageArgs, page_of
from kindness.api.strict import Blueprint
from kindness.domain.chains import ripples
from kindness.schemas.received import GrownSchema
from kindness.sessions import get_session

blueprint = Blueprint(
    "api_forwards",
    __name__,
    url_prefix="/forwards",
    description="Kindness that grew from yours: what others passed on after your acts.",
)


@blueprint.route("")
@blueprint.arguments(PageArgs, location="query")
@blueprint.response(200, page_of(GrownSchema, "GrownPage"))
def list_forwards(args):
    """Your acts that kindness grew from, newest first (by their date), each with
    how many acts, generations and people grew below it."""
    items = ripples.grown_page(
        get_session(), current_person().id, keys.dated_key(args["cursor"]), args["limit"] + 1
    )
    return pagination.page(
        items, args["limit"], lambda item: [item.performed_on.isoformat(), item.act_id]
    )
